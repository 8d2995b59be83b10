//! Bad input and races: each refused with a clear problem, and nothing changed.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{case_support::*, harness::*, on_both_databases};

async fn count(t: &TestApp, user: &str) -> usize {
    let page: Value = t
        .get("/api/v1/cases?limit=200", Some(&t.token(user).await))
        .await
        .json()
        .await
        .unwrap();
    page["items"].as_array().unwrap().len()
}

on_both_databases! {
    async fn bad_filings_are_refused_with_every_field_named(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        let maastricht = t.org_id(&token, "Maastricht").await;
        let provider = t.org_id(&token, "Combinatie Jeugdzorg").await;
        let heerlen = t.org_id(&token, "Heerlen").await;
        let post = |body: Value| {
            let (t, token) = (&t, token.clone());
            async move { t.send_json(Method::POST, "/api/v1/cases", Some(&token), &body).await }
        };
        let p = assert_problem(post(json!({"kind": "ruzie", "domain": "wmo", "title": "", "summary": "x",
            "respondents": "Heerlen", "colour": "blauw"})).await, 400).await;
        assert_eq!(invalid_fields(&p), ["kind", "domain", "title", "respondents", "colour"]);
        assert!(p["errors"][0]["message_nl"].as_str().unwrap().starts_with("Kies een van"));
        let base = |respondents: Value| json!({"kind": "binnen_regio", "domain": "jeugd", "title": "T", "summary": "S", "respondents": respondents});
        let p = assert_problem(post(base(json!([maastricht]))).await, 400).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("own organisation"));
        assert_problem(post(base(json!([uuid::Uuid::new_v4()]))).await, 400).await;
        assert_problem(post(base(json!([heerlen, heerlen]))).await, 400).await;
        // A municipality cannot bring a dispute within the region against a provider.
        let p = assert_problem(post(base(json!([provider]))).await, 400).await;
        assert_eq!(invalid_fields(&p), ["respondents"]);
        // Text beyond sensible limits.
        let mut long = base(json!([heerlen]));
        long["title"] = json!("x".repeat(201));
        assert_problem(post(long).await, 400).await;
        // Facts are checked field by field.
        let mut facts = base(json!([heerlen]));
        facts["facts"] = json!({"contract_signed_on": "2026-13-01", "contract_duration_months": -3, "care_category": "zorg"});
        let p = assert_problem(post(facts).await, 400).await;
        assert_eq!(invalid_fields(&p), ["facts.contract_signed_on", "facts.contract_duration_months", "facts.care_category"]);
        assert_eq!(count(&t, "demo-gemeente").await, 0, "nothing was stored");
        // Only parties file.
        let sec = t.token("demo-secretaris").await;
        assert_problem(t.send_json(Method::POST, "/api/v1/cases", Some(&sec), &base(json!([heerlen]))).await, 403).await;
    }

    async fn bad_step_bodies_are_refused_and_change_nothing(t: TestApp) {
        let id = case_before_commission(&t).await;
        let before = get_case(&t, "demo-secretaris", &id).await;
        let past = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
        step_ok(&t, "demo-gemeente-2", &id, "submit-defence", json!({"statement": "Verweer."})).await;
        step_ok(&t, "demo-gemeente", &id, "waive-reply", json!({})).await;
        let p = assert_problem(step(&t, "demo-secretaris", &id, "schedule-hearing", json!({"at": past, "location": "Utrecht"})).await, 400).await;
        assert_eq!(invalid_fields(&p), ["at"]);
        let p = assert_problem(step(&t, "demo-secretaris", &id, "schedule-hearing", json!({"at": "morgen"})).await, 400).await;
        assert_eq!(invalid_fields(&p), ["at", "location"]);
        let p = assert_problem(step(&t, CHAIR, &id, "adopt-ruling", json!({"outcome": "half", "nature": "advies", "dictum": "d", "reasoning": "r"})).await, 400).await;
        assert_eq!(invalid_fields(&p), ["outcome"]);
        assert_problem(step(&t, "demo-secretaris", &id, "fly-to-the-moon", json!({})).await, 404).await;
        let after = get_case(&t, "demo-secretaris", &id).await;
        assert_eq!(after["version"].as_i64().unwrap(), before["version"].as_i64().unwrap() + 2, "only the defence and the waiver counted");
        assert_eq!(after["stage"], "zitting_voorbereiding");
    }

    async fn an_out_of_date_version_never_overwrites_a_newer_one(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap();
        let v1 = case["version"].as_i64().unwrap();
        step_ok(&t, "demo-gemeente", id, "submit", json!({"version": v1})).await;
        // The secretary acts on the copy from before the filing.
        let p = assert_problem(step(&t, "demo-secretaris", id, "admit", json!({"version": v1})).await, 409).await;
        assert!(p["detail"].as_str().unwrap().contains("out of date"));
        assert_eq!(get_case(&t, "demo-secretaris", id).await["phase"], "ingediend");
        // The ETag carries the version.
        let res = t.get(&format!("/api/v1/cases/{id}"), Some(&t.token("demo-secretaris").await)).await;
        assert_eq!(res.headers()["etag"], format!("\"{}\"", v1 + 1));
    }

    async fn of_two_steps_at_the_same_moment_exactly_one_wins(t: TestApp) {
        for round in 0..8 {
            let case = file_binnen_regio(&t).await;
            let id = case["id"].as_str().unwrap();
            let v = step_ok(&t, "demo-gemeente", id, "submit", json!({})).await["version"].clone();
            // Two different steps on the same version, or the same step twice: never both.
            let (a, b) = if round % 2 == 0 {
                tokio::join!(
                    step(&t, "demo-secretaris", id, "admit", json!({"path": "bemiddeling", "version": v})),
                    step(&t, "demo-gemeente", id, "withdraw", json!({"reason": "Toch niet.", "version": v})),
                )
            } else {
                tokio::join!(
                    step(&t, "demo-secretaris", id, "admit", json!({"path": "bemiddeling"})),
                    step(&t, "demo-secretaris", id, "admit", json!({"path": "commissie"})),
                )
            };
            let mut statuses = [a.status().as_u16(), b.status().as_u16()];
            statuses.sort();
            assert_eq!(statuses, [200, 409]);
            let token = t.token("demo-gemeente").await;
            let trail: Value = t.get(&format!("/api/v1/cases/{id}/audit"), Some(&token)).await.json().await.unwrap();
            assert_eq!(trail["entries"].as_array().unwrap().len(), 3);
            assert_eq!(trail["intact"], true);
        }
    }

    async fn case_numbers_are_unique_and_gap_free_when_filed_at_once(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        let heerlen = t.org_id(&token, "Heerlen").await;
        let body = json!({"kind": "binnen_regio", "domain": "jeugd", "title": "T", "summary": "S", "respondents": [heerlen]});
        let filings = (0..16).map(|_| t.send_json(Method::POST, "/api/v1/cases", Some(&token), &body));
        let mut numbers = Vec::new();
        for res in futures::future::join_all(filings).await {
            assert_eq!(res.status(), 201);
            let c: Value = res.json().await.unwrap();
            numbers.push(c["number"].as_str().unwrap().to_owned());
        }
        numbers.sort();
        let year = chrono::Utc::now().format("%Y").to_string();
        let expected: Vec<String> = (1..=16).map(|n| format!("GS-{year}-{n:04}")).collect();
        assert_eq!(numbers, expected);
    }

    async fn the_list_filters_and_pages_without_repeats(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        let heerlen = t.org_id(&token, "Heerlen").await;
        for i in 0..7 {
            let c = file(&t, "demo-gemeente", json!({"kind": "binnen_regio", "domain": if i % 2 == 0 { "jeugd" } else { "bwmo" },
                "title": format!("Geschil {i}"), "summary": "S", "respondents": [heerlen]})).await;
            step_ok(&t, "demo-gemeente", c["id"].as_str().unwrap(), "submit", json!({})).await;
        }
        let sec = t.token("demo-secretaris").await;
        let mut seen = Vec::new();
        let mut url = "/api/v1/cases?limit=3".to_owned();
        loop {
            let page: Value = t.get(&url, Some(&sec)).await.json().await.unwrap();
            seen.extend(page["items"].as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap().to_owned()));
            match page["next_cursor"].as_str() {
                Some(c) => url = format!("/api/v1/cases?limit=3&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(seen, (0..7).rev().map(|i| format!("Geschil {i}")).collect::<Vec<_>>());
        // A party with many cases is looked up the other way round (walking all cases); small
        // pages take that way here, a page of 200 the first. Both give the same cases.
        let party = t.token("demo-gemeente").await;
        let mut small_pages = Vec::new();
        let mut url = "/api/v1/cases?limit=2".to_owned();
        loop {
            let page: Value = t.get(&url, Some(&party)).await.json().await.unwrap();
            small_pages.extend(page["items"].as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap().to_owned()));
            match page["next_cursor"].as_str() {
                Some(c) => url = format!("/api/v1/cases?limit=2&cursor={c}"),
                None => break,
            }
        }
        let page: Value = t.get("/api/v1/cases?limit=200", Some(&party)).await.json().await.unwrap();
        let one_page: Vec<String> = page["items"].as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap().to_owned()).collect();
        assert_eq!(small_pages, one_page);
        assert_eq!(one_page.len(), 7);
        let get = |q: &str| {
            let (t, sec, q) = (&t, sec.clone(), q.to_owned());
            async move {
                let res = t.get(&format!("/api/v1/cases?{q}"), Some(&sec)).await;
                assert_eq!(res.status(), 200, "{q}");
                res.json::<Value>().await.unwrap()["items"].as_array().unwrap().len()
            }
        };
        assert_eq!(get("domain=bwmo").await, 3);
        assert_eq!(get("phase=ingediend&kind=binnen_regio").await, 7);
        assert_eq!(get("phase=bemiddeling").await, 0);
        assert_eq!(get(&format!("party={heerlen}")).await, 7);
        let region = t.org_id(&sec, "Jeugdhulpregio Zuid-Limburg").await;
        assert_eq!(get(&format!("region={region}")).await, 7);
        let eindhoven_region = t.org_id(&sec, "Jeugdregio Zuidoost-Brabant (21 voor de Jeugd)").await;
        assert_eq!(get(&format!("region={eindhoven_region}")).await, 0);
        assert_eq!(get("q=GESCHIL%203").await, 1);
        assert_eq!(get("q=%25").await, 0);
        let p = assert_problem(t.get("/api/v1/cases?phase=klaar&kind=x&limit=0&cursor=nope", Some(&sec)).await, 400).await;
        assert_eq!(invalid_fields(&p), ["phase", "kind", "limit", "cursor"]);
    }
}

