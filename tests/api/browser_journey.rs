//! In a real browser (headless Chromium), the whole journey of a dispute through the web
//! forms, every page checked with axe-core against WCAG 2.1 A and AA: a municipality files a
//! dispute with a document using the keyboard alone, the secretary admits it and assigns a
//! mediator, the mediator records that mediation failed, the claimant escalates, the secretary
//! assigns the commission, the respondent files a defence, the secretary schedules and records
//! the hearing, the chair drafts and adopts the ruling, and the claimant reads it.

use chrono::{Duration, Utc};
use fantoccini::key::Key;

use crate::{case_support::*, chrome::Chrome, harness::*};

/// Opens the form of `step` from the case page, where it must be offered to this user.
async fn open_step(chrome: &Chrome, base: &str, case: &str, step: &str) {
    chrome.goto(&format!("{base}/geschillen/{case}")).await;
    chrome.accessible(&format!("case page before {step}")).await;
    chrome.click(&format!("a[href='/geschillen/{case}/stap/{step}']")).await;
    chrome.wait_for("form.form").await;
    chrome.accessible(&format!("{step} form")).await;
}

/// Steps that cannot be undone: their form leads to a confirmation page first.
const CONFIRMED: [&str; 5] = [
    "record-mediation-outcome",
    "escalate",
    "submit-defence",
    "record-hearing",
    "adopt-ruling",
];

