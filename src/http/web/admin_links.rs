//! For the administrator: one organisation with its links — the regions it is (or was) a
//! member of, a region's members, and the accounthouderschappen — and the forms that change
//! them, through the same service as the API (`region_links`), which decides and audits.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use serde_json::json;
use uuid::Uuid;

use super::{
    admin::{FormPage, ORGANISATIONS, administrator_only, organisation_choices, refused},
    fact_forms::iso_date,
    forms::{self, Spec, field_errors, spec},
    nl,
    page::{Layout, PageError, render},
    session::{Signed, check_form},
};
use crate::{
    domain::{OrganisationKind, nvo::nl_date},
    service::{
        App,
        input::Unread,
        organisations::{self, MembershipView, OrganisationDetail, OrganisationSummary},
        region_links,
        web_sessions::WebSession,
    },
};

/// (region or member, from, until, the address of the form that ends it)
type MembershipRow = (String, String, String, String);

#[derive(Template)]
#[template(path = "beheer_organisatie.html")]
struct OrganisationPage {
    layout: Layout,
    id: Uuid,
    name: String,
    kind: &'static str,
    cbs_code: Option<String>,
    /// Whether its people may sign in with a password.
    password_sign_in: bool,
    regions: Vec<MembershipRow>,
    members: Vec<MembershipRow>,
    /// (heading, the organisations) of the accounthouderschappen, where the kind has them.
    accounts: Option<(&'static str, Vec<String>)>,
    may_join: bool,
    may_be_accounthouder: bool,
    done: Option<&'static str>,
}

fn row(m: &MembershipView, other: &OrganisationSummary) -> MembershipRow {
    (
        format!("{} ({})", other.name, nl::organisation_kind(other.kind)),
        nl_date(m.start_date),
        m.end_date.map(nl_date).unwrap_or_else(|| "—".into()),
        format!("{ORGANISATIONS}/{}/lidmaatschap/{}", m.member.id, m.id),
    )
}

fn page(session: &WebSession, d: OrganisationDetail, done: Option<&'static str>) -> OrganisationPage {
    let o = &d.organisation;
    let id = o.id;
    let accounts = if o.kind == OrganisationKind::Jeugdregio {
        Some((
            "Accounthouder voor",
            d.accounthouder_for.iter().map(|p| p.name.clone()).collect(),
        ))
    } else if o.kind.is_provider() {
        Some((
            "Accounthoudende regio's",
            d.accounthouders.iter().map(|r| r.name.clone()).collect(),
        ))
    } else {
        None
    };
    OrganisationPage {
        layout: Layout::new(Some(session), ORGANISATIONS),
        id,
        name: o.name.clone(),
        kind: nl::organisation_kind(o.kind),
        cbs_code: o.cbs_code.clone(),
        password_sign_in: o.password_sign_in,
        regions: d.regions.iter().map(|m| row(m, &m.region)).collect(),
        members: d.members.iter().map(|m| row(m, &m.member)).collect(),
        accounts,
        may_join: OrganisationKind::ALL.iter().any(|r| o.kind.may_join(*r)),
        may_be_accounthouder: o.kind == OrganisationKind::Jeugdregio,
        done,
    }
}

pub async fn organisation(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    axum::extract::Query(q): axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    administrator_only(&app, &session).await?;
    let done = q.iter().find_map(|(k, _)| match k.as_str() {
        "lid" => Some("Het lidmaatschap is vastgelegd."),
        "einde" => Some("De einddatum van het lidmaatschap is vastgelegd."),
        "accounthouder" => Some("Het accounthouderschap is vastgelegd."),
        "wachtwoord" => Some("De manier van inloggen is vastgelegd."),
        _ => None,
    });
    Ok(render(&page(&session, organisations::detail_of(&app, id).await?, done)))
}

/// Which link form, for which organisation (and membership).
#[derive(Clone, Copy)]
enum LinkForm {
    Join,
    End(Uuid),
    Accounthouder,
}

impl LinkForm {
    fn path(self, id: Uuid) -> String {
        match self {
            LinkForm::Join => format!("{ORGANISATIONS}/{id}/lidmaatschap"),
            LinkForm::End(m) => format!("{ORGANISATIONS}/{id}/lidmaatschap/{m}"),
            LinkForm::Accounthouder => format!("{ORGANISATIONS}/{id}/accounthouderschap"),
        }
    }

