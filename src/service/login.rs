//! Signing in: username and password for a short-lived access token.
//!
//! The order matters: refusals for throttled keys come first and cost nothing; then the
//! attempt is counted per account and per client address (before any check, so a burst of
//! simultaneous guesses cannot slip past the limit); then the password is verified (against
//! a dummy hash for unknown users, so both cost the same). A failure may slow its answer and
//! start a refusal period; a success clears the account's count.
//! Every failure answers the same 401, whatever the reason.

use std::{net::IpAddr, time::Duration};

use sea_orm::ColumnTrait;
use utoipa::ToSchema;

use super::{
    App,
    input::{Fields, FromFields},
    throttle,
};
use crate::{
    domain::throttle::{ACCOUNT, ADDRESS},
    error::{Error, Result},
    storage::entities::user,
};

#[derive(ToSchema)]
pub struct Credentials {
    pub username: String,
    #[schema(format = Password)]
    pub password: String,
    /// The code from the second factor (or a recovery code), for a person who has one.
    pub code: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl FromFields for Credentials {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let username = f.required_raw("username");
        let password = f.required_raw("password");
        let code = f.optional("code", |raw| Ok(raw.to_owned())).ok()?;
        Some(Self {
            username: username?,
            password: password?,
            code,
        })
    }
}

pub struct IssuedToken {
    pub access_token: String,
    pub expires_in: Duration,
}

const BAD_CREDENTIALS: &str = "the username or password is not correct";

/// Signs in for the API: checks the credentials and the second factor (for a person who has
/// one), then issues an access token.
/// The token is recorded (by its `jti`, with the client's address and `User-Agent`), so its
/// holder can see and end it.
pub async fn login(
    app: &App,
    credentials: Credentials,
    client: IpAddr,
    user_agent: Option<&str>,
) -> Result<IssuedToken> {
    let code = credentials.code.clone();
    let u = verify(app, credentials, client).await?;
    super::second_factor::check(app, &u, code.as_deref()).await?;
    if super::second_factor::must_enrol(app, &u).await? {
        return Err(Error::SecondFactorEnrolment);
    }
    let now = chrono::Utc::now();
    let jti = uuid::Uuid::new_v4();
    let expires_in = app.tokens.ttl();
    let expires_at = now + chrono::Duration::from_std(expires_in).unwrap_or_default();
    super::sessions::record_token(app, u.id, jti, expires_at, user_agent, Some(&client.to_string())).await?;
    Ok(IssuedToken {
        access_token: app
            .tokens
            .issue_as(jti, u.public_id, u.credentials_version, now.timestamp()),
        expires_in,
    })
}

/// Checks a username and password under the login throttles; the API (a token) and the web
/// application (a session) both sign in through this.
#[tracing::instrument(skip_all, fields(username = ?credentials.username, client = %client))]
pub async fn verify(app: &App, credentials: Credentials, client: IpAddr) -> Result<user::Model> {
    let now = chrono::Utc::now().timestamp();
    // Normalised like stored usernames; anything longer than a username can be is unknown.
    // A control character (a NUL, say) cannot be in a username: it becomes U+FFFD, so the
    // attempt is counted and refused like any other unknown name, on every database alike.
    let username: String = credentials
        .username
        .trim()
        .to_lowercase()
        .chars()
        .take(100)
        .map(|c| if c.is_control() { char::REPLACEMENT_CHARACTER } else { c })
        .collect();
    let account_key = format!("account:{username}");
    let address_key = format!("address:{client}");

    let rules = [(&account_key, &ACCOUNT), (&address_key, &ADDRESS)];
    for (key, rule) in rules {
        if let Some(wait) = throttle::blocked_for(&app.db, key, rule, now).await? {
            tracing::info!(key = key.split(':').next(), "login refused: throttled");
            return Err(Error::TooManyRequests {
                retry_after: wait.max(Duration::from_secs(1)),
            });
        }
    }
    // Count this attempt before checking anything, so simultaneous guesses cannot all slip
    // past the limit; an attempt over the limit is refused without hashing.
    let mut counts = [0; 2];
    for (i, (key, _)) in rules.iter().enumerate() {
        counts[i] = throttle::count_attempt(&app.db, key, now).await?;
    }
    for (i, (key, rule)) in rules.iter().enumerate() {
        if !rule.may_check(counts[i]) {
            for (k, _) in rules {
                throttle::forgive_attempt(&app.db, k).await?;
            }
            let block = rule.block(0);
            throttle::block_until(&app.db, key, now + block.as_secs() as i64).await?;
            tracing::info!(key = key.split(':').next(), "login refused: over the limit");
            return Err(Error::TooManyRequests { retry_after: block });
        }
    }

    let found = super::identity::with_organisation(&app.db, user::Column::Username.eq(username.as_str())).await?;
    // An organisation whose people sign in through its identity provider has the password
    // form switched off: their password is not even checked (the same answer as a wrong one).
    let found = found.map(|(u, org)| (u, org.is_none_or(|o| o.password_sign_in)));
    let stored = found
        .as_ref()
        .filter(|(u, may)| u.disabled_at.is_none() && *may)
        .map(|(u, _)| u.password_hash.as_str());
    let ok = app.hasher.verify(&credentials.password, stored).await?;

    match found.map(|(u, _)| u) {
        Some(u) if ok => {
            throttle::clear(&app.db, &account_key).await?;
            throttle::forgive_attempt(&app.db, &address_key).await?;
            tracing::info!("login succeeded");
            Ok(u)
        }
        _ => {
            let mut delay = Duration::ZERO;
            for (i, (key, rule)) in rules.iter().enumerate() {
                delay = delay.max(throttle::apply_failure(&app.db, key, rule, counts[i], now).await?);
            }
            tracing::info!("login failed");
            tokio::time::sleep(delay).await;
            Err(Error::Unauthenticated(BAD_CREDENTIALS))
        }
    }
}
