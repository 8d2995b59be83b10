//! A document's bytes for download: streamed from the store, whole or one range, for those
//! who may see the document. Every download is logged (NEN 7513).

use uuid::Uuid;

use super::{
    access_log::{self, Action},
    store,
    visibility::{Seen, visible_document},
};
use crate::{
    domain::documents::range::{Requested, range_applies, requested},
    error::{Error, Result},
    service::{Actor, App},
};

pub struct Content {
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    /// The part sent (first and last byte), or `None` for the whole file.
    pub range: Option<(u64, u64)>,
    pub body: futures::stream::BoxStream<'static, std::io::Result<bytes::Bytes>>,
}

/// How the file is asked for: its HTTP method and conditions.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fetch<'a> {
    pub range: Option<&'a str>,
    pub if_range: Option<&'a str>,
    /// `HEAD`: the headers only. Nothing is read from the store, and it is no download.
    pub head_only: bool,
}

impl Fetch<'_> {
    pub fn etag(sha256: &str) -> String {
        format!("\"{sha256}\"")
    }
}

pub async fn open(app: &App, actor: &Actor, case_id: Uuid, document_id: Uuid, fetch: Fetch<'_>) -> Result<Content> {
    let seen = Seen::load(app, actor, case_id).await?;
    let doc = visible_document(&app.db, actor, &seen, document_id).await?;
    if doc.withdrawn_at.is_some() {
        return Err(Error::Gone(
            "this document was withdrawn from the case; its record stays, its content is no longer offered".into(),
        ));
    }
    let size = doc.size as u64;
    let range = fetch
        .range
        .filter(|_| range_applies(fetch.if_range, &Fetch::etag(&doc.sha256)));
    let range = match requested(range, size) {
        Requested::Whole => None,
        Requested::Part(first, last) => Some((first, last)),
        Requested::Unsatisfiable => return Err(Error::RangeNotSatisfiable(size)),
    };
    if fetch.head_only {
        return Ok(Content {
            file_name: doc.file_name,
            content_type: doc.content_type,
            size,
            sha256: doc.sha256,
            range,
            body: Box::pin(futures::stream::empty()),
        });
    }
    let body = store::read(app, &doc.storage_key, range).await?;
    access_log::record(
        &app.db,
        actor,
        &doc,
        Action::Download,
        range.map(|(f, l)| format!("{f}-{l}")),
    )
    .await?;
    Ok(Content {
        file_name: doc.file_name,
        content_type: doc.content_type,
        size,
        sha256: doc.sha256,
        range,
        body,
    })
}
