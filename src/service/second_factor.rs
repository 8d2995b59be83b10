//! A second factor for password sign-in: TOTP (RFC 6238, six digits, 30-second steps, one
//! step of clock drift either way) through `totp-rs`, and ten one-time recovery codes.
//!
//! Enrolment is two calls: [`start`] makes a secret and answers its `otpauth://` address and
//! a QR code drawn here as SVG (no outside service sees the secret); [`confirm`] takes a code
//! from the person's app, puts the factor in force and answers the recovery codes, shown this
//! once and stored as their SHA-256 (each is 50 random bits: a slow hash would add nothing).
//! [`check`] is asked at every password sign-in (API token and web): a code is accepted once
//! (the accepted step is kept and a code of that step or an earlier one is refused, on every
//! node at once: a conditional update), a recovery code once; wrong codes count against the
//! account like wrong passwords (the login throttle). An administrator resets a person's
//! factor ([`reset`]). Every change is in the service's audit log.

use std::time::Duration;

use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::Serialize;
use serde_json::json;
use totp_rs::{Builder, Secret, Totp};
use utoipa::ToSchema;

use super::{Actor, App, audit, secrets, throttle};
use crate::{
    authz::{Action, Resource},
    domain::throttle::ACCOUNT,
    error::{Error, Result},
    storage::entities::{recovery_code, second_factor, user, web_session},
};

const ISSUER: &str = "Beslecht";
const RECOVERY_CODES: usize = 10;

/// What enrolment shows: the address an authenticator app reads, the same as a QR code, and
/// the secret to type where scanning is not possible.
#[derive(Debug, Serialize, ToSchema)]
pub struct Enrolment {
    pub otpauth_uri: String,
    /// The secret in base32, to type in by hand.
    pub secret: String,
    /// The `otpauth_uri` as a QR code, an SVG image.
    pub qr_svg: String,
}

/// The recovery codes, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

fn totp(secret: &str, account: &str) -> Result<Totp> {
    let secret =
        Secret::try_from_base32(secret).map_err(|e| Error::internal(format!("a stored TOTP secret: {e:?}")))?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account.replace(':', "_"))
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| Error::internal(format!("TOTP: {e:?}")))
}

fn unix_now() -> u64 {
    chrono::Utc::now().timestamp().max(0) as u64
}

/// Whether the person has a second factor in force.
pub async fn active(db: &impl ConnectionTrait, user_id: i32) -> Result<bool> {
    Ok(second_factor::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_some_and(|f| f.confirmed_at.is_some()))
}

/// Whether the person's role requires a second factor that they have not set up.
pub async fn must_enrol(app: &App, u: &user::Model) -> Result<bool> {
    let required = crate::domain::Role::parse(&u.role).is_some_and(|r| app.config.second_factor_required(r));
    Ok(required && !active(&app.db, u.id).await?)
}

/// Starts enrolment (or starts it again, while not yet confirmed).
pub async fn start(app: &App, actor: &Actor) -> Result<Enrolment> {
    if active(&app.db, actor.internal_id).await? {
        return Err(Error::Conflict(
            "a second factor is already in force; an administrator can reset it".into(),
            "U hebt al een tweede factor. Een beheerder kan die herstellen als u er niet meer bij kunt.".into(),
        ));
    }
    let bytes: [u8; 20] = rand::random();
    let secret = Secret::from(bytes).to_base32();
    let shown = enrolment(&secret, &actor.username)?;
    let row = second_factor::ActiveModel {
        user_id: Set(actor.internal_id),
        secret: Set(secret.clone()),
        confirmed_at: Set(None),
        last_step: Set(None),
        created_at: Set(super::now()),
    };
    let (actor2, user) = (actor.clone(), actor.id);
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                second_factor::Entity::delete_by_id(actor2.internal_id).exec(tx).await?;
                second_factor::Entity::insert(row).exec_without_returning(tx).await?;
                audit::record(
                    tx,
                    Some(&actor2),
                    "",
                    audit::Change::of("second_factor.start", "user", user),
                )
                .await
            })
        })
        .await?;
    Ok(shown)
}

