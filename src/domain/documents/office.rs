//! What an office file (a zip container) holds beyond its names: how far it unpacks, whether
//! its declared content types or relationships carry macros, and whether it fetches parts from
//! elsewhere. Names alone do not tell: a macro part can be renamed, but Word still finds it
//! through `[Content_Types].xml` and the relationships, and a remote template is only a
//! relationship with `TargetMode="External"`.

/// How far a container unpacks: its size on disk, what all its parts inflate to (counted while
/// inflating, never taken from the declared sizes, which can lie), and how many parts it has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expansion {
    pub compressed: u64,
    pub expanded: u64,
    pub entries: usize,
}

/// Inflating stops past this; a real document comes nowhere near.
pub const MAX_EXPANDED: u64 = 256 * 1024 * 1024;
/// Parts in one container.
pub const MAX_ENTRIES: usize = 10_000;
/// Text compresses well, but not a hundredfold over megabytes.
const MAX_RATIO: u64 = 100;
const RATIO_FROM: u64 = 16 * 1024 * 1024;

impl Expansion {
    /// Whether it unpacks so far that it is a zip bomb, not a document.
    pub fn is_bomb(&self) -> bool {
        self.entries > MAX_ENTRIES
            || self.expanded > MAX_EXPANDED
            || (self.expanded > RATIO_FROM && self.expanded > self.compressed.saturating_mul(MAX_RATIO))
    }
}

/// Whether `[Content_Types].xml` declares a macro or ActiveX part, whatever it is named.
pub fn declares_macros(content_types: &str) -> bool {
    let t = content_types.to_ascii_lowercase();
    [
        "vbaproject",
        "macroenabled",
        "activex",
        "vbadata",
        "ms-excel.sheet.binary.macro",
    ]
    .iter()
    .any(|needle| t.contains(needle))
}

/// One `<Relationship>` of a `.rels` part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    pub kind: String,
    pub external: bool,
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}="))? + name.len() + 2;
    let quote = tag[at..].chars().next()?;
    let rest = &tag[at + 1..];
    rest.find(quote).map(|end| &rest[..end])
}

/// The relationships declared in a `.rels` part.
pub fn relationships(xml: &str) -> Vec<Relationship> {
    xml.split("<Relationship")
        .skip(1)
        // `<Relationships>`, the list itself, is no relationship.
        .filter(|rest| rest.starts_with(|c: char| c.is_whitespace() || c == '/' || c == '>'))
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            let tag = format!(" {}", tag.trim_start());
            Some(Relationship {
                kind: attribute(&tag, "Type").unwrap_or_default().to_owned(),
                external: attribute(&tag, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External")),
            })
        })
        .collect()
}

impl Relationship {
    /// A relationship to a macro part.
    pub fn is_macro(&self) -> bool {
        let k = self.kind.to_ascii_lowercase();
        k.ends_with("/vbaproject") || k.ends_with("/wordvbadata") || k.ends_with("/activexcontrolbinary")
    }

    /// A part fetched from elsewhere when the document opens (a template, an object, a frame,
    /// an image); a hyperlink only points elsewhere and is fine.
    pub fn fetches_from_elsewhere(&self) -> bool {
        self.external && !self.kind.to_ascii_lowercase().ends_with("/hyperlink")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REMOTE_TEMPLATE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="https://evil.example/t.dotm" TargetMode="External"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.vng.nl/" TargetMode="External"/></Relationships>"#;

    #[test]
    fn a_remote_template_fetches_from_elsewhere_and_a_hyperlink_does_not() {
        let rels = relationships(REMOTE_TEMPLATE);
        assert_eq!(rels.len(), 2);
        assert!(rels[0].fetches_from_elsewhere());
        assert!(!rels[1].fetches_from_elsewhere());
        assert!(rels.iter().all(|r| !r.is_macro()));
        let single = relationships("<Relationship Type='x/vbaProject' Target='renamed.xml'/>");
        assert!(single[0].is_macro() && !single[0].external);
    }

    #[test]
    fn macros_are_found_by_content_type() {
        assert!(declares_macros(
            r#"<Override PartName="/word/harmless.xml" ContentType="application/vnd.ms-office.vbaProject"/>"#
        ));
        assert!(declares_macros(
            "application/vnd.ms-word.document.macroEnabled.main+xml"
        ));
        assert!(!declares_macros(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        ));
    }

    #[test]
    fn a_zip_bomb_is_told_from_a_document() {
        let doc = Expansion {
            compressed: 40_000,
            expanded: 300_000,
            entries: 12,
        };
        assert!(!doc.is_bomb());
        let bomb = Expansion {
            compressed: 500_000,
            expanded: 512 * 1024 * 1024,
            entries: 3,
        };
        assert!(bomb.is_bomb());
        let ratio = Expansion {
            compressed: 100_000,
            expanded: 20 * 1024 * 1024,
            entries: 3,
        };
        assert!(ratio.is_bomb());
        let big_but_fair = Expansion {
            compressed: 30 * 1024 * 1024,
            expanded: 60 * 1024 * 1024,
            entries: 400,
        };
        assert!(!big_but_fair.is_bomb());
        assert!(
            Expansion {
                compressed: 1,
                expanded: 1,
                entries: MAX_ENTRIES + 1
            }
            .is_bomb()
        );
    }
}
