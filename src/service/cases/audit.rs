//! A case's audit trail as its readers see it, with the chain checked on the way out.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use std::collections::HashSet;

use super::{
    rulebook,
    trail::{entries, entry_of},
};
use crate::{
    domain::{audit_chain, rules::Action},
    error::Result,
    service::{
        Actor, App,
        documents::{view::of_case, visibility::Seen},
    },
    storage::entities::document,
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

/// The document an entry is about, if any.
fn document_of(e: &crate::storage::entities::case_audit_entry::Model) -> Option<Uuid> {
    [&e.after, &e.before]
        .into_iter()
        .flatten()
        .find_map(|v| v.get("document")?.as_str()?.parse().ok())
}

/// The trail as `actor` may read it. The chain is checked over every entry, but an entry
/// about a document the reader may not see (a mediation document before its release, a
/// document for the commission alone) is left out: its id, type, audience, hash and size
/// are the document's, not the reader's.
pub async fn trail(app: &App, actor: &Actor, id: Uuid) -> Result<AuditTrail> {
    trail_of(app, actor, &Seen::load(app, actor, id).await?).await
}

/// The same, for a case already loaded.
pub async fn trail_of(app: &App, actor: &Actor, seen: &Seen) -> Result<AuditTrail> {
    let documents = of_case(&app.db, seen.case.case.id).await?;
    trail_among(app, actor, seen, &documents).await
}

/// The same, with the case's documents already read (all of them, from
/// [`of_case`]).
pub async fn trail_among(app: &App, actor: &Actor, seen: &Seen, documents: &[document::Model]) -> Result<AuditTrail> {
    rulebook::check(app, actor, &seen.case, Action::ReadAudit)?;
    let c = &seen.case;
    let rows = entries(&app.db, c.case.id).await?;
    let hidden: HashSet<Uuid> = documents
        .iter()
        .filter(|d| !seen.may_read(actor, d))
        .map(|d| d.public_id)
        .collect();
    let chain: Vec<_> = rows.iter().cloned().map(entry_of).collect();
    let first_broken = match audit_chain::verify(&chain) {
        Ok(n) if n == c.case.version as u64 => None,
        Ok(n) => Some(n as i64 + 1),
        Err(b) => Some(b.sequence),
    };
    Ok(AuditTrail {
        entries: rows
            .into_iter()
            .filter(|e| document_of(e).is_none_or(|d| !hidden.contains(&d)))
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
