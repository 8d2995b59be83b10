//! The file types a case accepts, recognised from their bytes. The name's extension must
//! agree with what the bytes are, so a program or a script cannot pass as a document, and a
//! download is always served as the type that was checked.

use super::office;

/// An accepted file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Docx,
    Xlsx,
    Odt,
    Ods,
    Png,
    Jpeg,
    Text,
    Email,
}

impl FileType {
    pub const ALL: [FileType; 9] = [
        FileType::Pdf,
        FileType::Docx,
        FileType::Xlsx,
        FileType::Odt,
        FileType::Ods,
        FileType::Png,
        FileType::Jpeg,
        FileType::Text,
        FileType::Email,
    ];

    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Odt => "application/vnd.oasis.opendocument.text",
            FileType::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Text => "text/plain; charset=utf-8",
            FileType::Email => "message/rfc822",
        }
    }

    /// The extensions a file of this type may have.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Docx => &["docx"],
            FileType::Xlsx => &["xlsx"],
            FileType::Odt => &["odt"],
            FileType::Ods => &["ods"],
            FileType::Png => &["png"],
            FileType::Jpeg => &["jpg", "jpeg"],
            FileType::Text => &["txt"],
            FileType::Email => &["eml"],
        }
    }

    /// Every accepted extension, for messages.
    pub fn accepted_extensions() -> String {
        Self::ALL
            .iter()
            .flat_map(|t| t.extensions())
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The type a file with these bytes and this extension is, or why it is refused (in
    /// English and Dutch).
    pub fn decide(sniff: &Sniff, extension: &str) -> Result<FileType, (String, String)> {
        let found = match sniff {
            Sniff::Pdf => FileType::Pdf,
            Sniff::Png => FileType::Png,
            Sniff::Jpeg => FileType::Jpeg,
            Sniff::Office(t) => *t,
            Sniff::Text { email } => {
                if extension == "eml" && *email {
                    FileType::Email
                } else {
                    FileType::Text
                }
            }
            Sniff::Refused { what, what_nl } => {
                return Err((
                    format!("{what} is not accepted as a document"),
                    format!("{what_nl} wordt niet als stuk aangenomen."),
                ));
            }
            Sniff::Unknown => {
                return Err((
                    format!(
                        "this kind of file is not accepted; accepted are {}",
                        Self::accepted_extensions()
                    ),
                    format!(
                        "Dit soort bestand wordt niet aangenomen. Toegestaan zijn {}.",
                        Self::accepted_extensions()
                    ),
                ));
            }
        };
        if found.extensions().contains(&extension) {
            Ok(found)
        } else {
            let ext = found.extensions()[0];
            Err((
                format!("the file's content is .{ext}, but its name ends in .{extension}"),
                format!("De inhoud van het bestand is .{ext}, maar de naam eindigt op .{extension}."),
            ))
        }
    }
}

/// What a file's bytes show it to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniff {
    Pdf,
    Png,
    Jpeg,
    /// A zip container recognised as an office document (see [`ZipFacts`]).
    Office(FileType),
    /// UTF-8 text without control characters; `email` if it starts with mail headers.
    Text {
        email: bool,
    },
    /// Something recognised and refused on principle: programs, scripts, macros.
    Refused {
        what: &'static str,
        what_nl: &'static str,
    },
    Unknown,
}

/// The number of leading bytes [`sniff`] looks at.
pub const HEAD: usize = 4096;

const fn refused(what: &'static str, what_nl: &'static str) -> Sniff {
    Sniff::Refused { what, what_nl }
}

/// Recognises a file from its first bytes (`head`, up to [`HEAD`]) and whether all of it is
/// clean text (see [`TextCheck`]). A zip container comes back as [`Sniff::Unknown`] here;
/// the caller reads its directory and asks [`ZipFacts::sniff`].
pub fn sniff(head: &[u8], text: bool) -> Sniff {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"%PDF-") {
        Sniff::Pdf
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Sniff::Png
    } else if starts(b"\xFF\xD8\xFF") {
        Sniff::Jpeg
    } else if starts(b"MZ")
        || starts(b"\x7FELF")
        || starts(&[0xCF, 0xFA, 0xED, 0xFE])
        || starts(&[0xCA, 0xFE, 0xBA, 0xBE])
    {
        refused("a program", "Een programma")
    } else if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        refused(
            "an old-style Office file (which may carry macros)",
            "Een oud Office-bestand (dat macro's kan bevatten)",
        )
    } else if text {
        let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let trimmed = body.trim_ascii_start().to_ascii_lowercase();
        let markup = [&b"<html"[..], b"<!doctype", b"<svg", b"<script", b"<?php", b"<?xml"];
        if body.starts_with(b"#!") {
            refused("a script", "Een script")
        } else if markup.iter().any(|m| trimmed.starts_with(m)) {
            refused("a web page or markup", "Een webpagina of opmaakcode")
        } else {
            Sniff::Text {
                email: looks_like_email(body),
            }
        }
    } else {
        Sniff::Unknown
    }
}

