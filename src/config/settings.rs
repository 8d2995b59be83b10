//! Every setting Beslecht reads: its environment variable, its key in the configuration
//! file, and its default. The README's configuration table lists the same.

use super::DEMO_PASSWORD;

/// One setting: its environment variable, its key in the file, and its default.
pub struct Setting {
    pub env: &'static str,
    pub key: &'static str,
    pub default: Option<&'static str>,
}

pub const SETTINGS: &[Setting] = &[
    Setting {
        env: "BESLECHT_ADDR",
        key: "addr",
        default: Some("127.0.0.1:8080"),
    },
    Setting {
        env: "DATABASE_URL",
        key: "database_url",
        default: None,
    },
    Setting {
        env: "BESLECHT_DATA_DIR",
        key: "data_dir",
        default: Some("./data"),
    },
    Setting {
        env: "BESLECHT_TOKEN_TTL",
        key: "token_ttl",
        default: Some("900"),
    },
    Setting {
        env: "BESLECHT_TOKEN_SECRET",
        key: "token_secret",
        default: None,
    },
    Setting {
        env: "BESLECHT_AUDIT_KEY",
        key: "audit_key",
        default: None,
    },
    Setting {
        env: "BESLECHT_AUDIT_CHECKPOINT_INTERVAL",
        key: "audit_checkpoint_interval",
        default: Some("300"),
    },
    Setting {
        env: "BESLECHT_LOG_FORMAT",
        key: "log_format",
        default: Some("text"),
    },
    Setting {
        env: "BESLECHT_REQUEST_TIMEOUT",
        key: "request_timeout",
        default: Some("30"),
    },
    Setting {
        env: "BESLECHT_HEADER_TIMEOUT",
        key: "header_timeout",
        default: Some("10"),
    },
    Setting {
        env: "BESLECHT_BODY_LIMIT",
        key: "body_limit",
        default: Some("1048576"),
    },
    Setting {
        env: "BESLECHT_HASH_CONCURRENCY",
        key: "hash_concurrency",
        default: None,
    },
    Setting {
        env: "BESLECHT_TRUST_FORWARDED_FOR",
        key: "trust_forwarded_for",
        default: Some("false"),
    },
    Setting {
        env: "BESLECHT_DEMO_PASSWORD",
        key: "demo_password",
        default: Some(DEMO_PASSWORD),
    },
    Setting {
        env: "BESLECHT_POLICY_DIR",
        key: "policy_dir",
        default: None,
    },
    Setting {
        env: "BESLECHT_SMTP_URL",
        key: "smtp_url",
        default: None,
    },
    Setting {
        env: "BESLECHT_MAIL_FROM",
        key: "mail_from",
        default: Some("Beslecht <noreply@beslecht.invalid>"),
    },
    Setting {
        env: "BESLECHT_SECOND_FACTOR_ROLES",
        key: "second_factor_roles",
        default: None,
    },
    Setting {
        env: "BESLECHT_IDENTITY_PROVIDERS",
        key: "identity_providers",
        default: None,
    },
    Setting {
        env: "BESLECHT_PUBLIC_URL",
        key: "public_url",
        default: Some("http://127.0.0.1:8080"),
    },
    Setting {
        env: "BESLECHT_WORKER_INTERVAL",
        key: "worker_interval",
        default: Some("60"),
    },
    Setting {
        env: "BESLECHT_UPLOAD_LIMIT",
        key: "upload_limit",
        default: Some("104857600"),
    },
    Setting {
        env: "BESLECHT_S3_BUCKET",
        key: "s3_bucket",
        default: None,
    },
    Setting {
        env: "BESLECHT_S3_ENDPOINT",
        key: "s3_endpoint",
        default: None,
    },
    Setting {
        env: "BESLECHT_S3_REGION",
        key: "s3_region",
        default: Some("us-east-1"),
    },
    Setting {
        env: "BESLECHT_S3_ACCESS_KEY_ID",
        key: "s3_access_key_id",
        default: None,
    },
    Setting {
        env: "BESLECHT_S3_SECRET_ACCESS_KEY",
        key: "s3_secret_access_key",
        default: None,
    },
    Setting {
        env: "BESLECHT_CLAMD",
        key: "clamd",
        default: None,
    },
];
