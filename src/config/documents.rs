//! Where documents are kept and how they are checked: the upload limit, the object store
//! (local files under the data directory, or an S3-compatible store) and the virus scanner.

use std::path::PathBuf;

use secrecy::SecretString;

use super::ConfigError;

#[derive(Debug, Clone)]
pub struct DocumentConfig {
    /// The largest file accepted, in bytes.
    pub upload_limit: u64,
    pub store: StoreConfig,
    /// The ClamAV daemon; without it, uploads are not scanned.
    pub clamd: Option<ClamdAddr>,
}

#[derive(Debug, Clone)]
pub enum StoreConfig {
    /// Files under `<data_dir>/documents`.
    Local,
    S3 {
        bucket: String,
        /// For S3-compatible stores (MinIO, Ceph, …): `https://s3.example.nl`.
        endpoint: Option<String>,
        region: String,
        /// Without keys, the standard AWS environment and instance credentials apply.
        access_key_id: Option<String>,
        secret_access_key: Option<SecretString>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClamdAddr {
    Tcp(String),
    Unix(PathBuf),
}

impl ClamdAddr {
    fn parse(raw: &str) -> Option<Self> {
        if let Some(hostport) = raw.strip_prefix("tcp://") {
            let (host, port) = hostport.rsplit_once(':')?;
            (!host.is_empty() && port.parse::<u16>().is_ok()).then(|| ClamdAddr::Tcp(hostport.to_owned()))
        } else {
            let path = raw.strip_prefix("unix://").or_else(|| raw.strip_prefix("unix:"))?;
            path.starts_with('/').then(|| ClamdAddr::Unix(PathBuf::from(path)))
        }
    }
}

pub type Get<'a> = &'a dyn Fn(&str) -> Option<&'a str>;
pub type Number<'a> = &'a dyn Fn(&str, u64, u64) -> Result<Option<u64>, ConfigError>;
pub type Fail<'a> = &'a dyn Fn(&str, &str) -> ConfigError;

pub const DEFAULT_UPLOAD_LIMIT: u64 = 100 * 1024 * 1024;

pub fn parse(get: Get<'_>, number: Number<'_>, fail: Fail<'_>) -> Result<DocumentConfig, ConfigError> {
    let upload_limit = number("upload_limit", 1, 1 << 40)?.unwrap_or(DEFAULT_UPLOAD_LIMIT);
    let store = match get("s3_bucket") {
        None => StoreConfig::Local,
        Some(bucket) => {
            let endpoint = get("s3_endpoint").map(|e| e.trim_end_matches('/').to_owned());
            if endpoint
                .as_deref()
                .is_some_and(|e| !(e.starts_with("https://") || e.starts_with("http://")))
            {
                return Err(fail("s3_endpoint", "expected an http:// or https:// URL"));
            }
            let access_key_id = get("s3_access_key_id").map(str::to_owned);
            let secret_access_key = get("s3_secret_access_key").map(|s| SecretString::from(s.to_owned()));
            if access_key_id.is_some() != secret_access_key.is_some() {
                return Err(fail(
                    "s3_secret_access_key",
                    "give both the access key id and the secret access key, or neither",
                ));
            }
            StoreConfig::S3 {
                bucket: bucket.to_owned(),
                endpoint,
                region: get("s3_region").unwrap_or("us-east-1").to_owned(),
                access_key_id,
                secret_access_key,
            }
        }
    };
    let clamd = match get("clamd") {
        None => None,
        Some(raw) => Some(
            ClamdAddr::parse(raw)
                .ok_or_else(|| fail("clamd", "expected tcp://host:port or unix:/path/to/clamd.ctl"))?,
        ),
    };
    Ok(DocumentConfig {
        upload_limit,
        store,
        clamd,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamd_addresses() {
        assert_eq!(
            ClamdAddr::parse("tcp://127.0.0.1:3310"),
            Some(ClamdAddr::Tcp("127.0.0.1:3310".into()))
        );
        assert_eq!(
            ClamdAddr::parse("unix:/run/clamav/clamd.ctl"),
            Some(ClamdAddr::Unix("/run/clamav/clamd.ctl".into()))
        );
        assert_eq!(
            ClamdAddr::parse("unix:///run/c.ctl"),
            Some(ClamdAddr::Unix("/run/c.ctl".into()))
        );
        for bad in [
            "127.0.0.1:3310",
            "tcp://host",
            "tcp://:1",
            "unix:relative",
            "http://x:1",
        ] {
            assert_eq!(ClamdAddr::parse(bad), None, "{bad}");
        }
    }
}
