//! Telling people about a case: an inbox notification per person and, where SMTP is set up
//! and the person has an address, an e-mail in the outbox, written in the caller's
//! transaction. Every message has a unique key (`<key>:user:<id>`), so saying the same thing
//! twice stores it once.

use std::collections::BTreeSet;

use askama::Template;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use uuid::Uuid;

use super::{App, now};
use crate::{
    error::Result,
    storage::entities::{case, case_party, email_outbox, notification, user},
};

/// The e-mail beside the inbox notification: its text is a template beside the pages
/// (`templates/bericht.txt`), so that it can be read and adjusted without the code.
#[derive(Template)]
#[template(path = "bericht.txt")]
struct MailText<'a> {
    name: &'a str,
    body: &'a str,
    link: &'a str,
    inbox: &'a str,
    number: &'a str,
}

pub struct Message<'a> {
    /// `herinnering`, `verlopen`, `opschorting`, `verlenging`, …
    pub kind: &'a str,
    /// Unique per thing said; the person's id is added.
    pub key: String,
    pub term_id: Option<i32>,
    pub title: String,
    /// What happened, the case number, the term and the date: never the case's content.
    pub body: String,
}

/// Every secretary, and the active users of the given organisations (party roles only).
pub async fn secretaries_and_parties(db: &impl ConnectionTrait, organisations: Vec<i32>) -> Result<BTreeSet<i32>> {
    let active = user::Entity::find().filter(user::Column::DisabledAt.is_null());
    let mut people: BTreeSet<i32> = active
        .clone()
        .filter(user::Column::Role.eq("secretaris"))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    if !organisations.is_empty() {
        people.extend(
            active
                .filter(user::Column::OrganisationId.is_in(organisations))
                .filter(user::Column::Role.is_in(["gemeente", "regio", "aanbieder"]))
                .all(db)
                .await?
                .into_iter()
                .map(|u| u.id),
        );
    }
    Ok(people)
}

/// Everyone in the case: all parties' users, the secretaries, the mediator and the chair.
pub async fn everyone_in(db: &impl ConnectionTrait, c: &case::Model) -> Result<BTreeSet<i32>> {
    let parties: Vec<i32> = case_party::Entity::find()
        .filter(case_party::Column::CaseId.eq(c.id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.organisation_id)
        .collect();
    let mut people = secretaries_and_parties(db, parties).await?;
    people.extend(c.mediator_id);
    people.extend(c.chair_id);
    Ok(people)
}

/// Stores `m` for each of `people`; answers how many inbox notifications were new.
pub async fn send(
    tx: &impl ConnectionTrait,
    app: &App,
    c: &case::Model,
    people: &BTreeSet<i32>,
    m: Message<'_>,
) -> Result<u64> {
    if people.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i32> = people.iter().copied().collect();
    let rows = ids.iter().map(|u| notification::ActiveModel {
        id: NotSet,
        public_id: Set(Uuid::new_v4()),
        user_id: Set(*u),
        case_id: Set(Some(c.id)),
        term_id: Set(m.term_id),
        kind: Set(m.kind.into()),
        dedupe_key: Set(format!("{}:user:{u}", m.key)),
        title: Set(m.title.clone()),
        body: Set(m.body.clone()),
        created_at: Set(now()),
        read_at: Set(None),
    });
    let new = notification::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(notification::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(tx)
        .await?;
    if app.config.smtp_url.is_some() {
        let link = format!("{}/geschillen/{}", app.config.public_url, c.public_id);
        let inbox = format!("{}/meldingen", app.config.public_url);
        let mut mail = Vec::new();
        let people = user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .filter(user::Column::Email.is_not_null())
            .all(tx)
            .await?;
        for u in people {
            let Some(to) = u.email else { continue };
            let text = MailText {
                name: &u.display_name,
                body: &m.body,
                link: &link,
                inbox: &inbox,
                number: &c.number,
            }
            .render()
            .map_err(|e| crate::error::Error::internal(format!("the e-mail template: {e}")))?;
            mail.push(super::mailer::queued(
                format!("{}:user:{}", m.key, u.id),
                to,
                m.title.clone(),
                text,
            ));
        }
        if !mail.is_empty() {
            email_outbox::Entity::insert_many(mail)
                .on_conflict(
                    OnConflict::column(email_outbox::Column::DedupeKey)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(tx)
                .await?;
        }
    }
    Ok(new)
}

/// Stores `m` for everyone in the case (see [`everyone_in`]).
pub async fn tell_everyone(tx: &impl ConnectionTrait, app: &App, c: &case::Model, m: Message<'_>) -> Result<u64> {
    let people = everyone_in(tx, c).await?;
    send(tx, app, c, &people, m).await
}
