//! Argon2id password hashing, off the async runtime and with bounded memory.
//!
//! Parameters follow the OWASP Password Storage Cheat Sheet's first Argon2id option:
//! m = 19 MiB, t = 2, p = 1. Hashing runs on a fixed set of dedicated threads, each owning one
//! 19 MiB working buffer that it reuses for every hash: memory stays at threads × 19 MiB, and
//! no hash pays for faulting in fresh pages. (Allocating per hash, as the crate's convenience
//! API does, made glibc keep every freed buffer resident: +19 MiB per sign-in.) A semaphore
//! feeds the threads, so a flood of logins cannot starve the runtime; a login that cannot get
//! a slot in time is shed with [`HashError::Busy`] (answered 429) rather than queueing without
//! bound. Unknown usernames are verified against a dummy hash, so they cost the same as a wrong
//! password and timing does not reveal which accounts exist.

use std::{
    sync::{Arc, Mutex, mpsc},
    time::Duration,
};

use argon2::{
    Algorithm, Argon2, Block, Params, Version,
    password_hash::phc::{Output, ParamsString, PasswordHash, Salt},
};
use rand::RngCore;
use tokio::sync::Semaphore;

use crate::domain::Password;

pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;
const SALT_BYTES: usize = 16;
const OUTPUT_BYTES: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing is saturated")]
    Busy,
    #[error("password hashing failed: {0}")]
    Internal(String),
}

/// Work for a hashing thread, given that thread's reusable working memory.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

#[derive(Clone)]
pub struct PasswordHasher {
    slots: Arc<Semaphore>,
    workers: mpsc::Sender<Job>,
    /// How long a login may wait for a hashing slot before it is shed.
    wait: Duration,
    dummy_hash: Arc<str>,
}

fn params() -> Params {
    Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, Some(OUTPUT_BYTES)).expect("valid argon2 parameters")
}

/// Argon2id with `params`, computed in `memory` (grown if these parameters need more).
fn raw_hash(memory: &mut Vec<Block>, params: Params, password: &[u8], salt: &[u8]) -> Result<Output, HashError> {
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let len = params.output_len().unwrap_or(OUTPUT_BYTES);
    let mut out = [0u8; 64];
    let out = out
        .get_mut(..len)
        .ok_or_else(|| HashError::Internal("output too long".into()))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
        .map_err(|e| HashError::Internal(e.to_string()))?;
    Output::new(out).map_err(|e| HashError::Internal(e.to_string()))
}

/// A new PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) with a random salt.
fn hash_phc(memory: &mut Vec<Block>, password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; SALT_BYTES];
    rand::rng().fill_bytes(&mut salt);
    let params = params();
    let output = raw_hash(memory, params.clone(), password.as_bytes(), &salt)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| HashError::Internal(e.to_string()))?,
        salt: Some(Salt::new(&salt).map_err(|e| HashError::Internal(e.to_string()))?),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `stored` (compared in constant time). A stored
/// hash with other parameters is verified with its own parameters.
fn verify_phc(memory: &mut Vec<Block>, password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    if parsed.algorithm != Algorithm::Argon2id.ident() {
        return false;
    }
    let (Ok(params), Some(salt), Some(expected)) = (Params::try_from(&parsed), parsed.salt, parsed.hash) else {
        return false;
    };
    raw_hash(memory, params, password.as_bytes(), salt.as_ref()).is_ok_and(|actual| actual == expected)
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        let concurrency = concurrency.max(1);
        let (workers, jobs) = mpsc::channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for i in 0..concurrency {
            let jobs = jobs.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    let mut memory = Vec::new();
                    loop {
                        // The lock is held only while taking the next job, not while running it.
                        let job = jobs.lock().map(|rx| rx.recv());
                        match job {
                            Ok(Ok(job)) => job(&mut memory),
                            _ => break, // every sender is gone: the hasher was dropped
                        }
                    }
                })
                .expect("spawn a hashing thread");
        }
        let dummy = hash_phc(&mut Vec::new(), "dummy password that no account has").expect("hashing works");
        Self {
            slots: Arc::new(Semaphore::new(concurrency)),
            workers,
            wait: Duration::from_secs(5),
            dummy_hash: dummy.into(),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = tokio::time::timeout(self.wait, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| HashError::Busy)?
            .map_err(|_| HashError::Busy)?;
        let span = tracing::Span::current();
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |memory| {
            let _permit = permit;
            let _entered = span.enter();
            let _ = done.send(f(memory));
        });
        self.workers
            .send(job)
            .map_err(|_| HashError::Internal("hashing threads are gone".into()))?;
        result
            .await
            .map_err(|_| HashError::Internal("a hashing thread stopped".into()))
    }

    pub async fn hash(&self, password: &Password) -> Result<String, HashError> {
        let pw = password.expose().to_owned();
        self.run(move |memory| hash_phc(memory, &pw)).await?
    }

    /// Verifies `password` against `stored`; with `None` (unknown user) it verifies against
    /// the dummy hash and answers `false`, taking the same time.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, HashError> {
        let known = stored.is_some();
        let phc = stored.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let pw = password.to_owned();
        let ok = self.run(move |memory| verify_phc(memory, &pw, &phc)).await?;
        Ok(known && ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let h = PasswordHasher::new(2);
        let pw = Password::parse("een lang wachtwoord").unwrap();
        let phc = h.hash(&pw).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(h.verify("een lang wachtwoord", Some(&phc)).await.unwrap());
        assert!(!h.verify("een ander wachtwoord", Some(&phc)).await.unwrap());
        assert!(!h.verify("een lang wachtwoord", None).await.unwrap());
        assert!(!h.verify("x", Some("not a hash")).await.unwrap());
        // Hashes made by the argon2 crate's own API (other parameters too) verify alike.
        use argon2::password_hash::PasswordHasher as _;
        let other = Params::new(8 * 1024, 1, 1, None).unwrap();
        let foreign = Argon2::new(Algorithm::Argon2id, Version::V0x13, other)
            .hash_password(b"elders wachtwoord")
            .unwrap()
            .to_string();
        assert!(h.verify("elders wachtwoord", Some(&foreign)).await.unwrap());
        assert!(!h.verify("elders wachtwoord!", Some(&foreign)).await.unwrap());
        // Only Argon2id is accepted.
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, params())
            .hash_password(b"x")
            .unwrap()
            .to_string();
        assert!(!h.verify("x", Some(&argon2i)).await.unwrap());
        // Salted: the same password never hashes the same twice.
        assert_ne!(phc, h.hash(&pw).await.unwrap());
    }

    #[tokio::test]
    async fn a_saturated_hasher_sheds_instead_of_queueing_forever() {
        let mut h = PasswordHasher::new(1);
        h.wait = Duration::from_millis(10);
        let _held = h.slots.clone().acquire_owned().await.unwrap();
        assert!(matches!(h.verify("x", None).await, Err(HashError::Busy)));
    }
}
