//! Computing a term's last day, with every step explained (in Dutch, for the secretary).
//!
//! A term runs from the day after its start: two weeks from Monday 2 March ends on Monday 16
//! March; a month from 31 January ends on the last day of February. Where the reglement
//! declares the Algemene termijnenwet applicable:
//! - art. 1: a term ending on a Saturday, Sunday or recognised holiday runs on to the next day
//!   that is none of those;
//! - art. 2: a term of at least three days is extended by one or two days where needed to
//!   contain at least two such working days;
//! - art. 1 lid 2: a term counted backwards (e.g. "at least two weeks before the hearing") is
//!   not extended; where its last day is not a working day, the last working day before it is
//!   the practical deadline, and the explanation says so.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Calendar, Term};
use crate::domain::nvo::nl_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From an event onwards (the usual term).
    Forward,
    /// Counted back from a date (at least … before).
    Backward,
}

/// One step of the computation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Explanation {
    /// The rule applied: `termijn`, `atw_art_1`, `atw_art_2`, `atw_art_1_lid_2`.
    pub rule: &'static str,
    /// The date this step arrived at.
    #[schema(value_type = String, format = Date)]
    pub date: NaiveDate,
    /// What happened, in Dutch.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Deadline {
    /// The term's last day (the act must be done on or before it).
    #[schema(value_type = String, format = Date)]
    pub end: NaiveDate,
    /// For a backward term whose last day is not a working day: the last working day before.
    #[schema(value_type = Option<String>, format = Date)]
    pub practical_end: Option<NaiveDate>,
    pub steps: Vec<Explanation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the date is outside the calendar this service can compute")]
pub struct OutOfRange;

pub fn weekday_nl(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "maandag",
        Weekday::Tue => "dinsdag",
        Weekday::Wed => "woensdag",
        Weekday::Thu => "donderdag",
        Weekday::Fri => "vrijdag",
        Weekday::Sat => "zaterdag",
        Weekday::Sun => "zondag",
    }
}

fn day(d: NaiveDate) -> String {
    format!("{} {}", weekday_nl(d), nl_date(d))
}

fn step(rule: &'static str, date: NaiveDate, text: String) -> Explanation {
    Explanation { rule, date, text }
}

/// Runs `end` on past days that are not working days (art. 1), explaining each.
fn art_1(cal: &Calendar, mut end: NaiveDate, steps: &mut Vec<Explanation>) -> Result<NaiveDate, OutOfRange> {
    let mut skipped = Vec::new();
    while let Some(why) = cal.closed(end) {
        skipped.push(format!("{} ({why})", nl_date(end)));
        end = end.checked_add_days(Days::new(1)).ok_or(OutOfRange)?;
    }
    if !skipped.is_empty() {
        steps.push(step(
            "atw_art_1",
            end,
            format!(
                "Art. 1 Algemene termijnenwet: de termijn eindigt niet op {}; hij loopt door tot en met {}.",
                skipped.join(", "),
                day(end)
            ),
        ));
    }
    Ok(end)
}

fn working_days_between(cal: &Calendar, start: NaiveDate, end: NaiveDate) -> usize {
    start
        .iter_days()
        .skip(1)
        .take_while(|d| *d <= end)
        .filter(|d| cal.is_working_day(*d))
        .count()
}

pub fn compute(
    cal: &Calendar,
    start: NaiveDate,
    term: Term,
    direction: Direction,
    atw: bool,
) -> Result<Deadline, OutOfRange> {
    let mut steps = Vec::new();
    let raw = match direction {
        Direction::Forward => start
            .checked_add_months(Months::new(term.months))
            .and_then(|d| d.checked_add_days(Days::new(term.days.into()))),
        Direction::Backward => start
            .checked_sub_months(Months::new(term.months))
            .and_then(|d| d.checked_sub_days(Days::new(term.days.into()))),
    }
    .ok_or(OutOfRange)?;
    let clamped = term.months > 0 && raw.day() != start.day() && term.days == 0;
    let mut text = match direction {
        Direction::Forward => format!("Een termijn van {term} vanaf {} eindigt op {}.", day(start), day(raw)),
        Direction::Backward => format!("Een termijn van {term} vóór {} valt op {}.", day(start), day(raw)),
    };
    if clamped {
        text.push_str(" Die maand heeft geen overeenkomende dag; het is de laatste dag van de maand.");
    }
    steps.push(step("termijn", raw, text));
    if !atw {
        return Ok(Deadline {
            end: raw,
            practical_end: None,
            steps,
        });
    }
    if direction == Direction::Backward {
        let Some(why) = cal.closed(raw) else {
            return Ok(Deadline {
                end: raw,
                practical_end: None,
                steps,
            });
        };
        let mut practical = raw;
        while cal.closed(practical).is_some() {
            practical = practical.checked_sub_days(Days::new(1)).ok_or(OutOfRange)?;
        }
        steps.push(step(
            "atw_art_1_lid_2",
            practical,
            format!(
                "Art. 1 lid 2 Algemene termijnenwet: een terugwaarts gerekende termijn wordt niet verlengd. {} is een {why}, dus in de praktijk uiterlijk op {}.",
                nl_date(raw),
                day(practical)
            ),
        ));
        return Ok(Deadline {
            end: raw,
            practical_end: Some(practical),
            steps,
        });
    }
    let mut end = art_1(cal, raw, &mut steps)?;
    let days_in_term = (raw - start).num_days();
    if days_in_term >= 3 {
        let mut added = 0;
        let before = working_days_between(cal, start, end);
        while working_days_between(cal, start, end) < 2 && added < 2 {
            end = end.checked_add_days(Days::new(1)).ok_or(OutOfRange)?;
            added += 1;
        }
        if added > 0 {
            steps.push(step(
                "atw_art_2",
                end,
                format!(
                    "Art. 2 Algemene termijnenwet: de termijn bevatte {before} werkdag{}; hij wordt verlengd met {added} dag{} tot en met {}.",
                    if before == 1 { "" } else { "en" },
                    if added == 1 { "" } else { "en" },
                    day(end)
                ),
            ));
            end = art_1(cal, end, &mut steps)?;
        }
    }
    Ok(Deadline {
        end,
        practical_end: None,
        steps,
    })
}
