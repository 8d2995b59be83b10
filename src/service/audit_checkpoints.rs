//! Audit checkpoints (`domain::audit_checkpoint`): written by the worker to the object store,
//! checked by `beslecht audit verify`.
//!
//! A checkpoint covers the case trail entries written since the one before it, but only those
//! older than [`settle`]: an entry is numbered when it is inserted and becomes visible when
//! its transaction commits, so a checkpoint must not be written past an entry that might still
//! be uncommitted below it. No transaction outlives the request timeout, so after twice that
//! plus a minute every entry below the newest one covered is committed.
//!
//! Two nodes never write the same checkpoint: its number is the primary key of a row inserted
//! in the transaction that writes the object, and the second insert fails.

use futures::TryStreamExt;
use object_store::{ObjectStore, ObjectStoreExt, path::Path};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
    TransactionTrait,
};
use secrecy::ExposeSecret;

use super::App;
use crate::{
    domain::audit_checkpoint::{self, Head, Sealed, Span, SpanDigest},
    error::{Error, Result},
    storage::entities::{audit_checkpoint as row, audit_event, audit_log_head, case_audit_entry},
};

const PREFIX: &str = "audit/checkpoints";
const PAGE: u64 = 5_000;

fn object(sequence: i64) -> Path {
    Path::from(format!("{PREFIX}/{sequence:012}.json"))
}

/// How old an entry must be before a checkpoint covers it.
pub fn settle(app: &App) -> chrono::Duration {
    chrono::Duration::from_std(app.config.request_timeout * 2).unwrap_or_default() + chrono::Duration::minutes(1)
}

/// The digest of the case trail entries with ids in `(after, through]`, read a page at a time.
async fn span(db: &impl ConnectionTrait, after: i64, through: i64) -> Result<Span> {
    let mut digest = SpanDigest::default();
    let mut from = after;
    while from < through {
        let rows = case_audit_entry::Entity::find()
            .select_only()
            .column(case_audit_entry::Column::Id)
            .column(case_audit_entry::Column::CaseId)
            .column(case_audit_entry::Column::Sequence)
            .column(case_audit_entry::Column::Hash)
            .filter(case_audit_entry::Column::Id.gt(from))
            .filter(case_audit_entry::Column::Id.lte(through))
            .order_by_asc(case_audit_entry::Column::Id)
            .limit(PAGE)
            .into_tuple::<(i64, i32, i64, String)>()
            .all(db)
            .await?;
        let Some(last) = rows.last() else { break };
        from = last.0;
        for (id, case_id, sequence, hash) in &rows {
            digest.add(*id, *case_id, *sequence, hash);
        }
    }
    let (count, digest) = digest.finish();
    Ok(Span {
        after_id: after,
        through_id: through,
        count,
        digest,
    })
}

/// The most case trail entries (by id) one checkpoint covers. A backlog — the first round
/// after a bulk import, or after the worker stood still — is covered by a series of
/// checkpoints, one a round, instead of one round reading and digesting every entry of the
/// backlog (a seeded million cases hold about five million) while the node serves requests.
pub const MAX_ENTRIES: i64 = 50_000;

/// Writes the next checkpoint if one is due at `at` (the worker: now): the interval has
/// passed since the last and something new was audited, or more than a checkpoint's worth
/// ([`MAX_ENTRIES`]) is waiting. Answers its number, or `None`.
pub async fn write_due(app: &App, at: chrono::DateTime<chrono::Utc>) -> Result<Option<i64>> {
    write_due_at_most(app, at, MAX_ENTRIES).await
}

