//! For the administrator: users (list, add, block and unblock, a new password), and what the
//! organisations' pages (`admin_organisations`) share with them. Every form goes to the same service as the API,
//! which also decides who may: anyone else gets the service's refusal as a page.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;

use super::{
    field::ShownField,
    forms::{self, Spec, field_errors, spec},
    nl,
    page::{Layout, PageError, render},
    session::{Signed, check_form},
};
use crate::{
    authz::{Action, Resource},
    domain::{OrganisationKind, Role},
    service::{
        App,
        credentials::{reset_password, set_disabled},
        input::Unread,
        organisations::{self, OrganisationFilter},
        users,
        web_sessions::WebSession,
    },
};

const USERS: &str = "/beheer/gebruikers";
pub(super) const ORGANISATIONS: &str = "/beheer/organisaties";

/// (link, name, role, organisation, blocked)
type UserRow = (String, String, &'static str, String, bool);

#[derive(Template)]
#[template(path = "beheer_gebruikers.html")]
struct UsersPage {
    layout: Layout,
    rows: Vec<UserRow>,
    next_cursor: Option<String>,
}

pub async fn users(
    State(app): State<App>,
    Signed(session): Signed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let page = users::list(&app, &session.actor, q.get("verder").map(String::as_str), Some(100)).await?;
    let rows = page
        .items
        .into_iter()
        .map(|u| {
            (
                format!("{USERS}/{}", u.id),
                format!("{} ({})", u.display_name, u.username),
                nl::role(u.role),
                u.organisation.map(|o| o.name).unwrap_or_default(),
                u.disabled,
            )
        })
        .collect();
    Ok(render(&UsersPage {
        layout: Layout::new(Some(&session), USERS),
        rows,
        next_cursor: page.next_cursor,
    }))
}

/// A page with one form: adding a user or an organisation.
#[derive(Template)]
#[template(path = "beheer_formulier.html")]
pub(super) struct FormPage {
    pub(super) layout: Layout,
    pub(super) title: &'static str,
    pub(super) action: String,
    pub(super) back: (String, &'static str),
    pub(super) button: &'static str,
    pub(super) fields: Vec<ShownField>,
    /// Always empty: these forms have no message beyond their fields' (the shared error
    /// summary asks for one).
    pub(super) problem: Option<String>,
}

impl FormPage {
    fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }
}

/// The organisations of `kinds` as a choice that may be left empty ("Geen" first).
pub(super) async fn organisation_options(
    app: &App,
    session: &WebSession,
    kinds: &[OrganisationKind],
) -> Result<Vec<(String, String)>, PageError> {
    let mut options = vec![(String::new(), "Geen".to_owned())];
    options.extend(organisation_choices(app, session, kinds).await?);
    Ok(options)
}

/// The organisations of `kinds`, kind by kind, each as (id, "name (kind)").
pub(super) async fn organisation_choices(
    app: &App,
    session: &WebSession,
    kinds: &[OrganisationKind],
) -> Result<Vec<(String, String)>, PageError> {
    let mut options = Vec::new();
    for kind in kinds {
        let page = organisations::list(
            app,
            &session.actor,
            OrganisationFilter {
                kind: Some(kind.as_str().to_owned()),
                limit: Some(organisations::MAX_PAGE),
                ..Default::default()
            },
        )
        .await?;
        options.extend(page.items.into_iter().map(|o| {
            (
                o.id.to_string(),
                format!("{} ({})", o.name, nl::organisation_kind(o.kind)),
            )
        }));
    }
    Ok(options)
}

async fn user_form(
    app: &App,
    session: &WebSession,
    form: &[(String, String)],
    errors: &[(String, String)],
) -> Result<FormPage, PageError> {
    let roles = Role::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), nl::role(*r).to_owned()))
        .collect();
    let specs: Vec<Spec> = vec![
        Spec {
            hint: Some("Kleine letters, cijfers, punt, streepje of liggend streepje."),
            ..spec("username", "Gebruikersnaam", "text", true)
        },
        spec("display_name", "Naam", "text", true),
        Spec {
            hint: Some("Voor berichten over termijnen en stappen."),
            ..spec("email", "E-mailadres", "text", false)
        },
        Spec {
            options: roles,
            ..spec("role", "Rol", "select", true)
        },
        Spec {
            hint: Some("Verplicht voor elke rol behalve beheerder; de soort organisatie moet bij de rol passen."),
            options: organisation_options(app, session, &OrganisationKind::ALL).await?,
            ..spec("organisation", "Organisatie", "select", false)
        },
        Spec {
            options: vec![(
                "true".into(),
                "Mag een zitting voorzitten en een uitspraak vaststellen".into(),
            )],
            ..spec(
                "may_chair",
                "Voorzitter (alleen voor commissieleden)",
                "checkboxes",
                false,
            )
        },
        Spec {
            hint: Some(
                "Ten minste 12 tekens. Geef het wachtwoord veilig door; de gebruiker kan het daarna zelf wijzigen.",
            ),
            ..spec("password", "Eerste wachtwoord", "password", true)
        },
    ];
    Ok(FormPage {
        layout: Layout::new(Some(session), USERS),
        title: "Nieuwe gebruiker",
        action: "/beheer/gebruikers/nieuw".into(),
        back: (USERS.into(), "Terug naar de gebruikers"),
        button: "Gebruiker toevoegen",
        fields: forms::shown(specs, form, errors),
        problem: None,
    })
}

