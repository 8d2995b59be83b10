//! The term calculator: a start date and a term in, the last day out, with the steps that
//! produced it. Public: it holds no case data, and parties use it to check the dates they
//! are given.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::App;
use crate::{
    domain::terms::{self, Direction, Explanation, Term},
    error::{Error, FieldError, Result},
};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlineQuery {
    /// The day the term starts from (the event), `YYYY-MM-DD`.
    pub start: Option<String>,
    /// An ISO 8601 duration in days, weeks, months or years: `P10D`, `P2W`, `P1M`.
    pub term: Option<String>,
    /// `forward` (default) or `backward` ("at least … before").
    pub direction: Option<String>,
    /// Whether the Algemene termijnenwet applies (default `true`, as the reglement declares).
    pub atw: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineView {
    #[schema(value_type = String, format = Date)]
    pub start: NaiveDate,
    pub term: String,
    /// The term in words, in Dutch.
    pub term_nl: String,
    pub direction: Direction,
    pub atw: bool,
    #[schema(value_type = String, format = Date)]
    pub end: NaiveDate,
    /// Backward terms only: the last working day on or before `end`, where they differ.
    #[schema(value_type = Option<String>, format = Date)]
    pub practical_end: Option<NaiveDate>,
    pub steps: Vec<Explanation>,
}

fn field(name: &str, message: &str, message_nl: &str) -> FieldError {
    FieldError::with_nl(name, message, message_nl)
}

pub fn deadline(app: &App, q: DeadlineQuery) -> Result<DeadlineView> {
    let mut errors = Vec::new();
    let start = match q.start.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(field("start", "is required", "Vul een begindatum in."));
            None
        }
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
            .or_else(|| {
                errors.push(field(
                    "start",
                    "must be a date as YYYY-MM-DD between 1900 and 2200",
                    "Vul een bestaande datum in als JJJJ-MM-DD.",
                ));
                None
            }),
    };
    let term = match q.term.as_deref() {
        None | Some("") => {
            errors.push(field("term", "is required", "Vul een termijn in, zoals P2W."));
            None
        }
        Some(raw) => Term::parse(raw)
            .map_err(|e| errors.push(field("term", &e.to_string(), e.nl())))
            .ok(),
    };
    let direction = match q.direction.as_deref() {
        None | Some("") | Some("forward") => Some(Direction::Forward),
        Some("backward") => Some(Direction::Backward),
        Some(_) => {
            errors.push(field(
                "direction",
                "must be forward or backward",
                "Kies vooruit of terug.",
            ));
            None
        }
    };
    let atw = match q.atw.as_deref() {
        None | Some("") | Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            errors.push(field("atw", "must be true or false", "Kies ja of nee."));
            None
        }
    };
    let (Some(start), Some(term), Some(direction), Some(atw)) = (start, term, direction, atw) else {
        return Err(Error::Validation(errors));
    };
    let d = terms::compute(&app.calendar, start, term, direction, atw).map_err(|e| {
        Error::Validation(vec![field(
            "term",
            &e.to_string(),
            "Deze datum valt buiten de kalender.",
        )])
    })?;
    Ok(DeadlineView {
        start,
        term: q.term.unwrap_or_default().trim().to_ascii_uppercase(),
        term_nl: term.to_string(),
        direction,
        atw,
        end: d.end,
        practical_end: d.practical_end,
        steps: d.steps,
    })
}
