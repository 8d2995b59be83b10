//! Signing in through an organisation's identity provider, against a real, certified OpenID
//! Provider (`oidc-provider` on Node.js, pinned in tests/oidc/package-lock.json) that each test
//! starts with its own configuration: provisioning on and off, role and organisation from the
//! claims, every refusal (a forged, expired, unsigned token, another audience or issuer,
//! another nonce, a replayed answer, a wrong state, another browser, an unknown organisation,
//! unmapped groups), the provider's back-channel logout, and the sessions page ending a session
//! on every node. On both databases.

use reqwest::header;
use serde_json::{Value, json};

#[path = "../oidc/provider.rs"]
mod provider;

use provider::Provider;

use crate::{
    harness::*,
    on_both_databases,
    web::{Browser, html},
};

fn accounts() -> Value {
    json!({
        "anna": {"name": "Anna de Vries", "email": "anna@maastricht.example", "organisation": "GM0935", "groups": ["beslecht-gemeente"]},
        "bob": {"name": "Bob", "organisation": "GM9999", "groups": ["beslecht-gemeente"]},
        "carol": {"name": "Carol", "organisation": "GM0935", "groups": ["elders"]},
        "demo": {"name": "Demo", "preferred_username": "demo-gemeente", "organisation": "GM0935", "groups": ["beslecht-gemeente"]},
        "dave": {"name": "Dave", "preferred_username": "dave", "organisation": "GM0935", "groups": ["beslecht-gemeente"]},
    })
}

/// The service with the provider configured (`provisioning` as asked), on a port chosen first
/// so that the provider knows where to send the browser back.
async fn with_provider(db: Db, provisioning: bool) -> (TestApp, Provider) {
    with_provider_and(db, provisioning, &[]).await
}

async fn with_provider_and(db: Db, provisioning: bool, extra: &[(&str, &str)]) -> (TestApp, Provider) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let public_url = format!("http://127.0.0.1:{port}");
    let p = provider::start(&public_url, accounts());
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), provider::service_config(&p.issuer, provisioning)).unwrap();
    let path = file.path().display().to_string();
    let addr = format!("127.0.0.1:{port}");
    let mut vars = vec![
        ("BESLECHT_ADDR", addr.as_str()),
        ("BESLECHT_PUBLIC_URL", public_url.as_str()),
        ("BESLECHT_IDENTITY_PROVIDERS", path.as_str()),
        ("TEST_OIDC_SECRET", provider::SECRET),
    ];
    vars.extend_from_slice(extra);
    let t = TestApp::start_with(db, &vars).await;
    drop(file);
    (t, p)
}

fn location(res: &reqwest::Response) -> String {
    res.headers()[header::LOCATION].to_str().unwrap().to_owned()
}

/// Begins at the service and signs in at the provider as `account`: answers the address the
/// provider sends the browser back to (the service's callback, not yet visited).
async fn at_provider(b: &mut Browser<'_>, idp: &reqwest::Client, issuer: &str, account: &str) -> String {
    let res = b.get("/inloggen/test?terug=/geschillen").await;
    assert_eq!(res.status(), 303);
    let next = location(&res);
    assert!(next.starts_with(issuer), "{next}");
    assert!(
        next.contains("code_challenge_method=S256") && next.contains("nonce="),
        "{next}"
    );
    provider::sign_in(idp, issuer, &next, account).await
}

fn path_of(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    rest[rest.find('/').unwrap()..].to_owned()
}

