//! The web application without a browser: every page renders in Dutch for every role,
//! sign-in and sign-out with sessions and form tokens, forms from elsewhere are refused, and
//! pages one may not see are refused.

use reqwest::{Method, Response, header};
use serde_json::json;

use crate::{case_support::*, document_support::*, harness::*, on_both_databases};

/// A browser of sorts: no redirects followed, cookies carried by hand.
pub struct Browser<'a> {
    t: &'a TestApp,
    client: reqwest::Client,
    pub cookies: Vec<(String, String)>,
}

impl<'a> Browser<'a> {
    pub fn new(t: &'a TestApp) -> Self {
        Self::named(t, "")
    }

    /// A browser that names itself `user_agent` (empty: sends no `User-Agent`).
    pub fn named(t: &'a TestApp, user_agent: &str) -> Self {
        let mut client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
        if !user_agent.is_empty() {
            client = client.user_agent(user_agent.to_owned());
        }
        Browser {
            t,
            client: client.build().unwrap(),
            cookies: Vec::new(),
        }
    }

    fn remember(&mut self, res: &Response) {
        for v in res.headers().get_all(header::SET_COOKIE) {
            let first = v.to_str().unwrap().split(';').next().unwrap();
            let (k, val) = first.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != k);
            if !val.is_empty() {
                self.cookies.push((k.to_owned(), val.to_owned()));
            }
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, path: &str) -> Response {
        let res = self
            .client
            .get(self.t.url(path))
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.remember(&res);
        res
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)], origin: Option<&str>) -> Response {
        let mut req = self
            .client
            .post(self.t.url(path))
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, self.cookie_header())
            .form(form);
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        let res = req.send().await.unwrap();
        self.remember(&res);
        res
    }

    pub async fn post_multipart(&mut self, path: &str, form: reqwest::multipart::Form) -> Response {
        let res = self
            .client
            .post(self.t.url(path))
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, self.cookie_header())
            .multipart(form)
            .send()
            .await
            .unwrap();
        self.remember(&res);
        res
    }

    /// The hidden `csrf` value of the last page's forms.
    pub fn token_in(html: &str) -> String {
        let at = html.find("name=\"csrf\" value=\"").expect("a form token") + 19;
        html[at..at + 64].to_owned()
    }

    pub async fn sign_in(&mut self, username: &str) {
        let page = self.get("/inloggen").await.text().await.unwrap();
        let token = Self::token_in(&page);
        let res = self
            .post(
                "/inloggen",
                &[
                    ("csrf", &token),
                    ("terug", "/geschillen"),
                    ("gebruikersnaam", username),
                    ("wachtwoord", DEMO_PASSWORD),
                ],
                None,
            )
            .await;
        assert_eq!(res.status(), 303, "{username} signs in");
    }
}

pub async fn html(res: Response, status: u16) -> String {
    assert_eq!(res.status(), status, "{}", res.url());
    let ct = res.headers()[header::CONTENT_TYPE].to_str().unwrap().to_owned();
    assert!(ct.starts_with("text/html"), "{ct}");
    let body = res.text().await.unwrap();
    assert!(body.starts_with("<!doctype html>\n<html lang=\"nl\">"), "{body}");
    body
}

