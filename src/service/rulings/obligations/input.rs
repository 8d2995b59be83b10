//! What the obligations' commands read: the secretary's record (a last day as a date or as a
//! term from the ruling's date, never both, never neither), the side's report, and the
//! reason for a cancellation.

use chrono::NaiveDate;
use utoipa::ToSchema;

use crate::{
    domain::{
        Reason,
        obligation::{Due, Obligor},
        terms::Term,
    },
    service::{
        input::{Fields, FromFields},
        today,
    },
};

/// What the secretary records, as it arrives.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
#[schema(as = ObligationInput)]
pub struct ObligationRequest {
    /// `verzoeker`, `verweerder` or `partijen`.
    who: String,
    /// What must be done, as the ruling says it.
    description: String,
    /// An amount to pay, in euro cents.
    amount_cents: Option<i64>,
    /// The last day the ruling names; or `within`.
    #[schema(value_type = Option<String>, format = Date)]
    due_on: Option<NaiveDate>,
    /// A term from the ruling's date, ISO 8601 (`P6W`) or in words (`6 weken`); or `due_on`.
    within: Option<String>,
}

/// What the secretary records, read.
#[derive(Debug)]
pub struct ObligationInput {
    pub who: Obligor,
    pub description: Reason,
    pub amount_cents: Option<i64>,
    /// The date the ruling names, or a term from its date.
    pub due: Due,
    /// The term as given, in ISO 8601 (kept to explain the last day).
    pub within: Option<String>,
}

const WHO: [&str; 3] = ["verzoeker", "verweerder", "partijen"];

impl FromFields for ObligationInput {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let who = f.required_enum("who", Obligor::parse, &WHO);
        let description = f.required("description", Reason::parse);
        let amount_cents = f.optional_integer("amount_cents", 1..=1_000_000_000_000);
        let due_on = f.optional_date("due_on");
        let within = f.optional("within", |raw| Ok(raw.trim().to_owned()));
        let (due_on, within) = (due_on.ok()?, within.ok()?);
        let within = match within.filter(|w| !w.is_empty()) {
            None => None,
            Some(raw) => {
                let iso = Term::iso_of_words(&raw).unwrap_or_else(|| raw.to_uppercase());
                match Term::parse(&iso) {
                    Ok(term) => Some((iso, term)),
                    Err(e) => {
                        f.error("within", &e.to_string(), e.nl());
                        return None;
                    }
                }
            }
        };
        let (due, within) = match (due_on, within) {
            (Some(d), None) => (Due::On(d), None),
            (None, Some((iso, term))) => (Due::Within(term), Some(iso)),
            (None, None) => {
                f.error(
                    "due_on",
                    "an obligation needs a last day: give due_on or within",
                    "Vul de uiterste datum in, of de termijn vanaf de uitspraak.",
                );
                return None;
            }
            (Some(_), Some(_)) => {
                f.error(
                    "within",
                    "give either due_on or within, not both",
                    "Vul een uiterste datum of een termijn in, niet allebei.",
                );
                return None;
            }
        };
        Some(ObligationInput {
            who: who?,
            description: description?,
            amount_cents: amount_cents.ok()?,
            due,
            within,
        })
    }
}

/// What the side reports.
#[derive(Debug, ToSchema)]
pub struct FulfilmentInput {
    /// The day it was done (today or before).
    #[schema(value_type = String, format = Date)]
    pub fulfilled_on: NaiveDate,
    /// E.g. the payment's reference.
    #[schema(value_type = Option<String>)]
    pub note: Option<Reason>,
}

impl FromFields for FulfilmentInput {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let fulfilled_on = f.required_date("fulfilled_on");
        let note = f.optional("note", Reason::parse).ok()?;
        let fulfilled_on = fulfilled_on?;
        if fulfilled_on > today() {
            f.error(
                "fulfilled_on",
                "lies in the future",
                "Meld een verplichting als nagekomen op of na de dag waarop zij is nagekomen.",
            );
            return None;
        }
        Some(FulfilmentInput { fulfilled_on, note })
    }
}

/// The reason an obligation is cancelled.
#[derive(Debug, ToSchema)]
pub struct CancelInput {
    #[schema(value_type = String)]
    pub reason: Reason,
}

impl FromFields for CancelInput {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        Some(CancelInput {
            reason: f.required("reason", Reason::parse)?,
        })
    }
}
