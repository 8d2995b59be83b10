//! Configuration: built-in defaults, then an optional TOML file (`BESLECHT_CONFIG`), then the
//! environment. Every value is parsed once here; a bad value stops start-up with a message
//! naming the setting. Secrets are [`SecretString`]s, so they never print in logs or `Debug`.

use std::{collections::BTreeMap, net::SocketAddr, path::PathBuf, time::Duration};

use secrecy::{ExposeSecret, SecretString};

mod documents;
pub mod identity_providers;
mod settings;

pub use documents::{ClamdAddr, DocumentConfig, StoreConfig};

use settings::{SETTINGS, Setting};

/// The documented fallback password of the demo users (demo mode only).
pub const DEMO_PASSWORD: &str = "beslecht-demo";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: SecretString,
    pub data_dir: PathBuf,
    pub token_ttl: Duration,
    /// Shared signing secret for several nodes; without it a key is generated in `data_dir`.
    pub token_secret: Option<SecretString>,
    /// The key that seals the audit checkpoints, shared by every node and kept outside the
    /// database; without it a key is generated in `data_dir`.
    pub audit_key: Option<SecretString>,
    /// Seconds between audit checkpoints (while anything new was audited).
    pub audit_checkpoint_interval: Duration,
    pub log_format: LogFormat,
    pub request_timeout: Duration,
    /// How long a client may take to send a request's header, and how long a kept-alive
    /// connection may stay idle.
    pub header_timeout: Duration,
    pub body_limit: usize,
    pub hash_concurrency: usize,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    pub demo_password: SecretString,
    /// Where the policy files live; `None` uses the ones built into the binary.
    pub policy_dir: Option<PathBuf>,
    /// Seconds between the background worker's rounds inside `serve`; 0 runs none there
    /// (then run `beslecht worker` separately).
    pub worker_interval: Duration,
    /// Where e-mail goes (`smtp://host:25`, `smtp://host:587?tls=required`, `smtps://…`, with
    /// credentials in the URL); without it no e-mail is sent (the inbox still is filled).
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    /// The address people reach the service at, for links in e-mail.
    pub public_url: String,
    /// The roles that must sign in with a second factor; `None` (not configured): every
    /// role that can read case content, except in demo mode (`serve --demo`), which asks none.
    pub second_factor_roles: Option<Vec<crate::domain::Role>>,
    /// The identity providers people may sign in through (`BESLECHT_IDENTITY_PROVIDERS`).
    pub identity_providers: Vec<identity_providers::IdentityProvider>,
    pub documents: DocumentConfig,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {setting}: {message}")]
pub struct ConfigError {
    pub setting: String,
    pub message: String,
}

fn err(s: &Setting, message: impl Into<String>) -> ConfigError {
    ConfigError {
        setting: format!("{} (file key `{}`)", s.env, s.key),
        message: message.into(),
    }
}

