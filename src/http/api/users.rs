use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::{
    error::Result,
    http::{
        extract::{Body, UnreadBody},
        problem::Problem,
    },
    service::{
        Actor, App,
        credentials::{self, NewPassword},
        input::{Fields, FromFields},
        organisations::Page,
        users::{self, NewUser, UserView},
    },
};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListParams {
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
}

/// List user accounts by username (administrator).
#[utoipa::path(get, operation_id = "list_users", path = "/users", tag = "users", security(("bearer" = [])), params(UserListParams),
    responses((status = 200, body = Page<UserView>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(app): State<App>,
    actor: Actor,
    Query(p): Query<UserListParams>,
) -> Result<Json<Page<UserView>>> {
    Ok(Json(users::list(&app, &actor, p.cursor.as_deref(), p.limit).await?))
}

/// Create a user account (administrator).
#[utoipa::path(post, operation_id = "create_user", path = "/users", tag = "users", security(("bearer" = [])), request_body = NewUser,
    responses(
        (status = 201, body = UserView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Username taken", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(app): State<App>,
    actor: Actor,
    UnreadBody(new): UnreadBody<NewUser>,
) -> Result<(StatusCode, Json<UserView>)> {
    Ok((StatusCode::CREATED, Json(users::create(&app, &actor, new).await?)))
}

/// One user account (administrator).
#[utoipa::path(get, operation_id = "get_user", path = "/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, body = UserView), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(State(app): State<App>, actor: Actor, Path(id): Path<Uuid>) -> Result<Json<UserView>> {
    Ok(Json(users::get(&app, &actor, id).await?))
}

#[derive(utoipa::ToSchema)]
pub struct UserChanges {
    /// `true` disables the account and ends its tokens; `false` enables it again.
    pub disabled: bool,
}

impl FromFields for UserChanges {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        match f.optional_bool("disabled") {
            Ok(Some(disabled)) => Some(Self { disabled }),
            Ok(None) => {
                f.error("disabled", "is required", "Vul dit veld in.");
                None
            }
            Err(_) => None,
        }
    }
}

/// Disable or enable a user account (administrator).
#[utoipa::path(patch, operation_id = "update_user", path = "/users/{id}", tag = "users", security(("bearer" = [])), request_body = UserChanges,
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, body = UserView), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Body(changes): Body<UserChanges>,
) -> Result<Json<UserView>> {
    Ok(Json(
        credentials::set_disabled(&app, &actor, id, changes.disabled).await?,
    ))
}

/// Give a user a new password (administrator). Their tokens stop working.
#[utoipa::path(put, operation_id = "set_user_password", path = "/users/{id}/password", tag = "users", security(("bearer" = [])), request_body = NewPassword,
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 204, description = "Changed"), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn set_password(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    UnreadBody(new): UnreadBody<NewPassword>,
) -> Result<StatusCode> {
    credentials::reset_password(&app, &actor, id, new).await?;
    Ok(StatusCode::NO_CONTENT)
}
