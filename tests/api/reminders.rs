//! Reminders before a term's last day and the signal when it passes: to whoever must act and
//! to the secretary, in their inbox, exactly once however many workers sweep at once.

use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use beslecht::service::worker;

use crate::{
    case_support::*,
    harness::*,
    on_both_databases,
    web::{Browser, html},
};

async fn inbox(t: &TestApp, user: &str, query: &str) -> Vec<Value> {
    let res = t
        .get(&format!("/api/v1/me/notifications?{query}"), Some(&t.token(user).await))
        .await;
    assert_eq!(res.status(), 200);
    res.json::<Value>().await.unwrap()["items"].as_array().unwrap().clone()
}

on_both_databases! {
    async fn who_must_act_and_the_secretary_are_told_exactly_once(t: TestApp) {
        let id = case_before_commission(&t).await;
        // The defence is the respondent's (Heerlen) to give; its last day is tomorrow.
        set_due(&t, "verweer", 1).await;
        let (a, b) = tokio::join!(worker::round(&t.app), worker::round(&t.app));
        let (a, b) = (a.into_result().unwrap(), b.into_result().unwrap());
        assert_eq!(a.terms + b.terms, 1, "one worker took the term: {a:?} {b:?}");
        let again = worker::round(&t.app).await.into_result().unwrap();
        assert_eq!(again.notifications, 0, "nothing twice");
        let heerlen = inbox(&t, "demo-gemeente-2", "").await;
        assert_eq!(heerlen.len(), 1);
        assert_eq!(heerlen[0]["kind"], "herinnering");
        assert_eq!(heerlen[0]["case"], id.as_str());
        assert!(heerlen[0]["title"].as_str().unwrap().starts_with("Herinnering: Verweerschrift loopt af op"));
        assert_eq!(inbox(&t, "demo-secretaris", "").await.len(), 1);
        assert!(inbox(&t, "demo-gemeente", "").await.is_empty(), "not the claimant's term");

        // The day has passed: a signal, once.
        set_due(&t, "verweer", -1).await;
        let (a, b) = tokio::join!(worker::round(&t.app), worker::round(&t.app));
        assert_eq!(a.into_result().unwrap().terms + b.into_result().unwrap().terms, 1);
        worker::round(&t.app).await.into_result().unwrap();
        let secretary = inbox(&t, "demo-secretaris", "").await;
        assert_eq!(secretary.len(), 2);
        assert_eq!(secretary[0]["kind"], "verlopen", "newest first");
        assert!(secretary[0]["body"].as_str().unwrap().contains("is verstreken"));

        // Read, and only one's own.
        let first = secretary[0]["id"].as_str().unwrap();
        let path = format!("/api/v1/me/notifications/{first}/read");
        assert_problem(t.send_json(Method::POST, &path, Some(&t.token("demo-gemeente-2").await), &json!({})).await, 404).await;
        let res = t.send_json(Method::POST, &path, Some(&t.token("demo-secretaris").await), &json!({})).await;
        assert_eq!(res.status(), 204);
        assert_eq!(inbox(&t, "demo-secretaris", "unread=true").await.len(), 1);

        // The same inbox on the web: what is new is marked, and can be marked read there.
        let mut b = Browser::new(&t);
        b.sign_in("demo-gemeente-2").await;
        let page = html(b.get("/meldingen").await, 200).await;
        assert!(page.contains("href=\"/meldingen\" aria-current=\"page\""), "in the menu: {page}");
        assert!(page.contains("Herinnering: Verweerschrift loopt af op") && page.contains(">Nieuw</span>"), "{page}");
        assert!(page.contains(&format!("href=\"/geschillen/{id}\"")), "{page}");
        let token = Browser::token_in(&page);
        // Another person's notification: not found, nothing changed.
        assert_eq!(b.post(&format!("/meldingen/{first}/gelezen"), &[("csrf", &token)], None).await.status(), 404);
        for own in inbox(&t, "demo-gemeente-2", "unread=true").await {
            let own = own["id"].as_str().unwrap();
            assert_eq!(b.post(&format!("/meldingen/{own}/gelezen"), &[("csrf", &token)], None).await.status(), 303);
        }
        let page = html(b.get("/meldingen?ongelezen=ja").await, 200).await;
        assert!(page.contains("U hebt geen ongelezen meldingen."), "{page}");
        assert_eq!(inbox(&t, "demo-secretaris", "unread=true").await.len(), 1);
    }

    async fn a_suspended_case_sends_no_reminders(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap();
        step_ok(&t, "demo-gemeente", id, "submit", json!({})).await;
        set_due(&t, "ontvankelijkheid", 1).await;
        let sec = t.token("demo-secretaris").await;
        let res = t.send_json(Method::POST, &format!("/api/v1/cases/{id}/suspensions"), Some(&sec),
            &json!({"reason": "Wachten op raadsbesluit", "legal_basis": "art. 12 reglement"})).await;
        assert_eq!(res.status(), 200);
        assert_eq!(worker::round(&t.app).await.into_result().unwrap().notifications, 0);
        let res = t.send_json(Method::POST, &format!("/api/v1/cases/{id}/suspensions/resume"), Some(&sec), &json!({})).await;
        assert_eq!(res.status(), 200);
        set_due(&t, "ontvankelijkheid", 1).await;
        assert!(worker::round(&t.app).await.into_result().unwrap().notifications >= 1);
    }
}

