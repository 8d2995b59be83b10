//! Who sees which document: the audiences, the mediation wall, and who may add what. A
//! document or case one may not see is a 404, in the list, the record and the content.

use reqwest::Method;
use serde_json::json;

use crate::{case_support::*, document_support::*, harness::*, on_both_databases};

/// Whether `username` sees the document everywhere (list, record, content) or nowhere.
async fn sees(t: &TestApp, username: &str, case: &str, doc: &str) -> bool {
    let in_list = match list(t, username, case).await.status().as_u16() {
        200 => listed(t, username, case).await.contains(&doc.to_owned()),
        404 => false,
        s => panic!("list answered {s}"),
    };
    let token = t.token(username).await;
    let record = t
        .get(&format!("/api/v1/cases/{case}/documents/{doc}"), Some(&token))
        .await
        .status()
        .as_u16();
    let bytes = content(t, username, case, doc, None).await.status().as_u16();
    match (in_list, record, bytes) {
        (true, 200, 200) => true,
        (false, 404, 404) => false,
        other => panic!("{username} sees {doc} inconsistently: {other:?}"),
    }
}

const EVERYONE: [&str; 8] = [
    "demo-gemeente",
    "demo-gemeente-2",
    "demo-gemeente-3",
    "demo-regio",
    "demo-secretaris",
    "demo-bemiddelaar",
    "demo-commissielid",
    "demo-beheerder",
];

async fn who_sees(t: &TestApp, case: &str, doc: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for u in EVERYONE {
        if sees(t, u, case, doc).await {
            out.push(u);
        }
    }
    out
}

on_both_databases! {
    async fn each_audience_reaches_exactly_its_readers(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let upload_as = |audience: &'static str| {
            let t = &t;
            let case = case.clone();
            async move {
                let doc = upload_ok(t, "demo-gemeente", &case,
                    &[("type", "bewijsstuk"), ("title", "Stuk"), ("audience", audience)],
                    ("stuk.pdf", pdf(audience))).await;
                doc["id"].as_str().unwrap().to_owned()
            }
        };
        let for_all = upload_as("partijen").await;
        let commission_only = upload_as("commissie").await;
        let mediation = upload_as("bemiddeling").await;

        assert_eq!(who_sees(&t, &case, &for_all).await,
            vec!["demo-gemeente", "demo-gemeente-2", "demo-secretaris", "demo-bemiddelaar"]);
        assert_eq!(who_sees(&t, &case, &commission_only).await, vec!["demo-gemeente", "demo-secretaris"]);
        // The mediation wall: the commission's side sees it only once every party released it.
        assert_eq!(who_sees(&t, &case, &mediation).await, vec!["demo-gemeente", "demo-gemeente-2", "demo-bemiddelaar"]);
        let release = format!("/api/v1/cases/{case}/mediation/release");
        let res = t.send_json(Method::POST, &release, Some(&t.token("demo-gemeente").await), &json!({})).await;
        assert_eq!(res.status(), 200);
        assert!(!sees(&t, "demo-secretaris", &case, &mediation).await, "one release is not enough");
        let res = t.send_json(Method::POST, &release, Some(&t.token("demo-gemeente-2").await), &json!({})).await;
        assert_eq!(res.status(), 200);
        assert_eq!(who_sees(&t, &case, &mediation).await,
            vec!["demo-gemeente", "demo-gemeente-2", "demo-secretaris", "demo-bemiddelaar"]);
    }

    async fn who_may_add_what(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let status = |username: &'static str, kind: &'static str| {
            let t = &t;
            let case = case.clone();
            async move {
                upload(t, username, &case, &[("type", kind), ("title", "Stuk")], Some(("s.pdf", pdf(kind))))
                    .await.status().as_u16()
            }
        };
        assert_eq!(status("demo-gemeente", "verzoekschrift").await, 201);
        assert_eq!(status("demo-gemeente", "verweerschrift").await, 403);
        assert_eq!(status("demo-gemeente-2", "verweerschrift").await, 201);
        assert_eq!(status("demo-gemeente-2", "repliek").await, 403);
        assert_eq!(status("demo-bemiddelaar", "bemiddelingsverslag").await, 201);
        assert_eq!(status("demo-gemeente", "uitspraak").await, 403);
        assert_eq!(status("demo-secretaris", "proces_verbaal").await, 201);
        // Outsiders and the administrator: the case does not exist for them.
        assert_eq!(status("demo-gemeente-3", "bewijsstuk").await, 404);
        assert_eq!(status("demo-beheerder", "bewijsstuk").await, 404);
        // A mediation report stays in the mediation by default.
        let docs: serde_json::Value = list(&t, "demo-bemiddelaar", &case).await.json().await.unwrap();
        let report = docs.as_array().unwrap().iter().find(|d| d["type"] == "bemiddelingsverslag").unwrap();
        assert_eq!(report["audience"], "bemiddeling");
    }

    async fn a_closed_case_takes_only_the_commission_s_documents(t: TestApp) {
        let case = case_in_mediation(&t).await;
        step_ok(&t, "demo-gemeente", &case, "withdraw", json!({"reason": "Onderling geregeld."})).await;
        let res = upload(&t, "demo-gemeente", &case, BEWIJS, Some(("s.pdf", pdf("laat")))).await;
        assert_problem(res, 409).await;
        let res = upload(&t, "demo-secretaris", &case, BEWIJS, Some(("s.pdf", pdf("laat")))).await;
        assert_problem(res, 409).await;
        let res = upload(&t, "demo-secretaris", &case, &[("type", "proces_verbaal"), ("title", "Verslag")], Some(("pv.pdf", pdf("pv")))).await;
        assert_eq!(res.status(), 201);
        assert_eq!(listed(&t, "demo-gemeente", &case).await.len(), 1);
    }

    async fn a_concept_s_filer_attaches_the_request(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap();
        let doc = upload_ok(&t, "demo-gemeente", id, VERZOEKSCHRIFT, ("v.pdf", pdf("concept"))).await;
        // The respondent does not see a case that was never filed, nor its documents.
        assert_problem(list(&t, "demo-gemeente-2", id).await, 404).await;
        assert!(sees(&t, "demo-gemeente", id, doc["id"].as_str().unwrap()).await);
    }
}

