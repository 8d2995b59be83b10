//! What the ruling document says, gathered from the case: the parties, the procedure as its
//! trail recorded it, the facts and the dispute as the parties put them, and the ruling
//! itself. Pure — built from rows already read — so the document's contents are tested
//! without a database or a typesetter.
//!
//! Decisions: "De feiten" holds what the file establishes (kind of dispute, the filing date,
//! how mediation ended — never what was said in mediation, which stays behind its wall);
//! "Het geschil" holds the parties' positions: the claimant's summary and the written round's
//! statements (verweer, repliek, dupliek), each dated. The procedure lists the steps of the
//! trail with their dates in Europe/Amsterdam.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::{
    domain::{
        nvo::nl_date,
        procedure::{Path, Step},
    },
    service::{cases::bundle::Bundle, register::outcome_nl},
    storage::entities::{case_audit_entry, ruling},
};

/// What the template needs besides the case: its words for the kind of dispute and the
/// commission's name.
pub struct Context<'a> {
    pub kind_label: &'a str,
    pub commission: &'a str,
}

/// The ruling `r` (version `version`, 1 for the first issue; `earlier` the version it
/// corrects) of the case in `b`, whose trail is `trail`, as the template's data.
pub fn data(
    b: &Bundle,
    trail: &[case_audit_entry::Model],
    r: &ruling::Model,
    earlier: Option<&ruling::Model>,
    version: usize,
    cx: &Context<'_>,
) -> Value {
    let c = &b.case;
    let org = |id: i32| {
        b.organisations
            .get(&id)
            .map_or("(onbekende organisatie)", |o| o.name.as_str())
            .to_owned()
    };
    let side = |s: &str| {
        b.parties
            .iter()
            .filter(|p| p.side == s)
            .map(|p| org(p.organisation_id))
            .collect::<Vec<_>>()
    };
    let person = |id: i32| b.people.get(&id).map(|p| p.display_name.clone());
    let chair = person(r.chair_id).unwrap_or_else(|| "de voorzitter".to_owned());
    let members: Vec<String> = b.members.iter().filter_map(|m| person(*m)).collect();
    let claimant = side("verzoeker")
        .into_iter()
        .next()
        .unwrap_or_else(|| org(c.claimant_id));
    let nature = nature_nl(&r.nature);

    let mut facts = vec![format!("Het geschil betreft: {}.", cx.kind_label.to_lowercase())];
    if let Some(filed) = c.submitted_at {
        facts.push(format!(
            "{claimant} heeft het verzoek ingediend op {}.",
            nl_date(local(filed))
        ));
    }
    if let Some(outcome) = &c.mediation_outcome {
        facts.push(match outcome.as_str() {
            "overeenstemming" => "De bemiddeling heeft tot overeenstemming geleid.".to_owned(),
            "deels" => "De bemiddeling heeft tot gedeeltelijke overeenstemming geleid; het overige is aan de commissie voorgelegd.".to_owned(),
            _ => "De bemiddeling heeft niet tot overeenstemming geleid.".to_owned(),
        });
    }
    if let Some(at) = c.hearing_at {
        facts.push(format!("De zitting vond plaats op {}.", nl_date(local(at))));
    }

    let mut dispute = vec![format!("{claimant} omschrijft het geschil als volgt.")];
    dispute.extend(paragraphs(&c.summary));
    for s in &b.submissions {
        let what = match s.kind.as_str() {
            "verweer" => "Verweerschrift",
            "repliek" => "Repliek",
            "dupliek" => "Dupliek",
            "herstel" => "Aanvulling van het verzoek",
            _ => continue,
        };
        let by = s.organisation_id.map(org).unwrap_or_default();
        dispute.push(format!("{what} van {by} ({}):", nl_date(local(s.submitted_at))));
        dispute.extend(paragraphs(&s.statement));
    }

    let procedure: Vec<Value> = trail
        .iter()
        .filter_map(|e| {
            let event = match e.action.strip_prefix("step.") {
                Some(step) => {
                    let mut step = *Step::ALL.iter().find(|s| s.name() == step)?;
                    if let Step::Admit(_) = step {
                        let to_commission =
                            e.after.as_ref().and_then(|a| a.get("path")).and_then(|p| p.as_str()) == Some("commissie");
                        step = Step::Admit(if to_commission {
                            Path::Commissie
                        } else {
                            Path::Bemiddeling
                        });
                    }
                    happened(step).to_owned()
                }
                None if e.action == "ruling.correct" => "De uitspraak is verbeterd".to_owned(),
                None => return None,
            };
            Some(json!({ "date": nl_date(local(e.occurred_at)), "event": event }))
        })
        .collect();

    json!({
        "title": format!("Uitspraak in het geschil {}", c.number),
        "number": c.number,
        "commission": cx.commission,
        "date": nl_date(r.adopted_on),
        "nature": nature,
        "outcome": outcome_nl(&r.outcome).to_lowercase(),
        "subject": c.title,
        "claimant": claimant,
        "respondents": side("verweerder"),
        "procedure": procedure,
        "facts": facts,
        "dispute": dispute,
        "reasoning": paragraphs(&r.reasoning),
        "dictum": paragraphs(&r.dictum),
        "costs": r.cost_allocation.as_deref().map(paragraphs).unwrap_or_default(),
        "chair": chair,
        "members": members,
        "version": version,
        "correction": earlier.map(|e| json!({
            "reason": r.correction_reason.clone().unwrap_or_default(),
            "original_date": nl_date(e.adopted_on),
        })),
    })
}