/// Submits the step's form (and confirms it where it cannot be undone) and expects the case
/// page to say it was done.
async fn finish_step(chrome: &Chrome, step: &str) {
    chrome.click("form.form button[type=submit]").await;
    if CONFIRMED.contains(&step) {
        chrome.wait_for("button[name=bevestigd]").await;
        let text = chrome.text().await;
        assert!(text.contains("Dit kunt u niet terugdraaien."), "{step}: {text}");
        chrome.accessible(&format!("confirmation of {step}")).await;
        chrome.click("button[name=bevestigd]").await;
    }
    chrome.wait_for("[role=status]").await;
    let text = chrome.text().await;
    assert!(text.contains("Gelukt\n"), "{step}: {text}");
    chrome.accessible(&format!("case page after {step}")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispute_goes_from_filing_to_ruling_through_the_forms() {
    let t = TestApp::start(Db::Sqlite).await;
    let chrome = Chrome::start().await;
    let base = t.url("");
    let (space, enter, left) = (" ".to_owned(), Key::Enter.to_string(), Key::Left.to_string());

    // The municipality files, keyboard only: every field is reached with Tab, chosen with
    // Space, the arrow keys or typing, and every form is sent with Enter.
    chrome.sign_in(&base, "demo-gemeente", DEMO_PASSWORD).await;
    chrome.accessible("overview of a municipality").await;
    chrome.tab_to("Nieuw geschil").await;
    chrome.keys(&enter).await;
    chrome.wait_for_path("/geschillen/nieuw").await;
    chrome.accessible("new dispute form").await;
    chrome.tab_to("kind-binnen_regio").await;
    chrome.keys(&space).await;
    chrome.tab_to("domain-jeugd").await;
    chrome.keys(&space).await;
    chrome.tab_to("respondent_1").await;
    chrome.keys("Heerlen").await;
    chrome.tab_to("title").await;
    chrome.keys("Verdeling van de kosten van gesloten jeugdhulp").await;
    chrome.tab_to("summary").await;
    chrome
        .keys("Heerlen weigert bij te dragen aan de solidariteitsregeling.")
        .await;
    chrome.tab_to("Opslaan en verder").await;
    chrome.keys(&enter).await;
    chrome.wait_for("#tender_published_on").await;
    chrome.accessible("NvO facts form").await;
    let case = chrome
        .client
        .current_url()
        .await
        .unwrap()
        .path()
        .split('/')
        .nth(2)
        .unwrap()
        .to_owned();
    chrome.tab_to("tender_published_on").await;
    chrome.keys("15-5-2025").await;
    chrome.tab_to("contract_duration_months").await;
    chrome.keys("24").await;
    // The group's checked radio ("unknown") takes the focus; an arrow key moves to "Nee".
    chrome.tab_to("continuity_agreed-3").await;
    chrome.keys(&left).await;
    assert_eq!(chrome.focused().await, "continuity_agreed-2");
    chrome.tab_to("Opslaan en toetsen").await;
    chrome.keys(&enter).await;
    chrome.wait_for(".notice--warning").await;
    let text = chrome.text().await;
    assert!(
        text.contains("niet vóór 1 april") && text.contains("continuïteit"),
        "{text}"
    );
    chrome.accessible("NvO facts with flags").await;
    chrome.tab_to("verder").await; // "Opslaan en verder naar de stukken"
    chrome.keys(&enter).await;
    chrome.wait_for("#stuk-file").await;
    chrome.accessible("concept page").await;
    chrome.tab_to("stuk-type").await;
    chrome.keys("Verzoekschrift").await;
    chrome.tab_to("stuk-title").await;
    chrome.keys("Verzoekschrift").await;
    chrome.tab_to("stuk-file").await;
    // A file input takes its path from the test: the system's file dialog is not the page's.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verzoekschrift.pdf");
    std::fs::write(&file, crate::document_support::pdf("verzoek")).unwrap();
    chrome.keys(file.to_str().unwrap()).await;
    chrome.tab_to("Stuk toevoegen").await;
    chrome.keys(&enter).await;
    chrome.wait_for("a[href*='/stukken/']").await;
    chrome.accessible("concept page with a document").await;
    chrome.tab_to("Het geschil indienen").await;
    chrome.keys(&enter).await;
    chrome.wait_for_path(&format!("/geschillen/{case}/stap/submit")).await;
    let text = chrome.text().await;
    assert!(
        text.contains("Controleren en indienen") && text.contains("verzoekschrift.pdf"),
        "{text}"
    );
    chrome.accessible("check page").await;
    chrome.tab_to("Geschil indienen").await;
    chrome.keys(&enter).await;
    chrome.wait_for("[role=status]").await;
    assert!(
        chrome
            .text()
            .await
            .contains("Het geschil is ingediend. De secretaris beoordeelt nu of het ontvankelijk is")
    );
    chrome.accessible("filed case").await;

    // The secretary finds it in the work queue, admits it to mediation, assigns a mediator.
    chrome.sign_in(&base, "demo-secretaris", DEMO_PASSWORD).await;
    chrome.wait_for(&format!("a[href='/geschillen/{case}']")).await;
    chrome.accessible("work queue").await;
    open_step(&chrome, &base, &case, "admit").await;
    chrome.select("#path", "bemiddeling").await;
    finish_step(&chrome, "admit").await;
    open_step(&chrome, &base, &case, "assign-mediator").await;
    chrome.select("#mediator", &user_id(&t, MEDIATOR).await).await;
    finish_step(&chrome, "assign-mediator").await;

    // The mediator records that mediation failed.
    chrome.sign_in(&base, MEDIATOR, DEMO_PASSWORD).await;
    chrome.accessible("mediator's cases").await;
    open_step(&chrome, &base, &case, "record-mediation-outcome").await;
    chrome.select("#outcome", "mislukt").await;
    chrome
        .fill("#summary", "Geen overeenstemming over de verdeelsleutel.")
        .await;
    finish_step(&chrome, "record-mediation-outcome").await;

    // The claimant escalates to the commission.
    chrome.sign_in(&base, "demo-gemeente", DEMO_PASSWORD).await;
    open_step(&chrome, &base, &case, "escalate").await;
    chrome
        .fill("#reason", "Bemiddeling heeft niet tot overeenstemming geleid.")
        .await;
    finish_step(&chrome, "escalate").await;

    // The secretary assigns the chair and a member.
    chrome.sign_in(&base, "demo-secretaris", DEMO_PASSWORD).await;
    open_step(&chrome, &base, &case, "assign-commission").await;
    chrome.select("#chair", &user_id(&t, CHAIR).await).await;
    chrome
        .click(&format!("input[name=members][value='{}']", user_id(&t, MEMBER).await))
        .await;
    finish_step(&chrome, "assign-commission").await;

    // The respondent files its defence.
    chrome.sign_in(&base, "demo-gemeente-2", DEMO_PASSWORD).await;
    open_step(&chrome, &base, &case, "submit-defence").await;
    // The form says by when: the defence term's last day, as the case's terms compute it.
    let token = t.token("demo-gemeente-2").await;
    let view: serde_json::Value = t
        .get(&format!("/api/v1/cases/{case}"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let due = view["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|term| term["key"] == "verweer" && term["status"] == "running")
        .expect("the defence term runs")["due_on"]
        .as_str()
        .unwrap()
        .parse::<chrono::NaiveDate>()
        .unwrap();
    let text = chrome.text().await;
    assert!(
        text.contains(&format!("Uiterlijk {}", beslecht::domain::nvo::nl_date(due))),
        "{text}"
    );
    chrome
        .fill("#statement", "Heerlen heeft altijd naar rato bijgedragen.")
        .await;
    finish_step(&chrome, "submit-defence").await;
    assert!(
        chrome
            .text()
            .await
            .contains("Heerlen heeft altijd naar rato bijgedragen.")
    );

    // The claimant waives its reply, so the written round is closed without waiting.
    chrome.sign_in(&base, "demo-gemeente", DEMO_PASSWORD).await;
    open_step(&chrome, &base, &case, "waive-reply").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for("button[name=bevestigd]").await;
    chrome.click("button[name=bevestigd]").await;
    chrome.wait_for("[role=status]").await;

    // The secretary schedules the hearing and records it once it has taken place.
    chrome.sign_in(&base, "demo-secretaris", DEMO_PASSWORD).await;
    open_step(&chrome, &base, &case, "schedule-hearing").await;
    let at = (Utc::now() + Duration::days(7)).with_timezone(&chrono_tz::Europe::Amsterdam);
    // Typed as people type it: a Dutch date and a time.
    chrome.fill("#at-datum", &at.format("%-d-%-m-%Y").to_string()).await;
    chrome.fill("#at-tijd", "10:00").await;
    chrome.fill("#location", "Stadhuis Utrecht, zaal 2").await;
    finish_step(&chrome, "schedule-hearing").await;
    assert!(chrome.text().await.contains(&at.format("%d-%m-%Y 10:00").to_string()));
    hearing_has_taken_place(&t, &case).await;
    open_step(&chrome, &base, &case, "record-hearing").await;
    chrome.fill("#summary", "Beide partijen gehoord.").await;
    finish_step(&chrome, "record-hearing").await;

    // The chair sees the case with its documents and adopts the ruling.
    chrome.sign_in(&base, CHAIR, DEMO_PASSWORD).await;
    chrome.accessible("commission member's cases").await;
    open_step(&chrome, &base, &case, "adopt-ruling").await;
    assert!(chrome.text().await.contains("Dictum"));
    // A draft first: kept on the server, and the form opens with it.
    chrome.fill("#dictum", "Heerlen draagt bij aan de kosten.").await;
    chrome.click("button[formaction$='/concept-uitspraak']").await;
    chrome
        .wait_for_path(&format!("/geschillen/{case}/stap/adopt-ruling"))
        .await;
    chrome.wait_for("#dictum").await;
    assert!(chrome.text().await.contains("Het concept is opgeslagen."));
    chrome.accessible("adopting form with a saved draft").await;
    chrome.select("#outcome", "deels_gegrond").await;
    chrome.select("#nature", "bindend_advies").await;
    chrome.fill("#dictum", "Heerlen draagt 40% bij aan de kosten.").await;
    chrome
        .fill("#reasoning", "De NvO vraagt solidariteit binnen de regio.")
        .await;
    chrome.fill("#cost_allocation", "Ieder draagt de eigen kosten.").await;
    finish_step(&chrome, "adopt-ruling").await;
    assert!(
        chrome.text().await.contains("verzoekschrift.pdf"),
        "the chair sees the parties' documents"
    );

    // The claimant reads the ruling on the case page.
    chrome.sign_in(&base, "demo-gemeente", DEMO_PASSWORD).await;
    chrome.goto(&format!("{base}/geschillen/{case}")).await;
    let text = chrome.text().await;
    assert!(
        text.contains("Uitspraak") && text.contains("Heerlen draagt 40% bij aan de kosten."),
        "{text}"
    );
    assert!(text.contains("Deels gegrond") && text.contains("Bindend advies"));
    chrome.accessible("case page with the ruling").await;
    // The ruling as a document of its own, typeset from the template: under axe too.
    chrome.goto(&format!("{base}/geschillen/{case}/uitspraak")).await;
    assert!(chrome.text().await.contains("Heerlen draagt 40% bij aan de kosten."));
    chrome.accessible("the ruling as a web page").await;
    chrome.fits("the ruling as a web page", 320).await;
    chrome.goto(&format!("{base}/geschillen/{case}")).await;
    // What matters now comes first: the ruling above the case's details, and a contents list
    // that leads to each section.
    let at = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("{needle}: {text}"));
    assert!(
        at("Heerlen draagt 40% bij aan de kosten.") < at("Gegevens\nVerzoeker"),
        "{text}"
    );
    chrome.click("nav.contents a[href='#verloop']").await;
    assert!(
        chrome
            .client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .ends_with("#verloop")
    );
    // The case page's length with a whole procedure behind it, at a desktop and a phone
    // width: reported (the issue measured 4,000–6,000 px and 10,000 px before the page had
    // sections), not asserted.
    chrome.goto(&format!("{base}/geschillen/{case}")).await;
    let (desk, phone) = (chrome.height(1280).await, chrome.height(375).await);
    eprintln!("case page with its ruling (claimant): {desk} px high at 1280 px, {phone} px at 375 px");

    // The secretary withdraws a document through its form: first refused without a reason.
    chrome.sign_in(&base, "demo-secretaris", DEMO_PASSWORD).await;
    chrome
        .goto(&format!("{base}/geschillen/{case}/handeling/stuk-intrekken"))
        .await;
    chrome.accessible("withdrawing a document").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("withdrawing a document with errors").await;
    chrome.errors_summarised("withdrawing a document").await;

    // The secretary prepares the public version, reviews it and publishes it; the register
    // finds it by a word of it; a court challenge is recorded through its form.
    chrome.goto(&format!("{base}/geschillen/{case}/publicatie")).await;
    chrome.accessible("publication, not yet prepared").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for("form[action$='/publicatie/besluit']").await;
    chrome.accessible("publication review").await;
    chrome
        .click("form[action$='/publicatie/besluit'] button[type=submit]")
        .await;
    chrome.wait_for("a[href^='/uitspraken/']").await;
    let number = get_case(&t, "demo-secretaris", &case).await["number"]
        .as_str()
        .unwrap()
        .to_owned();
    chrome
        .goto(&format!("{base}/uitspraken?zoek=kosten&kamer=Inkoop+Jeugdwet+en+Wmo"))
        .await;
    assert!(chrome.text().await.contains(&number), "the search finds it");
    chrome.accessible("register searched and filtered").await;
    chrome.goto(&format!("{base}/uitspraken?zoek=de")).await;
    chrome.accessible("register with a search error").await;
    chrome.goto(&format!("{base}/geschillen/{case}/vernietiging")).await;
    chrome.accessible("court challenge").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("court challenge with errors").await;
    chrome.errors_summarised("court challenge").await;
    // What the ruling orders: the form refuses an obligation without a last day, then records one.
    chrome
        .goto(&format!("{base}/geschillen/{case}/verplichtingen/nieuw"))
        .await;
    chrome.accessible("record an obligation").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("record an obligation with errors").await;
    chrome.errors_summarised("record an obligation").await;
    chrome.select("#who", "verweerder").await;
    chrome
        .fill("#description", "Betaalt aan Maastricht het achterstallige bedrag.")
        .await;
    chrome.fill("#within", "6 weken").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for("ol.obligations").await;
    chrome.accessible("the ruling's obligations").await;
    chrome.fits("the ruling's obligations", 320).await;
    chrome.goto(&format!("{base}/uitspraken/{number}")).await;
    chrome.accessible("a published ruling").await;
    chrome.fits("a published ruling", 320).await;

    // The chair corrects the ruling through its form, which opens with the ruling as it stands.
    chrome.sign_in(&base, CHAIR, DEMO_PASSWORD).await;
    chrome
        .goto(&format!("{base}/geschillen/{case}/handeling/uitspraak-verbeteren"))
        .await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("ruling correction with an error").await;
    chrome.errors_summarised("ruling correction").await;
    chrome.close().await;
}
