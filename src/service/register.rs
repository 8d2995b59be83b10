//! The public register of rulings (`/uitspraken`, `GET /api/v1/rulings`): every ruling the
//! secretary published — in full or as a summary — and nothing else. What it shows comes only
//! from the publication's own row (the reviewed public text), never from the case: a public
//! page cannot show what was not reviewed.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{App, organisations::Page};
use crate::{
    domain::dispute::DisputeKind,
    error::{Error, Result, invalid_field},
    storage::entities::publication,
};

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

/// A published ruling as the register lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Published {
    /// The case number: the ruling's identifier and its address (`/uitspraken/{number}`).
    pub number: String,
    /// The day the ruling (its current version) was adopted.
    pub date: NaiveDate,
    pub kind: DisputeKind,
    /// `gegrond`, `deels_gegrond`, `ongegrond` or `niet_ontvankelijk`.
    pub outcome: String,
    /// `volledig` (the whole anonymised text) or `samenvatting` (a summary only).
    pub publication: String,
    pub published_at: chrono::DateTime<chrono::Utc>,
    /// The public text: the anonymised ruling, or the summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Published {
    pub fn outcome_nl(&self) -> &'static str {
        outcome_nl(&self.outcome)
    }
}

/// The register's filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct RegisterQuery {
    /// The kind of dispute (`binnen_regio`, …).
    pub kind: Option<String>,
    /// The outcome (`gegrond`, …).
    pub outcome: Option<String>,
    /// The year of the ruling.
    pub year: Option<i32>,
    /// At most this many (1–100, default 50).
    pub limit: Option<u64>,
    /// From a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

fn published() -> Condition {
    Condition::all()
        .add(publication::Column::PublishedAt.is_not_null())
        .add(publication::Column::Status.is_in(["volledig", "samenvatting"]))
}

fn view(p: publication::Model, with_text: bool) -> Result<Published> {
    let text = match p.status.as_str() {
        "samenvatting" => p.summary.clone(),
        _ => Some(p.text.clone()),
    };
    Ok(Published {
        kind: DisputeKind::parse(&p.kind).ok_or_else(|| Error::internal(format!("kind {}", p.kind)))?,
        number: p.number,
        date: p.ruled_on,
        outcome: p.outcome,
        publication: p.status,
        published_at: p
            .published_at
            .ok_or_else(|| Error::internal("published without a date"))?,
        text: text.filter(|_| with_text),
    })
}

/// Published rulings, newest publication first, filtered; a page at a time (the cursor is
/// the last one's publication time and case), walking `publications_published`.
pub async fn list(app: &App, q: RegisterQuery) -> Result<Page<Published>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(invalid_field(
            "limit",
            "must be 1 to 100",
            "Kies een aantal van 1 tot en met 100.",
        ));
    }
    let mut c = published();
    if let Some(k) = &q.kind {
        let kind = DisputeKind::parse(k)
            .ok_or_else(|| invalid_field("kind", "is not a kind of dispute", "Onbekende soort geschil."))?;
        c = c.add(publication::Column::Kind.eq(kind.as_str()));
    }
    if let Some(o) = &q.outcome {
        if outcome_nl(o) == "Onbekend" {
            return Err(invalid_field("outcome", "is not an outcome", "Onbekende uitkomst."));
        }
        c = c.add(publication::Column::Outcome.eq(o.as_str()));
    }
    if let Some(y) = q.year {
        let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y + 1, 1, 1)) else {
            return Err(invalid_field("year", "is not a year", "Geen geldig jaar."));
        };
        c = c
            .add(publication::Column::RuledOn.gte(from))
            .add(publication::Column::RuledOn.lt(to));
    }
    if let Some(cursor) = &q.cursor {
        let (at, case) = cursor
            .split_once('_')
            .and_then(|(t, id)| {
                Some((
                    chrono::DateTime::parse_from_rfc3339(t).ok()?.to_utc(),
                    id.parse::<i32>().ok()?,
                ))
            })
            .ok_or_else(|| {
                invalid_field(
                    "cursor",
                    "is not a cursor of this list",
                    "Deze vervolgpagina bestaat niet.",
                )
            })?;
        c = c.add(
            Condition::any().add(publication::Column::PublishedAt.lt(at)).add(
                publication::Column::PublishedAt
                    .eq(at)
                    .and(publication::Column::CaseId.lt(case)),
            ),
        );
    }
    let rows = publication::Entity::find()
        .filter(c)
        .order_by_desc(publication::Column::PublishedAt)
        .order_by_desc(publication::Column::CaseId)
        .limit(limit + 1)
        .all(&app.db)
        .await?;
    let more = rows.len() as u64 > limit;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = more
        .then(|| {
            rows.last()
                .and_then(|r| Some(format!("{}_{}", r.published_at?.to_rfc3339(), r.case_id)))
        })
        .flatten();
    Ok(Page {
        items: rows.into_iter().map(|r| view(r, false)).collect::<Result<_>>()?,
        next_cursor,
    })
}

/// One published ruling with its public text (404 unless published).
pub async fn get(app: &App, number: &str) -> Result<Published> {
    view(published_row(app, number).await?, true)
}

async fn published_row(app: &App, number: &str) -> Result<publication::Model> {
    publication::Entity::find()
        .filter(publication::Column::Number.eq(number))
        .filter(published())
        .one(&app.db)
        .await?
        .ok_or(Error::NotFound("published ruling"))
}

/// The published ruling as a PDF, typeset from its anonymised text with the same template
/// as the parties' document (only for a ruling published in full).
pub async fn pdf(app: &App, number: &str) -> Result<Vec<u8>> {
    let row = published_row(app, number).await?;
    if row.status != "volledig" {
        return Err(Error::NotFound("published ruling text"));
    }
    let data: serde_json::Value = serde_json::from_str(&row.public_data).map_err(Error::internal)?;
    let (day, ident) = (row.ruled_on, format!("openbaar-{}", row.number));
    tokio::task::spawn_blocking(move || crate::typeset::pdf(&super::rulings::issue::TEMPLATE, &data, day, &ident))
        .await
        .map_err(Error::internal)?
        .map_err(Error::internal)
}
