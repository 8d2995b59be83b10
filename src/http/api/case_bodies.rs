//! The shapes of the bodies of `PATCH /cases/{id}` and `POST /cases/{id}/steps/{step}`, for
//! the OpenAPI document. The service reads them field by field (`service::cases::edit`,
//! `service::cases::step_input`), reporting every invalid field at once; these types only
//! describe them, so an integrator's generated client has a typed body.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The changes to a concept: any of these, and the `version` edited.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CaseChanges {
    #[schema(example = "Tarief gesloten jeugdhulp 2027")]
    title: Option<String>,
    summary: Option<String>,
    /// The respondents' organisation ids (replaces the list).
    respondents: Option<Vec<Uuid>>,
    /// The NvO facts for the kind of dispute (as in `POST /cases`).
    #[schema(value_type = Option<Object>)]
    facts: Option<serde_json::Value>,
    /// The case's version the change was made on; a stale one is refused with 409.
    version: Option<i32>,
}

/// The body of a step: the fields of the step named in the path (others are refused), and
/// optionally the `version` the caller acted on.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct StepBody {
    /// `admit`: `bemiddeling` or `commissie` (default: the reglement's way for the kind).
    path: Option<String>,
    /// `assign-mediator`: the mediator's user id.
    mediator: Option<Uuid>,
    /// `record-mediation-outcome`: `overeenstemming`, `deels` or `mislukt`; `adopt-ruling`:
    /// `gegrond`, `deels_gegrond`, `ongegrond` or `niet_ontvankelijk`.
    outcome: Option<String>,
    /// `record-mediation-outcome`, `record-hearing`: the report; `settle`: what was agreed.
    summary: Option<String>,
    /// `assign-commission`: the chair's user id.
    chair: Option<Uuid>,
    /// `assign-commission`: the members' user ids (not the chair).
    members: Option<Vec<Uuid>>,
    /// `submit-defence`, `submit-reply`, `submit-rejoinder`; `complete` (optional).
    statement: Option<String>,
    /// `schedule-hearing`: when, in the future.
    at: Option<DateTime<Utc>>,
    /// `schedule-hearing`: where.
    location: Option<String>,
    /// `request-completion`, `declare-inadmissible`, `withdraw` (required); `escalate`,
    /// `waive-reply`, `waive-rejoinder`, `decide-without-hearing`, `settle` (optional).
    reason: Option<String>,
    /// `decide-without-hearing`: must be `true` — every party agreed.
    parties_consent: Option<bool>,
    /// `adopt-ruling`: `bindend_advies` or `advies`.
    nature: Option<String>,
    /// `adopt-ruling`: the decision.
    dictum: Option<String>,
    /// `adopt-ruling`: the assessment (overwegingen).
    reasoning: Option<String>,
    /// `adopt-ruling`: who bears which costs.
    cost_allocation: Option<String>,
    /// The case's version the step was taken on; a stale one is refused with 409.
    version: Option<i32>,
}
