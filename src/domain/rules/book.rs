//! The rule book: may this person do this in this case, now — and if not, why.
//!
//! Two questions, always in this order: may *this person* ever do it in this case (else
//! [`RefusalKind::Forbidden`](crate::domain::procedure::RefusalKind), 403), and does the
//! case allow it now (else `Conflict`, 409). The steps' transitions are the state machine's
//! ([`crate::domain::procedure::decide`]); `timing` adds what the machine does not know: time (a
//! hearing that has not yet taken place, a term still running), suspension, and every action
//! that is not a step.

use super::{Action, Situation};
use crate::domain::{
    Role,
    documents::{Audience, DocumentKind},
    procedure::{Participant, Phase, Refusal},
};

pub use super::{terms::term_extension, timing::step};

fn party(who: &Participant) -> bool {
    matches!(who.role, Some(Role::Gemeente | Role::Regio | Role::Aanbieder)) && (who.claimant || who.respondent)
}

fn secretary(who: &Participant) -> bool {
    who.role == Some(Role::Secretaris)
}

fn mediator(who: &Participant) -> bool {
    who.role == Some(Role::Bemiddelaar) && who.mediator
}

fn chair(who: &Participant) -> bool {
    who.role == Some(Role::Commissielid) && who.chair
}

/// The secretary, and the members of the commission sitting on this case.
fn commission_side(who: &Participant) -> bool {
    secretary(who) || (who.role == Some(Role::Commissielid) && (who.chair || who.member))
}

/// Whether the person sees the case at all. Whoever does not is answered 404 before any
/// rule is asked, exactly as if the case did not exist.
pub fn sees(submitted: bool, who: &Participant) -> bool {
    match who.role {
        Some(Role::Gemeente | Role::Regio | Role::Aanbieder) => {
            if submitted {
                who.claimant || who.respondent
            } else {
                who.filer
            }
        }
        Some(Role::Secretaris) => submitted,
        Some(Role::Bemiddelaar) => who.mediator,
        Some(Role::Commissielid) => who.chair || who.member,
        Some(Role::Beheerder) | None => false,
    }
}

fn only(action: Action, en: &str, nl: &str) -> Refusal {
    Refusal::forbidden(
        format!("only {en} may {}", action.name()),
        format!("Alleen {nl} kan {}.", action.nl()),
    )
}

pub(super) fn not_now(en: impl Into<String>, nl: impl Into<String>) -> Refusal {
    Refusal::conflict(en, nl)
}

fn closed_or_concept(s: &Situation, action: Action) -> Refusal {
    if s.state.phase.is_closed() {
        not_now(
            format!(
                "the case is closed ({}); {} is no longer possible",
                s.state.phase.as_str(),
                action.name()
            ),
            format!(
                "Het geschil is gesloten ({}); u kunt niet meer {}.",
                s.state.phase.nl(),
                action.nl()
            ),
        )
    } else {
        not_now(
            format!("the case has not been filed yet; {} is not possible", action.name()),
            format!("Het geschil is nog niet ingediend; u kunt nog niet {}.", action.nl()),
        )
    }
}

fn no_mediation() -> Refusal {
    not_now(
        "there is no mediation in this case",
        "In dit geschil is geen bemiddeling gestart.",
    )
}

