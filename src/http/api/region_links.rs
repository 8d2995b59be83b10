use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use uuid::Uuid;

use crate::{
    error::Result,
    http::{extract::UnreadBody, problem::Problem},
    service::{
        Actor, App,
        organisations::OrganisationDetail,
        region_links::{self, MembershipEnd, NewAccounthouderschap, NewMembership},
    },
};

/// Record that a municipality (or sub-region) is a member of a region from a date (administrator).
#[utoipa::path(post, operation_id = "create_membership", path = "/organisations/{id}/memberships", tag = "organisations", security(("bearer" = [])), request_body = NewMembership,
    params(("id" = Uuid, Path, description = "The member organisation's id")),
    responses(
        (status = 201, body = OrganisationDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Overlaps an existing membership", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_membership(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    UnreadBody(new): UnreadBody<NewMembership>,
) -> Result<(StatusCode, Json<OrganisationDetail>)> {
    Ok((
        StatusCode::CREATED,
        Json(region_links::add_membership(&app, &actor, id, new).await?),
    ))
}

/// Set or clear the end date of a membership, e.g. when a municipality leaves its region (administrator).
#[utoipa::path(patch, operation_id = "update_membership", path = "/organisations/{id}/memberships/{membership}", tag = "organisations", security(("bearer" = [])), request_body = MembershipEnd,
    params(("id" = Uuid, Path, description = "The member organisation's id"), ("membership" = Uuid, Path, description = "The membership's id")),
    responses(
        (status = 200, body = OrganisationDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Would overlap another membership", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn end_membership(
    State(app): State<App>,
    actor: Actor,
    Path((id, membership)): Path<(Uuid, Uuid)>,
    UnreadBody(end): UnreadBody<MembershipEnd>,
) -> Result<Json<OrganisationDetail>> {
    Ok(Json(
        region_links::end_membership(&app, &actor, id, membership, end).await?,
    ))
}

/// Record that a jeugdregio is accounthouder for a provider or GI (administrator).
#[utoipa::path(post, operation_id = "create_accounthouderschap", path = "/organisations/{id}/accounthouderschappen", tag = "organisations", security(("bearer" = [])), request_body = NewAccounthouderschap,
    params(("id" = Uuid, Path, description = "The jeugdregio's id")),
    responses(
        (status = 201, body = OrganisationDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already recorded, or not a jeugdregio", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_accounthouderschap(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    UnreadBody(new): UnreadBody<NewAccounthouderschap>,
) -> Result<(StatusCode, Json<OrganisationDetail>)> {
    Ok((
        StatusCode::CREATED,
        Json(region_links::add_accounthouderschap(&app, &actor, id, new).await?),
    ))
}
