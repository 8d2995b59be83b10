//! The procedural steps (`POST /api/v1/cases/{id}/steps/{step}`) and their choices.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which way an admitted case goes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Path {
    Bemiddeling,
    Commissie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MediationOutcome {
    /// Full agreement: the case is settled.
    Overeenstemming,
    /// Partial agreement: what remains may go to the commission.
    Deels,
    /// No agreement.
    Mislukt,
}

impl MediationOutcome {
    pub const ALL: [MediationOutcome; 3] = [
        MediationOutcome::Overeenstemming,
        MediationOutcome::Deels,
        MediationOutcome::Mislukt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MediationOutcome::Overeenstemming => "overeenstemming",
            MediationOutcome::Deels => "deels",
            MediationOutcome::Mislukt => "mislukt",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// A step as its URL names it, before its body gives its choice (the way of `admit`, the
/// mediation's outcome). Parsed once at the edge; only the names of [`Step::ALL`] exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StepName(&'static str);

impl StepName {
    pub fn parse(name: &str) -> Option<StepName> {
        Step::ALL.iter().map(|s| s.name()).find(|n| *n == name).map(StepName)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Submit,
    RequestCompletion,
    Complete,
    Admit(Path),
    DeclareInadmissible,
    AssignMediator,
    RecordMediationOutcome(MediationOutcome),
    Escalate,
    AssignCommission,
    SubmitDefence,
    SubmitReply,
    SubmitRejoinder,
    /// The claimant says it will not reply: the written round moves on without waiting.
    WaiveReply,
    /// The respondent says it will not rejoin.
    WaiveRejoinder,
    ScheduleHearing,
    /// The commission decides without a hearing (written procedure), where the reglement
    /// allows it and every party agreed.
    DecideWithoutHearing,
    RecordHearing,
    AdoptRuling,
    Withdraw,
    Settle,
}

impl Step {
    /// Every step, with each choice.
    pub const ALL: [Step; 23] = [
        Step::Submit,
        Step::RequestCompletion,
        Step::Complete,
        Step::Admit(Path::Bemiddeling),
        Step::Admit(Path::Commissie),
        Step::DeclareInadmissible,
        Step::AssignMediator,
        Step::RecordMediationOutcome(MediationOutcome::Overeenstemming),
        Step::RecordMediationOutcome(MediationOutcome::Deels),
        Step::RecordMediationOutcome(MediationOutcome::Mislukt),
        Step::Escalate,
        Step::AssignCommission,
        Step::SubmitDefence,
        Step::SubmitReply,
        Step::SubmitRejoinder,
        Step::WaiveReply,
        Step::WaiveRejoinder,
        Step::ScheduleHearing,
        Step::DecideWithoutHearing,
        Step::RecordHearing,
        Step::AdoptRuling,
        Step::Withdraw,
        Step::Settle,
    ];

    /// The step's name in the URL.
    pub fn name(self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::RequestCompletion => "request-completion",
            Step::Complete => "complete",
            Step::Admit(_) => "admit",
            Step::DeclareInadmissible => "declare-inadmissible",
            Step::AssignMediator => "assign-mediator",
            Step::RecordMediationOutcome(_) => "record-mediation-outcome",
            Step::Escalate => "escalate",
            Step::AssignCommission => "assign-commission",
            Step::SubmitDefence => "submit-defence",
            Step::SubmitReply => "submit-reply",
            Step::SubmitRejoinder => "submit-rejoinder",
            Step::WaiveReply => "waive-reply",
            Step::WaiveRejoinder => "waive-rejoinder",
            Step::DecideWithoutHearing => "decide-without-hearing",
            Step::ScheduleHearing => "schedule-hearing",
            Step::RecordHearing => "record-hearing",
            Step::AdoptRuling => "adopt-ruling",
            Step::Withdraw => "withdraw",
            Step::Settle => "settle",
        }
    }

    /// In Dutch, for people ("de secretaris kan … ").
    pub fn nl(self) -> &'static str {
        match self {
            Step::Submit => "het geschil indienen",
            Step::RequestCompletion => "om herstel van verzuim vragen",
            Step::Complete => "het verzuim herstellen",
            Step::Admit(Path::Bemiddeling) => "ontvankelijk verklaren en naar bemiddeling sturen",
            Step::Admit(Path::Commissie) => "ontvankelijk verklaren en aan de commissie voorleggen",
            Step::DeclareInadmissible => "niet-ontvankelijk verklaren",
            Step::AssignMediator => "een bemiddelaar toewijzen",
            Step::RecordMediationOutcome(_) => "de uitkomst van de bemiddeling vastleggen",
            Step::Escalate => "het geschil aan de commissie voorleggen",
            Step::AssignCommission => "voorzitter en leden toewijzen",
            Step::SubmitDefence => "het verweerschrift indienen",
            Step::SubmitReply => "de repliek indienen",
            Step::SubmitRejoinder => "de dupliek indienen",
            Step::WaiveReply => "afzien van repliek",
            Step::WaiveRejoinder => "afzien van dupliek",
            Step::DecideWithoutHearing => "zonder zitting laten beslissen",
            Step::ScheduleHearing => "de zitting plannen",
            Step::RecordHearing => "de zitting vastleggen",
            Step::AdoptRuling => "de uitspraak vaststellen",
            Step::Withdraw => "het geschil intrekken",
            Step::Settle => "de schikking vastleggen",
        }
    }

    /// The step named in a URL, without its choice (read from the body by the service).
    pub fn is_named(name: &str) -> bool {
        StepName::parse(name).is_some()
    }

    /// Its name, as a type.
    pub fn step_name(self) -> StepName {
        StepName(self.name())
    }

    /// Whether the step cannot be undone: the web asks for confirmation on a check page
    /// before taking it.
    pub fn is_irreversible(self) -> bool {
        matches!(
            self,
            Step::Submit
                | Step::DeclareInadmissible
                | Step::RecordMediationOutcome(_)
                | Step::Escalate
                | Step::SubmitDefence
                | Step::SubmitReply
                | Step::SubmitRejoinder
                | Step::WaiveReply
                | Step::WaiveRejoinder
                | Step::DecideWithoutHearing
                | Step::RecordHearing
                | Step::AdoptRuling
                | Step::Withdraw
                | Step::Settle
        )
    }
}
