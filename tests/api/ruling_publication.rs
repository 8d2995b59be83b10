//! The ruling's public version: prepared with personal data found and replaced, reviewed,
//! published on an explicit decision only, and then in the public register (JSON, HTML, PDF,
//! Atom) with none of the personal data — the same on SQLite and PostgreSQL.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    case_support::*,
    harness::*,
    on_both_databases,
    web::{Browser, html},
};

const PERSONAL: [&str; 9] = [
    "J. de Vries",
    "12-03-2011",
    "Kerkstraat 12a",
    "6411 AB",
    "111222333",
    "j.devries@example.nl",
    "06-12345678",
    "NL91 ABNA 0417 1643 00",
    "Pietje",
];

/// A case ruled on, with a reasoning full of personal data; its id and number.
async fn ruled(t: &TestApp) -> (String, String) {
    let c = case_ruled_on(t, "Mevrouw J. de Vries belde op 06-12345678 namens Heerlen.", json!({"outcome": "deels_gegrond", "nature": "bindend_advies",
        "dictum": "Heerlen betaalt aan Maastricht 12.500 euro.",
        "reasoning": "Het kind Pietje, geboren op 12-03-2011, woont met zijn moeder J. de Vries aan de Kerkstraat 12a, 6411 AB Heerlen \
                      (BSN 111222333, j.devries@example.nl, rekening NL91 ABNA 0417 1643 00). De gemeente Heerlen is verantwoordelijk."})).await;
    (
        c["id"].as_str().unwrap().to_owned(),
        c["number"].as_str().unwrap().to_owned(),
    )
}

async fn secretary(t: &TestApp, method: Method, path: &str, body: &Value) -> reqwest::Response {
    t.send_json(method, path, Some(&t.token("demo-secretaris").await), body)
        .await
}

