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
        ("/uitspraken/controle", "authenticity check"),
        ("/uitspraken/controle?sha256=abc", "authenticity check with an error"),
        (
            "/uitspraken/controle?sha256=0000000000000000000000000000000000000000000000000000000000000000",
            "authenticity check: not issued here",
        ),
        ("/bestaat-niet", "page not found"),
        ("/inloggen", "sign-in form"),
    ] {
        chrome.goto(&format!("{base}{path}")).await;
        chrome.accessible(what).await;
        chrome.fits(what, 320).await;
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
    chrome
        .goto(&format!("{base}/geschillen?fase=bemiddeling&soort=binnen_regio"))
        .await;
    chrome.accessible("overview with filters").await;
    chrome.fits("overview with filters", 320).await;
    chrome.goto(&format!("{base}/geschillen?aan-zet=ja&verlopen=ja")).await;
    chrome
        .accessible("overview narrowed to what waits and has passed")
        .await;
    chrome.goto(&format!("{base}/meldingen")).await;
    chrome.accessible("inbox").await;
    chrome.fits("inbox", 320).await;
    chrome.goto(&format!("{base}/geschillen/nieuw")).await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("new dispute form with errors").await;
    chrome.errors_summarised("new dispute form").await;
    // Filing, from the new dispute form to the ruling: `browser_journey`.

    chrome.goto(&format!("{base}/geschillen/{case}")).await;
    assert!(chrome.text().await.contains("Verdeling van de kosten"));
    chrome.accessible("case page").await;
    chrome.fits("case page", 320).await;
    // A message left empty: the error is shown, and the page stays accessible.
    chrome.click("form[action$='/berichten'] button").await;
    chrome.wait_for("#bericht-fout").await;
    chrome.accessible("case page with an error").await;

    chrome.goto(&format!("{base}/geschillen/{case}/stap/withdraw")).await;
    chrome.accessible("step form").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("step form with an error").await;
    chrome.errors_summarised("step form").await;

    // The secretary's work queue.
    chrome.sign_in(&base, "demo-secretaris", DEMO_PASSWORD).await;
    assert!(chrome.text().await.contains("Werkvoorraad"));
    chrome.accessible("work queue").await;

    // A case action that is not a step, with its errors.
    chrome
        .goto(&format!("{base}/geschillen/{case}/handeling/opschorten"))
        .await;
    chrome.accessible("suspension form").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("suspension form with errors").await;
    chrome.errors_summarised("suspension form").await;
    chrome.goto(&format!("{base}/geschillen")).await;

    // Before the session ends, a warning (our own script); staying signed in happens in the
    // background, so what was typed stays.
    chrome.fill("#zoek", "half getypt").await;
    chrome
        .client
        .execute(
            "document.querySelector('[data-session-ends]').setAttribute('data-session-ends', new Date(Date.now() + 150000).toISOString());",
            vec![],
        )
        .await
        .unwrap();
    chrome.wait_for(".session-note__alert:not([hidden])").await;
    assert!(
        chrome
            .client
            .source()
            .await
            .unwrap()
            .contains("uw sessie verloopt over 3 minuten")
    );
    chrome.accessible("session warning").await;
    chrome.click(".session-note button").await;
    chrome.wait_for(".session-note__alert[hidden]").await;
    let kept = chrome
        .client
        .find(Locator::Css("#zoek"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("half getypt"));

    // The administrator's pages, a refused form among them.
    chrome.sign_in(&base, "demo-beheerder", DEMO_PASSWORD).await;
    chrome.wait_for("a[href='/beheer/gebruikers/nieuw']").await;
    chrome.accessible("users").await;
    chrome.click("a[href='/beheer/gebruikers/nieuw']").await;
    chrome.wait_for("#username").await;
    chrome.accessible("new user form").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("new user form with errors").await;
    chrome.errors_summarised("new user form").await;
    chrome.goto(&format!("{base}/beheer/organisaties?naam=heer")).await;
    chrome.accessible("organisations").await;
    // An organisation with its memberships, and the form that adds one, with its errors.
    chrome.click("table a").await;
    chrome.wait_for("#regios").await;
    chrome.accessible("an organisation's links").await;
    chrome.click("a[href$='/lidmaatschap']").await;
    chrome.wait_for("#region").await;
    chrome.click("form.form button[type=submit]").await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("membership form with errors").await;
    chrome.errors_summarised("membership form").await;
    chrome.goto(&format!("{base}/mijn-account")).await;
    chrome.accessible("own account").await;
    chrome.click("form[action='/mijn-account/agenda'] button").await;
    chrome.wait_for("#agenda-adres").await;
    chrome.accessible("own account with a calendar link").await;
    // The second factor: what it is, then the QR code and the form for the code (left
    // unconfirmed, so the journey signs in as before).
    chrome.goto(&format!("{base}/mijn-account/tweede-factor")).await;
    chrome.accessible("second factor").await;
    chrome.click("form[action='/mijn-account/tweede-factor'] button").await;
    chrome.wait_for("figure.qr svg").await;
    chrome.accessible("second factor: scan and confirm").await;
    chrome.fits("second factor: scan and confirm", 320).await;
    chrome
        .click("form[action='/mijn-account/tweede-factor/bevestigen'] button")
        .await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("second factor with an error").await;
    chrome.errors_summarised("second factor").await;
    // A mediator's account page holds the affiliations and their form.
    chrome.sign_in(&base, "demo-bemiddelaar", DEMO_PASSWORD).await;
    chrome.goto(&format!("{base}/mijn-account")).await;
    chrome.click("form[action='/mijn-account/nevenfuncties'] button").await;
    chrome.wait_for(".error-summary").await;
    chrome.accessible("affiliation form with errors").await;
    chrome.errors_summarised("affiliation form").await;
    chrome.close().await;
}