impl Config {
    /// Reads the process environment and, if `BESLECHT_CONFIG` names one, the file.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::load(|k| std::env::var(k).ok())
    }

    /// Builds the configuration from a lookup of environment variables (testable).
    pub fn load(env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut raw: BTreeMap<&'static str, String> = BTreeMap::new();
        for s in SETTINGS {
            if let Some(d) = s.default {
                raw.insert(s.key, d.to_owned());
            }
        }
        if let Some(path) = env("BESLECHT_CONFIG").filter(|p| !p.is_empty()) {
            for (k, v) in read_file(&path)? {
                let Some(s) = SETTINGS.iter().find(|s| s.key == k) else {
                    return Err(ConfigError {
                        setting: format!("BESLECHT_CONFIG ({path})"),
                        message: format!("unknown key `{k}`"),
                    });
                };
                raw.insert(s.key, v);
            }
        }
        for s in SETTINGS {
            if let Some(v) = env(s.env) {
                raw.insert(s.key, v);
            }
        }
        let mut config = Self::parse(&raw)?;
        if let Some(path) = raw
            .get("identity_providers")
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
        {
            let named = |message: String| ConfigError {
                setting: format!("BESLECHT_IDENTITY_PROVIDERS ({path})"),
                message,
            };
            let text = std::fs::read_to_string(path).map_err(|e| named(e.to_string()))?;
            config.identity_providers = identity_providers::parse(&text, &env).map_err(named)?;
        }
        Ok(config)
    }

    fn parse(raw: &BTreeMap<&'static str, String>) -> Result<Self, ConfigError> {
        let get = |key: &str| raw.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
        let setting = |key: &str| SETTINGS.iter().find(|s| s.key == key).expect("known key");
        let number = |key: &str, min: u64, max: u64| -> Result<Option<u64>, ConfigError> {
            get(key)
                .map(|v| {
                    v.parse::<u64>()
                        .ok()
                        .filter(|n| (min..=max).contains(n))
                        .ok_or_else(|| {
                            err(
                                setting(key),
                                format!("expected a whole number from {min} to {max}, got `{v}`"),
                            )
                        })
                })
                .transpose()
        };

        let addr = get("addr")
            .unwrap_or_default()
            .parse()
            .map_err(|_| err(setting("addr"), "expected host:port, e.g. 127.0.0.1:8080"))?;
        let data_dir = PathBuf::from(get("data_dir").unwrap_or("./data"));
        let database_url = match get("database_url") {
            Some(url)
                if url.starts_with("postgres://") || url.starts_with("postgresql://") || url.starts_with("sqlite:") =>
            {
                url.to_owned()
            }
            Some(_) => {
                return Err(err(setting("database_url"), "expected a postgres:// or sqlite: URL"));
            }
            None => format!("sqlite://{}?mode=rwc", data_dir.join("beslecht.db").display()),
        };
        let token_secret = match get("token_secret") {
            Some(s) if s.len() < 32 => {
                return Err(err(
                    setting("token_secret"),
                    "must be at least 32 characters of random text",
                ));
            }
            s => s.map(|s| SecretString::from(s.to_owned())),
        };
        let audit_key = match get("audit_key") {
            Some(s) if s.len() < 32 => {
                return Err(err(
                    setting("audit_key"),
                    "must be at least 32 characters of random text",
                ));
            }
            s => s.map(|s| SecretString::from(s.to_owned())),
        };
        let log_format = match get("log_format") {
            Some("text") | None => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(err(
                    setting("log_format"),
                    format!("expected `text` or `json`, got `{other}`"),
                ));
            }
        };
        let trust_forwarded_for = match get("trust_forwarded_for") {
            Some("true") => true,
            Some("false") | None => false,
            Some(other) => {
                return Err(err(
                    setting("trust_forwarded_for"),
                    format!("expected `true` or `false`, got `{other}`"),
                ));
            }
        };
        let fail = |key: &str, message: &str| err(setting(key), message);
        let documents = documents::parse(&get, &number, &fail)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Config {
            addr,
            database_url: SecretString::from(database_url),
            data_dir,
            token_ttl: Duration::from_secs(number("token_ttl", 60, 86_400)?.unwrap_or(900)),
            token_secret,
            audit_key,
            audit_checkpoint_interval: Duration::from_secs(
                number("audit_checkpoint_interval", 1, 86_400)?.unwrap_or(300),
            ),
            log_format,
            request_timeout: Duration::from_secs(number("request_timeout", 1, 3_600)?.unwrap_or(30)),
            header_timeout: Duration::from_secs(number("header_timeout", 1, 600)?.unwrap_or(10)),
            body_limit: number("body_limit", 1_024, 1 << 30)?.unwrap_or(1 << 20) as usize,
            hash_concurrency: number("hash_concurrency", 1, 256)?.map_or(cores, |n| n as usize),
            trust_forwarded_for,
            demo_password: SecretString::from(get("demo_password").unwrap_or(DEMO_PASSWORD).to_owned()),
            policy_dir: get("policy_dir").map(PathBuf::from),
            worker_interval: Duration::from_secs(number("worker_interval", 0, 86_400)?.unwrap_or(60)),
            smtp_url: match get("smtp_url").filter(|u| !u.is_empty()) {
                None => None,
                Some(u) if u.starts_with("smtp://") || u.starts_with("smtps://") => {
                    Some(SecretString::from(u.to_owned()))
                }
                Some(_) => return Err(err(setting("smtp_url"), "expected an smtp:// or smtps:// URL")),
            },
            mail_from: match get("mail_from") {
                Some(m) if m.parse::<lettre::message::Mailbox>().is_ok() => m.to_owned(),
                _ => {
                    return Err(err(
                        setting("mail_from"),
                        "expected an address such as Beslecht <noreply@example.nl>",
                    ));
                }
            },
            public_url: get("public_url")
                .unwrap_or("http://127.0.0.1:8080")
                .trim_end_matches('/')
                .to_owned(),
            second_factor_roles: match get("second_factor_roles") {
                None => None,
                Some(list) => {
                    let mut roles = Vec::new();
                    for r in list.split(',').map(str::trim).filter(|r| !r.is_empty() && *r != "none") {
                        roles.push(crate::domain::Role::parse(r).ok_or_else(|| {
                            err(
                                setting("second_factor_roles"),
                                "expected roles separated by commas, such as gemeente,secretaris, or none",
                            )
                        })?);
                    }
                    Some(roles)
                }
            },
            documents,
            identity_providers: Vec::new(),
        })
    }

    /// Whether people of `role` must sign in with a second factor.
    pub fn second_factor_required(&self, role: crate::domain::Role) -> bool {
        use crate::domain::Role;
        match &self.second_factor_roles {
            Some(roles) => roles.contains(&role),
            // Every role that reads case content; the administrator reads none.
            None => role != Role::Beheerder,
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose_secret().starts_with("sqlite:")
    }
}