pub(super) fn refused(page: &impl Template) -> Response {
    let mut res = render(page);
    *res.status_mut() = StatusCode::BAD_REQUEST;
    res
}

/// An empty form is the administrator's too: whoever may not list the users is refused it,
/// by the same policy as the API.
pub(super) async fn administrator_only(app: &App, session: &WebSession) -> Result<(), PageError> {
    Ok(app.authorize(&session.actor, Action::UserList, &Resource::Directory("users"))?)
}

pub async fn new_user(State(app): State<App>, Signed(session): Signed) -> Result<Response, PageError> {
    administrator_only(&app, &session).await?;
    Ok(render(&user_form(&app, &session, &[], &[]).await?))
}

pub async fn add_user(
    State(app): State<App>,
    Signed(session): Signed,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let body = forms::body(
        &form,
        &[
            "username",
            "display_name",
            "email",
            "role",
            "organisation",
            "may_chair",
            "password",
        ],
    );
    let created = users::create(&app, &session.actor, Unread::new(body)).await;
    match created {
        Ok(u) => Ok(Redirect::to(&format!("{USERS}/{}?gedaan=toegevoegd", u.id)).into_response()),
        Err(e) => Ok(refused(&user_form(&app, &session, &form, &field_errors(e)?).await?)),
    }
}

#[derive(Template)]
#[template(path = "beheer_gebruiker.html")]
struct UserPage {
    layout: Layout,
    user: users::UserView,
    role: &'static str,
    done: Option<&'static str>,
    password: Vec<ShownField>,
}

impl UserPage {
    fn has_errors(&self) -> bool {
        self.password.iter().any(|f| f.error.is_some())
    }
}

async fn user_page(
    app: &App,
    session: &WebSession,
    id: Uuid,
    done: Option<&'static str>,
    errors: &[(String, String)],
) -> Result<UserPage, PageError> {
    let user = users::get(app, &session.actor, id).await?;
    Ok(UserPage {
        layout: Layout::new(Some(session), USERS),
        role: nl::role(user.role),
        user,
        done,
        password: forms::shown(
            vec![Spec {
                hint: Some("Ten minste 12 tekens. Alle sessies en tokens van deze gebruiker vervallen."),
                ..spec("password", "Nieuw wachtwoord", "password", true)
            }],
            &[],
            errors,
        ),
    })
}

pub async fn user(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let done = match q.get("gedaan").map(String::as_str) {
        Some("toegevoegd") => Some("de gebruiker is toegevoegd"),
        Some("geblokkeerd") => Some("de gebruiker is geblokkeerd; alle sessies zijn beëindigd"),
        Some("vrijgegeven") => Some("de blokkade is opgeheven"),
        Some("wachtwoord") => Some("het wachtwoord is ingesteld"),
        _ => None,
    };
    Ok(render(&user_page(&app, &session, id, done, &[]).await?))
}

pub async fn block(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let blocked = forms::value(&form, "geblokkeerd") == Some("ja");
    set_disabled(&app, &session.actor, id, blocked).await?;
    let done = if blocked { "geblokkeerd" } else { "vrijgegeven" };
    Ok(Redirect::to(&format!("{USERS}/{id}?gedaan={done}")).into_response())
}

pub async fn password(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let result = reset_password(&app, &session.actor, id, Unread::new(forms::body(&form, &["password"]))).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{USERS}/{id}?gedaan=wachtwoord")).into_response()),
        Err(e) => Ok(refused(&user_page(&app, &session, id, None, &field_errors(e)?).await?)),
    }
}
