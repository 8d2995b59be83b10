//! A file name as a user gave it. It is kept as metadata only and never becomes part of a
//! path: stored objects are named by a random id. The name is still checked, because it is
//! shown to others and offered back on download.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::domain::{
    characters::{self, TextUse},
    values::Invalid,
};

/// A checked file name: one name, no folders, printable, with an extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName(String);

impl FileName {
    pub const MAX: usize = 255;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(Invalid::Empty);
        }
        if name.chars().count() > Self::MAX {
            return Err(Invalid::TooLong { max: Self::MAX });
        }
        // Control characters, and the bidirectional overrides (U+202E and kin) that make
        // "rapport<U+202E>fdp.exe" display as "rapportexe.pdf", and invisible characters.
        characters::check(name, TextUse::Line)?;
        let folders = name.contains(['/', '\\']) || name.starts_with('.') || name.contains(':');
        let extension = name.rsplit_once('.').map(|(stem, ext)| (stem.trim(), ext));
        let has_extension = extension.is_some_and(|(stem, ext)| {
            !stem.is_empty() && !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric())
        });
        if folders || !has_extension {
            return Err(Invalid::Pattern {
                expected: "a file name without folders, with an extension, such as verzoekschrift.pdf",
            });
        }
        Ok(FileName(name.to_owned()))
    }

    /// The extension, lowercased (`PDF` and `pdf` are one).
    pub fn extension(&self) -> String {
        self.0
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// What RFC 5987 lets stand unencoded in `filename*` (attr-char).
const ATTR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `Content-Disposition: attachment` for a stored name: a plain-ASCII `filename` for old
/// clients and the exact name as UTF-8 in `filename*` (RFC 6266). Quotes, backslashes and
/// anything outside printable ASCII never reach the quoted form.
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '%' | ';') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, ATTR)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass_and_keep_their_case() {
        let n = FileName::parse("  Tariefopbouw 2026 (def).XLSX ").unwrap();
        assert_eq!(n.as_str(), "Tariefopbouw 2026 (def).XLSX");
        assert_eq!(n.extension(), "xlsx");
        assert_eq!(FileName::parse("brief-aan-ozj.pdf").unwrap().extension(), "pdf");
    }

    #[test]
    fn paths_hidden_names_and_missing_extensions_are_refused() {
        for bad in [
            "../../etc/passwd.txt",
            "map/brief.pdf",
            "C:\\brief.pdf",
            "c:brief.pdf",
            ".bashrc",
            ".pdf",
            "brief",
            "brief.",
            "brief.p df",
        ] {
            assert!(
                matches!(FileName::parse(bad), Err(Invalid::Pattern { .. })),
                "{bad:?} passed"
            );
        }
    }

    #[test]
    fn control_characters_bidi_overrides_and_long_names_are_refused() {
        assert_eq!(FileName::parse("brief\n.pdf"), Err(Invalid::ControlCharacters));
        assert_eq!(FileName::parse("brief\u{0}.pdf"), Err(Invalid::ControlCharacters));
        assert_eq!(FileName::parse("brief\u{200F}.pdf"), Err(Invalid::MisleadingCharacters));
        assert_eq!(FileName::parse("brief\u{200B}.pdf"), Err(Invalid::MisleadingCharacters));
        assert_eq!(
            FileName::parse("rapport\u{202E}fdp.exe"),
            Err(Invalid::MisleadingCharacters)
        );
        assert_eq!(FileName::parse(""), Err(Invalid::Empty));
        let long = format!("{}.pdf", "a".repeat(3000));
        assert_eq!(FileName::parse(&long), Err(Invalid::TooLong { max: 255 }));
    }

    #[test]
    fn content_disposition_is_safe_and_exact() {
        assert_eq!(
            content_disposition("brief.pdf"),
            "attachment; filename=\"brief.pdf\"; filename*=UTF-8''brief.pdf"
        );
        let d = content_disposition("Ex \"quote\" – ü.pdf");
        assert_eq!(
            d,
            "attachment; filename=\"Ex _quote_ _ _.pdf\"; filename*=UTF-8''Ex%20%22quote%22%20%E2%80%93%20%C3%BC.pdf"
        );
    }
}
