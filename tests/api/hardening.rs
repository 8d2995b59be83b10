//! Regressions for what an attacker's tries found (issue 12): control characters that reached
//! PostgreSQL, misleading characters, an open redirect at sign-in, a calendar feed that
//! outlived its owner's credentials, and a form origin checked without its scheme.

use reqwest::{Method, header};
use serde_json::{Value, json};

use crate::{harness::*, on_both_databases, web::Browser};

on_both_databases! {
    async fn a_nul_at_sign_in_is_an_ordinary_counted_failure(t: TestApp) {
        // Each from its own address: only the account counter (of the name with the NUL) speaks.
        for i in 1..=5 {
            assert_problem(t.login_from("a\u{0}b", "x", &format!("10.9.0.{i}")).await, 401).await;
        }
        assert_problem(t.login_from("a\u{0}b", "x", "10.9.1.1").await, 429).await;
        // The web form says the same, in Dutch, and sets no session.
        let mut b = Browser::new(&t);
        let page = b.get("/inloggen").await.text().await.unwrap();
        let token = Browser::token_in(&page);
        let res = b.post("/inloggen", &[("csrf", &token), ("username", "c\u{0}d"), ("password", "x")], None).await;
        assert_eq!(res.status(), 401);
        assert!(res.headers().get_all(header::SET_COOKIE).iter().all(|c| !c.to_str().unwrap().starts_with("beslecht_sessie=")));
    }

    async fn control_characters_in_an_address_or_a_field_are_refused_before_storage(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        for path in ["/api/v1/cases?q=a%00b", "/api/v1/organisations?name=a%00b", "/api/v1/cases?q=%0d%0aX-Evil:1"] {
            let p = assert_problem(t.get(path, Some(&token)).await, 400).await;
            assert!(p["detail"].as_str().unwrap().contains("control character"), "{path}: {p}");
        }
        let admin = t.token("beheerder").await;
        assert_problem(t.get("/api/v1/organisations?name=x%00", Some(&admin)).await, 400).await;
        // A person's browser is told in Dutch.
        let mut b = Browser::new(&t);
        b.sign_in("demo-gemeente").await;
        let res = b.get("/geschillen?q=a%00b").await;
        assert_eq!(res.status(), 400);
        assert!(res.text().await.unwrap().contains("Niet aangenomen"));
        // In a JSON body the field is named, and nothing is filed.
        let heerlen = t.org_id(&token, "Heerlen").await;
        let before: Value = t.get("/api/v1/cases", Some(&token)).await.json().await.unwrap();
        for (field, value) in [("title", "Kosten\u{0}jeugdhulp"), ("summary", "Samen\u{0}vatting"), ("title", "Kosten \u{202E}pluhdgeuj")] {
            let mut body = json!({
                "kind": "binnen_regio", "domain": "jeugd", "title": "Kosten jeugdhulp",
                "summary": "Heerlen weigert bij te dragen.", "respondents": [heerlen],
            });
            body[field] = json!(value);
            let p = assert_problem(t.send_json(Method::POST, "/api/v1/cases", Some(&token), &body).await, 400).await;
            assert_eq!(invalid_fields(&p), [field], "{value:?}");
            assert!(p["errors"][0]["message_nl"].as_str().unwrap().starts_with("Dit veld bevat"), "{p}");
        }
        let after: Value = t.get("/api/v1/cases", Some(&token)).await.json().await.unwrap();
        assert_eq!(before["items"], after["items"]);
    }

    async fn sign_in_returns_only_to_a_path_of_this_site(t: TestApp) {
        let mut b = Browser::new(&t);
        b.sign_in("demo-gemeente").await;
        // Signed in already: the form sends one on at once.
        for (back, to) in [("%2F%2Fevil.example", "/geschillen"), ("%2Fgeschillen%3Fq%3Dx", "/geschillen?q=x")] {
            let res = b.get(&format!("/inloggen?terug={back}")).await;
            assert_eq!(res.status(), 303, "{back}");
            assert_eq!(res.headers()[header::LOCATION], to, "{back}");
        }
        // A tab or line break in the address: refused, sent nowhere, and no session started.
        assert_eq!(b.get("/inloggen?terug=%2F%09%2Fevil.example").await.status(), 400);
        let mut fresh = Browser::new(&t);
        let res = fresh.get("/inloggen?terug=%2F%0A").await;
        assert_eq!(res.status(), 400);
        assert!(res.headers().get(header::LOCATION).is_none());
        assert!(fresh.cookies.is_empty(), "{:?}", fresh.cookies);
        // Posted with the form, a tab or line break sends one to the overview instead.
        for back in ["/\t/evil.example", "/\n", "/\\evil.example"] {
            let mut b = Browser::new(&t);
            let page = b.get("/inloggen").await.text().await.unwrap();
            let token = Browser::token_in(&page);
            let res = b
                .post("/inloggen", &[("csrf", &token), ("terug", back), ("username", "demo-gemeente"), ("password", DEMO_PASSWORD)], None)
                .await;
            assert_eq!(res.status(), 303, "{back:?}");
            assert_eq!(res.headers()[header::LOCATION], "/geschillen", "{back:?}");
        }
    }

    async fn a_calendar_feed_ends_with_the_credentials(t: TestApp) {
        let feed = |token: String| {
            let t = &t;
            async move {
                let res = t.send_json(Method::POST, "/api/v1/me/calendar-feed", Some(&token), &json!({})).await;
                assert_eq!(res.status(), 201);
                res.json::<Value>().await.unwrap()["path"].as_str().unwrap().to_owned()
            }
        };
        // The owner's own password change.
        let token = t.token("demo-gemeente").await;
        let path = feed(token.clone()).await;
        assert_eq!(t.get(&path, None).await.status(), 200);
        let res = t
            .send_json(Method::POST, "/api/v1/me/password", Some(&token),
                &json!({"current_password": DEMO_PASSWORD, "new_password": "een heel nieuw wachtwoord"}))
            .await;
        assert_eq!(res.status(), 204);
        assert_problem(t.get(&path, None).await, 404).await;

        // A reset by the administrator, and a block lifted again.
        let admin = t.token("beheerder").await;
        let id = crate::case_support::user_id(&t, "demo-regio").await;
        let path = feed(t.token("demo-regio").await).await;
        let res = t.send_json(Method::PUT, &format!("/api/v1/users/{id}/password"), Some(&admin), &json!({"password": "overgenomen wachtwoord"})).await;
        assert_eq!(res.status(), 204);
        assert_problem(t.get(&path, None).await, 404).await;

        let id = crate::case_support::user_id(&t, "demo-secretaris").await;
        let path = feed(t.token("demo-secretaris").await).await;
        for disabled in [true, false] {
            let res = t.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), &json!({"disabled": disabled})).await;
            assert_eq!(res.status(), 200);
        }
        assert_problem(t.get(&path, None).await, 404).await;
    }

    async fn a_form_from_the_same_host_over_another_scheme_is_refused(t: TestApp) {
        let mut b = Browser::new(&t);
        let page = b.get("/inloggen").await.text().await.unwrap();
        let token = Browser::token_in(&page);
        let host = t.url("").trim_start_matches("http://").to_owned();
        let form = [("csrf", token.as_str()), ("username", "demo-gemeente"), ("password", DEMO_PASSWORD)];
        let res = b.post("/inloggen", &form, Some(&format!("https://{host}"))).await;
        assert_eq!(res.status(), 403);
        let res = b.post("/inloggen", &form, Some(&format!("http://{host}"))).await;
        assert_eq!(res.status(), 303);
    }
}