    async fn page(
        self,
        app: &App,
        session: &WebSession,
        id: Uuid,
        form: &[(String, String)],
        errors: &[(String, String)],
    ) -> Result<FormPage, PageError> {
        administrator_only(app, session).await?;
        let org = organisations::detail_of(app, id).await?.organisation;
        let date = |name, label, required, hint| Spec {
            hint: Some(hint),
            ..spec(name, label, "date", required)
        };
        let (title, button, specs) = match self {
            LinkForm::Join => {
                let regions: Vec<OrganisationKind> = OrganisationKind::ALL
                    .iter()
                    .copied()
                    .filter(|r| org.kind.may_join(*r))
                    .collect();
                let options = organisation_choices(app, session, &regions).await?;
                (
                    "Lid maken van een regio",
                    "Lidmaatschap vastleggen",
                    vec![
                        Spec {
                            options,
                            ..spec("region", "Regio", "select", true)
                        },
                        date("start_date", "Lid vanaf", true, "Bijvoorbeeld 1-1-2027."),
                        date(
                            "end_date",
                            "Lid tot en met",
                            false,
                            "Leeg laten als het lidmaatschap doorloopt. Bijvoorbeeld 31-12-2027.",
                        ),
                    ],
                )
            }
            LinkForm::End(_) => (
                "Lidmaatschap beëindigen",
                "Einddatum vastleggen",
                vec![date(
                    "end_date",
                    "Lid tot en met",
                    false,
                    "De laatste dag van het lidmaatschap, bijvoorbeeld bij uittreding. Leeg laten maakt het weer doorlopend.",
                )],
            ),
            LinkForm::Accounthouder => {
                let providers: Vec<OrganisationKind> = OrganisationKind::ALL
                    .iter()
                    .copied()
                    .filter(|k| k.is_provider())
                    .collect();
                let options = organisation_choices(app, session, &providers).await?;
                (
                    "Accounthouder worden voor een aanbieder",
                    "Accounthouderschap vastleggen",
                    vec![Spec {
                        options,
                        ..spec("provider", "Aanbieder of GI", "select", true)
                    }],
                )
            }
        };
        Ok(FormPage {
            layout: Layout::new(Some(session), ORGANISATIONS),
            title,
            action: self.path(id),
            back: (format!("{ORGANISATIONS}/{id}"), "Terug naar de organisatie"),
            button,
            fields: forms::shown(specs, form, errors),
            problem: None,
        })
    }

    async fn save(
        self,
        app: &App,
        session: &WebSession,
        id: Uuid,
        form: &[(String, String)],
    ) -> crate::error::Result<()> {
        let mut body = forms::body(form, &["region", "provider"]);
        for d in ["start_date", "end_date"] {
            match forms::value(form, d).map(str::trim) {
                Some(v) if !v.is_empty() => body[d] = json!(iso_date(v)),
                Some(_) if matches!(self, LinkForm::End(_)) => body[d] = serde_json::Value::Null,
                _ => {}
            }
        }
        let actor = &session.actor;
        match self {
            LinkForm::Join => region_links::add_membership(app, actor, id, Unread::new(body)).await,
            LinkForm::End(m) => region_links::end_membership(app, actor, id, m, Unread::new(body)).await,
            LinkForm::Accounthouder => region_links::add_accounthouderschap(app, actor, id, Unread::new(body)).await,
        }
        .map(drop)
    }

    fn done(self) -> &'static str {
        match self {
            LinkForm::Join => "lid",
            LinkForm::End(_) => "einde",
            LinkForm::Accounthouder => "accounthouder",
        }
    }
}

async fn show(app: App, session: WebSession, id: Uuid, which: LinkForm) -> Result<Response, PageError> {
    Ok(render(&which.page(&app, &session, id, &[], &[]).await?))
}

async fn post(
    app: App,
    session: WebSession,
    id: Uuid,
    which: LinkForm,
    form: Vec<(String, String)>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    match which.save(&app, &session, id, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("{ORGANISATIONS}/{id}?{}", which.done())).into_response()),
        Err(e) => {
            let errors = match e {
                crate::error::Error::Conflict(_, nl) => vec![(
                    match which {
                        LinkForm::Accounthouder => "provider",
                        _ => "region",
                    }
                    .to_owned(),
                    nl,
                )],
                other => field_errors(other)?,
            };
            Ok(refused(&which.page(&app, &session, id, &form, &errors).await?))
        }
    }
}

pub async fn join_form(State(app): State<App>, Signed(s): Signed, Path(id): Path<Uuid>) -> Result<Response, PageError> {
    show(app, s, id, LinkForm::Join).await
}

pub async fn join(
    State(app): State<App>,
    Signed(s): Signed,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    post(app, s, id, LinkForm::Join, form).await
}

pub async fn end_form(
    State(app): State<App>,
    Signed(s): Signed,
    Path((id, m)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    show(app, s, id, LinkForm::End(m)).await
}

pub async fn end(
    State(app): State<App>,
    Signed(s): Signed,
    Path((id, m)): Path<(Uuid, Uuid)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    post(app, s, id, LinkForm::End(m), form).await
}

pub async fn accounthouder_form(
    State(app): State<App>,
    Signed(s): Signed,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    show(app, s, id, LinkForm::Accounthouder).await
}

pub async fn accounthouder(
    State(app): State<App>,
    Signed(s): Signed,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    post(app, s, id, LinkForm::Accounthouder, form).await
}

/// Switches the password form on or off for the organisation's people.
pub async fn password_sign_in(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    axum::Form(f): axum::Form<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    super::session::check_form(&session, f.get("csrf").map(String::as_str))?;
    let allowed = f.get("toestaan").map(String::as_str) == Some("ja");
    crate::service::organisation_admin::update(
        &app,
        &session.actor,
        id,
        Unread::new(serde_json::json!({ "password_sign_in": allowed })),
    )
    .await?;
    Ok(axum::response::Redirect::to(&format!("{ORGANISATIONS}/{id}?wachtwoord")).into_response())
}