/// May `who` do `action` in this case now; if not, why (403 or 409).
pub fn may(s: &Situation, who: &Participant, action: Action) -> Result<(), Refusal> {
    let phase = s.state.phase;
    match action {
        Action::Step(st) => step(s, who, st).map(|_| ()),
        Action::EditConcept => {
            if !(matches!(who.role, Some(Role::Gemeente | Role::Regio | Role::Aanbieder)) && who.filer) {
                return Err(only(
                    action,
                    "the filer of the concept",
                    "wie het concept heeft opgesteld",
                ));
            }
            if phase != Phase::Concept {
                return Err(not_now(
                    "only a concept can be changed; a filed case changes by its steps",
                    "Alleen een concept kan worden gewijzigd; een ingediend geschil verandert door zijn stappen.",
                ));
            }
            Ok(())
        }
        Action::ReadAudit | Action::ReadMessages => Ok(()),
        Action::Suspend | Action::Resume | Action::ExtendTerm => {
            if !secretary(who) {
                return Err(only(action, "the secretary", "de secretaris"));
            }
            if !s.is_open() {
                return Err(closed_or_concept(s, action));
            }
            match (action, s.suspended) {
                (Action::Suspend, true) => Err(not_now(
                    "the case is already suspended",
                    "Het geschil is al opgeschort.",
                )),
                (Action::Resume, false) => Err(not_now("the case is not suspended", "Het geschil is niet opgeschort.")),
                (Action::ExtendTerm, _) if !s.extendable_term => Err(not_now(
                    "no running term of this case may be extended under the reglement",
                    "In dit geschil loopt geen termijn die volgens het reglement nog kan worden verlengd.",
                )),
                _ => Ok(()),
            }
        }
        Action::RecordMediationSession => {
            if !mediator(who) {
                return Err(only(action, "the assigned mediator", "de toegewezen bemiddelaar"));
            }
            if phase != Phase::Bemiddeling {
                return Err(not_now(
                    "sessions are recorded while the case is in mediation",
                    "Gesprekken worden vastgelegd zolang de bemiddeling loopt.",
                ));
            }
            Ok(())
        }
        Action::ReadMediationNotes => {
            let inside_the_wall = mediator(who) || party(who);
            if !(inside_the_wall || (commission_side(who) && s.notes_released)) {
                return Err(Refusal::forbidden(
                    "the mediation notes stay with the mediator and the parties until every party has released them",
                    "De aantekeningen van de bemiddeling blijven bij de bemiddelaar en de partijen totdat alle partijen ze hebben vrijgegeven.",
                ));
            }
            if !s.state.mediator_assigned {
                return Err(no_mediation());
            }
            Ok(())
        }
        Action::ReleaseMediationNotes => {
            if !party(who) {
                return Err(only(action, "a party", "een partij"));
            }
            if !s.state.mediator_assigned {
                return Err(no_mediation());
            }
            if s.state.phase.is_closed() {
                return Err(closed_or_concept(s, action));
            }
            if who.released_notes {
                return Err(not_now(
                    "your organisation has already released the mediation notes",
                    "Uw organisatie heeft de aantekeningen van de bemiddeling al vrijgegeven.",
                ));
            }
            Ok(())
        }
        Action::SendMessage => {
            if !(party(who) || secretary(who)) {
                return Err(Refusal::forbidden(
                    "the correspondence is between the parties and the secretary",
                    "De correspondentie loopt tussen de partijen en de secretaris.",
                ));
            }
            if !s.is_open() {
                return Err(closed_or_concept(s, action));
            }
            Ok(())
        }
        Action::AddDocument(kind, audience) => add_document(s, who, kind, audience),
        Action::ReadDocument { audience, own } => {
            let allowed = own
                || match audience {
                    Audience::Partijen => true,
                    Audience::Commissie => commission_side(who),
                    Audience::Bemiddeling => mediator(who) || party(who) || (commission_side(who) && s.notes_released),
                };
            if allowed {
                Ok(())
            } else {
                Err(Refusal::forbidden(
                    format!("documents for the audience {} are not yours to read", audience.as_str()),
                    "Dit stuk is niet voor u bestemd.",
                ))
            }
        }
        Action::ReplaceDocument { own, superseded } => {
            if !(own || secretary(who)) {
                return Err(Refusal::forbidden(
                    "only the organisation that submitted a document files a new version of it",
                    "Alleen de organisatie die een stuk indiende, kan er een nieuwe versie van indienen.",
                ));
            }
            if s.state.phase.is_closed() && !secretary(who) {
                return Err(closed_or_concept(s, action));
            }
            if superseded {
                return Err(not_now(
                    "this document already has a newer version; replace that one",
                    "Van dit stuk bestaat al een nieuwere versie; vervang die.",
                ));
            }
            Ok(())
        }
        Action::WithdrawDocument { withdrawn } => {
            if !secretary(who) {
                return Err(only(action, "the secretary", "de secretaris"));
            }
            if withdrawn {
                return Err(not_now(
                    "this document was already withdrawn",
                    "Dit stuk is al ingetrokken.",
                ));
            }
            Ok(())
        }
        Action::ReadAccessLog { own } => {
            if own || secretary(who) {
                Ok(())
            } else {
                Err(Refusal::forbidden(
                    "the access log is for the secretary and the organisation that submitted the document",
                    "Het toegangslogboek is voor de secretaris en de organisatie die het stuk indiende.",
                ))
            }
        }
        Action::ReadRulingDraft => {
            if commission_side(who) {
                Ok(())
            } else {
                Err(Refusal::forbidden(
                    "the draft ruling is the commission's",
                    "De concept-uitspraak is alleen voor de commissie en de secretaris.",
                ))
            }
        }
        Action::SaveRulingDraft => {
            if !chair(who) {
                return Err(only(action, "the chair", "de voorzitter"));
            }
            if phase != Phase::Commissie {
                return Err(not_now(
                    "a ruling is drafted while the commission handles the case",
                    "Een uitspraak wordt opgesteld zolang de commissie het geschil behandelt.",
                ));
            }
            Ok(())
        }
        Action::CorrectRuling => {
            if !chair(who) {
                return Err(only(action, "the chair", "de voorzitter"));
            }
            if phase != Phase::Uitspraak || !s.ruled {
                return Err(not_now(
                    "only an adopted ruling can be corrected",
                    "Alleen een vastgestelde uitspraak kan worden verbeterd.",
                ));
            }
            Ok(())
        }
        Action::PublishRuling => {
            if !secretary(who) {
                return Err(only(action, "the secretary", "de secretaris"));
            }
            if phase != Phase::Uitspraak || !s.ruled {
                return Err(not_now(
                    "only an adopted ruling can be published",
                    "Alleen een vastgestelde uitspraak kan worden gepubliceerd.",
                ));
            }
            Ok(())
        }
        Action::RecordChallenge => {
            if !secretary(who) {
                return Err(only(action, "the secretary", "de secretaris"));
            }
            if phase != Phase::Uitspraak || !s.ruled {
                return Err(not_now(
                    "only an adopted ruling can be challenged in court",
                    "Alleen een vastgestelde uitspraak kan bij de rechter worden aangevochten.",
                ));
            }
            Ok(())
        }
        Action::RecordObligation | Action::ReportObligation { .. } | Action::CancelObligation { .. } => {
            obligation(s, who, action)
        }
    }
}

