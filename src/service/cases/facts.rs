//! A case's structured facts: read from the request per kind of dispute, stored as JSON in
//! the case, and judged against the NvO by [`crate::domain::nvo`] whenever the case is shown.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::{
    domain::{
        dispute::{CareCategory, DisputeKind},
        nvo::{self, Flag, PurchasingFacts, UittredingFacts},
    },
    service::input::{Fields, FromFields, Reported},
};

const CARE_CATEGORIES: [&str; 6] = [
    "jeugdhulp",
    "gesloten_jeugdhulp",
    "jeugdbescherming",
    "jeugdreclassering",
    "strafrechtelijk",
    "bwmo",
];

impl FromFields for PurchasingFacts {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let tender_published_on = f.optional_date("tender_published_on");
        let contract_signed_on = f.optional_date("contract_signed_on");
        let contract_starts_on = f.optional_date("contract_starts_on");
        let duration = f.optional_integer("contract_duration_months", 1..=600);
        let care_category = f.optional_enum("care_category", CareCategory::parse, &CARE_CATEGORIES);
        let offered = f.optional_integer("tariff_offered_cents", 0..=1_000_000_000);
        let asked = f.optional_integer("tariff_asked_cents", 0..=1_000_000_000);
        let continuity_agreed = f.optional_bool("continuity_agreed");
        let facts = PurchasingFacts {
            tender_published_on: tender_published_on.ok()?,
            contract_signed_on: contract_signed_on.ok()?,
            contract_starts_on: contract_starts_on.ok()?,
            contract_duration_months: duration.ok()?.map(|n| n as u32),
            care_category: care_category.ok()?,
            tariff_offered_cents: offered.ok()?,
            tariff_asked_cents: asked.ok()?,
            continuity_agreed: continuity_agreed.ok()?,
        };
        if let (Some(signed), Some(starts)) = (facts.contract_signed_on, facts.contract_starts_on)
            && starts < signed
        {
            f.error(
                "contract_starts_on",
                "must not be before contract_signed_on",
                "De ingangsdatum ligt vóór de datum van ondertekening.",
            );
            return None;
        }
        Some(facts)
    }
}

impl FromFields for UittredingFacts {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let care_landscape_weighed = f.optional_bool("care_landscape_weighed");
        let borders_congruent = f.optional_bool("borders_congruent");
        let intended_exit_on = f.optional_date("intended_exit_on");
        Some(UittredingFacts {
            care_landscape_weighed: care_landscape_weighed.ok()?,
            borders_congruent: borders_congruent.ok()?,
            intended_exit_on: intended_exit_on.ok()?,
        })
    }
}

/// The facts as given, in the shape for their kind of dispute.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Facts {
    Purchasing(PurchasingFacts),
    Uittreding(UittredingFacts),
}

/// Which facts a kind of dispute records: purchasing facts for disputes about the NvO's
/// purchasing agreements, the assessment criteria for an uittreding, none for the
/// woonplaatsbeginsel (which turns on a client's residence: data we do not ask for).
pub fn read(f: &mut Fields<'_>, kind: Option<DisputeKind>) -> Result<Option<Facts>, Reported> {
    match kind {
        None => {
            // The kind is invalid and already reported; still mark the field as read.
            let _ = f.object::<PurchasingFacts>("facts");
            Err(Reported)
        }
        Some(DisputeKind::Uittreding) => Ok(f.object::<UittredingFacts>("facts")?.map(Facts::Uittreding)),
        Some(DisputeKind::Woonplaatsbeginsel) => match f.object::<UittredingFacts>("facts") {
            Ok(None) => Ok(None),
            _ => {
                f.error(
                    "facts",
                    "a woonplaatsbeginsel dispute has no structured facts",
                    "Bij een geschil over het woonplaatsbeginsel horen geen gestructureerde feiten.",
                );
                Err(Reported)
            }
        },
        Some(_) => Ok(f.object::<PurchasingFacts>("facts")?.map(Facts::Purchasing)),
    }
}

pub fn to_json(facts: &Facts) -> Value {
    serde_json::to_value(facts).unwrap_or(Value::Null)
}

/// The stored facts of a case of `kind`, and the NvO flags they raise.
pub fn judge(kind: DisputeKind, stored: Option<&Value>) -> (Option<Facts>, Vec<Flag>) {
    let Some(v) = stored.filter(|v| !v.is_null()) else {
        return (None, Vec::new());
    };
    match kind {
        DisputeKind::Uittreding => match serde_json::from_value::<UittredingFacts>(v.clone()) {
            Ok(f) => {
                let flags = nvo::uittreding_flags(&f);
                (Some(Facts::Uittreding(f)), flags)
            }
            Err(_) => (None, Vec::new()),
        },
        _ => match serde_json::from_value::<PurchasingFacts>(v.clone()) {
            Ok(f) => {
                let flags = nvo::purchasing_flags(&f);
                (Some(Facts::Purchasing(f)), flags)
            }
            Err(_) => (None, Vec::new()),
        },
    }
}
