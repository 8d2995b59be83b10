//! Editing a concept before it is filed: its filer may change the title, the summary, the
//! respondents and the facts (not the kind or domain: that is another dispute). Once
//! submitted, a case changes only through the procedure's steps.

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::rulebook;
use crate::domain::rules::Action;

use super::{
    access::kind_of,
    access::{RESPONDENT, visible},
    create::MAX_RESPONDENTS,
    facts::{self, Facts},
    trail::{self, Record, stale},
    view::CaseView,
};
use crate::{
    domain::{CaseTitle, Prose},
    error::{Error, Result},
    service::{Actor, App, input::Fields, now},
    storage::entities::{case, case_party},
};

struct Changes {
    title: Option<String>,
    summary: Option<String>,
    respondents: Option<Vec<Uuid>>,
    facts: Option<Facts>,
    version: Option<i32>,
}

fn read(kind: crate::domain::dispute::DisputeKind, body: &Value) -> Result<Changes> {
    let map: &Map<String, Value> = body
        .as_object()
        .ok_or_else(|| Error::BadRequest("the request body must be a JSON object".into()))?;
    let mut f = Fields::new(map);
    let title = f.optional("title", CaseTitle::parse);
    let summary = f.optional("summary", Prose::parse);
    let respondents = if map.get("respondents").is_some_and(|v| !v.is_null()) {
        f.uuid_list("respondents", true, MAX_RESPONDENTS).map(Some)
    } else {
        f.uuid_list("respondents", false, MAX_RESPONDENTS).map(|_| None)
    };
    let facts = facts::read(&mut f, Some(kind));
    let version = f.optional_integer("version", 1..=i64::from(i32::MAX));
    f.finish()?;
    let missing = || Error::internal("field error not reported");
    Ok(Changes {
        title: title.map_err(|_| missing())?.map(CaseTitle::into_inner),
        summary: summary.map_err(|_| missing())?.map(Prose::into_inner),
        respondents: respondents.map_err(|_| missing())?,
        facts: facts.map_err(|_| missing())?,
        version: version.map_err(|_| missing())?.map(|v| v as i32),
    })
}

pub async fn edit(app: &App, actor: &Actor, id: Uuid, body: &Value) -> Result<CaseView> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::EditConcept)?;
    let (kind, _) = kind_of(&c.case)?;
    let changes = read(kind, body)?;
    if changes.version.is_some_and(|v| v != c.case.version) {
        return Err(stale());
    }
    let claimant = actor
        .organisation
        .as_ref()
        .ok_or_else(|| Error::internal("a filer without organisation"))?;
    let respondents = match &changes.respondents {
        Some(ids) => Some(
            super::create::respondents_for(app, claimant, kind, ids)
                .await?
                .respondents,
        ),
        None => None,
    };
    let mut before = Map::new();
    let mut after = Map::new();
    let mut update = case::ActiveModel::default();
    if let Some(t) = changes.title {
        before.insert("title".into(), json!(c.case.title));
        after.insert("title".into(), json!(t));
        update.title = Set(t);
    }
    if let Some(s) = changes.summary {
        before.insert("summary".into(), json!(c.case.summary));
        after.insert("summary".into(), json!(s));
        update.summary = Set(s);
    }
    if let Some(f) = &changes.facts {
        let v = facts::to_json(f);
        before.insert("facts".into(), json!(c.case.facts));
        after.insert("facts".into(), v.clone());
        update.facts = Set(Some(v));
    }
    if let Some(r) = &respondents {
        let old: Vec<i32> = c.respondents().collect();
        let orgs = super::lookup::organisations_by_id(&app.db, old.iter().copied()).await?;
        let old: Vec<Uuid> = old.iter().filter_map(|o| orgs.get(o).map(|o| o.public_id)).collect();
        before.insert("respondents".into(), json!(old));
        after.insert(
            "respondents".into(),
            json!(r.iter().map(|o| o.public_id).collect::<Vec<_>>()),
        );
    }
    if after.is_empty() {
        return super::get(app, actor, id).await;
    }
    let at = now();
    let by = actor.clone();
    let (case_id, version, number) = (c.case.id, c.case.version, c.case.number.clone());
    let (phase, kind) = (c.case.phase.clone(), c.case.kind.clone());
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let record = Record::new("case.edit", format!("case {number}"))
                    .before(Value::Object(before))
                    .after(Value::Object(after));
                trail::change(tx, case_id, Some(version), &by, record, at).await?;
                case::Entity::update_many()
                    .set(update)
                    .filter(case::Column::Id.eq(case_id))
                    .exec(tx)
                    .await?;
                if let Some(respondents) = respondents {
                    case_party::Entity::delete_many()
                        .filter(case_party::Column::CaseId.eq(case_id))
                        .filter(case_party::Column::Side.eq(RESPONDENT))
                        .exec(tx)
                        .await?;
                    case_party::Entity::insert_many(respondents.iter().map(|r| case_party::ActiveModel {
                        case_id: Set(case_id),
                        organisation_id: Set(r.id),
                        side: Set(RESPONDENT.into()),
                        phase: Set(phase.clone()),
                        kind: Set(kind.clone()),
                        // A concept has no running terms.
                        waits_until: Set(None),
                        next_due_on: Set(None),
                    }))
                    .exec(tx)
                    .await?;
                }
                Ok(())
            })
        })
        .await?;
    super::get(app, actor, id).await
}
