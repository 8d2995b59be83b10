use reqwest::Method;
use serde_json::{Value, json};

use crate::{harness::*, on_both_databases};

on_both_databases! {
    async fn signing_in_returns_a_bearer_token_that_identifies_the_user(t: TestApp) {
        let res = t.login_from("demo-gemeente", DEMO_PASSWORD, "10.1.0.1").await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["expires_in"], 900);
        let token = body["access_token"].as_str().unwrap();
        let me: Value = t.get("/api/v1/me", Some(token)).await.json().await.unwrap();
        assert_eq!(me["username"], "demo-gemeente");
        assert_eq!(me["role"], "gemeente");
        assert_eq!(me["organisation"]["name"], "Maastricht");
        assert!(me["id"].as_str().unwrap().parse::<uuid::Uuid>().is_ok());
        assert!(me["organisation"]["id"].as_str().unwrap().parse::<uuid::Uuid>().is_ok());
        assert!(me.get("password_hash").is_none());
    }

    async fn usernames_are_case_insensitive(t: TestApp) {
        assert_eq!(t.login_from(" Demo-Gemeente ", DEMO_PASSWORD, "10.1.0.2").await.status(), 200);
    }

    async fn wrong_password_and_unknown_user_get_the_same_answer(t: TestApp) {
        let wrong = assert_problem(t.login_from("demo-gemeente", "not the password", "10.1.0.3").await, 401).await;
        let unknown = assert_problem(t.login_from("nobody-here", "not the password", "10.1.0.4").await, 401).await;
        assert_eq!(wrong, unknown);
    }

    async fn a_401_names_the_bearer_scheme(t: TestApp) {
        let res = t.get("/api/v1/me", None).await;
        assert_eq!(res.headers()["www-authenticate"], "Bearer realm=\"beslecht\"");
        assert_problem(res, 401).await;
    }

    async fn a_disabled_user_cannot_sign_in(t: TestApp) {
        let admin = t.token("beheerder").await;
        let me: Value = t.get("/api/v1/me", Some(&t.token("demo-regio").await)).await.json().await.unwrap();
        let id = me["id"].as_str().unwrap();
        let res = t.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), &json!({"disabled": true})).await;
        assert_eq!(res.status(), 200);
        assert_problem(t.login_from("demo-regio", DEMO_PASSWORD, "10.1.0.5").await, 401).await;
        let res = t.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), &json!({"disabled": false})).await;
        assert_eq!(res.status(), 200);
        assert_eq!(t.login_from("demo-regio", DEMO_PASSWORD, "10.1.0.5").await.status(), 200);
    }

    async fn malformed_login_requests_are_400_problems_listing_every_field(t: TestApp) {
        let url = t.url("/api/v1/auth/token");
        let res = t.client.post(&url).header("content-type", "application/json").body("{\"username\": ").send().await.unwrap();
        let p = assert_problem(res, 400).await;
        assert!(p["detail"].as_str().unwrap().contains("not valid JSON"), "{p}");

        let res = t.client.post(&url).body("username=a&password=b").header("content-type", "application/x-www-form-urlencoded").send().await.unwrap();
        assert_problem(res, 415).await;

        let res = t.client.post(&url).json(&json!(["demo-gemeente", DEMO_PASSWORD])).send().await.unwrap();
        assert_problem(res, 400).await;

        let p = assert_problem(t.client.post(&url).json(&json!({})).send().await.unwrap(), 400).await;
        assert_eq!(invalid_fields(&p), ["username", "password"]);

        let p = assert_problem(t.client.post(&url).json(&json!({"username": 7, "password": true, "remember": 1})).send().await.unwrap(), 400).await;
        assert_eq!(invalid_fields(&p), ["username", "password", "remember"]);
        assert!(p["errors"][0]["message_nl"].as_str().is_some());
    }
}
