//! A document as shown: its record, who submitted it, its place among versions, and whether
//! it was withdrawn. Lists show only what the caller may see.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    access_log::{self, Action},
    visibility::{Seen, visible_document},
};
use crate::{
    error::Result,
    service::{
        Actor, App,
        cases::{
            access::Loaded,
            lookup::{organisations_in, people_in},
            view::PersonView,
        },
    },
    storage::entities::document,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: Uuid,
    /// verzoekschrift, verweerschrift, repliek, dupliek, bewijsstuk, bemiddelingsverslag,
    /// proces_verbaal, uitspraak, geanonimiseerde_uitspraak
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
    /// The ZGW level: openbaar … zeer_geheim.
    pub confidentiality: String,
    /// partijen, commissie or bemiddeling.
    pub audience: String,
    /// The name the file was submitted under (metadata only).
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the bytes, in hex.
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
    pub uploaded_by: PersonView,
    /// The submitting organisation (none for the administrator).
    pub organisation: Option<Uuid>,
    /// The earlier version this one replaces.
    pub replaces: Option<Uuid>,
    /// The later version that replaces this one.
    pub replaced_by: Option<Uuid>,
    pub withdrawn: Option<Withdrawal>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Withdrawal {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// Builds the views of `docs` of the case `c`, looking up people, organisations and versions
/// once.
pub async fn views(db: &impl ConnectionTrait, c: &Loaded, docs: Vec<document::Model>) -> Result<Vec<DocumentView>> {
    let doc_ids: Vec<i32> = docs.iter().map(|d| d.id).collect();
    let linked: Vec<i32> = docs.iter().filter_map(|d| d.replaces_id).collect();
    // Versions on either side: what these replace, and what replaces these.
    let neighbours = document::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(document::Column::Id.is_in(linked))
                .add(document::Column::ReplacesId.is_in(doc_ids)),
        )
        .all(db)
        .await?;
    views_among(db, c, docs, &neighbours).await
}

/// All of a case's documents, oldest first; the caller filters what the reader may see.
pub async fn of_case(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<document::Model>> {
    Ok(document::Entity::find()
        .filter(document::Column::CaseId.eq(case_id))
        .order_by_asc(document::Column::Id)
        .all(db)
        .await?)
}

/// The views of the documents of `seen`'s case that `actor` may read, from all of its
/// documents read once (`all`, from [`of_case`]): versions stay within a case, so they are
/// found among them.
pub async fn visible_views(
    db: &impl ConnectionTrait,
    actor: &Actor,
    seen: &Seen,
    all: &[document::Model],
) -> Result<Vec<DocumentView>> {
    let docs = all.iter().filter(|d| seen.may_read(actor, d)).cloned().collect();
    views_among(db, &seen.case, docs, all).await
}

/// Builds the views of `docs`: their versions are found in `neighbours`; people and
/// organisations come from the case as loaded, others are read once for all.
async fn views_among(
    db: &impl ConnectionTrait,
    c: &Loaded,
    docs: Vec<document::Model>,
    neighbours: &[document::Model],
) -> Result<Vec<DocumentView>> {
    let users = people_in(db, c, docs.iter().map(|d| d.uploaded_by)).await?;
    let orgs = organisations_in(db, c, docs.iter().filter_map(|d| d.organisation_id)).await?;
    let public: HashMap<i32, Uuid> = neighbours.iter().map(|d| (d.id, d.public_id)).collect();
    let successor: HashMap<i32, Uuid> = neighbours
        .iter()
        .filter_map(|d| d.replaces_id.map(|r| (r, d.public_id)))
        .collect();
    Ok(docs
        .into_iter()
        .map(|d| {
            let by = users.get(&d.uploaded_by).cloned();
            DocumentView {
                id: d.public_id,
                kind: d.kind,
                title: d.title,
                description: d.description,
                confidentiality: d.confidentiality,
                audience: d.audience,
                file_name: d.file_name,
                content_type: d.content_type,
                size: d.size,
                sha256: d.sha256,
                uploaded_at: d.uploaded_at,
                uploaded_by: by.unwrap_or(PersonView {
                    id: Uuid::nil(),
                    display_name: String::new(),
                }),
                organisation: d.organisation_id.and_then(|o| orgs.get(&o)).map(|o| o.public_id),
                replaces: d.replaces_id.and_then(|r| public.get(&r).copied()),
                replaced_by: successor.get(&d.id).copied(),
                withdrawn: d.withdrawn_at.map(|at| Withdrawal {
                    at,
                    reason: d.withdrawal_reason.unwrap_or_default(),
                }),
            }
        })
        .collect())
}

/// The case's documents the caller may see, oldest first.
pub async fn list(app: &App, actor: &Actor, case_id: Uuid) -> Result<Vec<DocumentView>> {
    list_of(app, actor, &Seen::load(app, actor, case_id).await?).await
}

/// The same, for a case already loaded.
pub async fn list_of(app: &App, actor: &Actor, seen: &Seen) -> Result<Vec<DocumentView>> {
    visible_views(&app.db, actor, seen, &of_case(&app.db, seen.case.case.id).await?).await
}

/// One document's record; the view is logged.
pub async fn get(app: &App, actor: &Actor, case_id: Uuid, document_id: Uuid) -> Result<DocumentView> {
    let seen = Seen::load(app, actor, case_id).await?;
    let doc = visible_document(&app.db, actor, &seen, document_id).await?;
    access_log::record(&app.db, actor, &doc, Action::View, None).await?;
    Ok(views(&app.db, &seen.case, vec![doc]).await?.remove(0))
}