on_both_databases! {
    async fn public_pages_render_in_dutch(t: TestApp) {
        let mut b = Browser::new(&t);
        for path in ["/", "/uitspraken", "/toegankelijkheid", "/termijnberekening"] {
            let page = html(b.get(path).await, 200).await;
            assert!(page.contains("<main id=\"inhoud\""), "{path}");
            assert!(page.contains("Naar de inhoud"));
        }
        let css = b.get("/static/beslecht.css").await;
        assert_eq!(css.headers()[header::CONTENT_TYPE], "text/css; charset=utf-8");
        // The calculator computes, and explains.
        let page = html(b.get("/termijnberekening?start=2026-04-02&termijn=P1D&richting=vooruit&atw=ja").await, 200).await;
        assert!(page.contains("Laatste dag: dinsdag 7 april 2026"), "{page}");
        assert!(page.contains("Goede Vrijdag"));
        let page = html(b.get("/termijnberekening?start=2026-13-40&termijn=tien").await, 400).await;
        assert!(page.contains("class=\"error-summary\""));
        assert!(page.contains("aria-invalid=\"true\""));
        assert!(page.contains("href=\"#start\"") && page.contains("href=\"#termijn\""));
        // As people write them: a Dutch date and a term in words.
        let page = html(b.get("/termijnberekening?start=2-4-2026&termijn=1+dag&richting=vooruit&atw=ja").await, 200).await;
        assert!(page.contains("Laatste dag: dinsdag 7 april 2026"), "{page}");
        let page = html(b.get("/termijnberekening?start=2-4-2026&termijn=2+weken").await, 200).await;
        assert!(page.contains("Laatste dag: donderdag 16 april 2026"), "{page}");
        let page = html(b.get("/termijnberekening?start=31-2-2026&termijn=2+weken").await, 400).await;
        assert!(page.contains("Vul een bestaande datum in, zoals 30-3-2026."), "{page}");
        // An unknown page, for people.
        let page = html(b.get("/bestaat-niet").await, 404).await;
        assert!(page.contains("Pagina niet gevonden"));
    }

    async fn signing_in_and_out(t: TestApp) {
        let mut b = Browser::new(&t);
        let res = b.get("/geschillen").await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()[header::LOCATION], "/inloggen?terug=%2Fgeschillen");
        let page = b.get("/inloggen").await.text().await.unwrap();
        let token = Browser::token_in(&page);
        // A wrong password: a Dutch message, the username kept.
        let res = b.post("/inloggen", &[("csrf", &token), ("gebruikersnaam", "demo-gemeente"), ("wachtwoord", "fout")], None).await;
        let page = html(res, 401).await;
        assert!(page.contains("De gebruikersnaam of het wachtwoord klopt niet"));
        assert!(page.contains("value=\"demo-gemeente\""));
        let token = Browser::token_in(&page);
        // Fields left empty are named as such, beside the fields, not called a wrong password.
        let res = b.post("/inloggen", &[("csrf", &token), ("gebruikersnaam", ""), ("wachtwoord", "")], None).await;
        let page = html(res, 400).await;
        assert!(page.contains("Vul uw gebruikersnaam in.") && page.contains("Vul uw wachtwoord in."), "{page}");
        assert!(page.contains("href=\"#wachtwoord\"") && !page.contains("klopt niet"), "{page}");
        let token = Browser::token_in(&page);
        // A form without its token, or from another site: refused.
        let res = b.post("/inloggen", &[("csrf", "0"), ("gebruikersnaam", "demo-gemeente"), ("wachtwoord", DEMO_PASSWORD)], None).await;
        assert!(html(res, 403).await.contains("Formulier niet aangenomen"));
        let res = b.post("/inloggen", &[("csrf", &token), ("gebruikersnaam", "demo-gemeente"), ("wachtwoord", DEMO_PASSWORD)], Some("https://evil.example")).await;
        assert_eq!(res.status(), 403);
        // Signed in: an HttpOnly, SameSite session cookie, and back where we were going.
        let res = b.post("/inloggen", &[("csrf", &token), ("terug", "/uitspraken"), ("gebruikersnaam", "demo-gemeente"), ("wachtwoord", DEMO_PASSWORD)], None).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()[header::LOCATION], "/uitspraken");
        let set: Vec<String> = res.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        let session = set.iter().find(|c| c.starts_with("beslecht_sessie=")).expect("session cookie");
        assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
        let page = html(b.get("/geschillen").await, 200).await;
        assert!(page.contains("Mijn geschillen") && page.contains("Demo Gemeente Maastricht"));
        assert!(page.contains("U blijft ingelogd tot"));
        // Signing out needs the session's token; then the session is gone.
        let token = Browser::token_in(&page);
        assert_eq!(b.post("/uitloggen", &[("csrf", "f".repeat(64).as_str())], None).await.status(), 403);
        let kept = b.cookies.clone();
        assert_eq!(b.post("/uitloggen", &[("csrf", &token)], None).await.status(), 303);
        b.cookies = kept; // even with the old cookie
        assert_eq!(b.get("/geschillen").await.status(), 303);
    }

    async fn every_role_sees_its_pages_and_no_other(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let doc = upload_ok(&t, "demo-gemeente", &case, BEWIJS, ("tarieven.pdf", pdf("tarieven"))).await;
        let doc = doc["id"].as_str().unwrap();
        let token = t.token("demo-gemeente").await;
        let res = t.send_json(Method::POST, &format!("/api/v1/cases/{case}/messages"), Some(&token), &json!({"body": "Graag een reactie."})).await;
        assert_eq!(res.status(), 201);
        for user in ["demo-gemeente", "demo-gemeente-2", "demo-gemeente-3", "demo-regio", "demo-aanbieder", "demo-secretaris", "demo-bemiddelaar", "demo-commissielid", "demo-commissielid-2"] {
            let mut b = Browser::new(&t);
            b.sign_in(user).await;
            let overview = html(b.get("/geschillen").await, 200).await;
            let sees = matches!(user, "demo-gemeente" | "demo-gemeente-2" | "demo-secretaris" | "demo-bemiddelaar");
            assert_eq!(overview.contains(&format!("/geschillen/{case}")), sees, "{user}");
            let res = b.get(&format!("/geschillen/{case}")).await;
            if sees {
                let page = html(res, 200).await;
                assert!(page.contains("Verdeling van de kosten van gesloten jeugdhulp"));
                assert!(page.contains("Stap gezet: ontvankelijk verklaren en naar bemiddeling sturen"), "{user}: {page}");
                // The timeline names people and their roles, not user names.
                assert!(page.contains("door Demo Secretaris (secretaris"), "{user}: {page}");
                assert!(!page.contains("door demo-secretaris"), "{user}: {page}");
                assert!(page.contains("tarieven.pdf"));
                // The header names the next term, who must act and by when.
                assert!(page.contains("<dt>Eerstvolgende termijn</dt><dd>De bemiddelaar: bemiddeling, uiterlijk "), "{user}: {page}");
                let bytes = b.get(&format!("/geschillen/{case}/stukken/{doc}")).await;
                assert_eq!(bytes.status(), 200);
                assert_eq!(bytes.bytes().await.unwrap().as_ref(), &pdf("tarieven")[..]);
                if user != "demo-bemiddelaar" {
                    assert!(page.contains("Graag een reactie."), "{user}");
                }
            } else {
                let page = html(res, 404).await;
                assert!(page.contains("Pagina niet gevonden"));
                // The error page shows who is signed in, as every page does.
                assert!(page.contains("Uitloggen") && !page.contains(">Inloggen<"), "{user}: {page}");
                assert_eq!(b.get(&format!("/geschillen/{case}/stukken/{doc}")).await.status(), 404);
            }
        }
        // The overview filters by phase and kind, and keeps the choice in the form.
        let mut sec = Browser::new(&t);
        sec.sign_in("demo-secretaris").await;
        let link = format!("/geschillen/{case}\"");
        let page = html(sec.get("/geschillen?fase=bemiddeling&soort=binnen_regio").await, 200).await;
        assert!(page.contains(&link) && page.contains("<option value=\"bemiddeling\" selected>"), "{page}");
        let page = html(sec.get("/geschillen?fase=commissie").await, 200).await;
        assert!(!page.contains(&link) && page.contains("Geen geschillen gevonden met deze zoekterm of filters."), "{page}");
        html(sec.get("/geschillen?fase=onzin").await, 400).await;
        // The administrator has no cases: the overview is refused.
        let mut b = Browser::new(&t);
        b.sign_in("demo-beheerder").await;
        html(b.get("/geschillen").await, 403).await;
    }
}