mod http_details {
    use std::time::{Duration, Instant};

    use reqwest::Method;
    use serde_json::Value;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use crate::{case_support::*, document_support::*, harness::*, on_both_databases};

    on_both_databases! {
        async fn head_is_no_download_and_a_stale_if_range_gets_the_whole_file(t: TestApp) {
            let case = case_in_mediation(&t).await;
            let bytes = pdf("Verzoek om vergoeding");
            let doc = upload_ok(&t, "demo-gemeente", &case,
                &[("type", "verzoekschrift"), ("title", "Verzoekschrift"), ("confidentiality", "vertrouwelijk")],
                ("verzoek.pdf", bytes.clone())).await;
            let id = doc["id"].as_str().unwrap();
            let path = format!("/api/v1/cases/{case}/documents/{id}/content");
            let token = t.token("demo-gemeente-2").await;
            let etag = format!("\"{}\"", sha256(&bytes));

            let res = t.request(Method::HEAD, &path).bearer_auth(&token).send().await.unwrap();
            assert_eq!(res.status(), 200);
            assert_eq!(res.headers()["content-length"], bytes.len().to_string().as_str());
            assert_eq!(res.headers()["etag"], etag.as_str());

            let ranged = |if_range: &str| t.request(Method::GET, &path).bearer_auth(&token)
                .header("range", "bytes=0-7").header("if-range", if_range.to_owned()).send();
            let res = ranged("\"stale\"").await.unwrap();
            assert_eq!(res.status(), 200, "another tag: the whole file");
            assert_eq!(res.bytes().await.unwrap().len(), bytes.len());
            let res = ranged(&etag).await.unwrap();
            assert_eq!(res.status(), 206);
            assert_eq!(res.bytes().await.unwrap().as_ref(), &bytes[..8]);

            // The log holds the two downloads, not the HEAD.
            let admin = t.token("demo-secretaris").await;
            let log: Value = t.get(&format!("/api/v1/cases/{case}/documents/{id}/access-log"), Some(&admin)).await.json().await.unwrap();
            let ranges: Vec<Value> = log.as_array().unwrap().iter().map(|e| e["byte_range"].clone()).collect();
            assert_eq!(ranges, [Value::Null, Value::from("0-7")]);
        }

        async fn a_long_or_forged_request_id_is_replaced(t: TestApp) {
            for bad in ["x".repeat(65), "abc def".into(), "abc\u{1b}[31m".into()] {
                let Ok(value) = reqwest::header::HeaderValue::from_bytes(bad.as_bytes()) else { continue };
                let res = t.request(Method::GET, "/health/live").header("x-request-id", value).send().await.unwrap();
                let echoed = res.headers()["x-request-id"].to_str().unwrap();
                assert!(uuid::Uuid::parse_str(echoed).is_ok(), "{bad:?} became {echoed}");
            }
            let res = t.request(Method::GET, "/health/live").header("x-request-id", "lb-7f3a.2:1").send().await.unwrap();
            assert_eq!(res.headers()["x-request-id"], "lb-7f3a.2:1");
        }
    }

