//! The public register's search and filters, the same rulings on SQLite and PostgreSQL; a
//! ruling's page with its agreements, regions and related rulings; a new public version under
//! review that leaves the published one in place; and a ruling challenged in court.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    case_support::*,
    harness::*,
    on_both_databases,
    web::{Browser, html},
};

/// A ruled case with this reasoning, published in full; its id and number.
async fn published(t: &TestApp, reasoning: &str) -> (String, String) {
    let c = case_ruled_on(
        t,
        "Wij betwisten het verzoek.",
        json!({"outcome": "gegrond", "nature": "bindend_advies",
               "dictum": "Het verzoek wordt toegewezen.", "reasoning": reasoning}),
    )
    .await;
    let id = c["id"].as_str().unwrap().to_owned();
    let token = t.token("demo-secretaris").await;
    for step in ["", "/publish"] {
        let res = t
            .send_json(
                Method::POST,
                &format!("/api/v1/cases/{id}/publication{step}"),
                Some(&token),
                &json!({}),
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    (id, c["number"].as_str().unwrap().to_owned())
}

/// The numbers the register answers for this query, in its order.
async fn numbers(t: &TestApp, query: &str) -> Vec<String> {
    let res = t.get(&format!("/api/v1/rulings?{query}"), None).await;
    assert_eq!(res.status(), 200, "{query}");
    let page: Value = res.json().await.unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["number"].as_str().unwrap().to_owned())
        .collect()
}

on_both_databases! {
    async fn the_register_finds_by_words_in_any_inflection_and_by_facets(t: TestApp) {
        let (_, tariffs) = published(&t, "De tarieven van de aanbieders zijn te laag vastgesteld.").await;
        let (_, agreement) = published(&t, "Het tarief is redelijk; de overeenkomst met de aanbieder loopt door.").await;
        let (_, tender) = published(&t, "De aanbesteding is te laat gepubliceerd, na 1 april.").await;

        // Every word must occur, in any inflection; newest publication first.
        assert_eq!(numbers(&t, "q=aanbestedingen").await, [tender.as_str()]);
        assert_eq!(numbers(&t, "q=overeenkomsten").await, [agreement.as_str()]);
        assert_eq!(numbers(&t, "q=aanbieder").await, [agreement.clone(), tariffs.clone()]);
        assert_eq!(numbers(&t, "q=Aanbieders%20tarieven").await, [tariffs.as_str()]);
        assert_eq!(numbers(&t, "q=aanbesteding%20tarieven").await, Vec::<String>::new());
        // A word in the public text only: the parties' own names are in it too.
        assert_eq!(numbers(&t, "q=aanbieder&outcome=ongegrond").await, Vec::<String>::new());
        let p = assert_problem(t.get("/api/v1/rulings?q=de%20het", None).await, 400).await;
        assert_eq!(p["errors"][0]["field"], "q");

        // Facets: the kind's agreements and chamber, the parties' region.
        let all = [tender.clone(), agreement.clone(), tariffs.clone()];
        assert_eq!(numbers(&t, "agreement=1").await, all);
        assert_eq!(numbers(&t, "agreement=5").await, Vec::<String>::new());
        assert_eq!(numbers(&t, "chamber=Inkoop%20Jeugdwet%20en%20Wmo").await, all);
        assert_eq!(numbers(&t, "chamber=Woonplaatsbeginsel").await, Vec::<String>::new());
        assert_eq!(numbers(&t, "region=Jeugdhulpregio%20Zuid-Limburg").await, all);
        assert_eq!(numbers(&t, "region=Nergens").await, Vec::<String>::new());
        assert_eq!(numbers(&t, "q=aanbieder&agreement=2&limit=1").await, [agreement.as_str()]);
        for (query, field) in [("agreement=9", "agreement"), ("chamber=Strafkamer", "chamber")] {
            let p = assert_problem(t.get(&format!("/api/v1/rulings?{query}"), None).await, 400).await;
            assert_eq!(p["errors"][0]["field"], field, "{query}");
        }

        // A ruling's own page: what it is filed under, and the rulings on the same agreements.
        let one: Value = t.get(&format!("/api/v1/rulings/{tariffs}"), None).await.json().await.unwrap();
        assert_eq!(one["chamber"], "Inkoop Jeugdwet en Wmo");
        assert!(one["agreements"].as_array().unwrap().iter().any(|a| a["number"] == 1), "{one}");
        assert!(one["regions"].as_array().unwrap().contains(&json!("Jeugdhulpregio Zuid-Limburg")), "{one}");
        let related: Vec<&str> = one["related"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap()).collect();
        assert_eq!(related, [tender.as_str(), agreement.as_str()]);
        assert_eq!(one["newer_version"], false);

        // The web: the search box and the filters by their Dutch names, told next to the field.
        let mut anyone = Browser::new(&t);
        let page = html(anyone.get("/uitspraken?zoek=aanbestedingen&regio=Jeugdhulpregio%20Zuid-Limburg").await, 200).await;
        assert!(page.contains(&format!("href=\"/uitspraken/{tender}\"")) && !page.contains(&format!("href=\"/uitspraken/{tariffs}\"")), "{page}");
        assert!(page.contains("role=\"search\"") && page.contains("value=\"aanbestedingen\""), "{page}");
        let page = html(anyone.get("/uitspraken?zoek=de").await, 200).await;
        assert!(page.contains("href=\"#zoek\"") && page.contains("tellen niet mee"), "{page}");
        let page = html(anyone.get(&format!("/uitspraken/{tariffs}")).await, 200).await;
        assert!(page.contains("Verwante uitspraken") && page.contains(&format!("href=\"/uitspraken/{tender}\"")), "{page}");
        assert!(page.contains("Inkoop Jeugdwet en Wmo") && page.contains("href=\"/uitspraken?overeenkomst=1\""), "{page}");
    }

    async fn a_new_public_version_under_review_leaves_the_published_one_in_place(t: TestApp) {
        let (id, number) = published(&t, "De gemeente Heerlen betaalt de kosten van de jeugdhulp.").await;
        let token = t.token("demo-secretaris").await;
        // The chair corrects the ruling: the published version stays, marked.
        let case = get_case(&t, CHAIR, &id).await;
        let original = case["rulings"][0]["id"].as_str().unwrap().to_owned();
        let res = t.send_json(Method::POST, &format!("/api/v1/cases/{id}/rulings/{original}/corrections"), Some(&t.token(CHAIR).await),
            &json!({"reason": "Een rekenfout in de beslissing.", "outcome": "gegrond", "nature": "bindend_advies",
                    "dictum": "Het verzoek wordt toegewezen; Heerlen betaalt 10.000 euro.",
                    "reasoning": "De gemeente Heerlen betaalt de kosten van de jeugdhulp."})).await;
        assert!(res.status().is_success(), "{}", res.text().await.unwrap());
        let one: Value = t.get(&format!("/api/v1/rulings/{number}"), None).await.json().await.unwrap();
        assert_eq!(one["newer_version"], true, "{one}");
        assert!(!one["text"].as_str().unwrap().contains("10.000"));
        // Prepared again: still public as it was until the decision.
        let p: Value = t.send_json(Method::POST, &format!("/api/v1/cases/{id}/publication"), Some(&token), &json!({})).await.json().await.unwrap();
        assert_eq!((p["status"].as_str(), p["public"].as_str()), (Some("concept"), Some("volledig")), "{p}");
        assert_eq!(numbers(&t, "q=jeugdhulp").await, [number.as_str()]);
        let res = t.send_json(Method::POST, &format!("/api/v1/cases/{id}/publication/publish"), Some(&token), &json!({})).await;
        assert_eq!(res.status(), 200);
        let one: Value = t.get(&format!("/api/v1/rulings/{number}"), None).await.json().await.unwrap();
        assert!(one["text"].as_str().unwrap().contains("10.000") && one["corrected_on"].is_string() && one["newer_version"] == false, "{one}");
        // Withheld: off the register and out of its search at once.
        let res = t.send_json(Method::POST, &format!("/api/v1/cases/{id}/publication"), Some(&token), &json!({})).await;
        assert_eq!(res.status(), 200);
        let res = t.send_json(Method::POST, &format!("/api/v1/cases/{id}/publication/publish"), Some(&token),
            &json!({"mode": "achtergehouden", "reason": "Het kind is herkenbaar."})).await;
        assert_eq!(res.status(), 200);
        assert_eq!(numbers(&t, "q=jeugdhulp").await, Vec::<String>::new());
        assert_eq!(numbers(&t, "agreement=1").await, Vec::<String>::new());
    }

    async fn a_court_challenge_is_recorded_and_shown_with_the_ruling(t: TestApp) {
        let (id, number) = published(&t, "De regio blijft verantwoordelijk voor de continuïteit van zorg.").await;
        let path = format!("/api/v1/cases/{id}/challenge");
        let secretary = t.token("demo-secretaris").await;
        // Only the secretary, and only with the dates in order.
        let res = t.send_json(Method::PUT, &path, Some(&t.token("demo-gemeente").await), &json!({"filed_on": today(), "court": "Rechtbank Limburg"})).await;
        assert_eq!(assert_problem(res, 403).await["status"], 403);
        for (body, field) in [
            (json!({"court": "Rechtbank Limburg"}), "filed_on"),
            (json!({"filed_on": "2020-01-01", "court": "Rechtbank Limburg"}), "filed_on"),
            (json!({"filed_on": today(), "court": "Rechtbank Limburg", "outcome": "vernietigd"}), "decided_on"),
            (json!({"filed_on": today(), "court": "Rechtbank Limburg", "outcome": "half"}), "outcome"),
            (json!({"filed_on": "2999-01-01", "court": "Rechtbank Limburg"}), "filed_on"),
        ] {
            let p = assert_problem(t.send_json(Method::PUT, &path, Some(&secretary), &body).await, 400).await;
            assert_eq!(p["errors"][0]["field"], field, "{body}");
        }
        assert_problem(t.get(&path, Some(&secretary)).await, 404).await;
        let one: Value = t.get(&format!("/api/v1/rulings/{number}"), None).await.json().await.unwrap();
        assert!(one.get("challenge").is_none(), "nothing half-stored: {one}");

        let res = t.send_json(Method::PUT, &path, Some(&secretary), &json!({"filed_on": today(), "court": "Rechtbank Limburg", "note": "Ingediend door de advocaat van Heerlen."})).await;
        assert_eq!(res.status(), 200);
        let res = t.send_json(Method::PUT, &path, Some(&secretary), &json!({"filed_on": today(), "court": "Rechtbank Limburg", "outcome": "in_stand", "decided_on": today()})).await;
        let c: Value = res.json().await.unwrap();
        assert_eq!(c["outcome"], "in_stand");
        let one: Value = t.get(&format!("/api/v1/rulings/{number}"), None).await.json().await.unwrap();
        assert_eq!(one["challenge"]["court"], "Rechtbank Limburg");
        assert_eq!(one["challenge"]["outcome"], "in_stand");
        assert!(one["challenge"].get("note").is_none());
        let trail: Value = t.get(&format!("/api/v1/cases/{id}/audit"), Some(&secretary)).await.json().await.unwrap();
        assert_eq!(trail.to_string().matches("ruling.challenge").count(), 2, "{trail}");

        // The web: the public page says so; the secretary's form tells each error next to its field.
        let mut anyone = Browser::new(&t);
        let page = html(anyone.get(&format!("/uitspraken/{number}")).await, 200).await;
        assert!(page.contains("Vernietiging gevraagd bij de rechter") && page.contains("In stand gelaten door de rechter"), "{page}");
        assert!(!page.contains("advocaat"), "the note is not public");
        let mut s = Browser::new(&t);
        s.sign_in("demo-secretaris").await;
        let page = html(s.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(page.contains(&format!("href=\"/geschillen/{id}/vernietiging\"")), "the case page leads to it");
        let form = html(s.get(&format!("/geschillen/{id}/vernietiging")).await, 200).await;
        assert!(form.contains("value=\"Rechtbank Limburg\""), "the form opens with what was recorded: {form}");
        let token = Browser::token_in(&form);
        let res = s.post(&format!("/geschillen/{id}/vernietiging"), &[("csrf", &token), ("filed_on", "1-1-2020"), ("court", "Rechtbank Limburg"), ("outcome", "vernietigd")], None).await;
        let page = html(res, 400).await;
        assert!(page.contains("href=\"#decided_on\""), "{page}");
        let res = s.post(&format!("/geschillen/{id}/vernietiging"), &[("csrf", &token), ("filed_on", &today_nl()), ("court", "Rechtbank Limburg"), ("outcome", "vernietigd"), ("decided_on", &today_nl())], None).await;
        assert_eq!(res.status(), 303);
        let page = html(anyone.get(&format!("/uitspraken/{number}")).await, 200).await;
        assert!(page.contains("Vernietigd door de rechter"), "{page}");
    }
}

fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
        .to_string()
}

fn today_nl() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
        .format("%-d-%-m-%Y")
        .to_string()
}

