//! A dispute's whole way through the procedure, and its shorter ways, through real HTTP.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{case_support::*, harness::*, on_both_databases};

on_both_databases! {
    async fn from_filing_through_failed_mediation_to_a_ruling(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap().to_owned();
        assert_eq!(case["phase"], "concept");
        assert!(case["number"].as_str().unwrap().starts_with("GS-20"), "{}", case["number"]);
        assert_eq!(case["claimant"]["name"], "Maastricht");
        assert_eq!(case["respondents"][0]["name"], "Heerlen");
        assert_eq!(case["available_steps"], json!(["submit", "withdraw"]));
        assert!(case["agreements"].as_array().unwrap().iter().any(|a| a["number"] == 2));

        step_ok(&t, "demo-gemeente", &id, "submit", json!({})).await;
        // Without a path, admission takes the reglement's default: mediation first.
        let c = step_ok(&t, "demo-secretaris", &id, "admit", json!({})).await;
        assert_eq!(c["phase"], "bemiddeling");
        let mediator = user_id(&t, MEDIATOR).await;
        step_ok(&t, "demo-secretaris", &id, "assign-mediator", json!({"mediator": mediator})).await;
        let c = step_ok(&t, MEDIATOR, &id, "record-mediation-outcome",
            json!({"outcome": "mislukt", "summary": "Geen overeenstemming over de verdeelsleutel."})).await;
        assert_eq!(c["phase"], "bemiddeling_beeindigd");
        assert_eq!(c["mediation"]["outcome"], "mislukt");
        let c = step_ok(&t, "demo-gemeente-2", &id, "escalate", json!({})).await;
        assert_eq!((c["phase"].as_str(), c["stage"].as_str()), (Some("commissie"), Some("verweer")));
        let (chair, member) = (user_id(&t, CHAIR).await, user_id(&t, MEMBER).await);
        step_ok(&t, "demo-secretaris", &id, "assign-commission", json!({"chair": chair, "members": [member]})).await;
        let c = step_ok(&t, "demo-gemeente-2", &id, "submit-defence",
            json!({"statement": "Heerlen heeft altijd naar rato bijgedragen."})).await;
        assert_eq!(c["stage"], "repliek");
        assert_eq!(c["submissions"][0]["kind"], "verweer");
        // While the claimant's reply term runs, the written round waits for it.
        let p = assert_problem(step(&t, "demo-secretaris", &id, "schedule-hearing",
            json!({"at": in_a_week(), "location": "Stadhuis Utrecht, zaal 2"})).await, 409).await;
        assert!(p["detail_nl"].as_str().unwrap().contains("repliek"), "{p}");
        // Reply and rejoinder are optional: the claimant waives the reply, and the round is closed.
        let c = step_ok(&t, "demo-gemeente", &id, "waive-reply", json!({})).await;
        assert_eq!(c["stage"], "zitting_voorbereiding");
        let repliek = c["terms"].as_array().unwrap().iter().find(|t| t["key"] == "repliek").unwrap();
        assert_eq!(repliek["status"], "waived");
        let c = step_ok(&t, "demo-secretaris", &id, "schedule-hearing",
            json!({"at": in_a_week(), "location": "Stadhuis Utrecht, zaal 2"})).await;
        assert_eq!(c["stage"], "zitting");
        // Not before the hearing has taken place.
        let p = assert_problem(step(&t, "demo-secretaris", &id, "record-hearing", json!({"summary": "Te vroeg."})).await, 409).await;
        assert!(p["detail_nl"].as_str().unwrap().contains("nadat ze heeft plaatsgevonden"), "{p}");
        hearing_has_taken_place(&t, &id).await;
        let c = step_ok(&t, "demo-secretaris", &id, "record-hearing", json!({"summary": "Beide partijen gehoord."})).await;
        assert_eq!(c["stage"], "beraadslaging");
        // Only the chair adopts the ruling.
        let ruling = json!({"outcome": "deels_gegrond", "nature": "bindend_advies",
            "dictum": "Heerlen draagt 40% bij.", "reasoning": "De NvO vraagt solidariteit.", "cost_allocation": "Ieder draagt de eigen kosten."});
        assert_problem(step(&t, MEMBER, &id, "adopt-ruling", ruling.clone()).await, 403).await;
        let c = step_ok(&t, CHAIR, &id, "adopt-ruling", ruling).await;
        assert_eq!(c["phase"], "uitspraak");
        assert!(c["stage"].is_null());
        assert_eq!(c["rulings"][0]["outcome"], "deels_gegrond");
        assert!(c["closed_at"].is_string());
        assert_eq!(c["available_steps"], json!([]));

        // The audit trail holds every change, chained and intact.
        let token = t.token("demo-gemeente").await;
        let trail: Value = t.get(&format!("/api/v1/cases/{id}/audit"), Some(&token)).await.json().await.unwrap();
        assert_eq!(trail["intact"], true);
        let actions: Vec<&str> = trail["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["case.create", "step.submit", "step.admit", "step.assign-mediator",
            "step.record-mediation-outcome", "step.escalate", "step.assign-commission", "step.submit-defence",
            "step.waive-reply", "step.schedule-hearing", "step.record-hearing", "step.adopt-ruling", "ruling.issue"]);
        let last = trail["entries"].as_array().unwrap().iter().rev().nth(1).unwrap();
        assert_eq!(last["before"]["stage"], "beraadslaging");
        assert_eq!(last["after"]["phase"], "uitspraak");
        assert!(last["actor"].as_str().unwrap().starts_with(CHAIR));
        assert_eq!(c["version"], actions.len());
    }

    async fn an_adopted_ruling_is_never_changed_only_corrected_by_a_linked_record(t: TestApp) {
        let id = case_before_commission(&t).await;
        step_ok(&t, "demo-gemeente-2", &id, "submit-defence", json!({"statement": "Verweer."})).await;
        step_ok(&t, "demo-gemeente", &id, "submit-reply", json!({"statement": "Repliek."})).await;
        let c = step_ok(&t, "demo-gemeente-2", &id, "submit-rejoinder", json!({"statement": "Dupliek."})).await;
        assert_eq!(c["stage"], "zitting_voorbereiding");
        step_ok(&t, "demo-secretaris", &id, "schedule-hearing", json!({"at": in_a_week(), "location": "Utrecht"})).await;
        hearing_has_taken_place(&t, &id).await;
        step_ok(&t, CHAIR, &id, "record-hearing", json!({"summary": "Gehoord."})).await;
        let c = step_ok(&t, CHAIR, &id, "adopt-ruling", json!({"outcome": "gegrond", "nature": "advies",
            "dictum": "Heerlen betaalt 1.000 euro.", "reasoning": "Zie overwegingen."})).await;
        let original = c["rulings"][0]["id"].as_str().unwrap().to_owned();
        // A second ruling is not a step the procedure has.
        assert_problem(step(&t, CHAIR, &id, "adopt-ruling", json!({"outcome": "ongegrond", "nature": "advies",
            "dictum": "x", "reasoning": "y"})).await, 409).await;
        let correction = json!({"reason": "Kennelijke verschrijving in het bedrag.", "outcome": "gegrond",
            "nature": "advies", "dictum": "Heerlen betaalt 10.000 euro.", "reasoning": "Zie overwegingen."});
        let path = format!("/api/v1/cases/{id}/rulings/{original}/corrections");
        let token = t.token(MEMBER).await;
        assert_problem(t.send_json(Method::POST, &path, Some(&token), &correction).await, 403).await;
        let token = t.token(CHAIR).await;
        let res = t.send_json(Method::POST, &path, Some(&token), &correction).await;
        assert_eq!(res.status(), 201);
        let c: Value = res.json().await.unwrap();
        let rulings = c["rulings"].as_array().unwrap();
        assert_eq!(rulings.len(), 2);
        assert_eq!(rulings[0]["dictum"], "Heerlen betaalt 1.000 euro.", "the original stands");
        assert_eq!(rulings[1]["corrects"], original);
        assert_eq!(rulings[1]["correction_reason"], "Kennelijke verschrijving in het bedrag.");
    }

    async fn full_agreement_in_mediation_settles_the_case(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap();
        step_ok(&t, "demo-gemeente", id, "submit", json!({})).await;
        step_ok(&t, "demo-secretaris", id, "admit", json!({"path": "bemiddeling"})).await;
        // The outcome needs a mediator first.
        let res = step(&t, "demo-secretaris", id, "record-mediation-outcome", json!({"outcome": "deels", "summary": "x"})).await;
        assert_problem(res, 403).await;
        let mediator = user_id(&t, MEDIATOR).await;
        step_ok(&t, "demo-secretaris", id, "assign-mediator", json!({"mediator": mediator})).await;
        let c = step_ok(&t, MEDIATOR, id, "record-mediation-outcome",
            json!({"outcome": "overeenstemming", "summary": "Heerlen draagt vanaf 2027 naar rato bij."})).await;
        assert_eq!(c["phase"], "geschikt");
        assert_eq!(c["mediation"]["summary"], "Heerlen draagt vanaf 2027 naar rato bij.");
        assert_problem(step(&t, "demo-gemeente", id, "withdraw", json!({"reason": "te laat"})).await, 409).await;
    }

    async fn the_claimant_withdraws_and_the_secretary_settles(t: TestApp) {
        let a = file_binnen_regio(&t).await;
        let a = a["id"].as_str().unwrap();
        step_ok(&t, "demo-gemeente", a, "submit", json!({})).await;
        // The respondent may not withdraw the claimant's filing.
        let p = assert_problem(step(&t, "demo-gemeente-2", a, "withdraw", json!({"reason": "x"})).await, 403).await;
        assert!(p["detail_nl"].as_str().unwrap().contains("verzoekende partij"), "{p}");
        let c = step_ok(&t, "demo-gemeente", a, "withdraw", json!({"reason": "Partijen zijn er samen uitgekomen."})).await;
        assert_eq!(c["phase"], "ingetrokken");
        assert_eq!(c["closing_reason"], "Partijen zijn er samen uitgekomen.");

        let id = case_before_commission(&t).await;
        let c = step_ok(&t, "demo-secretaris", &id, "settle", json!({"summary": "Schikking ter zitting."})).await;
        assert_eq!(c["phase"], "geschikt");
        assert_problem(step(&t, "demo-gemeente-2", &id, "submit-defence", json!({"statement": "x"})).await, 409).await;
    }

    async fn intake_can_ask_for_completion_or_declare_inadmissible(t: TestApp) {
        let a = file_binnen_regio(&t).await;
        let a = a["id"].as_str().unwrap();
        step_ok(&t, "demo-gemeente", a, "submit", json!({})).await;
        let c = step_ok(&t, "demo-secretaris", a, "request-completion", json!({"reason": "Het besluit van de raad ontbreekt."})).await;
        assert_eq!(c["phase"], "herstel_verzuim");
        let c = step_ok(&t, "demo-gemeente", a, "complete", json!({"statement": "Raadsbesluit bijgevoegd."})).await;
        assert_eq!(c["phase"], "ingediend");
        let c = step_ok(&t, "demo-secretaris", a, "declare-inadmissible", json!({"reason": "Buiten de termijn ingediend."})).await;
        assert_eq!(c["phase"], "niet_ontvankelijk");
        assert_problem(step(&t, "demo-secretaris", a, "admit", json!({})).await, 409).await;
    }

    async fn bwmo_and_woonplaatsbeginsel_go_straight_to_the_commission(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        let heerlen = t.org_id(&token, "Heerlen").await;
        let case = file(&t, "demo-gemeente", json!({"kind": "woonplaatsbeginsel", "domain": "jeugd",
            "title": "Woonplaats van een jeugdige", "summary": "Welke gemeente betaalt?", "respondents": [heerlen]})).await;
        let id = case["id"].as_str().unwrap();
        step_ok(&t, "demo-gemeente", id, "submit", json!({})).await;
        let p = assert_problem(step(&t, "demo-secretaris", id, "admit", json!({"path": "bemiddeling"})).await, 409).await;
        assert!(p["detail"].as_str().unwrap().contains("mediation"), "{p}");
        let c = step_ok(&t, "demo-secretaris", id, "admit", json!({})).await;
        assert_eq!((c["phase"].as_str(), c["stage"].as_str()), (Some("commissie"), Some("verweer")));
    }

    async fn purchasing_facts_are_stored_and_flagged_against_the_nvo(t: TestApp) {
        let token = t.token("demo-regio").await;
        let provider = t.org_id(&token, "Combinatie Jeugdzorg").await;
        let case = file(&t, "demo-regio", json!({"kind": "regio_aanbieder", "domain": "jeugd",
            "title": "Tarief jeugdbescherming 2027", "summary": "De aanbieder acht het tarief niet reëel.",
            "respondents": [provider],
            "facts": {"tender_published_on": "2026-05-12", "contract_signed_on": "2026-10-01",
                "contract_starts_on": "2027-01-01", "contract_duration_months": 24, "care_category": "jeugdbescherming",
                "tariff_offered_cents": 9500, "tariff_asked_cents": 11200}})).await;
        let codes: Vec<&str> = case["flags"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["published_after_first_april", "too_little_time_before_start", "contract_shorter_than_three_years"]);
        assert_eq!(case["facts"]["tariff_asked_cents"], 11200);
        assert!(case["flags"][0]["message_nl"].as_str().unwrap().contains("april"));
    }
}

