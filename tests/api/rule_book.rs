//! The rule book through HTTP: what `available_actions` lists is exactly what succeeds, and
//! whatever it does not list is refused and changes nothing; and the per-case rules an
//! attacker's tries found leaking.

use std::collections::HashMap;

use reqwest::Method;
use serde_json::{Value, json};

use crate::{case_support::*, document_support::*, harness::*, on_both_databases};

const USERS: [&str; 9] = [
    "demo-gemeente",
    "demo-gemeente-2",
    "demo-gemeente-3",
    "demo-secretaris",
    MEDIATOR,
    CHAIR,
    MEMBER,
    "demo-commissielid-2",
    "demo-regio",
];

/// Signs each user in once.
struct Tokens(HashMap<&'static str, String>);

impl Tokens {
    async fn new(t: &TestApp) -> Tokens {
        let mut map = HashMap::new();
        for u in USERS {
            map.insert(u, t.token(u).await);
        }
        Tokens(map)
    }
    fn of(&self, user: &str) -> &str {
        &self.0[user]
    }
}

/// The request that takes `action` on `case`, with a valid body; `None` for actions this
/// sample does not try (documents have tests of their own).
async fn request_for(t: &TestApp, case: &Value, action: &str) -> Option<(Method, String, Value)> {
    let id = case["id"].as_str().unwrap();
    let base = format!("/api/v1/cases/{id}");
    let step = |body: Value| Some((Method::POST, format!("{base}/steps/{action}"), body));
    match action {
        "submit" | "complete" | "admit" | "escalate" | "waive-reply" | "waive-rejoinder" | "settle" => step(json!({})),
        "request-completion" | "declare-inadmissible" | "withdraw" => step(json!({"reason": "Zo besloten."})),
        "assign-mediator" => step(json!({"mediator": user_id(t, MEDIATOR).await})),
        "record-mediation-outcome" => step(json!({"outcome": "mislukt", "summary": "Geen akkoord."})),
        "assign-commission" => step(json!({"chair": user_id(t, CHAIR).await, "members": [user_id(t, MEMBER).await]})),
        "submit-defence" | "submit-reply" | "submit-rejoinder" => step(json!({"statement": "Zo zit het."})),
        "schedule-hearing" => step(json!({"at": in_a_week(), "location": "Utrecht"})),
        "decide-without-hearing" => step(json!({"parties_consent": true})),
        "record-hearing" => step(json!({"summary": "Gehoord."})),
        "adopt-ruling" => step(json!({"outcome": "gegrond", "nature": "advies", "dictum": "D.", "reasoning": "R."})),
        "edit" => Some((Method::PATCH, base, json!({"title": "Een nieuwe titel"}))),
        "suspend" => Some((
            Method::POST,
            format!("{base}/suspensions"),
            json!({"reason": "Op verzoek van partijen.", "legal_basis": "Artikel 12 van het reglement"}),
        )),
        "resume" => Some((Method::POST, format!("{base}/suspensions/resume"), json!({}))),
        "extend-term" => {
            let key = case["terms"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["status"] == "running" && t["extensions_left"].as_i64() > Some(0))
                .map_or("bemiddeling", |t| t["key"].as_str().unwrap());
            Some((
                Method::POST,
                format!("{base}/terms/{key}/extend"),
                json!({"reason": "Meer tijd nodig.", "parties_consent": true}),
            ))
        }
        "record-mediation-session" => Some((
            Method::POST,
            format!("{base}/mediation/sessions"),
            json!({"held_on": chrono::Utc::now().date_naive(), "attendees": ["A"], "notes": "N."}),
        )),
        "release-mediation-notes" => Some((Method::POST, format!("{base}/mediation/release"), json!({}))),
        "send-message" => Some((Method::POST, format!("{base}/messages"), json!({"body": "Hallo."}))),
        "save-ruling-draft" => Some((
            Method::PUT,
            format!("{base}/ruling-draft"),
            json!({"dictum": "Concept."}),
        )),
        _ => None,
    }
}

/// Every action the sample tries, steps and others.
const TRIED: [&str; 33] = [
    "submit",
    "request-completion",
    "complete",
    "admit",
    "declare-inadmissible",
    "assign-mediator",
    "record-mediation-outcome",
    "escalate",
    "assign-commission",
    "submit-defence",
    "submit-reply",
    "submit-rejoinder",
    "waive-reply",
    "waive-rejoinder",
    "schedule-hearing",
    "decide-without-hearing",
    "record-hearing",
    "adopt-ruling",
    "withdraw",
    "settle",
    "edit",
    "suspend",
    "resume",
    "extend-term",
    "record-mediation-session",
    "release-mediation-notes",
    "send-message",
    "save-ruling-draft",
    "read-messages",
    "read-audit",
    "read-mediation-notes",
    "read-ruling-draft",
    "read-document",
];

/// A case before the commission whose defence was filed.
async fn defence_filed(t: &TestApp) -> String {
    let id = case_before_commission(t).await;
    step_ok(
        t,
        "demo-gemeente-2",
        &id,
        "submit-defence",
        json!({"statement": "Verweer."}),
    )
    .await;
    id
}

/// A case brought to one of the sample's situations.
async fn case_at(t: &TestApp, situation: &str) -> String {
    match situation {
        "concept" => file_binnen_regio(t).await["id"].as_str().unwrap().to_owned(),
        "bemiddeling" => case_in_mediation(t).await,
        "commissie.verweer" => case_before_commission(t).await,
        "commissie.repliek" => defence_filed(t).await,
        "commissie.zitting" => {
            let id = defence_filed(t).await;
            step_ok(t, "demo-gemeente", &id, "waive-reply", json!({})).await;
            step_ok(
                t,
                "demo-secretaris",
                &id,
                "schedule-hearing",
                json!({"at": in_a_week(), "location": "Utrecht"}),
            )
            .await;
            id
        }
        other => panic!("no situation {other}"),
    }
}

async fn version_of(t: &TestApp, tokens: &Tokens, id: &str) -> i64 {
    let res = t
        .get(&format!("/api/v1/cases/{id}"), Some(tokens.of("demo-secretaris")))
        .await;
    if res.status() == 404 {
        // A concept: only its filer sees it.
        let res = t
            .get(&format!("/api/v1/cases/{id}"), Some(tokens.of("demo-gemeente")))
            .await;
        return res.json::<Value>().await.unwrap()["version"].as_i64().unwrap();
    }
    res.json::<Value>().await.unwrap()["version"].as_i64().unwrap()
}

on_both_databases! {
    async fn what_a_case_offers_is_exactly_what_succeeds(t: TestApp) {
        let tokens = Tokens::new(&t).await;
        for situation in ["concept", "bemiddeling", "commissie.verweer", "commissie.repliek", "commissie.zitting"] {
            let id = case_at(&t, situation).await;
            for user in USERS {
                let res = t.get(&format!("/api/v1/cases/{id}"), Some(tokens.of(user))).await;
                if res.status() == 404 {
                    continue; // Not in the case: everything is 404, as tested in case_access.
                }
                let case: Value = res.json().await.unwrap();
                let offered: Vec<String> = serde_json::from_value(case["available_actions"].clone()).unwrap();
                // The steps are the steps among the actions.
                for s in case["available_steps"].as_array().unwrap() {
                    assert!(offered.contains(&s.as_str().unwrap().to_owned()), "{situation} {user}: {s}");
                }
                for action in TRIED {
                    let allowed = offered.iter().any(|a| a == action);
                    let Some((method, path, body)) = request_for(&t, &case, action).await else {
                        continue;
                    };
                    if allowed {
                        // Taken on a fresh copy of the situation, so each succeeds on its own.
                        let fresh = case_at(&t, situation).await;
                        let path = path.replace(case["id"].as_str().unwrap(), &fresh);
                        let res = t.send_json(method, &path, Some(tokens.of(user)), &body).await;
                        let status = res.status();
                        assert!(status.is_success(), "{situation}: {user} was offered {action} but got {status}: {}", res.text().await.unwrap());
                    } else {
                        let before = version_of(&t, &tokens, &id).await;
                        let res = t.send_json(method, &path, Some(tokens.of(user)), &body).await;
                        let status = res.status().as_u16();
                        assert!([403, 409].contains(&status), "{situation}: {user} was not offered {action} but got {status}: {}", res.text().await.unwrap());
                        assert_eq!(version_of(&t, &tokens, &id).await, before, "{situation}: {user} {action} changed the case");
                    }
                }
                // Reading: what is offered answers 200, what is not 403.
                for (action, path) in [("read-messages", "messages"), ("read-audit", "audit"),
                    ("read-mediation-notes", "mediation/sessions"), ("read-ruling-draft", "ruling-draft")] {
                    let res = t.get(&format!("/api/v1/cases/{id}/{path}"), Some(tokens.of(user))).await;
                    let expected = if offered.iter().any(|a| a == action) { [200, 200] } else { [403, 409] };
                    assert!(expected.contains(&res.status().as_u16()), "{situation}: {user} {action}: {}", res.status());
                }
            }
        }
    }

    async fn the_audit_trail_hides_the_documents_its_reader_may_not_see(t: TestApp) {
        let id = case_in_mediation(&t).await;
        let mediation = upload_ok(&t, MEDIATOR, &id, &[("type", "bewijsstuk"), ("title", "Aantekening"), ("audience", "bemiddeling")],
            ("notitie.txt", b"Vertrouwelijk in de bemiddeling.".to_vec())).await;
        step_ok(&t, MEDIATOR, &id, "record-mediation-outcome", json!({"outcome": "mislukt", "summary": "Geen akkoord."})).await;
        step_ok(&t, "demo-gemeente", &id, "escalate", json!({})).await;
        let (chair, member) = (user_id(&t, CHAIR).await, user_id(&t, MEMBER).await);
        step_ok(&t, "demo-secretaris", &id, "assign-commission", json!({"chair": chair, "members": [member]})).await;
        let for_commission = upload_ok(&t, "demo-gemeente", &id, &[("type", "bewijsstuk"), ("title", "Alleen commissie"), ("audience", "commissie")],
            ("stuk.txt", b"Voor de commissie.".to_vec())).await;
        let mentions = |trail: &Value, doc: &Value| trail["entries"].as_array().unwrap().iter()
            .any(|e| e.to_string().contains(doc["id"].as_str().unwrap()));
        let trail = |user: &'static str| { let t = &t; let id = id.clone(); async move {
            let token = t.token(user).await;
            t.get(&format!("/api/v1/cases/{id}/audit"), Some(&token)).await.json::<Value>().await.unwrap()
        }};
        // The chair sees neither the mediation's document before its release nor, being the
        // commission, misses the commission's.
        let chairs = trail(CHAIR).await;
        assert_eq!(chairs["intact"], true);
        assert!(!mentions(&chairs, &mediation));
        assert!(mentions(&chairs, &for_commission));
        // The other party sees the mediation's document but not the commission-only one.
        let respondents = trail("demo-gemeente-2").await;
        assert!(mentions(&respondents, &mediation));
        assert!(!mentions(&respondents, &for_commission));
        // The one who filed it sees their own.
        assert!(mentions(&trail("demo-gemeente").await, &for_commission));
    }

    async fn the_mediation_wall_does_not_depend_on_organisations(t: TestApp) {
        // The secretary and the commission share one organisation; the mediation's documents
        // come from inside the mediation only.
        let id = case_before_commission(&t).await;
        let res = upload(&t, "demo-secretaris", &id, &[("type", "bewijsstuk"), ("title", "Notitie"), ("audience", "bemiddeling")],
            Some(("n.txt", b"Notitie".to_vec()))).await;
        let p = assert_problem(res, 403).await;
        assert!(p["detail_nl"].as_str().unwrap().contains("bemiddelaar en de partijen"), "{p}");
        // A document the secretary adds for the commission is read by the chair; one for the
        // mediation is never stored.
        assert!(listed(&t, CHAIR, &id).await.is_empty());
    }

    async fn no_message_reaches_a_closed_case(t: TestApp) {
        let id = case_in_mediation(&t).await;
        step_ok(&t, "demo-gemeente", &id, "withdraw", json!({"reason": "Opgelost."})).await;
        let token = t.token("demo-gemeente").await;
        let p = assert_problem(t.send_json(Method::POST, &format!("/api/v1/cases/{id}/messages"), Some(&token), &json!({"body": "Nog iets."})).await, 409).await;
        assert!(p["detail_nl"].as_str().unwrap().contains("gesloten"), "{p}");
        let messages: Value = t.get(&format!("/api/v1/cases/{id}/messages"), Some(&token)).await.json().await.unwrap();
        assert_eq!(messages.as_array().map(Vec::len), Some(0));
    }

    async fn a_dispute_within_the_region_is_between_parties_of_one_region(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        let eindhoven = t.org_id(&token, "Eindhoven").await;
        let body = json!({"kind": "binnen_regio", "domain": "jeugd", "title": "Verdeelsleutel",
            "summary": "Over de verdeling van de kosten.", "respondents": [eindhoven]});
        let p = assert_problem(t.send_json(Method::POST, "/api/v1/cases", Some(&token), &body).await, 400).await;
        assert_eq!(p["errors"][0]["field"], "respondents");
        assert!(p["errors"][0]["message_nl"].as_str().unwrap().contains("één regio"), "{p}");
        // Against Heerlen, of the same region, it is accepted.
        let heerlen = t.org_id(&token, "Heerlen").await;
        let res = t.send_json(Method::POST, "/api/v1/cases", Some(&token), &json!({"kind": "binnen_regio", "domain": "jeugd",
            "title": "Verdeelsleutel", "summary": "Over de verdeling.", "respondents": [heerlen]})).await;
        assert_eq!(res.status(), 201);
        // And against the region itself.
        let region = t.org_id(&token, "Jeugdhulpregio Zuid-Limburg").await;
        let res = t.send_json(Method::POST, "/api/v1/cases", Some(&token), &json!({"kind": "binnen_regio", "domain": "jeugd",
            "title": "Regiovisie", "summary": "Over de regiovisie.", "respondents": [region]})).await;
        assert_eq!(res.status(), 201);
    }

    async fn administration_refuses_before_it_judges_the_input(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        let org = t.org_id(&token, "Heerlen").await;
        let me: Value = t.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        let user = me["id"].as_str().unwrap();
        for (method, path) in [
            (Method::POST, "/api/v1/users".to_owned()),
            (Method::POST, "/api/v1/organisations".to_owned()),
            (Method::PATCH, format!("/api/v1/organisations/{org}")),
            (Method::POST, format!("/api/v1/organisations/{org}/memberships")),
            (Method::PUT, format!("/api/v1/users/{user}/password")),
        ] {
            let res = t.send_json(method.clone(), &path, Some(&token), &json!({"nonsense": 1})).await;
            assert_problem(res, 403).await;
        }
    }
}
