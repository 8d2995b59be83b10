//! The web application: server-rendered Dutch pages (askama templates in `templates/`) that
//! call the same service layer as the JSON API, work without JavaScript, and aim at WCAG 2.1
//! AA. Sessions live in the database, so a browser may land on any node.

mod account;
mod actions;
mod admin;
mod admin_links;
mod admin_organisations;
mod case_forms;
mod case_record;
mod cases;
mod challenge;
pub(crate) mod fact_forms;
mod facts;
mod federation;
mod field;
mod forms;
mod inbox;
mod new_case;
mod nl;
mod obligations;
mod overview;
mod own_account;
pub(crate) mod page;
mod public;
mod publication;
mod register;
mod ruling_document;
mod ruling_draft;
mod second_factor;
pub(crate) mod session;
mod sessions;
mod step_forms;
mod steps;

use axum::{
    Router,
    http::{HeaderValue, header},
    response::IntoResponse,
    routing::{get, post},
};

use crate::service::App;

const STYLESHEET: &str = include_str!("../../../templates/beslecht.css");
const SCRIPT: &str = include_str!("../../../templates/beslecht.js");

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        body,
    )
}

async fn stylesheet() -> impl IntoResponse {
    asset("text/css; charset=utf-8", STYLESHEET)
}

async fn script() -> impl IntoResponse {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

/// Whether an answer should be a Dutch page: a browser asking for HTML outside the API.
pub fn wants_page<B>(req: &axum::http::Request<B>) -> bool {
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    wants_html && !req.uri().path().starts_with("/api/")
}

/// An unknown path: a Dutch page for people, problem+json for the API and other clients.
pub async fn not_found(req: axum::extract::Request) -> axum::response::Response {
    if wants_page(&req) {
        page::PageError::not_found().into_response()
    } else {
        axum::http::StatusCode::NOT_FOUND.into_response()
    }
}

pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(public::index))
        .route("/static/beslecht.css", get(stylesheet))
        .route("/static/beslecht.js", get(script))
        .route("/inloggen", get(account::form).post(account::sign_in))
        // The contract's address of the sign-in form (../shared/api.md), beside the Dutch one.
        .route("/login", get(account::form).post(account::sign_in))
        .route("/inloggen/{provider}", get(federation::begin))
        .route("/inloggen/{provider}/terug", get(federation::back))
        .route(
            "/inloggen/{provider}/uitloggen",
            get(federation::front_channel).post(federation::back_channel),
        )
        .route("/uitloggen", post(account::sign_out))
        .route("/mijn-account/sessies", get(sessions::page))
        .route("/mijn-account/sessies/{id}/beeindigen", post(sessions::end_session))
        .route("/mijn-account/tokens/{id}/intrekken", post(sessions::revoke_token))
        .route("/sessie/verlengen", post(account::extend))
        .route("/mijn-account", get(own_account::show))
        .route(inbox::INBOX, get(inbox::inbox_page))
        .route("/meldingen/{id}/gelezen", post(inbox::mark_read))
        .route("/mijn-account/wachtwoord", post(own_account::change_password))
        .route("/mijn-account/agenda", post(own_account::calendar))
        .route(
            "/mijn-account/tweede-factor",
            get(second_factor::show).post(second_factor::start),
        )
        .route("/mijn-account/tweede-factor/bevestigen", post(second_factor::confirm))
        .route("/mijn-account/nevenfuncties", post(own_account::declare_affiliation))
        .route("/geschillen", get(overview::overview))
        .route("/geschillen/nieuw", get(new_case::form).post(new_case::file))
        .route("/geschillen/{id}", get(cases::case_page))
        .route(
            "/geschillen/{id}/handeling/{action}",
            get(actions::form).post(actions::take),
        )
        .route("/geschillen/{id}/concept-uitspraak", post(ruling_draft::save))
        .route("/geschillen/{id}/feiten", get(facts::form).post(facts::save))
        .route("/geschillen/{id}/stukken/{doc}", get(cases::document))
        // The ruling's form opens with the chair's saved draft; every other step's form is generic.
        .route(
            "/geschillen/{id}/stap/adopt-ruling",
            get(ruling_draft::adopt_page).post(steps::take_adopt),
        )
        .route("/geschillen/{id}/stap/{step}", get(steps::form).post(steps::take))
        .route("/geschillen/{id}/berichten", post(case_forms::message))
        // Uploads are limited per file while they stream, not by the body limit for forms.
        .route(
            "/geschillen/{id}/stukken",
            post(case_forms::document).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/beheer/gebruikers", get(admin::users))
        .route("/beheer/gebruikers/nieuw", get(admin::new_user).post(admin::add_user))
        .route("/beheer/gebruikers/{id}", get(admin::user))
        .route("/beheer/gebruikers/{id}/blokkeren", post(admin::block))
        .route("/beheer/gebruikers/{id}/wachtwoord", post(admin::password))
        .route("/beheer/organisaties", get(admin_organisations::organisations_page))
        .route(
            "/beheer/organisaties/nieuw",
            get(admin_organisations::new_organisation).post(admin_organisations::add_organisation),
        )
        .route("/beheer/organisaties/{id}", get(admin_links::organisation))
        .route(
            "/beheer/organisaties/{id}/wachtwoord",
            post(admin_links::password_sign_in),
        )
        .route(
            "/beheer/organisaties/{id}/lidmaatschap",
            get(admin_links::join_form).post(admin_links::join),
        )
        .route(
            "/beheer/organisaties/{id}/lidmaatschap/{membership}",
            get(admin_links::end_form).post(admin_links::end),
        )
        .route(
            "/beheer/organisaties/{id}/accounthouderschap",
            get(admin_links::accounthouder_form).post(admin_links::accounthouder),
        )
        .route("/uitspraken", get(register::list))
        .route("/uitspraken/feed.atom", get(register::feed))
        .route("/uitspraken/{number}", get(register::ruling))
        .route(
            "/uitspraken/controle",
            get(ruling_document::check_page)
                .post(ruling_document::check_file)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/geschillen/{id}/uitspraak", get(ruling_document::html))
        .route(
            "/geschillen/{id}/publicatie",
            get(publication::show).post(publication::prepare),
        )
        .route("/geschillen/{id}/publicatie/besluit", post(publication::decide))
        .route(
            "/geschillen/{id}/vernietiging",
            get(challenge::show).post(challenge::save),
        )
        .route("/geschillen/{id}/verplichtingen", get(obligations::list))
        .route(
            "/geschillen/{id}/verplichtingen/nieuw",
            get(obligations::new).post(obligations::record),
        )
        .route(
            "/geschillen/{id}/verplichtingen/{obligation}/nagekomen",
            get(obligations::report_form).post(obligations::report),
        )
        .route(
            "/geschillen/{id}/verplichtingen/{obligation}/vervallen",
            get(obligations::cancel_form).post(obligations::cancel),
        )
        .route("/geschillen/{id}/uitspraak.pdf", get(ruling_document::pdf))
        .route("/termijnberekening", get(public::calculator))
        .route("/toegankelijkheid", get(public::accessibility))
}
