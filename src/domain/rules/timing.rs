//! The steps as the rule book takes them: the state machine's transition, then what the
//! machine does not know — time (a hearing not yet held, a written-round term still running),
//! suspension, and whether the reglement allows a decision without a hearing.

use chrono::{DateTime, Utc};

use super::{Situation, book::not_now};
use crate::domain::{
    nvo::nl_date,
    procedure::{self, CaseState, Participant, Refusal, Stage, Step},
};

/// A timestamp as people in the Netherlands read it: "12 december 2026 om 10:00".
fn nl_moment(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::Amsterdam);
    format!("{} om {}", nl_date(local.date_naive()), local.format("%H:%M"))
}

/// The state after `step`, or why not: the state machine, then time and suspension.
pub fn step(s: &Situation, who: &Participant, step: Step) -> Result<CaseState, Refusal> {
    let next = procedure::decide(&s.state, step, who, &s.paths)?;
    if s.suspended && !matches!(step, Step::Withdraw | Step::Settle) {
        return Err(not_now(
            format!("the handling is suspended; resume it before {}", step.name()),
            format!("De behandeling is opgeschort; na hervatten kunt u {}.", step.nl()),
        ));
    }
    if step == Step::DecideWithoutHearing && !s.written_procedure {
        return Err(not_now(
            "the reglement does not allow a decision without a hearing",
            "Het reglement staat niet toe dat de commissie zonder zitting beslist.",
        ));
    }
    if step == Step::RecordHearing
        && let Some(at) = s.hearing_at
        && at > s.now
    {
        return Err(not_now(
            format!("the hearing is scheduled for {at}; it can be recorded once it has taken place"),
            format!(
                "De zitting is gepland op {}; u kunt haar vastleggen nadat ze heeft plaatsgevonden.",
                nl_moment(at)
            ),
        ));
    }
    if matches!(step, Step::ScheduleHearing | Step::DecideWithoutHearing)
        && let Some(stage @ (Stage::Repliek | Stage::Dupliek)) = s.state.stage
        && let Some(due) = s.written_term_due
        && s.today <= due
    {
        let (en, nl, party_en, party_nl) = match stage {
            Stage::Repliek => ("reply", "repliek", "the claimant", "de verzoeker"),
            _ => ("rejoinder", "dupliek", "the respondent", "de verweerder"),
        };
        return Err(not_now(
            format!(
                "the term for the {en} runs until {due}; the written round moves on once it has passed or {party_en} waived it"
            ),
            format!(
                "De termijn voor de {nl} loopt tot en met {}. De schriftelijke ronde gaat verder als die termijn voorbij is of als {party_nl} afziet van de {nl}.",
                nl_date(due)
            ),
        ));
    }
    Ok(next)
}