/// Whether `head` is a zip container (an office document, perhaps).
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
}

/// What a zip container's directory holds, read by the caller.
#[derive(Debug, Clone, Default)]
pub struct ZipFacts {
    pub names: Vec<String>,
    /// The content of the `mimetype` entry (OpenDocument), if stored.
    pub mimetype: Option<String>,
    /// `[Content_Types].xml` (Office Open XML), if present.
    pub content_types: Option<String>,
    /// The relationships of every `.rels` part.
    pub relationships: Vec<office::Relationship>,
    pub expansion: office::Expansion,
    /// A part could not be inflated (an unknown method, encryption, a broken stream).
    pub unreadable: bool,
}

impl ZipFacts {
    pub fn sniff(&self) -> Sniff {
        let has = |n: &str| self.names.iter().any(|x| x == n);
        if self.expansion.is_bomb() {
            return refused(
                "a compressed file that unpacks to far more than a document does (a zip bomb)",
                "Een gecomprimeerd bestand dat uitpakt tot veel meer dan een document (een zip-bom)",
            );
        }
        if self.unreadable {
            return refused(
                "a container with parts that cannot be read (encrypted or damaged)",
                "Een bestand met onderdelen die niet te lezen zijn (versleuteld of beschadigd)",
            );
        }
        let macros = self.names.iter().any(|n| {
            let n = n.to_ascii_lowercase();
            n.ends_with("vbaproject.bin") || n.starts_with("basic/") || n.starts_with("scripts/")
        }) || self.content_types.as_deref().is_some_and(office::declares_macros)
            || self.relationships.iter().any(office::Relationship::is_macro);
        if self
            .relationships
            .iter()
            .any(office::Relationship::fetches_from_elsewhere)
        {
            return refused(
                "a document that fetches parts from elsewhere when opened (such as a remote template)",
                "Een document dat bij openen onderdelen van elders ophaalt (zoals een sjabloon op afstand)",
            );
        }
        if macros {
            return refused("a document with macros", "Een document met macro's");
        }
        match self.mimetype.as_deref().map(str::trim) {
            Some("application/vnd.oasis.opendocument.text") => return Sniff::Office(FileType::Odt),
            Some("application/vnd.oasis.opendocument.spreadsheet") => return Sniff::Office(FileType::Ods),
            _ => {}
        }
        if has("[Content_Types].xml") && has("word/document.xml") {
            Sniff::Office(FileType::Docx)
        } else if has("[Content_Types].xml") && has("xl/workbook.xml") {
            Sniff::Office(FileType::Xlsx)
        } else {
            refused("a zip archive", "Een zip-archief")
        }
    }
}

/// Whether text starts with an RFC 5322 header block: at least two header fields, one of
/// them a field every mail has.
fn looks_like_email(text: &[u8]) -> bool {
    let mut fields = 0;
    let mut known = false;
    for line in text.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            // A line cut off at the end of the head is no evidence either way.
            break;
        };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|&b| (33..=126).contains(&b)) {
            return false;
        }
        fields += 1;
        let name = name.to_ascii_lowercase();
        known |= [
            &b"from"[..],
            b"date",
            b"message-id",
            b"received",
            b"return-path",
            b"mime-version",
        ]
        .contains(&name.as_slice());
    }
    fields >= 2 && known
}

/// Checks, chunk by chunk, that a whole stream is UTF-8 text without control characters
/// (tab, line feed, form feed and carriage return allowed), carrying a character split
/// between chunks over to the next.
#[derive(Debug, Clone)]
pub struct TextCheck {
    ok: bool,
    pending: Vec<u8>,
}

impl Default for TextCheck {
    fn default() -> Self {
        TextCheck {
            ok: true,
            pending: Vec::new(),
        }
    }
}

fn clean(bytes: &[u8]) -> bool {
    !bytes
        .iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r')) || b == 0x7F)
}

impl TextCheck {
    pub fn feed(&mut self, mut chunk: &[u8]) {
        if !self.ok {
            return;
        }
        if let Some(&first) = self.pending.first() {
            let width = match first {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            let take = (width - self.pending.len()).min(chunk.len());
            self.pending.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
            if self.pending.len() < width {
                return;
            }
            if std::str::from_utf8(&self.pending).is_err() {
                self.ok = false;
                return;
            }
            self.pending.clear();
        }
        match std::str::from_utf8(chunk) {
            Ok(_) => self.ok = clean(chunk),
            Err(e) if e.error_len().is_none() => {
                let (valid, rest) = chunk.split_at(e.valid_up_to());
                self.ok = clean(valid);
                self.pending.extend_from_slice(rest);
            }
            Err(_) => self.ok = false,
        }
    }

    /// Whether everything fed was clean text (and did not end inside a character).
    pub fn finish(&self) -> bool {
        self.ok && self.pending.is_empty()
    }
}

#[cfg(test)]
#[path = "file_type_tests.rs"]
mod tests;
