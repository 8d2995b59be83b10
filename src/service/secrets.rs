//! Random tokens and their stored form: a secret is shown once and only its SHA-256 is kept
//! (calendar feeds, web sessions). Also the lowercase hex every hash is written in.

use sha2::{Digest, Sha256};

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 256 random bits as hex: a secret for a URL, a cookie or a form.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex(&bytes)
}

/// The SHA-256 of a secret, as stored in place of it.
pub fn sha256_hex(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}
