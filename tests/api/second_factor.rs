//! A second factor for password sign-in (TOTP, RFC 6238): enrolment and confirmation through
//! the API, the token endpoint and the web sign-in asking for the code, a code accepted once,
//! recovery codes used once, guessing throttled, and an administrator's reset; on both
//! databases. The codes are computed here as an authenticator app would, from the
//! `otpauth://` address the service gave.

use reqwest::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use totp_rs::{Secret, Totp};

use crate::{
    harness::*,
    on_both_databases,
    web::{Browser, html},
};

const USER: &str = "demo-gemeente";

/// The app's view of the factor: from the `otpauth://` address.
fn app_from(uri: &str) -> Totp {
    let secret = uri.split("secret=").nth(1).unwrap().split('&').next().unwrap();
    totp_rs::Builder::new()
        .with_secret(Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap()
}

fn code_at(app: &Totp, offset_steps: i64) -> String {
    let now = chrono::Utc::now().timestamp() + offset_steps * 30;
    app.generate(now as u64).to_string()
}

async fn token_with(t: &TestApp, code: Option<&str>) -> reqwest::Response {
    let mut body = json!({"username": USER, "password": DEMO_PASSWORD});
    if let Some(c) = code {
        body["code"] = json!(c);
    }
    t.request(Method::POST, "/api/v1/auth/token")
        .header("x-forwarded-for", "10.0.0.7")
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn required(res: reqwest::Response) {
    let problem = assert_problem(res, 401).await;
    assert_eq!(problem["second_factor"], "required", "{problem}");
}

/// Enrols `USER`: answers the authenticator and the recovery codes.
async fn enrolled(t: &TestApp) -> (Totp, Vec<String>) {
    let token = t.token(USER).await;
    let res = t
        .send_json(Method::POST, "/api/v1/me/second-factor", Some(&token), &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    let enrolment: Value = res.json().await.unwrap();
    let uri = enrolment["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/Beslecht:demo-gemeente?"), "{uri}");
    assert!(
        enrolment["qr_svg"].as_str().unwrap().contains("<svg"),
        "a QR code drawn here"
    );
    let app = app_from(uri);
    // A wrong code does not confirm it.
    required(
        t.send_json(
            Method::POST,
            "/api/v1/me/second-factor/confirm",
            Some(&token),
            &json!({"code": "000000"}),
        )
        .await,
    )
    .await;
    let res = t
        .send_json(
            Method::POST,
            "/api/v1/me/second-factor/confirm",
            Some(&token),
            &json!({"code": code_at(&app, 0)}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let codes: Vec<String> = res.json::<Value>().await.unwrap()["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    (app, codes)
}

on_both_databases! {
    async fn the_token_asks_for_the_code_once_a_second_factor_is_in_force(t: TestApp) {
        // Without a second factor, the password alone signs in (demo mode requires none).
        assert_eq!(token_with(&t, None).await.status(), 200);
        let (app, codes) = enrolled(&t).await;

        required(token_with(&t, None).await).await;
        required(token_with(&t, Some("123456")).await).await;
        // The confirming code's step is used: the next step's code signs in, once.
        let next = code_at(&app, 1);
        assert_eq!(token_with(&t, Some(&next)).await.status(), 200);
        required(token_with(&t, Some(&next)).await).await;
        // A recovery code, once (typed in capitals and without its dash, as people do).
        let typed = codes[0].replace('-', "").to_uppercase();
        assert_eq!(token_with(&t, Some(&typed)).await.status(), 200);
        required(token_with(&t, Some(&codes[0])).await).await;

        // Enrolling again while one is in force: refused.
        let res = token_with(&t, Some(&codes[1])).await;
        assert_eq!(res.status(), 200);
        let token = res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
        assert_problem(t.send_json(Method::POST, "/api/v1/me/second-factor", Some(&token), &json!({})).await, 409).await;

        // Guessing is throttled like passwords: after a few wrong codes even a right one waits.
        let mut last = 0;
        for _ in 0..6 {
            last = token_with(&t, Some("999999")).await.status().as_u16();
        }
        assert_eq!(last, 429);
        assert_eq!(token_with(&t, Some(&codes[2])).await.status(), 429);

        // An administrator resets it (audited); the password alone signs in again.
        let me: Value = t.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        let admin = t.token("beheerder").await;
        let path = format!("/api/v1/users/{}/second-factor", me["id"].as_str().unwrap());
        assert_problem(t.send_json(Method::DELETE, &path, Some(&t.token("demo-secretaris").await), &json!({})).await, 403).await;
        assert_eq!(t.send_json(Method::DELETE, &path, Some(&admin), &json!({})).await.status(), 204);
        let db = &t.app.db;
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT action FROM audit_events"))
            .await
            .unwrap();
        let actions: Vec<String> = rows.iter().map(|r| r.try_get::<String>("", "action").unwrap()).collect();
        for a in ["second_factor.start", "second_factor.confirm", "second_factor.recovery_code", "second_factor.reset"] {
            assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
        }
        assert_eq!(token_with(&t, None).await.status(), 200);
    }

    async fn the_web_sign_in_asks_for_the_code(t: TestApp) {
        let (app, _) = enrolled(&t).await;
        let mut b = Browser::new(&t);
        let page = html(b.get("/inloggen").await, 200).await;
        assert!(page.contains("autocomplete=\"one-time-code\""), "{page}");
        let token = Browser::token_in(&page);
        let res = b.post("/inloggen", &[("csrf", &token), ("username", USER), ("password", DEMO_PASSWORD)], None).await;
        let page = html(res, 401).await;
        assert!(page.contains("U hebt een tweede factor ingesteld."), "{page}");
        assert_eq!(b.get("/geschillen").await.status(), 303, "not signed in");
        let token = Browser::token_in(&page);
        let code = code_at(&app, 1);
        let res = b.post("/inloggen", &[("csrf", &token), ("username", USER), ("password", DEMO_PASSWORD), ("code", &code)], None).await;
        assert_eq!(res.status(), 303);
        assert_eq!(b.get("/geschillen").await.status(), 200, "signed in");
    }

    async fn a_person_sets_up_the_second_factor_in_the_web(t: TestApp) {
        let mut b = Browser::new(&t);
        b.sign_in(USER).await;
        let account = html(b.get("/mijn-account").await, 200).await;
        assert!(account.contains("href=\"/mijn-account/tweede-factor\""), "{account}");
        let page = html(b.get("/mijn-account/tweede-factor").await, 200).await;
        assert!(page.contains("Tweede factor instellen"), "{page}");
        let token = Browser::token_in(&page);
        let page = html(b.post("/mijn-account/tweede-factor", &[("csrf", &token)], None).await, 200).await;
        assert!(page.contains("<svg") && !page.contains("<?xml"), "the QR code, in the page");
        let secret = page.split("<code class=\"secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
        let app = totp_rs::Builder::new().with_secret(Secret::try_from_base32(&secret).unwrap()).build().unwrap();
        // An empty or wrong code: said next to the field, nothing in force.
        let page = html(b.post("/mijn-account/tweede-factor/bevestigen", &[("csrf", &token), ("code", "")], None).await, 400).await;
        assert!(page.contains("Vul de code in die uw authenticator-app nu toont."), "{page}");
        let page = html(b.post("/mijn-account/tweede-factor/bevestigen", &[("csrf", &token), ("code", "000000")], None).await, 400).await;
        assert!(page.contains("Deze code klopt niet.") && page.contains(&secret), "the same QR code again: {page}");
        assert_eq!(token_with(&t, None).await.status(), 200, "not in force yet");
        let page = html(b.post("/mijn-account/tweede-factor/bevestigen", &[("csrf", &token), ("code", &code_at(&app, 0))], None).await, 200).await;
        assert!(page.contains("Gelukt: uw tweede factor is ingesteld"), "{page}");
        assert_eq!(page.matches("<li><code>").count(), 10, "ten recovery codes");
        required(token_with(&t, None).await).await;
        let page = html(b.get("/mijn-account/tweede-factor").await, 200).await;
        assert!(page.contains("U hebt een tweede factor ingesteld"), "{page}");
    }
}

/// A role that requires a second factor: the token is refused until one is set up (in the
/// web), and a web session leads only to enrolment until then; other roles are not asked.
async fn a_role_that_requires_it_leads_to_enrolment(db: Db) {
    let t = TestApp::start_with(db, &[("BESLECHT_SECOND_FACTOR_ROLES", "gemeente")]).await;
    let problem = assert_problem(token_with(&t, None).await, 401).await;
    assert_eq!(problem["second_factor"], "enrolment_required", "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("/mijn-account/tweede-factor")
    );
    assert_eq!(
        t.login_from("demo-secretaris", DEMO_PASSWORD, "10.0.0.8")
            .await
            .status(),
        200,
        "not the secretary's role"
    );

    let mut b = Browser::new(&t);
    let page = b.get("/inloggen").await.text().await.unwrap();
    let token = Browser::token_in(&page);
    let res = b
        .post(
            "/inloggen",
            &[
                ("csrf", &token),
                ("terug", "/geschillen"),
                ("username", USER),
                ("password", DEMO_PASSWORD),
            ],
            None,
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/mijn-account/tweede-factor");
    let res = b.get("/geschillen").await;
    assert_eq!(
        (res.status().as_u16(), res.headers()["location"].to_str().unwrap()),
        (303, "/mijn-account/tweede-factor"),
        "nowhere else"
    );
    let page = html(b.get("/mijn-account/tweede-factor").await, 200).await;
    assert!(page.contains("Voor uw rol is een tweede factor verplicht."), "{page}");
    let token = Browser::token_in(&page);
    let page = html(
        b.post("/mijn-account/tweede-factor", &[("csrf", &token)], None).await,
        200,
    )
    .await;
    let secret = page
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let app = totp_rs::Builder::new()
        .with_secret(Secret::try_from_base32(&secret).unwrap())
        .build()
        .unwrap();
    let page = html(
        b.post(
            "/mijn-account/tweede-factor/bevestigen",
            &[("csrf", &token), ("code", &code_at(&app, 0))],
            None,
        )
        .await,
        200,
    )
    .await;
    assert!(page.contains("Gelukt: uw tweede factor is ingesteld"), "{page}");
    assert_eq!(b.get("/geschillen").await.status(), 200, "everywhere again");
    assert_eq!(token_with(&t, Some(&code_at(&app, 1))).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_that_requires_it_leads_to_enrolment_sqlite() {
    a_role_that_requires_it_leads_to_enrolment(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_that_requires_it_leads_to_enrolment_postgres() {
    if let Some(db) = Db::postgres() {
        a_role_that_requires_it_leads_to_enrolment(db).await;
    }
}
