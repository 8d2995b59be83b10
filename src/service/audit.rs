//! The audit log of administrative changes: who, when, what, before and after. Written in the
//! same transaction as the change it describes, so neither exists without the other.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use serde_json::Value;
use uuid::Uuid;

use super::Actor;
use crate::{error::Result, storage::entities::audit_event};

pub struct Change<'a> {
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<Uuid>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub reason: Option<String>,
}

impl<'a> Change<'a> {
    /// A change of kind `action` to the `subject_type` with public id `subject_id`.
    pub fn of(action: &'a str, subject_type: &'a str, subject_id: Uuid) -> Self {
        Change {
            action,
            subject_type,
            subject_id: Some(subject_id),
            before: None,
            after: None,
            reason: None,
        }
    }
    pub fn before(mut self, value: Value) -> Self {
        self.before = Some(value);
        self
    }
    pub fn after(mut self, value: Value) -> Self {
        self.after = Some(value);
        self
    }
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

/// Records a change. `actor` is `None` for the system itself (first start, seeding, CLI).
pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    system_label: &str,
    change: Change<'_>,
) -> Result<()> {
    audit_event::ActiveModel {
        public_id: Set(Uuid::new_v4()),
        occurred_at: Set(chrono::Utc::now()),
        actor_user_id: Set(actor.map(|a| a.internal_id)),
        actor: Set(actor.map_or_else(|| system_label.to_owned(), Actor::label)),
        action: Set(change.action.to_owned()),
        subject_type: Set(change.subject_type.to_owned()),
        subject_id: Set(change.subject_id),
        before: Set(change.before),
        after: Set(change.after),
        reason: Set(change.reason),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
