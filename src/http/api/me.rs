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
#[utoipa::path(get, operation_id = "get_me", path = "/me", tag = "account", security(("bearer" = [])),
    responses(
        (status = 200, body = UserView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn me(State(app): State<App>, actor: Actor) -> Result<Json<UserView>> {
    Ok(Json(users::me(&app, &actor)?))
}

/// Change your own password. Every token issued before stops working; sign in again.
#[utoipa::path(post, operation_id = "change_own_password", path = "/me/password", tag = "account", security(("bearer" = [])), request_body = PasswordChange,
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

/// The caller's inbox: reminders and signals about terms, newest first.
#[utoipa::path(get, operation_id = "list_notifications", path = "/me/notifications", tag = "account", security(("bearer" = [])),
    params(crate::service::inbox::InboxFilter),
    responses(
        (status = 200, body = crate::service::organisations::Page<crate::service::inbox::NotificationView>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn notifications(
    axum::extract::State(app): axum::extract::State<crate::service::App>,
    actor: crate::service::Actor,
    axum::extract::Query(filter): axum::extract::Query<crate::service::inbox::InboxFilter>,
) -> crate::error::Result<axum::Json<crate::service::organisations::Page<crate::service::inbox::NotificationView>>> {
    Ok(axum::Json(crate::service::inbox::list(&app, &actor, filter).await?))
}

/// Mark one notification read.
#[utoipa::path(post, operation_id = "mark_notification_read", path = "/me/notifications/{id}/read", tag = "account", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "The notification's id")),
    responses(
        (status = 204, description = "Marked read"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn read_notification(
    axum::extract::State(app): axum::extract::State<crate::service::App>,
    actor: crate::service::Actor,
    axum::extract::Path(id): axum::extract::Path<uuid::Uuid>,
) -> crate::error::Result<axum::http::StatusCode> {
    crate::service::inbox::mark_read(&app, &actor, id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