fn read_file(path: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let fail = |message: String| ConfigError {
        setting: format!("BESLECHT_CONFIG ({path})"),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let table: toml::Table = text.parse().map_err(|e| fail(format!("not valid TOML: {e}")))?;
    table
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                other => {
                    return Err(fail(format!(
                        "`{k}`: expected a string, number or boolean, got {}",
                        other.type_str()
                    )));
                }
            };
            Ok((k, v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::load(|k| map.get(k).cloned())
    }

    #[test]
    fn zero_configuration_uses_sqlite_under_data() {
        let c = load(&[]).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url.expose_secret(), "sqlite://./data/beslecht.db?mode=rwc");
        assert!(c.is_sqlite());
        assert_eq!(c.token_ttl, Duration::from_secs(900));
        assert_eq!(c.log_format, LogFormat::Text);
        assert!(c.token_secret.is_none());
        assert!(!c.trust_forwarded_for);
    }

    #[test]
    fn environment_overrides_defaults() {
        let c = load(&[
            ("BESLECHT_ADDR", "0.0.0.0:9000"),
            ("DATABASE_URL", "postgres://u@h/db"),
            ("BESLECHT_TOKEN_TTL", "300"),
            ("BESLECHT_LOG_FORMAT", "json"),
        ])
        .unwrap();
        assert_eq!(c.addr.port(), 9000);
        assert!(!c.is_sqlite());
        assert_eq!(c.token_ttl.as_secs(), 300);
        assert_eq!(c.log_format, LogFormat::Json);
    }

    #[test]
    fn bad_values_name_the_setting() {
        for (var, val) in [
            ("BESLECHT_ADDR", "localhost"),
            ("BESLECHT_TOKEN_TTL", "5"),
            ("BESLECHT_TOKEN_TTL", "ten"),
            ("BESLECHT_LOG_FORMAT", "xml"),
            ("DATABASE_URL", "mysql://x"),
            ("BESLECHT_TOKEN_SECRET", "short"),
            ("BESLECHT_TRUST_FORWARDED_FOR", "yes"),
        ] {
            let e = load(&[(var, val)]).unwrap_err();
            assert!(e.to_string().contains(var), "{e}");
        }
    }

    #[test]
    fn secrets_never_print() {
        let secret = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-42";
        let c = load(&[
            ("BESLECHT_TOKEN_SECRET", secret),
            ("DATABASE_URL", "postgres://u:pw-123@h/db"),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains(secret) && !shown.contains("pw-123"), "{shown}");
        assert!(!shown.contains(DEMO_PASSWORD));
    }

    #[test]
    fn file_then_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("beslecht.toml");
        std::fs::write(&path, "addr = \"127.0.0.1:7000\"\ntoken_ttl = 600\n").unwrap();
        let p = path.to_str().unwrap();
        let c = load(&[("BESLECHT_CONFIG", p)]).unwrap();
        assert_eq!((c.addr.port(), c.token_ttl.as_secs()), (7000, 600));
        let c = load(&[("BESLECHT_CONFIG", p), ("BESLECHT_TOKEN_TTL", "120")]).unwrap();
        assert_eq!(c.token_ttl.as_secs(), 120);

        std::fs::write(&path, "adres = \"x\"\n").unwrap();
        assert!(
            load(&[("BESLECHT_CONFIG", p)])
                .unwrap_err()
                .to_string()
                .contains("unknown key `adres`")
        );
        std::fs::write(&path, "addr = [1]\n").unwrap();
        assert!(load(&[("BESLECHT_CONFIG", p)]).is_err());
        std::fs::write(&path, "addr = \n").unwrap();
        assert!(
            load(&[("BESLECHT_CONFIG", p)])
                .unwrap_err()
                .to_string()
                .contains("not valid TOML")
        );
    }
}
