//! The body of each procedural step (`POST /api/v1/cases/{id}/steps/{step}`), read with every
//! invalid field reported at once. Every step also takes an optional `version`: the case's
//! version the caller acted on; an out-of-date one is refused with 409 and changes nothing.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    domain::{
        Location, Prose, Reason,
        procedure::{MediationOutcome, Path, Step, StepName},
    },
    error::{Error, Result},
    service::input::{Fields, Reported},
};

pub const RULING_OUTCOMES: [&str; 4] = ["gegrond", "deels_gegrond", "ongegrond", "niet_ontvankelijk"];
pub const RULING_NATURES: [&str; 2] = ["bindend_advies", "advies"];
const OUTCOMES: [&str; 3] = ["overeenstemming", "deels", "mislukt"];
const PATHS: [&str; 2] = ["bemiddeling", "commissie"];
/// The commission sits with a chair and at most this many members besides.
pub const MAX_MEMBERS: usize = 6;

#[derive(Debug, Clone)]
pub struct Ruling {
    pub outcome: String,
    pub nature: String,
    pub dictum: String,
    pub reasoning: String,
    pub cost_allocation: Option<String>,
}

#[derive(Debug, Clone)]
pub enum StepInput {
    Submit,
    RequestCompletion {
        reason: String,
    },
    Complete {
        statement: Option<String>,
    },
    /// `None`: the reglement's default path for this kind of dispute.
    Admit {
        path: Option<Path>,
    },
    DeclareInadmissible {
        reason: String,
    },
    AssignMediator {
        mediator: Uuid,
    },
    RecordMediationOutcome {
        outcome: MediationOutcome,
        summary: String,
    },
    Escalate {
        reason: Option<String>,
    },
    AssignCommission {
        chair: Uuid,
        members: Vec<Uuid>,
    },
    SubmitDefence {
        statement: String,
    },
    SubmitReply {
        statement: String,
    },
    SubmitRejoinder {
        statement: String,
    },
    WaiveReply {
        reason: Option<String>,
    },
    WaiveRejoinder {
        reason: Option<String>,
    },
    /// Every party agreed to a decision without a hearing (must be `true`).
    DecideWithoutHearing {
        reason: Option<String>,
    },
    ScheduleHearing {
        at: DateTime<Utc>,
        location: String,
    },
    RecordHearing {
        summary: String,
    },
    AdoptRuling(Ruling),
    Withdraw {
        reason: String,
    },
    Settle {
        summary: Option<String>,
        reason: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct StepRequest {
    pub input: StepInput,
    pub version: Option<i32>,
}

fn path(s: &str) -> Option<Path> {
    match s {
        "bemiddeling" => Some(Path::Bemiddeling),
        "commissie" => Some(Path::Commissie),
        _ => None,
    }
}

fn one_of(list: &'static [&'static str]) -> impl Fn(&str) -> Option<String> {
    move |s| list.contains(&s).then(|| s.to_owned())
}

fn text<T>(f: &mut Fields<'_>, name: &str, parse: fn(&str) -> Result<T, crate::domain::values::Invalid>) -> Option<T> {
    f.required(name, parse)
}

/// Reads a ruling's fields (also used for a correction, where each may be left out).
pub fn read_ruling(f: &mut Fields<'_>) -> Option<Ruling> {
    let outcome = f.required_enum("outcome", one_of(&RULING_OUTCOMES), &RULING_OUTCOMES);
    let nature = f.required_enum("nature", one_of(&RULING_NATURES), &RULING_NATURES);
    let dictum = text(f, "dictum", Prose::parse);
    let reasoning = text(f, "reasoning", Prose::parse);
    let cost_allocation = f.optional("cost_allocation", Reason::parse);
    Some(Ruling {
        outcome: outcome?,
        nature: nature?,
        dictum: dictum?.into_inner(),
        reasoning: reasoning?.into_inner(),
        cost_allocation: cost_allocation.ok()?.map(Reason::into_inner),
    })
}

fn read_input(step: &str, f: &mut Fields<'_>) -> Option<StepInput> {
    let reason = |f: &mut Fields<'_>| f.required("reason", Reason::parse).map(Reason::into_inner);
    let statement = |f: &mut Fields<'_>| f.required("statement", Prose::parse).map(Prose::into_inner);
    Some(match step {
        "submit" => StepInput::Submit,
        "request-completion" => StepInput::RequestCompletion { reason: reason(f)? },
        "complete" => StepInput::Complete {
            statement: f.optional("statement", Prose::parse).ok()?.map(Prose::into_inner),
        },
        "admit" => StepInput::Admit {
            path: f.optional_enum("path", path, &PATHS).ok()?,
        },
        "declare-inadmissible" => StepInput::DeclareInadmissible { reason: reason(f)? },
        "assign-mediator" => StepInput::AssignMediator {
            mediator: f.required_uuid("mediator")?,
        },
        "record-mediation-outcome" => {
            let o = f.required_enum("outcome", MediationOutcome::parse, &OUTCOMES);
            let summary = f.required("summary", Prose::parse);
            StepInput::RecordMediationOutcome {
                outcome: o?,
                summary: summary?.into_inner(),
            }
        }
        "escalate" => StepInput::Escalate {
            reason: f.optional("reason", Reason::parse).ok()?.map(Reason::into_inner),
        },
        "assign-commission" => {
            let chair = f.required_uuid("chair");
            let members = f.uuid_list("members", false, MAX_MEMBERS);
            let (chair, members) = (chair?, members.ok()?);
            if members.contains(&chair) {
                f.error(
                    "members",
                    "must not include the chair",
                    "De voorzitter staat al vast; noem hem niet ook als lid.",
                );
                return None;
            }
            StepInput::AssignCommission { chair, members }
        }
        "submit-defence" => StepInput::SubmitDefence {
            statement: statement(f)?,
        },
        "submit-reply" => StepInput::SubmitReply {
            statement: statement(f)?,
        },
        "submit-rejoinder" => StepInput::SubmitRejoinder {
            statement: statement(f)?,
        },
        "waive-reply" => StepInput::WaiveReply {
            reason: f.optional("reason", Reason::parse).ok()?.map(Reason::into_inner),
        },
        "waive-rejoinder" => StepInput::WaiveRejoinder {
            reason: f.optional("reason", Reason::parse).ok()?.map(Reason::into_inner),
        },
        "decide-without-hearing" => {
            let consent = f.optional_bool("parties_consent");
            let reason = f.optional("reason", Reason::parse);
            if consent.ok()? != Some(true) {
                f.error(
                    "parties_consent",
                    "every party must have agreed to a decision without a hearing",
                    "Zonder zitting beslissen kan alleen als alle partijen daarmee instemmen.",
                );
                return None;
            }
            StepInput::DecideWithoutHearing {
                reason: reason.ok()?.map(Reason::into_inner),
            }
        }
        "schedule-hearing" => {
            let at = f.required_timestamp("at");
            let location = f.required("location", Location::parse);
            StepInput::ScheduleHearing {
                at: at?,
                location: location?.into_inner(),
            }
        }
        "record-hearing" => StepInput::RecordHearing {
            summary: f.required("summary", Prose::parse)?.into_inner(),
        },
        "adopt-ruling" => StepInput::AdoptRuling(read_ruling(f)?),
        "withdraw" => StepInput::Withdraw { reason: reason(f)? },
        "settle" => {
            let summary = f.optional("summary", Prose::parse);
            let reason = f.optional("reason", Reason::parse);
            StepInput::Settle {
                summary: summary.ok()?.map(Prose::into_inner),
                reason: reason.ok()?.map(Reason::into_inner),
            }
        }
        _ => return None,
    })
}

/// Reads the body of the step named `step`.
pub fn parse(step: StepName, body: &serde_json::Value) -> Result<StepRequest> {
    let Some(map) = body.as_object() else {
        return Err(Error::BadRequest("the request body must be a JSON object".into()));
    };
    let mut f = Fields::new(map);
    let version = f.optional_integer("version", 1..=i64::from(i32::MAX));
    let input = read_input(step.as_str(), &mut f);
    f.finish()?;
    let version = version.map_err(|Reported| Error::internal("version error not reported"))?;
    let input = input.ok_or_else(|| Error::internal("step reader returned nothing without an error"))?;
    Ok(StepRequest {
        input,
        version: version.map(|v| v as i32),
    })
}

impl StepInput {
    /// The state machine's step; `default_path` fills in an `admit` without a path.
    pub fn step(&self, default_path: Option<Path>) -> Step {
        match self {
            StepInput::Submit => Step::Submit,
            StepInput::RequestCompletion { .. } => Step::RequestCompletion,
            StepInput::Complete { .. } => Step::Complete,
            StepInput::Admit { path } => Step::Admit(path.or(default_path).unwrap_or(Path::Commissie)),
            StepInput::DeclareInadmissible { .. } => Step::DeclareInadmissible,
            StepInput::AssignMediator { .. } => Step::AssignMediator,
            StepInput::RecordMediationOutcome { outcome, .. } => Step::RecordMediationOutcome(*outcome),
            StepInput::Escalate { .. } => Step::Escalate,
            StepInput::AssignCommission { .. } => Step::AssignCommission,
            StepInput::SubmitDefence { .. } => Step::SubmitDefence,
            StepInput::SubmitReply { .. } => Step::SubmitReply,
            StepInput::SubmitRejoinder { .. } => Step::SubmitRejoinder,
            StepInput::WaiveReply { .. } => Step::WaiveReply,
            StepInput::WaiveRejoinder { .. } => Step::WaiveRejoinder,
            StepInput::DecideWithoutHearing { .. } => Step::DecideWithoutHearing,
            StepInput::ScheduleHearing { .. } => Step::ScheduleHearing,
            StepInput::RecordHearing { .. } => Step::RecordHearing,
            StepInput::AdoptRuling(_) => Step::AdoptRuling,
            StepInput::Withdraw { .. } => Step::Withdraw,
            StepInput::Settle { .. } => Step::Settle,
        }
    }
}
