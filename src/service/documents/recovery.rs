//! Cleaning up after interrupted uploads. The staging directory is emptied when `serve`
//! starts ([`super::staging::clear`]); objects that were stored but never committed are found
//! by their announcement in `document_uploads` once it is older than any upload can take,
//! and deleted. Any node's worker may do this: rows are claimed with `FOR UPDATE SKIP LOCKED`
//! on PostgreSQL (and under the write lock on SQLite), so two nodes never work on one.

use chrono::Duration;
use object_store::ObjectStoreExt;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    sea_query::{LockBehavior, LockType},
};

use crate::{
    error::{Error, Result},
    service::{App, now},
    storage::{self, entities::document_upload, objects},
};

/// An announcement older than this belongs to an upload that ended without committing.
pub const STALE_AFTER: Duration = Duration::hours(6);

const BATCH: u64 = 100;

/// Deletes the objects of uncommitted uploads older than `stale_after`; returns how many.
pub async fn sweep(app: &App, stale_after: Duration) -> Result<usize> {
    let cutoff = now() - stale_after;
    let mut removed = 0;
    loop {
        let app2 = app.clone();
        let batch = app
            .db
            .transaction::<_, (usize, usize), Error>(|tx| {
                Box::pin(async move {
                    storage::write_first(tx).await?;
                    let mut q = document_upload::Entity::find()
                        .filter(document_upload::Column::StartedAt.lt(cutoff))
                        .order_by_asc(document_upload::Column::Id)
                        .limit(BATCH);
                    if tx.get_database_backend() == DatabaseBackend::Postgres {
                        q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
                    }
                    let rows = q.all(tx).await?;
                    let mut deleted = 0;
                    for r in &rows {
                        match app2.documents.store.delete(&objects::path(&r.storage_key)).await {
                            Ok(()) | Err(object_store::Error::NotFound { .. }) => {
                                document_upload::Entity::delete_by_id(r.id).exec(tx).await?;
                                deleted += 1;
                            }
                            Err(e) => {
                                tracing::warn!(key = %r.storage_key, error = %e, "could not delete an uncommitted object");
                            }
                        }
                    }
                    Ok((rows.len(), deleted))
                })
            })
            .await?;
        let (claimed, deleted) = batch;
        removed += deleted;
        // A short batch is the last; a failed delete waits for the next round.
        if (claimed as u64) < BATCH || deleted < claimed {
            break;
        }
    }
    if removed > 0 {
        tracing::info!(removed, "removed the stored bytes of interrupted uploads");
    }
    Ok(removed)
}
