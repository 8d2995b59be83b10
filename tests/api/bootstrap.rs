use beslecht::service::{App, bootstrap};
use serde_json::Value;

use crate::on_both_databases;

/// The demo users of shared/api.md: username, role, organisation name.
const DEMO: [(&str, &str, Option<&str>); 10] = [
    ("demo-gemeente", "gemeente", Some("Maastricht")),
    ("demo-gemeente-2", "gemeente", Some("Heerlen")),
    ("demo-gemeente-3", "gemeente", Some("Eindhoven")),
    ("demo-regio", "regio", Some("Jeugdhulpregio Zuid-Limburg")),
    ("demo-aanbieder", "aanbieder", Some("Combinatie Jeugdzorg")),
    (
        "demo-secretaris",
        "secretaris",
        Some("Onafhankelijke Geschillencommissie NvO"),
    ),
    (
        "demo-bemiddelaar",
        "bemiddelaar",
        Some("Ondersteuningsteam Zorg voor de Jeugd"),
    ),
    (
        "demo-commissielid",
        "commissielid",
        Some("Onafhankelijke Geschillencommissie NvO"),
    ),
    (
        "demo-commissielid-2",
        "commissielid",
        Some("Onafhankelijke Geschillencommissie NvO"),
    ),
    ("demo-beheerder", "beheerder", None),
];

on_both_databases! {
    async fn every_demo_user_signs_in_with_the_demo_password(t: TestApp) {
        for (username, role, organisation) in DEMO {
            let token = t.token(username).await;
            let me: Value = t.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
            assert_eq!(me["role"], role, "{username}");
            assert_eq!(me["organisation"]["name"].as_str(), organisation, "{username}");
            assert_eq!(me["may_chair"], username == "demo-commissielid", "{username}");
        }
    }

    async fn heerlen_shares_a_region_with_maastricht_and_eindhoven_does_not(t: TestApp) {
        let token = t.token("demo-gemeente").await;
        let region_of = |detail: &Value| -> Vec<String> {
            detail["regions"].as_array().unwrap().iter()
                .filter(|m| m["region"]["kind"] == "jeugdregio")
                .map(|m| m["region"]["name"].as_str().unwrap().to_owned()).collect()
        };
        let mut regions = Vec::new();
        for name in ["Maastricht", "Heerlen", "Eindhoven"] {
            let id = t.org_id(&token, name).await;
            let detail: Value = t.get(&format!("/api/v1/organisations/{id}"), Some(&token)).await.json().await.unwrap();
            regions.push(region_of(&detail));
        }
        assert_eq!(regions[0], regions[1]);
        assert_ne!(regions[0], regions[2]);
    }

    async fn the_first_administrator_is_created_once_with_a_private_password_file(t: TestApp) {
        let file = t.data_dir.path().join(bootstrap::ADMIN_PASSWORD_FILE);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let token = t.token("beheerder").await;
        let me: Value = t.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        assert_eq!(me["role"], "beheerder");
        assert!(me["organisation"].is_null());
        // A second start (another node, or a restart) creates nobody and keeps the file.
        assert!(bootstrap::ensure_first_admin(&t.app).await.unwrap().is_none());
        assert!(std::fs::read_to_string(&file).unwrap().contains(&t.admin_password));
    }

    async fn seeding_again_changes_nothing(t: TestApp) {
        let count = |app: &App| {
            let app = app.clone();
            async move {
                use sea_orm::{EntityTrait, PaginatorTrait};
                use beslecht::storage::entities::{organisation, region_membership, user};
                (
                    organisation::Entity::find().count(&app.db).await.unwrap(),
                    region_membership::Entity::find().count(&app.db).await.unwrap(),
                    user::Entity::find().count(&app.db).await.unwrap(),
                )
            }
        };
        let before = count(&t.app).await;
        assert_eq!(bootstrap::seed_reference(&t.app).await.unwrap(), 0);
        assert_eq!(bootstrap::seed_demo_users(&t.app).await.unwrap(), 0);
        assert_eq!(count(&t.app).await, before);
        // 16 + 21 municipalities, 2 jeugdregio's, 2 sub-regions, 2 GI's, 1 provider, commission, OZJ.
        assert_eq!(before.0, 46);
        assert_eq!(before.2, 11);
    }
}
