//! What runs alongside a case's steps: mediation sessions and the release of their notes,
//! correspondence, a person's declared affiliations (for conflict checks), and the chair's
//! draft of the ruling.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde_json::Value;
use uuid::Uuid;

use crate::{
    error::Result,
    http::{extract::Body, problem::Problem},
    service::{
        Actor, App,
        cases::{
            affiliations::{self, AffiliationView, NewAffiliation},
            mediation::{self, NewSession, SessionView},
            messages::{self, MessageView, NewMessage},
            ruling_draft::{self, DraftInput, DraftView},
        },
    },
};

/// Record a mediation session (the assigned mediator, during mediation).
#[utoipa::path(post, operation_id = "create_mediation_session", path = "/cases/{id}/mediation/sessions", tag = "mediation", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")), request_body = NewSession,
    responses(
        (status = 201, body = SessionView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn record_session(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Body(new): Body<NewSession>,
) -> Result<(StatusCode, Json<SessionView>)> {
    Ok((
        StatusCode::CREATED,
        Json(mediation::record_session(&app, &actor, id, new).await?),
    ))
}

/// The mediation sessions with their notes: for the mediator and the parties, and for the
/// secretary and the commission once every party has released them.
#[utoipa::path(get, operation_id = "list_mediation_sessions", path = "/cases/{id}/mediation/sessions", tag = "mediation", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, body = Vec<SessionView>),
        (status = 403, description = "Not released by every party", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn sessions(State(app): State<App>, actor: Actor, Path(id): Path<Uuid>) -> Result<Json<Vec<SessionView>>> {
    Ok(Json(mediation::sessions(&app, &actor, id).await?))
}

/// Release the mediation notes to the commission, for the caller's organisation (a party).
#[utoipa::path(post, operation_id = "release_mediation_notes", path = "/cases/{id}/mediation/release", tag = "mediation", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, description = "`released`, and whether all parties have", body = Object),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn release(State(app): State<App>, actor: Actor, Path(id): Path<Uuid>) -> Result<Json<Value>> {
    Ok(Json(mediation::release(&app, &actor, id).await?))
}

/// The case's correspondence, oldest first.
#[utoipa::path(get, operation_id = "list_messages", path = "/cases/{id}/messages", tag = "correspondence", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, body = Vec<MessageView>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn messages(State(app): State<App>, actor: Actor, Path(id): Path<Uuid>) -> Result<Json<Vec<MessageView>>> {
    Ok(Json(messages::list(&app, &actor, id).await?))
}

/// Send a message in the case (a party or the secretary).
#[utoipa::path(post, operation_id = "create_message", path = "/cases/{id}/messages", tag = "correspondence", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")), request_body = NewMessage,
    responses(
        (status = 201, body = MessageView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn send_message(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Body(new): Body<NewMessage>,
) -> Result<(StatusCode, Json<MessageView>)> {
    Ok((StatusCode::CREATED, Json(messages::send(&app, &actor, id, new).await?)))
}

/// The organisations the caller declared ties with.
#[utoipa::path(get, operation_id = "list_affiliations", path = "/me/affiliations", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Vec<AffiliationView>)))]
pub async fn affiliations(State(app): State<App>, actor: Actor) -> Result<Json<Vec<AffiliationView>>> {
    Ok(Json(affiliations::list(&app, &actor).await?))
}

/// Declare a tie with an organisation; assignments to its cases are then refused.
#[utoipa::path(post, operation_id = "create_affiliation", path = "/me/affiliations", tag = "account", security(("bearer" = [])), request_body = NewAffiliation,
    responses(
        (status = 201, body = Vec<AffiliationView>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn declare_affiliation(
    State(app): State<App>,
    actor: Actor,
    Body(new): Body<NewAffiliation>,
) -> Result<(StatusCode, Json<Vec<AffiliationView>>)> {
    Ok((
        StatusCode::CREATED,
        Json(affiliations::declare(&app, &actor, new).await?),
    ))
}

/// The chair's draft of the ruling (the commission and the secretary); `null` until saved.
#[utoipa::path(get, operation_id = "get_ruling_draft", path = "/cases/{id}/ruling-draft", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, body = Option<DraftView>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn ruling_draft(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> Result<Json<Option<DraftView>>> {
    Ok(Json(ruling_draft::get(&app, &actor, id).await?))
}

/// Save the draft of the ruling, replacing the previous one (the chair, while the commission
/// handles the case). Every field may still be open; adopting is the `adopt-ruling` step.
#[utoipa::path(put, operation_id = "save_ruling_draft", path = "/cases/{id}/ruling-draft", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")), request_body = DraftInput,
    responses(
        (status = 200, body = DraftView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn save_ruling_draft(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Body(input): Body<DraftInput>,
) -> Result<Json<Option<DraftView>>> {
    Ok(Json(ruling_draft::save(&app, &actor, id, input).await?))
}
