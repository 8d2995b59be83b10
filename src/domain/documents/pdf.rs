//! Active content in a PDF: what runs or opens something when the file is opened — JavaScript,
//! launching a program, embedded files, rich media. Found by the PDF's own name tokens, with
//! `#xx` escapes undone (`/J#61vaScript` is `/JavaScript`), in the file as written and inside
//! its compressed (Flate) streams, where object streams hide dictionaries. Fed in chunks, so a
//! large file is read once without being held in memory; inflating is bounded.

use flate2::{Decompress, FlushDecompress, Status};

/// The names that make a PDF act when opened, and what they are called for people.
const ACTIVE: [(&[u8], &str, &str); 7] = [
    (b"JavaScript", "JavaScript", "JavaScript"),
    (b"JS", "JavaScript", "JavaScript"),
    (
        b"Launch",
        "an action that starts a program",
        "een actie die een programma start",
    ),
    (b"EmbeddedFile", "an embedded file", "een ingesloten bestand"),
    (b"EmbeddedFiles", "an embedded file", "een ingesloten bestand"),
    (
        b"RichMedia",
        "embedded media that can run code",
        "ingesloten media die code kan uitvoeren",
    ),
    (
        b"GoToE",
        "a link into an embedded file",
        "een verwijzing naar een ingesloten bestand",
    ),
];

/// What one stream may inflate to, and all streams together.
const STREAM_LIMIT: u64 = 16 * 1024 * 1024;
const TOTAL_LIMIT: u64 = 128 * 1024 * 1024;

/// Reads PDF name tokens byte by byte, across chunk boundaries.
#[derive(Default)]
struct Names {
    name: Option<Vec<u8>>,
    found: Option<usize>,
}

fn delimiter(b: u8) -> bool {
    b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b) || b == 0
}

fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            raw[i],
            raw.get(i + 1).and_then(|b| hex(*b)),
            raw.get(i + 2).and_then(|b| hex(*b)),
        ) {
            (b'#', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

impl Names {
    fn end_name(&mut self) {
        if let Some(raw) = self.name.take() {
            let name = unescape(&raw);
            if self.found.is_none() {
                self.found = ACTIVE.iter().position(|(n, _, _)| *n == name.as_slice());
            }
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if let Some(name) = &mut self.name {
                if !delimiter(b) {
                    if name.len() < 128 {
                        name.push(b);
                    }
                    continue;
                }
                self.end_name();
            }
            if b == b'/' {
                self.name = Some(Vec::new());
            }
        }
    }
}

/// Scans a PDF fed in order, chunk by chunk.
pub struct PdfScan {
    raw: Names,
    inflated: Names,
    /// The last bytes seen, to find `stream` and `endstream` across chunks.
    window: Vec<u8>,
    /// Inside a stream's body (between `stream` and `endstream`).
    in_body: bool,
    /// Its inflater, while it inflates.
    stream: Option<Decompress>,
    stream_out: u64,
    total_out: u64,
    buffer: Vec<u8>,
}

impl Default for PdfScan {
    fn default() -> Self {
        PdfScan {
            raw: Names::default(),
            inflated: Names::default(),
            window: Vec::with_capacity(16),
            in_body: false,
            stream: None,
            stream_out: 0,
            total_out: 0,
            buffer: vec![0; 64 * 1024],
        }
    }
}

impl PdfScan {
    fn push_window(&mut self, b: u8) {
        if self.window.len() == 16 {
            self.window.remove(0);
        }
        self.window.push(b);
    }

    fn starts_stream(&self) -> bool {
        let w = &self.window;
        let keyword = |eol: &[u8]| {
            let tail = [b"stream".as_slice(), eol].concat();
            w.ends_with(&tail) && !w[..w.len() - tail.len()].ends_with(b"end")
        };
        keyword(b"\n") && !w.ends_with(b"\r\n") || keyword(b"\r\n")
    }

    /// Inflates `input` into the inflated-names scanner, within the limits; a stream that is
    /// not Flate, or ends, stops being inflated.
    fn inflate(&mut self, mut input: &[u8]) {
        while !input.is_empty() && self.total_out < TOTAL_LIMIT && self.stream_out < STREAM_LIMIT {
            let Some(d) = &mut self.stream else { return };
            let (before_in, before_out) = (d.total_in(), d.total_out());
            let status = d.decompress(input, &mut self.buffer, FlushDecompress::None);
            let used = (d.total_in() - before_in) as usize;
            let made = (d.total_out() - before_out) as usize;
            self.inflated.feed(&self.buffer[..made]);
            self.stream_out += made as u64;
            self.total_out += made as u64;
            input = &input[used..];
            match status {
                Ok(Status::Ok) if used > 0 || made > 0 => {}
                _ => {
                    self.stream = None;
                    return;
                }
            }
        }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        let mut start = 0;
        for (i, &b) in chunk.iter().enumerate() {
            self.push_window(b);
            if self.in_body {
                if self.window.ends_with(b"endstream") {
                    let end = (i + 1).saturating_sub(9).max(start);
                    self.inflate(&chunk[start..end]);
                    self.inflated.end_name();
                    self.stream = None;
                    self.in_body = false;
                    start = i + 1;
                }
                continue;
            }
            self.raw.feed(&[b]);
            if self.starts_stream() {
                self.stream = Some(Decompress::new(true));
                self.stream_out = 0;
                self.in_body = true;
                start = i + 1;
            }
        }
        if self.in_body {
            self.inflate(&chunk[start..]);
        }
    }

    /// The first kind of active content found, in English and Dutch.
    pub fn finish(mut self) -> Option<(&'static str, &'static str)> {
        self.raw.end_name();
        self.inflated.end_name();
        let found = self.raw.found.or(self.inflated.found)?;
        let (_, en, nl) = ACTIVE[found];
        Some((en, nl))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use proptest::prelude::*;

    use super::*;

    fn scan(pdf: &[u8], chunk: usize) -> Option<&'static str> {
        let mut s = PdfScan::default();
        for c in pdf.chunks(chunk.max(1)) {
            s.feed(c);
        }
        s.finish().map(|(en, _)| en)
    }

    fn deflated(text: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text).unwrap();
        e.finish().unwrap()
    }

    fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        for (i, o) in objects.iter().enumerate() {
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(o);
            out.extend_from_slice(b"\nendobj\n");
        }
        out.extend_from_slice(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n");
        out
    }

    fn stream(dict: &str, body: &[u8]) -> Vec<u8> {
        [
            format!("<< {dict} /Length {} >>\nstream\n", body.len()).as_bytes(),
            body,
            b"\nendstream",
        ]
        .concat()
    }

    fn clean() -> Vec<u8> {
        pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            stream(
                "/Filter /FlateDecode",
                &deflated(b"BT /F1 12 Tf (Verzoekschrift: JS en JavaScript in tekst) Tj ET"),
            ),
            // Binary that happens to hold the bytes of a name is not read as one.
            stream("", b"\x00/JS\x00/Launch "),
        ])
    }

    #[test]
    fn a_plain_document_has_no_active_content() {
        assert_eq!(scan(&clean(), 4096), None);
    }

    #[test]
    fn javascript_launch_and_embedded_files_are_found_written_escaped_or_compressed() {
        let open_js = pdf(&[b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>".to_vec()]);
        assert_eq!(scan(&open_js, 4096), Some("JavaScript"));
        let escaped = pdf(&[b"<< /OpenAction << /S /J#61vaScript /J#53 (x) >> >>".to_vec()]);
        assert_eq!(scan(&escaped, 4096), Some("JavaScript"));
        let launch = pdf(&[b"<</S/Launch/F(cmd.exe)>>".to_vec()]);
        assert_eq!(scan(&launch, 4096), Some("an action that starts a program"));
        let hidden = pdf(&[stream(
            "/Type /ObjStm /Filter /FlateDecode",
            &deflated(b"<< /Names << /EmbeddedFiles 3 0 R >> >>"),
        )]);
        assert_eq!(scan(&hidden, 4096), Some("an embedded file"));
        let crlf = [
            b"%PDF-1.4\r\n1 0 obj\r\n<< /Filter /FlateDecode >>\r\nstream\r\n".as_slice(),
            &deflated(b"<< /AA << /O << /S /JavaScript >> >> >>"),
            b"\r\nendstream\r\nendobj",
        ]
        .concat();
        assert_eq!(scan(&crlf, 4096), Some("JavaScript"));
    }

    proptest! {
        #[test]
        fn the_answer_does_not_depend_on_how_the_file_arrives(chunk in 1usize..300) {
            let hidden = pdf(&[stream("/Filter /FlateDecode", &deflated(&[b"<< /S /Launch >> ".repeat(50), b"x".to_vec()].concat()))]);
            prop_assert_eq!(scan(&hidden, chunk), Some("an action that starts a program"));
            prop_assert_eq!(scan(&clean(), chunk), None);
        }
    }
}
