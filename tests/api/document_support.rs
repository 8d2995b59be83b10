//! Shared steps for the document tests: sample files of every accepted type, uploading
//! through real multipart, and reading back.

use std::io::Write;

use reqwest::{
    Response,
    multipart::{Form, Part},
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::harness::*;

pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n").into_bytes()
}

pub fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec();
    b.extend_from_slice(&[0x90, 0x77, 0x53, 0xDE]);
    b
}

pub fn jpeg() -> Vec<u8> {
    b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xFF\xD9".to_vec()
}

/// A zip container with these entries (stored, as OpenDocument wants its `mimetype`).
pub fn zip_with(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, content) in entries {
            z.start_file(*name, opts).unwrap();
            z.write_all(content.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

pub fn docx() -> Vec<u8> {
    zip_with(&[
        ("[Content_Types].xml", "<Types/>"),
        ("_rels/.rels", "<Relationships/>"),
        ("word/document.xml", "<w:document/>"),
    ])
}

pub fn xlsx() -> Vec<u8> {
    zip_with(&[("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")])
}

pub fn odt() -> Vec<u8> {
    zip_with(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", "<office:document-content/>"),
    ])
}

pub fn ods() -> Vec<u8> {
    zip_with(&[
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", "<office:document-content/>"),
    ])
}

pub fn eml() -> Vec<u8> {
    b"From: Jan Jansen <j.jansen@maastricht.nl>\r\nTo: secretariaat@ozj.nl\r\nDate: Mon, 2 Nov 2026 10:00:00 +0100\r\nSubject: Tariefopbouw\r\n\r\nZie bijlage.\r\n".to_vec()
}

/// The parts of an upload besides the file; `None` leaves the file out.
pub fn form(fields: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> Form {
    let mut f = Form::new();
    for (k, v) in fields {
        f = f.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes)) = file {
        f = f.part("file", Part::bytes(bytes).file_name(name.to_owned()));
    }
    f
}

pub async fn upload_form(t: &TestApp, username: &str, case: &str, form: Form) -> Response {
    let token = t.token(username).await;
    t.request(reqwest::Method::POST, &format!("/api/v1/cases/{case}/documents"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

pub async fn upload(
    t: &TestApp,
    username: &str,
    case: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> Response {
    upload_form(t, username, case, form(fields, file)).await
}

/// Uploads a document that must be accepted; answers its record.
pub async fn upload_ok(
    t: &TestApp,
    username: &str,
    case: &str,
    fields: &[(&str, &str)],
    file: (&str, Vec<u8>),
) -> Value {
    let res = upload(t, username, case, fields, Some(file)).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{username}: {body}");
    body
}

pub async fn list(t: &TestApp, username: &str, case: &str) -> Response {
    let token = t.token(username).await;
    t.get(&format!("/api/v1/cases/{case}/documents"), Some(&token)).await
}

/// The ids of the documents `username` sees in the case.
pub async fn listed(t: &TestApp, username: &str, case: &str) -> Vec<String> {
    let res = list(t, username, case).await;
    assert_eq!(res.status(), 200);
    let docs: Value = res.json().await.unwrap();
    docs.as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect()
}

pub async fn content(t: &TestApp, username: &str, case: &str, doc: &str, range: Option<&str>) -> Response {
    let token = t.token(username).await;
    let mut req = t
        .request(
            reqwest::Method::GET,
            &format!("/api/v1/cases/{case}/documents/{doc}/content"),
        )
        .bearer_auth(token);
    if let Some(r) = range {
        req = req.header("range", r);
    }
    req.send().await.unwrap()
}

/// Every file under the local object store and the staging directory.
pub fn stored_files(t: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&t.data_dir.path().join("objects"), &mut out);
    walk(&t.data_dir.path().join("uploads"), &mut out);
    out
}

pub const VERZOEKSCHRIFT: &[(&str, &str)] = &[("type", "verzoekschrift"), ("title", "Verzoekschrift Maastricht")];
pub const BEWIJS: &[(&str, &str)] = &[("type", "bewijsstuk"), ("title", "Tariefopbouw 2026")];
