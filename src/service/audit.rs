//! The service's audit log of administrative changes (users, organisations, affiliations,
//! ruling drafts): who, when, what, before and after. Written in the same transaction as the
//! change it describes, so neither exists without the other, and hash-chained like a case's
//! trail (`domain::audit_chain`): one chain for the whole log, whose last link is kept in
//! `audit_log_head`. Each writer first raises the head's sequence, which serialises writers
//! (a row lock on PostgreSQL, the write lock on SQLite), so the chain never forks; a unique
//! index on the sequence refuses a fork even so.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde_json::Value;
use uuid::Uuid;

use super::{Actor, cases::trail::truncate_to_micros};
use crate::{
    domain::audit_chain::{self, Entry, EntryContent},
    error::{Error, Result},
    storage::entities::{audit_event, audit_log_head},
};

const HEAD: i32 = 1;

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
    let (sequence, previous_hash) = take_head(db).await?;
    let mut event = audit_event::Model {
        id: 0,
        public_id: Uuid::new_v4(),
        occurred_at: truncate_to_micros(chrono::Utc::now()),
        actor_user_id: actor.map(|a| a.internal_id),
        actor: actor.map_or_else(|| system_label.to_owned(), Actor::label),
        action: change.action.to_owned(),
        subject_type: change.subject_type.to_owned(),
        subject_id: change.subject_id,
        before: change.before,
        after: change.after,
        reason: change.reason,
        sequence: Some(sequence),
        previous_hash: Some(previous_hash.clone()),
        hash: None,
    };
    let hash = audit_chain::hash(&previous_hash, &content_of(&event, sequence));
    event.hash = Some(hash.clone());
    let mut row: audit_event::ActiveModel = event.into();
    row.id = sea_orm::ActiveValue::NotSet;
    row.insert(db).await?;
    set_head(db, &hash).await
}

/// Raises the head's sequence (taking its lock) and answers the new sequence and the hash
/// of the event before it.
async fn take_head(db: &impl ConnectionTrait) -> Result<(i64, String)> {
    audit_log_head::Entity::update_many()
        .col_expr(
            audit_log_head::Column::Sequence,
            Expr::col(audit_log_head::Column::Sequence).add(1),
        )
        .filter(audit_log_head::Column::Id.eq(HEAD))
        .exec(db)
        .await?;
    let head = audit_log_head::Entity::find_by_id(HEAD)
        .one(db)
        .await?
        .ok_or_else(|| Error::internal("the audit log has no head"))?;
    Ok((head.sequence, head.hash))
}

async fn set_head(db: &impl ConnectionTrait, hash: &str) -> Result<()> {
    audit_log_head::Entity::update_many()
        .col_expr(audit_log_head::Column::Hash, Expr::value(hash))
        .filter(audit_log_head::Column::Id.eq(HEAD))
        .exec(db)
        .await?;
    Ok(())
}

/// What the chain covers of an event: everything but its row id and its public id's use as
/// a handle; the subject is named by its type and id.
fn content_of(e: &audit_event::Model, sequence: i64) -> EntryContent {
    EntryContent {
        sequence,
        occurred_at: e.occurred_at,
        actor: e.actor.clone(),
        organisation: None,
        action: e.action.clone(),
        subject: match e.subject_id {
            Some(id) => format!("{} {id}", e.subject_type),
            None => e.subject_type.clone(),
        },
        reason: e.reason.clone(),
        before: e.before.clone(),
        after: e.after.clone(),
    }
}

/// An event as a link of the chain; an event never chained has no place in it.
pub fn entry_of(e: audit_event::Model) -> Entry {
    let sequence = e.sequence.unwrap_or(0);
    Entry {
        content: content_of(&e, sequence),
        previous_hash: e.previous_hash.unwrap_or_default(),
        hash: e.hash.unwrap_or_default(),
    }
}

/// Chains the events written before the log was chained (oldest first), once; idempotent
/// and safe on several nodes at once (each event is chained under the head's lock).
pub async fn chain_unchained(db: &impl sea_orm::TransactionTrait) -> Result<u64> {
    let mut chained = 0;
    loop {
        let done = db
            .transaction::<_, bool, Error>(|tx| {
                Box::pin(async move {
                    let Some(e) = audit_event::Entity::find()
                        .filter(audit_event::Column::Sequence.is_null())
                        .order_by_asc(audit_event::Column::Id)
                        .one(tx)
                        .await?
                    else {
                        return Ok(true);
                    };
                    let (sequence, previous_hash) = take_head(tx).await?;
                    let at = truncate_to_micros(e.occurred_at);
                    let e = audit_event::Model { occurred_at: at, ..e };
                    let hash = audit_chain::hash(&previous_hash, &content_of(&e, sequence));
                    audit_event::Entity::update_many()
                        .col_expr(audit_event::Column::OccurredAt, Expr::value(at))
                        .col_expr(audit_event::Column::Sequence, Expr::value(sequence))
                        .col_expr(audit_event::Column::PreviousHash, Expr::value(previous_hash))
                        .col_expr(audit_event::Column::Hash, Expr::value(hash.clone()))
                        .filter(audit_event::Column::Id.eq(e.id))
                        .filter(audit_event::Column::Sequence.is_null())
                        .exec(tx)
                        .await?;
                    set_head(tx, &hash).await?;
                    Ok(false)
                })
            })
            .await
            .map_err(Error::from)?;
        if done {
            return Ok(chained);
        }
        chained += 1;
    }
}

/// The first event of the service's log that breaks its chain, if any: `(sequence, why)`.
/// The log must end where its head says, so a removed last event is found too. Read in
/// pages, so memory stays flat.
pub async fn verify(db: &impl ConnectionTrait) -> Result<(u64, Option<(i64, String)>)> {
    const PAGE: u64 = 5_000;
    let head = audit_log_head::Entity::find_by_id(HEAD)
        .one(db)
        .await?
        .ok_or_else(|| Error::internal("the audit log has no head"))?;
    let mut previous: Option<Entry> = None;
    let mut count: u64 = 0;
    loop {
        let mut q = audit_event::Entity::find().order_by_asc(audit_event::Column::Sequence);
        q = match &previous {
            None => q,
            Some(p) => q.filter(audit_event::Column::Sequence.gt(p.content.sequence)),
        };
        let rows = q.limit(PAGE).all(db).await?;
        let page_len = rows.len() as u64;
        let entries: Vec<Entry> = rows.into_iter().map(entry_of).collect();
        // Each page continues from the last link of the page before.
        if let Err(b) = audit_chain::verify_after(previous.as_ref(), &entries) {
            return Ok((count, Some((b.sequence, b.why.to_owned()))));
        }
        count += page_len;
        if let Some(last) = entries.last() {
            previous = Some(last.clone());
        }
        if page_len < PAGE {
            break;
        }
    }
    let last = previous.as_ref().map_or(0, |p| p.content.sequence);
    let head_hash = previous.as_ref().map_or(audit_chain::GENESIS, |p| p.hash.as_str());
    if last != head.sequence || head.hash != head_hash {
        return Ok((
            count,
            Some((last + 1, "the log ends before its last recorded event".into())),
        ));
    }
    Ok((count, None))
}
