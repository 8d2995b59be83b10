//! What a ruling orders: recorded by the secretary, reported done by the side it binds, each
//! running as a term of the case.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use uuid::Uuid;

use crate::{
    error::Result,
    http::{extract::JsonObject, problem::Problem},
    service::{
        Actor, App,
        input::FromFields,
        rulings::obligations::{
            self, CancelInput, FulfilmentInput, ObligationInput, ObligationRequest, ObligationView,
        },
    },
};

/// The obligations of the case's ruling, in the order they were recorded.
#[utoipa::path(get, operation_id = "list_obligations", path = "/cases/{id}/obligations", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, body = Vec<ObligationView>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(State(app): State<App>, actor: Actor, Path(id): Path<Uuid>) -> Result<Json<Vec<ObligationView>>> {
    Ok(Json(obligations::list(&app, &actor, id).await?))
}

/// Record an obligation of the adopted ruling (the secretary): who, what, and by when — the
/// date the ruling names (`due_on`) or a term from the ruling's date (`within`).
#[utoipa::path(post, operation_id = "record_obligation", path = "/cases/{id}/obligations", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    request_body(content = ObligationRequest),
    responses(
        (status = 201, body = ObligationView),
        (status = 400, description = "Invalid, or without a last day", body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No adopted ruling", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn record(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    JsonObject(body): JsonObject,
) -> Result<(StatusCode, Json<ObligationView>)> {
    let input = ObligationInput::from_json(&body)?;
    Ok((
        StatusCode::CREATED,
        Json(obligations::record(&app, &actor, id, input).await?),
    ))
}

/// One obligation.
#[utoipa::path(get, operation_id = "get_obligation", path = "/cases/{id}/obligations/{obligation}", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id"), ("obligation" = Uuid, Path)),
    responses(
        (status = 200, body = ObligationView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(app): State<App>,
    actor: Actor,
    Path((id, obligation)): Path<(Uuid, Uuid)>,
) -> Result<Json<ObligationView>> {
    Ok(Json(obligations::one(&app, &actor, id, obligation).await?))
}

/// Report the obligation done (the side it binds, or the secretary): the day and a note.
#[utoipa::path(post, operation_id = "report_obligation", path = "/cases/{id}/obligations/{obligation}/fulfilment", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id"), ("obligation" = Uuid, Path)),
    request_body(content = FulfilmentInput),
    responses(
        (status = 200, body = ObligationView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already reported or cancelled", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn report(
    State(app): State<App>,
    actor: Actor,
    Path((id, obligation)): Path<(Uuid, Uuid)>,
    JsonObject(body): JsonObject,
) -> Result<Json<ObligationView>> {
    let input = FulfilmentInput::from_json(&body)?;
    Ok(Json(obligations::report(&app, &actor, id, obligation, input).await?))
}

/// Cancel an obligation recorded in error (the secretary), with the reason; it stays on file.
#[utoipa::path(post, operation_id = "cancel_obligation", path = "/cases/{id}/obligations/{obligation}/cancellation", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id"), ("obligation" = Uuid, Path)),
    request_body(content = CancelInput),
    responses(
        (status = 200, body = ObligationView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already reported or cancelled", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel(
    State(app): State<App>,
    actor: Actor,
    Path((id, obligation)): Path<(Uuid, Uuid)>,
    JsonObject(body): JsonObject,
) -> Result<Json<ObligationView>> {
    let input = CancelInput::from_json(&body)?;
    Ok(Json(
        obligations::cancel(&app, &actor, id, obligation, input.reason).await?,
    ))
}
