//! The tamper-evident audit trail's chain, without I/O.
//!
//! Each entry stores the hash of the entry before it and its own hash over a canonical form
//! of its content (`SHA-256(previous hash ‖ "\n" ‖ canonical JSON)`, keys sorted at every
//! level, timestamps in UTC to the microsecond). Changing any field of an entry breaks its
//! own hash; deleting or reordering entries breaks the sequence or the link to the previous
//! hash. [`verify`] walks a trail in order and names the first entry that does not hold.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The previous hash of the very first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry says; every field is covered by its hash.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryContent {
    /// 1, 2, 3, … without gaps.
    pub sequence: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
    pub organisation: Option<String>,
    pub action: String,
    pub subject: String,
    pub reason: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// An entry as stored: its content, the previous entry's hash, and its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub content: EntryContent,
    pub previous_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The sequence number of the first entry that does not hold.
    pub sequence: i64,
    pub why: &'static str,
}

/// JSON with the keys of every object sorted, whatever order they were built or stored in.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), canonical(&map[k])))
                    .collect::<Map<_, _>>(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn canonical_text(c: &EntryContent) -> String {
    let mut fields: Vec<(&str, Value)> = vec![
        ("action", Value::from(c.action.as_str())),
        ("actor", Value::from(c.actor.as_str())),
        ("after", c.after.as_ref().map_or(Value::Null, canonical)),
        ("before", c.before.as_ref().map_or(Value::Null, canonical)),
        (
            "occurred_at",
            Value::from(c.occurred_at.to_rfc3339_opts(SecondsFormat::Micros, true)),
        ),
        (
            "organisation",
            c.organisation.as_deref().map_or(Value::Null, Value::from),
        ),
        ("reason", c.reason.as_deref().map_or(Value::Null, Value::from)),
        ("sequence", Value::from(c.sequence)),
        ("subject", Value::from(c.subject.as_str())),
    ];
    fields.sort_by_key(|(k, _)| *k);
    let object: Map<String, Value> = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    Value::Object(object).to_string()
}

/// The hash of `content` chained to `previous_hash`, as lowercase hex.
pub fn hash(previous_hash: &str, content: &EntryContent) -> String {
    let mut h = Sha256::new();
    h.update(previous_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical_text(content).as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Chains `content` after `previous` (the trail's last entry, or none).
pub fn append(previous: Option<&Entry>, mut content: EntryContent) -> Entry {
    let previous_hash = previous.map_or(GENESIS.to_owned(), |p| p.hash.clone());
    content.sequence = previous.map_or(1, |p| p.content.sequence + 1);
    let hash = hash(&previous_hash, &content);
    Entry {
        content,
        previous_hash,
        hash,
    }
}

/// Checks a whole trail, in stored order.
pub fn verify<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Result<u64, Broken> {
    verify_after(None, entries)
}

/// Checks entries that continue after `last` (an entry already verified; `None`: from the
/// start), so a long trail can be checked a page at a time.
pub fn verify_after<'a>(last: Option<&Entry>, entries: impl IntoIterator<Item = &'a Entry>) -> Result<u64, Broken> {
    let mut expected_previous = last.map_or(GENESIS, |l| l.hash.as_str());
    let first = last.map_or(1, |l| l.content.sequence + 1);
    let mut count = 0;
    for (expected_sequence, e) in (first..).zip(entries) {
        let sequence = e.content.sequence;
        if sequence != expected_sequence {
            return Err(Broken {
                sequence,
                why: "an entry is missing or out of order",
            });
        }
        if e.previous_hash != expected_previous {
            return Err(Broken {
                sequence,
                why: "it does not follow the entry before it",
            });
        }
        if hash(&e.previous_hash, &e.content) != e.hash {
            return Err(Broken {
                sequence,
                why: "its content was changed",
            });
        }
        expected_previous = &e.hash;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn content(i: i64) -> EntryContent {
        EntryContent {
            sequence: 0,
            occurred_at: DateTime::from_timestamp(1_790_000_000 + i, 123_456_000).unwrap(),
            actor: format!("demo-secretaris ({i})"),
            organisation: Some("Onafhankelijke Geschillencommissie NvO".into()),
            action: "case.step.admit".into(),
            subject: "case:GS-2026-0001".into(),
            reason: (i % 2 == 0).then(|| "ontvankelijk".into()),
            before: Some(json!({"phase": "ingediend"})),
            after: Some(json!({"phase": "bemiddeling", "path": {"b": 1, "a": [2, {"z": 0, "y": 1}]}})),
        }
    }

    fn trail(n: i64) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::new();
        for i in 0..n {
            let e = append(out.last(), content(i));
            out.push(e);
        }
        out
    }

    #[test]
    fn an_untouched_trail_verifies() {
        assert_eq!(verify(&trail(0)), Ok(0));
        assert_eq!(verify(&trail(5)), Ok(5));
        assert_eq!(trail(1)[0].previous_hash, GENESIS);
        assert_eq!(trail(3)[2].content.sequence, 3);
    }

    #[test]
    fn key_order_does_not_matter_but_values_do() {
        let mut a = content(1);
        let mut b = content(1);
        a.after = Some(serde_json::from_str(r#"{"x": 1, "y": {"p": 1, "q": 2}}"#).unwrap());
        b.after = Some(serde_json::from_str(r#"{"y": {"q": 2, "p": 1}, "x": 1}"#).unwrap());
        assert_eq!(hash(GENESIS, &a), hash(GENESIS, &b));
        b.after = Some(json!({"x": 1, "y": {"q": 2, "p": 2}}));
        assert_ne!(hash(GENESIS, &a), hash(GENESIS, &b));
    }

    #[test]
    fn every_kind_of_tampering_is_found_at_the_first_broken_entry() {
        let good = trail(6);
        let mut changed = good.clone();
        changed[2].content.reason = Some("anders".into());
        assert_eq!(
            verify(&changed).unwrap_err(),
            Broken {
                sequence: 3,
                why: "its content was changed"
            }
        );

        let mut rehashed = changed.clone();
        rehashed[2].hash = hash(&rehashed[2].previous_hash, &rehashed[2].content);
        assert_eq!(
            verify(&rehashed).unwrap_err().sequence,
            4,
            "re-hashing one entry breaks the next link"
        );

        let mut deleted = good.clone();
        deleted.remove(3);
        assert_eq!(
            verify(&deleted).unwrap_err(),
            Broken {
                sequence: 5,
                why: "an entry is missing or out of order"
            }
        );

        let mut swapped = good.clone();
        swapped.swap(1, 2);
        assert_eq!(verify(&swapped).unwrap_err().sequence, 3);

        let mut truncated_start = good.clone();
        truncated_start.remove(0);
        assert_eq!(verify(&truncated_start).unwrap_err().sequence, 2);

        let mut moved_in_time = good.clone();
        moved_in_time[4].content.occurred_at += chrono::Duration::microseconds(1);
        assert_eq!(verify(&moved_in_time).unwrap_err().sequence, 5);
    }

    proptest! {
        #[test]
        fn changing_any_one_entry_is_detected(n in 1i64..20, which in 0usize..20, field in 0usize..6) {
            let mut t = trail(n);
            let i = which % t.len();
            let c = &mut t[i].content;
            match field {
                0 => c.actor.push('x'),
                1 => c.action.push('x'),
                2 => c.before = None,
                3 => c.after = Some(json!({"phase": "geschikt"})),
                4 => c.organisation = None,
                _ => c.subject.push('x'),
            }
            prop_assert_eq!(verify(&t).unwrap_err().sequence, i as i64 + 1);
        }
    }
}
