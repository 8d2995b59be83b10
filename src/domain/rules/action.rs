//! Everything a person can do in a case: each procedural step, and every other action.

use crate::domain::{
    documents::{Audience, DocumentKind},
    obligation::Obligor,
    procedure::Step,
};

/// One thing a person may want to do in a case. Parsed once at the edge, passed as this type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// A step of the procedure (`POST …/steps/{step}`).
    Step(Step),
    /// Change a concept before it is submitted (`PATCH /cases/{id}`).
    EditConcept,
    /// Read the case's audit trail.
    ReadAudit,
    Suspend,
    Resume,
    ExtendTerm,
    RecordMediationSession,
    ReadMediationNotes,
    ReleaseMediationNotes,
    ReadMessages,
    SendMessage,
    /// Add a document of this kind, for this audience.
    AddDocument(DocumentKind, Audience),
    /// Read a document for this audience; `own` when the caller (or, for a party, its
    /// organisation) submitted it.
    ReadDocument {
        audience: Audience,
        own: bool,
    },
    /// File a new version of a document; `own` as for reading, `superseded` when it already
    /// has a newer version.
    ReplaceDocument {
        own: bool,
        superseded: bool,
    },
    /// Withdraw a document from the case; `withdrawn` when it already was.
    WithdrawDocument {
        withdrawn: bool,
    },
    /// Read who viewed or downloaded a document; `own` as for reading.
    ReadAccessLog {
        own: bool,
    },
    ReadRulingDraft,
    SaveRulingDraft,
    CorrectRuling,
    /// Prepare, review and decide the ruling's public version (publish it, a summary, or
    /// withhold it).
    PublishRuling,
    /// Record a party's challenge of the ruling in court (vernietiging, art. 7:904 BW) and
    /// its outcome.
    RecordChallenge,
    /// Record what the ruling orders a side to do, by when (it runs as a term).
    RecordObligation,
    /// Report an obligation done; `open` when it still runs.
    ReportObligation {
        obligor: Obligor,
        open: bool,
    },
    /// Cancel an obligation recorded in error; `open` when it still runs.
    CancelObligation {
        open: bool,
    },
}

impl Action {
    /// Every action with every choice, in the order the rule book lists them.
    pub fn all() -> Vec<Action> {
        let mut all: Vec<Action> = Step::ALL.into_iter().map(Action::Step).collect();
        all.extend([
            Action::EditConcept,
            Action::ReadAudit,
            Action::Suspend,
            Action::Resume,
            Action::ExtendTerm,
            Action::RecordMediationSession,
            Action::ReadMediationNotes,
            Action::ReleaseMediationNotes,
            Action::ReadMessages,
            Action::SendMessage,
        ]);
        for kind in DocumentKind::ALL {
            for audience in Audience::ALL {
                all.push(Action::AddDocument(*kind, *audience));
            }
        }
        for audience in Audience::ALL {
            for own in [true, false] {
                all.push(Action::ReadDocument {
                    audience: *audience,
                    own,
                });
            }
        }
        for own in [true, false] {
            for superseded in [false, true] {
                all.push(Action::ReplaceDocument { own, superseded });
            }
        }
        for withdrawn in [false, true] {
            all.push(Action::WithdrawDocument { withdrawn });
        }
        for own in [true, false] {
            all.push(Action::ReadAccessLog { own });
        }
        all.extend([
            Action::ReadRulingDraft,
            Action::SaveRulingDraft,
            Action::CorrectRuling,
            Action::PublishRuling,
            Action::RecordChallenge,
            Action::RecordObligation,
        ]);
        for obligor in Obligor::ALL {
            for open in [true, false] {
                all.push(Action::ReportObligation { obligor, open });
            }
        }
        for open in [true, false] {
            all.push(Action::CancelObligation { open });
        }
        all
    }