    /// Reads until the server closes the connection; answers what it sent and when it closed.
    async fn until_closed(stream: &mut tokio::net::TcpStream) -> (Vec<u8>, Instant) {
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        loop {
            match tokio::time::timeout(Duration::from_secs(30), stream.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return (got, Instant::now()),
                Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
                Err(_) => panic!("the server kept the connection open for 30 s"),
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn trickling_and_idle_connections_are_closed() {
        let t = TestApp::start_with(Db::Sqlite, &[("BESLECHT_HEADER_TIMEOUT", "1")]).await;
        let addr = t.url("").trim_start_matches("http://").to_owned();
        // One that sends a header line every 300 ms, for ever.
        let mut trickle = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let started = Instant::now();
        trickle
            .write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let feeding = async {
            for i in 0.. {
                tokio::time::sleep(Duration::from_millis(300)).await;
                if trickle.write_all(format!("X-{i}: y\r\n").as_bytes()).await.is_err() {
                    break;
                }
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(30), feeding).await;
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the trickling header was cut off"
        );
        // One that says nothing; and one kept alive after a request, then silent.
        let mut idle = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let (sent, _) = until_closed(&mut idle).await;
        assert!(
            sent.is_empty() || sent.starts_with(b"HTTP/1.1 408"),
            "{}",
            String::from_utf8_lossy(&sent)
        );
        let mut kept = tokio::net::TcpStream::connect(&addr).await.unwrap();
        kept.write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let (sent, _) = until_closed(&mut kept).await;
        assert!(sent.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&sent));
    }
}

mod uploads {
    use std::io::Write;

    use serde_json::Value;

    use crate::{case_support::*, document_support::*, harness::*, on_both_databases};

    fn deflated_zip(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut out);
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            for (name, content) in entries {
                z.start_file(*name, opts).unwrap();
                z.write_all(content).unwrap();
            }
            z.finish().unwrap();
        }
        out.into_inner()
    }

