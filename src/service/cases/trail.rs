//! The stored audit trail of each case: one hash chain per case (see
//! [`crate::domain::audit_chain`]), appended in the same transaction as the change it records.
//!
//! Every change to a case first *touches* the case row (raising its version). That one write
//! serialises concurrent changes to the same case on both databases (a row lock on
//! PostgreSQL, the write lock on SQLite), so the chain never forks, and it is how an
//! out-of-date version is refused: the losing request matches no row and gets 409.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde_json::Value;

use crate::{
    domain::audit_chain::{self, Entry, EntryContent},
    error::{Error, Result},
    service::Actor,
    storage::entities::{case, case_audit_entry},
};

/// Raises the case's version; with `expected`, only if the case is still at that version.
/// It must be the transaction's first statement: on SQLite a transaction that reads before
/// it writes cannot wait for another writer and fails instead. Follow it with exactly one
/// [`append`] in the same transaction (or use [`change`], which does both).
pub async fn touch(
    db: &impl ConnectionTrait,
    case_id: i32,
    expected: Option<i32>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let mut update = case::Entity::update_many()
        .col_expr(case::Column::Version, Expr::col(case::Column::Version).add(1))
        .col_expr(case::Column::UpdatedAt, Expr::value(now))
        .filter(case::Column::Id.eq(case_id));
    if let Some(v) = expected {
        update = update.filter(case::Column::Version.eq(v));
    }
    if update.exec(db).await?.rows_affected == 0 {
        return Err(Error::Conflict(
            "the case was changed by someone else in the meantime; reload it and try again".into(),
            "Het geschil is intussen door iemand anders gewijzigd. Er is niets opgeslagen; laad het geschil opnieuw en probeer het nog eens.".into(),
        ));
    }
    Ok(())
}

/// A command acted on a copy of the case older than its current version (409).
pub fn stale() -> Error {
    Error::Conflict(
        "the case was changed in the meantime; this version is out of date. Reload and try again".into(),
        "Het geschil is intussen gewijzigd. Er is niets opgeslagen; bekijk het geschil opnieuw en probeer het nog eens.".into(),
    )
}

/// What one audit entry says about a change.
pub struct Record {
    pub action: String,
    pub subject: String,
    pub reason: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Record {
    pub fn new(action: impl Into<String>, subject: impl Into<String>) -> Self {
        Record {
            action: action.into(),
            subject: subject.into(),
            reason: None,
            before: None,
            after: None,
        }
    }
    pub fn reason(mut self, reason: Option<String>) -> Self {
        self.reason = reason;
        self
    }
    pub fn before(mut self, v: Value) -> Self {
        self.before = Some(v);
        self
    }
    pub fn after(mut self, v: Value) -> Self {
        self.after = Some(v);
        self
    }
}

/// One change to a case: raises its version (refusing an out-of-date `expected` one) and
/// chains `record` onto its trail, so that a case's version always equals the length of its
/// trail. Call inside the transaction that makes the change, before anything else is written.
pub async fn change(
    db: &impl ConnectionTrait,
    case_id: i32,
    expected: Option<i32>,
    actor: &Actor,
    record: Record,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    touch(db, case_id, expected, now).await?;
    append(db, case_id, actor, record, now).await
}

/// The first entry of a new case's trail (its version starts at 1): nothing to chain onto,
/// so nothing is read.
pub async fn begin(
    db: &impl ConnectionTrait,
    case_id: i32,
    actor: &Actor,
    record: Record,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    write(db, case_id, None, actor, record, now).await
}

/// Chains `record` onto the case's trail. Call after [`touch`] in the same transaction.
pub async fn append(
    db: &impl ConnectionTrait,
    case_id: i32,
    actor: &Actor,
    record: Record,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let last = case_audit_entry::Entity::find()
        .filter(case_audit_entry::Column::CaseId.eq(case_id))
        .order_by_desc(case_audit_entry::Column::Sequence)
        .limit(1)
        .one(db)
        .await?
        .map(entry_of);
    write(db, case_id, last, actor, record, now).await
}

async fn write(
    db: &impl ConnectionTrait,
    case_id: i32,
    last: Option<Entry>,
    actor: &Actor,
    record: Record,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let entry = audit_chain::append(
        last.as_ref(),
        EntryContent {
            sequence: 0,
            // Stored to the microsecond on both databases; hashed the same way.
            occurred_at: truncate_to_micros(now),
            actor: actor.label(),
            organisation: actor.organisation.as_ref().map(|o| o.name.clone()),
            action: record.action,
            subject: record.subject,
            reason: record.reason,
            before: record.before,
            after: record.after,
        },
    );
    let c = entry.content;
    case_audit_entry::Entity::insert(case_audit_entry::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        case_id: sea_orm::ActiveValue::Set(case_id),
        sequence: sea_orm::ActiveValue::Set(c.sequence),
        occurred_at: sea_orm::ActiveValue::Set(c.occurred_at),
        actor: sea_orm::ActiveValue::Set(c.actor),
        organisation: sea_orm::ActiveValue::Set(c.organisation),
        action: sea_orm::ActiveValue::Set(c.action),
        subject: sea_orm::ActiveValue::Set(c.subject),
        reason: sea_orm::ActiveValue::Set(c.reason),
        before: sea_orm::ActiveValue::Set(c.before),
        after: sea_orm::ActiveValue::Set(c.after),
        previous_hash: sea_orm::ActiveValue::Set(entry.previous_hash),
        hash: sea_orm::ActiveValue::Set(entry.hash),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub fn truncate_to_micros(t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::Timelike;
    let nanos = t.nanosecond() / 1_000 * 1_000;
    t.with_nanosecond(nanos).unwrap_or(t)
}

pub fn entry_of(m: case_audit_entry::Model) -> Entry {
    Entry {
        content: EntryContent {
            sequence: m.sequence,
            occurred_at: m.occurred_at,
            actor: m.actor,
            organisation: m.organisation,
            action: m.action,
            subject: m.subject,
            reason: m.reason,
            before: m.before,
            after: m.after,
        },
        previous_hash: m.previous_hash,
        hash: m.hash,
    }
}

/// A case's whole trail, in order.
pub async fn entries(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<case_audit_entry::Model>> {
    Ok(case_audit_entry::Entity::find()
        .filter(case_audit_entry::Column::CaseId.eq(case_id))
        .order_by_asc(case_audit_entry::Column::Sequence)
        .order_by_asc(case_audit_entry::Column::Id)
        .all(db)
        .await?)
}
