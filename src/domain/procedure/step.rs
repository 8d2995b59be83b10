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

    /// What the case page says once the step was taken: what happened, and what comes next
    /// in the procedure (who acts; the term and its date stand beside it on the page).
    pub fn done_nl(self) -> &'static str {
        match self {
            Step::Submit => {
                "Het geschil is ingediend. De secretaris beoordeelt nu of het ontvankelijk is; u krijgt bericht van elke volgende stap."
            }
            Step::RequestCompletion => {
                "Er is om herstel van verzuim gevraagd. De verzoeker vult het verzoekschrift nu aan."
            }
            Step::Complete => "Het verzuim is hersteld. De secretaris beoordeelt het geschil opnieuw.",
            Step::Admit(Path::Bemiddeling) => {
                "Het geschil is ontvankelijk verklaard en gaat naar bemiddeling. De secretaris wijst nu een bemiddelaar toe."
            }
            Step::Admit(Path::Commissie) => {
                "Het geschil is ontvankelijk verklaard en ligt bij de commissie. De secretaris wijst nu de voorzitter en de leden toe."
            }
            Step::DeclareInadmissible => {
                "Het geschil is niet-ontvankelijk verklaard. De behandeling is daarmee beëindigd."
            }
            Step::AssignMediator => "De bemiddelaar is toegewezen. De bemiddelaar neemt contact op met de partijen.",
            Step::RecordMediationOutcome(_) => {
                "De uitkomst van de bemiddeling is vastgelegd. Is de bemiddeling mislukt, dan kan de verzoeker het geschil aan de commissie voorleggen."
            }
            Step::Escalate => {
                "Het geschil is aan de commissie voorgelegd. De secretaris wijst nu de voorzitter en de leden toe."
            }
            Step::AssignCommission => {
                "De voorzitter en de leden zijn toegewezen. De verweerder dient nu het verweerschrift in."
            }
            Step::SubmitDefence => {
                "Het verweerschrift is ingediend. De verzoeker kan nu een repliek indienen of daarvan afzien."
            }
            Step::SubmitReply => {
                "De repliek is ingediend. De verweerder kan nu een dupliek indienen of daarvan afzien."
            }
            Step::SubmitRejoinder | Step::WaiveRejoinder => {
                "De schriftelijke ronde is afgesloten. De secretaris plant nu de zitting, of de commissie beslist zonder zitting."
            }
            Step::WaiveReply => {
                "Er wordt afgezien van repliek. De secretaris plant nu de zitting, of de commissie beslist zonder zitting."
            }
            Step::DecideWithoutHearing => {
                "De commissie beslist zonder zitting. De voorzitter stelt nu de uitspraak op."
            }
            Step::ScheduleHearing => "De zitting is gepland. De partijen zien de datum bij het geschil.",
            Step::RecordHearing => {
                "De zitting is vastgelegd. De commissie beraadslaagt; de voorzitter stelt de uitspraak op."
            }
            Step::AdoptRuling => "De uitspraak is vastgesteld. De partijen kunnen haar nu lezen bij het geschil.",
            Step::Withdraw => "Het geschil is ingetrokken. De behandeling is daarmee beëindigd.",
            Step::Settle => "De schikking is vastgelegd. De behandeling is daarmee beëindigd.",
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