    fn word(extra: &[(&str, Vec<u8>)], content_types: &str, rels: &str) -> Vec<u8> {
        let mut entries = vec![
            ("[Content_Types].xml", content_types.as_bytes().to_vec()),
            ("_rels/.rels", b"<Relationships/>".to_vec()),
            ("word/document.xml", b"<w:document/>".to_vec()),
            ("word/_rels/document.xml.rels", rels.as_bytes().to_vec()),
        ];
        entries.extend(extra.iter().cloned());
        deflated_zip(&entries)
    }

    async fn refusal(t: &TestApp, case: &str, name: &str, bytes: Vec<u8>) -> String {
        let res = upload(t, "demo-gemeente", case, BEWIJS, Some((name, bytes))).await;
        let p: Value = assert_problem(res, 400).await;
        assert_eq!(invalid_fields(&p), ["file"], "{p}");
        format!(
            "{} | {}",
            p["errors"][0]["message"].as_str().unwrap(),
            p["errors"][0]["message_nl"].as_str().unwrap()
        )
    }

    on_both_databases! {
        async fn containers_and_pdfs_are_judged_by_their_structure_not_their_names(t: TestApp) {
            let case = case_in_mediation(&t).await;
            // 512 MiB of zeros in 0.5 MB, named .docx.
            let bomb = word(&[("word/media/filler.bin", vec![0u8; 300 * 1024 * 1024])], "<Types/>", "<Relationships/>");
            assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
            assert!(refusal(&t, &case, "verslag.docx", bomb).await.contains("zip bomb"));
            // A macro part renamed, still declared as one.
            let renamed = word(&[("word/harmless.xml", b"Attribute VB_Name".to_vec())],
                r#"<Types><Override PartName="/word/harmless.xml" ContentType="application/vnd.ms-office.vbaProject"/></Types>"#,
                "<Relationships/>");
            assert!(refusal(&t, &case, "brief.docx", renamed).await.contains("macros"));
            // A remote template.
            let remote = word(&[], "<Types/>", r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="https://evil.example/t.dotm" TargetMode="External"/></Relationships>"#);
            assert!(refusal(&t, &case, "brief.docx", remote).await.contains("remote template"));
            // A PDF that runs JavaScript on opening, plainly and with its names escaped.
            for open in ["/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", "/OpenAction << /S /J#61vaScript /J#53 (x) >>"] {
                let js = format!("%PDF-1.4\n1 0 obj << /Type /Catalog {open} >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
                let why = refusal(&t, &case, "verzoek.pdf", js.into_bytes()).await;
                assert!(why.contains("JavaScript") && why.contains("Een pdf met JavaScript"), "{why}");
            }
            // A real document with a hyperlink, compressed as Word does, is fine; nothing else was stored.
            let fine = word(&[], "<Types/>", r#"<Relationships><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.vng.nl/" TargetMode="External"/></Relationships>"#);
            upload_ok(&t, "demo-gemeente", &case, BEWIJS, ("brief.docx", fine)).await;
            assert_eq!(stored_files(&t).len(), 1);
        }
    }
}