on_both_databases! {
    async fn steps_messages_and_documents_through_forms(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let id = case["id"].as_str().unwrap().to_owned();
        step_ok(&t, "demo-gemeente", &id, "submit", json!({})).await;
        let mut sec = Browser::new(&t);
        sec.sign_in("demo-secretaris").await;
        // The work queue names the new filing and its running term.
        let queue = html(sec.get("/geschillen").await, 200).await;
        let new = queue.split("id=\"termijnen\"").next().unwrap();
        assert!(new.contains("Nieuwe indieningen") && new.contains(&format!("/geschillen/{id}")), "{queue}");
        let page = html(sec.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(page.contains(&format!("href=\"/geschillen/{id}/stap/admit\"")), "the secretary is offered the intake");
        let form = html(sec.get(&format!("/geschillen/{id}/stap/admit")).await, 200).await;
        // A page's title reads as a title, not as a raw label.
        assert!(form.contains("<title>Ontvankelijk verklaren"), "{form}");
        let token = Browser::token_in(&form);
        let version = get_case(&t, "demo-secretaris", &id).await["version"].as_i64().unwrap().to_string();
        // Without the form's token: refused, nothing changed.
        let res = sec.post(&format!("/geschillen/{id}/stap/admit"), &[("version", &version), ("path", "bemiddeling")], None).await;
        assert_eq!(res.status(), 403);
        assert_eq!(get_case(&t, "demo-secretaris", &id).await["phase"], "ingediend");
        // A stale page: the case moved on (a message raised its version) — refused, typed text kept.
        let res = sec.post(&format!("/geschillen/{id}/stap/request-completion"),
            &[("csrf", &token), ("version", "1"), ("reason", "Graag de tariefopbouw toevoegen.")], None).await;
        let page = html(res, 409).await;
        assert!(page.contains("intussen gewijzigd"), "{page}");
        assert!(page.contains("Graag de tariefopbouw toevoegen."));
        // An empty required field: the error next to the field and in the summary.
        let res = sec.post(&format!("/geschillen/{id}/stap/request-completion"), &[("csrf", &token), ("version", &version), ("reason", "  ")], None).await;
        let page = html(res, 400).await;
        assert!(page.contains("class=\"error-summary\"") && page.contains("href=\"#reason\"") && page.contains("aria-invalid=\"true\""), "{page}");
        // The step itself.
        let res = sec.post(&format!("/geschillen/{id}/stap/admit"), &[("csrf", &token), ("version", &version), ("path", "bemiddeling")], None).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()[header::LOCATION], format!("/geschillen/{id}?gedaan=admit").as_str());
        assert_eq!(get_case(&t, "demo-secretaris", &id).await["phase"], "bemiddeling");
        let page = html(sec.get(&format!("/geschillen/{id}?gedaan=admit")).await, 200).await;
        assert!(page.contains("<h2>Gelukt</h2><p>Het geschil is ontvankelijk verklaard"));

        // A message: empty is refused with the error; then sent.
        let mut party = Browser::new(&t);
        party.sign_in("demo-gemeente").await;
        let page = html(party.get(&format!("/geschillen/{id}")).await, 200).await;
        let token = Browser::token_in(&page);
        let res = party.post(&format!("/geschillen/{id}/berichten"), &[("csrf", &token), ("body", "")], None).await;
        assert!(html(res, 400).await.contains("id=\"bericht-fout\""));
        let res = party.post(&format!("/geschillen/{id}/berichten"), &[("csrf", &token), ("body", "Wij wachten op de bemiddelaar.")], None).await;
        assert_eq!(res.status(), 303);
        assert!(html(party.get(&format!("/geschillen/{id}")).await, 200).await.contains("Wij wachten op de bemiddelaar."));

        // A document: a bad one comes back with the error and the title kept; a good one is added.
        let upload = |token: String, name: &'static str, bytes: Vec<u8>| {
            reqwest::multipart::Form::new()
                .text("csrf", token)
                .text("type", "bewijsstuk")
                .text("title", "Tariefopbouw 2026")
                .text("audience", "partijen")
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name))
        };
        let res = party.post_multipart(&format!("/geschillen/{id}/stukken"), upload(token.clone(), "foto.pdf", png())).await;
        let page = html(res, 400).await;
        assert!(page.contains("eindigt op .pdf") && page.contains("value=\"Tariefopbouw 2026\""), "{page}");
        let res = party.post_multipart(&format!("/geschillen/{id}/stukken"), upload("0".repeat(64), "t.pdf", pdf("x"))).await;
        assert_eq!(res.status(), 403);
        let res = party.post_multipart(&format!("/geschillen/{id}/stukken"), upload(token.clone(), "tarieven.pdf", pdf("tarieven"))).await;
        assert_eq!(res.status(), 303);
        assert_eq!(listed(&t, "demo-gemeente", &id).await.len(), 1);
    }
}

