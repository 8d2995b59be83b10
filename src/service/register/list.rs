//! The register's list: published rulings, newest publication first, a page at a time,
//! narrowed by the full-text search and the filters. It walks `publications_published` in the
//! order it returns; a search is answered by the database's own index (PostgreSQL's GIN index
//! on the Dutch `tsvector`, SQLite's FTS5 table), a facet by `publication_facets`.

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, DatabaseBackend, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, Query},
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{
    Published,
    index::{AGREEMENT, REGION},
    outcome_nl, published, view,
};
use crate::{
    domain::{dispute::DisputeKind, search_words::Search},
    error::{Result, invalid_field},
    service::{App, organisations::Page},
    storage::entities::{publication, publication_facet},
};

/// The register's search and filters.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
pub struct RegisterQuery {
    /// Words that must all occur in the public text, in any inflection (Dutch stemming;
    /// common words such as "de" are left out).
    pub q: Option<String>,
    /// The kind of dispute (`binnen_regio`, …).
    pub kind: Option<String>,
    /// The outcome (`gegrond`, …).
    pub outcome: Option<String>,
    /// The year of the ruling.
    pub year: Option<i32>,
    /// The number of the NvO agreement at stake (1–8).
    pub agreement: Option<u8>,
    /// The chamber of the commission (e.g. `Woonplaatsbeginsel`).
    pub chamber: Option<String>,
    /// A region a party stood in (its name).
    pub region: Option<String>,
    /// At most this many (1–100, default 50).
    pub limit: Option<u64>,
    /// From a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

fn with_facet(facet: &'static str, value: String) -> Condition {
    Condition::all().add(
        publication::Column::CaseId.in_subquery(
            Query::select()
                .column(publication_facet::Column::CaseId)
                .from(publication_facet::Entity)
                .and_where(publication_facet::Column::Facet.eq(facet))
                .and_where(publication_facet::Column::Value.eq(value))
                .to_owned(),
        ),
    )
}

/// The search as a condition on `publications`, in the database's own full-text search.
fn matching(backend: DatabaseBackend, s: &Search) -> Condition {
    let expr = match backend {
        DatabaseBackend::Postgres => {
            Expr::cust_with_values("search_vector @@ plainto_tsquery('dutch', $1)", [s.plain.clone()])
        }
        _ => Expr::cust_with_values(
            "case_id IN (SELECT rowid FROM publications_fts WHERE publications_fts MATCH ?)",
            [s.fts5()],
        ),
    };
    Condition::all().add(expr)
}

/// Reads the search and the filters into one condition; an unknown value is a 400 naming it.
fn conditions(app: &App, q: &RegisterQuery) -> Result<Condition> {
    let mut c = published();
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let s = Search::parse(text).ok_or_else(|| {
            invalid_field(
                "q",
                "holds no word to search for (common words such as 'de' do not count)",
                "Geef een woord om op te zoeken; woorden als 'de' en 'het' tellen niet mee.",
            )
        })?;
        c = c.add(matching(app.db.get_database_backend(), &s));
    }
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
    if let Some(n) = q.agreement {
        if !app.reglement.agreements.contains_key(&n) {
            return Err(invalid_field(
                "agreement",
                "is not an agreement of the NvO",
                "Kies een afspraak uit de NvO (1 tot en met 8).",
            ));
        }
        c = c.add(with_facet(AGREEMENT, n.to_string()));
    }
    if let Some(ch) = q.chamber.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if !app.reglement.chambers().contains(&ch) {
            return Err(invalid_field(
                "chamber",
                "is not a chamber of the commission",
                "Onbekende kamer.",
            ));
        }
        c = c.add(publication::Column::Chamber.eq(ch));
    }
    if let Some(r) = q.region.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        c = c.add(with_facet(REGION, r.to_owned()));
    }
    Ok(c)
}

/// Published rulings, newest publication first, searched and filtered; a page at a time (the
/// cursor is the last one's publication time and case).
pub async fn list(app: &App, q: RegisterQuery) -> Result<Page<Published>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(invalid_field(
            "limit",
            "must be 1 to 100",
            "Kies een aantal van 1 tot en met 100.",
        ));
    }
    let mut c = conditions(app, &q)?;
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
    // The page's ids first, then their rows: where the search finds many rulings, SQLite
    // reads the matches from FTS5 and sorts them, and sorting whole rows (the public text
    // with them) took 36 ms p50 for a word in each of 10,000 rulings; sorting the two keys is cheap.
    let ids: Vec<i32> = publication::Entity::find()
        .select_only()
        .column(publication::Column::CaseId)
        .filter(c)
        .order_by_desc(publication::Column::PublishedAt)
        .order_by_desc(publication::Column::CaseId)
        .limit(limit + 1)
        .into_tuple()
        .all(&app.db)
        .await?;
    let mut found = publication::Entity::find()
        .filter(publication::Column::CaseId.is_in(ids.clone()))
        .filter(published())
        .all(&app.db)
        .await?;
    found.sort_by_key(|r| ids.iter().position(|id| *id == r.case_id));
    let rows = found;
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

/// The regions the register can be filtered by: those of published rulings, by name.
pub async fn regions(app: &App) -> Result<Vec<String>> {
    let rows: Vec<String> = publication_facet::Entity::find()
        .select_only()
        .column(publication_facet::Column::Value)
        .filter(publication_facet::Column::Facet.eq(REGION))
        .distinct()
        .order_by_asc(publication_facet::Column::Value)
        .into_tuple()
        .all(&app.db)
        .await?;
    Ok(rows)
}
