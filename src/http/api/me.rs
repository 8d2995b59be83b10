use axum::{Json, extract::State, http::StatusCode};

use crate::{
    error::Result,
    http::{extract::Body, problem::Problem},
    service::{
        Actor, App,
        credentials::{self, PasswordChange},
        users::{self, UserView},
    },
};

/// Who am I: the signed-in user, their role and organisation.
#[utoipa::path(get, path = "/me", tag = "account", security(("bearer" = [])),
    responses(
        (status = 200, body = UserView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn me(State(app): State<App>, actor: Actor) -> Result<Json<UserView>> {
    Ok(Json(users::me(&app, &actor)?))
}

/// Change your own password. Every token issued before stops working; sign in again.
#[utoipa::path(post, path = "/me/password", tag = "account", security(("bearer" = [])), request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn change_password(
    State(app): State<App>,
    actor: Actor,
    Body(change): Body<PasswordChange>,
) -> Result<StatusCode> {
    credentials::change_own_password(&app, &actor, change).await?;
    Ok(StatusCode::NO_CONTENT)
}
