use reqwest::Method;
use serde_json::{Value, json};

use crate::{harness::*, on_both_databases};

on_both_databases! {
    async fn unknown_routes_and_wrong_methods_are_problems(t: TestApp) {
        assert_problem(t.get("/api/v1/nothing-here", None).await, 404).await;
        assert_problem(t.get("/no/such/page", None).await, 404).await;
        let res = t.request(Method::DELETE, "/api/v1/me").send().await.unwrap();
        assert!(res.headers()["allow"].to_str().unwrap().contains("GET"));
        assert_problem(res, 405).await;
        let res = t.request(Method::PUT, "/api/v1/auth/token").send().await.unwrap();
        assert_problem(res, 405).await;
    }

    async fn an_oversized_body_is_refused_and_stores_nothing(t: TestApp) {
        let admin = t.token("beheerder").await;
        let big = "x".repeat(2 * 1024 * 1024);
        let res = t.send_json(Method::POST, "/api/v1/organisations", Some(&admin),
            &json!({"name": "Reuzegemeente", "kind": "gemeente", "padding": big})).await;
        assert_eq!(res.headers()["connection"], "close", "the unread body makes the connection unusable");
        assert_problem(res, 413).await;
        let list: Value = t.get("/api/v1/organisations?name=Reuzegemeente", Some(&admin)).await.json().await.unwrap();
        assert_eq!(list["items"].as_array().unwrap().len(), 0);
    }

    async fn a_malformed_path_id_is_a_problem(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        assert_problem(t.get("/api/v1/organisations/not-a-uuid", Some(&token)).await, 400).await;
    }

    async fn every_response_carries_security_headers_a_request_id_and_the_api_version(t: TestApp) {
        for path in ["/health/live", "/api/v1/me", "/nope", "/"] {
            let res = t.get(path, None).await;
            let h = res.headers();
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["x-frame-options"], "DENY", "{path}");
            assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
            assert_eq!(h["referrer-policy"], "same-origin");
            assert_eq!(h["api-version"], "1.0.0");
            assert!(uuid::Uuid::parse_str(h["x-request-id"].to_str().unwrap()).is_ok(), "{path}");
        }
        // A request id the caller sends is kept, so logs on both sides line up.
        let res = t.request(Method::GET, "/health/live").header("x-request-id", "abc-123").send().await.unwrap();
        assert_eq!(res.headers()["x-request-id"], "abc-123");
    }

    async fn health_endpoints_answer(t: TestApp) {
        let live: Value = t.get("/health/live", None).await.json().await.unwrap();
        assert_eq!(live["status"], "ok");
        let res = t.get("/health/ready", None).await;
        assert_eq!(res.status(), 200);
    }

    async fn the_start_page_is_dutch(t: TestApp) {
        let res = t.get("/", None).await;
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        assert!(html.contains("<html lang=\"nl\">"));
    }

    async fn the_openapi_document_is_public_and_matches_the_snapshot(t: TestApp) {
        let res = t.get("/api/v1/openapi.json", None).await;
        assert_eq!(res.status(), 200);
        let doc: Value = res.json().await.unwrap();
        assert_eq!(doc, serde_json::to_value(beslecht::http::openapi()).unwrap());
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for path in ["/api/v1/auth/token", "/api/v1/me", "/api/v1/organisations", "/api/v1/organisations/{id}", "/health/ready"] {
            assert!(doc["paths"].get(path).is_some(), "{path}");
        }
    }
}

#[test]
fn openapi_snapshot() {
    insta::assert_json_snapshot!("openapi", beslecht::http::openapi());
}

/// Every operation has an id of its own, `<verb>_<resource>`, for generated clients.
#[test]
fn operation_ids_are_unique_and_name_their_resource() {
    let doc = serde_json::to_value(beslecht::http::openapi()).unwrap();
    let mut ids = Vec::new();
    for (_, item) in doc["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                ids.push(id.to_owned());
            }
        }
    }
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    for id in &ids {
        assert!(id.contains('_'), "{id} names a verb and a resource");
    }
}
