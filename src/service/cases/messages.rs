//! Correspondence: one message thread per case between the parties and the secretary, read
//! by everyone who may see the case (the same rule as the case itself).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::rulebook;
use crate::domain::rules::Action;

use super::{
    access::{Loaded, visible},
    lookup::{organisations_in, people_in},
    trail::{self, Record},
    view::PersonView,
};
use crate::{
    domain::Prose,
    error::{Error, Result},
    service::{
        Actor, App,
        input::{Fields, FromFields},
        now,
    },
    storage::entities::case_message,
};

#[derive(Debug, ToSchema)]
pub struct NewMessage {
    #[schema(value_type = String)]
    pub body: Prose,
}

impl FromFields for NewMessage {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        Some(NewMessage {
            body: f.required("body", Prose::parse)?,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: Uuid,
    pub author: PersonView,
    /// The author's organisation's name.
    pub organisation: Option<String>,
    pub body: String,
    pub sent_at: DateTime<Utc>,
}

pub async fn list(app: &App, actor: &Actor, id: Uuid) -> Result<Vec<MessageView>> {
    list_of(app, actor, &visible(&app.db, actor, id).await?).await
}

/// The same, for a case already loaded.
pub async fn list_of(app: &App, actor: &Actor, c: &Loaded) -> Result<Vec<MessageView>> {
    rulebook::check(app, actor, c, Action::ReadMessages)?;
    let rows = case_message::Entity::find()
        .filter(case_message::Column::CaseId.eq(c.case.id))
        .order_by_asc(case_message::Column::Id)
        .all(&app.db)
        .await?;
    let people = people_in(&app.db, c, rows.iter().map(|m| m.author_id)).await?;
    let organisations = organisations_in(&app.db, c, rows.iter().filter_map(|m| m.organisation_id)).await?;
    let org_name = |o: i32| organisations.get(&o).map(|o| o.name.clone());
    rows.into_iter()
        .map(|m| {
            Ok(MessageView {
                id: m.public_id,
                author: people
                    .get(&m.author_id)
                    .cloned()
                    .ok_or_else(|| Error::internal("unknown author"))?,
                organisation: m.organisation_id.and_then(org_name),
                body: m.body,
                sent_at: m.sent_at,
            })
        })
        .collect()
}

pub async fn send(app: &App, actor: &Actor, id: Uuid, new: NewMessage) -> Result<MessageView> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::SendMessage)?;
    let at = now();
    let public_id = Uuid::new_v4();
    let by = actor.clone();
    let (case_id, number) = (c.case.id, c.case.number.clone());
    let body = new.body.into_inner();
    // The answer is made from what was written, not read back after the commit: a read that
    // failed then would answer an error for a message that was sent.
    let view = MessageView {
        id: public_id,
        author: PersonView {
            id: actor.id,
            display_name: actor.display_name.clone(),
        },
        organisation: actor.organisation.as_ref().map(|o| o.name.clone()),
        body: body.clone(),
        sent_at: at,
    };
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let record =
                    Record::new("message.send", format!("case {number}")).after(json!({ "message": public_id }));
                trail::change(tx, case_id, None, &by, record, at).await?;
                case_message::Entity::insert(case_message::ActiveModel {
                    id: NotSet,
                    public_id: Set(public_id),
                    case_id: Set(case_id),
                    author_id: Set(by.internal_id),
                    organisation_id: Set(by.organisation.as_ref().map(|o| o.internal_id)),
                    body: Set(body),
                    sent_at: Set(at),
                })
                .exec(tx)
                .await?;
                Ok(())
            })
        })
        .await?;
    Ok(view)
}
