//! The second factor for password sign-in: enrolment by the person, reset by an
//! administrator (`service::second_factor`).

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
        input::{Fields, FromFields},
        second_factor::{self, Enrolment, RecoveryCodes},
    },
};

/// Start enrolling a second factor (TOTP): answers the `otpauth_uri` for an authenticator
/// app, the same as a QR code (SVG) and the secret to type in. Starting again replaces an
/// enrolment not yet confirmed.
#[utoipa::path(post, operation_id = "start_second_factor", path = "/me/second-factor", tag = "account", security(("bearer" = [])),
    responses(
        (status = 200, body = Enrolment),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A second factor is already in force", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn start(State(app): State<App>, actor: Actor) -> Result<Json<Enrolment>> {
    Ok(Json(second_factor::start(&app, &actor).await?))
}

/// A code from the authenticator app.
#[derive(Debug, utoipa::ToSchema)]
pub struct CodeInput {
    pub code: String,
}

impl FromFields for CodeInput {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        Some(CodeInput {
            code: f.required_raw("code")?,
        })
    }
}

/// Confirm the enrolment with a code from the app: the second factor is in force from now on,
/// and the answer holds ten one-time recovery codes, shown this once.
#[utoipa::path(post, operation_id = "confirm_second_factor", path = "/me/second-factor/confirm", tag = "account", security(("bearer" = [])),
    request_body = CodeInput,
    responses(
        (status = 200, body = RecoveryCodes),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in, or the code is not right", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No enrolment to confirm", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong codes; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn confirm(
    State(app): State<App>,
    actor: Actor,
    JsonObject(body): JsonObject,
) -> Result<Json<RecoveryCodes>> {
    let input = CodeInput::from_json(&body)?;
    Ok(Json(second_factor::confirm(&app, &actor, &input.code).await?))
}

/// Reset a person's second factor (an administrator): they sign in with their password and
/// enrol again. Audited.
#[utoipa::path(delete, operation_id = "reset_second_factor", path = "/users/{id}/second-factor", tag = "users", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The user's id")),
    responses(
        (status = 204, description = "Reset"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reset(State(app): State<App>, actor: Actor, Path(id): Path<Uuid>) -> Result<StatusCode> {
    second_factor::reset(&app, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
