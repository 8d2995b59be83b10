//! The chair drafts the ruling before adopting it: saved from the adopting form, read by the
//! commission and the secretary, never by the parties; the API answers the same.

use reqwest::{Method, header};
use serde_json::json;

use crate::{
    case_support::*,
    on_both_databases,
    web::{Browser, html},
};

on_both_databases! {
    async fn the_chair_drafts_the_ruling_and_the_commission_reads_it(t: TestApp) {
        let id = case_before_commission(&t).await;
        step_ok(&t, "demo-gemeente-2", &id, "submit-defence", json!({"statement": "Verweer."})).await;
        let mut chair = Browser::new(&t);
        chair.sign_in(CHAIR).await;
        let form = html(chair.get(&format!("/geschillen/{id}/stap/adopt-ruling")).await, 200).await;
        assert!(form.contains("Er is nog geen concept opgeslagen.") && form.contains("Concept opslaan"), "{form}");
        let token = Browser::token_in(&form);
        let draft_at = format!("/geschillen/{id}/concept-uitspraak");

        // An unknown outcome is refused next to its field; what was written stays.
        let res = chair.post(&draft_at, &[("csrf", &token), ("outcome", "half"), ("dictum", "Heerlen draagt bij.")], None).await;
        let page = html(res, 400).await;
        assert!(page.contains("href=\"#outcome\"") && page.contains("Heerlen draagt bij."), "{page}");

        // Saved half-written; the form opens with it.
        let res = chair.post(&draft_at, &[("csrf", &token), ("outcome", "deels_gegrond"), ("dictum", "Heerlen draagt bij."), ("reasoning", "")], None).await;
        assert_eq!(res.status(), 303);
        let page = html(chair.get(res.headers()[header::LOCATION].to_str().unwrap()).await, 200).await;
        assert!(page.contains("Het concept is opgeslagen.") && page.contains("Heerlen draagt bij."), "{page}");
        assert!(page.contains("<option value=\"deels_gegrond\" selected>"));

        // The member and the secretary read it on the case page; the parties never.
        for (user, sees) in [(MEMBER, true), ("demo-secretaris", true), ("demo-gemeente", false), ("demo-gemeente-2", false)] {
            let mut b = Browser::new(&t);
            b.sign_in(user).await;
            let page = html(b.get(&format!("/geschillen/{id}")).await, 200).await;
            assert_eq!(page.contains("Concept-uitspraak"), sees, "{user}");
            // Everyone in the case sees who sits on the commission (a party needs it to raise
            // a conflict of interest).
            assert!(page.contains("<dt>Leden van de commissie</dt>"), "{user}");
            assert_eq!(page.contains("Heerlen draagt bij."), sees, "{user}");
            let token = t.token(user).await;
            let api = t.get(&format!("/api/v1/cases/{id}/ruling-draft"), Some(&token)).await;
            assert_eq!(api.status(), if sees { 200 } else { 403 }, "{user}");
        }
        // Only the chair saves a draft.
        let token = t.token(MEMBER).await;
        let res = t.send_json(Method::PUT, &format!("/api/v1/cases/{id}/ruling-draft"), Some(&token), &json!({"dictum": "Anders."})).await;
        assert_eq!(res.status(), 403);
        let token = t.token(CHAIR).await;
        let res = t.send_json(Method::PUT, &format!("/api/v1/cases/{id}/ruling-draft"), Some(&token), &json!({"dictum": "Heerlen draagt 40% bij."})).await;
        assert_eq!(res.status(), 200);
        let draft: serde_json::Value = res.json().await.unwrap();
        assert_eq!(draft["dictum"], "Heerlen draagt 40% bij.");
        assert!(draft["outcome"].is_null(), "a save replaces the whole draft");
    }
}