on_both_databases! {
    // A party's list narrowed by phase and kind follows each case through its steps, for
    // the claimant and the respondent alike — also a respondent set by editing the concept.
    // (The parties carry a copy of the phase and kind for this walk; a step that forgot to
    // update it would leave the case behind in its old phase.)
    async fn a_partys_narrowed_list_follows_the_case_through_its_steps(t: TestApp) {
        let titles = |user: &'static str, q: &'static str| {
            let t = &t;
            async move {
                let token = t.token(user).await;
                let res = t.get(&format!("/api/v1/cases?{q}"), Some(&token)).await;
                assert_eq!(res.status(), 200, "{q}");
                let page: Value = res.json().await.unwrap();
                page["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
            }
        };
        let concept = file_binnen_regio(&t).await;
        let concept = concept["id"].as_str().unwrap().to_owned();
        assert_eq!(titles("demo-gemeente", "phase=concept&kind=binnen_regio").await, std::slice::from_ref(&concept));
        assert!(titles("demo-gemeente", "phase=concept&kind=uittreding").await.is_empty());

        // Edited to another respondent, then filed: the new respondent finds it by phase and kind.
        let token = t.token("demo-gemeente").await;
        let region = t.org_id(&token, "Jeugdhulpregio Zuid-Limburg").await;
        let res = t.send_json(Method::PATCH, &format!("/api/v1/cases/{concept}"), Some(&token), &json!({"respondents": [region]})).await;
        assert_eq!(res.status(), 200);
        step_ok(&t, "demo-gemeente", &concept, "submit", json!({})).await;
        assert_eq!(titles("demo-regio", "phase=ingediend&kind=binnen_regio").await, std::slice::from_ref(&concept));
        assert!(titles("demo-gemeente", "phase=concept").await.is_empty());
        assert!(titles("demo-gemeente-2", "phase=ingediend").await.is_empty(), "Heerlen is no longer a party");

        let mediation = case_in_mediation(&t).await;
        for user in ["demo-gemeente", "demo-gemeente-2"] {
            assert_eq!(titles(user, "phase=bemiddeling").await, std::slice::from_ref(&mediation), "{user}");
            assert_eq!(titles(user, "phase=bemiddeling&kind=binnen_regio").await, std::slice::from_ref(&mediation), "{user}");
        }
        let commission = case_before_commission(&t).await;
        for user in ["demo-gemeente", "demo-gemeente-2"] {
            assert_eq!(titles(user, "phase=commissie&kind=binnen_regio").await, std::slice::from_ref(&commission), "{user}");
            assert_eq!(titles(user, "phase=bemiddeling").await, std::slice::from_ref(&mediation), "{user}: the other case stays behind");
            assert_eq!(titles(user, "kind=binnen_regio").await.len(), if user == "demo-gemeente" { 3 } else { 2 }, "{user}");
        }
    }
}