async fn tamper(issuer: &str, kind: &str) {
    let res = reqwest::Client::new()
        .post(format!("{issuer}/test/tamper"))
        .json(&json!({"kind": kind}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
}

async fn users_named(t: &TestApp, username: &str) -> i64 {
    count(
        &t.app.db,
        &format!("SELECT COUNT(*) AS n FROM users WHERE username = '{username}'"),
    )
    .await
}

async fn refusals(t: &TestApp) -> i64 {
    count(
        &t.app.db,
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'sign_in.refused'",
    )
    .await
}

/// Signs in as `account`, expecting a refusal: the page says so and nothing is created.
async fn refused(t: &TestApp, p: &Provider, account: &str, kind: Option<&str>, says: &str) {
    let before = refusals(t).await;
    let mut b = Browser::new(t);
    let idp = provider::browser();
    let back = at_provider(&mut b, &idp, &p.issuer, account).await;
    if let Some(k) = kind {
        tamper(&p.issuer, k).await;
    }
    let page = html(b.get(&path_of(&back)).await, 401).await;
    assert!(page.contains(says), "{account} {kind:?}: {page}");
    assert!(!b.cookies.iter().any(|(k, _)| k == "beslecht_sessie"), "no session");
    assert_eq!(refusals(t).await, before + 1, "the refusal is audited");
}

on_both_databases! {
    async fn sign_in_through_the_provider_creates_the_person_once(t: TestApp) {
        // The role requires a second factor for password sign-in; not at the provider.
        let (t, p) = {
            drop(t);
            with_provider_and(db_like_this_test(), true, &[("BESLECHT_SECOND_FACTOR_ROLES", "gemeente")]).await
        };
        // The sign-in page offers the provider beside the password form.
        let page = html(Browser::new(&t).get("/inloggen").await, 200).await;
        assert!(page.contains("Inloggen via Testprovider"), "{page}");

        let mut b = Browser::new(&t);
        let idp = provider::browser();
        let back = at_provider(&mut b, &idp, &p.issuer, "anna").await;
        let res = b.get(&path_of(&back)).await;
        assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
        assert_eq!(location(&res), "/geschillen");
        html(b.get("/geschillen").await, 200).await;
        assert_eq!(users_named(&t, "anna@maastricht.example").await, 1, "provisioned");
        let row = count(&t.app.db, "SELECT COUNT(*) AS n FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.username = 'anna@maastricht.example' AND u.role = 'gemeente' AND o.cbs_code = 'GM0935'").await;
        assert_eq!(row, 1, "role and organisation from the claims");
        let audited = "SELECT COUNT(*) AS n FROM audit_events WHERE actor = 'identity provider test' AND action IN ('user.created', 'user.identity_linked')";
        assert_eq!(count(&t.app.db, audited).await, 2, "created and linked, audited");
        // The provider's people cannot sign in with a password.
        let stored: i64 = count(&t.app.db, "SELECT COUNT(*) AS n FROM users WHERE username = 'anna@maastricht.example' AND password_hash = '!federated'").await;
        assert_eq!(stored, 1);

        // The same answer brought again is refused: it was taken once.
        let before = refusals(&t).await;
        let again = html(b.get(&path_of(&back)).await, 401).await;
        assert!(again.contains("Begin opnieuw"), "{again}");
        assert_eq!(refusals(&t).await, before + 1);

        // A second sign-in (the provider remembers the person) finds the same person.
        let mut b2 = Browser::new(&t);
        let back = at_provider(&mut b2, &idp, &p.issuer, "anna").await;
        assert_eq!(b2.get(&path_of(&back)).await.status(), 303);
        assert_eq!(users_named(&t, "anna@maastricht.example").await, 1);

        // A wrong state, and an answer brought by another browser than the one that began.
        let mut b3 = Browser::new(&t);
        let back = at_provider(&mut b3, &idp, &p.issuer, "anna").await;
        let forged = path_of(&back).replace("state=", "state=x");
        html(b3.get(&forged).await, 401).await;
        let mut b4 = Browser::new(&t);
        let back = at_provider(&mut b4, &provider::browser(), &p.issuer, "anna").await;
        let mut stranger = Browser::new(&t);
        let page = html(stranger.get(&path_of(&back)).await, 401).await;
        assert!(page.contains("Begin opnieuw"));

        // The provider rotates its keys: a token signed by a key the service has not cached is
        // verified against the keys fetched again.
        let mut b5 = Browser::new(&t);
        let back = at_provider(&mut b5, &idp, &p.issuer, "anna").await;
        tamper(&p.issuer, "rotated").await;
        let res = b5.get(&path_of(&back)).await;
        assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());

        // An unknown provider is not found.
        assert_eq!(Browser::new(&t).get("/inloggen/elders").await.status(), 404);
    }

    async fn every_bad_token_is_refused_and_creates_nothing(t: TestApp) {
        let (t, p) = {
            drop(t);
            with_provider(db_like_this_test(), true).await
        };
        for kind in ["expired", "forged", "audience", "issuer", "nonce", "unsigned"] {
            refused(&t, &p, "anna", Some(kind), "Begin opnieuw").await;
            assert_eq!(users_named(&t, "anna@maastricht.example").await, 0, "{kind}: nothing created");
        }
        // Claims that do not let the person in.
        refused(&t, &p, "bob", None, "niet bekend in Beslecht").await;
        refused(&t, &p, "carol", None, "welke rol").await;
        assert_eq!(count(&t.app.db, "SELECT COUNT(*) AS n FROM user_identities").await, 0);
    }

    async fn without_provisioning_only_accounts_the_administrator_made_sign_in(t: TestApp) {
        let (t, p) = {
            drop(t);
            with_provider(db_like_this_test(), false).await
        };
        refused(&t, &p, "anna", None, "Vraag uw beheerder").await;
        refused(&t, &p, "dave", None, "Vraag uw beheerder").await;
        assert_eq!(users_named(&t, "anna@maastricht.example").await, 0);
        // demo-gemeente exists in Maastricht: the first sign-in links it.
        let mut b = Browser::new(&t);
        let idp = provider::browser();
        let back = at_provider(&mut b, &idp, &p.issuer, "demo").await;
        assert_eq!(b.get(&path_of(&back)).await.status(), 303);
        let page = html(b.get("/mijn-account").await, 200).await;
        assert!(page.contains("Demo Gemeente Maastricht"), "{page}");
        assert_eq!(count(&t.app.db, "SELECT COUNT(*) AS n FROM user_identities").await, 1);
    }

    async fn the_providers_logout_ends_the_session(t: TestApp) {
        let (t, p) = {
            drop(t);
            with_provider(db_like_this_test(), true).await
        };
        let mut b = Browser::new(&t);
        let idp = provider::browser();
        let back = at_provider(&mut b, &idp, &p.issuer, "anna").await;
        assert_eq!(b.get(&path_of(&back)).await.status(), 303);
        assert_eq!(b.get("/geschillen").await.status(), 200);
        // The person signs out at the provider, which tells the service on the back channel.
        let res = idp.get(format!("{}/session/end?client_id=beslecht", p.issuer)).send().await.unwrap();
        let page = res.text().await.unwrap();
        let action = page.split("action=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let xsrf = page.split("name=\"xsrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let url = if action.starts_with('/') { format!("{}{action}", p.issuer) } else { action };
        let res = idp.post(url).form(&[("xsrf", xsrf.as_str()), ("logout", "yes")]).send().await.unwrap();
        assert!(res.status().is_redirection(), "{}", res.status());
        assert_eq!(b.get("/geschillen").await.status(), 303, "the session ended with the provider's");
        assert_eq!(count(&t.app.db, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'session.ended_by_provider'").await, 1);

        // The provider's front channel names its session: every session begun there ends.
        let mut b = Browser::new(&t);
        let idp = provider::browser();
        let back = at_provider(&mut b, &idp, &p.issuer, "anna").await;
        assert_eq!(b.get(&path_of(&back)).await.status(), 303);
        let sid = {
            use sea_orm::{ConnectionTrait, Statement};
            let row = t.app.db.query_one_raw(Statement::from_string(t.app.db.get_database_backend(), "SELECT provider_session FROM web_sessions WHERE provider = 'test'")).await.unwrap().unwrap();
            row.try_get::<String>("", "provider_session").unwrap()
        };
        let res = t.client.get(t.url(&format!("/inloggen/test/uitloggen?iss={}&sid={}", urlencode(&p.issuer), urlencode(&sid)))).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(b.get("/geschillen").await.status(), 303, "the session ended with the provider's");
        assert_eq!(count(&t.app.db, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'session.ended_by_provider'").await, 2);
        // Another issuer's word ends nothing.
        let res = t.client.get(t.url(&format!("/inloggen/test/uitloggen?iss=https%3A%2F%2Felders.example&sid={}", urlencode(&sid)))).send().await.unwrap();
        assert_eq!(res.status(), 400);
        // A logout token that is not one is refused.
        let res = t.client.post(t.url("/inloggen/test/uitloggen")).form(&[("logout_token", "a.b.c")]).send().await.unwrap();
        assert_eq!(res.status(), 400);
    }
}

/// The database of the test that runs: the macro gives `t`, which these tests replace by one
/// with the provider configured, on the same kind of database.
fn db_like_this_test() -> Db {
    let name = std::thread::current().name().unwrap_or_default().to_owned();
    if name.ends_with("postgres") {
        Db::postgres().expect("TEST_DATABASE_URL")
    } else {
        Db::Sqlite
    }
}

/// In the real browser: the sign-in page with the provider's button passes axe, the person
/// signs in at the provider and lands on their cases, and the sessions page passes axe.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_browser_through_the_provider() {
    let (t, _p) = with_provider(Db::Sqlite, true).await;
    let chrome = crate::chrome::Chrome::start().await;
    let base = t.url("");
    chrome.goto(&format!("{base}/inloggen")).await;
    chrome.accessible("sign-in with an identity provider").await;
    chrome.fits("sign-in with an identity provider", 320).await;
    chrome.click("a[href^='/inloggen/test']").await;
    chrome.wait_for("#login").await;
    chrome.fill("#login", "anna").await;
    chrome.click("button[type=submit]").await;
    chrome.wait_for_path("/geschillen").await;
    chrome.goto(&format!("{base}/mijn-account/sessies")).await;
    assert!(chrome.text().await.contains("(deze sessie)"));
    chrome.accessible("sessions").await;
    chrome.fits("sessions", 320).await;
    chrome.close().await;
}
