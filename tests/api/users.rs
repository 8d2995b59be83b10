use reqwest::Method;
use serde_json::{Value, json};

use crate::{harness::*, on_both_databases};

on_both_databases! {
    async fn the_administrator_creates_users_who_can_sign_in(t: TestApp) {
        let admin = t.token("beheerder").await;
        let vaals = t.org_id(&admin, "Vaals").await;
        let res = t.send_json(Method::POST, "/api/v1/users", Some(&admin), &json!({
            "username": "J.Jansen", "display_name": "Jan Jansen", "email": "j.jansen@vaals.nl",
            "role": "gemeente", "organisation": vaals, "password": "een sterk wachtwoord"})).await;
        assert_eq!(res.status(), 201);
        let u: Value = res.json().await.unwrap();
        assert_eq!(u["username"], "j.jansen");
        assert_eq!(u["organisation"]["name"], "Vaals");
        assert!(u.get("password").is_none() && u.get("password_hash").is_none());
        assert_eq!(t.login_from("j.jansen", "een sterk wachtwoord", "10.7.0.1").await.status(), 200);

        let res = t.send_json(Method::POST, "/api/v1/users", Some(&admin), &json!({
            "username": "j.jansen", "display_name": "Ander", "role": "gemeente", "organisation": vaals, "password": "een sterk wachtwoord"})).await;
        assert_problem(res, 409).await;

        let listed: Value = t.get("/api/v1/users?limit=200", Some(&admin)).await.json().await.unwrap();
        assert_eq!(listed["items"].as_array().unwrap().len(), 12);
        let got: Value = t.get(&format!("/api/v1/users/{}", u["id"].as_str().unwrap()), Some(&admin)).await.json().await.unwrap();
        assert_eq!(got["email"], "j.jansen@vaals.nl");
    }

    async fn a_user_must_fit_their_organisation(t: TestApp) {
        let admin = t.token("beheerder").await;
        let vaals = t.org_id(&admin, "Vaals").await;
        let commissie = t.org_id(&admin, "Onafhankelijke Geschillencommissie NvO").await;
        for (role, org) in [("bemiddelaar", Some(&commissie)), ("secretaris", Some(&vaals)), ("gemeente", None), ("beheerder", Some(&vaals))] {
            let res = t.send_json(Method::POST, "/api/v1/users", Some(&admin), &json!({
                "username": format!("x-{role}"), "display_name": "X", "role": role, "organisation": org, "password": "een sterk wachtwoord"})).await;
            assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["organisation"], "{role}");
        }
        let res = t.send_json(Method::POST, "/api/v1/users", Some(&admin), &json!({
            "username": "x", "display_name": "", "role": "koning", "email": "geen-adres", "may_chair": "misschien", "password": "kort", "organisation": "?"})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["username", "display_name", "email", "role", "organisation", "may_chair", "password"]);
        let res = t.send_json(Method::POST, "/api/v1/users", Some(&admin), &json!({
            "username": "voorzitter", "display_name": "X", "role": "secretaris", "organisation": commissie, "may_chair": true, "password": "een sterk wachtwoord"})).await;
        assert_eq!(invalid_fields(&assert_problem(res, 400).await), ["may_chair"]);
    }

    async fn only_the_administrator_manages_users(t: TestApp) {
        let admin = t.token("beheerder").await;
        let admin_id = t.get("/api/v1/me", Some(&admin)).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        for user in ["demo-gemeente", "demo-regio", "demo-aanbieder", "demo-secretaris", "demo-bemiddelaar", "demo-commissielid"] {
            let token = t.token(user).await;
            assert_problem(t.get("/api/v1/users", Some(&token)).await, 403).await;
            assert_problem(t.get(&format!("/api/v1/users/{admin_id}"), Some(&token)).await, 403).await;
            let res = t.send_json(Method::POST, "/api/v1/users", Some(&token), &json!({
                "username": "indringer", "display_name": "X", "role": "beheerder", "password": "een sterk wachtwoord"})).await;
            assert_problem(res, 403).await;
            let res = t.send_json(Method::PATCH, &format!("/api/v1/users/{admin_id}"), Some(&token), &json!({"disabled": true})).await;
            assert_problem(res, 403).await;
            let res = t.send_json(Method::PUT, &format!("/api/v1/users/{admin_id}/password"), Some(&token), &json!({"password": "overgenomen wachtwoord"})).await;
            assert_problem(res, 403).await;
        }
        assert_eq!(t.get("/api/v1/me", Some(&admin)).await.status(), 200);
    }

    async fn the_administrator_cannot_disable_themselves(t: TestApp) {
        let admin = t.token("beheerder").await;
        let id = t.get("/api/v1/me", Some(&admin)).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        let res = t.send_json(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), &json!({"disabled": true})).await;
        assert_problem(res, 409).await;
        assert_eq!(t.get("/api/v1/me", Some(&admin)).await.status(), 200);
    }
}
