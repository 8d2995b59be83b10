//! Who sees which case, and who may do what in it: every role against every case endpoint,
//! on a case of their own, someone else's, and one not assigned to them. A case the caller
//! may not see answers exactly like a case that does not exist.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::{case_support::*, harness::*, on_both_databases};

const EVERYONE: [&str; 10] = [
    "demo-gemeente",
    "demo-gemeente-2",
    "demo-gemeente-3",
    "demo-regio",
    "demo-aanbieder",
    "demo-secretaris",
    "demo-bemiddelaar",
    "demo-commissielid",
    "demo-commissielid-2",
    "demo-beheerder",
];

/// Every endpoint of one case, with a body that would be valid for someone allowed.
fn endpoints(id: &str) -> Vec<(Method, String, Value)> {
    let none = Value::Null;
    vec![
        (Method::GET, format!("/api/v1/cases/{id}"), none.clone()),
        (Method::GET, format!("/api/v1/cases/{id}/audit"), none.clone()),
        (Method::GET, format!("/api/v1/cases/{id}/messages"), none.clone()),
        (
            Method::GET,
            format!("/api/v1/cases/{id}/mediation/sessions"),
            none.clone(),
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{id}/messages"),
            json!({"body": "Hallo"}),
        ),
        (Method::POST, format!("/api/v1/cases/{id}/mediation/release"), json!({})),
        (
            Method::POST,
            format!("/api/v1/cases/{id}/mediation/sessions"),
            json!({"held_on": "2026-01-05", "attendees": ["A"], "notes": "n"}),
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{id}/steps/withdraw"),
            json!({"reason": "weg"}),
        ),
        (Method::POST, format!("/api/v1/cases/{id}/steps/settle"), json!({})),
        (
            Method::POST,
            format!("/api/v1/cases/{id}/steps/submit-defence"),
            json!({"statement": "x"}),
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{id}/steps/adopt-ruling"),
            json!({"outcome": "gegrond", "nature": "advies", "dictum": "d", "reasoning": "r"}),
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{id}/rulings/{}/corrections", uuid::Uuid::new_v4()),
            json!({"reason": "r", "outcome": "gegrond", "nature": "advies", "dictum": "d", "reasoning": "r"}),
        ),
    ]
}

async fn call(t: &TestApp, token: &str, (method, path, body): &(Method, String, Value)) -> reqwest::Response {
    if body.is_null() {
        t.request(method.clone(), path).bearer_auth(token).send().await.unwrap()
    } else {
        t.send_json(method.clone(), path, Some(token), body).await
    }
}

async fn page(t: &TestApp, token: &str, url: &str) -> (Vec<String>, Option<String>) {
    let res = t.get(url, Some(token)).await;
    assert_eq!(res.status(), 200);
    let page: Value = res.json().await.unwrap();
    let ids = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    (ids, page["next_cursor"].as_str().map(str::to_owned))
}

