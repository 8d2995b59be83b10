//! Moving bytes in and out of the object store. An object is announced in
//! `document_uploads` before it is written and the announcement is retired in the same
//! transaction that commits the document's record; an announcement that outlives an upload
//! marks bytes nobody will ever see, which [`super::recovery`] deletes.

use std::path::Path;

use futures::StreamExt;
use object_store::{GetOptions, GetRange, ObjectStoreExt, WriteMultipart};
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use tokio::io::AsyncReadExt;

use crate::{
    error::{Error, Result},
    service::{App, now},
    storage::{entities::document_upload, objects},
};

/// The size of the parts sent to the store (S3 wants at least 5 MiB per part).
const PART: usize = 8 << 20;

fn store_error(e: object_store::Error) -> Error {
    match e {
        object_store::Error::NotFound { .. } => Error::internal(format!("object store: {e}")),
        e => Error::Unavailable(format!("the document store cannot be reached; try again later ({e})")),
    }
}

/// Announces `key`, then copies the staged file to it.
pub async fn put(app: &App, key: &str, file: &Path) -> Result<()> {
    announce(app, key).await?;
    if let Err(e) = copy(app, key, file).await {
        discard(app, key).await;
        return Err(e);
    }
    Ok(())
}

/// Announces `key`, then writes `bytes` to it in one piece (a document the service made
/// itself, small enough to hold in memory).
pub async fn put_bytes(app: &App, key: &str, bytes: Vec<u8>) -> Result<()> {
    announce(app, key).await?;
    if let Err(e) = app.documents.store.put(&objects::path(key), bytes.into()).await {
        discard(app, key).await;
        return Err(store_error(e));
    }
    Ok(())
}

async fn announce(app: &App, key: &str) -> Result<()> {
    document_upload::Entity::insert(document_upload::ActiveModel {
        id: NotSet,
        storage_key: Set(key.to_owned()),
        started_at: Set(now()),
    })
    .exec_without_returning(&app.db)
    .await?;
    Ok(())
}

async fn copy(app: &App, key: &str, file: &Path) -> Result<()> {
    let upload = app
        .documents
        .store
        .put_multipart(&objects::path(key))
        .await
        .map_err(store_error)?;
    let mut writer = WriteMultipart::new_with_chunk_size(upload, PART);
    let mut f = tokio::fs::File::open(file).await.map_err(Error::internal)?;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        if let Err(e) = writer.wait_for_capacity(2).await {
            return Err(store_error(e));
        }
        let n = match f.read(&mut buf).await {
            Ok(n) => n,
            Err(e) => {
                let _ = writer.abort().await;
                return Err(Error::internal(e));
            }
        };
        if n == 0 {
            break;
        }
        writer.write(&buf[..n]);
    }
    writer.finish().await.map_err(store_error)?;
    Ok(())
}

/// Retires the announcement: call in the transaction that commits the document's record.
pub async fn settle(db: &impl ConnectionTrait, key: &str) -> Result<()> {
    document_upload::Entity::delete_many()
        .filter(document_upload::Column::StorageKey.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes an object that will not be committed, and its announcement (best effort: what
/// fails here is found again by [`super::recovery`]).
pub async fn discard(app: &App, key: &str) {
    match app.documents.store.delete(&objects::path(key)).await {
        Ok(()) | Err(object_store::Error::NotFound { .. }) => {
            let _ = settle(&app.db, key).await;
        }
        Err(e) => tracing::warn!(%key, error = %e, "could not delete an uncommitted object; recovery will"),
    }
}

/// The stored bytes of `key`, whole or from `first` to `last` (inclusive), as a stream.
pub async fn read(
    app: &App,
    key: &str,
    range: Option<(u64, u64)>,
) -> Result<futures::stream::BoxStream<'static, std::io::Result<bytes::Bytes>>> {
    let options = GetOptions {
        range: range.map(|(first, last)| GetRange::Bounded(first..last + 1)),
        ..Default::default()
    };
    let got = app
        .documents
        .store
        .get_opts(&objects::path(key), options)
        .await
        .map_err(store_error)?;
    Ok(got.into_stream().map(|r| r.map_err(std::io::Error::other)).boxed())
}