/// What enrolment shows for `secret`.
fn enrolment(secret: &str, username: &str) -> Result<Enrolment> {
    let otpauth_uri = totp(secret, username)?
        .to_url()
        .map_err(|e| Error::internal(format!("TOTP address: {e:?}")))?;
    let qr_svg = qrcode::QrCode::new(otpauth_uri.as_bytes())
        .map_err(Error::internal)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    // The image goes into a page: without the XML declaration before it.
    let qr_svg = qr_svg.find("<svg").map_or(qr_svg.clone(), |at| qr_svg[at..].to_owned());
    Ok(Enrolment {
        otpauth_uri,
        secret: secret.to_owned(),
        qr_svg,
    })
}

/// Where the person's second factor stands: in force, being enrolled (with what to show
/// again), or none.
pub enum Standing {
    Active,
    Enrolling(Enrolment),
    None,
}

pub async fn standing(app: &App, actor: &Actor) -> Result<Standing> {
    Ok(
        match second_factor::Entity::find_by_id(actor.internal_id)
            .one(&app.db)
            .await?
        {
            Some(f) if f.confirmed_at.is_some() => Standing::Active,
            Some(f) => Standing::Enrolling(enrolment(&f.secret, &actor.username)?),
            None => Standing::None,
        },
    )
}

/// A code's six digits, spaces and dashes allowed between them.
fn digits(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

fn wrong_code() -> Error {
    Error::SecondFactorRequired("the code is not correct, or was used already")
}

/// Puts the factor in force with a code from the person's app; answers the recovery codes.
pub async fn confirm(app: &App, actor: &Actor, code: &str) -> Result<RecoveryCodes> {
    let pending = second_factor::Entity::find_by_id(actor.internal_id)
        .one(&app.db)
        .await?
        .filter(|f| f.confirmed_at.is_none())
        .ok_or_else(|| {
            Error::Conflict(
                "no enrolment to confirm: start one first".into(),
                "Er is geen tweede factor om te bevestigen. Begin opnieuw.".into(),
            )
        })?;
    guarded(app, &actor.username, async {
        let step = totp(&pending.secret, &actor.username)?
            .check(&digits(code), unix_now())
            .ok_or_else(wrong_code)?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect();
        let hashes: Vec<String> = codes.iter().map(|c| secrets::sha256_hex(&normalised(c))).collect();
        let (actor2, user_id) = (actor.clone(), actor.internal_id);
        app.db
            .transaction::<_, (), Error>(|tx| {
                Box::pin(async move {
                    let confirmed = second_factor::Entity::update_many()
                        .col_expr(second_factor::Column::ConfirmedAt, Some(super::now()).into())
                        .col_expr(second_factor::Column::LastStep, Some(step as i64).into())
                        .filter(second_factor::Column::UserId.eq(user_id))
                        .filter(second_factor::Column::ConfirmedAt.is_null())
                        .exec(tx)
                        .await?
                        .rows_affected;
                    if confirmed == 0 {
                        return Err(wrong_code());
                    }
                    recovery_code::Entity::delete_many()
                        .filter(recovery_code::Column::UserId.eq(user_id))
                        .exec(tx)
                        .await?;
                    // The person's sessions that led only to enrolment lead everywhere now.
                    web_session::Entity::update_many()
                        .col_expr(web_session::Column::MustEnrol, false.into())
                        .filter(web_session::Column::UserId.eq(user_id))
                        .exec(tx)
                        .await?;
                    recovery_code::Entity::insert_many(hashes.into_iter().map(|h| recovery_code::ActiveModel {
                        user_id: Set(user_id),
                        code_hash: Set(h),
                        used_at: Set(None),
                        ..Default::default()
                    }))
                    .exec_without_returning(tx)
                    .await?;
                    audit::record(
                        tx,
                        Some(&actor2),
                        "",
                        audit::Change::of("second_factor.confirm", "user", actor2.id),
                    )
                    .await
                })
            })
            .await?;
        Ok(RecoveryCodes { recovery_codes: codes })
    })
    .await
}

/// Ten characters of an alphabet without look-alikes, as `xxxxx-xxxxx`.
fn recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let chars: String = (0..10)
        .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

fn normalised(code: &str) -> String {
    digits(code).to_lowercase()
}

/// At sign-in, after the password: for a person with a second factor in force, the code (or
/// a recovery code) must be given and right. Wrong codes count like wrong passwords.
pub async fn check(app: &App, u: &user::Model, code: Option<&str>) -> Result<()> {
    let Some(factor) = second_factor::Entity::find_by_id(u.id)
        .one(&app.db)
        .await?
        .filter(|f| f.confirmed_at.is_some())
    else {
        return Ok(());
    };
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return Err(Error::SecondFactorRequired("a code from the second factor is required"));
    };
    guarded(app, &u.username, async {
        if let Some(step) = totp(&factor.secret, &u.username)?.check(&digits(code), unix_now()) {
            // Accepted once: only if no code of this step (or a later one) was.
            let step = step as i64;
            let taken = second_factor::Entity::update_many()
                .col_expr(second_factor::Column::LastStep, Some(step).into())
                .filter(second_factor::Column::UserId.eq(u.id))
                .filter(
                    Condition::any()
                        .add(second_factor::Column::LastStep.is_null())
                        .add(second_factor::Column::LastStep.lt(step)),
                )
                .exec(&app.db)
                .await?
                .rows_affected;
            return if taken == 1 { Ok(()) } else { Err(wrong_code()) };
        }
        let used = recovery_code::Entity::update_many()
            .col_expr(recovery_code::Column::UsedAt, Some(super::now()).into())
            .filter(recovery_code::Column::UserId.eq(u.id))
            .filter(recovery_code::Column::CodeHash.eq(secrets::sha256_hex(&normalised(code))))
            .filter(recovery_code::Column::UsedAt.is_null())
            .exec(&app.db)
            .await?
            .rows_affected;
        if used == 1 {
            audit::record(
                &app.db,
                None,
                &u.username,
                audit::Change::of("second_factor.recovery_code", "user", u.public_id),
            )
            .await?;
            Ok(())
        } else {
            Err(wrong_code())
        }
    })
    .await
}

