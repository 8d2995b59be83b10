//! The token signing key: from configuration (`BESLECHT_TOKEN_SECRET`, required when several
//! nodes share the load) or generated once on first start and kept in the data directory with
//! mode 0600. There is no built-in default key.

use std::{fs, io::Write, path::Path};

use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox, SecretString};

pub const KEY_FILE: &str = "token-signing.key";
/// The audit checkpoints' key, when `BESLECHT_AUDIT_KEY` is not set.
pub const AUDIT_KEY_FILE: &str = "audit.key";
const KEY_BYTES: usize = 64;

pub type SigningKey = SecretBox<Vec<u8>>;

#[derive(Debug, thiserror::Error)]
#[error("signing key {path}: {message}")]
pub struct KeyError {
    pub path: String,
    pub message: String,
}

/// The key configured, or the one in `data_dir/file` (generated there on first start).
pub fn load_or_generate(
    configured: Option<&SecretString>,
    data_dir: &Path,
    file: &str,
) -> Result<SigningKey, KeyError> {
    if let Some(secret) = configured {
        return Ok(SecretBox::new(Box::new(secret.expose_secret().as_bytes().to_vec())));
    }
    let path = data_dir.join(file);
    let fail = |message: String| KeyError {
        path: path.display().to_string(),
        message,
    };
    crate::storage::create_private_dir(data_dir).map_err(|e| fail(format!("cannot create data directory: {e}")))?;
    match create_new(&path) {
        Ok(Some(key)) => {
            tracing::info!(path = %path.display(), "generated a new key");
            return Ok(key);
        }
        Ok(None) => {}
        Err(e) => return Err(fail(format!("cannot write: {e}"))),
    }
    check_permissions(&path).map_err(fail)?;
    let bytes = fs::read(&path).map_err(|e| fail(format!("cannot read: {e}")))?;
    if bytes.len() < 32 {
        return Err(fail("shorter than 32 bytes; remove it to generate a new key".into()));
    }
    Ok(SecretBox::new(Box::new(bytes)))
}

/// Writes a fresh key if none exists yet (`Ok(None)` if another process was first).
fn create_new(path: &Path) -> std::io::Result<Option<SigningKey>> {
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut file = match opts.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut key = vec![0u8; KEY_BYTES];
    rand::rng().fill_bytes(&mut key);
    file.write_all(&key)?;
    file.sync_all()?;
    Ok(Some(SecretBox::new(Box::new(key))))
}

#[cfg(unix)]
fn check_permissions(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path)
        .map_err(|e| format!("cannot read: {e}"))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "readable by others (mode {:o}); run `chmod 600` on it",
            mode & 0o777
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_: &Path) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_with_0600_and_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let a = load_or_generate(None, dir.path(), KEY_FILE).unwrap();
        let b = load_or_generate(None, dir.path(), KEY_FILE).unwrap();
        assert_eq!(a.expose_secret(), b.expose_secret());
        assert_eq!(a.expose_secret().len(), KEY_BYTES);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(KEY_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn configured_secret_wins_and_open_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let s = SecretString::from("x".repeat(40));
        assert_eq!(
            load_or_generate(Some(&s), dir.path(), KEY_FILE)
                .unwrap()
                .expose_secret()
                .len(),
            40
        );
        assert!(!dir.path().join(KEY_FILE).exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = dir.path().join(KEY_FILE);
            fs::write(&path, vec![7u8; 64]).unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
            let e = load_or_generate(None, dir.path(), KEY_FILE).unwrap_err();
            assert!(e.to_string().contains("chmod 600"), "{e}");
        }
    }
}
