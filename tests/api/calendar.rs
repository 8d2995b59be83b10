//! The term calculator through HTTP.

use serde_json::Value;

use crate::{harness::*, on_both_databases};

on_both_databases! {
    async fn the_calculator_applies_the_atw_and_explains_itself(t: TestApp) {
        let res = t.get("/api/v1/calendar/deadline?start=2026-03-20&term=P2W", None).await;
        assert_eq!(res.status(), 200);
        let d: Value = res.json().await.unwrap();
        assert_eq!(d["end"], "2026-04-07");
        assert_eq!(d["term_nl"], "2 weken");
        let rules: Vec<&str> = d["steps"].as_array().unwrap().iter().map(|s| s["rule"].as_str().unwrap()).collect();
        assert_eq!(rules, ["termijn", "atw_art_1"]);
        assert!(d["steps"][1]["text"].as_str().unwrap().contains("Goede Vrijdag"));

        let d: Value = t.get("/api/v1/calendar/deadline?start=2026-05-19&term=P2W&direction=backward", None).await.json().await.unwrap();
        assert_eq!((d["end"].as_str(), d["practical_end"].as_str()), (Some("2026-05-05"), Some("2026-05-04")));
        let d: Value = t.get("/api/v1/calendar/deadline?start=2026-03-20&term=P2W&atw=false", None).await.json().await.unwrap();
        assert_eq!(d["end"], "2026-04-03");
    }

    async fn malformed_dates_and_terms_are_400_with_each_field_named(t: TestApp) {
        let p = assert_problem(t.get("/api/v1/calendar/deadline?start=2026-02-30&term=P2X&direction=sideways&atw=misschien", None).await, 400).await;
        assert_eq!(invalid_fields(&p), ["start", "term", "direction", "atw"]);
        for (query, field) in [("start=2026-03-01&term=PT4H", "term"), ("start=2026-03-01&term=P0D", "term"),
            ("start=2026-03-01&term=P99Y", "term"), ("term=P2W", "start"), ("start=0001-01-01&term=P1D", "start")] {
            let p = assert_problem(t.get(&format!("/api/v1/calendar/deadline?{query}"), None).await, 400).await;
            assert_eq!(invalid_fields(&p), [field], "{query}");
            assert!(p["errors"][0]["message_nl"].is_string());
        }
    }
}

mod feeds {
    use reqwest::Method;
    use serde_json::{Value, json};

    use crate::{case_support::*, harness::*, on_both_databases};

    async fn feed_path(t: &TestApp, user: &str) -> String {
        let res = t
            .send_json(
                Method::POST,
                "/api/v1/me/calendar-feed",
                Some(&t.token(user).await),
                &json!({}),
            )
            .await;
        assert_eq!(res.status(), 201);
        res.json::<Value>().await.unwrap()["path"].as_str().unwrap().to_owned()
    }

    on_both_databases! {
        async fn a_private_feed_holds_the_terms_and_hearings_one_may_see(t: TestApp) {
            let id = case_before_commission(&t).await;
            let number = get_case(&t, "demo-secretaris", &id).await["number"].as_str().unwrap().to_owned();
            step_ok(&t, "demo-gemeente-2", &id, "submit-defence", json!({"statement": "Verweer."})).await;
            let path = feed_path(&t, "demo-gemeente-2").await;
            let res = t.get(&path, None).await;
            assert_eq!(res.status(), 200);
            assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
            let text = res.text().await.unwrap();
            assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
            assert!(text.contains(&format!("SUMMARY:Laatste dag: Repliek ({number})")), "{text}");
            step_ok(&t, "demo-gemeente", &id, "waive-reply", json!({})).await;
            step_ok(&t, "demo-secretaris", &id, "schedule-hearing", json!({"at": "2030-03-05T09:30:00Z", "location": "Utrecht"})).await;
            let text = t.get(&path, None).await.text().await.unwrap();
            assert!(text.contains(&format!("SUMMARY:Zitting geschil {number}")), "{text}");
            assert!(text.contains("DTSTART:20300305T093000Z"));
            // Someone outside the case sees none of it.
            let other = t.get(&feed_path(&t, "demo-gemeente-3").await, None).await.text().await.unwrap();
            assert!(!other.contains(&number));
            // A new URL ends the old one; a made-up one is nothing.
            feed_path(&t, "demo-gemeente-2").await;
            assert_problem(t.get(&path, None).await, 404).await;
            assert_problem(t.get("/api/v1/calendar/feeds/0123456789abcdef.ics", None).await, 404).await;
        }
    }
}
