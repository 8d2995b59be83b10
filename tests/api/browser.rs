//! In a real browser (headless Chromium): the pages of a case's life checked with axe-core
//! against WCAG 2.1 A and AA, and signing in with the keyboard alone.

use fantoccini::{Locator, key::Key};

use crate::{case_support::*, chrome::Chrome, document_support::*, harness::*};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_pass_axe_and_sign_in_works_by_keyboard() {
    let t = TestApp::start(Db::Sqlite).await;
    let case = case_in_mediation(&t).await;
    upload_ok(&t, "demo-gemeente", &case, BEWIJS, ("tarieven.pdf", pdf("tarieven"))).await;
    let chrome = Chrome::start().await;
    let base = t.url("");

    for (path, what) in [
        ("/", "start page"),
        ("/uitspraken", "register"),
        ("/toegankelijkheid", "accessibility statement"),
        (
            "/termijnberekening?start=2026-04-02&termijn=P1D",
            "calculator with a result",
        ),
        ("/termijnberekening?start=nooit&termijn=P1D", "calculator with an error"),
        ("/bestaat-niet", "page not found"),
        ("/inloggen", "sign-in form"),
    ] {
        chrome.goto(&format!("{base}{path}")).await;
        chrome.accessible(what).await;
    }

    // Keyboard only: from the top of the sign-in page, Tab reaches the fields in order.
    chrome.goto(&format!("{base}/inloggen?terug=/geschillen")).await;
    let body = chrome.client.find(Locator::Css("body")).await.unwrap();
    let mut seen = Vec::new();
    for _ in 0..12 {
        body.send_keys(&Key::Tab.to_string()).await.unwrap();
        let f = chrome.focused().await;
        if f == "gebruikersnaam" {
            break;
        }
        seen.push(f);
    }
    assert_eq!(
        chrome.focused().await,
        "gebruikersnaam",
        "Tab reaches the username after {seen:?}"
    );
    assert_eq!(
        seen.first().map(String::as_str),
        Some("Naar de inhoud"),
        "the skip link comes first"
    );
    let field = chrome.client.active_element().await.unwrap();
    field.send_keys("demo-gemeente").await.unwrap();
    field.send_keys(&Key::Tab.to_string()).await.unwrap();
    assert_eq!(chrome.focused().await, "wachtwoord");
    let field = chrome.client.active_element().await.unwrap();
    field.send_keys(DEMO_PASSWORD).await.unwrap();
    field.send_keys(&Key::Enter.to_string()).await.unwrap();
    chrome.wait_for_path("/geschillen").await;
    chrome.accessible("overview").await;

    // Filing through the forms: the concept, a document, then submitting it.
    chrome.goto(&format!("{base}/geschillen/nieuw")).await;
    chrome.accessible("new dispute form").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("new dispute form with errors").await;
    let heerlen = t.org_id(&t.token("demo-gemeente").await, "Heerlen").await;
    chrome.click("#kind-binnen_regio").await;
    chrome.click("#domain-jeugd").await;
    chrome
        .client
        .find(Locator::Css("#respondent_1"))
        .await
        .unwrap()
        .select_by_value(&heerlen)
        .await
        .unwrap();
    chrome.fill("#title", "Tarieven ambulante jeugdhulp 2027").await;
    chrome.fill("#summary", "Heerlen wil de tarieven niet indexeren.").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for(".tag").await;
    let concept = chrome.client.current_url().await.unwrap().path().to_owned();
    assert!(chrome.text().await.contains("Tarieven ambulante jeugdhulp 2027"));
    chrome.accessible("concept page").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verzoekschrift.pdf");
    std::fs::write(&file, pdf("verzoek")).unwrap();
    chrome.fill("#stuk-title", "Verzoekschrift").await;
    chrome
        .client
        .find(Locator::Css("#stuk-file"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    chrome.click("form[action$='/stukken'] button").await;
    chrome.wait_for("a[href*='/stukken/']").await;
    assert!(chrome.text().await.contains("verzoekschrift.pdf"));
    chrome.goto(&format!("{base}{concept}/stap/submit")).await;
    chrome.accessible("submit form").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for("[role=status]").await;
    assert!(chrome.text().await.contains("Gelukt: het geschil indienen"));

    chrome.goto(&format!("{base}/geschillen/{case}")).await;
    assert!(chrome.text().await.contains("Verdeling van de kosten"));
    chrome.accessible("case page").await;
    // A message left empty: the error is shown, and the page stays accessible.
    chrome.click("form[action$='/berichten'] button").await;
    chrome.wait_for("#bericht-fout").await;
    chrome.accessible("case page with an error").await;

    chrome.goto(&format!("{base}/geschillen/{case}/stap/withdraw")).await;
    chrome.accessible("step form").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("step form with an error").await;

    // The secretary's work queue.
    chrome.client.delete_all_cookies().await.unwrap();
    chrome.goto(&format!("{base}/inloggen?terug=/geschillen")).await;
    chrome.fill("#gebruikersnaam", "demo-secretaris").await;
    chrome.fill("#wachtwoord", DEMO_PASSWORD).await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for_path("/geschillen").await;
    assert!(chrome.text().await.contains("Werkvoorraad"));
    chrome.accessible("work queue").await;
    chrome.close().await;
}