on_both_databases! {
    async fn a_ruling_is_public_only_as_reviewed_and_without_personal_data(t: TestApp) {
        let (id, number) = ruled(&t).await;
        let prepare = format!("/api/v1/cases/{id}/publication");
        let publish = format!("/api/v1/cases/{id}/publication/publish");

        // Only the secretary prepares and publishes.
        let token = t.token("demo-gemeente").await;
        assert_problem(t.send_json(Method::POST, &prepare, Some(&token), &json!({})).await, 403).await;
        // Nothing to publish before it was prepared.
        assert_problem(secretary(&t, Method::POST, &publish, &json!({})).await, 409).await;

        // Prepared: every kind found, replaced, in context; the organisations stay named.
        let res = secretary(&t, Method::POST, &prepare, &json!({"add": {"Pietje": "[kind]"}})).await;
        assert_eq!(res.status(), 200);
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["status"], "concept");
        let text = p["text"].as_str().unwrap();
        let originals: Vec<&str> = p["replacements"].as_array().unwrap().iter().map(|r| r["original"].as_str().unwrap()).collect();
        for personal in PERSONAL {
            assert!(!text.contains(personal), "{personal} in {text}");
            assert!(originals.contains(&personal), "{personal} not among {originals:?}");
        }
        assert!(text.contains("[kind]") && text.contains("[BSN]") && text.contains("gemeente Heerlen") && text.contains("Maastricht"), "{text}");
        // The chair's name is a person's: replaced too.
        assert!(!text.contains("Demo Commissielid"), "{text}");

        // Not public yet.
        assert_problem(t.get(&format!("/api/v1/rulings/{number}"), None).await, 404).await;
        let list: Value = t.get("/api/v1/rulings", None).await.json().await.unwrap();
        assert_eq!(list["items"], json!([]));

        // A review that keeps the BSN is refused at the decision; nothing is published.
        let res = secretary(&t, Method::POST, &prepare, &json!({"keep": ["111222333"], "add": {"Pietje": "[kind]"}})).await;
        assert_eq!(res.status(), 200);
        let p = assert_problem(secretary(&t, Method::POST, &publish, &json!({})).await, 422).await;
        assert!(p["detail"].as_str().unwrap().contains("BSN"), "{p}");
        assert_problem(t.get(&format!("/api/v1/rulings/{number}"), None).await, 404).await;
        // Withholding needs a reason, a summary needs the summary.
        let p = assert_problem(secretary(&t, Method::POST, &publish, &json!({"mode": "achtergehouden"})).await, 400).await;
        assert_eq!(invalid_fields(&p), ["reason"]);
        let p = assert_problem(secretary(&t, Method::POST, &publish, &json!({"mode": "samenvatting"})).await, 400).await;
        assert_eq!(invalid_fields(&p), ["summary"]);

        // Reviewed again, published.
        secretary(&t, Method::POST, &prepare, &json!({"add": {"Pietje": "[kind]"}})).await;
        let res = secretary(&t, Method::POST, &publish, &json!({"mode": "volledig"})).await;
        assert_eq!(res.status(), 200);
        let p: Value = res.json().await.unwrap();
        assert_eq!(p["status"], "volledig");
        assert!(p["published_at"].is_string());

        // The register: JSON, filters, the ruling's own page, its PDF and the feed.
        let one: Value = t.get(&format!("/api/v1/rulings/{number}"), None).await.json().await.unwrap();
        let public = one["text"].as_str().unwrap();
        assert!(public.contains("Heerlen betaalt aan Maastricht 12.500 euro."), "{public}");
        for personal in PERSONAL {
            assert!(!public.contains(personal), "{personal} in {public}");
        }
        let year = one["date"].as_str().unwrap()[..4].to_owned();
        for (query, found) in [
            ("kind=binnen_regio".to_owned(), true), ("outcome=deels_gegrond".to_owned(), true), (format!("year={year}"), true),
            ("outcome=gegrond".to_owned(), false), ("kind=uittreding".to_owned(), false), ("year=2001".to_owned(), false),
        ] {
            let list: Value = t.get(&format!("/api/v1/rulings?{query}"), None).await.json().await.unwrap();
            let numbers: Vec<&str> = list["items"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap()).collect();
            assert_eq!(numbers.contains(&number.as_str()), found, "{query}: {numbers:?}");
        }
        let p = assert_problem(t.get("/api/v1/rulings?outcome=half", None).await, 400).await;
        assert_eq!(invalid_fields(&p), ["outcome"]);

        let mut anyone = Browser::new(&t);
        let page = html(anyone.get(&format!("/uitspraken/{number}")).await, 200).await;
        assert!(page.contains("Heerlen betaalt aan Maastricht 12.500 euro.") && page.contains("<h2>De beoordeling</h2>"), "{page}");
        for personal in PERSONAL {
            assert!(!page.contains(personal), "{personal} on the public page");
        }
        let list = html(anyone.get("/uitspraken?uitkomst=deels_gegrond").await, 200).await;
        assert!(list.contains(&format!("href=\"/uitspraken/{number}\"")), "{list}");
        let list = html(anyone.get("/uitspraken?jaar=twee").await, 200).await;
        assert!(list.contains("href=\"#jaar\""), "{list}");
        let res = anyone.get(&format!("/uitspraken/{number}.pdf")).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let feed = anyone.get("/uitspraken/feed.atom").await;
        assert_eq!(feed.headers()["content-type"], "application/atom+xml; charset=utf-8");
        let feed = feed.text().await.unwrap();
        assert!(feed.starts_with("<?xml") && feed.contains(&format!("/uitspraken/{number}</id>")), "{feed}");
        html(anyone.get("/uitspraken/GS-1999-9999").await, 404).await;

        // The secretary's review page shows the decision.
        let mut s = Browser::new(&t);
        s.sign_in("demo-secretaris").await;
        let page = html(s.get(&format!("/geschillen/{id}/publicatie")).await, 200).await;
        assert!(page.contains(&format!("href=\"/uitspraken/{number}\"")), "{page}");
    }

    async fn the_review_page_shows_each_replacement_and_undoes_one(t: TestApp) {
        let (id, number) = ruled(&t).await;
        let mut s = Browser::new(&t);
        s.sign_in("demo-secretaris").await;
        let page = html(s.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(page.contains(&format!("href=\"/geschillen/{id}/publicatie\"")), "the case page leads to it");
        let page = html(s.get(&format!("/geschillen/{id}/publicatie")).await, 200).await;
        let token = Browser::token_in(&page);
        let res = s.post(&format!("/geschillen/{id}/publicatie"), &[("csrf", &token)], None).await;
        assert_eq!(res.status(), 303);
        let page = html(s.get(&format!("/geschillen/{id}/publicatie")).await, 200).await;
        assert!(page.contains("<mark>111222333</mark>") && page.contains("<mark>Kerkstraat 12a</mark>"), "{page}");
        // Undo the postcode, add the child's name.
        let res = s.post(&format!("/geschillen/{id}/publicatie"), &[("csrf", &token), ("keep", "6411 AB"), ("toevoegen", "Pietje = [kind]")], None).await;
        assert_eq!(res.status(), 303);
        let page = html(s.get(&format!("/geschillen/{id}/publicatie")).await, 200).await;
        assert!(page.contains("6411 AB Heerlen") && page.contains("[kind]") && page.contains("Pietje = [kind]"), "{page}");
        // Withholding without a reason: told next to the field.
        let res = s.post(&format!("/geschillen/{id}/publicatie/besluit"), &[("csrf", &token), ("mode", "achtergehouden")], None).await;
        let page = html(res, 400).await;
        assert!(page.contains("href=\"#reason\""), "{page}");
        let res = s.post(&format!("/geschillen/{id}/publicatie/besluit"), &[("csrf", &token), ("mode", "achtergehouden"), ("reason", "Het kind is herkenbaar.")], None).await;
        assert_eq!(res.status(), 303);
        assert_problem(t.get(&format!("/api/v1/rulings/{number}"), None).await, 404).await;
        // A party never reaches the review.
        let mut party = Browser::new(&t);
        party.sign_in("demo-gemeente").await;
        let res = party.get(&format!("/geschillen/{id}/publicatie")).await;
        assert_eq!(res.status(), 403);
    }
}
