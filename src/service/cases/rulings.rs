//! Rulings. Adopted by the chair (the `adopt-ruling` step) and never changed afterwards: no
//! code path updates or deletes a ruling row. A correction (for a clerical error, say) is a
//! new ruling that points at the one it corrects, adopted by the chair with a reason, and
//! recorded in the audit trail like any change.

use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::rulebook;
use crate::domain::rules::Action;

use super::{
    access::visible,
    step_input::{Ruling, read_ruling},
    trail::{self, Record, stale},
    view::CaseView,
};
use crate::{
    domain::Reason,
    error::{Error, Result},
    service::{
        Actor, App,
        input::{Fields, FromFields},
        now, today,
    },
    storage::entities::ruling,
};

pub fn row(
    case_id: i32,
    chair: &Actor,
    r: &Ruling,
    corrects: Option<i32>,
    reason: Option<String>,
    public_id: Uuid,
    at: chrono::DateTime<chrono::Utc>,
) -> ruling::ActiveModel {
    ruling::ActiveModel {
        id: NotSet,
        public_id: Set(public_id),
        case_id: Set(case_id),
        outcome: Set(r.outcome.clone()),
        nature: Set(r.nature.clone()),
        dictum: Set(r.dictum.clone()),
        reasoning: Set(r.reasoning.clone()),
        cost_allocation: Set(r.cost_allocation.clone()),
        adopted_on: Set(today()),
        adopted_at: Set(at),
        chair_id: Set(chair.internal_id),
        corrects_id: Set(corrects),
        correction_reason: Set(reason),
    }
}

/// A corrected ruling in full, with the reason for the correction.
#[derive(Debug, ToSchema)]
pub struct Correction {
    #[schema(value_type = String)]
    pub reason: Reason,
    /// The ruling as corrected: `outcome`, `nature`, `dictum`, `reasoning`, `cost_allocation`.
    #[schema(value_type = Object)]
    pub ruling: Ruling,
    pub version: Option<i32>,
}

impl FromFields for Correction {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let reason = f.required("reason", Reason::parse);
        let version = f.optional_integer("version", 1..=i64::from(i32::MAX));
        let ruling = read_ruling(f);
        Some(Correction {
            reason: reason?,
            ruling: ruling?,
            version: version.ok()?.map(|v| v as i32),
        })
    }
}

/// Adds a correction of ruling `ruling_id` (the chair of the case, after the ruling).
pub async fn correct(app: &App, actor: &Actor, id: Uuid, ruling_id: Uuid, correction: Correction) -> Result<CaseView> {
    let c = visible(&app.db, actor, id).await?;
    let original = ruling::Entity::find()
        .filter(ruling::Column::PublicId.eq(ruling_id))
        .filter(ruling::Column::CaseId.eq(c.case.id))
        .one(&app.db)
        .await?
        .ok_or(Error::NotFound("ruling"))?;
    rulebook::check(app, actor, &c, Action::CorrectRuling)?;
    if correction.version.is_some_and(|v| v != c.case.version) {
        return Err(stale());
    }
    let at = now();
    let public_id = Uuid::new_v4();
    let by = actor.clone();
    let (case_id, version, number) = (c.case.id, c.case.version, c.case.number.clone());
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let r = &correction.ruling;
                let record = Record::new("ruling.correct", format!("case {number}"))
                    .reason(Some(correction.reason.as_str().to_owned()))
                    .before(json!({ "ruling": original.public_id, "outcome": original.outcome, "nature": original.nature,
                        "dictum": original.dictum, "reasoning": original.reasoning, "cost_allocation": original.cost_allocation }))
                    .after(json!({ "ruling": public_id, "corrects": original.public_id, "outcome": r.outcome, "nature": r.nature,
                        "dictum": r.dictum, "reasoning": r.reasoning, "cost_allocation": r.cost_allocation }));
                trail::change(tx, case_id, Some(version), &by, record, at).await?;
                let reason = Some(correction.reason.into_inner());
                ruling::Entity::insert(row(case_id, &by, r, Some(original.id), reason, public_id, at))
                    .exec(tx)
                    .await?;
                Ok(())
            })
        })
        .await?;
    crate::service::rulings::issue::pending_or_later(app, id).await;
    super::get(app, actor, id).await
}
