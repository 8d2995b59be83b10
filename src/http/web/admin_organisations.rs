//! For the administrator: organisations, listed with filters by name and kind, and added
//! through the same service as the API.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    admin::{FormPage, ORGANISATIONS, administrator_only, organisation_options, refused},
    forms::{self, Spec, field_errors, spec},
    nl,
    page::{Layout, PageError, render},
    session::{Signed, check_form},
};
use crate::{
    domain::OrganisationKind,
    service::{
        App,
        input::Unread,
        organisation_admin,
        organisations::{self, OrganisationFilter},
        web_sessions::WebSession,
    },
};

/// (id, name, kind, CBS code)
type OrganisationRow = (uuid::Uuid, String, &'static str, String);

#[derive(Template)]
#[template(path = "beheer_organisaties.html")]
struct OrganisationsPage {
    layout: Layout,
    name: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    rows: Vec<OrganisationRow>,
    next: Option<String>,
}

pub async fn organisations_page(
    State(app): State<App>,
    Signed(session): Signed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (name, kind) = (
        q.get("naam").cloned().unwrap_or_default(),
        q.get("soort").cloned().unwrap_or_default(),
    );
    let filter = OrganisationFilter {
        name: Some(name.clone()).filter(|n| !n.trim().is_empty()),
        kind: Some(kind.clone()).filter(|k| !k.is_empty()),
        cursor: q.get("verder").cloned(),
        limit: Some(100),
    };
    let page = organisations::list(&app, &session.actor, filter).await?;
    let next = page.next_cursor.map(|c| {
        let query = forms::query(&[("naam", &name), ("soort", &kind), ("verder", &c)]);
        format!("{ORGANISATIONS}?{query}")
    });
    Ok(render(&OrganisationsPage {
        layout: Layout::new(Some(&session), ORGANISATIONS),
        rows: page
            .items
            .into_iter()
            .map(|o| {
                (
                    o.id,
                    o.name,
                    nl::organisation_kind(o.kind),
                    o.cbs_code.unwrap_or_default(),
                )
            })
            .collect(),
        kinds: OrganisationKind::ALL
            .iter()
            .map(|k| (k.as_str(), nl::organisation_kind(*k)))
            .collect(),
        name,
        kind,
        next,
    }))
}

async fn organisation_form(
    app: &App,
    session: &WebSession,
    form: &[(String, String)],
    errors: &[(String, String)],
) -> Result<FormPage, PageError> {
    let kinds = OrganisationKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), nl::organisation_kind(*k).to_owned()))
        .collect();
    let specs = vec![
        spec("name", "Naam", "text", true),
        Spec {
            options: kinds,
            ..spec("kind", "Soort organisatie", "select", true)
        },
        Spec {
            hint: Some("Alleen voor gemeenten, zoals GM0981."),
            ..spec("cbs_code", "CBS-code", "text", false)
        },
        Spec {
            hint: Some("Alleen voor een subregio: de jeugdregio waar zij bij hoort."),
            options: organisation_options(app, session, &[OrganisationKind::Jeugdregio]).await?,
            ..spec("parent", "Jeugdregio", "select", false)
        },
    ];
    Ok(FormPage {
        layout: Layout::new(Some(session), ORGANISATIONS),
        title: "Nieuwe organisatie",
        action: "/beheer/organisaties/nieuw".into(),
        back: (ORGANISATIONS.into(), "Terug naar de organisaties"),
        button: "Organisatie toevoegen",
        fields: forms::shown(specs, form, errors),
        problem: None,
    })
}

pub async fn new_organisation(State(app): State<App>, Signed(session): Signed) -> Result<Response, PageError> {
    administrator_only(&app, &session).await?;
    Ok(render(&organisation_form(&app, &session, &[], &[]).await?))
}

pub async fn add_organisation(
    State(app): State<App>,
    Signed(session): Signed,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let body = forms::body(&form, &["name", "kind", "cbs_code", "parent"]);
    let created = organisation_admin::create(&app, &session.actor, Unread::new(body)).await;
    match created {
        Ok(o) => {
            let query = forms::query(&[("naam", &o.organisation.name)]);
            Ok(Redirect::to(&format!("{ORGANISATIONS}?{query}")).into_response())
        }
        Err(e) => Ok(refused(
            &organisation_form(&app, &session, &form, &field_errors(e)?).await?,
        )),
    }
}