/// Reminders go out by e-mail too: a refused message is retried, a message whose sender died
/// is sent again, and none is sent twice.
async fn email_is_sent_retried_and_never_twice(db: Db) {
    let sink = crate::smtp_sink::SmtpSink::start(1).await;
    let url = sink.url();
    let t = TestApp::start_with(
        db,
        &[
            ("BESLECHT_SMTP_URL", &url),
            ("BESLECHT_PUBLIC_URL", "https://beslecht.example.nl"),
        ],
    )
    .await;
    t.app
        .db
        .execute_unprepared("UPDATE users SET email = username || '@example.nl' WHERE username LIKE 'demo-%'")
        .await
        .unwrap();
    let id = case_before_commission(&t).await;
    set_due(&t, "verweer", 1).await;
    worker::round(&t.app).await.into_result().unwrap();
    // Heerlen's user and the secretary; the first attempt was refused (451) and waits.
    assert_eq!(sink.received().len(), 1);
    let waiting: Vec<(String, i32, Option<String>)> =
        <beslecht::storage::entities::email_outbox::Entity as sea_orm::EntityTrait>::find()
            .all(&t.app.db)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.status == "queued")
            .map(|m| (m.status, m.attempts, m.last_error))
            .collect();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].1, 1);
    assert!(waiting[0].2.as_deref().unwrap().contains("451"), "{waiting:?}");
    worker::round(&t.app).await.into_result().unwrap();
    assert_eq!(sink.received().len(), 1, "not before its pause has passed");
    t.app
        .db
        .execute_unprepared("UPDATE email_outbox SET next_attempt_at = '2020-01-01T00:00:00Z' WHERE status = 'queued'")
        .await
        .unwrap();
    // Two workers race for the retry: it goes out once.
    let (a, b) = tokio::join!(worker::round(&t.app), worker::round(&t.app));
    a.into_result().unwrap();
    b.into_result().unwrap();
    let mail = sink.received();
    assert_eq!(mail.len(), 2);
    worker::round(&t.app).await.into_result().unwrap();
    assert_eq!(sink.received().len(), 2, "nothing twice");
    let all = mail.join("\n");
    assert!(all.contains("Verweerschrift"), "{all}");
    assert!(all.contains(&format!("https://beslecht.example.nl/geschillen/{id}")));
    assert!(!all.contains("solidariteitsregeling"), "never the case's content");
    // The text is the template's (templates/bericht.txt): addressed to the person, with the
    // way to the inbox.
    assert!(
        all.contains("Beste Demo Gemeente Heerlen,") && all.contains("https://beslecht.example.nl/meldingen"),
        "{all}"
    );
    assert!(all.contains("To: demo-gemeente-2@example.nl") && all.contains("To: demo-secretaris@example.nl"));

    // A worker that died while sending: its lease runs out and the message goes again, once.
    t.app
        .db
        .execute_unprepared("UPDATE email_outbox SET status = 'sending', locked_until = '2020-01-01T00:00:00Z' WHERE id = (SELECT MIN(id) FROM email_outbox)")
        .await
        .unwrap();
    worker::round(&t.app).await.into_result().unwrap();
    worker::round(&t.app).await.into_result().unwrap();
    assert_eq!(sink.received().len(), 3);
    // The copy carries the first one's Message-ID, so mail systems see the same message.
    let ids = sink.message_ids();
    assert_ne!(ids[0], ids[1], "each message its own Message-ID");
    assert!(
        ids[..2].contains(&ids[2]),
        "a message sent again keeps its Message-ID: {ids:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_on_sqlite() {
    email_is_sent_retried_and_never_twice(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_on_postgres() {
    match Db::postgres() {
        Some(db) => email_is_sent_retried_and_never_twice(db).await,
        None => eprintln!("TEST_DATABASE_URL is not set: PostgreSQL variant not run"),
    }
}

on_both_databases! {
    async fn a_failing_task_does_not_skip_the_others(t: TestApp) {
        case_before_commission(&t).await;
        set_due(&t, "verweer", 1).await;
        // The inbox cannot be written: the reminder sweep fails.
        t.app.db.execute_unprepared("ALTER TABLE notifications RENAME TO notifications_away").await.unwrap();
        let round = worker::round(&t.app).await;
        assert!(round.reminders.is_err());
        // The other tasks still ran, and succeeded.
        assert!(round.uploads.is_ok(), "{:?}", round.uploads);
        assert!(round.mail.is_ok(), "{:?}", round.mail);
        assert!(round.first_error().is_some());
        // Once the inbox is back, the next round sends what is due.
        t.app.db.execute_unprepared("ALTER TABLE notifications_away RENAME TO notifications").await.unwrap();
        assert_eq!(worker::round(&t.app).await.into_result().unwrap().terms, 1);
    }
}
