//! Cases: list, file, read, the audit trail, and the procedural steps.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
};
use uuid::Uuid;

use super::case_bodies::{CaseChanges, StepBody};
use crate::{
    domain::procedure::StepName,
    error::{Error, Result},
    http::{
        extract::{Bearer, Body, JsonObject},
        problem::Problem,
    },
    service::{
        Actor, App,
        cases::{
            self,
            audit::AuditTrail,
            create::NewCase,
            list::CaseFilter,
            rulings::Correction,
            suspension::{Extension, NewSuspension},
            view::{CaseSummary, CaseView},
        },
        organisations::Page,
    },
};

fn with_etag(view: CaseView) -> (HeaderMap, Json<CaseView>) {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", view.version)) {
        headers.insert(header::ETAG, v);
    }
    (headers, Json(view))
}

/// The cases the caller may see, newest first; filterable and keyset-paginated.
#[utoipa::path(get, operation_id = "list_cases", path = "/cases", tag = "cases", security(("bearer" = [])), params(CaseFilter),
    responses(
        (status = 200, body = Page<CaseSummary>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The administrator sees no cases", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(app): State<App>,
    actor: Actor,
    Query(filter): Query<CaseFilter>,
) -> Result<Json<Page<CaseSummary>>> {
    Ok(Json(cases::list::list(&app, &actor, filter).await?))
}

/// File a dispute for the caller's organisation; it starts as a concept only the filer sees.
#[utoipa::path(post, operation_id = "create_case", path = "/cases", tag = "cases", security(("bearer" = [])), request_body = NewCase,
    responses(
        (status = 201, body = CaseView),
        (status = 400, description = "Invalid fields, or parties the reglement does not allow", body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(app): State<App>,
    actor: Actor,
    Body(new): Body<NewCase>,
) -> Result<(StatusCode, HeaderMap, Json<CaseView>)> {
    let (headers, body) = with_etag(cases::create::create(&app, &actor, new).await?);
    Ok((StatusCode::CREATED, headers, body))
}

/// One case, with its parties, facts and NvO flags, the steps the caller may take, and its
/// version (also as ETag).
#[utoipa::path(get, operation_id = "get_case", path = "/cases/{id}", tag = "cases", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, body = CaseView),
        (status = 404, description = "No such case, or not one the caller may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(app): State<App>,
    Bearer(token): Bearer,
    Path(id): Path<Uuid>,
) -> Result<(HeaderMap, Json<CaseView>)> {
    Ok(with_etag(cases::get_presented(&app, &token, id).await?))
}

/// Edit a concept (its filer only): `title`, `summary`, `respondents`, `facts`, and optionally
/// the `version` edited. Kind and domain stay; once filed, a case changes only by its steps.
#[utoipa::path(patch, operation_id = "update_case", path = "/cases/{id}", tag = "cases", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    request_body = CaseChanges,
    responses(
        (status = 200, body = CaseView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a concept any more, or changed meanwhile", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn edit(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    JsonObject(body): JsonObject,
) -> Result<(HeaderMap, Json<CaseView>)> {
    Ok(with_etag(cases::edit::edit(&app, &actor, id, &body).await?))
}

/// Take a procedural step. The body holds the step's own fields and, optionally, the
/// `version` the caller acted on.
#[utoipa::path(post, operation_id = "take_step", path = "/cases/{id}/steps/{step}", tag = "cases", security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The case's id"),
        ("step" = String, Path, description = "submit, request-completion, complete, admit, declare-inadmissible, assign-mediator, record-mediation-outcome, escalate, assign-commission, submit-defence, submit-reply, submit-rejoinder, waive-reply, waive-rejoinder, schedule-hearing, decide-without-hearing, record-hearing, adopt-ruling, withdraw, settle; which the caller may take now is the case's `available_steps`"),
    ),
    request_body = StepBody,
    responses(
        (status = 200, body = CaseView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller may not take this step", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in this phase, or the case changed meanwhile", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn step(
    State(app): State<App>,
    actor: Actor,
    Path((id, step)): Path<(Uuid, String)>,
    JsonObject(body): JsonObject,
) -> Result<(HeaderMap, Json<CaseView>)> {
    // The step's name is parsed once, here; an unknown one is no resource (404).
    let step = StepName::parse(&step).ok_or(Error::NotFound("step"))?;
    Ok(with_etag(cases::steps::take(&app, &actor, id, step, &body).await?))
}

/// The case's audit trail, with the hash chain checked.
#[utoipa::path(get, operation_id = "get_case_audit", path = "/cases/{id}/audit", tag = "cases", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, body = AuditTrail),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn audit(State(app): State<App>, actor: Actor, Path(id): Path<Uuid>) -> Result<Json<AuditTrail>> {
    Ok(Json(cases::audit::trail(&app, &actor, id).await?))
}

/// Correct an adopted ruling (the chair): a new ruling that points at the one it corrects.
#[utoipa::path(post, operation_id = "create_ruling_correction", path = "/cases/{id}/rulings/{ruling_id}/corrections", tag = "cases", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id"), ("ruling_id" = Uuid, Path, description = "The ruling corrected")),
    request_body = Correction,
    responses(
        (status = 201, body = CaseView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn correct_ruling(
    State(app): State<App>,
    actor: Actor,
    Path((id, ruling_id)): Path<(Uuid, Uuid)>,
    Body(correction): Body<Correction>,
) -> Result<(StatusCode, HeaderMap, Json<CaseView>)> {
    let (headers, body) = with_etag(cases::rulings::correct(&app, &actor, id, ruling_id, correction).await?);
    Ok((StatusCode::CREATED, headers, body))
}

/// Suspend the case (the secretary): `reason`, `legal_basis`, and `from` (default today).
#[utoipa::path(post, operation_id = "create_suspension", path = "/cases/{id}/suspensions", tag = "terms", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")), request_body = NewSuspension,
    responses(
        (status = 200, body = CaseView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn suspend(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Body(new): Body<NewSuspension>,
) -> Result<(HeaderMap, Json<CaseView>)> {
    Ok(with_etag(cases::suspension::suspend(&app, &actor, id, new).await?))
}

/// Resume a suspended case (the secretary); every running term moves by the days suspended.
#[utoipa::path(post, operation_id = "resume_case", path = "/cases/{id}/suspensions/resume", tag = "terms", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, body = CaseView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn resume(State(app): State<App>, actor: Actor, Path(id): Path<Uuid>) -> Result<(HeaderMap, Json<CaseView>)> {
    Ok(with_etag(cases::suspension::resume(&app, &actor, id).await?))
}

/// Extend a running term as the reglement allows (the secretary): `reason`, and
/// `parties_consent` where the reglement requires every party's consent.
#[utoipa::path(post, operation_id = "extend_term", path = "/cases/{id}/terms/{key}/extend", tag = "terms", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id"), ("key" = String, Path, description = "The term, e.g. verweer")),
    request_body = Extension,
    responses(
        (status = 200, body = CaseView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No (more) extension allowed, or consent missing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn extend(
    State(app): State<App>,
    actor: Actor,
    Path((id, key)): Path<(Uuid, String)>,
    Body(ext): Body<Extension>,
) -> Result<(HeaderMap, Json<CaseView>)> {
    Ok(with_etag(cases::suspension::extend(&app, &actor, id, &key, ext).await?))
}
