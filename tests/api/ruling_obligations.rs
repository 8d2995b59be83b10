//! What a ruling orders runs as a term: the secretary records each obligation (who, what, by
//! when — a date or a term from the ruling's date), the side it binds sees it waiting on it,
//! is reminded and signalled when it is overdue, and reports it done; an obligation recorded
//! in error is cancelled with its reason. In the API and the web, on both databases.

use reqwest::Method;
use serde_json::{Value, json};

use beslecht::service::worker;

use crate::{
    case_support::*,
    harness::*,
    on_both_databases,
    web::{Browser, html},
};

async fn ruled(t: &TestApp) -> String {
    let c = case_ruled_on(t, "Heerlen heeft naar rato bijgedragen.", json!({"outcome": "gegrond", "nature": "bindend_advies",
        "dictum": "Heerlen betaalt aan Maastricht 12.500 euro binnen zes weken.", "reasoning": "De verdeelsleutel is afgesproken.",
        "cost_allocation": "Ieder draagt de eigen kosten."})).await;
    c["id"].as_str().unwrap().to_owned()
}

async fn post(t: &TestApp, user: &str, path: &str, body: Value) -> reqwest::Response {
    t.send_json(Method::POST, path, Some(&t.token(user).await), &body).await
}

async fn listed(t: &TestApp, user: &str, q: &str) -> Vec<String> {
    let res = t.get(&format!("/api/v1/cases?{q}"), Some(&t.token(user).await)).await;
    assert_eq!(res.status(), 200);
    let page: Value = res.json().await.unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

on_both_databases! {
    async fn an_obligation_runs_as_a_term_until_the_side_it_binds_reports_it_done(t: TestApp) {
        let id = ruled(&t).await;
        let path = format!("/api/v1/cases/{id}/obligations");
        let pay = json!({"who": "verweerder", "description": "Betaalt aan Maastricht het achterstallige bedrag.",
            "amount_cents": 1_250_000, "within": "6 weken"});

        // Only the secretary records; refused input changes nothing.
        assert_problem(post(&t, "demo-gemeente", &path, pay.clone()).await, 403).await;
        let without_date = assert_problem(post(&t, "demo-secretaris", &path,
            json!({"who": "verweerder", "description": "Betaalt."})).await, 400).await;
        assert_eq!(fields(&without_date), ["due_on"]);
        let both = assert_problem(post(&t, "demo-secretaris", &path,
            json!({"who": "verweerder", "description": "Betaalt.", "due_on": "2099-01-01", "within": "P2W"})).await, 400).await;
        assert_eq!(fields(&both), ["within"]);
        let before = assert_problem(post(&t, "demo-secretaris", &path,
            json!({"who": "verweerder", "description": "Betaalt.", "due_on": "2020-01-01"})).await, 400).await;
        assert_eq!(fields(&before), ["due_on"]);
        let bad = assert_problem(post(&t, "demo-secretaris", &path,
            json!({"who": "secretaris", "description": "", "within": "3 uur", "amount_cents": -5})).await, 400).await;
        let mut bad = fields(&bad);
        bad.sort();
        assert_eq!(bad, ["amount_cents", "description", "who", "within"]);
        let none: Vec<Value> = t.get(&path, Some(&t.token("demo-gemeente").await)).await.json().await.unwrap();
        assert!(none.is_empty(), "nothing half-stored: {none:?}");

        let res = post(&t, "demo-secretaris", &path, pay).await;
        assert_eq!(res.status(), 201);
        let o: Value = res.json().await.unwrap();
        let today = beslecht::service::today();
        let deadline: Value = t.get(&format!("/api/v1/calendar/deadline?start={today}&term=P6W"), None).await.json().await.unwrap();
        assert_eq!(o["due_on"], deadline["end"], "six weeks from the ruling, by the one term module");
        assert_eq!((o["status"].as_str(), o["within"].as_str(), o["amount_cents"].as_i64()), (Some("open"), Some("P6W"), Some(1_250_000)));
        assert!(!o["explanation"].as_array().unwrap().is_empty());
        let oid = o["id"].as_str().unwrap().to_owned();

        // It is a term of the case, waiting on the respondent (Heerlen), not the claimant.
        let case = get_case(&t, "demo-gemeente-2", &id).await;
        let term = case["terms"].as_array().unwrap().iter().find(|t| t["key"] == "nakoming").expect("the obligation's term");
        assert_eq!((term["who"].as_str(), term["status"].as_str()), (Some("verweerder"), Some("running")));
        assert!(term["label"].as_str().unwrap().starts_with("Uitspraak: Betaalt aan Maastricht"));
        assert!(case["available_actions"].as_array().unwrap().contains(&json!("report-obligation")));
        let claimant = get_case(&t, "demo-gemeente", &id).await;
        assert!(!claimant["available_actions"].as_array().unwrap().contains(&json!("report-obligation")));
        assert_eq!(listed(&t, "demo-gemeente-2", "waiting_on_me=true").await, std::slice::from_ref(&id));
        assert!(listed(&t, "demo-gemeente", "waiting_on_me=true").await.is_empty());

        // Its last day passes: overdue, signalled once to Heerlen and the secretary.
        set_due(&t, "nakoming", -1).await;
        worker::round(&t.app).await.into_result().unwrap();
        assert_eq!(worker::round(&t.app).await.into_result().unwrap().notifications, 0, "nothing twice");
        let inbox: Value = t.get("/api/v1/me/notifications", Some(&t.token("demo-gemeente-2").await)).await.json().await.unwrap();
        let signal = inbox["items"].as_array().unwrap().iter().find(|n| n["kind"] == "verlopen").expect("the overdue signal");
        assert!(signal["title"].as_str().unwrap().contains("Uitspraak: Betaalt aan Maastricht"), "{signal}");
        assert_eq!(listed(&t, "demo-secretaris", "overdue=true").await, std::slice::from_ref(&id));
        // The secretary's work queue names it among the terms passed (it once dropped every
        // term no rule of the reglement names).
        let mut secretary = Browser::new(&t);
        secretary.sign_in("demo-secretaris").await;
        let page = secretary.get("/geschillen").await.text().await.unwrap();
        let queue = page.split(r#"aria-labelledby="termijnen""#).nth(1).and_then(|s| s.split("</section>").next()).expect("the queue's terms");
        assert!(queue.contains("Uitspraak: Betaalt aan Maastricht"), "{queue}");
        let o: Value = t.get(&format!("{path}/{oid}"), Some(&t.token("demo-gemeente").await)).await.json().await.unwrap();
        assert_eq!(o["status"], "verlopen");

        // Heerlen reports it done; the claimant may not, a day to come is refused.
        let done = format!("{path}/{oid}/fulfilment");
        assert_problem(post(&t, "demo-gemeente", &done, json!({"fulfilled_on": today})).await, 403).await;
        let future = assert_problem(post(&t, "demo-gemeente-2", &done,
            json!({"fulfilled_on": today + chrono::Duration::days(1)})).await, 400).await;
        assert_eq!(fields(&future), ["fulfilled_on"]);
        let res = post(&t, "demo-gemeente-2", &done, json!({"fulfilled_on": today, "note": "Betaald onder kenmerk 2026-889."})).await;
        assert_eq!(res.status(), 200);
        let o: Value = res.json().await.unwrap();
        assert_eq!((o["status"].as_str(), o["fulfilled_note"].as_str()), (Some("te_laat_nagekomen"), Some("Betaald onder kenmerk 2026-889.")));
        assert_problem(post(&t, "demo-gemeente-2", &done, json!({"fulfilled_on": today})).await, 409).await;
        assert!(listed(&t, "demo-gemeente-2", "waiting_on_me=true").await.is_empty());
        assert!(listed(&t, "demo-secretaris", "overdue=true").await.is_empty());

        // One recorded in error is cancelled with its reason, once.
        let res = post(&t, "demo-secretaris", &path, json!({"who": "partijen", "description": "Stellen samen een overgangsplan op.",
            "due_on": today + chrono::Duration::days(30)})).await;
        assert_eq!(res.status(), 201);
        let second: Value = res.json().await.unwrap();
        let cancel = format!("{path}/{}/cancellation", second["id"].as_str().unwrap());
        assert_problem(post(&t, "demo-gemeente", &cancel, json!({"reason": "Niet nodig."})).await, 403).await;
        assert_problem(post(&t, "demo-secretaris", &cancel, json!({})).await, 400).await;
        let res = post(&t, "demo-secretaris", &cancel, json!({"reason": "Per vergissing vastgelegd."})).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["status"], "vervallen");
        assert_problem(post(&t, "demo-secretaris", &cancel, json!({"reason": "Nog eens."})).await, 409).await;

        // The trail holds each change; whoever does not see the case finds nothing.
        let trail: Value = t.get(&format!("/api/v1/cases/{id}/audit"), Some(&t.token("demo-secretaris").await)).await.json().await.unwrap();
        assert_eq!(trail["intact"], true);
        let actions: Vec<&str> = trail["entries"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
        for a in ["ruling.obligation", "ruling.obligation.fulfilled", "ruling.obligation.cancel"] {
            assert!(actions.contains(&a), "{a} in {actions:?}");
        }
        assert_problem(t.get(&path, Some(&t.token("demo-aanbieder").await)).await, 404).await;
    }

    async fn the_web_records_an_obligation_and_the_party_reports_it(t: TestApp) {
        let id = ruled(&t).await;
        let mut sec = Browser::new(&t);
        sec.sign_in("demo-secretaris").await;
        let page = html(sec.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(page.contains(&format!("href=\"/geschillen/{id}/verplichtingen\"")), "linked from the case");
        let form = html(sec.get(&format!("/geschillen/{id}/verplichtingen/nieuw")).await, 200).await;
        let token = Browser::token_in(&form);
        let path = format!("/geschillen/{id}/verplichtingen/nieuw");
        // No date, and an amount that cannot be read: both said, in Dutch, next to the field.
        let res = sec.post(&path, &[("csrf", &token), ("who", "verweerder"), ("description", "Betaalt het bedrag."), ("amount", "12.50.0")], None).await;
        let page = html(res, 400).await;
        assert!(page.contains("Vul de uiterste datum in, of de termijn vanaf de uitspraak."), "{page}");
        assert!(page.contains("Schrijf een bedrag als 12.500,00."), "{page}");
        let res = sec.post(&path, &[("csrf", &token), ("who", "verweerder"), ("description", "Betaalt het bedrag."),
            ("amount", "12.500,00"), ("within", "6 weken")], None).await;
        assert_eq!(res.status(), 303);
        let list = html(sec.get(&format!("/geschillen/{id}/verplichtingen")).await, 200).await;
        assert!(list.contains("Betaalt het bedrag.") && list.contains("€ 12500,00") && list.contains("Open"), "{list}");

        let mut heerlen = Browser::new(&t);
        heerlen.sign_in("demo-gemeente-2").await;
        let list = html(heerlen.get(&format!("/geschillen/{id}/verplichtingen")).await, 200).await;
        let link = list.split("href=\"").find(|s| s.contains("/nagekomen\"")).map(|s| s[..s.find('"').unwrap()].to_owned()).expect("a link to report it");
        let form = html(heerlen.get(&link).await, 200).await;
        let token = Browser::token_in(&form);
        let today = beslecht::service::today().format("%-d-%-m-%Y").to_string();
        assert_eq!(heerlen.post(&link, &[("csrf", &token), ("fulfilled_on", &today), ("note", "Betaald.")], None).await.status(), 303);
        let list = html(heerlen.get(&format!("/geschillen/{id}/verplichtingen")).await, 200).await;
        assert!(list.contains("Nagekomen") && !list.contains("/nagekomen\""), "{list}");

        // The claimant (Maastricht) sees it but has nothing to report.
        let mut maastricht = Browser::new(&t);
        maastricht.sign_in("demo-gemeente").await;
        assert_eq!(maastricht.get(&link).await.status(), 403);
    }
}
