use reqwest::Method;
use serde_json::{Value, json};

use crate::{case_support::*, harness::*, on_both_databases};

fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn b64_decode(s: &str) -> Vec<u8> {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let vals: Vec<u32> = s
        .bytes()
        .map(|c| A.iter().position(|a| *a == c).unwrap() as u32)
        .collect();
    let mut out = Vec::new();
    for chunk in vals.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, v)| acc | (v << (18 - 6 * i)));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

fn claims_of(token: &str) -> Value {
    serde_json::from_slice(&b64_decode(token.split('.').nth(1).unwrap())).unwrap()
}

/// Refused by an ordinary request, and by the case detail, which reads its caller together
/// with the case (`bundle::fetch_as`): a token that does not hold is refused before anything
/// is said of the case, even that there is none.
async fn refused(t: &TestApp, token: &str) {
    assert_problem(t.get("/api/v1/me", Some(token)).await, 401).await;
    let missing = format!("/api/v1/cases/{}", uuid::Uuid::new_v4());
    assert_problem(t.get(&missing, Some(token)).await, 401).await;
}

on_both_databases! {
    async fn forged_and_malformed_tokens_are_refused(t: TestApp) {
        let good = t.token("demo-gemeente").await;
        assert_eq!(t.get("/api/v1/me", Some(&good)).await.status(), 200);
        let [header, payload, signature]: [&str; 3] = good.split('.').collect::<Vec<_>>().try_into().unwrap();

        // alg: none, with and without the original signature.
        let none = b64(br#"{"alg":"none","typ":"JWT"}"#);
        refused(&t, &format!("{none}.{payload}.")).await;
        refused(&t, &format!("{none}.{payload}.{signature}")).await;
        // Another algorithm in the header.
        refused(&t, &format!("{}.{payload}.{signature}", b64(br#"{"alg":"HS512","typ":"JWT"}"#))).await;
        // A changed payload under the old signature: another user, a later expiry, another audience.
        for (field, value) in [("sub", json!(uuid::Uuid::new_v4())), ("exp", json!(4_000_000_000i64)), ("aud", json!("someone-else"))] {
            let mut c = claims_of(&good);
            c[field] = value;
            refused(&t, &format!("{header}.{}.{signature}", b64(&serde_json::to_vec(&c).unwrap()))).await;
        }
        // Garbage.
        for junk in ["", "x", "a.b.c", "Bearer", &format!("{good}x")] {
            refused(&t, junk).await;
        }
        let res = t.request(Method::GET, "/api/v1/me").header("authorization", format!("Basic {good}")).send().await.unwrap();
        assert_problem(res, 401).await;
    }

    async fn a_token_signed_with_another_key_or_for_another_audience_is_refused(t: TestApp) {
        use beslecht::auth::{keys, token::TokenIssuer};
        let good = t.token("demo-gemeente").await;
        let user: uuid::Uuid = claims_of(&good)["sub"].as_str().unwrap().parse().unwrap();
        let other_key = keys::load_or_generate(None, tempfile::tempdir().unwrap().path(), keys::KEY_FILE).unwrap();
        let forged = TokenIssuer::new(&other_key, std::time::Duration::from_secs(900)).issue(user, 1, chrono::Utc::now().timestamp());
        refused(&t, &forged).await;
    }

    async fn an_expired_token_is_refused_with_a_clear_message(t: TestApp) {
        let now = chrono::Utc::now().timestamp();
        let me: Value = t.get("/api/v1/me", Some(&t.token("demo-gemeente").await)).await.json().await.unwrap();
        let user = me["id"].as_str().unwrap().parse().unwrap();
        let old = t.app.tokens.issue(user, 1, now - 3_600);
        let p = assert_problem(t.get("/api/v1/me", Some(&old)).await, 401).await;
        assert!(p["detail"].as_str().unwrap().contains("expired"), "{p}");
    }

    async fn changing_the_password_ends_every_earlier_token(t: TestApp) {
        let old = t.token("demo-gemeente").await;
        let res = t.send_json(Method::POST, "/api/v1/me/password", Some(&old),
            &json!({"current_password": DEMO_PASSWORD, "new_password": "een nieuw lang wachtwoord"})).await;
        assert_eq!(res.status(), 204);
        refused(&t, &old).await;
        assert_problem(t.login_from("demo-gemeente", DEMO_PASSWORD, "10.2.0.1").await, 401).await;
        assert_eq!(t.login_from("demo-gemeente", "een nieuw lang wachtwoord", "10.2.0.1").await.status(), 200);
    }

    async fn a_wrong_current_password_changes_nothing(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        let res = t.send_json(Method::POST, "/api/v1/me/password", Some(&token),
            &json!({"current_password": "fout wachtwoord", "new_password": "een nieuw lang wachtwoord"})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["current_password"]);
        let res = t.send_json(Method::POST, "/api/v1/me/password", Some(&token), &json!({"current_password": DEMO_PASSWORD, "new_password": "kort"})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["new_password"]);
        assert_eq!(t.get("/api/v1/me", Some(&token)).await.status(), 200);
        assert_eq!(t.login_from("demo-gemeente", DEMO_PASSWORD, "10.2.0.2").await.status(), 200);
    }

    async fn a_case_is_refused_to_a_token_that_no_longer_holds_as_every_request_is(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let detail = format!("/api/v1/cases/{case}");
        let missing = format!("/api/v1/cases/{}", uuid::Uuid::new_v4());
        let mediator = t.token(MEDIATOR).await;
        assert_eq!(t.get(&detail, Some(&mediator)).await.status(), 200);
        assert_problem(t.get(&missing, Some(&mediator)).await, 404).await;
        // Someone who is no party to it: as if there were none.
        assert_problem(t.get(&detail, Some(&t.token("demo-gemeente-3").await)).await, 404).await;

        let id = claims_of(&mediator)["sub"].as_str().unwrap().to_owned();
        let admin = t.token("beheerder").await;
        let res = t.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), &json!({"disabled": true})).await;
        assert_eq!(res.status(), 200);
        for path in [&detail, &missing] {
            let p = assert_problem(t.get(path, Some(&mediator)).await, 401).await;
            assert!(p["detail"].as_str().unwrap().contains("no longer valid"), "{path}: {p}");
        }
    }

    async fn an_administrator_password_reset_and_disabling_end_tokens(t: TestApp) {
        let admin = t.token("beheerder").await;
        let user = t.token("demo-bemiddelaar").await;
        let id = claims_of(&user)["sub"].as_str().unwrap().to_owned();
        let res = t.send_json(Method::PUT, &format!("/api/v1/users/{id}/password"), Some(&admin), &json!({"password": "tijdelijk wachtwoord 1"})).await;
        assert_eq!(res.status(), 204);
        refused(&t, &user).await;

        let user = t.token_with("demo-bemiddelaar", "tijdelijk wachtwoord 1").await;
        let res = t.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), &json!({"disabled": true})).await;
        assert_eq!(res.status(), 200);
        refused(&t, &user).await;
    }
}

impl TestApp {
    async fn token_with(&self, username: &str, password: &str) -> String {
        let res = self.login_from(username, password, "10.2.0.9").await;
        assert_eq!(res.status(), 200);
        res.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}
