//! Reading an uploaded file's structure for what the domain's rules judge: a PDF's active
//! content (`domain::documents::pdf`), and a zip container (an office file, perhaps) as
//! `ZipFacts`: its names, its `mimetype`, `[Content_Types].xml` and relationships, and
//! how far it really unpacks. Every part is inflated once, counted and thrown away, and
//! inflating stops at the domain's limits, so a zip bomb costs at most those.

use std::io::{self, Read};

use crate::domain::documents::{
    ZipFacts,
    office::{self, Expansion, MAX_ENTRIES, MAX_EXPANDED},
    pdf::PdfScan,
};

/// How much of a part that is read as text (content types, relationships) is kept.
const TEXT_LIMIT: u64 = 1024 * 1024;

/// The facts of the container at `path`; empty if it is no valid zip.
pub fn zip_facts(path: &std::path::Path) -> ZipFacts {
    let Ok(file) = std::fs::File::open(path) else {
        return ZipFacts::default();
    };
    let compressed = file.metadata().map(|m| m.len()).unwrap_or_default();
    zip_facts_of(io::BufReader::new(file), compressed)
}

/// The facts of a container read from `reader`, `compressed` bytes long.
pub fn zip_facts_of(reader: impl Read + io::Seek, compressed: u64) -> ZipFacts {
    let Ok(mut zip) = zip::ZipArchive::new(reader) else {
        return ZipFacts::default();
    };
    let mut facts = ZipFacts {
        expansion: Expansion {
            compressed,
            expanded: 0,
            entries: zip.len(),
        },
        ..ZipFacts::default()
    };
    if zip.len() > MAX_ENTRIES {
        return facts;
    }
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            facts.unreadable = true;
            return facts;
        };
        let Ok(name) = entry.name().map(|n| n.into_owned()) else {
            facts.unreadable = true;
            return facts;
        };
        let budget = MAX_EXPANDED + 1 - facts.expansion.expanded;
        let text_wanted = name == "mimetype" || name == "[Content_Types].xml" || name.ends_with(".rels");
        let read = if text_wanted {
            let mut text = Vec::new();
            let read = (&mut entry)
                .take(TEXT_LIMIT.min(budget))
                .read_to_end(&mut text)
                .map(|n| n as u64);
            // Whatever lies past the part of it that is read still counts.
            let rest = read
                .as_ref()
                .ok()
                .map(|_| io::copy(&mut (&mut entry).take(budget), &mut io::sink()));
            let text = String::from_utf8_lossy(&text).into_owned();
            match name.as_str() {
                "mimetype" => facts.mimetype = Some(text.chars().take(200).collect()),
                "[Content_Types].xml" => facts.content_types = Some(text),
                _ => facts.relationships.extend(office::relationships(&text)),
            }
            match (read, rest) {
                (Ok(n), Some(Ok(m))) => Ok(n + m),
                (Err(e), _) | (_, Some(Err(e))) => Err(e),
                (Ok(n), None) => Ok(n),
            }
        } else {
            io::copy(&mut (&mut entry).take(budget), &mut io::sink())
        };
        facts.names.push(name);
        match read {
            Ok(n) => facts.expansion.expanded += n,
            Err(_) => {
                facts.unreadable = true;
                return facts;
            }
        }
        if facts.expansion.expanded > MAX_EXPANDED {
            return facts;
        }
    }
    facts
}

/// The first active content in the PDF at `path` (see `domain::documents::pdf`), if any.
pub fn pdf_active_content(path: &std::path::Path) -> io::Result<Option<(&'static str, &'static str)>> {
    let mut file = std::fs::File::open(path)?;
    let mut scan = PdfScan::default();
    let mut buffer = vec![0; 256 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok(scan.finish());
        }
        scan.feed(&buffer[..n]);
    }
}
