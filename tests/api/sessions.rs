//! Sessions people can see: one's own web sessions and API tokens on `/mijn-account/sessies`
//! and in the API, ending one (refused on every node from then on), the e-mail about a sign-in
//! from a new browser, and the password form switched off for an organisation. Both databases.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    harness::*,
    on_both_databases,
    web::{Browser, html},
};

const USER: &str = "demo-gemeente";

async fn mails_about_new_devices(t: &TestApp) -> i64 {
    count(
        &t.app.db,
        "SELECT COUNT(*) AS n FROM email_outbox WHERE dedupe_key LIKE 'new-device:%'",
    )
    .await
}

on_both_databases! {
    async fn a_person_sees_and_ends_their_sessions_on_every_node(t: TestApp) {
        let mut laptop = Browser::named(&t, "Firefox op de laptop");
        laptop.sign_in(USER).await;
        let mut phone = Browser::named(&t, "Safari op de telefoon");
        phone.sign_in(USER).await;
        let res = t
            .request(Method::POST, "/api/v1/auth/token")
            .header("user-agent", "zaaksysteem-koppeling/1.0")
            .header("x-forwarded-for", "10.1.2.3")
            .json(&json!({"username": USER, "password": DEMO_PASSWORD}))
            .send()
            .await
            .unwrap();
        let token = res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();

        let page = html(laptop.get("/mijn-account/sessies").await, 200).await;
        assert!(page.contains("Firefox op de laptop") && page.contains("Safari op de telefoon"), "{page}");
        assert!(page.contains("(deze sessie)"));
        assert!(page.contains("zaaksysteem-koppeling/1.0") && page.contains("10.1.2.3"), "{page}");

        // The API lists the same.
        let listed: Value = t.get("/api/v1/me/sessions", Some(&token)).await.json().await.unwrap();
        assert_eq!(listed["web"].as_array().unwrap().len(), 2, "{listed}");
        assert_eq!(listed["tokens"].as_array().unwrap().len(), 1, "{listed}");
        let phone_id = listed["web"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["user_agent"] == "Safari op de telefoon")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let token_id = listed["tokens"][0]["id"].as_str().unwrap().to_owned();

        // The phone's session ends from the laptop; on another node it is refused too.
        let node2 = t.another_node(&[]).await;
        let mut phone2 = Browser::named(&node2, "Safari op de telefoon");
        phone2.cookies = phone.cookies.clone();
        assert_eq!(phone2.get("/geschillen").await.status(), 200);
        let csrf = Browser::token_in(&page);
        // Without the form's token, nothing ends.
        let res = laptop.post(&format!("/mijn-account/sessies/{phone_id}/beeindigen"), &[("csrf", "fout")], None).await;
        assert_eq!(res.status(), 403);
        assert_eq!(phone2.get("/geschillen").await.status(), 200);
        let res = laptop.post(&format!("/mijn-account/sessies/{phone_id}/beeindigen"), &[("csrf", &csrf)], None).await;
        assert_eq!(res.status(), 303);
        assert_eq!(phone2.get("/geschillen").await.status(), 303, "ended on the other node");
        assert_eq!(phone.get("/geschillen").await.status(), 303);
        assert_eq!(laptop.get("/geschillen").await.status(), 200, "the laptop stays signed in");

        // Another person cannot end it, nor see it: not found.
        let other = t.token("demo-gemeente-2").await;
        let res = t.send_json(Method::DELETE, &format!("/api/v1/me/tokens/{token_id}"), Some(&other), &json!({})).await;
        assert_problem(res, 404).await;
        // The token ends from the page; the API refuses it (a token's row is in the database,
        // which every node reads).
        assert_eq!(t.get("/api/v1/me", Some(&token)).await.status(), 200);
        let res = laptop.post(&format!("/mijn-account/tokens/{token_id}/intrekken"), &[("csrf", &csrf)], None).await;
        assert_eq!(res.status(), 303);
        assert_problem(t.get("/api/v1/me", Some(&token)).await, 401).await;
        let missing = format!("/api/v1/cases/{}", uuid::Uuid::new_v4());
        assert_problem(t.get(&missing, Some(&token)).await, 401).await;
        let ended = count(&t.app.db, "SELECT COUNT(*) AS n FROM audit_events WHERE action IN ('session.ended', 'token.revoked')").await;
        assert_eq!(ended, 2, "audited");

        // Ending one's own session is signing out.
        let page = html(laptop.get("/mijn-account/sessies").await, 200).await;
        let own: Value = t.get("/api/v1/me/sessions", Some(&t.token(USER).await)).await.json().await.unwrap();
        let own_id = own["web"][0]["id"].as_str().unwrap().to_owned();
        let res = laptop.post(&format!("/mijn-account/sessies/{own_id}/beeindigen"), &[("csrf", &Browser::token_in(&page))], None).await;
        assert_eq!(res.status(), 303);
        assert_eq!(laptop.get("/geschillen").await.status(), 303);
    }

    async fn a_sign_in_from_a_new_browser_is_told_by_email(t: TestApp) {
        use sea_orm::ConnectionTrait;
        t.app.db.execute_unprepared("UPDATE users SET email = 'gemeente@maastricht.example' WHERE username = 'demo-gemeente'").await.unwrap();
        let mut first = Browser::named(&t, "Eerste browser");
        first.sign_in(USER).await;
        assert_eq!(mails_about_new_devices(&t).await, 0, "not at the very first sign-in");
        // The same browser again (it keeps its device cookie): nothing.
        first.cookies.retain(|(k, _)| k == "beslecht_apparaat");
        first.sign_in(USER).await;
        assert_eq!(mails_about_new_devices(&t).await, 0);
        // Another browser: one e-mail, saying which browser and address.
        let mut other = Browser::named(&t, "Onbekende browser");
        other.sign_in(USER).await;
        assert_eq!(mails_about_new_devices(&t).await, 1);
        let body = count(&t.app.db, "SELECT COUNT(*) AS n FROM email_outbox WHERE dedupe_key LIKE 'new-device:%' AND body LIKE '%Onbekende browser%' AND to_address = 'gemeente@maastricht.example'").await;
        assert_eq!(body, 1);
    }

    async fn the_password_form_can_be_switched_off_for_an_organisation(t: TestApp) {
        let admin = t.token("beheerder").await;
        let maastricht = t.org_id(&admin, "Maastricht").await;
        let res = t.send_json(Method::PATCH, &format!("/api/v1/organisations/{maastricht}"), Some(&admin), &json!({"password_sign_in": false})).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["password_sign_in"], false);
        assert_problem(t.login_from(USER, DEMO_PASSWORD, "10.0.0.9").await, 401).await;
        // Other organisations' people still sign in with their password.
        assert_eq!(t.login_from("demo-gemeente-2", DEMO_PASSWORD, "10.0.0.9").await.status(), 200);
        // A wrong value is named and changes nothing.
        let res = t.send_json(Method::PATCH, &format!("/api/v1/organisations/{maastricht}"), Some(&admin), &json!({"password_sign_in": "nee"})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), vec!["password_sign_in"]);
        let res = t.send_json(Method::PATCH, &format!("/api/v1/organisations/{maastricht}"), Some(&admin), &json!({"password_sign_in": true})).await;
        assert_eq!(res.status(), 200);
        assert_eq!(t.login_from(USER, DEMO_PASSWORD, "10.0.0.9").await.status(), 200);
        // The same switch on the administrator's page of the organisation.
        let mut b = Browser::new(&t);
        let page = b.get("/inloggen").await.text().await.unwrap();
        let token = Browser::token_in(&page);
        let res = b.post("/inloggen", &[("csrf", &token), ("terug", "/beheer/organisaties"), ("username", "beheerder"), ("password", &t.admin_password)], None).await;
        assert_eq!(res.status(), 303);
        let page = html(b.get(&format!("/beheer/organisaties/{maastricht}")).await, 200).await;
        assert!(page.contains("Inloggen met wachtwoord uitschakelen"), "{page}");
        let csrf = Browser::token_in(&page);
        let res = b.post(&format!("/beheer/organisaties/{maastricht}/wachtwoord"), &[("csrf", &csrf), ("toestaan", "nee")], None).await;
        assert_eq!(res.status(), 303);
        assert_problem(t.login_from(USER, DEMO_PASSWORD, "10.0.0.9").await, 401).await;
        let page = html(b.get(&format!("/beheer/organisaties/{maastricht}?wachtwoord")).await, 200).await;
        assert!(page.contains("Inloggen met wachtwoord weer toestaan") && page.contains("Gelukt"), "{page}");
        let res = b.post(&format!("/beheer/organisaties/{maastricht}/wachtwoord"), &[("csrf", &csrf), ("toestaan", "ja")], None).await;
        assert_eq!(res.status(), 303);
        assert_eq!(t.login_from(USER, DEMO_PASSWORD, "10.0.0.9").await.status(), 200);
        let audited = count(&t.app.db, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'organisation.updated'").await;
        assert_eq!(audited, 4);
        // Another's form token changes nothing.
        let res = b.post(&format!("/beheer/organisaties/{maastricht}/wachtwoord"), &[("csrf", "fout"), ("toestaan", "nee")], None).await;
        assert_eq!(res.status(), 403);
        assert_eq!(t.login_from(USER, DEMO_PASSWORD, "10.0.0.9").await.status(), 200);
    }
}
