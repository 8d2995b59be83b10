//! The demo users of `../shared/api.md`, all with the password from `BESLECHT_DEMO_PASSWORD`.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use secrecy::ExposeSecret;

use crate::{
    domain::{DisplayName, OrganisationKind, Password, Role, Username},
    error::{Error, Result},
    service::{App, users},
    storage::entities::{organisation, user},
};

pub struct DemoUser {
    pub username: &'static str,
    pub role: Role,
    pub may_chair: bool,
    /// Kind and name of the reference organisation; none for the administrator.
    pub organisation: Option<(OrganisationKind, &'static str)>,
    pub display_name: &'static str,
}

const fn demo(
    username: &'static str,
    role: Role,
    may_chair: bool,
    organisation: Option<(OrganisationKind, &'static str)>,
    display_name: &'static str,
) -> DemoUser {
    DemoUser {
        username,
        role,
        may_chair,
        organisation,
        display_name,
    }
}

const COMMISSIE: Option<(OrganisationKind, &str)> =
    Some((OrganisationKind::Commissie, "Onafhankelijke Geschillencommissie NvO"));

pub const DEMO_USERS: [DemoUser; 10] = [
    demo(
        "demo-gemeente",
        Role::Gemeente,
        false,
        Some((OrganisationKind::Gemeente, "Maastricht")),
        "Demo Gemeente Maastricht",
    ),
    demo(
        "demo-gemeente-2",
        Role::Gemeente,
        false,
        Some((OrganisationKind::Gemeente, "Heerlen")),
        "Demo Gemeente Heerlen",
    ),
    demo(
        "demo-gemeente-3",
        Role::Gemeente,
        false,
        Some((OrganisationKind::Gemeente, "Eindhoven")),
        "Demo Gemeente Eindhoven",
    ),
    demo(
        "demo-regio",
        Role::Regio,
        false,
        Some((OrganisationKind::Jeugdregio, "Jeugdhulpregio Zuid-Limburg")),
        "Demo Regio Zuid-Limburg",
    ),
    demo(
        "demo-aanbieder",
        Role::Aanbieder,
        false,
        Some((OrganisationKind::Aanbieder, "Combinatie Jeugdzorg")),
        "Demo Aanbieder",
    ),
    demo("demo-secretaris", Role::Secretaris, false, COMMISSIE, "Demo Secretaris"),
    demo(
        "demo-bemiddelaar",
        Role::Bemiddelaar,
        false,
        Some((OrganisationKind::Ozj, "Ondersteuningsteam Zorg voor de Jeugd")),
        "Demo Bemiddelaar",
    ),
    demo(
        "demo-commissielid",
        Role::Commissielid,
        true,
        COMMISSIE,
        "Demo Commissielid (voorzitter)",
    ),
    demo(
        "demo-commissielid-2",
        Role::Commissielid,
        false,
        COMMISSIE,
        "Demo Commissielid",
    ),
    demo("demo-beheerder", Role::Beheerder, false, None, "Demo Beheerder"),
];

/// Creates the demo users that do not exist yet; answers how many were created.
pub async fn seed_demo_users(app: &App) -> Result<usize> {
    let password = Password::parse(app.config.demo_password.expose_secret())
        .map_err(|why| Error::BadRequest(format!("BESLECHT_DEMO_PASSWORD {why}")))?;
    let mut created = 0;
    for DemoUser {
        username,
        role,
        may_chair,
        organisation: org,
        display_name: display,
    } in DEMO_USERS
    {
        if user::Entity::find()
            .filter(user::Column::Username.eq(username))
            .one(&app.db)
            .await?
            .is_some()
        {
            continue;
        }
        let organisation = match org {
            None => None,
            Some((kind, name)) => Some(
                organisation::Entity::find()
                    .filter(organisation::Column::Kind.eq(kind.as_str()))
                    .filter(organisation::Column::Name.eq(name))
                    .one(&app.db)
                    .await?
                    .ok_or_else(|| Error::internal(format!("reference organisation {name} is missing")))?
                    .public_id,
            ),
        };
        let new = users::NewUser {
            username: Username::parse(username).expect("valid"),
            display_name: DisplayName::parse(display).expect("valid"),
            email: None,
            role,
            organisation,
            may_chair,
            password: password.clone(),
        };
        users::insert(app, None, "system (demo seed)", new).await?;
        created += 1;
    }
    Ok(created)
}
