//! The public register of rulings (`/uitspraken`, `GET /api/v1/rulings`): every ruling the
//! secretary published — in full or as a summary — and nothing else. What it shows comes only
//! from the publication's own row (the reviewed public text), never from the case: a public
//! page cannot show what was not reviewed.

pub mod challenge;
pub mod index;
mod list;

pub use list::{RegisterQuery, list, regions};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

use super::App;
use crate::{
    domain::dispute::DisputeKind,
    error::{Error, Result},
    storage::entities::{publication, publication_facet, ruling},
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
    /// The chamber of the commission that heard it.
    pub chamber: String,
    /// The public text: the anonymised ruling, or the summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Published {
    pub fn outcome_nl(&self) -> &'static str {
        outcome_nl(&self.outcome)
    }
}

/// What the register shows of a publication: the anonymised text, or the summary.
pub fn public_text(p: &publication::Model) -> Option<&str> {
    match p.status.as_str() {
        "samenvatting" => p.summary.as_deref(),
        _ => Some(p.text.as_str()),
    }
}

fn published() -> Condition {
    Condition::all()
        .add(publication::Column::PublishedAt.is_not_null())
        .add(publication::Column::Status.is_in(["volledig", "samenvatting"]))
}

fn view(p: publication::Model, with_text: bool) -> Result<Published> {
    let text = public_text(&p).map(str::to_owned);
    Ok(Published {
        kind: DisputeKind::parse(&p.kind).ok_or_else(|| Error::internal(format!("kind {}", p.kind)))?,
        number: p.number,
        date: p.ruled_on,
        outcome: p.outcome,
        publication: p.status,
        chamber: p.chamber,
        published_at: p
            .published_at
            .ok_or_else(|| Error::internal("published without a date"))?,
        text: text.filter(|_| with_text),
    })
}

/// An NvO agreement a ruling is filed under.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementRef {
    pub number: u8,
    pub text: String,
}

/// One published ruling as its own page shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedRuling {
    #[serde(flatten)]
    pub ruling: Published,
    /// The NvO agreements at stake in its kind of dispute.
    pub agreements: Vec<AgreementRef>,
    /// The regions its parties stood in when it was filed.
    pub regions: Vec<String>,
    /// When this is a corrected version (verbetering): the day the correction was adopted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected_on: Option<NaiveDate>,
    /// Whether the commission corrected the ruling after this version was published (the
    /// corrected version's public text is being reviewed).
    pub newer_version: bool,
    /// A challenge of the ruling in court (art. 7:904 BW), with its outcome.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge: Option<challenge::ChallengeView>,
    /// Other published rulings on the same NvO agreements, newest first (at most 5).
    pub related: Vec<Published>,
}

/// One published ruling with its public text, what it is filed under, its history and the
/// rulings related to it (404 unless published).
pub async fn get(app: &App, number: &str) -> Result<PublishedRuling> {
    let row = published_row(app, number).await?;
    let case_id = row.case_id;
    let facets = publication_facet::Entity::find()
        .filter(publication_facet::Column::CaseId.eq(case_id))
        .all(&app.db)
        .await?;
    let of = |facet: &str| -> Vec<String> {
        facets
            .iter()
            .filter(|f| f.facet == facet)
            .map(|f| f.value.clone())
            .collect()
    };
    let numbers: Vec<String> = of(index::AGREEMENT);
    let agreements = numbers
        .iter()
        .filter_map(|n| n.parse::<u8>().ok())
        .map(|n| AgreementRef {
            number: n,
            text: app.reglement.agreements.get(&n).cloned().unwrap_or_default(),
        })
        .collect();
    let version = ruling::Entity::find_by_id(row.ruling_id)
        .one(&app.db)
        .await?
        .ok_or(Error::NotFound("ruling"))?;
    let newer_version = ruling::Entity::find()
        .filter(ruling::Column::CorrectsId.eq(row.ruling_id))
        .one(&app.db)
        .await?
        .is_some();
    let related = related(app, case_id, numbers).await?;
    Ok(PublishedRuling {
        regions: of(index::REGION),
        agreements,
        corrected_on: version.corrects_id.map(|_| version.adopted_on),
        newer_version,
        challenge: challenge::public(app, case_id).await?,
        related,
        ruling: view(row, true)?,
    })
}

/// The newest published rulings (at most 5) filed under any of these agreements, but this one.
async fn related(app: &App, case_id: i32, agreements: Vec<String>) -> Result<Vec<Published>> {
    if agreements.is_empty() {
        return Ok(Vec::new());
    }
    let rows = publication::Entity::find()
        .filter(published())
        .filter(publication::Column::CaseId.ne(case_id))
        .filter(
            publication::Column::CaseId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(publication_facet::Column::CaseId)
                    .from(publication_facet::Entity)
                    .and_where(publication_facet::Column::Facet.eq(index::AGREEMENT))
                    .and_where(publication_facet::Column::Value.is_in(agreements))
                    .to_owned(),
            ),
        )
        .order_by_desc(publication::Column::PublishedAt)
        .order_by_desc(publication::Column::CaseId)
        .limit(5)
        .all(&app.db)
        .await?;
    rows.into_iter().map(|r| view(r, false)).collect()
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
