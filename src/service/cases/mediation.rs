//! Mediation sessions and the wall around their notes. The assigned mediator records each
//! session (date, who attended, notes). The notes stay with the mediator and the parties; the
//! secretary and the commission read them only once every party has released them. The audit
//! trail records that a session took place, never its notes, so the trail stays readable by
//! all who may see the case.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use super::rulebook;
use crate::domain::rules::Action;

use super::{
    access::{Loaded, visible},
    trail::{self, Record},
};
use crate::{
    domain::{DisplayName, Prose},
    error::{Error, Result},
    service::{
        Actor, App,
        input::{Fields, FromFields},
        now, today,
    },
    storage::entities::{mediation_release, mediation_session},
};

const MAX_ATTENDEES: usize = 40;

#[derive(Debug, ToSchema)]
pub struct NewSession {
    #[schema(value_type = String, format = Date)]
    pub held_on: NaiveDate,
    /// Names and capacities of those present.
    #[schema(value_type = Vec<String>)]
    pub attendees: Vec<DisplayName>,
    #[schema(value_type = String)]
    pub notes: Prose,
}

impl FromFields for NewSession {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let held_on = f.required_date("held_on");
        let attendees = f.string_list("attendees", MAX_ATTENDEES, DisplayName::parse);
        let notes = f.required("notes", Prose::parse);
        let held_on = held_on?;
        if held_on > today() {
            f.error(
                "held_on",
                "must not be in the future",
                "Een zitting kan niet in de toekomst hebben plaatsgevonden.",
            );
            return None;
        }
        Some(NewSession {
            held_on,
            attendees: attendees.ok()?,
            notes: notes?,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: Uuid,
    #[schema(value_type = String, format = Date)]
    pub held_on: NaiveDate,
    pub attendees: Vec<String>,
    pub notes: String,
    pub recorded_at: DateTime<Utc>,
}

fn view(s: mediation_session::Model) -> Result<SessionView> {
    Ok(SessionView {
        id: s.public_id,
        held_on: s.held_on,
        attendees: serde_json::from_value(s.attendees)
            .map_err(|e| Error::internal(format!("session {}: attendees do not parse: {e}", s.public_id)))?,
        notes: s.notes,
        recorded_at: s.recorded_at,
    })
}

pub async fn record_session(app: &App, actor: &Actor, id: Uuid, new: NewSession) -> Result<SessionView> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::RecordMediationSession)?;
    let at = now();
    let public_id = Uuid::new_v4();
    let attendees: Vec<String> = new.attendees.into_iter().map(DisplayName::into_inner).collect();
    let row = mediation_session::ActiveModel {
        id: NotSet,
        public_id: Set(public_id),
        case_id: Set(c.case.id),
        held_on: Set(new.held_on),
        attendees: Set(json!(attendees)),
        notes: Set(new.notes.into_inner()),
        recorded_by: Set(actor.internal_id),
        recorded_at: Set(at),
    };
    let by = actor.clone();
    let (case_id, number, held_on, count) = (c.case.id, c.case.number.clone(), new.held_on, attendees.len());
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let record = Record::new("mediation.session", format!("case {number}"))
                    .after(json!({ "session": public_id, "held_on": held_on, "attendees": count }));
                trail::change(tx, case_id, None, &by, record, at).await?;
                mediation_session::Entity::insert(row).exec(tx).await?;
                Ok(())
            })
        })
        .await?;
    let s = mediation_session::Entity::find()
        .filter(mediation_session::Column::PublicId.eq(public_id))
        .one(&app.db)
        .await?
        .ok_or_else(|| Error::internal("session vanished"))?;
    view(s)
}

pub async fn sessions(app: &App, actor: &Actor, id: Uuid) -> Result<Vec<SessionView>> {
    sessions_of(app, actor, &visible(&app.db, actor, id).await?).await
}

/// The same, for a case already loaded.
pub async fn sessions_of(app: &App, actor: &Actor, c: &Loaded) -> Result<Vec<SessionView>> {
    rulebook::check(app, actor, c, Action::ReadMediationNotes)?;
    mediation_session::Entity::find()
        .filter(mediation_session::Column::CaseId.eq(c.case.id))
        .order_by_asc(mediation_session::Column::HeldOn)
        .order_by_asc(mediation_session::Column::Id)
        .all(&app.db)
        .await?
        .into_iter()
        .map(view)
        .collect()
}

/// A party releases the mediation notes to the commission, for its own organisation. Once
/// given, a release stands (the commission may already have read them).
pub async fn release(app: &App, actor: &Actor, id: Uuid) -> Result<Value> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::ReleaseMediationNotes)?;
    let org = actor
        .organisation
        .as_ref()
        .ok_or_else(|| Error::internal("a party without an organisation"))?;
    {
        let at = now();
        let by = actor.clone();
        let (case_id, number, org_id, org_public) = (c.case.id, c.case.number.clone(), org.internal_id, org.id);
        app.db
            .transaction::<_, (), Error>(|tx| {
                Box::pin(async move {
                    let record = Record::new("mediation.release", format!("case {number}"))
                        .after(json!({ "released_by": org_public }));
                    trail::change(tx, case_id, None, &by, record, at).await?;
                    mediation_release::Entity::insert(mediation_release::ActiveModel {
                        case_id: Set(case_id),
                        organisation_id: Set(org_id),
                        released_by: Set(by.internal_id),
                        released_at: Set(at),
                    })
                    .exec(tx)
                    .await?;
                    Ok(())
                })
            })
            .await?;
    }
    let c = visible(&app.db, actor, id).await?;
    Ok(json!({ "released": true, "all_parties_released": c.notes_released() }))
}