on_both_databases! {
    async fn the_filer_edits_a_concept_until_it_is_submitted(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap();
        let token = t.token("demo-gemeente").await;
        let region = t.org_id(&token, "Jeugdhulpregio Zuid-Limburg").await;
        let path = format!("/api/v1/cases/{id}");
        let res = t.send_json(Method::PATCH, &path, Some(&token),
            &json!({"title": "Kosten gesloten jeugdhulp 2027", "respondents": [region], "version": case["version"]})).await;
        assert_eq!(res.status(), 200);
        let c: Value = res.json().await.unwrap();
        assert_eq!(c["title"], "Kosten gesloten jeugdhulp 2027");
        assert_eq!(c["respondents"][0]["name"], "Jeugdhulpregio Zuid-Limburg");
        assert_eq!(c["version"], 2);
        // Invalid changes are refused whole.
        let p = assert_problem(t.send_json(Method::PATCH, &path, Some(&token), &json!({"title": "", "kind": "uittreding"})).await, 400).await;
        assert_eq!(invalid_fields(&p), ["title", "kind"]);
        // Nobody else edits it (the secretary does not even see it).
        let sec = t.token("demo-secretaris").await;
        assert_problem(t.send_json(Method::PATCH, &path, Some(&sec), &json!({"title": "x"})).await, 404).await;
        step_ok(&t, "demo-gemeente", id, "submit", json!({})).await;
        assert_problem(t.send_json(Method::PATCH, &path, Some(&token), &json!({"title": "Te laat"})).await, 409).await;
        let trail: Value = t.get(&format!("{path}/audit"), Some(&token)).await.json().await.unwrap();
        assert_eq!(trail["entries"][1]["action"], "case.edit");
        assert_eq!(trail["entries"][1]["before"]["title"], "Verdeling van de kosten van gesloten jeugdhulp");
    }
}
