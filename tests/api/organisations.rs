use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::{harness::*, on_both_databases};

async fn list(t: &TestApp, token: &str, query: &str) -> Value {
    let res = t.get(&format!("/api/v1/organisations?{query}"), Some(token)).await;
    assert_eq!(res.status(), 200, "{query}");
    res.json().await.unwrap()
}

on_both_databases! {
    async fn organisations_need_a_signed_in_user(t: TestApp) {
        assert_problem(t.get("/api/v1/organisations", None).await, 401).await;
    }

    async fn filtering_by_kind_and_name(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        let all = list(&t, &token, "kind=gemeente&limit=200").await;
        assert_eq!(all["items"].as_array().unwrap().len(), 37);
        assert!(all["items"].as_array().unwrap().iter().all(|o| o["kind"] == "gemeente" && o["cbs_code"].as_str().unwrap().starts_with("GM")));
        let maas = list(&t, &token, "name=MAAS").await;
        let names: Vec<&str> = maas["items"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Maastricht"]);
        let regions = list(&t, &token, "kind=jeugdregio").await;
        assert_eq!(regions["items"].as_array().unwrap().len(), 2);
        // Wildcards in the search text are taken literally.
        assert_eq!(list(&t, &token, "name=%25").await["items"].as_array().unwrap().len(), 0);
        assert_eq!(list(&t, &token, "name=_").await["items"].as_array().unwrap().len(), 0);
    }

    async fn bad_filters_are_400_problems(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        let p = assert_problem(t.get("/api/v1/organisations?kind=stad&limit=0&cursor=zzz", Some(&token)).await, 400).await;
        assert_eq!(invalid_fields(&p), ["kind", "limit", "cursor"]);
        assert_problem(t.get("/api/v1/organisations?limit=lots", Some(&token)).await, 400).await;
    }

    async fn pages_are_stable_and_complete(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let q = match &cursor { Some(c) => format!("limit=7&cursor={c}"), None => "limit=7".into() };
            let page = list(&t, &token, &q).await;
            let items = page["items"].as_array().unwrap();
            assert!(items.len() <= 7);
            seen.extend(items.iter().map(|o| (o["name"].as_str().unwrap().to_owned(), o["id"].as_str().unwrap().to_owned())));
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 46);
        assert_eq!(seen.iter().map(|(_, id)| id).collect::<HashSet<_>>().len(), 46);
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted);
    }

    async fn an_organisation_shows_its_regions_members_and_accounthouderschap(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        let zob = t.org_id(&token, "Jeugdregio Zuidoost-Brabant (21 voor de Jeugd)").await;
        let d: Value = t.get(&format!("/api/v1/organisations/{zob}"), Some(&token)).await.json().await.unwrap();
        assert_eq!(d["kind"], "jeugdregio");
        let members = d["members"].as_array().unwrap();
        assert_eq!(members.iter().filter(|m| m["member"]["kind"] == "gemeente").count(), 21);
        assert_eq!(members.iter().filter(|m| m["member"]["kind"] == "subregio").count(), 2);
        let accounts: Vec<&str> = d["accounthouder_for"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
        assert_eq!(accounts, ["BJ Brabant", "Combinatie Jeugdzorg", "Jeugd Veilig Verder"]);

        let een10 = t.org_id(&token, "Een 10 voor de Jeugd").await;
        let d: Value = t.get(&format!("/api/v1/organisations/{een10}"), Some(&token)).await.json().await.unwrap();
        assert_eq!(d["parent"], zob.as_str());
        assert_eq!(d["members"].as_array().unwrap().len(), 11);

        let helmond = t.org_id(&token, "Helmond").await;
        let d: Value = t.get(&format!("/api/v1/organisations/{helmond}"), Some(&token)).await.json().await.unwrap();
        assert_eq!(d["cbs_code"], "GM0794");
        assert_eq!(d["regions"].as_array().unwrap().len(), 2);
        assert!(d["regions"].as_array().unwrap().iter().all(|m| m["start_date"].as_str().unwrap().len() == 10 && m["end_date"].is_null()));

        let jvv = t.org_id(&token, "Jeugd Veilig Verder").await;
        let d: Value = t.get(&format!("/api/v1/organisations/{jvv}"), Some(&token)).await.json().await.unwrap();
        assert_eq!(d["kind"], "gi");
        assert_eq!(d["accounthouders"][0]["id"], zob.as_str());

        assert_problem(t.get(&format!("/api/v1/organisations/{}", uuid::Uuid::new_v4()), Some(&token)).await, 404).await;
    }

    async fn the_administrator_registers_and_edits_organisations(t: TestApp) {
        let admin = t.token("beheerder").await;
        let res = t.send_json(Method::POST, "/api/v1/organisations", Some(&admin),
            &json!({"name": "Gemeente Testdorp", "kind": "gemeente", "cbs_code": "gm9999"})).await;
        assert_eq!(res.status(), 201);
        let created: Value = res.json().await.unwrap();
        assert_eq!(created["cbs_code"], "GM9999");
        let id = created["id"].as_str().unwrap();

        let res = t.send_json(Method::PATCH, &format!("/api/v1/organisations/{id}"), Some(&admin), &json!({"name": "Testdorp"})).await;
        assert_eq!(res.status(), 200);
        let updated: Value = res.json().await.unwrap();
        assert_eq!((updated["name"].as_str(), updated["cbs_code"].as_str()), (Some("Testdorp"), Some("GM9999")));

        // Duplicates of name or CBS code conflict, and change nothing.
        let res = t.send_json(Method::POST, "/api/v1/organisations", Some(&admin), &json!({"name": "Maastricht", "kind": "gemeente"})).await;
        assert_problem(res, 409).await;
        let res = t.send_json(Method::PATCH, &format!("/api/v1/organisations/{id}"), Some(&admin), &json!({"cbs_code": "GM0935"})).await;
        assert_problem(res, 409).await;
        let after: Value = t.get(&format!("/api/v1/organisations/{id}"), Some(&admin)).await.json().await.unwrap();
        assert_eq!(after["cbs_code"], "GM9999");

        // Both changes are in the audit log.
        use beslecht::storage::entities::audit_event;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let events = audit_event::Entity::find()
            .filter(audit_event::Column::SubjectId.eq(uuid::Uuid::parse_str(id).unwrap()))
            .order_by_asc(audit_event::Column::Id)
            .all(&t.app.db).await.unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["organisation.created", "organisation.updated"]);
        assert_eq!(events[1].before.as_ref().unwrap()["name"], "Gemeente Testdorp");
        assert_eq!(events[1].after.as_ref().unwrap()["name"], "Testdorp");
        assert!(events[1].actor.starts_with("beheerder"));
    }

    async fn invalid_organisations_list_every_field_and_store_nothing(t: TestApp) {
        let admin = t.token("beheerder").await;
        let res = t.send_json(Method::POST, "/api/v1/organisations", Some(&admin),
            &json!({"name": "  ", "kind": "stad", "cbs_code": "12", "parent": "x"})).await;
        let p = assert_problem(res, 400).await;
        assert_eq!(invalid_fields(&p), ["name", "kind", "cbs_code", "parent"]);
        let res = t.send_json(Method::POST, "/api/v1/organisations", Some(&admin),
            &json!({"name": "Zorg BV", "kind": "aanbieder", "cbs_code": "GM1234"})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["cbs_code"]);
        let res = t.send_json(Method::POST, "/api/v1/organisations", Some(&admin), &json!({"name": "Subregio X", "kind": "subregio"})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["parent"]);
        let total: Value = t.get("/api/v1/organisations?limit=200", Some(&admin)).await.json().await.unwrap();
        assert_eq!(total["items"].as_array().unwrap().len(), 46);
    }

    async fn only_the_administrator_may_change_organisations(t: TestApp) {
        for user in ["demo-gemeente", "demo-regio", "demo-aanbieder", "demo-secretaris", "demo-bemiddelaar", "demo-commissielid"] {
            let token = t.token(user).await;
            let res = t.send_json(Method::POST, "/api/v1/organisations", Some(&token), &json!({"name": "Nieuw", "kind": "gemeente"})).await;
            assert_problem(res, 403).await;
            let own = t.org_id(&token, "Maastricht").await;
            let res = t.send_json(Method::PATCH, &format!("/api/v1/organisations/{own}"), Some(&token), &json!({"name": "Mestreech"})).await;
            assert_problem(res, 403).await;
        }
        let token = t.token("demo-gemeente").await;
        assert_eq!(list(&t, &token, "name=Mestreech").await["items"].as_array().unwrap().len(), 0);
    }

    async fn memberships_follow_the_rules_and_never_overlap(t: TestApp) {
        let admin = t.token("beheerder").await;
        let res = t.send_json(Method::POST, "/api/v1/organisations", Some(&admin), &json!({"name": "Nieuwdorp", "kind": "gemeente"})).await;
        let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        let zl = t.org_id(&admin, "Jeugdhulpregio Zuid-Limburg").await;
        let path = format!("/api/v1/organisations/{id}/memberships");

        let res = t.send_json(Method::POST, &path, Some(&admin), &json!({"region": zl, "start_date": "2024-01-01", "end_date": "2025-12-31"})).await;
        assert_eq!(res.status(), 201);
        let d: Value = res.json().await.unwrap();
        assert_eq!(d["regions"][0]["end_date"], "2025-12-31");
        let res = t.send_json(Method::POST, &path, Some(&admin), &json!({"region": zl, "start_date": "2025-06-01"})).await;
        assert_problem(res, 409).await;
        let res = t.send_json(Method::POST, &path, Some(&admin), &json!({"region": zl, "start_date": "2026-01-01"})).await;
        assert_eq!(res.status(), 201);

        let res = t.send_json(Method::POST, &path, Some(&admin), &json!({"region": zl, "start_date": "2027-02-30", "end_date": "2026-01-01"})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["start_date"]);
        let res = t.send_json(Method::POST, &path, Some(&admin), &json!({"region": zl, "start_date": "2027-01-01", "end_date": "2026-01-01"})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["end_date"]);
        let maastricht = t.org_id(&admin, "Maastricht").await;
        let res = t.send_json(Method::POST, &path, Some(&admin), &json!({"region": maastricht, "start_date": "2027-01-01"})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["region"]);
    }
}

