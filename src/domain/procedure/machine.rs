//! The transition function. Two questions, in this order: may *this caller* take the step at
//! all (else [`RefusalKind::Forbidden`], 403), and does the case's state allow it now (else
//! [`RefusalKind::Conflict`], 409). A refusal changes nothing; the function is pure.

use super::{MediationOutcome, Path, Phase, Stage, Step};
use crate::domain::Role;

/// What the procedure needs to know about a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaseState {
    pub phase: Phase,
    /// Only in [`Phase::Commissie`].
    pub stage: Option<Stage>,
    pub mediator_assigned: bool,
    pub commission_assigned: bool,
}

impl CaseState {
    /// A new case: a concept.
    pub fn new() -> Self {
        CaseState {
            phase: Phase::Concept,
            stage: None,
            mediator_assigned: false,
            commission_assigned: false,
        }
    }

    fn to(self, phase: Phase) -> Self {
        let stage = match phase {
            Phase::Commissie => Some(Stage::Verweer),
            _ => None,
        };
        CaseState { phase, stage, ..self }
    }

    fn at(self, stage: Stage) -> Self {
        CaseState {
            stage: Some(stage),
            ..self
        }
    }
}

impl Default for CaseState {
    fn default() -> Self {
        Self::new()
    }
}

/// Which ways the reglement opens for this kind of dispute (from `policies/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathRules {
    /// Mediation by the OZJ (not for BW-MO, nor woonplaatsbeginsel).
    pub mediation: bool,
    /// The commission (for provider disputes only where the chamber allows providers).
    pub commission: bool,
}

/// Who asks, in relation to this case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Participant {
    pub role: Option<Role>,
    /// Works for the claimant organisation.
    pub claimant: bool,
    /// Works for a respondent organisation.
    pub respondent: bool,
    /// Is the mediator assigned to this case.
    pub mediator: bool,
    /// Is the chair assigned to this case.
    pub chair: bool,
    /// Is a (non-chairing) member of the commission on this case.
    pub member: bool,
    /// Filed this case (and so, while it is a concept, is the only one who sees it).
    pub filer: bool,
    /// Their organisation has released the mediation notes.
    pub released_notes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// This caller may never take this step in this case (403).
    Forbidden,
    /// Not now: the case's state does not allow it (409).
    Conflict,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub kind: RefusalKind,
    pub reason: String,
    pub reason_nl: String,
}

impl Refusal {
    /// This caller may never do this (403).
    pub fn forbidden(reason: impl Into<String>, reason_nl: impl Into<String>) -> Self {
        Refusal {
            kind: RefusalKind::Forbidden,
            reason: reason.into(),
            reason_nl: reason_nl.into(),
        }
    }
    /// Not now (409).
    pub fn conflict(reason: impl Into<String>, reason_nl: impl Into<String>) -> Self {
        Refusal {
            kind: RefusalKind::Conflict,
            reason: reason.into(),
            reason_nl: reason_nl.into(),
        }
    }
}

fn is_party(role: Option<Role>) -> bool {
    matches!(role, Some(Role::Gemeente | Role::Regio | Role::Aanbieder))
}

/// Who may take `step`, in words (English, Dutch), and whether `who` is that.
fn actor_rule(step: Step, who: &Participant) -> (bool, &'static str, &'static str) {
    let secretary = who.role == Some(Role::Secretaris);
    let party = is_party(who.role);
    match step {
        Step::Submit | Step::Complete | Step::Withdraw | Step::SubmitReply | Step::WaiveReply => {
            (party && who.claimant, "the claimant", "de verzoekende partij")
        }
        Step::SubmitDefence | Step::SubmitRejoinder | Step::WaiveRejoinder => {
            (party && who.respondent, "a respondent", "een verwerende partij")
        }
        Step::Escalate => (
            party && (who.claimant || who.respondent),
            "a party to the case",
            "een partij in het geschil",
        ),
        Step::RecordMediationOutcome(_) => (
            who.role == Some(Role::Bemiddelaar) && who.mediator,
            "the assigned mediator",
            "de toegewezen bemiddelaar",
        ),
        Step::AdoptRuling => (
            who.role == Some(Role::Commissielid) && who.chair,
            "the chair",
            "de voorzitter",
        ),
        Step::RecordHearing => (
            secretary || (who.role == Some(Role::Commissielid) && who.chair),
            "the secretary or the chair",
            "de secretaris of de voorzitter",
        ),
        Step::RequestCompletion
        | Step::Admit(_)
        | Step::DeclareInadmissible
        | Step::AssignMediator
        | Step::AssignCommission
        | Step::ScheduleHearing
        | Step::DecideWithoutHearing
        | Step::Settle => (secretary, "the secretary", "de secretaris"),
    }
}

fn conflict(reason: String, reason_nl: String) -> Refusal {
    Refusal::conflict(reason, reason_nl)
}

fn not_now(step: Step, state: &CaseState) -> Refusal {
    let (en, nl) = match (state.phase, state.stage) {
        (Phase::Commissie, Some(stage)) => (
            format!("commissie ({})", stage.as_str()),
            format!("bij de commissie ({})", stage.as_str()),
        ),
        (phase, _) => (phase.as_str().to_owned(), phase.nl().to_owned()),
    };
    conflict(
        format!("{} is not possible while the case is {en}", step.name()),
        format!("U kunt nu niet {}: het geschil is {nl}.", step.nl()),
    )
}