/// PostgreSQL's Dutch configuration and the stems SQLite's index holds agree word for word,
/// on the Dutch of the reglement, the terms and the pages: what makes a search find the same
/// rulings on both. (Only where TEST_DATABASE_URL is set.)
#[tokio::test]
async fn sqlite_stems_as_postgresql_does() {
    use sea_orm::{ConnectionTrait, Database, DatabaseBackend, Statement};
    let Some(url) = std::env::var("TEST_DATABASE_URL").ok() else {
        eprintln!("TEST_DATABASE_URL is not set: not compared");
        return;
    };
    let db = Database::connect(url).await.unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let mut texts = Vec::new();
    for dir in ["policies", "templates"] {
        for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
            let path = entry.unwrap().path();
            if path
                .extension()
                .is_some_and(|e| e == "toml" || e == "html" || e == "typ")
            {
                texts.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    assert!(texts.len() > 10);
    let mut compared = 0;
    for text in texts {
        let plain = beslecht::domain::search_words::plain(&text);
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT array_to_string(tsvector_to_array(to_tsvector('dutch', $1)), ' ') AS lexemes",
                [plain.clone().into()],
            ))
            .await
            .unwrap()
            .unwrap();
        let theirs: std::collections::BTreeSet<String> = row
            .try_get::<String>("", "lexemes")
            .unwrap()
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let ours: std::collections::BTreeSet<String> =
            beslecht::domain::search_words::stems(&plain).into_iter().collect();
        assert_eq!(
            ours.symmetric_difference(&theirs).collect::<Vec<_>>(),
            Vec::<&String>::new()
        );
        compared += ours.len();
    }
    assert!(compared > 1000, "{compared} words compared");
}
