//! What the rule book needs to know about a case at this moment. The service fills it from
//! the database once per request; the rules read nothing else.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{
    obligation::OpenObligations,
    procedure::{CaseState, PathRules},
};

/// A case, now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Situation {
    /// Phase, stage, and whether a mediator and a commission were assigned.
    pub state: CaseState,
    /// Which ways the reglement opens for this kind of dispute.
    pub paths: PathRules,
    /// Whether the reglement allows the commission to decide without a hearing when every
    /// party agrees (written procedure).
    pub written_procedure: bool,
    /// Whether the case was ever submitted (a concept withdrawn before filing never was).
    pub submitted: bool,
    /// Whether the handling is suspended now.
    pub suspended: bool,
    /// Whether every party has released the mediation notes.
    pub notes_released: bool,
    /// When the hearing is scheduled.
    pub hearing_at: Option<DateTime<Utc>>,
    /// The last day of the running term of the current written stage (the reply in
    /// `repliek`, the rejoinder in `dupliek`), if one runs.
    pub written_term_due: Option<NaiveDate>,
    /// Whether a running term may still be extended under the reglement.
    pub extendable_term: bool,
    /// Whether a ruling was adopted.
    pub ruled: bool,
    /// Which sides owe an obligation of the ruling that still runs.
    pub open_obligations: OpenObligations,
    /// The moment of the request, and its calendar date in Europe/Amsterdam.
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
}

impl Situation {
    /// Open: filed and not closed.
    pub fn is_open(&self) -> bool {
        self.submitted && self.state.phase != crate::domain::procedure::Phase::Concept && !self.state.phase.is_closed()
    }
}
