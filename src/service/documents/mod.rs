//! Documents and evidence in a case: upload (streamed, recognised, scanned, stored, then
//! committed), the list and the record, the content (streamed, with ranges), new versions,
//! withdrawal, the NEN 7513 access log, and integrity checks.
//!
//! Who may see a document ([`visibility`]): the organisation that submitted it always; then
//! by its audience — every party and the commission, the commission only, or the mediation
//! (the commission only once every party has released it). A document the caller may not see
//! is answered exactly as one that does not exist.

pub mod access_log;
pub mod container;
pub mod content;
pub mod recovery;
pub mod scanner;
pub mod staging;
pub mod store;
pub mod upload;
pub mod verify;
pub mod view;
pub mod visibility;
pub mod withdraw;

use std::{path::PathBuf, sync::Arc};

use crate::{config::Config, storage::objects::Store};

pub use view::{DocumentView, get, list};

/// What the document use cases need beyond the database.
pub struct Documents {
    pub store: Store,
    /// `None` when no scanner is configured: uploads are then not scanned.
    pub scanner: Option<Arc<dyn scanner::Scanner>>,
    /// The largest file accepted, in bytes.
    pub limit: u64,
    /// Where this node stages uploads.
    pub data_dir: PathBuf,
}

impl Documents {
    pub fn open(config: &Config) -> anyhow::Result<Self> {
        let scanner = config
            .documents
            .clamd
            .clone()
            .map(|addr| Arc::new(scanner::Clamd::new(addr)) as Arc<dyn scanner::Scanner>);
        Ok(Documents {
            store: crate::storage::objects::open(config)?,
            scanner,
            limit: config.documents.upload_limit,
            data_dir: config.data_dir.clone(),
        })
    }
}
