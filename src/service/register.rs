//! The public register of adopted rulings (`/uitspraken`). Until anonymised publication
//! exists, it shows only what names nobody: the case number, the date, the kind of dispute,
//! the chamber and the outcome.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    App,
    cases::{access::kind_of, lookup::cases_by_id},
};
use crate::{domain::dispute::DisputeDomain, error::Result, storage::entities::ruling};

pub struct RegisterEntry {
    pub number: String,
    pub adopted_on: NaiveDate,
    pub kind: String,
    pub domain: DisputeDomain,
    pub chamber: String,
    pub outcome: String,
}

/// Dutch words for the outcomes of a ruling.
pub fn outcome_nl(outcome: &str) -> &'static str {
    match outcome {
        "gegrond" => "Gegrond",
        "deels_gegrond" => "Deels gegrond",
        "ongegrond" => "Ongegrond",
        "niet_ontvankelijk" => "Niet-ontvankelijk",
        _ => "Onbekend",
    }
}

/// The latest adopted rulings (not their corrections), newest first.
pub async fn latest(app: &App, limit: u64) -> Result<Vec<RegisterEntry>> {
    let rulings = ruling::Entity::find()
        .filter(ruling::Column::CorrectsId.is_null())
        .order_by_desc(ruling::Column::AdoptedAt)
        .limit(limit)
        .all(&app.db)
        .await?;
    let cases = cases_by_id(&app.db, rulings.iter().map(|r| r.case_id)).await?;
    let mut out = Vec::new();
    for r in rulings {
        let Some(c) = cases.get(&r.case_id) else { continue };
        let (kind, domain) = kind_of(c)?;
        let rules = app.reglement.kind(kind);
        out.push(RegisterEntry {
            number: c.number.clone(),
            adopted_on: r.adopted_on,
            kind: rules.label.clone(),
            domain,
            chamber: rules.chamber.clone(),
            outcome: outcome_nl(&r.outcome).to_owned(),
        });
    }
    Ok(out)
}
