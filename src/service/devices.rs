//! The browsers a person signed in from: a long-lived random device cookie, stored as its
//! SHA-256 per person. A sign-in from a browser not seen before is told to the person by
//! e-mail (through the outbox, so it survives a restart), except their very first sign-in.

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::OnConflict};

use super::{
    App, mailer, now,
    secrets::{random_token, sha256_hex},
};
use crate::{
    error::Result,
    storage::entities::{email_outbox, known_device, user},
};

/// How long the device cookie lives (a browser that stays away longer is new again).
pub const DEVICE_COOKIE_DAYS: i64 = 400;

/// Recognises the browser (or gives it a new device secret) and answers the secret its
/// cookie is to carry.
pub async fn recognise(
    app: &App,
    user: &user::Model,
    presented: Option<&str>,
    user_agent: Option<&str>,
    address: Option<&str>,
) -> Result<String> {
    let secret = presented
        .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .map_or_else(random_token, str::to_owned);
    let device_hash = sha256_hex(&secret);
    // One read: whether this browser is known, and whether any is (a person's few devices).
    let seen: Vec<String> = known_device::Entity::find()
        .select_only()
        .column(known_device::Column::DeviceHash)
        .filter(known_device::Column::UserId.eq(user.id))
        .into_tuple()
        .all(&app.db)
        .await?;
    if seen.contains(&device_hash) {
        return Ok(secret);
    }
    let first_ever = seen.is_empty();
    let at = now();
    known_device::Entity::insert(known_device::ActiveModel {
        user_id: Set(user.id),
        device_hash: Set(device_hash.clone()),
        first_seen_at: Set(at),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([known_device::Column::UserId, known_device::Column::DeviceHash])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&app.db)
    .await?;
    if !first_ever && let Some(to) = &user.email {
        let when = at
            .with_timezone(&chrono_tz::Europe::Amsterdam)
            .format("%d-%m-%Y om %H:%M");
        let body = format!(
            "Beste {name},\n\nOp {when} is met uw account bij Beslecht ingelogd vanaf een apparaat waarmee u nog niet eerder inlogde:\n\n  Browser: {agent}\n  Adres: {address}\n\nWas u dit zelf? Dan hoeft u niets te doen.\n\nWas u dit niet? Beëindig die sessie op {url}/mijn-account/sessies, wijzig uw wachtwoord en meld het bij uw beheerder.\n",
            name = user.display_name,
            agent = user_agent.unwrap_or("onbekend"),
            address = address.unwrap_or("onbekend"),
            url = app.config.public_url,
        );
        email_outbox::Entity::insert(mailer::queued(
            format!("new-device:{}:{device_hash}", user.id),
            to.clone(),
            "Beslecht: ingelogd vanaf een nieuw apparaat".into(),
            body,
        ))
        .on_conflict(
            OnConflict::column(email_outbox::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&app.db)
        .await?;
    }
    Ok(secret)
}
