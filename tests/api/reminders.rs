//! Reminders before a term's last day and the signal when it passes: to whoever must act and
//! to the secretary, in their inbox, exactly once however many workers sweep at once.

use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use beslecht::service::worker;

use crate::{case_support::*, harness::*, on_both_databases};

async fn set_due(t: &TestApp, key: &str, offset_days: i64) {
    let due = beslecht::service::today() + chrono::Duration::days(offset_days);
    t.app
        .db
        .execute_unprepared(&format!(
            "UPDATE case_terms SET due_on = '{due}' WHERE key = '{key}' AND status = 'running'"
        ))
        .await
        .unwrap();
}

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
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.terms + b.terms, 1, "one worker took the term: {a:?} {b:?}");
        let again = worker::round(&t.app).await.unwrap();
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
        assert_eq!(a.unwrap().terms + b.unwrap().terms, 1);
        worker::round(&t.app).await.unwrap();
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
        assert_eq!(worker::round(&t.app).await.unwrap().notifications, 0);
        let res = t.send_json(Method::POST, &format!("/api/v1/cases/{id}/suspensions/resume"), Some(&sec), &json!({})).await;
        assert_eq!(res.status(), 200);
        set_due(&t, "ontvankelijkheid", 1).await;
        assert!(worker::round(&t.app).await.unwrap().notifications >= 1);
    }
}
