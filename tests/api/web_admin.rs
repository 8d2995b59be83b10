//! The administrator's pages without a browser: users (add, block, new password) and
//! organisations (filter, add), through the same services as the API; other roles are refused.

use reqwest::header;

use crate::{
    harness::DEMO_PASSWORD,
    on_both_databases,
    web::{Browser, html},
};

on_both_databases! {
    async fn the_administrator_manages_users_and_organisations(t: TestApp) {
        let mut b = Browser::new(&t);
        b.sign_in("demo-beheerder").await;
        let page = html(b.get("/beheer/gebruikers").await, 200).await;
        assert!(page.contains("demo-secretaris") && page.contains("Secretaris"), "{page}");
        assert!(page.contains("href=\"/beheer/organisaties\""), "the administrator's menu");
        let form = html(b.get("/beheer/gebruikers/nieuw").await, 200).await;
        let token = Browser::token_in(&form);
        let api = t.token("demo-beheerder").await;
        let heerlen = t.org_id(&api, "Heerlen").await;

        // Bad input: each field named, what was typed kept (never the password), nothing added.
        let res = b
            .post("/beheer/gebruikers/nieuw", &[("csrf", &token), ("username", "Jan Jansen!"), ("display_name", "Jan Jansen"),
                  ("role", "gemeente"), ("organisation", &heerlen), ("password", "kort")], None)
            .await;
        let page = html(res, 400).await;
        assert!(page.contains("href=\"#username\"") && page.contains("href=\"#password\""), "{page}");
        assert!(page.contains("value=\"Jan Jansen\"") && !page.contains("value=\"kort\""));
        let res = t.get("/api/v1/users?limit=200", Some(&api)).await;
        let before: serde_json::Value = res.json().await.unwrap();
        assert!(!before.to_string().contains("j.jansen"));

        // Added: the user's page says so; the user can sign in.
        let res = b
            .post("/beheer/gebruikers/nieuw", &[("csrf", &token), ("username", "j.jansen"), ("display_name", "Jan Jansen"),
                  ("email", "j.jansen@heerlen.example"), ("role", "gemeente"), ("organisation", &heerlen),
                  ("password", "een-lang-wachtwoord")], None)
            .await;
        assert_eq!(res.status(), 303);
        let at = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
        let page = html(b.get(&at).await, 200).await;
        assert!(page.contains("Gelukt: de gebruiker is toegevoegd") && page.contains("Heerlen"), "{page}");
        let path = at.split('?').next().unwrap().to_owned();
        assert!(t.login_from("j.jansen", "een-lang-wachtwoord", "10.0.0.9").await.status() == 200);

        // A new password that is too short is refused next to the field; a good one is set.
        let res = b.post(&format!("{path}/wachtwoord"), &[("csrf", &token), ("password", "kort")], None).await;
        assert!(html(res, 400).await.contains("id=\"password-fout\""));
        let res = b.post(&format!("{path}/wachtwoord"), &[("csrf", &token), ("password", "nog-een-lang-wachtwoord")], None).await;
        assert_eq!(res.status(), 303);
        assert!(t.login_from("j.jansen", "nog-een-lang-wachtwoord", "10.0.0.9").await.status() == 200);

        // Blocked: no more signing in; unblocked again.
        let res = b.post(&format!("{path}/blokkeren"), &[("csrf", &token), ("geblokkeerd", "ja")], None).await;
        assert_eq!(res.status(), 303);
        assert!(html(b.get(&format!("{path}?gedaan=geblokkeerd")).await, 200).await.contains("Blokkade opheffen"));
        assert!(t.login_from("j.jansen", "nog-een-lang-wachtwoord", "10.0.0.9").await.status() == 401);
        b.post(&format!("{path}/blokkeren"), &[("csrf", &token), ("geblokkeerd", "nee")], None).await;
        assert!(t.login_from("j.jansen", "nog-een-lang-wachtwoord", "10.0.0.9").await.status() == 200);
        // Without the form's token: refused.
        assert_eq!(b.post(&format!("{path}/blokkeren"), &[("geblokkeerd", "ja")], None).await.status(), 403);

        // Organisations: filtered by name and kind; a new one added, a bad one refused.
        let page = html(b.get("/beheer/organisaties?naam=heer&soort=gemeente").await, 200).await;
        assert!(page.contains("Heerlen") && !page.contains("Maastricht"), "{page}");
        let res = b.post("/beheer/organisaties/nieuw", &[("csrf", &token), ("name", "Vaals"), ("kind", "jeugdregio"), ("cbs_code", "GM0981")], None).await;
        assert!(html(res, 400).await.contains("Alleen gemeenten hebben een CBS-code"));
        let res = b.post("/beheer/organisaties/nieuw", &[("csrf", &token), ("name", "Nergenshuizen"), ("kind", "gemeente"), ("cbs_code", "GM9981")], None).await;
        assert_eq!(res.status(), 303);
        let page = html(b.get(res.headers()[header::LOCATION].to_str().unwrap()).await, 200).await;
        assert!(page.contains("Nergenshuizen") && page.contains("GM9981"), "{page}");

        // Nobody else gets these pages.
        let mut sec = Browser::new(&t);
        sec.sign_in("demo-secretaris").await;
        for path in ["/beheer/gebruikers", "/beheer/gebruikers/nieuw", "/beheer/organisaties/nieuw", path.as_str()] {
            assert_eq!(sec.get(path).await.status(), 403, "{path}");
        }
        let page = html(sec.get("/geschillen").await, 200).await;
        let token = Browser::token_in(&page);
        let res = sec.post("/beheer/organisaties/nieuw", &[("csrf", &token), ("name", "Simpelveld"), ("kind", "gemeente")], None).await;
        assert_eq!(res.status(), 403);
    }
}