/// Runs a code check under a throttle of its own per account (the login throttle's rule):
/// refused while it is, and a wrong code counted (and slowed) like a wrong password; a right
/// one clears the count. Its own key, because the right password before it clears the
/// account's: otherwise codes could be guessed without end.
async fn guarded<T>(app: &App, username: &str, f: impl Future<Output = Result<T>>) -> Result<T> {
    let now = chrono::Utc::now().timestamp();
    let key = format!("second-factor:{username}");
    if let Some(wait) = throttle::blocked_for(&app.db, &key, &ACCOUNT, now).await? {
        return Err(Error::TooManyRequests {
            retry_after: wait.max(Duration::from_secs(1)),
        });
    }
    match f.await {
        Ok(v) => {
            throttle::clear(&app.db, &key).await?;
            Ok(v)
        }
        Err(e @ Error::SecondFactorRequired(_)) => {
            let delay = throttle::record_failure(&app.db, &key, &ACCOUNT, now).await?;
            tracing::info!("second factor refused");
            tokio::time::sleep(delay).await;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// An administrator takes a person's second factor away (lost phone, no recovery codes); the
/// person enrols again.
pub async fn reset(app: &App, actor: &Actor, id: uuid::Uuid) -> Result<()> {
    app.authorize(actor, Action::UserUpdate, &Resource::User(id))?;
    let target = super::users::find(app, id).await?;
    let (actor, user_id, public_id) = (actor.clone(), target.id, target.public_id);
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let removed = second_factor::Entity::delete_by_id(user_id)
                    .exec(tx)
                    .await?
                    .rows_affected;
                recovery_code::Entity::delete_many()
                    .filter(recovery_code::Column::UserId.eq(user_id))
                    .exec(tx)
                    .await?;
                audit::record(
                    tx,
                    Some(&actor),
                    "",
                    audit::Change::of("second_factor.reset", "user", public_id)
                        .after(json!({ "had_one": removed == 1 })),
                )
                .await
            })
        })
        .await?;
    Ok(())
}
