//! The object store for documents' bytes: local files under the data directory (written with
//! fsync, so a stored object survives a crash), or an S3-compatible store shared by every
//! node. Objects are named by a random id; nothing a user typed becomes part of a name.

use std::sync::Arc;

use object_store::{ObjectStore, aws::AmazonS3Builder, local::LocalFileSystem, path::Path};
use secrecy::ExposeSecret;
use uuid::Uuid;

use crate::config::{Config, StoreConfig};

pub type Store = Arc<dyn ObjectStore>;

/// Opens the configured store; the local one creates its directory (private to the service).
pub fn open(config: &Config) -> anyhow::Result<Store> {
    match &config.documents.store {
        StoreConfig::Local => {
            let dir = config.data_dir.join("objects");
            super::create_private_dir(&dir).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
            let store = LocalFileSystem::new_with_prefix(&dir)?
                .with_fsync(true)
                .with_automatic_cleanup(true);
            Ok(Arc::new(store))
        }
        StoreConfig::S3 {
            bucket,
            endpoint,
            region,
            access_key_id,
            secret_access_key,
        } => {
            let mut b = AmazonS3Builder::from_env().with_bucket_name(bucket).with_region(region);
            if let Some(endpoint) = endpoint {
                b = b
                    .with_endpoint(endpoint)
                    .with_allow_http(endpoint.starts_with("http://"))
                    .with_virtual_hosted_style_request(false);
            }
            if let (Some(id), Some(secret)) = (access_key_id, secret_access_key) {
                b = b.with_access_key_id(id).with_secret_access_key(secret.expose_secret());
            }
            Ok(Arc::new(b.build()?))
        }
    }
}

/// Where a document's bytes live: `documents/<random id>`.
pub fn new_key() -> String {
    format!("documents/{}", Uuid::new_v4())
}

pub fn path(key: &str) -> Path {
    Path::from(key)
}