/// The state after `step`, or why not.
pub fn decide(state: &CaseState, step: Step, who: &Participant, rules: &PathRules) -> Result<CaseState, Refusal> {
    let (allowed, en, nl) = actor_rule(step, who);
    if !allowed {
        return Err(Refusal::forbidden(
            format!("only {en} may {}", step.name()),
            format!("Alleen {nl} kan {}.", step.nl()),
        ));
    }
    let s = *state;
    use Phase as P;
    use Stage as S;
    let next = match (step, s.phase, s.stage) {
        (_, phase, _) if phase.is_closed() => None,
        (Step::Submit, P::Concept, _) => Some(s.to(P::Ingediend)),
        (Step::RequestCompletion, P::Ingediend, _) => Some(s.to(P::HerstelVerzuim)),
        (Step::Complete, P::HerstelVerzuim, _) => Some(s.to(P::Ingediend)),
        (Step::Admit(path), P::Ingediend, _) => {
            let (open, target) = match path {
                Path::Bemiddeling => (rules.mediation, P::Bemiddeling),
                Path::Commissie => (rules.commission, P::Commissie),
            };
            if !open {
                return Err(path_closed(path));
            }
            Some(s.to(target))
        }
        (Step::DeclareInadmissible, P::Ingediend | P::HerstelVerzuim, _) => Some(s.to(P::NietOntvankelijk)),
        (Step::AssignMediator, P::Bemiddeling, _) => Some(CaseState {
            mediator_assigned: true,
            ..s
        }),
        (Step::RecordMediationOutcome(outcome), P::Bemiddeling, _) => {
            if !s.mediator_assigned {
                return Err(conflict(
                    "no mediator has been assigned to this case yet".into(),
                    "Er is nog geen bemiddelaar toegewezen.".into(),
                ));
            }
            Some(match outcome {
                MediationOutcome::Overeenstemming => s.to(P::Geschikt),
                MediationOutcome::Deels | MediationOutcome::Mislukt => s.to(P::BemiddelingBeeindigd),
            })
        }
        (Step::Escalate, P::BemiddelingBeeindigd, _) => {
            if !rules.commission {
                return Err(path_closed(Path::Commissie));
            }
            Some(s.to(P::Commissie))
        }
        (Step::AssignCommission, P::Commissie, Some(stage)) if stage != S::Beraadslaging => Some(CaseState {
            commission_assigned: true,
            ..s
        }),
        (Step::SubmitDefence, P::Commissie, Some(S::Verweer)) => Some(s.at(S::Repliek)),
        (Step::SubmitReply, P::Commissie, Some(S::Repliek)) => Some(s.at(S::Dupliek)),
        (Step::SubmitRejoinder | Step::WaiveRejoinder, P::Commissie, Some(S::Dupliek)) => {
            Some(s.at(S::ZittingVoorbereiding))
        }
        // Without a reply there is nothing to rejoin: the written round is closed.
        (Step::WaiveReply, P::Commissie, Some(S::Repliek)) => Some(s.at(S::ZittingVoorbereiding)),
        (Step::DecideWithoutHearing, P::Commissie, Some(S::Repliek | S::Dupliek | S::ZittingVoorbereiding)) => {
            if !s.commission_assigned {
                return Err(conflict(
                    "assign the chair and members of the commission first".into(),
                    "Wijs eerst de voorzitter en de leden van de commissie toe.".into(),
                ));
            }
            Some(s.at(S::Beraadslaging))
        }
        (Step::ScheduleHearing, P::Commissie, Some(S::Repliek | S::Dupliek | S::ZittingVoorbereiding | S::Zitting)) => {
            if !s.commission_assigned {
                return Err(conflict(
                    "assign the chair and members of the commission before scheduling the hearing".into(),
                    "Wijs eerst de voorzitter en de leden van de commissie toe.".into(),
                ));
            }
            Some(s.at(S::Zitting))
        }
        (Step::RecordHearing, P::Commissie, Some(S::Zitting)) => Some(s.at(S::Beraadslaging)),
        (Step::AdoptRuling, P::Commissie, Some(S::Beraadslaging)) => Some(s.to(P::Uitspraak)),
        (Step::Withdraw, _, _) => Some(s.to(P::Ingetrokken)),
        (Step::Settle, phase, _) if phase != P::Concept => Some(s.to(P::Geschikt)),
        _ => None,
    };
    next.ok_or_else(|| not_now(step, state))
}

fn path_closed(path: Path) -> Refusal {
    match path {
        Path::Bemiddeling => conflict(
            "the reglement does not provide mediation for this kind of dispute".into(),
            "Het reglement voorziet voor dit soort geschil niet in bemiddeling.".into(),
        ),
        Path::Commissie => conflict(
            "the reglement does not open the commission to this kind of dispute".into(),
            "Het reglement staat voor dit soort geschil geen behandeling door de commissie toe.".into(),
        ),
    }
}

/// The steps `who` may take now: what the web app offers as actions.
pub fn available_steps(state: &CaseState, who: &Participant, rules: &PathRules) -> Vec<Step> {
    Step::ALL
        .into_iter()
        .filter(|step| decide(state, *step, who, rules).is_ok())
        .collect()
}