/// The ruling's obligations: the secretary records them (and cancels one recorded in error);
/// the side that owes one reports it done, or the secretary does on its behalf. Only for an
/// adopted ruling, and only while the obligation runs.
fn obligation(s: &Situation, who: &Participant, action: Action) -> Result<(), Refusal> {
    let bound = match action {
        Action::ReportObligation { obligor, .. } => party(who) && obligor.binds(who.claimant, who.respondent),
        _ => false,
    };
    if !(secretary(who) || bound) {
        return Err(match action {
            Action::ReportObligation { .. } => Refusal::forbidden(
                "only the side the ruling obliges, or the secretary, may report an obligation done",
                "Alleen de partij die de verplichting heeft, of de secretaris, kan haar als nagekomen melden.",
            ),
            _ => only(action, "the secretary", "de secretaris"),
        });
    }
    if s.state.phase != Phase::Uitspraak || !s.ruled {
        return Err(not_now(
            "a ruling's obligations follow an adopted ruling",
            "Verplichtingen volgen uit een vastgestelde uitspraak.",
        ));
    }
    let still_runs = match action {
        Action::ReportObligation { obligor, open } => open && s.open_obligations.has(obligor),
        Action::CancelObligation { open } => open && s.open_obligations.any(),
        _ => true,
    };
    if !still_runs {
        return Err(not_now(
            "this obligation was already reported done or cancelled",
            "Deze verplichting is al als nagekomen gemeld of vervallen.",
        ));
    }
    Ok(())
}

/// Parties file their own pieces while the case is open (the filer of a concept its
/// request and evidence); the mediator the mediation's pieces, never for the commission
/// alone; the secretary any piece but the mediation's, and the commission's own (the record
/// of the hearing, the ruling) also after the case is closed. The mediation's documents come
/// only from inside the mediation's wall, whatever organisation the author belongs to.
fn add_document(s: &Situation, who: &Participant, kind: DocumentKind, audience: Audience) -> Result<(), Refusal> {
    let action = Action::AddDocument(kind, audience);
    if secretary(who) {
        if audience == Audience::Bemiddeling {
            return Err(Refusal::forbidden(
                "documents of the mediation come from the mediator and the parties",
                "Stukken voor de bemiddeling komen van de bemiddelaar en de partijen.",
            ));
        }
        if s.state.phase.is_closed() && !kind.is_commission_document() {
            return Err(not_now(
                "the case is closed; only the commission's own documents can still be added",
                "Het geschil is gesloten; alleen stukken van de commissie kunnen nog worden toegevoegd.",
            ));
        }
        return Ok(());
    }
    let allowed = match kind {
        DocumentKind::Verzoekschrift | DocumentKind::Repliek => party(who) && who.claimant,
        DocumentKind::Verweerschrift | DocumentKind::Dupliek => party(who) && who.respondent,
        DocumentKind::Bewijsstuk => party(who) || mediator(who),
        DocumentKind::Bemiddelingsverslag => mediator(who),
        DocumentKind::ProcesVerbaal | DocumentKind::Uitspraak | DocumentKind::GeanonimiseerdeUitspraak => false,
    };
    if !allowed {
        return Err(Refusal::forbidden(
            "your part in this case does not file documents of this kind",
            "Uw rol in dit geschil dient dit soort stukken niet in.",
        ));
    }
    if mediator(who) && audience == Audience::Commissie {
        return Err(Refusal::forbidden(
            "the mediator shares documents with the parties, not with the commission alone",
            "De bemiddelaar deelt stukken met de partijen, niet alleen met de commissie.",
        ));
    }
    if s.state.phase.is_closed() {
        return Err(not_now(
            "the case is closed; no documents can be added",
            "Het geschil is gesloten; er kunnen geen stukken meer worden toegevoegd.",
        ));
    }
    if s.state.phase == Phase::Concept && !matches!(kind, DocumentKind::Verzoekschrift | DocumentKind::Bewijsstuk) {
        return Err(closed_or_concept(s, action));
    }
    Ok(())
}

/// Every action (with its choices) `who` may take now.
pub fn available(s: &Situation, who: &Participant) -> Vec<Action> {
    Action::all().into_iter().filter(|a| may(s, who, *a).is_ok()).collect()
}

/// The names of [`available`], each once, in the rule book's order.
pub fn available_names(s: &Situation, who: &Participant) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for a in available(s, who) {
        if !names.contains(&a.name()) {
            names.push(a.name());
        }
    }
    names
}
