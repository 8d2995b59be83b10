//! Receiving a file: its bytes are streamed to a private file on this node's disk while the
//! SHA-256, the size and the first bytes are taken, and the size limit is enforced as the
//! bytes arrive. Nothing is held in memory beyond one chunk. The staged file is removed when
//! it is dropped, whatever happened; a crash leaves it in the staging directory, which
//! start-up empties ([`clear`]).

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use bytes::Bytes;
use futures::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use crate::{
    domain::documents::{HEAD, TextCheck},
    error::{Error, Result},
};

/// How long an upload may send nothing before it is given up.
pub const IDLE: Duration = Duration::from_secs(60);

/// A completely received file on local disk.
#[derive(Debug)]
pub struct Staged {
    path: PathBuf,
    pub sha256: String,
    pub size: u64,
    /// The first bytes, to recognise the type.
    pub head: Vec<u8>,
    /// Whether the whole file is clean UTF-8 text.
    pub text: bool,
}

impl Staged {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Removes the staged file on every early return.
struct Partial(Option<PathBuf>);

impl Drop for Partial {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// The node's staging directory.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("uploads")
}

/// Empties the staging directory: what is there was left by a process that stopped during
/// an upload (it is this node's own directory; other nodes have theirs).
pub fn clear(data_dir: &Path) -> std::io::Result<usize> {
    let dir = dir(data_dir);
    let mut removed = 0;
    match std::fs::read_dir(&dir) {
        Ok(entries) => {
            for e in entries.flatten() {
                if e.file_type().is_ok_and(|t| t.is_file()) && std::fs::remove_file(e.path()).is_ok() {
                    removed += 1;
                }
            }
            Ok(removed)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(e),
    }
}

/// Streams `body` to a new staged file, refusing it (413) as soon as it passes `limit`.
pub async fn receive<S, E>(data_dir: &Path, body: S, limit: u64) -> Result<Staged>
where
    S: Stream<Item = std::result::Result<Bytes, E>>,
    E: std::fmt::Display,
{
    let mut body = std::pin::pin!(body);
    let dir = dir(data_dir);
    crate::storage::create_private_dir(&dir).map_err(Error::internal)?;
    let path = dir.join(format!("{}.part", Uuid::new_v4()));
    let mut guard = Partial(Some(path.clone()));
    let file = tokio::fs::File::create(&path).await.map_err(Error::internal)?;
    let mut out = tokio::io::BufWriter::with_capacity(1 << 20, file);
    let mut hasher = Sha256::new();
    let mut text = TextCheck::default();
    let mut head = Vec::with_capacity(HEAD);
    let mut size: u64 = 0;
    loop {
        let chunk = match tokio::time::timeout(IDLE, body.next()).await {
            Err(_) => {
                return Err(Error::BadRequest(format!(
                    "no data arrived for {} seconds; the upload was stopped",
                    IDLE.as_secs()
                )));
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err(Error::BadRequest(format!(
                    "the upload ended early or was malformed, and nothing was stored: {e}"
                )));
            }
            Ok(Some(Ok(chunk))) => chunk,
        };
        size += chunk.len() as u64;
        if size > limit {
            return Err(Error::TooLarge(format!(
                "the file is larger than the limit of {limit} bytes ({})",
                human(limit)
            )));
        }
        if head.len() < HEAD {
            let take = (HEAD - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        hasher.update(&chunk);
        text.feed(&chunk);
        out.write_all(&chunk).await.map_err(Error::internal)?;
    }
    out.flush().await.map_err(Error::internal)?;
    drop(out);
    guard.0 = None;
    Ok(Staged {
        path,
        sha256: hex(&hasher.finalize()),
        size,
        head,
        text: text.finish(),
    })
}

pub use crate::service::secrets::hex;

/// A size for people: 100 MiB, 1.5 GiB.
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(human(100 * 1024 * 1024), "100 MiB");
        assert_eq!(human(1536 * 1024 * 1024), "1.5 GiB");
        assert_eq!(human(512), "512 bytes");
    }

    #[tokio::test]
    async fn a_file_over_the_limit_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let chunks = futures::stream::iter((0..10).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b'a'; 100]))));
        let err = receive(dir.path(), chunks, 550).await.unwrap_err();
        assert!(matches!(err, Error::TooLarge(_)), "{err:?}");
        assert_eq!(std::fs::read_dir(super::dir(dir.path())).unwrap().count(), 0);

        let chunks = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"hallo"))]);
        let staged = receive(dir.path(), chunks, 550).await.unwrap();
        assert_eq!(staged.size, 5);
        assert_eq!(
            staged.sha256,
            "d3751d33f9cd5049c4af2b462735457e4d3baf130bcbb87f389e349fbaeb20b9"
        );
        assert!(staged.text);
        let path = staged.path().to_owned();
        assert!(path.exists());
        drop(staged);
        assert!(!path.exists());
    }
}