on_both_databases! {
    async fn everyone_changes_their_own_password(t: TestApp) {
        let mut b = Browser::new(&t);
        b.sign_in("demo-bemiddelaar").await;
        let page = html(b.get("/mijn-account").await, 200).await;
        assert!(page.contains("Demo Bemiddelaar") && page.contains("Bemiddelaar"), "{page}");
        let token = Browser::token_in(&page);
        let res = b
            .post("/mijn-account/wachtwoord", &[("csrf", &token), ("current_password", "fout-wachtwoord"), ("new_password", "een-nieuw-lang-wachtwoord")], None)
            .await;
        let page = html(res, 400).await;
        assert!(page.contains("Het huidige wachtwoord klopt niet.") && !page.contains("een-nieuw-lang-wachtwoord"), "{page}");
        let res = b
            .post("/mijn-account/wachtwoord", &[("csrf", &token), ("current_password", DEMO_PASSWORD), ("new_password", "kort")], None)
            .await;
        assert!(html(res, 400).await.contains("id=\"new_password-fout\""));
        assert_eq!(t.login_from("demo-bemiddelaar", DEMO_PASSWORD, "10.0.0.9").await.status(), 200, "nothing changed");
        let res = b
            .post("/mijn-account/wachtwoord", &[("csrf", &token), ("current_password", DEMO_PASSWORD), ("new_password", "een-nieuw-lang-wachtwoord")], None)
            .await;
        assert_eq!(res.status(), 303);
        // Every session ended, this one too; the new password works.
        assert_eq!(b.get("/mijn-account").await.status(), 303);
        assert_eq!(t.login_from("demo-bemiddelaar", "een-nieuw-lang-wachtwoord", "10.0.0.9").await.status(), 200);
    }
}

