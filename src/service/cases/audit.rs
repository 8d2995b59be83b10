//! A case's audit trail as its readers see it, with the chain checked on the way out.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    access::visible,
    trail::{entries, entry_of},
};
use crate::{
    domain::audit_chain,
    error::Result,
    service::{Actor, App},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub sequence: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
    pub organisation: Option<String>,
    pub action: String,
    pub subject: String,
    pub reason: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub previous_hash: String,
    pub hash: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditTrail {
    pub entries: Vec<AuditEntryView>,
    /// Whether the hash chain holds from the first entry to the last.
    pub intact: bool,
    /// When it does not: the first entry that breaks it.
    pub first_broken: Option<i64>,
}

pub async fn trail(app: &App, actor: &Actor, id: Uuid) -> Result<AuditTrail> {
    let c = visible(&app.db, actor, id).await?;
    let rows = entries(&app.db, c.case.id).await?;
    let chain: Vec<_> = rows.iter().cloned().map(entry_of).collect();
    let first_broken = match audit_chain::verify(&chain) {
        Ok(n) if n == c.case.version as u64 => None,
        Ok(n) => Some(n as i64 + 1),
        Err(b) => Some(b.sequence),
    };
    Ok(AuditTrail {
        entries: rows
            .into_iter()
            .map(|e| AuditEntryView {
                sequence: e.sequence,
                occurred_at: e.occurred_at,
                actor: e.actor,
                organisation: e.organisation,
                action: e.action,
                subject: e.subject,
                reason: e.reason,
                before: e.before,
                after: e.after,
                previous_hash: e.previous_hash,
                hash: e.hash,
            })
            .collect(),
        intact: first_broken.is_none(),
        first_broken,
    })
}