on_both_databases! {
    async fn an_irreversible_step_is_confirmed_on_a_check_page(t: TestApp) {
        let id = case_in_mediation(&t).await;
        let mut party = Browser::new(&t);
        party.sign_in("demo-gemeente").await;
        let form = html(party.get(&format!("/geschillen/{id}/stap/withdraw")).await, 200).await;
        assert!(form.contains("Verder naar controleren"), "{form}");
        let token = Browser::token_in(&form);
        let version = get_case(&t, "demo-gemeente", &id).await["version"].as_i64().unwrap().to_string();
        let path = format!("/geschillen/{id}/stap/withdraw");
        // The form leads to a page that says what will happen; nothing has changed yet.
        let res = party.post(&path, &[("csrf", &token), ("version", &version), ("reason", "Opgelost met Heerlen.")], None).await;
        let check = html(res, 200).await;
        assert!(check.contains("Dit kunt u niet terugdraaien.") && check.contains("kan niet worden heropend"), "{check}");
        assert!(check.contains("Opgelost met Heerlen.") && check.contains("name=\"bevestigd\""), "{check}");
        assert_eq!(get_case(&t, "demo-gemeente", &id).await["phase"], "bemiddeling");
        // Back to the form: what was typed is still there.
        let res = party.post(&path, &[("csrf", &token), ("version", &version), ("reason", "Opgelost met Heerlen."), ("wijzigen", "ja")], None).await;
        assert!(html(res, 200).await.contains(">Opgelost met Heerlen.</textarea>"));
        // A confirmation posted after the case moved on: 409, explained, nothing changed.
        step_ok(&t, MEDIATOR, &id, "record-mediation-outcome", json!({"outcome": "deels", "summary": "Deels eens."})).await;
        let res = party.post(&path, &[("csrf", &token), ("version", &version), ("reason", "Opgelost met Heerlen."), ("bevestigd", "ja")], None).await;
        let page = html(res, 409).await;
        assert!(page.contains("intussen gewijzigd"), "{page}");
        assert_eq!(get_case(&t, "demo-gemeente", &id).await["phase"], "bemiddeling_beeindigd");
        // Confirmed on the current version, it is taken.
        let version = get_case(&t, "demo-gemeente", &id).await["version"].as_i64().unwrap().to_string();
        let res = party.post(&path, &[("csrf", &token), ("version", &version), ("reason", "Opgelost met Heerlen."), ("bevestigd", "ja")], None).await;
        assert_eq!(res.status(), 303);
        assert_eq!(get_case(&t, "demo-gemeente", &id).await["phase"], "ingetrokken");
    }

    async fn the_sign_in_form_is_at_login_with_the_contracts_field_names(t: TestApp) {
        let mut b = Browser::new(&t);
        let page = html(b.get("/login").await, 200).await;
        assert!(page.contains("name=\"username\"") && page.contains("name=\"password\""), "{page}");
        assert!(page.contains("lang=\"nl\""));
        let token = Browser::token_in(&page);
        let res = b.post("/login", &[("csrf", &token), ("username", "demo-gemeente"), ("password", DEMO_PASSWORD)], None).await;
        assert_eq!(res.status(), 303);
        assert!(html(b.get("/geschillen").await, 200).await.contains("Uitloggen"));
    }
}