on_both_databases! {
    async fn the_administrator_keeps_region_memberships_and_accounthouderschappen(t: TestApp) {
        let api = t.token("demo-beheerder").await;
        let (heerlen, zuid_limburg, provider) = (
            t.org_id(&api, "Heerlen").await,
            t.org_id(&api, "Jeugdhulpregio Zuid-Limburg").await,
            t.org_id(&api, "Combinatie Jeugdzorg").await,
        );
        let mut b = Browser::new(&t);
        b.sign_in("demo-beheerder").await;
        let list = html(b.get("/beheer/organisaties?naam=Heerlen").await, 200).await;
        assert!(list.contains(&format!("href=\"/beheer/organisaties/{heerlen}\"")), "{list}");
        let page = html(b.get(&format!("/beheer/organisaties/{heerlen}")).await, 200).await;
        assert!(page.contains("Lid van") && page.contains("Jeugdhulpregio Zuid-Limburg"), "{page}");
        let token = Browser::token_in(&page);

        // A second membership of the same region in the same period: refused, with why.
        let join = format!("/beheer/organisaties/{heerlen}/lidmaatschap");
        let form = html(b.get(&join).await, 200).await;
        assert!(form.contains("Lid vanaf"), "{form}");
        let res = b.post(&join, &[("csrf", &token), ("region", &zuid_limburg), ("start_date", "1-1-2027")], None).await;
        let page = html(res, 400).await;
        assert!(page.contains("al lid van Jeugdhulpregio Zuid-Limburg") && page.contains("href=\"#region\""), "{page}");
        let res = b.post(&join, &[("csrf", &token), ("region", &zuid_limburg), ("start_date", "31-2-2027")], None).await;
        assert!(html(res, 400).await.contains("href=\"#start_date\""));

        // The membership ended (an uittreding): the date as typed, read back on the page.
        let detail: serde_json::Value = t.get(&format!("/api/v1/organisations/{heerlen}"), Some(&api)).await.json().await.unwrap();
        let membership = detail["regions"][0]["id"].as_str().unwrap().to_owned();
        let end = format!("/beheer/organisaties/{heerlen}/lidmaatschap/{membership}");
        assert!(html(b.get(&format!("/beheer/organisaties/{heerlen}")).await, 200).await.contains(&format!("href=\"{end}\"")));
        let res = b.post(&end, &[("csrf", &token), ("end_date", "31-12-2027")], None).await;
        assert_eq!(res.status(), 303);
        let page = html(b.get(&format!("/beheer/organisaties/{heerlen}?einde")).await, 200).await;
        assert!(page.contains("Gelukt") && page.contains("31 december 2027"), "{page}");
        let detail: serde_json::Value = t.get(&format!("/api/v1/organisations/{heerlen}"), Some(&api)).await.json().await.unwrap();
        assert_eq!(detail["regions"][0]["end_date"], "2027-12-31");

        // The region becomes accounthouder for a provider.
        let region_page = html(b.get(&format!("/beheer/organisaties/{zuid_limburg}")).await, 200).await;
        assert!(region_page.contains("Leden") && region_page.contains("Heerlen"), "{region_page}");
        let form = format!("/beheer/organisaties/{zuid_limburg}/accounthouderschap");
        assert!(region_page.contains(&format!("href=\"{form}\"")));
        let res = b.post(&form, &[("csrf", &token), ("provider", &provider)], None).await;
        assert_eq!(res.status(), 303);
        let page = html(b.get(&format!("/beheer/organisaties/{provider}")).await, 200).await;
        assert!(page.contains("Accounthoudende regio") && page.contains("Jeugdhulpregio Zuid-Limburg"), "{page}");

        // Nobody else.
        let mut party = Browser::new(&t);
        party.sign_in("demo-gemeente").await;
        assert_eq!(party.get(&format!("/beheer/organisaties/{heerlen}")).await.status(), 403);
        let res = party.post(&join, &[("csrf", &token), ("region", &zuid_limburg), ("start_date", "1-1-2030")], None).await;
        assert_eq!(res.status(), 403);
    }
}