on_both_databases! {
    async fn a_membership_is_ended_when_a_municipality_leaves_its_region(t: TestApp) {
        let admin = t.token("beheerder").await;
        let vaals = t.org_id(&admin, "Vaals").await;
        let d: Value = t.get(&format!("/api/v1/organisations/{vaals}"), Some(&admin)).await.json().await.unwrap();
        let membership = d["regions"][0]["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/organisations/{vaals}/memberships/{membership}");

        let res = t.send_json(Method::PATCH, &path, Some(&admin), &json!({"end_date": "2026-12-31"})).await;
        assert_eq!(res.status(), 200);
        let d: Value = res.json().await.unwrap();
        assert_eq!(d["regions"][0]["end_date"], "2026-12-31");

        let res = t.send_json(Method::PATCH, &path, Some(&admin), &json!({"end_date": "2014-12-31"})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["end_date"]);
        let res = t.send_json(Method::PATCH, &path, Some(&admin), &json!({"end_date": "31-12-2026"})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["end_date"]);
        // Another organisation's membership, or none: 404.
        let heerlen = t.org_id(&admin, "Heerlen").await;
        let res = t.send_json(Method::PATCH, &format!("/api/v1/organisations/{heerlen}/memberships/{membership}"), Some(&admin), &json!({"end_date": null})).await;
        assert_problem(res, 404).await;
        // Nobody else may.
        let token = t.token("demo-gemeente").await;
        assert_problem(t.send_json(Method::PATCH, &path, Some(&token), &json!({"end_date": null})).await, 403).await;
        // Open-ended again.
        let res = t.send_json(Method::PATCH, &path, Some(&admin), &json!({"end_date": null})).await;
        assert!(res.json::<Value>().await.unwrap()["regions"][0]["end_date"].is_null());
    }

    async fn accounthouderschap_is_recorded_once_for_providers_only(t: TestApp) {
        let admin = t.token("beheerder").await;
        let zl = t.org_id(&admin, "Jeugdhulpregio Zuid-Limburg").await;
        let jvv = t.org_id(&admin, "Jeugd Veilig Verder").await;
        let path = format!("/api/v1/organisations/{zl}/accounthouderschappen");
        let res = t.send_json(Method::POST, &path, Some(&admin), &json!({"provider": jvv})).await;
        assert_eq!(res.status(), 201);
        let d: Value = res.json().await.unwrap();
        assert_eq!(d["accounthouder_for"][0]["name"], "Jeugd Veilig Verder");
        assert_problem(t.send_json(Method::POST, &path, Some(&admin), &json!({"provider": jvv})).await, 409).await;

        let maastricht = t.org_id(&admin, "Maastricht").await;
        let res = t.send_json(Method::POST, &path, Some(&admin), &json!({"provider": maastricht})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["provider"]);
        let res = t.send_json(Method::POST, &format!("/api/v1/organisations/{maastricht}/accounthouderschappen"), Some(&admin), &json!({"provider": jvv})).await;
        assert_problem(res, 409).await;
        let token = t.token("demo-regio").await;
        assert_problem(t.send_json(Method::POST, &path, Some(&token), &json!({"provider": jvv})).await, 403).await;
    }
}
