//! Filing a dispute from the browser, without a browser: the concept, the NvO facts with
//! their flags, the check page and submitting; bad input is named next to its field and
//! changes nothing.

use reqwest::header;

use crate::{
    case_support::*,
    on_both_databases,
    web::{Browser, html},
};

on_both_databases! {
    async fn filing_a_dispute_from_the_browser(t: TestApp) {
        let mut b = Browser::new(&t);
        b.sign_in("demo-gemeente").await;
        let overview = html(b.get("/geschillen").await, 200).await;
        assert!(overview.contains("href=\"/geschillen/nieuw\""));
        let page = html(b.get("/geschillen/nieuw").await, 200).await;
        assert!(page.contains("aria-current=\"step\""), "the filer sees where filing stands");
        // Respondents to choose from: only organisations a municipality can bring a dispute
        // against, grouped by kind — not the commission or the OZJ.
        assert!(page.contains("<optgroup label=\"Gemeente\">"), "{page}");
        assert!(!page.contains("<optgroup label=\"Commissie\">") && !page.contains("label=\"Ondersteuningsteam"), "{page}");
        let token = Browser::token_in(&page);
        // Nothing chosen: every missing field is named, what was typed stays.
        let res = b.post("/geschillen/nieuw", &[("csrf", &token), ("title", "Tarieven 2027")], None).await;
        let page = html(res, 400).await;
        // The summary names each field, in the order the form asks them.
        let summary = page.split("class=\"error-summary\"").nth(1).unwrap().split("</div>").next().unwrap();
        let at: Vec<usize> = [("#kind", "Soort geschil: "), ("#domain", "Domein: "), ("#respondent_1", "Verweerder: "), ("#summary", "Samenvatting van het geschil: ")]
            .iter()
            .map(|(anchor, label)| {
                summary.find(&format!("href=\"{anchor}\">{label}")).unwrap_or_else(|| panic!("{anchor}: {summary}"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "in form order: {summary}");
        assert!(page.contains("value=\"Tarieven 2027\""));
        let api = t.token("demo-gemeente").await;
        let heerlen = t.org_id(&api, "Heerlen").await;
        let res = b
            .post(
                "/geschillen/nieuw",
                &[("csrf", &token), ("kind", "binnen_regio"), ("domain", "jeugd"), ("respondent_1", &heerlen),
                  ("respondent_2", ""), ("title", "Tarieven 2027"), ("summary", "Heerlen indexeert niet.")],
                None,
            )
            .await;
        assert_eq!(res.status(), 303);
        // On to the NvO facts of this kind of dispute.
        let facts_at = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
        assert!(facts_at.ends_with("/feiten"), "{facts_at}");
        let id = facts_at.trim_start_matches("/geschillen/").trim_end_matches("/feiten").to_owned();
        let page = html(b.get(&facts_at).await, 200).await;
        assert!(page.contains("Feiten volgens de NvO") && page.contains("id=\"tender_published_on\""), "{page}");
        let version = get_case(&t, "demo-gemeente", &id).await["version"].as_i64().unwrap().to_string();

        // Facts the form cannot read: named next to their fields in the form's own notation,
        // what was typed kept, nothing stored.
        let res = b
            .post(&facts_at, &[("csrf", &token), ("version", &version), ("tender_published_on", "31-2-2025"),
                  ("tariff_offered_cents", "veel"), ("contract_duration_months", "24")], None)
            .await;
        let page = html(res, 400).await;
        assert!(page.contains("href=\"#tender_published_on\"") && page.contains("zoals 31-3-2026"), "{page}");
        assert!(page.contains("href=\"#tariff_offered_cents\"") && page.contains("zoals 85,50"));
        assert!(page.contains("value=\"veel\"") && page.contains("value=\"24\""));
        assert!(get_case(&t, "demo-gemeente", &id).await["facts"].is_null());

        // Facts that breach the NvO: stored, and the flags shown at once.
        let res = b
            .post(&facts_at, &[("csrf", &token), ("version", &version), ("tender_published_on", "15-5-2025"),
                  ("contract_signed_on", "1-6-2025"), ("contract_starts_on", "1-7-2025"), ("care_category", "jeugdhulp"),
                  ("contract_duration_months", "24"), ("tariff_offered_cents", "85,50"), ("continuity_agreed", "nee")], None)
            .await;
        let page = html(res, 200).await;
        assert!(page.contains("De feiten zijn opgeslagen"), "{page}");
        assert!(page.contains("wijken op 4 punten af van de NvO"), "{page}");
        assert!(page.contains("niet vóór 1 april") && page.contains("korter dan drie jaar"));
        assert!(page.contains("value=\"15-5-2025\"") && page.contains("value=\"85,50\""));
        let stored = get_case(&t, "demo-gemeente", &id).await;
        assert_eq!(stored["facts"]["tariff_offered_cents"], 8550);
        assert_eq!(stored["flags"].as_array().unwrap().len(), 4);

        // The same page posted twice, from before the first save: the second is stale.
        let res = b
            .post(&facts_at, &[("csrf", &token), ("version", &version), ("contract_duration_months", "48")], None)
            .await;
        let page = html(res, 409).await;
        assert!(page.contains("intussen gewijzigd") && page.contains("value=\"48\""), "{page}");
        assert_eq!(get_case(&t, "demo-gemeente", &id).await["facts"]["contract_duration_months"], 24);

        // Saving and going on leads to the documents; the case page shows facts and flags.
        let version = get_case(&t, "demo-gemeente", &id).await["version"].as_i64().unwrap().to_string();
        let res = b
            .post(&facts_at, &[("csrf", &token), ("version", &version), ("tender_published_on", "15-3-2025"),
                  ("contract_duration_months", "48"), ("continuity_agreed", "ja"), ("verder", "1")], None)
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()[header::LOCATION].to_str().unwrap(), format!("/geschillen/{id}#stukken"));
        let page = html(b.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(page.contains("15 maart 2025") && page.contains("48 maanden"), "{page}");
        assert!(!page.contains("Afwijkingen van de NvO"));
        assert!(page.contains("/stap/submit") && page.contains(&format!("/geschillen/{id}/feiten")));

        // The check page holds everything before submitting; submitting files the dispute.
        let page = html(b.get(&format!("/geschillen/{id}/stap/submit")).await, 200).await;
        assert!(page.contains("Controleren en indienen") && page.contains("Heerlen indexeert niet."), "{page}");
        assert!(page.contains("Heerlen") && page.contains("48 maanden") && page.contains("nog geen stukken"));
        let version = get_case(&t, "demo-gemeente", &id).await["version"].as_i64().unwrap().to_string();
        let res = b.post(&format!("/geschillen/{id}/stap/submit"), &[("csrf", &token), ("version", &version)], None).await;
        assert_eq!(res.status(), 303);
        assert_eq!(get_case(&t, "demo-gemeente", &id).await["phase"], "ingediend");
        // Once filed, the facts are fixed.
        let res = b.get(&facts_at).await;
        assert!(html(res, 409).await.contains("Alleen een concept kan worden gewijzigd"));

        // Secretaries and mediators do not file: they are not offered the form, and it refuses them.
        let mut sec = Browser::new(&t);
        sec.sign_in("demo-secretaris").await;
        assert!(!html(sec.get("/geschillen").await, 200).await.contains("/geschillen/nieuw"));
        let page = html(sec.get("/geschillen/nieuw").await, 200).await;
        let csrf = Browser::token_in(&page);
        let res = sec
            .post("/geschillen/nieuw", &[("csrf", &csrf), ("kind", "binnen_regio"), ("domain", "jeugd"), ("respondent_1", &heerlen),
                  ("title", "X"), ("summary", "Y")], None)
            .await;
        assert_eq!(res.status(), 403);
        // Nor may they enter another's facts.
        let res = sec.get(&facts_at).await;
        assert!(matches!(res.status().as_u16(), 403 | 409), "{}", res.status());
    }
}
