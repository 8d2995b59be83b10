//! The suspension ledger as it is read: every suspension of a case, oldest first. Kept apart
//! from the commands that write it (`suspension`), so the case's read model does not depend
//! on them.

use chrono::{DateTime, NaiveDate, Utc};

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::storage::entities::case_suspension;

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

/// A case's suspensions (as loaded with it), in order.
pub fn views_of(rows: &[case_suspension::Model]) -> Vec<SuspensionView> {
    rows.iter()
        .map(|s| SuspensionView {
            id: s.public_id,
            from: s.from_on,
            until: s.until_on,
            reason: s.reason.clone(),
            legal_basis: s.legal_basis.clone(),
            created_at: s.created_at,
        })
        .collect()
}
