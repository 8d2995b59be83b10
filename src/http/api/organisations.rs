use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use uuid::Uuid;

use crate::{
    error::Result,
    http::{extract::UnreadBody, problem::Problem},
    service::{
        Actor, App,
        organisation_admin::{self, NewOrganisation, OrganisationChanges},
        organisations::{self, OrganisationDetail, OrganisationFilter, OrganisationView, Page},
    },
};

/// List organisations, by name, filtered by kind and name; keyset-paginated.
#[utoipa::path(get, operation_id = "list_organisations", path = "/organisations", tag = "organisations", security(("bearer" = [])), params(OrganisationFilter),
    responses(
        (status = 200, body = Page<OrganisationView>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(app): State<App>,
    actor: Actor,
    Query(filter): Query<OrganisationFilter>,
) -> Result<Json<Page<OrganisationView>>> {
    Ok(Json(organisations::list(&app, &actor, filter).await?))
}

/// One organisation with its region memberships and accounthouderschap.
#[utoipa::path(get, operation_id = "get_organisation", path = "/organisations/{id}", tag = "organisations", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The organisation's id")),
    responses(
        (status = 200, body = OrganisationDetail),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(State(app): State<App>, actor: Actor, Path(id): Path<Uuid>) -> Result<Json<OrganisationDetail>> {
    Ok(Json(organisations::get(&app, &actor, id).await?))
}

/// Register an organisation (administrator).
#[utoipa::path(post, operation_id = "create_organisation", path = "/organisations", tag = "organisations", security(("bearer" = [])), request_body = NewOrganisation,
    responses(
        (status = 201, body = OrganisationDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Name or CBS code already in use", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(app): State<App>,
    actor: Actor,
    UnreadBody(new): UnreadBody<NewOrganisation>,
) -> Result<(StatusCode, Json<OrganisationDetail>)> {
    Ok((
        StatusCode::CREATED,
        Json(organisation_admin::create(&app, &actor, new).await?),
    ))
}

/// Change an organisation's name or CBS code (administrator). Its kind never changes.
#[utoipa::path(patch, operation_id = "update_organisation", path = "/organisations/{id}", tag = "organisations", security(("bearer" = [])), request_body = OrganisationChanges,
    params(("id" = Uuid, Path, description = "The organisation's id")),
    responses(
        (status = 200, body = OrganisationDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    UnreadBody(changes): UnreadBody<OrganisationChanges>,
) -> Result<Json<OrganisationDetail>> {
    Ok(Json(organisation_admin::update(&app, &actor, id, changes).await?))
}
