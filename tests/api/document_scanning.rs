//! Malware scanning with a real clamd: clean files pass, infected ones are refused and
//! recorded (never stored), files over the scanner's limits are not passed as clean, and
//! without a reachable scanner nothing is accepted.

use serde_json::Value;

use crate::{
    case_support::*,
    clamd::{Clamd, EICAR},
    document_support::*,
    harness::*,
};

async fn scanned_uploads(db: Db) {
    let clamd = Clamd::start("MaxFileSize 1M\nMaxScanSize 1M\nStreamMaxLength 50M");
    let t = TestApp::start_with(db, &[("BESLECHT_CLAMD", &clamd.url)]).await;
    let case = case_in_mediation(&t).await;
    upload_ok(
        &t,
        "demo-gemeente",
        &case,
        BEWIJS,
        ("schoon.pdf", pdf("niets aan de hand")),
    )
    .await;

    let infected = format!("Zie de bijlage.\n{EICAR}\n");
    let res = upload(
        &t,
        "demo-gemeente",
        &case,
        BEWIJS,
        Some(("notitie.txt", infected.into_bytes())),
    )
    .await;
    let p = assert_problem(res, 422).await;
    assert!(p["detail"].as_str().unwrap().contains("Beslecht.Test.Eicar"), "{p}");
    assert!(p["detail_nl"].as_str().unwrap().contains("malware"), "{p}");

    // Over the scanner's size limit: an alert, not a pass.
    let big = [pdf("groot"), vec![b' '; 2 << 20]].concat();
    let p = assert_problem(
        upload(&t, "demo-gemeente", &case, BEWIJS, Some(("groot.pdf", big))).await,
        422,
    )
    .await;
    assert!(
        p["detail"].as_str().unwrap().contains("Heuristics.Limits.Exceeded"),
        "{p}"
    );

    // Only the clean file is stored; the refusals are in the case's trail.
    assert_eq!(listed(&t, "demo-gemeente", &case).await.len(), 1);
    assert_eq!(stored_files(&t).len(), 1);
    let token = t.token("demo-secretaris").await;
    let audit: Value = t
        .get(&format!("/api/v1/cases/{case}/audit"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let refusals: Vec<String> = audit
        .to_string()
        .matches("document.refused")
        .map(str::to_owned)
        .collect();
    assert_eq!(refusals.len(), 2, "{audit}");
}

async fn unreachable_scanner(db: Db) {
    // Nothing listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let t = TestApp::start_with(db, &[("BESLECHT_CLAMD", &format!("tcp://127.0.0.1:{port}"))]).await;
    let case = case_in_mediation(&t).await;
    let res = upload(&t, "demo-gemeente", &case, BEWIJS, Some(("schoon.pdf", pdf("x")))).await;
    assert_eq!(res.headers()["retry-after"], "30");
    let p = assert_problem(res, 503).await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("virus scanner cannot be reached"),
        "{p}"
    );
    assert!(listed(&t, "demo-gemeente", &case).await.is_empty());
    assert!(stored_files(&t).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scanned_uploads_sqlite() {
    scanned_uploads(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scanned_uploads_postgres() {
    if let Some(db) = Db::postgres() {
        scanned_uploads(db).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_scanner_sqlite() {
    unreachable_scanner(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_scanner_postgres() {
    if let Some(db) = Db::postgres() {
        unreachable_scanner(db).await;
    }
}
