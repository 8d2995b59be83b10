//! The ruling as a document: adopting a ruling issues it as a tagged PDF (checked from
//! outside by poppler-utils: tagged, fonts embedded, the dictum extractable) stored as the
//! case's `uitspraak` document and sent to everyone in the case; anyone can check a file's
//! authenticity; a correction issues a new version and keeps the old one checkable.

use reqwest::{Method, multipart};
use serde_json::{Value, json};

use crate::{
    case_support::*,
    document_support::sha256,
    harness::*,
    on_both_databases,
    web::{Browser, html},
};

const DICTUM: &str = "Heerlen betaalt aan Maastricht een bedrag van 12.500 euro.";

/// A case through the written round and the hearing, with the ruling adopted; its id.
async fn adopted(t: &TestApp) -> String {
    let c = case_ruled_on(t, "Heerlen heeft altijd naar rato bijgedragen.\n\nDe verdeelsleutel is afgesproken.",
        json!({"outcome": "deels_gegrond", "nature": "bindend_advies",
        "dictum": DICTUM, "reasoning": "De NvO vraagt solidariteit binnen de regio.\n\nHeerlen heeft te weinig bijgedragen <script>alert(1)</script>.",
        "cost_allocation": "Ieder draagt de eigen kosten."})).await;
    c["id"].as_str().unwrap().to_owned()
}

async fn pdf_of(t: &TestApp, user: &str, id: &str) -> reqwest::Response {
    t.get(&format!("/api/v1/cases/{id}/ruling/pdf"), Some(&t.token(user).await))
        .await
}

