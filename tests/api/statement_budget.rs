//! Statement budgets: how many statements a request sends to the database, counted on the
//! server's own connection (the metric callback of the harness), on both databases. Each
//! round trip costs more than the work it carries at a million cases, so a request that
//! starts to read the same rows twice, or one row per item, fails here — before any benchmark.
//! (BEGIN and COMMIT are not counted: sea-orm does not report them.)

use std::sync::atomic::Ordering;

use reqwest::Method;
use serde_json::json;

use crate::{case_support::*, document_support::*, harness::*, on_both_databases, web::Browser};

/// The fewest statements one of three runs of `request` sent (the harness runs no background
/// work, so the three agree; the minimum keeps a stray statement from failing the test).
async fn statements<F, Fut>(t: &TestApp, mut request: F) -> u64
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut fewest = u64::MAX;
    for _ in 0..3 {
        let before = t.statements.load(Ordering::SeqCst);
        request().await;
        fewest = fewest.min(t.statements.load(Ordering::SeqCst) - before);
    }
    fewest
}

on_both_databases! {
    async fn each_request_keeps_to_its_statement_budget(t: TestApp) {
        let case = case_in_mediation(&t).await;
        upload_ok(&t, "demo-gemeente", &case, BEWIJS, ("tarieven.pdf", pdf("Tariefopbouw"))).await;
        let token = t.token("demo-gemeente").await;
        let res = t.send_json(Method::POST, &format!("/api/v1/cases/{case}/messages"), Some(&token), &json!({"body": "Graag een afspraak."})).await;
        assert_eq!(res.status(), 201);
        let heerlen = t.org_id(&token, "Heerlen").await;
        let filing = json!({
            "kind": "binnen_regio", "domain": "jeugd", "title": "Meting", "summary": "Statements tellen.",
            "respondents": [heerlen],
        });
        let mut browser = Browser::new(&t);
        browser.sign_in("demo-gemeente").await;

        let detail = statements(&t, || async {
            assert_eq!(t.get(&format!("/api/v1/cases/{case}"), Some(&token)).await.status(), 200);
        })
        .await;
        let list = statements(&t, || async {
            assert_eq!(t.get("/api/v1/cases?limit=50", Some(&token)).await.status(), 200);
        })
        .await;
        let filed = statements(&t, || async {
            assert_eq!(t.send_json(Method::POST, "/api/v1/cases", Some(&token), &filing).await.status(), 201);
        })
        .await;
        let mut page = u64::MAX;
        for _ in 0..3 {
            let before = t.statements.load(Ordering::SeqCst);
            assert_eq!(browser.get(&format!("/geschillen/{case}")).await.status(), 200);
            page = page.min(t.statements.load(Ordering::SeqCst) - before);
        }
        // The budgets: who asks, with the case and all that hangs off it (1); a page of
        // the list and its parties' names (1); a filing checks its parties and their regions
        // (2) and writes the case, its parties, its number and its trail (5); the case page
        // adds the person's session, messages, trail, documents, who wrote them, the names
        // of the people in the trail, and the visit it records (for the "nieuw" markers).
        // (SQLite, in the process, reads the caller and the case one after the other: see
        // `bundle::fetch_as`.)
        let detail_budget = if sea_orm::ConnectionTrait::get_database_backend(&t.app.db) == sea_orm::DatabaseBackend::Postgres { 1 } else { 2 };
        assert!(detail <= detail_budget, "GET /api/v1/cases/{{id}}: {detail} statements");
        assert!(list <= 2, "GET /api/v1/cases: {list} statements");
        assert!(filed <= 8, "POST /api/v1/cases: {filed} statements");
        assert!(page <= 9, "GET /geschillen/{{id}}: {page} statements");
        eprintln!("statements: detail {detail}, list {list}, filing {filed}, case page {page}");
    }
}
