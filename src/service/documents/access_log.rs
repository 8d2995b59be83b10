//! The access log NEN 7513 asks for: every view of a document's record and every download of
//! its bytes, with who, when, which document and for which organisation. Rows are only ever
//! added. The secretary and the organisation that submitted the document may read it.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::visibility::{Seen, visible_document};
use crate::{
    domain::rules::Action as Rule,
    error::Result,
    service::{
        Actor, App,
        cases::lookup::{organisations_by_id, people_by_id},
        now,
    },
    storage::entities::{document, document_access},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    View,
    Download,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::View => "view",
            Action::Download => "download",
        }
    }
}

pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    doc: &document::Model,
    action: Action,
    range: Option<String>,
) -> Result<()> {
    document_access::Entity::insert(document_access::ActiveModel {
        id: NotSet,
        document_id: Set(doc.id),
        case_id: Set(doc.case_id),
        user_id: Set(actor.internal_id),
        organisation_id: Set(actor.organisation.as_ref().map(|o| o.internal_id)),
        action: Set(action.as_str().to_owned()),
        byte_range: Set(range),
        at: Set(now()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessEntry {
    pub at: DateTime<Utc>,
    /// view (the record) or download (the bytes).
    pub action: String,
    /// For a partial download: the bytes sent, as `first-last`.
    pub byte_range: Option<String>,
    pub user: Uuid,
    pub user_name: String,
    pub organisation: Option<Uuid>,
    pub organisation_name: Option<String>,
}

/// Who viewed or downloaded the document, oldest first.
pub async fn entries(app: &App, actor: &Actor, case_id: Uuid, document_id: Uuid) -> Result<Vec<AccessEntry>> {
    let seen = Seen::load(app, actor, case_id).await?;
    let doc = visible_document(&app.db, actor, &seen, document_id).await?;
    seen.check(Rule::ReadAccessLog {
        own: super::visibility::owns(actor, &doc),
    })?;
    let rows = document_access::Entity::find()
        .filter(document_access::Column::DocumentId.eq(doc.id))
        .order_by_asc(document_access::Column::Id)
        .all(&app.db)
        .await?;
    let users = people_by_id(&app.db, rows.iter().map(|r| r.user_id)).await?;
    let orgs = organisations_by_id(&app.db, rows.iter().filter_map(|r| r.organisation_id)).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let u = users.get(&r.user_id);
            let o = r.organisation_id.and_then(|id| orgs.get(&id));
            AccessEntry {
                at: r.at,
                action: r.action,
                byte_range: r.byte_range,
                user: u.map(|u| u.id).unwrap_or_default(),
                user_name: u.map(|u| u.display_name.clone()).unwrap_or_default(),
                organisation: o.map(|o| o.public_id),
                organisation_name: o.map(|o| o.name.clone()),
            }
        })
        .collect())
}
