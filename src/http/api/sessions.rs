//! One's own sessions and tokens in the API: the same list and the same ending as the page
//! `/mijn-account/sessies` (`service::sessions`).

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use uuid::Uuid;

use crate::{
    error::Result,
    http::problem::Problem,
    service::{
        Actor, App,
        sessions::{self, Sessions},
    },
};

/// Your own web sessions and API tokens that have not ended, newest first.
#[utoipa::path(get, operation_id = "list_own_sessions", path = "/me/sessions", tag = "account", security(("bearer" = [])),
    responses(
        (status = 200, body = Sessions),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(State(app): State<App>, actor: Actor) -> Result<Json<Sessions>> {
    Ok(Json(sessions::list(&app, &actor, sessions::Current::default()).await?))
}

/// End one of your own web sessions, on every node.
#[utoipa::path(delete, operation_id = "end_own_session", path = "/me/sessions/{id}", tag = "account", security(("bearer" = [])),
    params(("id" = String, Path, description = "The session's id, as listed")),
    responses(
        (status = 204, description = "Ended"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn end(State(app): State<App>, actor: Actor, Path(id): Path<String>) -> Result<StatusCode> {
    sessions::end_session(&app, &actor, &id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// End one of your own API tokens (this one too, if you name it).
#[utoipa::path(delete, operation_id = "revoke_own_token", path = "/me/tokens/{id}", tag = "account", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The token's id, as listed")),
    responses(
        (status = 204, description = "Ended"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke(State(app): State<App>, actor: Actor, Path(id): Path<Uuid>) -> Result<StatusCode> {
    sessions::revoke_token(&app, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