/// What a poppler tool says about `pdf`.
fn poppler(tool: &str, pdf: &[u8], extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("uitspraak.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new(tool)
        .args(extra)
        .arg(&path)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (Debian's poppler-utils, which tests/run installs): {e}"));
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

async fn check_file(t: &TestApp, bytes: Vec<u8>) -> reqwest::Response {
    let form = multipart::Form::new().part("file", multipart::Part::bytes(bytes).file_name("uitspraak.pdf"));
    t.request(Method::POST, "/api/v1/rulings/check")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

on_both_databases! {
    async fn an_adopted_ruling_is_issued_as_a_tagged_pdf_to_everyone_in_the_case(t: TestApp) {
        let id = adopted(&t).await;
        let case = get_case(&t, "demo-gemeente", &id).await;
        let number = case["number"].as_str().unwrap().to_owned();

        // The document, for a party: a PDF whose hash is the one the case's documents list.
        let res = pdf_of(&t, "demo-gemeente-2", &id).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let pdf = res.bytes().await.unwrap().to_vec();
        if let Ok(p) = std::env::var("RULING_PDF_OUT") { std::fs::write(p, &pdf).unwrap(); }
        let docs: Value = t.get(&format!("/api/v1/cases/{id}/documents"), Some(&t.token("demo-gemeente").await)).await.json().await.unwrap();
        let docs: Vec<&Value> = docs.as_array().unwrap().iter().filter(|d| d["type"] == "uitspraak").collect();
        assert_eq!(docs.len(), 1, "{docs:?}");
        assert_eq!(docs[0]["sha256"], sha256(&pdf));
        assert_eq!(docs[0]["content_type"], "application/pdf");

        // Checked from outside: tagged, titled, every font embedded, the dictum in the text.
        let info = poppler("pdfinfo", &pdf, &[]);
        assert!(info.lines().any(|l| l.starts_with("Tagged:") && l.ends_with("yes")), "{info}");
        assert!(info.contains(&format!("Uitspraak in het geschil {number}")), "{info}");
        let fonts = poppler("pdffonts", &pdf, &[]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{fonts}");
        for row in &rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            // name type [encoding…] emb sub uni object ID: "emb" is the fifth from the end.
            assert_eq!(cols[cols.len() - 5], "yes", "a font not embedded: {row}");
        }
        let text = poppler("pdftotext", &pdf, &[]);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(DICTUM), "{text}");
        for part in ["De partijen", "Het verloop van de procedure", "De feiten", "Het geschil", "De beoordeling",
                     "De beslissing", "De kosten", "bindend advies", "Verweerschrift", "Heerlen heeft altijd naar rato bijgedragen"] {
            assert!(flat.contains(part), "{part}: {text}");
        }

        // Sent to the parties: in their inbox.
        let inbox: Value = t.get("/api/v1/me/notifications", Some(&t.token("demo-gemeente-2").await)).await.json().await.unwrap();
        let items = inbox["items"].as_array().or(inbox.as_array()).unwrap();
        assert!(items.iter().any(|n| n["kind"] == "uitspraak" && n["title"].as_str().unwrap().contains(&number)), "{inbox}");

        // Recorded in the trail with its hash.
        let trail: Value = t.get(&format!("/api/v1/cases/{id}/audit"), Some(&t.token("demo-gemeente").await)).await.json().await.unwrap();
        let issue = trail["entries"].as_array().unwrap().iter().find(|e| e["action"] == "ruling.issue").expect("ruling.issue");
        assert_eq!(issue["after"]["sha256"], sha256(&pdf));
        assert_eq!(trail["intact"], true);

        // Authentic: by hash and by file; a changed file is not.
        let res = t.get(&format!("/api/v1/rulings/check?sha256={}", sha256(&pdf).to_uppercase()), None).await;
        assert_eq!(res.status(), 200);
        let found: Value = res.json().await.unwrap();
        assert_eq!(found["number"], number);
        assert_eq!(found["outcome"], "deels_gegrond");
        assert_eq!(found["date"], case["rulings"][0]["adopted_on"]);
        assert_eq!(found["corrected"], false);
        let res = check_file(&t, pdf.clone()).await;
        assert_eq!(res.status(), 200);
        let mut changed = pdf.clone();
        let at = changed.len() / 2;
        changed[at] ^= 1;
        assert_problem(check_file(&t, changed).await, 404).await;
        assert_problem(t.get(&format!("/api/v1/rulings/check?sha256={}", "0".repeat(64)), None).await, 404).await;
        let p = assert_problem(t.get("/api/v1/rulings/check?sha256=xyz", None).await, 400).await;
        assert_eq!(invalid_fields(&p), ["sha256"]);
        assert_problem(t.request(Method::POST, "/api/v1/rulings/check")
            .multipart(multipart::Form::new().text("sha256", sha256(&pdf))).send().await.unwrap(), 400).await;

        // Not for whoever may not see the case; nothing before a ruling.
        assert_problem(pdf_of(&t, "demo-gemeente-3", &id).await, 404).await;
        let other = case_before_commission(&t).await;
        assert_problem(pdf_of(&t, "demo-gemeente", &other).await, 404).await;
    }

    async fn a_correction_is_issued_as_a_new_version_and_the_first_stays_authentic(t: TestApp) {
        let id = adopted(&t).await;
        let first = pdf_of(&t, "demo-gemeente", &id).await.bytes().await.unwrap().to_vec();
        let case = get_case(&t, CHAIR, &id).await;
        let original = case["rulings"][0]["id"].as_str().unwrap();
        let res = t.send_json(Method::POST, &format!("/api/v1/cases/{id}/rulings/{original}/corrections"), Some(&t.token(CHAIR).await),
            &json!({"reason": "Kennelijke verschrijving in het bedrag.", "outcome": "deels_gegrond", "nature": "bindend_advies",
                    "dictum": "Heerlen betaalt aan Maastricht een bedrag van 1.250 euro.", "reasoning": "Zie overwegingen."})).await;
        assert_eq!(res.status(), 201);

        let second = pdf_of(&t, "demo-gemeente", &id).await.bytes().await.unwrap().to_vec();
        assert_ne!(sha256(&first), sha256(&second));
        let text = poppler("pdftotext", &second, &[]).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("1.250 euro") && text.contains("Kennelijke verschrijving in het bedrag"), "{text}");
        assert!(text.contains("Verbeterde uitspraak"), "{text}");

        let docs: Value = t.get(&format!("/api/v1/cases/{id}/documents"), Some(&t.token("demo-gemeente").await)).await.json().await.unwrap();
        assert_eq!(docs.as_array().unwrap().iter().filter(|d| d["type"] == "uitspraak").count(), 2, "both versions kept");
        let old: Value = t.get(&format!("/api/v1/rulings/check?sha256={}", sha256(&first)), None).await.json().await.unwrap();
        assert_eq!(old["corrected"], true);
        let new: Value = t.get(&format!("/api/v1/rulings/check?sha256={}", sha256(&second)), None).await.json().await.unwrap();
        assert_eq!(new["corrected"], false);
    }

    async fn the_web_offers_the_ruling_as_pdf_and_page_and_anyone_can_check_a_file(t: TestApp) {
        let id = adopted(&t).await;
        let mut party = Browser::new(&t);
        party.sign_in("demo-gemeente-2").await;
        let page = html(party.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(page.contains(&format!("href=\"/geschillen/{id}/uitspraak.pdf\"")) && page.contains("/uitspraken/controle"), "{page}");
        let res = party.get(&format!("/geschillen/{id}/uitspraak.pdf")).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let pdf = res.bytes().await.unwrap().to_vec();
        // The HTML version: from the same template, in Dutch, with the dictum.
        let web = html(party.get(&format!("/geschillen/{id}/uitspraak")).await, 200).await;
        // What a person wrote is text in the document, never markup.
        assert!(!web.contains("<script>alert") && web.contains("&lt;script"), "{web}");
        assert!(web.contains("lang=\"nl") && web.contains(DICTUM) && web.contains("<h2>De beslissing</h2>") && web.contains("<h1>"), "{web}");
        // Nobody else's.
        let mut stranger = Browser::new(&t);
        stranger.sign_in("demo-gemeente-3").await;
        html(stranger.get(&format!("/geschillen/{id}/uitspraak")).await, 404).await;
        html(stranger.get(&format!("/geschillen/{id}/uitspraak.pdf")).await, 404).await;

        // The public check, without signing in: by file and by hash.
        let mut anyone = Browser::new(&t);
        let page = html(anyone.get("/uitspraken/controle").await, 200).await;
        assert!(page.contains("lang=\"nl\"") && page.contains("name=\"file\""), "{page}");
        let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(pdf.clone()).file_name("u.pdf"));
        let page = html(anyone.post_multipart("/uitspraken/controle", form).await, 200).await;
        assert!(page.contains("Echt: deze uitspraak is door de commissie uitgegeven") && page.contains(&sha256(&pdf)), "{page}");
        let mut changed = pdf.clone();
        changed[100] ^= 1;
        let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(changed).file_name("u.pdf"));
        let page = html(anyone.post_multipart("/uitspraken/controle", form).await, 200).await;
        assert!(page.contains("Niet gevonden"), "{page}");
        let page = html(anyone.get(&format!("/uitspraken/controle?sha256={}", sha256(&pdf))).await, 200).await;
        assert!(page.contains("Echt:"), "{page}");
        // A malformed hash or no file: told next to the field.
        let page = html(anyone.get("/uitspraken/controle?sha256=abc").await, 200).await;
        assert!(page.contains("href=\"#sha256\"") && page.contains("aria-invalid=\"true\"") && !page.contains("Echt:"), "{page}");
        let page = html(anyone.post_multipart("/uitspraken/controle", reqwest::multipart::Form::new().text("x", "y")).await, 200).await;
        assert!(page.contains("href=\"#bestand\"") && page.contains("Kies het bestand"), "{page}");
    }
}
