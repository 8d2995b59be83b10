//! Running terms: started and ended by the procedure, extended as the reglement allows,
//! moved by a suspension. Dates are checked against the term calculator, so the test holds
//! on any day it runs.

use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::{case_support::*, harness::*, on_both_databases};

async fn expected_end(t: &TestApp, start: &str, term: &str) -> String {
    let d: Value = t
        .get(&format!("/api/v1/calendar/deadline?start={start}&term={term}"), None)
        .await
        .json()
        .await
        .unwrap();
    d["end"].as_str().unwrap().to_owned()
}

fn term<'a>(case: &'a Value, key: &str) -> &'a Value {
    case["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == key)
        .unwrap_or_else(|| panic!("{key} in {case}"))
}

on_both_databases! {
    async fn steps_start_and_end_the_reglements_terms(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap();
        assert_eq!(case["terms"], json!([]), "a concept runs no term");
        let c = step_ok(&t, "demo-gemeente", id, "submit", json!({})).await;
        let intake = term(&c, "ontvankelijkheid");
        let today = intake["starts_on"].as_str().unwrap().to_owned();
        assert_eq!(intake["status"], "running");
        assert_eq!(intake["who"], "secretaris");
        assert_eq!(intake["due_on"].as_str().unwrap(), expected_end(&t, &today, "P2W").await);
        assert_eq!(c["target_date"], intake["due_on"]);
        assert!(intake["explanation"][0]["text"].as_str().unwrap().contains("2 weken"));

        let c = step_ok(&t, "demo-secretaris", id, "admit", json!({"path": "bemiddeling"})).await;
        assert_eq!(term(&c, "ontvankelijkheid")["status"], "met");
        assert_eq!(term(&c, "bemiddelaar_toewijzen")["status"], "running");
        let mediation = term(&c, "bemiddeling");
        assert_eq!(mediation["due_on"].as_str().unwrap(), expected_end(&t, &today, "P8W").await);
        // One extension of four weeks is allowed: the fatal date already counts it.
        assert_eq!(mediation["fatal_on"].as_str().unwrap(), expected_end(&t, &today, "P12W").await);
        let c = step_ok(&t, "demo-secretaris", id, "assign-mediator", json!({"mediator": user_id(&t, MEDIATOR).await})).await;
        assert_eq!(term(&c, "bemiddelaar_toewijzen")["status"], "met");
        assert_eq!(term(&c, "bemiddeling")["status"], "running");

        let trail: Value = t.get(&format!("/api/v1/cases/{id}/audit"), Some(&t.token("demo-gemeente").await)).await.json().await.unwrap();
        let admit = &trail["entries"][2];
        assert_eq!(admit["after"]["terms_ended"][0]["term"], "ontvankelijkheid");
        assert_eq!(admit["after"]["terms_started"].as_array().unwrap().len(), 2);
    }

    async fn extensions_follow_the_reglement(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap();
        step_ok(&t, "demo-gemeente", id, "submit", json!({})).await;
        let c = step_ok(&t, "demo-secretaris", id, "admit", json!({})).await;
        let today = term(&c, "bemiddeling")["starts_on"].as_str().unwrap().to_owned();
        let path = |key: &str| format!("/api/v1/cases/{id}/terms/{key}/extend");
        let sec = t.token("demo-secretaris").await;
        // Mediation is extended only with every party's consent.
        let p = assert_problem(t.send_json(Method::POST, &path("bemiddeling"), Some(&sec), &json!({"reason": "Meer tijd nodig"})).await, 409).await;
        assert!(p["detail_nl"].as_str().unwrap().contains("instemming"));
        assert_problem(t.send_json(Method::POST, &path("bemiddeling"), Some(&t.token("demo-gemeente").await),
            &json!({"reason": "x", "parties_consent": true})).await, 403).await;
        let res = t.send_json(Method::POST, &path("bemiddeling"), Some(&sec), &json!({"reason": "Partijen stemmen in", "parties_consent": true})).await;
        assert_eq!(res.status(), 200);
        let c: Value = res.json().await.unwrap();
        let m = term(&c, "bemiddeling");
        assert_eq!(m["due_on"].as_str().unwrap(), expected_end(&t, &today, "P12W").await);
        assert_eq!((m["extensions"].as_i64(), m["extensions_left"].as_i64()), (Some(1), Some(0)));
        let inbox: Value = t.get("/api/v1/me/notifications", Some(&t.token("demo-gemeente-2").await)).await.json().await.unwrap();
        assert_eq!(inbox["items"][0]["kind"], "verlenging");
        assert!(inbox["items"][0]["body"].as_str().unwrap().contains("is verlengd tot en met"));
        // Once: with no term left that may be extended, the rule book says so first.
        let p = assert_problem(t.send_json(Method::POST, &path("bemiddeling"), Some(&sec), &json!({"reason": "nog eens", "parties_consent": true})).await, 409).await;
        assert!(p["detail_nl"].as_str().unwrap().contains("nog kan worden verlengd"), "{p}");
        assert_problem(t.send_json(Method::POST, &path("bemiddelaar_toewijzen"), Some(&sec), &json!({"reason": "x"})).await, 409).await;
    }

    async fn an_extension_names_a_running_term_of_the_reglement(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap().to_owned();
        step_ok(&t, "demo-gemeente", &id, "submit", json!({})).await;
        step_ok(&t, "demo-secretaris", &id, "admit", json!({"path": "bemiddeling"})).await;
        let path = |key: &str| format!("/api/v1/cases/{id}/terms/{key}/extend");
        let sec = t.token("demo-secretaris").await;
        // Not a term the reglement lets be extended.
        let c = get_case(&t, "demo-secretaris", &id).await;
        assert!(c["available_actions"].as_array().unwrap().iter().any(|a| a == "extend-term"));
        assert_problem(t.send_json(Method::POST, &path("bemiddelaar_toewijzen"), Some(&sec), &json!({"reason": "x"})).await, 409).await;
        // A term of the reglement that is not running in this case.
        assert_problem(t.send_json(Method::POST, &path("verweer"), Some(&sec), &json!({"reason": "x"})).await, 404).await;
        // A key the reglement does not know is bad input, not a missing term.
        let p = assert_problem(t.send_json(Method::POST, &path("onzin"), Some(&sec), &json!({"reason": "x"})).await, 400).await;
        assert_eq!(invalid_fields(&p), ["key"]);
    }

    async fn a_suspension_moves_every_running_term_by_the_days_suspended(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap();
        let c = step_ok(&t, "demo-gemeente", id, "submit", json!({})).await;
        let today = term(&c, "ontvankelijkheid")["starts_on"].as_str().unwrap().to_owned();
        let day = |offset: i64| (chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap() + chrono::Duration::days(offset)).to_string();
        // The intake term started twenty days ago; the case was suspended for the last ten.
        let start = day(-20);
        let ten_days_ago = day(-10);
        t.app.db.execute_unprepared(&format!("UPDATE case_terms SET starts_on = '{start}'")).await.unwrap();
        let sec = t.token("demo-secretaris").await;
        let suspend = format!("/api/v1/cases/{id}/suspensions");
        let tomorrow = day(1);
        let p = assert_problem(t.send_json(Method::POST, &suspend, Some(&sec), &json!({"reason": "r", "legal_basis": "art. 12", "from": tomorrow})).await, 400).await;
        assert_eq!(invalid_fields(&p), ["from"]);
        let p = assert_problem(t.send_json(Method::POST, &suspend, Some(&sec), &json!({})).await, 400).await;
        assert_eq!(invalid_fields(&p), ["reason", "legal_basis"]);
        assert_problem(t.send_json(Method::POST, &suspend, Some(&t.token("demo-gemeente").await),
            &json!({"reason": "r", "legal_basis": "b"})).await, 403).await;
        let res = t.send_json(Method::POST, &suspend, Some(&sec),
            &json!({"reason": "Partijen onderhandelen", "legal_basis": "art. 12 reglement", "from": ten_days_ago})).await;
        assert_eq!(res.status(), 200);
        let c: Value = res.json().await.unwrap();
        assert_eq!(c["suspended"], true);
        assert_problem(t.send_json(Method::POST, &suspend, Some(&sec), &json!({"reason": "r", "legal_basis": "b"})).await, 409).await;
        let res = t.send_json(Method::POST, &format!("{suspend}/resume"), Some(&sec), &json!({})).await;
        assert_eq!(res.status(), 200);
        let c: Value = res.json().await.unwrap();
        assert_eq!(c["suspended"], false);
        assert_eq!(c["suspensions"][0]["until"], today.as_str());
        let intake = term(&c, "ontvankelijkheid");
        assert_eq!(intake["suspended_days"], 10);
        assert_eq!(intake["due_on"].as_str().unwrap(), expected_end(&t, &start, "P24D").await);
        assert_problem(t.send_json(Method::POST, &format!("{suspend}/resume"), Some(&sec), &json!({})).await, 409).await;
        let trail: Value = t.get(&format!("/api/v1/cases/{id}/audit"), Some(&sec)).await.json().await.unwrap();
        let actions: Vec<&str> = trail["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["case.create", "step.submit", "case.suspend", "case.resume"]);
        assert_eq!(trail["intact"], true);
        // Every party is told, in their inbox.
        for user in ["demo-gemeente", "demo-gemeente-2", "demo-secretaris"] {
            let inbox: Value = t.get("/api/v1/me/notifications", Some(&t.token(user).await)).await.json().await.unwrap();
            let kinds: Vec<&str> = inbox["items"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
            assert_eq!(kinds, ["hervatting", "opschorting"], "{user}");
        }
        let outsider: Value = t.get("/api/v1/me/notifications", Some(&t.token("demo-gemeente-3").await)).await.json().await.unwrap();
        assert_eq!(outsider["items"], json!([]));
    }
}

on_both_databases! {
    async fn a_term_that_ends_without_its_act_is_not_used_never_on_time(t: TestApp) {
        let id = case_before_commission(&t).await;
        step_ok(&t, "demo-gemeente-2", &id, "submit-defence", json!({"statement": "Verweer."})).await;
        // The claimant's reply term runs: the hearing waits for it.
        let p = assert_problem(step(&t, "demo-secretaris", &id, "schedule-hearing", json!({"at": in_a_week(), "location": "Utrecht"})).await, 409).await;
        assert!(p["detail_nl"].as_str().unwrap().contains("repliek"), "{p}");
        // Its last day has passed without a reply.
        let yesterday = beslecht::service::today() - chrono::Duration::days(1);
        t.app.db.execute_unprepared(&format!("UPDATE case_terms SET due_on = '{yesterday}' WHERE key = 'repliek' AND status = 'running'")).await.unwrap();
        let c = step_ok(&t, "demo-secretaris", &id, "schedule-hearing", json!({"at": in_a_week(), "location": "Utrecht"})).await;
        let status = |key: &str| c["terms"].as_array().unwrap().iter().find(|t| t["key"] == key).unwrap()["status"].clone();
        assert_eq!(status("repliek"), "unused", "{}", c["terms"]);
        assert_eq!(status("verweer"), "met");
        // The web says so in Dutch.
        let mut b = crate::web::Browser::new(&t);
        b.sign_in("demo-gemeente").await;
        let page = b.get(&format!("/geschillen/{id}")).await.text().await.unwrap();
        assert!(page.contains("Niet benut"), "{page}");
    }
}

on_both_databases! {
    // "Waiting on me" follows the term rules' `wie`, by the side a party's organisation stands
    // on and by role for everyone else; "overdue" is any running term past its last day.
    async fn the_list_narrows_to_what_waits_on_me_and_what_is_overdue(t: TestApp) {
        let before_commission = case_before_commission(&t).await; // verweer: Heerlen (respondent)
        let in_mediation = case_in_mediation(&t).await; // bemiddeling: the mediator
        let filed = file_binnen_regio(&t).await["id"].as_str().unwrap().to_owned();
        step_ok(&t, "demo-gemeente", &filed, "submit", json!({})).await; // ontvankelijkheid: the secretary
        let listed = |user: &'static str, q: &'static str| {
            let t = &t;
            async move {
                let res = t.get(&format!("/api/v1/cases?{q}"), Some(&t.token(user).await)).await;
                assert_eq!(res.status(), 200, "{q}");
                let page: Value = res.json().await.unwrap();
                let mut ids: Vec<String> = page["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
                ids.sort();
                ids
            }
        };
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        assert_eq!(listed("demo-gemeente-2", "waiting_on_me=true").await, std::slice::from_ref(&before_commission));
        assert!(listed("demo-gemeente", "waiting_on_me=true").await.is_empty(), "the defence is the respondent's");
        assert_eq!(listed("demo-secretaris", "waiting_on_me=true").await, std::slice::from_ref(&filed));
        assert_eq!(listed(MEDIATOR, "waiting_on_me=true").await, std::slice::from_ref(&in_mediation));
        assert!(listed(CHAIR, "waiting_on_me=true").await.is_empty(), "no ruling is due yet");
        assert_eq!(listed("demo-gemeente-2", "waiting_on_me=false").await, sorted(vec![before_commission.clone(), in_mediation.clone(), filed.clone()]));

        assert!(listed("demo-gemeente", "overdue=true").await.is_empty());
        set_due(&t, "verweer", -1).await;
        for user in ["demo-gemeente", "demo-gemeente-2", "demo-secretaris", CHAIR] {
            assert_eq!(listed(user, "overdue=true").await, std::slice::from_ref(&before_commission), "{user}");
        }
        assert!(listed("demo-gemeente", "overdue=true&waiting_on_me=true").await.is_empty());
        assert_eq!(listed("demo-gemeente-2", "overdue=true&waiting_on_me=true&phase=commissie").await, std::slice::from_ref(&before_commission));

        // The same in the web: the boxes narrow the overview and stay ticked.
        let mut b = crate::web::Browser::new(&t);
        b.sign_in("demo-gemeente-2").await;
        let page = crate::web::html(b.get("/geschillen?aan-zet=ja").await, 200).await;
        assert!(page.contains(&format!("/geschillen/{before_commission}\"")), "{page}");
        assert!(!page.contains(&format!("/geschillen/{in_mediation}\"")), "{page}");
        assert!(page.contains("name=\"aan-zet\" value=\"ja\" checked") && page.contains("Alleen waar wij aan zet zijn"), "{page}");
        let page = crate::web::html(b.get("/geschillen?verlopen=ja").await, 200).await;
        assert!(page.contains(&format!("/geschillen/{before_commission}\"")) && !page.contains(&format!("/geschillen/{in_mediation}\"")), "{page}");

        // While the case is suspended its terms do not run: nothing is overdue or waits. On
        // resuming it waits again (its last day moved on by the days it stood still).
        let sec = t.token("demo-secretaris").await;
        let suspend = format!("/api/v1/cases/{before_commission}/suspensions");
        let res = t.send_json(Method::POST, &suspend, Some(&sec), &json!({"reason": "Overleg", "legal_basis": "art. 12 reglement"})).await;
        assert_eq!(res.status(), 200);
        assert!(listed("demo-gemeente-2", "overdue=true").await.is_empty());
        assert!(listed("demo-gemeente-2", "waiting_on_me=true").await.is_empty());
        assert!(listed("demo-secretaris", "overdue=true").await.is_empty());
        let res = t.send_json(Method::POST, &format!("{suspend}/resume"), Some(&sec), &json!({})).await;
        assert_eq!(res.status(), 200);
        assert_eq!(listed("demo-gemeente-2", "waiting_on_me=true").await, std::slice::from_ref(&before_commission));

        // The defence ends the passed term (and starts the reply's, weeks ahead): the case
        // leaves everyone's "overdue" list — the case's own copy of its first last day moved
        // with the step.
        step_ok(&t, "demo-gemeente-2", &before_commission, "submit-defence", json!({"statement": "Heerlen droeg naar rato bij."})).await;
        for user in ["demo-gemeente", "demo-gemeente-2", "demo-secretaris", CHAIR] {
            assert!(listed(user, "overdue=true").await.is_empty(), "{user}");
        }
    }
}