/// [`write_due`] with a checkpoint covering at most `max_entries` ids.
pub async fn write_due_at_most(app: &App, at: chrono::DateTime<chrono::Utc>, max_entries: i64) -> Result<Option<i64>> {
    let last = row::Entity::find()
        .order_by_desc(row::Column::Sequence)
        .one(&app.db)
        .await?;
    let after = last.as_ref().map_or(0, |l| l.case_entries_through);
    let interval = chrono::Duration::from_std(app.config.audit_checkpoint_interval).unwrap_or_default();
    if last.as_ref().is_some_and(|l| l.written_at + interval > at) {
        // Within the interval only to work off a backlog: an entry beyond the next full one.
        let backlog = case_audit_entry::Entity::find()
            .select_only()
            .column(case_audit_entry::Column::Id)
            .filter(case_audit_entry::Column::Id.gt(after + max_entries))
            .filter(case_audit_entry::Column::OccurredAt.lt(at - settle(app)))
            .limit(1)
            .into_tuple::<i64>()
            .one(&app.db)
            .await?;
        if backlog.is_none() {
            return Ok(None);
        }
    }
    let through = case_audit_entry::Entity::find()
        .select_only()
        .column_as(case_audit_entry::Column::Id.max(), "max")
        .filter(case_audit_entry::Column::Id.gt(after))
        .filter(case_audit_entry::Column::Id.lte(after + max_entries))
        .filter(case_audit_entry::Column::OccurredAt.lt(at - settle(app)))
        .into_tuple::<Option<i64>>()
        .one(&app.db)
        .await?
        .flatten()
        .unwrap_or(after);
    let head = audit_log_head::Entity::find_by_id(1)
        .one(&app.db)
        .await?
        .ok_or_else(|| Error::internal("the audit log has no head"))?;
    if through == after && head.sequence == last.as_ref().map_or(0, |l| l.service_sequence) {
        return Ok(None);
    }
    let entries = span(&app.db, after, through).await?;
    let sealed = audit_checkpoint::seal(
        app.audit_key.expose_secret(),
        last.as_ref().map(|l| (l.sequence, l.mac.as_str())),
        at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        entries,
        Head {
            sequence: head.sequence,
            hash: head.hash,
        },
    );
    let store = app.documents.store.clone();
    let sequence = sealed.checkpoint.sequence;
    let written = app
        .db
        .transaction::<_, bool, Error>(|tx| {
            Box::pin(async move {
                let c = &sealed.checkpoint;
                let numbered = row::Entity::insert(row::ActiveModel {
                    sequence: Set(c.sequence),
                    written_at: Set(at),
                    case_entries_through: Set(c.case_entries.through_id),
                    service_sequence: Set(c.service_log.sequence),
                    mac: Set(sealed.mac.clone()),
                })
                .exec(tx)
                .await;
                match numbered {
                    Ok(_) => {}
                    // Another node wrote this one first.
                    Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => return Ok(false),
                    Err(e) => return Err(e.into()),
                }
                let bytes = serde_json::to_vec_pretty(&sealed).map_err(Error::internal)?;
                store
                    .put(&object(c.sequence), bytes.into())
                    .await
                    .map_err(|e| Error::internal(format!("writing an audit checkpoint: {e}")))?;
                Ok(true)
            })
        })
        .await?;
    Ok(written.then_some(sequence))
}

#[derive(Debug, Default)]
pub struct Report {
    pub checkpoints: u64,
    /// Case trail entries that checkpoints cover; newer ones are covered by the next.
    pub entries_covered: u64,
    /// The first checkpoint that does not hold, and why.
    pub broken: Option<(i64, String)>,
}

async fn read(store: &dyn ObjectStore, path: &Path) -> Result<Sealed> {
    let bytes = store
        .get(path)
        .await
        .map_err(|e| Error::internal(format!("reading {path}: {e}")))?
        .bytes()
        .await
        .map_err(|e| Error::internal(format!("reading {path}: {e}")))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::internal(format!("{path} is not a checkpoint: {e}")))
}

/// Checks every checkpoint: sealed with this service's key, in an unbroken series, one for
/// each row the database numbers, and each one's entries and service log head as they are now.
pub async fn verify(app: &App) -> Result<Report> {
    let store = app.documents.store.as_ref();
    let mut paths: Vec<Path> = store
        .list(Some(&Path::from(PREFIX)))
        .map_ok(|meta| meta.location)
        .try_collect()
        .await
        .map_err(|e| Error::internal(format!("listing the audit checkpoints: {e}")))?;
    paths.sort_by(|a, b| a.as_ref().cmp(b.as_ref()));
    let mut series = Vec::with_capacity(paths.len());
    for path in &paths {
        series.push(read(store, path).await?);
    }
    let mut report = Report {
        checkpoints: series.len() as u64,
        ..Report::default()
    };
    let broken = |sequence: i64, why: &str| Some((sequence, why.to_owned()));
    if let Err(b) = audit_checkpoint::verify_series(app.audit_key.expose_secret(), &series) {
        report.broken = broken(b.sequence, b.why);
        return Ok(report);
    }
    let rows = row::Entity::find()
        .order_by_asc(row::Column::Sequence)
        .all(&app.db)
        .await?;
    if rows.len() > series.len() {
        report.broken = broken(
            series.len() as i64 + 1,
            "the database numbers it, but the object store does not hold it",
        );
        return Ok(report);
    }
    for s in &series {
        let c = &s.checkpoint;
        let numbered = rows.get(c.sequence as usize - 1);
        if numbered.is_none_or(|r| r.mac != s.mac || r.case_entries_through != c.case_entries.through_id) {
            report.broken = broken(c.sequence, "the database does not number it as written");
            return Ok(report);
        }
        let now = span(&app.db, c.case_entries.after_id, c.case_entries.through_id).await?;
        if now != c.case_entries {
            report.broken = broken(
                c.sequence,
                "case trail entries it covers were changed, removed or added",
            );
            return Ok(report);
        }
        report.entries_covered += now.count;
        if c.service_log.sequence > 0 {
            let hash = audit_event::Entity::find()
                .select_only()
                .column(audit_event::Column::Hash)
                .filter(audit_event::Column::Sequence.eq(c.service_log.sequence))
                .into_tuple::<Option<String>>()
                .one(&app.db)
                .await?
                .flatten();
            if hash.as_deref() != Some(c.service_log.hash.as_str()) {
                report.broken = broken(
                    c.sequence,
                    "the service audit log's event it anchors was changed or removed",
                );
                return Ok(report);
            }
        }
    }
    Ok(report)
}
