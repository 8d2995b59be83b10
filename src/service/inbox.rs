//! Each person's inbox: reminders and signals about terms, newest first.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    Actor, App, now,
    organisations::{MAX_PAGE, Page},
};
use crate::{
    error::{Error, FieldError, Result},
    storage::entities::{case, notification},
};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxFilter {
    /// Only unread notifications (`true`).
    pub unread: Option<bool>,
    pub cursor: Option<Uuid>,
    /// 1–200 (default 50).
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Uuid,
    /// `herinnering` (before a term's last day) or `verlopen` (the term has passed).
    pub kind: String,
    pub title: String,
    pub body: String,
    /// The case it is about.
    pub case: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

pub async fn list(app: &App, actor: &Actor, filter: InboxFilter) -> Result<Page<NotificationView>> {
    let limit = filter.limit.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(Error::Validation(vec![FieldError::new(
            "limit",
            "must be from 1 to 200",
        )]));
    }
    let mut q = notification::Entity::find().filter(notification::Column::UserId.eq(actor.internal_id));
    if filter.unread == Some(true) {
        q = q.filter(notification::Column::ReadAt.is_null());
    }
    if let Some(cursor) = filter.cursor {
        let at = notification::Entity::find()
            .filter(notification::Column::PublicId.eq(cursor))
            .filter(notification::Column::UserId.eq(actor.internal_id))
            .one(&app.db)
            .await?
            .ok_or_else(|| Error::Validation(vec![FieldError::new("cursor", "is not a cursor from this list")]))?;
        q = q.filter(notification::Column::Id.lt(at.id));
    }
    let mut rows = q
        .order_by_desc(notification::Column::Id)
        .limit(limit + 1)
        .all(&app.db)
        .await?;
    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.public_id.to_string())
    } else {
        None
    };
    let case_ids: Vec<i32> = rows.iter().filter_map(|r| r.case_id).collect();
    let cases: std::collections::HashMap<i32, Uuid> = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .column(case::Column::PublicId)
        .filter(case::Column::Id.is_in(case_ids))
        .into_tuple::<(i32, Uuid)>()
        .all(&app.db)
        .await?
        .into_iter()
        .collect();
    let items = rows
        .into_iter()
        .map(|n| NotificationView {
            id: n.public_id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            case: n.case_id.and_then(|c| cases.get(&c).copied()),
            created_at: n.created_at,
            read_at: n.read_at,
        })
        .collect();
    Ok(Page { items, next_cursor })
}

/// Marks one of the caller's notifications read (another person's is 404).
pub async fn mark_read(app: &App, actor: &Actor, id: Uuid) -> Result<()> {
    let updated = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Some(now()).into())
        .filter(notification::Column::PublicId.eq(id))
        .filter(notification::Column::UserId.eq(actor.internal_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(&app.db)
        .await?;
    if updated.rows_affected == 0 {
        let exists = notification::Entity::find()
            .filter(notification::Column::PublicId.eq(id))
            .filter(notification::Column::UserId.eq(actor.internal_id))
            .one(&app.db)
            .await?;
        if exists.is_none() {
            return Err(Error::NotFound("notification"));
        }
    }
    Ok(())
}
