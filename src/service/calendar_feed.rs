//! Each person's private calendar feed (ICS): the last days of the running terms and the
//! hearings of the cases they may see. The URL holds a random secret; only its SHA-256 is
//! stored, and asking for a new URL ends the old one.

use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{OnConflict, Query},
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Actor, App, identity, now};
use crate::{
    domain::ics::{self, Event, When},
    error::{Error, Result},
    service::cases::access::visible_condition,
    storage::entities::{calendar_feed, case, case_term, user},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedLink {
    /// The feed's path on this service; keep it private, as anyone with it can read the feed.
    pub path: String,
}

fn hash(token: &str) -> String {
    super::secrets::sha256_hex(token)
}

/// A new secret feed URL for the caller; the previous one stops working.
pub async fn create(app: &App, actor: &Actor) -> Result<FeedLink> {
    let token = super::secrets::random_token();
    calendar_feed::Entity::insert(calendar_feed::ActiveModel {
        user_id: Set(actor.internal_id),
        token_hash: Set(hash(&token)),
        created_at: Set(now()),
    })
    .on_conflict(
        OnConflict::column(calendar_feed::Column::UserId)
            .update_columns([calendar_feed::Column::TokenHash, calendar_feed::Column::CreatedAt])
            .to_owned(),
    )
    .exec(&app.db)
    .await?;
    Ok(FeedLink {
        path: format!("/api/v1/calendar/feeds/{token}.ics"),
    })
}

/// The feed behind `token`, or 404.
pub async fn feed(app: &App, token: &str) -> Result<String> {
    let token = token.strip_suffix(".ics").unwrap_or(token);
    let feed = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(hash(token)))
        .one(&app.db)
        .await?
        .ok_or(Error::NotFound("calendar feed"))?;
    let person = user::Entity::find_by_id(feed.user_id)
        .one(&app.db)
        .await?
        .filter(|u| u.disabled_at.is_none())
        .ok_or(Error::NotFound("calendar feed"))?;
    let actor = identity::actor_of(app, person).await?;
    let visible = Query::select()
        .column(case::Column::Id)
        .from(case::Entity)
        .cond_where(visible_condition(&actor))
        .to_owned();
    let cases = case::Entity::find()
        .filter(case::Column::Id.in_subquery(visible.clone()))
        .filter(case::Column::ClosedAt.is_null())
        .select_only()
        .column(case::Column::Id)
        .column(case::Column::Number)
        .column(case::Column::HearingAt)
        .column(case::Column::HearingLocation)
        .into_tuple::<(i32, String, Option<chrono::DateTime<chrono::Utc>>, Option<String>)>()
        .all(&app.db)
        .await?;
    let numbers: std::collections::HashMap<i32, &str> = cases.iter().map(|c| (c.0, c.1.as_str())).collect();
    let terms = case_term::Entity::find()
        .filter(case_term::Column::CaseId.in_subquery(visible))
        .filter(case_term::Column::Status.eq(super::cases::terms::RUNNING))
        .all(&app.db)
        .await?;
    let mut events: Vec<Event> = terms
        .iter()
        .filter_map(|t| {
            let number = numbers.get(&t.case_id)?;
            let label = app.term_rules.get(&t.key).map_or(t.key.as_str(), |r| r.label.as_str());
            Some(Event {
                uid: format!("term-{}@beslecht", t.public_id),
                when: When::Day(t.due_on),
                summary: format!("Laatste dag: {label} ({number})"),
                description: format!("Termijn '{label}' in geschil {number}. Zie Beslecht."),
            })
        })
        .collect();
    events.extend(cases.iter().filter_map(|(id, number, at, location)| {
        at.map(|at| Event {
            uid: format!("hearing-{id}@beslecht"),
            when: When::At(at),
            summary: format!("Zitting geschil {number}"),
            description: format!(
                "Zitting in geschil {number}, {}.",
                location.as_deref().unwrap_or("plaats volgt")
            ),
        })
    }));
    Ok(ics::calendar("Beslecht — termijnen en zittingen", now(), &events))
}
