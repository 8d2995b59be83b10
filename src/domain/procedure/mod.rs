//! The dispute procedure of the default reglement (`../shared/domain.md` §5) as one explicit
//! state machine, without I/O.
//!
//! ```text
//! concept → ingediend → (herstel_verzuim) → bemiddeling / commissie / niet_ontvankelijk
//! bemiddeling → geschikt (overeenstemming) | bemiddeling_beeindigd (deels, mislukt)
//! bemiddeling_beeindigd → commissie (escalate)
//! commissie: verweer → repliek → dupliek → zitting_voorbereiding → zitting → beraadslaging → uitspraak
//!            (reply and rejoinder are optional: the secretary may schedule the hearing after the defence)
//! any open phase → ingetrokken (the claimant) ; any phase after filing → geschikt (settled)
//! ```
//!
//! [`decide`] answers, for a case's state, a step and who asks, either the state after the
//! step or a [`Refusal`] with its reason. Whether mediation or the commission is available
//! for a kind of dispute comes from the reglement in `policies/` as [`PathRules`]. Who the
//! caller is *in this case* (claimant, respondent, the assigned mediator, the chair) is worked
//! out by the service and handed in as a [`Participant`].

mod machine;
mod phase;
mod step;

pub use machine::{CaseState, Participant, PathRules, Refusal, RefusalKind, available_steps, decide};
pub use phase::{Phase, Stage};
pub use step::{MediationOutcome, Path, Step, StepName};

#[cfg(test)]
mod tests;
