//! Shared steps for the case tests: filing, taking steps, and bringing a case to a phase.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::harness::*;

pub const MEDIATOR: &str = "demo-bemiddelaar";
pub const CHAIR: &str = "demo-commissielid";
pub const MEMBER: &str = "demo-commissielid-2";

pub async fn user_id(t: &TestApp, username: &str) -> String {
    let token = t.token(username).await;
    let me: Value = t.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
    me["id"].as_str().unwrap().to_owned()
}

/// Files a case as `username`; answers the new case (asserting 201).
pub async fn file(t: &TestApp, username: &str, body: Value) -> Value {
    let token = t.token(username).await;
    let res = t.send_json(Method::POST, "/api/v1/cases", Some(&token), &body).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

/// A youth-care dispute of Maastricht (demo-gemeente) against Heerlen, in the same region.
pub async fn file_binnen_regio(t: &TestApp) -> Value {
    let token = t.token("demo-gemeente").await;
    let heerlen = t.org_id(&token, "Heerlen").await;
    file(
        t,
        "demo-gemeente",
        json!({
            "kind": "binnen_regio", "domain": "jeugd",
            "title": "Verdeling van de kosten van gesloten jeugdhulp",
            "summary": "Heerlen weigert bij te dragen aan de solidariteitsregeling.",
            "respondents": [heerlen],
        }),
    )
    .await
}

pub async fn step(t: &TestApp, username: &str, case: &str, step: &str, body: Value) -> Response {
    let token = t.token(username).await;
    t.send_json(
        Method::POST,
        &format!("/api/v1/cases/{case}/steps/{step}"),
        Some(&token),
        &body,
    )
    .await
}

/// Takes a step that must succeed; answers the case after it.
pub async fn step_ok(t: &TestApp, username: &str, case: &str, name: &str, body: Value) -> Value {
    let res = step(t, username, case, name, body).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{username} {name}: {body}");
    body
}

pub fn in_a_week() -> String {
    (chrono::Utc::now() + chrono::Duration::days(7)).to_rfc3339()
}

/// A filed Maastricht–Heerlen case in mediation, with the demo mediator assigned.
pub async fn case_in_mediation(t: &TestApp) -> String {
    let case = file_binnen_regio(t).await;
    let id = case["id"].as_str().unwrap().to_owned();
    step_ok(t, "demo-gemeente", &id, "submit", json!({})).await;
    step_ok(t, "demo-secretaris", &id, "admit", json!({"path": "bemiddeling"})).await;
    let mediator = user_id(t, MEDIATOR).await;
    step_ok(
        t,
        "demo-secretaris",
        &id,
        "assign-mediator",
        json!({"mediator": mediator}),
    )
    .await;
    id
}

/// Brings a new Maastricht–Heerlen case through filing, intake and failed mediation.
pub async fn case_after_failed_mediation(t: &TestApp) -> String {
    let id = case_in_mediation(t).await;
    step_ok(
        t,
        MEDIATOR,
        &id,
        "record-mediation-outcome",
        json!({"outcome": "mislukt", "summary": "Partijen bleven verdeeld over de verdeelsleutel."}),
    )
    .await;
    id
}

/// Brings a case before the commission, with the chair and one member assigned.
pub async fn case_before_commission(t: &TestApp) -> String {
    let id = case_after_failed_mediation(t).await;
    step_ok(
        t,
        "demo-gemeente",
        &id,
        "escalate",
        json!({"reason": "Bemiddeling is mislukt."}),
    )
    .await;
    let (chair, member) = (user_id(t, CHAIR).await, user_id(t, MEMBER).await);
    step_ok(
        t,
        "demo-secretaris",
        &id,
        "assign-commission",
        json!({"chair": chair, "members": [member]}),
    )
    .await;
    id
}

/// A case through the written round (the respondent's `defence`, the reply waived) and the
/// hearing, with `ruling` adopted by the chair; the case as it then stands.
pub async fn case_ruled_on(t: &TestApp, defence: &str, ruling: Value) -> Value {
    let id = case_before_commission(t).await;
    step_ok(
        t,
        "demo-gemeente-2",
        &id,
        "submit-defence",
        json!({"statement": defence}),
    )
    .await;
    step_ok(t, "demo-gemeente", &id, "waive-reply", json!({})).await;
    step_ok(
        t,
        "demo-secretaris",
        &id,
        "schedule-hearing",
        json!({"at": in_a_week(), "location": "Utrecht"}),
    )
    .await;
    hearing_has_taken_place(t, &id).await;
    step_ok(
        t,
        CHAIR,
        &id,
        "record-hearing",
        json!({"summary": "Beide partijen gehoord."}),
    )
    .await;
    step_ok(t, CHAIR, &id, "adopt-ruling", ruling).await
}

pub async fn get_case(t: &TestApp, username: &str, id: &str) -> Value {
    let token = t.token(username).await;
    let res = t.get(&format!("/api/v1/cases/{id}"), Some(&token)).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// The scheduled hearing has taken place: its moment is moved to an hour ago, as time would.
/// (A hearing is recorded only once its time has come; tests cannot wait a week.)
pub async fn hearing_has_taken_place(t: &TestApp, case: &str) {
    use beslecht::storage::entities::case;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let id: uuid::Uuid = case.parse().unwrap();
    let past = chrono::Utc::now() - chrono::Duration::hours(1);
    case::Entity::update_many()
        .col_expr(case::Column::HearingAt, Expr::value(past))
        .filter(case::Column::PublicId.eq(id))
        .exec(&t.app.db)
        .await
        .unwrap();
}

/// Moves the last day of every running term `key` to `offset_days` from today (as if the
/// days had passed), with the parties' copies of their deadlines.
pub async fn set_due(t: &TestApp, key: &str, offset_days: i64) {
    use sea_orm::{ConnectionTrait, Statement};
    let today = beslecht::service::today();
    let due = today + chrono::Duration::days(offset_days);
    let db = &t.app.db;
    // As the service does when a last day moves: the sweep looks at the term again today.
    db.execute_unprepared(&format!(
        "UPDATE case_terms SET due_on = '{due}', sweep_on = '{today}' WHERE key = '{key}' AND status = 'running'"
    ))
    .await
    .unwrap();
    let cases = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT case_id FROM case_terms WHERE key = '{key}' AND status = 'running'"),
        ))
        .await
        .unwrap();
    for row in cases {
        let case_id: i32 = row.try_get("", "case_id").unwrap();
        beslecht::service::cases::terms::refresh_parties(db, case_id)
            .await
            .unwrap();
    }
}
