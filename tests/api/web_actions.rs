//! The case actions that are not steps, through their forms: the secretary suspends, resumes
//! and extends a term; the mediator records a session; each party releases the mediation
//! notes. Bad input is named next to its field and changes nothing; others are refused.

use reqwest::{Method, header};
use serde_json::json;

use crate::{
    case_support::*,
    on_both_databases,
    web::{Browser, html},
};

async fn done(b: &mut Browser<'_>, res: reqwest::Response) -> String {
    assert_eq!(res.status(), 303);
    let at = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    html(b.get(&at).await, 200).await
}

on_both_databases! {
    async fn suspending_extending_and_mediation_sessions_through_forms(t: TestApp) {
        let id = case_in_mediation(&t).await;
        let base = format!("/geschillen/{id}/handeling");
        let mut sec = Browser::new(&t);
        sec.sign_in("demo-secretaris").await;
        let page = html(sec.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(page.contains(&format!("{base}/opschorten")) && page.contains(&format!("{base}/termijn-verlengen")), "{page}");
        assert!(!page.contains(&format!("{base}/bemiddelingsgesprek")), "only the mediator records sessions");
        let token = Browser::token_in(&page);

        // Suspending without a reason: named, nothing changed.
        let res = sec.post(&format!("{base}/opschorten"), &[("csrf", &token), ("legal_basis", "Artikel 12")], None).await;
        let page = html(res, 400).await;
        assert!(page.contains("href=\"#reason\"") && page.contains("value=\"Artikel 12\""), "{page}");
        assert_eq!(get_case(&t, "demo-secretaris", &id).await["suspended"], false);
        let res = sec
            .post(&format!("{base}/opschorten"), &[("csrf", &token), ("reason", "Partijen praten op verzoek verder."), ("legal_basis", "Artikel 12")], None)
            .await;
        let page = done(&mut sec, res).await;
        assert!(page.contains("Gelukt</h2><p>De behandeling is opgeschort") && page.contains("Opgeschort"), "{page}");
        assert!(page.contains(&format!("{base}/hervatten")));
        assert_eq!(get_case(&t, "demo-secretaris", &id).await["suspended"], true);
        let res = sec.post(&format!("{base}/hervatten"), &[("csrf", &token)], None).await;
        let page = done(&mut sec, res).await;
        assert!(page.contains("Gelukt</h2><p>De behandeling is hervat"));

        // Extending: the term must be chosen; then the last day moves.
        let before = get_case(&t, "demo-secretaris", &id).await;
        let term = before["terms"].as_array().unwrap().iter().find(|t| t["status"] == "running").unwrap().clone();
        let res = sec.post(&format!("{base}/termijn-verlengen"), &[("csrf", &token), ("reason", "Meer tijd nodig.")], None).await;
        assert!(html(res, 400).await.contains("Kies de termijn die u wilt verlengen."));
        let key = term["key"].as_str().unwrap();
        let res = sec
            .post(&format!("{base}/termijn-verlengen"), &[("csrf", &token), ("termijn", key), ("reason", "Meer tijd nodig."), ("parties_consent", "true")], None)
            .await;
        let page = done(&mut sec, res).await;
        assert!(page.contains("Gelukt</h2><p>De termijn is verlengd"), "{page}");
        let after = get_case(&t, "demo-secretaris", &id).await;
        let moved = after["terms"].as_array().unwrap().iter().find(|t| t["key"] == term["key"]).unwrap();
        assert!(moved["due_on"].as_str() > term["due_on"].as_str(), "{moved} after {term}");

        // The mediator records a session; a date in the future is refused next to its field.
        let mut mediator = Browser::new(&t);
        mediator.sign_in(MEDIATOR).await;
        let page = html(mediator.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(page.contains(&format!("{base}/bemiddelingsgesprek")));
        let token = Browser::token_in(&page);
        let res = mediator
            .post(&format!("{base}/bemiddelingsgesprek"), &[("csrf", &token), ("held_on", "1-1-2999"), ("attendees", "A. de Vries\nB. Jansen"), ("notes", "Verkennend gesprek.")], None)
            .await;
        let page = html(res, 400).await;
        assert!(page.contains("href=\"#held_on\"") && page.contains("Verkennend gesprek."), "{page}");
        let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).format("%-d-%-m-%Y").to_string();
        let res = mediator
            .post(&format!("{base}/bemiddelingsgesprek"), &[("csrf", &token), ("held_on", &today), ("attendees", "A. de Vries\n\nB. Jansen"), ("notes", "Verkennend gesprek.")], None)
            .await;
        let page = done(&mut mediator, res).await;
        assert!(page.contains("Gelukt</h2><p>Het bemiddelingsgesprek is vastgelegd") && page.contains("A. de Vries, B. Jansen"), "{page}");

        // Each party releases the notes; a party may not suspend.
        for party in ["demo-gemeente", "demo-gemeente-2"] {
            let mut b = Browser::new(&t);
            b.sign_in(party).await;
            let page = html(b.get(&format!("/geschillen/{id}")).await, 200).await;
            assert!(page.contains("Verkennend gesprek."), "the parties read the notes");
            assert!(!page.contains(&format!("{base}/opschorten")));
            let token = Browser::token_in(&page);
            let res = b.post(&format!("{base}/opschorten"), &[("csrf", &token), ("reason", "x"), ("legal_basis", "y")], None).await;
            assert_eq!(res.status(), 403, "{party}");
            let res = b.post(&format!("{base}/verslagen-vrijgeven"), &[("csrf", &token)], None).await;
            let page = done(&mut b, res).await;
            assert!(page.contains("Gelukt</h2><p>U hebt de aantekeningen"), "{page}");
            assert!(!page.contains(&format!("{base}/verslagen-vrijgeven")), "released once");
        }
        assert_eq!(get_case(&t, "demo-secretaris", &id).await["mediation"]["notes_released"], true);
        assert_eq!(sec.get(&format!("{base}/bestaat-niet")).await.status(), 404);
    }
}

on_both_databases! {
    async fn the_assigning_form_explains_who_may_not_act_and_why(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap().to_owned();
        step_ok(&t, "demo-gemeente", &id, "submit", json!({})).await;
        step_ok(&t, "demo-secretaris", &id, "admit", json!({"path": "bemiddeling"})).await;
        // The mediator declares a side job at Heerlen, the respondent.
        let token = t.token(MEDIATOR).await;
        let heerlen = t.org_id(&token, "Heerlen").await;
        let res = t
            .send_json(Method::POST, "/api/v1/me/affiliations", Some(&token), &json!({"organisation": heerlen, "description": "Lid van de adviesraad"}))
            .await;
        assert_eq!(res.status(), 201);
        let mut sec = Browser::new(&t);
        sec.sign_in("demo-secretaris").await;
        let form = html(sec.get(&format!("/geschillen/{id}/stap/assign-mediator")).await, 200).await;
        assert!(form.contains("Niemand treedt op in een geschil"), "the check is explained: {form}");
        assert!(form.contains("Demo Bemiddelaar heeft een belangenconflict: Heerlen is partij"), "{form}");
        assert!(form.contains("(niet toe te wijzen)</option>"));
        // Chosen anyway: refused with the reason, nothing assigned.
        let token = Browser::token_in(&form);
        let version = get_case(&t, "demo-secretaris", &id).await["version"].as_i64().unwrap().to_string();
        let mediator = user_id(&t, MEDIATOR).await;
        let res = sec.post(&format!("/geschillen/{id}/stap/assign-mediator"), &[("csrf", &token), ("version", &version), ("mediator", &mediator)], None).await;
        let page = html(res, 400).await;
        assert!(page.contains("href=\"#mediator\"") && page.contains("Heerlen"), "{page}");
        assert!(get_case(&t, "demo-secretaris", &id).await["mediator"].is_null());
    }
}

on_both_databases! {
    async fn withdrawing_a_document_and_correcting_a_ruling_through_forms(t: TestApp) {
        let id = case_before_commission(&t).await;
        // A document, withdrawn by the secretary from its own row; a party is not offered it.
        let doc = crate::document_support::upload_ok(&t, "demo-gemeente", &id, crate::document_support::BEWIJS,
            ("tarieven.pdf", crate::document_support::pdf("tarieven"))).await;
        let doc = doc["id"].as_str().unwrap().to_owned();
        let withdraw = format!("/geschillen/{id}/handeling/stuk-intrekken?stuk={doc}");
        let mut party = Browser::new(&t);
        party.sign_in("demo-gemeente").await;
        let page = html(party.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(!page.contains("stuk-intrekken"), "{page}");
        let mut sec = Browser::new(&t);
        sec.sign_in("demo-secretaris").await;
        let page = html(sec.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(page.contains(&format!("href=\"{withdraw}\"")), "{page}");
        let token = Browser::token_in(&page);
        let form = html(sec.get(&withdraw).await, 200).await;
        assert!(form.contains(&format!("value=\"{doc}\" selected")), "the document chosen: {form}");
        let path = format!("/geschillen/{id}/handeling/stuk-intrekken");
        let res = sec.post(&path, &[("csrf", &token), ("stuk", &doc), ("reason", " ")], None).await;
        assert!(html(res, 400).await.contains("href=\"#reason\""));
        let res = sec.post(&path, &[("csrf", &token), ("stuk", &doc), ("reason", "Bevat persoonsgegevens van een jeugdige.")], None).await;
        let page = done(&mut sec, res).await;
        assert!(page.contains("Gelukt</h2><p>Het stuk is ingetrokken") && page.contains("Bevat persoonsgegevens van een jeugdige."), "{page}");
        assert!(!page.contains(&format!("href=\"{withdraw}\"")), "withdrawn once");
        let listed: serde_json::Value = t.get(&format!("/api/v1/cases/{id}/documents"), Some(&t.token("demo-secretaris").await)).await.json().await.unwrap();
        assert!(listed.to_string().contains("Bevat persoonsgegevens van een jeugdige."), "{listed}");

        // A ruling, corrected by the chair: the form opens with the ruling as it stands.
        step_ok(&t, "demo-gemeente-2", &id, "submit-defence", json!({"statement": "Verweer."})).await;
        step_ok(&t, "demo-gemeente", &id, "waive-reply", json!({})).await;
        step_ok(&t, "demo-secretaris", &id, "schedule-hearing", json!({"at": in_a_week(), "location": "Utrecht"})).await;
        hearing_has_taken_place(&t, &id).await;
        step_ok(&t, CHAIR, &id, "record-hearing", json!({"summary": "Gehoord."})).await;
        step_ok(&t, CHAIR, &id, "adopt-ruling", json!({"outcome": "gegrond", "nature": "advies",
            "dictum": "Heerlen betaalt 1.000 euro.", "reasoning": "Zie overwegingen."})).await;
        let correct = format!("/geschillen/{id}/handeling/uitspraak-verbeteren");
        assert!(!html(sec.get(&format!("/geschillen/{id}")).await, 200).await.contains(&correct), "only the chair corrects");
        let mut chair = Browser::new(&t);
        chair.sign_in(CHAIR).await;
        let page = html(chair.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(page.contains(&format!("href=\"{correct}\"")), "{page}");
        let token = Browser::token_in(&page);
        let form = html(chair.get(&correct).await, 200).await;
        assert!(form.contains("Heerlen betaalt 1.000 euro.") && form.contains("value=\"gegrond\" selected"), "{form}");
        let fields = [("outcome", "gegrond"), ("nature", "advies"), ("dictum", "Heerlen betaalt 10.000 euro."), ("reasoning", "Zie overwegingen.")];
        let mut empty = vec![("csrf", token.as_str()), ("reason", "")];
        empty.extend(fields);
        let res = chair.post(&correct, &empty, None).await;
        let page = html(res, 400).await;
        assert!(page.contains("href=\"#reason\"") && page.contains("Heerlen betaalt 10.000 euro."), "typed text kept: {page}");
        assert_eq!(get_case(&t, CHAIR, &id).await["rulings"].as_array().unwrap().len(), 1);
        let mut full = vec![("csrf", token.as_str()), ("reason", "Kennelijke verschrijving in het bedrag.")];
        full.extend(fields);
        let res = chair.post(&correct, &full, None).await;
        let page = done(&mut chair, res).await;
        assert!(page.contains("Gelukt</h2><p>De uitspraak is verbeterd"), "{page}");
        let rulings = get_case(&t, CHAIR, &id).await["rulings"].clone();
        assert_eq!(rulings.as_array().unwrap().len(), 2);
        assert_eq!(rulings[1]["dictum"], "Heerlen betaalt 10.000 euro.");
        assert_eq!(rulings[1]["correction_reason"], "Kennelijke verschrijving in het bedrag.");
    }
}

on_both_databases! {
    async fn people_with_the_same_name_are_told_apart_in_the_assigning_form(t: TestApp) {
        use sea_orm::ConnectionTrait;
        let id = case_after_failed_mediation(&t).await;
        step_ok(&t, "demo-gemeente", &id, "escalate", json!({"reason": "Bemiddeling is mislukt."})).await;
        t.app.db.execute_unprepared(&format!(
            "UPDATE users SET display_name = 'Jan de Vries' WHERE username IN ('{CHAIR}', '{MEMBER}')")).await.unwrap();
        t.app.db.execute_unprepared(&format!("UPDATE users SET email = 'j.devries@commissie.example.nl' WHERE username = '{CHAIR}'")).await.unwrap();
        let mut sec = Browser::new(&t);
        sec.sign_in("demo-secretaris").await;
        let form = html(sec.get(&format!("/geschillen/{id}/stap/assign-commission")).await, 200).await;
        assert!(form.contains("Jan de Vries (j.devries@commissie.example.nl)</option>"), "the e-mail address tells them apart: {form}");
        assert!(form.contains(&format!("Jan de Vries ({MEMBER})</label>")), "or the username: {form}");
        assert!(!form.contains("Jan de Vries</option>") && !form.contains("Jan de Vries</label>"), "{form}");
    }
}

on_both_databases! {
    async fn a_mediator_declares_an_affiliation_on_the_account_page(t: TestApp) {
        let mut party = Browser::new(&t);
        party.sign_in("demo-gemeente").await;
        assert!(!html(party.get("/mijn-account").await, 200).await.contains("Nevenfuncties"), "not for a party");
        let mut mediator = Browser::new(&t);
        mediator.sign_in(MEDIATOR).await;
        let page = html(mediator.get("/mijn-account").await, 200).await;
        assert!(page.contains("id=\"nevenfuncties\"") && page.contains("U hebt nog geen nevenfuncties opgegeven."), "{page}");
        let token = Browser::token_in(&page);
        let heerlen = t.org_id(&t.token(MEDIATOR).await, "Heerlen").await;
        // Nothing chosen or said: both named, nothing declared.
        let res = mediator.post("/mijn-account/nevenfuncties", &[("csrf", &token), ("organisation", ""), ("description", " ")], None).await;
        let page = html(res, 400).await;
        assert!(page.contains("href=\"#organisation\"") && page.contains("href=\"#description\""), "{page}");
        let res = mediator
            .post("/mijn-account/nevenfuncties", &[("csrf", &token), ("organisation", &heerlen), ("description", "Lid van de adviesraad sociaal domein")], None)
            .await;
        assert_eq!(res.status(), 303);
        let page = html(mediator.get("/mijn-account?nevenfunctie").await, 200).await;
        assert!(page.contains("Gelukt: uw nevenfunctie is opgegeven.") && page.contains("Lid van de adviesraad sociaal domein"), "{page}");
        let listed: serde_json::Value = t.get("/api/v1/me/affiliations", Some(&t.token(MEDIATOR).await)).await.json().await.unwrap();
        assert_eq!(listed[0]["organisation_name"], "Heerlen");
    }
}
