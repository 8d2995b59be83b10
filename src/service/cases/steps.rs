//! Taking a procedural step: the state machine decides, the service checks what only the
//! database knows (that a mediator is a mediator without a conflict of interest, that a
//! hearing is not in the past), and then one transaction raises the case's version (only if
//! it is still the version the decision was made on), records the step in the audit trail and
//! stores what the step brings. Two steps at once on one case: one wins, the other gets 409.

use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    access::{Loaded, kind_of, visible},
    conflicts::conflict_of,
    rulebook,
    step_input::{self, StepInput},
    trail::{self, Record, stale},
    view::CaseView,
};
use crate::{
    domain::{
        Role,
        procedure::{self, CaseState, StepName},
    },
    error::{Error, Result, invalid_field as invalid},
    service::{Actor, App, now, today},
    storage::entities::{case, case_commission_member, case_submission, ruling, user},
};

/// The active user with this public id and `role`, free of conflicts in this case.
async fn assignee(app: &App, c: &Loaded, field: &str, id: Uuid, role: Role, chair: bool) -> Result<user::Model> {
    let person = user::Entity::find()
        .filter(user::Column::PublicId.eq(id))
        .one(&app.db)
        .await?
        .filter(|u| u.disabled_at.is_none());
    let Some(person) = person else {
        return Err(invalid(
            field,
            "names no active user",
            "Deze gebruiker bestaat niet of is geblokkeerd.",
        ));
    };
    if person.role != role.as_str() {
        return Err(invalid(
            field,
            &format!("must be a {}", role.as_str()),
            &format!("Deze gebruiker is geen {}.", role.as_str()),
        ));
    }
    if chair && !person.may_chair {
        return Err(invalid(
            field,
            "this member may not chair the commission",
            "Dit commissielid kan geen voorzitter zijn.",
        ));
    }
    if let Some((en, nl)) = conflict_of(&app.db, &person, c, today()).await? {
        return Err(invalid(field, &en, &nl));
    }
    Ok(person)
}

/// A step read, checked against the case's version and asked of the rule book: everything
/// but the writing.
struct Decided {
    case: Loaded,
    input: StepInput,
    step: procedure::Step,
    next: CaseState,
}

async fn decide(app: &App, actor: &Actor, id: Uuid, step_name: StepName, body: &Value) -> Result<Decided> {
    let c = visible(&app.db, actor, id).await?;
    let request = step_input::parse(step_name, body)?;
    if request.version.is_some_and(|v| v != c.case.version) {
        return Err(stale());
    }
    let (kind, domain) = kind_of(&c.case)?;
    let step = request.input.step(app.reglement.default_path(kind, domain));
    let next = rulebook::step(app, actor, &c, step)?;
    if let StepInput::ScheduleHearing { at: when, .. } = &request.input
        && *when <= now()
    {
        return Err(invalid(
            "at",
            "must be in the future",
            "Kies een moment in de toekomst voor de zitting.",
        ));
    }
    Ok(Decided {
        case: c,
        input: request.input,
        step,
        next,
    })
}

/// Whether the step could be taken now with this body, without taking it: what the web's
/// confirmation page asks before it shows what will happen.
pub async fn check(app: &App, actor: &Actor, id: Uuid, step_name: StepName, body: &Value) -> Result<()> {
    decide(app, actor, id, step_name, body).await.map(|_| ())
}

pub async fn take(app: &App, actor: &Actor, id: Uuid, step_name: StepName, body: &Value) -> Result<CaseView> {
    let Decided {
        case: c,
        input,
        step,
        next,
    } = decide(app, actor, id, step_name, body).await?;
    let before = c.state;
    let at = now();

    let mut assigned: Vec<user::Model> = Vec::new();
    match &input {
        StepInput::AssignMediator { mediator } => {
            assigned.push(assignee(app, &c, "mediator", *mediator, Role::Bemiddelaar, false).await?);
        }
        StepInput::AssignCommission { chair, members } => {
            assigned.push(assignee(app, &c, "chair", *chair, Role::Commissielid, true).await?);
            for m in members {
                assigned.push(assignee(app, &c, "members", *m, Role::Commissielid, false).await?);
            }
        }
        _ => {}
    }

    let adopts = matches!(input, StepInput::AdoptRuling(_));
    let app_in_tx = app.clone();
    let actor_in_tx = actor.clone();
    let case_id = c.case.id;
    let version = c.case.version;
    let number = c.case.number.clone();
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                // First the version check: it locks the case (see trail::touch).
                trail::touch(tx, case_id, Some(version), at).await?;
                let (record, update) = effects(tx, &actor_in_tx, case_id, &input, &assigned, at).await?;
                let terms = super::terms::on_step(
                    tx,
                    &app_in_tx,
                    case_id,
                    step.name(),
                    (before.phase, before.stage),
                    (next.phase, next.stage),
                    today(),
                    at,
                )
                .await?;
                let record = Record::new(format!("step.{}", step.name()), format!("case {number}"))
                    .before(phase_json(&before))
                    .after(merge(merge(phase_json(&next), record.0), terms))
                    .reason(record.1);
                trail::append(tx, case_id, &actor_in_tx, record, at).await?;
                let mut update = update;
                update.phase = Set(next.phase.as_str().into());
                update.stage = Set(next.stage.map(|s| s.as_str().into()));
                if next.phase.is_closed() {
                    update.closed_at = Set(Some(at));
                }
                case::Entity::update_many()
                    .set(update)
                    .filter(case::Column::Id.eq(case_id))
                    .exec(tx)
                    .await?;
                // The parties' copies of the phase and the deadlines, for their lists' walks.
                super::terms::refresh_parties(tx, case_id).await?;
                Ok(())
            })
        })
        .await?;
    if adopts {
        crate::service::rulings::issue::pending_or_later(app, id).await;
    }
    super::get(app, actor, id).await
}