mod closed_while_arriving {
    use bytes::Bytes;
    use futures::SinkExt;

    use super::*;

    /// A case withdrawn while a file is still arriving takes no document: the rules are asked
    /// again when the upload commits.
    async fn run(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let token = t.token("demo-gemeente").await;
        let (mut tx, rx) = futures::channel::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
        let request = t
            .request(Method::POST, &format!("/api/v1/cases/{case}/documents"))
            .bearer_auth(&token)
            .header("content-type", "multipart/form-data; boundary=grens")
            .body(reqwest::Body::wrap_stream(rx))
            .send();
        let pending = tokio::spawn(request);
        let head = "--grens\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nbewijsstuk\r\n--grens\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nTraag\r\n--grens\r\nContent-Disposition: form-data; name=\"file\"; filename=\"traag.pdf\"\r\n\r\n";
        tx.send(Ok(Bytes::from(head))).await.unwrap();
        tx.send(Ok(Bytes::from(pdf("traag")))).await.unwrap();
        let started = std::time::Instant::now();
        while stored_files(&t).is_empty() {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "the upload is being staged"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        step_ok(
            &t,
            "demo-gemeente",
            &case,
            "withdraw",
            json!({"reason": "Onderling geregeld."}),
        )
        .await;
        tx.send(Ok(Bytes::from_static(b"\r\n--grens--\r\n"))).await.unwrap();
        drop(tx);
        let res = pending.await.unwrap().unwrap();
        let p = assert_problem(res, 409).await;
        assert!(p["detail"].as_str().unwrap().contains("closed"), "{p}");
        assert!(listed(&t, "demo-gemeente", &case).await.is_empty());
        assert!(stored_files(&t).is_empty(), "{:?}", stored_files(&t));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(TestApp::start(Db::Sqlite).await).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(db) = Db::postgres() {
            run(TestApp::start(db).await).await;
        }
    }
}
