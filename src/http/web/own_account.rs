//! Everyone's own account: who they are in Beslecht, changing their own password (which
//! ends their other sessions and tokens, as through the API), the calendar link, and for the
//! people the secretary assigns to cases (mediators, commission members) their declared
//! affiliations, which the conflict check reads.

use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};

use super::{
    admin::organisation_choices,
    field::ShownField,
    forms::{self, Spec, field_errors, spec},
    nl,
    page::{Layout, PageError, render},
    session::{Signed, check_form},
};
use crate::domain::OrganisationKind;
use crate::service::{
    App, calendar_feed,
    cases::{
        affiliations::{self, NewAffiliation},
        assignable,
    },
    credentials::{PasswordChange, change_own_password},
    input::FromFields,
    web_sessions::WebSession,
};

#[derive(Template)]
#[template(path = "mijn_account.html")]
struct AccountPage {
    layout: Layout,
    name: String,
    username: String,
    role: &'static str,
    organisation: Option<String>,
    /// The password form's fields.
    password: Vec<ShownField>,
    /// The fields of the form that was refused, for the error summary at the top.
    fields: Vec<ShownField>,
    affiliations: Option<Affiliations>,
    /// Always empty (the shared error summary asks for it).
    problem: Option<String>,
    done: bool,
    /// Just made: the full address of the person's new calendar feed (shown once: only its
    /// hash is kept).
    feed: Option<String>,
}

/// The declared affiliations, and the form to declare one.
struct Affiliations {
    /// (organisation, what the tie is, declared on)
    declared: Vec<(String, String, String)>,
    fields: Vec<ShownField>,
    done: bool,
}

impl Affiliations {
    fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }
}

impl AccountPage {
    fn password_has_errors(&self) -> bool {
        self.password.iter().any(|f| f.error.is_some())
    }

    fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }
}

/// Which form was posted and refused, with what was typed and why.
enum Refused<'a> {
    None,
    Password(&'a [(String, String)]),
    Affiliation(&'a [(String, String)], &'a [(String, String)]),
}

async fn page(app: &App, session: &WebSession, refused: Refused<'_>, done: bool) -> Result<AccountPage, PageError> {
    let a = &session.actor;
    let none: &[(String, String)] = &[];
    let password = forms::shown(
        vec![
            Spec {
                hint: None,
                ..spec("current_password", "Huidig wachtwoord", "password", true)
            },
            Spec {
                hint: Some("Ten minste 12 tekens. Een zin van een paar woorden is sterk en goed te onthouden."),
                ..spec("new_password", "Nieuw wachtwoord", "password", true)
            },
        ],
        none,
        match refused {
            Refused::Password(errors) => errors,
            _ => none,
        },
    );
    let affiliations = if assignable::ROLES.contains(&a.role) {
        let declared = affiliations::list(app, a)
            .await?
            .into_iter()
            .map(|d| (d.organisation_name, d.description, nl::moment(&d.declared_at)))
            .collect();
        let organisations = organisation_choices(app, session, &OrganisationKind::ALL).await?;
        let (typed, errors) = match refused {
            Refused::Affiliation(typed, errors) => (typed, errors),
            _ => (none, none),
        };
        Some(Affiliations {
            declared,
            fields: forms::shown(
                vec![
                    Spec {
                        options: organisations,
                        ..spec("organisation", "Organisatie", "select", true)
                    },
                    Spec {
                        hint: Some(
                            "Bijvoorbeeld: lid van de raad van toezicht tot 2025, of: tot 2024 in dienst als beleidsadviseur.",
                        ),
                        ..spec("description", "Wat is uw band met deze organisatie?", "textarea", true)
                    },
                ],
                typed,
                errors,
            ),
            done: false,
        })
    } else {
        None
    };
    let fields = match refused {
        Refused::Password(_) => password.clone(),
        Refused::Affiliation(..) => affiliations.as_ref().map(|x| x.fields.clone()).unwrap_or_default(),
        Refused::None => Vec::new(),
    };
    Ok(AccountPage {
        layout: Layout::new(Some(session), "/mijn-account"),
        name: a.display_name.clone(),
        username: a.username.clone(),
        role: nl::role(a.role),
        organisation: a.organisation.as_ref().map(|o| o.name.clone()),
        password,
        fields,
        affiliations,
        problem: None,
        done,
        feed: None,
    })
}

pub async fn show(
    State(app): State<App>,
    Signed(session): Signed,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut shown = page(&app, &session, Refused::None, q.iter().any(|(k, _)| k == "gewijzigd")).await?;
    if let Some(a) = shown.affiliations.as_mut() {
        a.done = q.iter().any(|(k, _)| k == "nevenfunctie");
    }
    Ok(render(&shown))
}

/// "Nevenfunctie opgeven": declares a tie to an organisation (never taken back, so that a
/// conflict cannot be hidden), as `POST /api/v1/me/affiliations`.
pub async fn declare_affiliation(
    State(app): State<App>,
    Signed(session): Signed,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let declared = match NewAffiliation::from_json(&forms::body(&form, &["organisation", "description"])) {
        Ok(new) => affiliations::declare(&app, &session.actor, new).await.map(drop),
        Err(e) => Err(e),
    };
    let errors = match declared {
        Ok(()) => return Ok(Redirect::to("/mijn-account?nevenfunctie#nevenfuncties").into_response()),
        Err(e) => field_errors(e)?,
    };
    let mut res = render(&page(&app, &session, Refused::Affiliation(&form, &errors), false).await?);
    *res.status_mut() = StatusCode::BAD_REQUEST;
    Ok(res)
}

/// "Agendakoppeling maken": a new private calendar feed (the previous address stops
/// working), shown once on the account page.
pub async fn calendar(
    State(app): State<App>,
    Signed(session): Signed,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let link = calendar_feed::create(&app, &session.actor).await?;
    let mut shown = page(&app, &session, Refused::None, false).await?;
    shown.feed = Some(format!("{}{}", app.config.public_url.trim_end_matches('/'), link.path));
    Ok(render(&shown))
}

pub async fn change_password(
    State(app): State<App>,
    Signed(session): Signed,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let changed = match PasswordChange::from_json(&forms::body(&form, &["current_password", "new_password"])) {
        Ok(change) => change_own_password(&app, &session.actor, change).await,
        Err(e) => Err(e),
    };
    let errors = match changed {
        // The change ended every session, this one too: sign in again with the new password.
        Ok(()) => return Ok(Redirect::to("/inloggen?terug=%2Fmijn-account%3Fgewijzigd").into_response()),
        Err(e) => field_errors(e)?,
    };
    let mut res = render(&page(&app, &session, Refused::Password(&errors), false).await?);
    *res.status_mut() = StatusCode::BAD_REQUEST;
    Ok(res)
}