on_both_databases! {
    async fn the_calendar_feed_is_made_on_the_account_page(t: TestApp) {
        case_in_mediation(&t).await;
        let mut b = Browser::new(&t);
        b.sign_in("demo-gemeente").await;
        let page = html(b.get("/mijn-account").await, 200).await;
        assert!(page.contains("Agendakoppeling maken"), "{page}");
        let token = Browser::token_in(&page);
        // Shown once, as a full address, and the feed answers at it.
        let made = html(b.post("/mijn-account/agenda", &[("csrf", &token)], None).await, 200).await;
        let url = made.split("id=\"agenda-adres\" type=\"text\" readonly value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let path = &url[url.find("/api/v1/calendar/feeds/").expect("a feed address")..];
        let feed = t.get(path, None).await;
        assert_eq!(feed.status(), 200);
        assert!(feed.text().await.unwrap().contains("BEGIN:VCALENDAR"));
        // A new one ends the old one; a form without its token changes nothing.
        assert_eq!(b.post("/mijn-account/agenda", &[("csrf", "0")], None).await.status(), 403);
        assert_eq!(t.get(path, None).await.status(), 200);
        html(b.post("/mijn-account/agenda", &[("csrf", &token)], None).await, 200).await;
        assert_eq!(t.get(path, None).await.status(), 404);
    }
}

on_both_databases! {
    async fn what_changed_since_ones_last_visit_is_marked_new(t: TestApp) {
        let case = file_binnen_regio(&t).await;
        let (id, number) = (case["id"].as_str().unwrap().to_owned(), case["number"].as_str().unwrap().to_owned());
        step_ok(&t, "demo-gemeente", &id, "submit", json!({})).await;
        let mut sec = Browser::new(&t);
        sec.sign_in("demo-secretaris").await;
        let row = format!("href=\"/geschillen/{id}\">{number}</a>");
        let marker = |page: &str| {
            // The last mention: the list of all cases comes after the secretary's queue.
            assert!(page.contains(row.as_str()), "the case is listed: {page}");
            let after = page.rsplit(row.as_str()).next().unwrap();
            let cell = after.split("</td>").next().unwrap().to_owned();
            ["Nieuw", "Bijgewerkt"].into_iter().find(|m| cell.contains(&format!("<strong class=\"tag\">{m}</strong>")))
        };
        // Never opened: new. Opened: nothing to mark.
        assert_eq!(marker(&html(sec.get("/geschillen").await, 200).await), Some("Nieuw"));
        let first = html(sec.get(&format!("/geschillen/{id}")).await, 200).await;
        assert_eq!(marker(&html(sec.get("/geschillen").await, 200).await), None);

        // A party adds a document: the case is marked as changed, and on the case page the
        // document is new — once; the next visit has seen it.
        let inbox = html(sec.get("/meldingen").await, 200).await;
        assert!(!inbox.contains("Bijgewerkt sinds uw laatste bezoek"), "nothing changed yet: {inbox}");
        upload_ok(&t, "demo-gemeente", &id, BEWIJS, ("tarieven.pdf", pdf("tarieven"))).await;
        assert_eq!(marker(&html(sec.get("/geschillen").await, 200).await), Some("Bijgewerkt"));
        // The inbox names it too, until the case is opened again.
        let inbox = html(sec.get("/meldingen").await, 200).await;
        assert!(inbox.contains("Bijgewerkt sinds uw laatste bezoek") && inbox.contains(&format!("href=\"/geschillen/{id}\">{number}</a>")), "{inbox}");
        // Someone who never opened it, or may not see it, is not told.
        let mut other = Browser::new(&t);
        other.sign_in("demo-gemeente-3").await;
        assert!(!html(other.get("/meldingen").await, 200).await.contains(&number));
        let page = html(sec.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(!first.contains("<strong class=\"tag\">Nieuw</strong>"), "{first}");
        assert!(page.contains("<strong class=\"tag\">Nieuw</strong>"), "{page}");
        let again = html(sec.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(!again.contains("<strong class=\"tag\">Nieuw</strong>"), "{again}");
        assert!(!html(sec.get("/meldingen").await, 200).await.contains("Bijgewerkt sinds uw laatste bezoek"));
        assert_eq!(marker(&html(sec.get("/geschillen").await, 200).await), None);

        // What one added oneself is not new to oneself.
        let mut party = Browser::new(&t);
        party.sign_in("demo-gemeente").await;
        html(party.get(&format!("/geschillen/{id}")).await, 200).await;
        upload_ok(&t, "demo-gemeente", &id, BEWIJS, ("tarieven-2.pdf", pdf("tarieven 2"))).await;
        let page = html(party.get(&format!("/geschillen/{id}")).await, 200).await;
        assert!(!page.contains("<strong class=\"tag\">Nieuw</strong>"), "{page}");
    }
}
