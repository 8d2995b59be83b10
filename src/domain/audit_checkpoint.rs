//! Audit checkpoints, without I/O: what anchors the audit trails outside the database.
//!
//! The trails' own hash chains (`audit_chain`) show a change made through the service's
//! code paths, but anyone who can write the database can recompute a chain. A checkpoint
//! seals, every few minutes, the case trail entries written since the one before it (by row
//! id, as a digest over each entry's id, case, sequence and hash, which covers its content)
//! and the service audit log's head, chains itself to the checkpoint before it, and carries a
//! MAC under a key that is kept outside the database. It is written to the object store.
//! Whoever rewrites, removes or inserts an entry that a checkpoint covers cannot make the
//! digest match again without the key.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::audit_chain::GENESIS;

/// The case trail entries one checkpoint covers: row ids in `(after_id, through_id]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub after_id: i64,
    pub through_id: i64,
    pub count: u64,
    /// SHA-256 over `"{id} {case_id} {sequence} {hash}\n"` of each entry, in id order.
    pub digest: String,
}

/// The service audit log's last link at the time of a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub sequence: i64,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// 1, 2, 3, … without gaps.
    pub sequence: i64,
    /// RFC 3339, UTC.
    pub written_at: String,
    /// The MAC of the checkpoint before it (`GENESIS` for the first).
    pub previous: String,
    pub case_entries: Span,
    pub service_log: Head,
}

/// A checkpoint as stored: its content and its MAC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    #[serde(flatten)]
    pub checkpoint: Checkpoint,
    pub mac: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest of a span of entries, fed one entry at a time in id order.
#[derive(Default)]
pub struct SpanDigest {
    hasher: Sha256,
    count: u64,
}

impl SpanDigest {
    pub fn add(&mut self, id: i64, case_id: i32, sequence: i64, hash: &str) {
        self.hasher
            .update(format!("{id} {case_id} {sequence} {hash}\n").as_bytes());
        self.count += 1;
    }

    pub fn finish(self) -> (u64, String) {
        (self.count, hex(&self.hasher.finalize()))
    }
}

/// HMAC-SHA256 of the checkpoint's canonical JSON (serde's field order is fixed by the type).
pub fn mac(key: &[u8], c: &Checkpoint) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    m.update(&serde_json::to_vec(c).expect("a checkpoint serialises"));
    hex(&m.finalize().into_bytes())
}

/// Seals the checkpoint that follows `previous` (the sequence and MAC of the last one
/// written, or none).
pub fn seal(
    key: &[u8],
    previous: Option<(i64, &str)>,
    written_at: String,
    case_entries: Span,
    service_log: Head,
) -> Sealed {
    let checkpoint = Checkpoint {
        sequence: previous.map_or(1, |(sequence, _)| sequence + 1),
        written_at,
        previous: previous.map_or(GENESIS, |(_, mac)| mac).to_owned(),
        case_entries,
        service_log,
    };
    let mac = mac(key, &checkpoint);
    Sealed { checkpoint, mac }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub sequence: i64,
    pub why: &'static str,
}

/// Checks that checkpoints, in order, are each sealed under `key`, follow one another, and
/// cover consecutive spans of entries.
pub fn verify_series<'a>(key: &[u8], series: impl IntoIterator<Item = &'a Sealed>) -> Result<u64, Broken> {
    let mut before: Option<&Sealed> = None;
    let mut count = 0;
    for (expected, s) in (1..).zip(series) {
        let c = &s.checkpoint;
        let broken = |why| {
            Err(Broken {
                sequence: c.sequence,
                why,
            })
        };
        if c.sequence != expected {
            return broken("a checkpoint is missing or out of order");
        }
        if mac(key, c) != s.mac {
            return broken("it is not sealed with this service's audit key, or it was changed");
        }
        if c.previous != before.map_or(GENESIS, |b| b.mac.as_str()) {
            return broken("it does not follow the checkpoint before it");
        }
        let prior = before.map(|b| &b.checkpoint);
        if c.case_entries.after_id != prior.map_or(0, |p| p.case_entries.through_id)
            || c.case_entries.through_id < c.case_entries.after_id
            || c.service_log.sequence < prior.map_or(0, |p| p.service_log.sequence)
        {
            return broken("it does not continue where the checkpoint before it ended");
        }
        before = Some(s);
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const KEY: &[u8] = b"a key kept outside the database, 32+ bytes";

    fn span(after: i64, through: i64) -> Span {
        let mut d = SpanDigest::default();
        for id in after + 1..=through {
            d.add(id, (id % 7) as i32, id, &format!("{id:064x}"));
        }
        let (count, digest) = d.finish();
        Span {
            after_id: after,
            through_id: through,
            count,
            digest,
        }
    }

    fn series(n: i64) -> Vec<Sealed> {
        let mut out: Vec<Sealed> = Vec::new();
        for i in 0..n {
            let s = seal(
                KEY,
                out.last().map(|p| (p.checkpoint.sequence, p.mac.as_str())),
                format!("2026-12-05T10:0{i}:00Z"),
                span(i * 10, i * 10 + 10),
                Head {
                    sequence: i,
                    hash: format!("{i:064x}"),
                },
            );
            out.push(s);
        }
        out
    }

    #[test]
    fn a_sealed_series_verifies_and_survives_a_round_trip_through_json() {
        let s = series(4);
        assert_eq!(verify_series(KEY, &s), Ok(4));
        let back: Vec<Sealed> = s
            .iter()
            .map(|c| serde_json::from_slice(&serde_json::to_vec(c).unwrap()).unwrap())
            .collect();
        assert_eq!(back, s);
        assert_eq!(s[0].checkpoint.previous, GENESIS);
    }

    #[test]
    fn another_key_a_changed_digest_a_gap_or_a_resealed_one_is_found() {
        let s = series(3);
        assert_eq!(verify_series(b"another key", &s).unwrap_err().sequence, 1);
        let mut changed = s.clone();
        changed[1].checkpoint.case_entries.digest = "0".repeat(64);
        assert_eq!(verify_series(KEY, &changed).unwrap_err().sequence, 2);
        let gap = [s[0].clone(), s[2].clone()];
        assert_eq!(
            verify_series(KEY, &gap).unwrap_err().why,
            "a checkpoint is missing or out of order"
        );
        // Resealed with the key but not after the one before it: the link gives it away.
        let mut relinked = s.clone();
        relinked[2] = seal(
            KEY,
            Some((1, s[0].mac.as_str())),
            "x".into(),
            span(20, 30),
            Head {
                sequence: 2,
                hash: "h".into(),
            },
        );
        relinked[2].checkpoint.sequence = 3;
        relinked[2].mac = mac(KEY, &relinked[2].checkpoint);
        assert_eq!(
            verify_series(KEY, &relinked).unwrap_err().why,
            "it does not follow the checkpoint before it"
        );
    }

    proptest! {
        #[test]
        fn any_changed_entry_changes_the_digest(n in 1i64..40, which in 0usize..40, bit in 0u32..4) {
            let which = (which as i64 % n) + 1;
            let full = span(0, n);
            let mut d = SpanDigest::default();
            for id in 1..=n {
                let mut hash = format!("{id:064x}");
                if id == which {
                    hash = format!("{:064x}", id ^ (1 << bit) as i64);
                }
                d.add(id, (id % 7) as i32, id, &hash);
            }
            prop_assert_ne!(d.finish().1, full.digest);
        }
    }
}
