//! The one byte range a download may ask for (RFC 9110 §14): `bytes=first-last`,
//! `bytes=first-` or `bytes=-suffix`. Anything else (several ranges, another unit, bad
//! syntax) is ignored and the whole file is sent, as the RFC allows.

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    Whole,
    /// First and last byte, inclusive.
    Part(u64, u64),
    /// A range that lies outside the file (416).
    Unsatisfiable,
}

/// Whether a `Range` still applies under `If-Range` (RFC 9110 §13.1.5): only when the
/// condition is the file's current entity tag, compared strongly. A date, a weak tag or
/// another tag means the file may have changed since the first part: send it whole.
pub fn range_applies(if_range: Option<&str>, etag: &str) -> bool {
    if_range.is_none_or(|condition| condition.trim() == etag)
}

pub fn requested(header: Option<&str>, size: u64) -> Requested {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Requested::Whole;
    };
    if spec.contains(',') {
        return Requested::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Requested::Whole;
    };
    let number = |s: &str| -> Option<Option<u64>> {
        let s = s.trim();
        if s.is_empty() {
            Some(None)
        } else if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok().map(Some)
        } else {
            None
        }
    };
    let (Some(first), Some(last)) = (number(first), number(last)) else {
        return Requested::Whole;
    };
    match (first, last) {
        (Some(f), _) if f >= size => Requested::Unsatisfiable,
        (Some(f), Some(l)) if l < f => Requested::Whole,
        (Some(f), Some(l)) => Requested::Part(f, l.min(size - 1)),
        (Some(f), None) => Requested::Part(f, size - 1),
        (None, Some(0)) => Requested::Unsatisfiable,
        (None, Some(_)) if size == 0 => Requested::Unsatisfiable,
        (None, Some(n)) => Requested::Part(size - n.min(size), size - 1),
        (None, None) => Requested::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::{Requested::*, *};

    #[test]
    fn if_range_keeps_a_range_only_for_the_same_strong_tag() {
        let tag = "\"abc\"";
        assert!(range_applies(None, tag));
        assert!(range_applies(Some("\"abc\""), tag));
        assert!(!range_applies(Some("\"other\""), tag));
        assert!(!range_applies(Some("W/\"abc\""), tag));
        assert!(!range_applies(Some("Sat, 05 Dec 2026 10:00:00 GMT"), tag));
    }

    #[test]
    fn ranges_as_rfc_9110_reads_them() {
        assert_eq!(requested(None, 100), Whole);
        assert_eq!(requested(Some("bytes=0-9"), 100), Part(0, 9));
        assert_eq!(requested(Some("bytes=90-"), 100), Part(90, 99));
        assert_eq!(requested(Some("bytes=90-500"), 100), Part(90, 99));
        assert_eq!(requested(Some("bytes=-10"), 100), Part(90, 99));
        assert_eq!(requested(Some("bytes=-500"), 100), Part(0, 99));
        assert_eq!(requested(Some("bytes=100-"), 100), Unsatisfiable);
        assert_eq!(requested(Some("bytes=-0"), 100), Unsatisfiable);
        assert_eq!(requested(Some("bytes=0-"), 0), Unsatisfiable);
    }

    #[test]
    fn what_cannot_be_read_is_ignored() {
        for h in [
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=a-b",
            "bytes=9-1",
            "bytes=",
            "bytes=-",
            "bytes=+1-2",
        ] {
            assert_eq!(requested(Some(h), 100), Whole, "{h}");
        }
    }
}