/// The cases a caller lists: in one page, and again one case a page following the cursors
/// (each page's walks stop at its limit and resume below the cursor), the same in the same
/// order, newest first. `filter` is added to the query (`&phase=…`).
async fn listed(t: &TestApp, token: &str, filter: &str) -> BTreeSet<String> {
    let (whole, next) = page(t, token, &format!("/api/v1/cases?limit=200{filter}")).await;
    assert_eq!(next, None);
    let mut one_by_one = Vec::new();
    let mut url = format!("/api/v1/cases?limit=1{filter}");
    loop {
        let (ids, next) = page(t, token, &url).await;
        one_by_one.extend(ids);
        match next {
            Some(cursor) => url = format!("/api/v1/cases?limit=1{filter}&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(one_by_one, whole, "paged one at a time");
    whole.into_iter().collect()
}

on_both_databases! {
    async fn every_role_sees_exactly_its_cases_and_nothing_leaks(t: TestApp) {
        // Own: Maastricht v Heerlen before the commission (mediator, chair and a member assigned).
        let a = case_before_commission(&t).await;
        // Other: Eindhoven v Helmond, filed and waiting for intake.
        let token = t.token("demo-gemeente-3").await;
        let helmond = t.org_id(&token, "Helmond").await;
        let b = file(&t, "demo-gemeente-3", json!({"kind": "binnen_regio", "domain": "jeugd", "title": "B",
            "summary": "b", "respondents": [helmond]})).await["id"].as_str().unwrap().to_owned();
        step_ok(&t, "demo-gemeente-3", &b, "submit", json!({})).await;
        // A concept: only its filer sees it, not even the respondent or the secretary.
        let token = t.token("demo-gemeente").await;
        let heerlen = t.org_id(&token, "Heerlen").await;
        let c = file(&t, "demo-gemeente", json!({"kind": "binnen_regio", "domain": "jeugd", "title": "C",
            "summary": "c", "respondents": [heerlen]})).await["id"].as_str().unwrap().to_owned();
        let missing = uuid::Uuid::new_v4().to_string();

        let sees = |user: &str| -> Vec<&String> {
            match user {
                "demo-gemeente" => vec![&a, &c],
                "demo-gemeente-2" | "demo-bemiddelaar" | "demo-commissielid" | "demo-commissielid-2" => vec![&a],
                "demo-gemeente-3" => vec![&b],
                "demo-secretaris" => vec![&a, &b],
                _ => vec![],
            }
        };
        let nowhere = assert_problem(t.get(&format!("/api/v1/cases/{missing}"), Some(&t.token("demo-secretaris").await)).await, 404).await;
        // Narrowed by phase and kind (a party's walk then follows its copies of them): the
        // same rule, and each case only in its own phase. (Before anyone acts below.)
        for user in EVERYONE.iter().filter(|u| **u != "demo-beheerder") {
            let token = t.token(user).await;
            let visible: BTreeSet<String> = sees(user).into_iter().cloned().collect();
            for (filter, cases) in [
                ("&phase=commissie", vec![&a]),
                ("&phase=ingediend&kind=binnen_regio", vec![&b]),
                ("&phase=concept", vec![&c]),
                ("&phase=bemiddeling", vec![]),
                ("&kind=uittreding", vec![]),
            ] {
                let expected: BTreeSet<String> = cases.into_iter().filter(|c| visible.contains(*c)).cloned().collect();
                assert_eq!(listed(&t, &token, filter).await, expected, "{user} lists{filter}");
            }
        }
        for user in EVERYONE {
            let token = t.token(user).await;
            let visible: BTreeSet<String> = sees(user).into_iter().cloned().collect();
            if user == "demo-beheerder" {
                assert_problem(t.get("/api/v1/cases", Some(&token)).await, 403).await;
            } else {
                assert_eq!(listed(&t, &token, "").await, visible, "{user} lists");
            }
            for case in [&a, &b, &c, &missing] {
                for endpoint in endpoints(case) {
                    let res = call(&t, &token, &endpoint).await;
                    let status = res.status().as_u16();
                    if visible.contains(case) {
                        assert!(status < 500, "{user} {} {}: {status}", endpoint.0, endpoint.1);
                        if status == 404 {
                            // Only the made-up ruling of the correction is not found, never the case.
                            let p: Value = res.json().await.unwrap();
                            assert_ne!(p["detail"], nowhere["detail"], "{user} {} {}", endpoint.0, endpoint.1);
                        }
                    } else {
                        let p = assert_problem(res, 404).await;
                        assert_eq!(p["detail"], nowhere["detail"], "{user} {} {}", endpoint.0, endpoint.1);
                    }
                }
            }
        }
    }

    async fn steps_by_the_wrong_person_are_refused_and_change_nothing(t: TestApp) {
        let id = case_before_commission(&t).await;
        let before = get_case(&t, "demo-secretaris", &id).await;
        for (user, name, body) in [
            ("demo-gemeente", "submit-defence", json!({"statement": "x"})),
            ("demo-gemeente-2", "withdraw", json!({"reason": "x"})),
            ("demo-secretaris", "adopt-ruling", json!({"outcome": "gegrond", "nature": "advies", "dictum": "d", "reasoning": "r"})),
            (CHAIR, "assign-commission", json!({"chair": user_id(&t, CHAIR).await})),
            (MEDIATOR, "settle", json!({})),
            ("demo-gemeente", "schedule-hearing", json!({"at": in_a_week(), "location": "x"})),
        ] {
            let p = assert_problem(step(&t, user, &id, name, body).await, 403).await;
            assert!(p["detail_nl"].is_string(), "{p}");
        }
        // The right person at the wrong moment: 409.
        assert_problem(step(&t, "demo-secretaris", &id, "admit", json!({})).await, 409).await;
        assert_problem(step(&t, "demo-gemeente", &id, "submit-reply", json!({"statement": "te vroeg"})).await, 409).await;
        let after = get_case(&t, "demo-secretaris", &id).await;
        assert_eq!(before["version"], after["version"]);
        assert_eq!(before["stage"], after["stage"]);
    }

    async fn mediation_notes_stay_behind_the_wall_until_every_party_releases_them(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap();
        step_ok(&t, "demo-gemeente", id, "submit", json!({})).await;
        step_ok(&t, "demo-secretaris", id, "admit", json!({})).await;
        step_ok(&t, "demo-secretaris", id, "assign-mediator", json!({"mediator": user_id(&t, MEDIATOR).await})).await;
        let mediator = t.token(MEDIATOR).await;
        let sessions = format!("/api/v1/cases/{id}/mediation/sessions");
        let res = t.send_json(Method::POST, &sessions, Some(&mediator),
            &json!({"held_on": "2026-11-02", "attendees": ["Wethouder Maastricht", "Wethouder Heerlen"], "notes": "Vertrouwelijk: Heerlen overweegt 30%."})).await;
        assert_eq!(res.status(), 201);
        // Only the mediator records sessions.
        let other = t.token("demo-gemeente").await;
        assert_problem(t.send_json(Method::POST, &sessions, Some(&other),
            &json!({"held_on": "2026-11-02", "attendees": ["x"], "notes": "x"})).await, 403).await;
        step_ok(&t, MEDIATOR, id, "record-mediation-outcome", json!({"outcome": "deels", "summary": "Deels eens."})).await;
        step_ok(&t, "demo-gemeente", id, "escalate", json!({})).await;
        step_ok(&t, "demo-secretaris", id, "assign-commission", json!({"chair": user_id(&t, CHAIR).await})).await;

        for user in ["demo-gemeente", "demo-gemeente-2", MEDIATOR] {
            let res = t.get(&sessions, Some(&t.token(user).await)).await;
            assert_eq!(res.status(), 200, "{user}");
        }
        let chair = t.token(CHAIR).await;
        assert_problem(t.get(&sessions, Some(&chair)).await, 403).await;
        // The audit trail, which the commission reads, says a session took place, not what was said.
        let trail: Value = t.get(&format!("/api/v1/cases/{id}/audit"), Some(&chair)).await.json().await.unwrap();
        assert!(!trail.to_string().contains("30%"));

        let release = format!("/api/v1/cases/{id}/mediation/release");
        let r: Value = t.send_json(Method::POST, &release, Some(&t.token("demo-gemeente").await), &json!({})).await.json().await.unwrap();
        assert_eq!(r["all_parties_released"], false);
        assert_problem(t.get(&sessions, Some(&chair)).await, 403).await;
        assert_problem(t.send_json(Method::POST, &release, Some(&chair), &json!({})).await, 403).await;
        let r: Value = t.send_json(Method::POST, &release, Some(&t.token("demo-gemeente-2").await), &json!({})).await.json().await.unwrap();
        assert_eq!(r["all_parties_released"], true);
        let notes: Value = t.get(&sessions, Some(&chair)).await.json().await.unwrap();
        assert_eq!(notes[0]["notes"], "Vertrouwelijk: Heerlen overweegt 30%.");
    }

    async fn assignments_with_a_conflict_of_interest_are_refused_with_the_reason(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap();
        step_ok(&t, "demo-gemeente", id, "submit", json!({})).await;
        step_ok(&t, "demo-secretaris", id, "admit", json!({})).await;
        // The mediator declares a tie with the region that Maastricht and Heerlen belong to.
        let mediator = t.token(MEDIATOR).await;
        let region = t.org_id(&mediator, "Jeugdhulpregio Zuid-Limburg").await;
        let res = t.send_json(Method::POST, "/api/v1/me/affiliations", Some(&mediator),
            &json!({"organisation": region, "description": "Oud-medewerker van de regio"})).await;
        assert_eq!(res.status(), 201);
        let p = assert_problem(step(&t, "demo-secretaris", id, "assign-mediator",
            json!({"mediator": user_id(&t, MEDIATOR).await})).await, 400).await;
        let why = p["errors"][0]["message"].as_str().unwrap();
        assert!(why.contains("conflict of interest") && why.contains("Zuid-Limburg"), "{why}");
        // Someone who is not a mediator cannot mediate either.
        let p = assert_problem(step(&t, "demo-secretaris", id, "assign-mediator",
            json!({"mediator": user_id(&t, CHAIR).await})).await, 400).await;
        assert_eq!(invalid_fields(&p), ["mediator"]);
        assert_eq!(get_case(&t, "demo-secretaris", id).await["mediator"], Value::Null);
    }

    async fn correspondence_is_between_the_parties_and_the_secretary(t: TestApp) {
        let id = case_before_commission(&t).await;
        let path = format!("/api/v1/cases/{id}/messages");
        for user in ["demo-gemeente", "demo-gemeente-2", "demo-secretaris"] {
            let res = t.send_json(Method::POST, &path, Some(&t.token(user).await), &json!({"body": format!("Bericht van {user}")})).await;
            assert_eq!(res.status(), 201, "{user}");
        }
        assert_problem(t.send_json(Method::POST, &path, Some(&t.token(CHAIR).await), &json!({"body": "x"})).await, 403).await;
        let thread: Value = t.get(&path, Some(&t.token(CHAIR).await)).await.json().await.unwrap();
        assert_eq!(thread.as_array().unwrap().len(), 3);
        assert_eq!(thread[0]["organisation"], "Maastricht");
    }
}
