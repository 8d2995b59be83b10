//! The suspension ledger as it is read: every suspension of a case, oldest first. Kept apart
//! from the commands that write it (`suspension`), so the case's read model does not depend
//! on them.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{error::Result, storage::entities::case_suspension};

#[derive(Debug, Serialize, ToSchema)]
pub struct SuspensionView {
    pub id: Uuid,
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    /// Empty while the case is suspended.
    #[schema(value_type = Option<String>, format = Date)]
    pub until: Option<NaiveDate>,
    pub reason: String,
    pub legal_basis: String,
    pub created_at: DateTime<Utc>,
}

pub async fn of_case(db: &impl sea_orm::ConnectionTrait, case_id: i32) -> Result<Vec<SuspensionView>> {
    Ok(case_suspension::Entity::find()
        .filter(case_suspension::Column::CaseId.eq(case_id))
        .order_by_asc(case_suspension::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SuspensionView {
            id: s.public_id,
            from: s.from_on,
            until: s.until_on,
            reason: s.reason,
            legal_basis: s.legal_basis,
            created_at: s.created_at,
        })
        .collect())
}