    /// Its name in `available_actions` (choices share their action's name).
    pub fn name(self) -> &'static str {
        match self {
            Action::Step(step) => step.name(),
            Action::EditConcept => "edit",
            Action::ReadAudit => "read-audit",
            Action::Suspend => "suspend",
            Action::Resume => "resume",
            Action::ExtendTerm => "extend-term",
            Action::RecordMediationSession => "record-mediation-session",
            Action::ReadMediationNotes => "read-mediation-notes",
            Action::ReleaseMediationNotes => "release-mediation-notes",
            Action::ReadMessages => "read-messages",
            Action::SendMessage => "send-message",
            Action::AddDocument(..) => "add-document",
            Action::ReadDocument { .. } => "read-document",
            Action::ReplaceDocument { .. } => "replace-document",
            Action::WithdrawDocument { .. } => "withdraw-document",
            Action::ReadAccessLog { .. } => "read-access-log",
            Action::ReadRulingDraft => "read-ruling-draft",
            Action::SaveRulingDraft => "save-ruling-draft",
            Action::CorrectRuling => "correct-ruling",
            Action::PublishRuling => "publish-ruling",
            Action::RecordChallenge => "record-challenge",
            Action::RecordObligation => "record-obligation",
            Action::ReportObligation { .. } => "report-obligation",
            Action::CancelObligation { .. } => "cancel-obligation",
        }
    }

    /// Its full name with its choices, as the rule book prints it.
    pub fn label(self) -> String {
        use crate::domain::procedure::{MediationOutcome as O, Path};
        match self {
            Action::Step(Step::Admit(Path::Bemiddeling)) => "admit (bemiddeling)".into(),
            Action::Step(Step::Admit(Path::Commissie)) => "admit (commissie)".into(),
            Action::Step(Step::RecordMediationOutcome(o)) => format!(
                "record-mediation-outcome ({})",
                match o {
                    O::Overeenstemming => "overeenstemming",
                    O::Deels => "deels",
                    O::Mislukt => "mislukt",
                }
            ),
            Action::AddDocument(kind, audience) => format!("add-document ({}, {})", kind.as_str(), audience.as_str()),
            Action::ReadDocument { audience, own } => format!(
                "read-document ({}, {})",
                audience.as_str(),
                if own { "own" } else { "another's" }
            ),
            Action::ReplaceDocument { own, superseded } => format!(
                "replace-document ({}, {})",
                if own { "own" } else { "another's" },
                if superseded { "superseded" } else { "latest" }
            ),
            Action::WithdrawDocument { withdrawn } => format!(
                "withdraw-document ({})",
                if withdrawn { "already withdrawn" } else { "current" }
            ),
            Action::ReadAccessLog { own } => {
                format!("read-access-log ({})", if own { "own" } else { "another's" })
            }
            Action::ReportObligation { obligor, open } => format!(
                "report-obligation ({}, {})",
                obligor.as_str(),
                if open { "open" } else { "ended" }
            ),
            Action::CancelObligation { open } => {
                format!("cancel-obligation ({})", if open { "open" } else { "ended" })
            }
            other => other.name().into(),
        }
    }

    /// In Dutch, to complete "U kunt nu niet …" and "Alleen … kan …".
    pub fn nl(self) -> &'static str {
        match self {
            Action::Step(step) => step.nl(),
            Action::EditConcept => "het concept wijzigen",
            Action::ReadAudit => "het dossierlogboek inzien",
            Action::Suspend => "de behandeling opschorten",
            Action::Resume => "de behandeling hervatten",
            Action::ExtendTerm => "een termijn verlengen",
            Action::RecordMediationSession => "een bemiddelingsgesprek vastleggen",
            Action::ReadMediationNotes => "de aantekeningen van de bemiddeling inzien",
            Action::ReleaseMediationNotes => "de aantekeningen van de bemiddeling vrijgeven",
            Action::ReadMessages => "de berichten lezen",
            Action::SendMessage => "een bericht sturen",
            Action::AddDocument(..) => "dit stuk toevoegen",
            Action::ReadDocument { .. } => "dit stuk inzien",
            Action::ReplaceDocument { .. } => "een nieuwe versie van dit stuk indienen",
            Action::WithdrawDocument { .. } => "dit stuk intrekken",
            Action::ReadAccessLog { .. } => "het toegangslogboek van dit stuk inzien",
            Action::ReadRulingDraft => "de concept-uitspraak inzien",
            Action::SaveRulingDraft => "de concept-uitspraak opslaan",
            Action::CorrectRuling => "de uitspraak verbeteren",
            Action::PublishRuling => "de uitspraak publiceren",
            Action::RecordChallenge => "de vernietigingsprocedure vastleggen",
            Action::RecordObligation => "een verplichting uit de uitspraak vastleggen",
            Action::ReportObligation { .. } => "een verplichting als nagekomen melden",
            Action::CancelObligation { .. } => "een verplichting laten vervallen",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_distinct_label() {
        let all = Action::all();
        let labels: std::collections::HashSet<String> = all.iter().map(|a| a.label()).collect();
        assert_eq!(labels.len(), all.len());
    }
}