/// What a step did, as the procedure's account in a ruling says it.
fn happened(step: Step) -> &'static str {
    match step {
        Step::Submit => "Het verzoekschrift is ingediend",
        Step::RequestCompletion => "De secretaris heeft om herstel van een verzuim gevraagd",
        Step::Complete => "Het verzuim is hersteld",
        Step::Admit(Path::Bemiddeling) => "Het verzoek is ontvankelijk verklaard en naar bemiddeling gestuurd",
        Step::Admit(Path::Commissie) => "Het verzoek is ontvankelijk verklaard en aan de commissie voorgelegd",
        Step::DeclareInadmissible => "Het verzoek is niet-ontvankelijk verklaard",
        Step::AssignMediator => "Een bemiddelaar van de OZJ is aangewezen",
        Step::RecordMediationOutcome(_) => "De bemiddeling is beëindigd",
        Step::Escalate => "Het geschil is aan de commissie voorgelegd",
        Step::AssignCommission => "De voorzitter en de leden van de commissie zijn aangewezen",
        Step::SubmitDefence => "Het verweerschrift is ingediend",
        Step::SubmitReply => "De repliek is ingediend",
        Step::SubmitRejoinder => "De dupliek is ingediend",
        Step::WaiveReply => "Verzoeker heeft afgezien van repliek",
        Step::WaiveRejoinder => "Verweerder heeft afgezien van dupliek",
        Step::DecideWithoutHearing => "De commissie heeft besloten zonder zitting te beslissen",
        Step::ScheduleHearing => "De zitting is gepland",
        Step::RecordHearing => "De zitting heeft plaatsgevonden",
        Step::AdoptRuling => "De commissie heeft uitspraak gedaan",
        Step::Withdraw => "Het verzoek is ingetrokken",
        Step::Settle => "De partijen hebben het geschil geschikt",
    }
}

/// Dutch for a ruling's nature, as the dictum's opening uses it.
pub fn nature_nl(nature: &str) -> &'static str {
    match nature {
        "bindend_advies" => "bindend advies",
        _ => "advies",
    }
}

/// A text's paragraphs: split on blank lines, each one's lines joined.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

fn local(at: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    at.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines_and_join_lines() {
        assert_eq!(
            paragraphs("Eerste regel\nloopt door.\r\n\r\nTweede.\n\n\n  \nDerde "),
            ["Eerste regel loopt door.", "Tweede.", "Derde"]
        );
        assert!(paragraphs(" \n\n ").is_empty());
    }

    #[test]
    fn a_late_evening_in_amsterdam_is_the_next_day_in_utc_terms() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-06-30T22:30:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(local(at), NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
    }
}
