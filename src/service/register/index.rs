//! What the register finds a published ruling by, kept in the transaction that publishes it:
//! its facets (the NvO agreements of its kind of dispute, the regions of its parties) and its
//! words for the full-text search — PostgreSQL indexes `publications.search_text` itself
//! (`to_tsvector('dutch', …)`), SQLite's FTS5 table `publications_fts` holds the stems
//! ([`crate::domain::search_words`]). Withholding a ruling takes it all away.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, Statement};

use crate::{
    domain::{OrganisationKind, dispute::DisputeKind, search_words},
    error::{Error, Result},
    service::{App, cases::regions},
    storage::entities::{case, case_party, organisation, publication, publication_facet},
};

pub const AGREEMENT: &str = "overeenkomst";
pub const REGION: &str = "regio";

/// What a case's ruling is filed under in the register: its chamber and its facets.
pub struct Filing {
    pub chamber: String,
    pub facets: Vec<(&'static str, String)>,
}

/// The chamber and agreements of the case's kind (from the reglement) and the regions its
/// parties stood in when it was filed: a party that is a region, and the regions a party was
/// a member of that day.
pub async fn filing(app: &App, c: &case::Model) -> Result<Filing> {
    let kind = DisputeKind::parse(&c.kind).ok_or_else(|| Error::internal(format!("kind {}", c.kind)))?;
    let rules = app.reglement.kind(kind);
    let mut facets: Vec<(&'static str, String)> = rules.agreements.iter().map(|n| (AGREEMENT, n.to_string())).collect();
    let parties: Vec<i32> = case_party::Entity::find()
        .filter(case_party::Column::CaseId.eq(c.id))
        .all(&app.db)
        .await?
        .into_iter()
        .map(|p| p.organisation_id)
        .collect();
    let on: NaiveDate = c
        .submitted_at
        .unwrap_or(c.created_at)
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    let mut region_ids: BTreeSet<i32> = regions::memberships(&app.db, &parties, on)
        .await?
        .into_values()
        .flatten()
        .collect();
    region_ids.extend(parties.iter().copied());
    let names: BTreeSet<String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(region_ids))
        .all(&app.db)
        .await?
        .into_iter()
        .filter(|o| OrganisationKind::parse(&o.kind).is_some_and(OrganisationKind::is_region))
        .map(|o| o.name)
        .collect();
    facets.extend(names.into_iter().map(|n| (REGION, n)));
    Ok(Filing {
        chamber: rules.chamber.clone(),
        facets,
    })
}

/// Files a published ruling under its facets and words (after taking away what it was filed
/// under before).
pub async fn put(db: &impl ConnectionTrait, row: &publication::Model, facets: &[(&'static str, String)]) -> Result<()> {
    remove(db, row.case_id).await?;
    if !facets.is_empty() {
        publication_facet::Entity::insert_many(facets.iter().map(|(facet, value)| publication_facet::ActiveModel {
            facet: Set((*facet).to_owned()),
            value: Set(value.clone()),
            case_id: Set(row.case_id),
        }))
        .exec_without_returning(db)
        .await?;
    }
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        let stems = search_words::stems(&row.search_text).join(" ");
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            "INSERT INTO publications_fts (rowid, stems) VALUES (?, ?)",
            [row.case_id.into(), stems.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Takes a ruling out of the register's facets and search.
pub async fn remove(db: &impl ConnectionTrait, case_id: i32) -> Result<()> {
    publication_facet::Entity::delete_many()
        .filter(publication_facet::Column::CaseId.eq(case_id))
        .exec(db)
        .await?;
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            "DELETE FROM publications_fts WHERE rowid = ?",
            [case_id.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Files the rulings published before the register had facets and search (their
/// `search_text` is empty): run at start-up; once done, it finds nothing to do.
pub async fn index_missing(app: &App) -> Result<usize> {
    let rows = publication::Entity::find()
        .filter(publication::Column::SearchText.eq(""))
        .filter(publication::Column::PublishedAt.is_not_null())
        .all(&app.db)
        .await?;
    let mut done = 0;
    for mut row in rows {
        let Some(c) = case::Entity::find_by_id(row.case_id).one(&app.db).await? else {
            continue;
        };
        let filing = filing(app, &c).await?;
        row.search_text = search_words::plain(super::public_text(&row).unwrap_or_default());
        row.chamber = filing.chamber.clone();
        let update = publication::ActiveModel {
            case_id: sea_orm::ActiveValue::Unchanged(row.case_id),
            search_text: Set(row.search_text.clone()),
            chamber: Set(row.chamber.clone()),
            ..Default::default()
        };
        publication::Entity::update(update).exec(&app.db).await?;
        put(&app.db, &row, &filing.facets).await?;
        done += 1;
    }
    Ok(done)
}
