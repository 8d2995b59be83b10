//! The chair's draft of the ruling: saved as often as the chair likes while the commission
//! handles the case, read by the commission and the secretary, never by the parties. The
//! ruling itself is adopted by the `adopt-ruling` step and is never a draft.

use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait, sea_query::OnConflict};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::rulebook;
use crate::domain::rules::Action;

use super::{
    access::{Loaded, visible},
    step_input::{RULING_NATURES, RULING_OUTCOMES},
    view::PersonView,
};
use crate::{
    domain::{Prose, Reason},
    error::{Error, Result},
    service::{
        Actor, App, audit,
        input::{Fields, FromFields},
        now,
    },
    storage::entities::{ruling_draft, user},
};

/// A draft as written so far; every field may still be open.
#[derive(Debug, Clone, Default, ToSchema)]
pub struct DraftInput {
    pub outcome: Option<String>,
    pub nature: Option<String>,
    pub dictum: Option<String>,
    pub reasoning: Option<String>,
    pub cost_allocation: Option<String>,
}

fn known(list: &'static [&'static str]) -> impl Fn(&str) -> Option<String> {
    move |s| list.contains(&s).then(|| s.to_owned())
}

impl FromFields for DraftInput {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let outcome = f.optional_enum("outcome", known(&RULING_OUTCOMES), &RULING_OUTCOMES);
        let nature = f.optional_enum("nature", known(&RULING_NATURES), &RULING_NATURES);
        let dictum = f.optional("dictum", Prose::parse);
        let reasoning = f.optional("reasoning", Prose::parse);
        let cost_allocation = f.optional("cost_allocation", Reason::parse);
        Some(DraftInput {
            outcome: outcome.ok()?,
            nature: nature.ok()?,
            dictum: dictum.ok()?.map(Prose::into_inner),
            reasoning: reasoning.ok()?.map(Prose::into_inner),
            cost_allocation: cost_allocation.ok()?.map(Reason::into_inner),
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DraftView {
    pub outcome: Option<String>,
    pub nature: Option<String>,
    pub dictum: String,
    pub reasoning: String,
    pub cost_allocation: Option<String>,
    pub updated_by: PersonView,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// The draft, for the commission and the secretary; `None` until the chair saves one.
pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<Option<DraftView>> {
    get_of(app, actor, &visible(&app.db, actor, id).await?).await
}

/// The same, for a case already loaded.
pub async fn get_of(app: &App, actor: &Actor, c: &Loaded) -> Result<Option<DraftView>> {
    rulebook::check(app, actor, c, Action::ReadRulingDraft)?;
    let Some(d) = ruling_draft::Entity::find_by_id(c.case.id).one(&app.db).await? else {
        return Ok(None);
    };
    let by = user::Entity::find_by_id(d.updated_by)
        .one(&app.db)
        .await?
        .ok_or_else(|| Error::internal("draft author vanished"))?;
    Ok(Some(DraftView {
        outcome: d.outcome,
        nature: d.nature,
        dictum: d.dictum,
        reasoning: d.reasoning,
        cost_allocation: d.cost_allocation,
        updated_by: PersonView {
            id: by.public_id,
            display_name: by.display_name,
        },
        updated_at: d.updated_at,
    }))
}

/// The chair saves the draft (replacing the previous one) while the commission has the case.
pub async fn save(app: &App, actor: &Actor, id: Uuid, input: DraftInput) -> Result<Option<DraftView>> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::SaveRulingDraft)?;
    let at = now();
    let row = ruling_draft::ActiveModel {
        case_id: Set(c.case.id),
        outcome: Set(input.outcome.clone()),
        nature: Set(input.nature.clone()),
        dictum: Set(input.dictum.clone().unwrap_or_default()),
        reasoning: Set(input.reasoning.clone().unwrap_or_default()),
        cost_allocation: Set(input.cost_allocation.clone()),
        updated_by: Set(actor.internal_id),
        updated_at: Set(at),
    };
    let by = actor.clone();
    let subject = c.case.public_id;
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                // Audited in the service's log, not the case's trail: the parties read the
                // trail, and the commission's deliberation is not theirs.
                let change = audit::Change::of("ruling.draft-saved", "case", subject)
                    .after(json!({ "outcome": input.outcome, "nature": input.nature }));
                audit::record(tx, Some(&by), "", change).await?;
                ruling_draft::Entity::insert(row)
                    .on_conflict(
                        OnConflict::column(ruling_draft::Column::CaseId)
                            .update_columns([
                                ruling_draft::Column::Outcome,
                                ruling_draft::Column::Nature,
                                ruling_draft::Column::Dictum,
                                ruling_draft::Column::Reasoning,
                                ruling_draft::Column::CostAllocation,
                                ruling_draft::Column::UpdatedBy,
                                ruling_draft::Column::UpdatedAt,
                            ])
                            .to_owned(),
                    )
                    .exec(tx)
                    .await?;
                Ok(())
            })
        })
        .await?;
    get(app, actor, id).await
}