fn phase_json(s: &CaseState) -> Value {
    json!({ "phase": s.phase, "stage": s.stage })
}

fn merge(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        b.extend(e);
    }
    base
}

fn submission(
    case_id: i32,
    actor: &Actor,
    kind: &str,
    statement: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> case_submission::ActiveModel {
    case_submission::ActiveModel {
        id: NotSet,
        public_id: Set(Uuid::new_v4()),
        case_id: Set(case_id),
        kind: Set(kind.into()),
        statement: Set(statement.into()),
        author_id: Set(actor.internal_id),
        organisation_id: Set(actor.organisation.as_ref().map(|o| o.internal_id)),
        submitted_at: Set(at),
    }
}

/// What a step stores besides the phase: the audit entry's extra values and reason, and the
/// case's changed columns. Rows of other tables are written here too.
async fn effects(
    tx: &impl ConnectionTrait,
    actor: &Actor,
    case_id: i32,
    input: &StepInput,
    assigned: &[user::Model],
    at: chrono::DateTime<chrono::Utc>,
) -> Result<((Value, Option<String>), case::ActiveModel)> {
    let mut u = case::ActiveModel::default();
    let mut extra = json!({});
    let mut reason = None;
    let statement_kind = match input {
        StepInput::SubmitDefence { statement } => Some(("verweer", statement)),
        StepInput::SubmitReply { statement } => Some(("repliek", statement)),
        StepInput::SubmitRejoinder { statement } => Some(("dupliek", statement)),
        StepInput::Complete {
            statement: Some(statement),
        } => Some(("herstel", statement)),
        _ => None,
    };
    if let Some((kind, statement)) = statement_kind {
        let row = submission(case_id, actor, kind, statement, at);
        extra = json!({ "submission": kind, "statement": statement });
        case_submission::Entity::insert(row).exec(tx).await?;
    }
    match input {
        StepInput::Submit => u.submitted_at = Set(Some(at)),
        StepInput::RequestCompletion { reason: r } => {
            u.closing_reason = Set(Some(r.clone()));
            reason = Some(r.clone());
        }
        StepInput::Complete { .. } => u.closing_reason = Set(None),
        StepInput::Admit { path } => extra = json!({ "path": path }),
        StepInput::DeclareInadmissible { reason: r } | StepInput::Withdraw { reason: r } => {
            u.closing_reason = Set(Some(r.clone()));
            reason = Some(r.clone());
        }
        StepInput::AssignMediator { .. } => {
            u.mediator_id = Set(Some(assigned[0].id));
            extra = json!({ "mediator": assigned[0].public_id });
        }
        StepInput::RecordMediationOutcome { outcome, summary } => {
            u.mediation_outcome = Set(Some(outcome.as_str().into()));
            u.mediation_summary = Set(Some(summary.clone()));
            extra = json!({ "outcome": outcome, "summary": summary });
        }
        StepInput::Escalate { reason: r }
        | StepInput::WaiveReply { reason: r }
        | StepInput::WaiveRejoinder { reason: r }
        | StepInput::DecideWithoutHearing { reason: r } => reason = r.clone(),
        StepInput::AssignCommission { .. } => {
            let (chair, members) = assigned.split_first().ok_or_else(|| Error::internal("no chair"))?;
            u.chair_id = Set(Some(chair.id));
            case_commission_member::Entity::delete_many()
                .filter(case_commission_member::Column::CaseId.eq(case_id))
                .exec(tx)
                .await?;
            if !members.is_empty() {
                case_commission_member::Entity::insert_many(members.iter().map(|m| {
                    case_commission_member::ActiveModel {
                        case_id: Set(case_id),
                        user_id: Set(m.id),
                    }
                }))
                .exec(tx)
                .await?;
            }
            extra = json!({
                "chair": chair.public_id,
                "members": members.iter().map(|m| m.public_id).collect::<Vec<_>>(),
            });
        }
        StepInput::ScheduleHearing { at: when, location } => {
            u.hearing_at = Set(Some(*when));
            u.hearing_location = Set(Some(location.clone()));
            extra = json!({ "hearing_at": when, "location": location });
        }
        StepInput::RecordHearing { summary } => {
            u.hearing_summary = Set(Some(summary.clone()));
            extra = json!({ "hearing_summary": summary });
        }
        StepInput::AdoptRuling(r) => {
            let public_id = Uuid::new_v4();
            ruling::Entity::insert(super::rulings::row(case_id, actor, r, None, None, public_id, at))
                .exec(tx)
                .await?;
            extra = json!({ "ruling": public_id, "outcome": r.outcome, "nature": r.nature });
        }
        StepInput::Settle { summary, reason: r } => {
            u.closing_reason = Set(summary.clone().or_else(|| r.clone()));
            reason = r.clone();
            extra = json!({ "summary": summary });
        }
        StepInput::SubmitDefence { .. } | StepInput::SubmitReply { .. } | StepInput::SubmitRejoinder { .. } => {}
    }
    Ok(((extra, reason), u))
}
