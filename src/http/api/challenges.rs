//! A ruling challenged in court (vernietiging, art. 7:904 BW): recorded by the secretary,
//! shown on the ruling's public page.

use axum::{
    Json,
    extract::{Path, State},
};
use uuid::Uuid;

use crate::{
    error::{Error, Result},
    http::{extract::JsonObject, problem::Problem},
    service::{
        Actor, App,
        input::FromFields,
        register::challenge::{self, ChallengeInput, ChallengeView},
    },
};

/// Record (or bring up to date) the court challenge of the case's ruling (the secretary).
#[utoipa::path(put, operation_id = "record_challenge", path = "/cases/{id}/challenge", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    request_body(content = ChallengeInput),
    responses(
        (status = 200, body = ChallengeView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No adopted ruling to challenge", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn record(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    JsonObject(body): JsonObject,
) -> Result<Json<ChallengeView>> {
    let input = ChallengeInput::from_json(&body)?;
    Ok(Json(challenge::record(&app, &actor, id, input).await?))
}

/// The court challenge of the case's ruling as recorded (the secretary; 404 before one is).
#[utoipa::path(get, operation_id = "get_challenge", path = "/cases/{id}/challenge", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, body = ChallengeView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(State(app): State<App>, actor: Actor, Path(id): Path<Uuid>) -> Result<Json<ChallengeView>> {
    let (view, _) = challenge::get(&app, &actor, id)
        .await?
        .ok_or(Error::NotFound("court challenge"))?;
    Ok(Json(view))
}
