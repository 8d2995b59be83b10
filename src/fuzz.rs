//! Fuzz targets: each takes arbitrary bytes, feeds them to one reader of untrusted input, and
//! checks what must hold whatever the input (no panic, and the invariants named). The same
//! functions run in two ways:
//! - briefly in the test suite (`fuzz::tests`, a few thousand generated inputs each, in CI);
//! - for as long as one likes with cargo-fuzz (`fuzz/`, see the README's "Fuzzing").

use std::io::Cursor;

use crate::domain::{
    documents::{FileType, Sniff, TextCheck, is_zip, pdf::PdfScan, range, sniff},
    terms::Term,
};

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// The term notation (`P2W`, `P1M`, …): a parsed term is within bounds, longer than zero, and
/// reads the same however its letters are cased.
pub fn term_duration(data: &[u8]) {
    let raw = text(data);
    if let Ok(t) = Term::parse(&raw) {
        assert!(t.months <= crate::domain::terms::duration::MAX_MONTHS, "{raw:?}");
        assert!(t.days <= crate::domain::terms::duration::MAX_DAYS, "{raw:?}");
        assert!(t.months > 0 || t.days > 0, "{raw:?}");
        assert_eq!(Term::parse(&raw.to_ascii_lowercase()), Ok(t), "{raw:?}");
        let _ = t.to_string();
        let _ = t.at_least_days();
    }
}

/// The web forms' Dutch notation of dates (d-m-yyyy) and euros (1.085,50): what is read is
/// read back the same from the form's own rendering.
pub fn dutch_notation(data: &[u8]) {
    use crate::http::web::fact_forms::{cents_of, date_of, euro, iso_date};
    let raw = text(data);
    let _ = iso_date(&raw);
    if let Some(d) = date_of(raw.trim()) {
        assert_eq!(date_of(&d.format("%d-%m-%Y").to_string()), Some(d), "{raw:?}");
        assert_eq!(date_of(&d.to_string()), Some(d), "{raw:?}");
    }
    if let Some(c) = cents_of(&raw) {
        assert!(c >= 0, "{raw:?}");
        assert_eq!(cents_of(&euro(c)), Some(c), "{raw:?}");
    }
}

/// Recognising a file from its bytes: the sniff, the text check fed in two different ways, a
/// zip container's facts, and a PDF's active content fed in two chunkings all agree with
/// themselves, and a type is only decided for one of its own extensions.
pub fn file_type(data: &[u8]) {
    let head = &data[..data.len().min(crate::domain::documents::HEAD)];
    let mut whole = TextCheck::default();
    whole.feed(data);
    let mut pieces = TextCheck::default();
    for c in data.chunks(7) {
        pieces.feed(c);
    }
    assert_eq!(whole.finish(), pieces.finish());
    let sniffed = if is_zip(head) {
        crate::service::documents::container::zip_facts_of(Cursor::new(data), data.len() as u64).sniff()
    } else {
        sniff(head, whole.finish())
    };
    for ext in [
        "pdf", "docx", "xlsx", "odt", "ods", "png", "jpg", "txt", "eml", "exe", "",
    ] {
        if let Ok(t) = FileType::decide(&sniffed, ext) {
            assert!(t.extensions().contains(&ext), "{t:?} for .{ext}");
            assert!(!matches!(sniffed, Sniff::Refused { .. } | Sniff::Unknown));
        }
    }
    let scan = |size: usize| {
        let mut s = PdfScan::default();
        for c in data.chunks(size) {
            s.feed(c);
        }
        s.finish()
    };
    assert_eq!(scan(data.len().max(1)), scan(13));
}

/// The `Range` header: a part lies inside the file, first before last; `If-Range` never panics.
pub fn range_header(data: &[u8]) {
    let Some((size, header)) = data.split_first_chunk::<4>() else {
        return;
    };
    let size = u32::from_le_bytes(*size) as u64 % 10_000_000;
    let header = text(header);
    match range::requested(Some(&header), size) {
        range::Requested::Part(first, last) => assert!(first <= last && last < size, "{header:?} of {size}"),
        range::Requested::Whole | range::Requested::Unsatisfiable => {}
    }
    let _ = range::range_applies(Some(&header), "\"abc\"");
}

/// The multipart reader: any body is read or refused as bad input — never an internal error —
/// and a refused or dropped submission leaves no staged file behind.
pub fn multipart(data: &[u8]) {
    use axum::extract::{FromRequest, Multipart};
    let dir = tempfile_dir();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let req = axum::http::Request::builder()
            .method("POST")
            .header("content-type", "multipart/form-data; boundary=X")
            .body(axum::body::Body::from(data.to_vec()))
            .expect("a request");
        let Ok(multipart) = Multipart::from_request(req, &()).await else {
            return;
        };
        match crate::http::multipart::read_into(&dir, 4096, multipart).await {
            Ok(submission) => {
                if let Some(f) = &submission.file {
                    assert!(f.staged.size <= 4096);
                }
            }
            Err(crate::error::Error::Internal(e)) => panic!("an internal error on input: {e}"),
            Err(_) => {}
        }
    });
    let left = std::fs::read_dir(crate::service::documents::staging::dir(&dir))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(left, 0, "a staged file was left behind");
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("beslecht-fuzz-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Seeds that reach deep: valid forms of each notation, which the generator then varies.
    fn seeded(seeds: &'static [&'static [u8]]) -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..512),
            (
                proptest::sample::select(seeds),
                proptest::collection::vec(any::<u8>(), 0..8),
                any::<usize>()
            )
                .prop_map(|(seed, noise, at)| {
                    let mut v = seed.to_vec();
                    let at = if v.is_empty() { 0 } else { at % v.len() };
                    v.splice(at..at, noise);
                    v
                }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

        #[test]
        fn term_durations(data in seeded(&[b"P2W", b"P1Y6M", b"p10d", b"PT4H", b"P99999999999D"])) {
            term_duration(&data);
        }

        #[test]
        fn dutch_dates_and_amounts(data in seeded(&[b"31-12-2026", b"2026-02-29", b"\xe2\x82\xac 1.085,50", b"85.5", b"9223372036854775807"])) {
            dutch_notation(&data);
        }

        #[test]
        fn file_types(data in seeded(&[b"%PDF-1.4\n1 0 obj << /S /JavaScript >> stream\nx\nendstream", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"From: a\r\nTo: b\r\n\r\n"])) {
            file_type(&data);
        }

        #[test]
        fn range_headers(data in seeded(&[b"\x10\0\0\0bytes=0-7", b"\x10\0\0\0bytes=-5", b"\0\0\0\0bytes=0-", b"\xff\xff\xff\xffbytes=5-1,2-3"])) {
            range_header(&data);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn multipart_bodies(data in seeded(&[
            b"--X\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nBrief\r\n--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4\r\n--X--\r\n",
            b"--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF",
        ])) {
            multipart(&data);
        }
    }
}
