//! Sessions of the web application. The browser holds a random secret in an HttpOnly cookie;
//! the database holds its SHA-256, the user, the token every form must carry, and when the
//! session ends: after 30 minutes without use, and at the latest 12 hours after sign-in.
//! A changed password or a disabled account ends every session at once, as with tokens.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, QueryFilter,
    sea_query::Expr,
};

use super::{
    Actor, App,
    identity::{self, actor_of},
    now,
};
use crate::{
    error::Result,
    storage::entities::{user, web_session},
};

pub const IDLE: Duration = Duration::minutes(30);
pub const LONGEST: Duration = Duration::hours(12);

/// A signed-in browser.
#[derive(Debug, Clone)]
pub struct WebSession {
    pub actor: Actor,
    /// The person's role requires a second factor and they have none: the session leads
    /// only to enrolment.
    pub must_enrol: bool,
    /// The token every form of this session carries.
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

use super::secrets::{random_token as random_hex, sha256_hex as hash};

/// Where a session was begun: the browser (as it names itself), its address, its device
/// cookie, and for a sign-in at an identity provider, which one and its session there.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub user_agent: Option<String>,
    pub address: Option<String>,
    /// The secret of the browser's long-lived device cookie, if it sent one.
    pub device: Option<String>,
    pub provider: Option<(String, String)>,
}

/// A session just begun: the cookie's secret, the session, and the device cookie's secret
/// (a new one where the browser brought none).
pub struct Started {
    pub secret: String,
    pub session: WebSession,
    pub device: String,
}

/// Starts a session for a user who just signed in (with a password, or at a provider when
/// `origin.provider` says which). A sign-in from a browser the person never
/// signed in from before is told to them by e-mail (not their very first).
pub async fn start(app: &App, user: user::Model, origin: Origin) -> Result<Started> {
    // The second factor is the password's companion; a person signed in at their
    // organisation's identity provider gave that provider's factors.
    let must_enrol = origin.provider.is_none() && super::second_factor::must_enrol(app, &user).await?;
    let secret = random_hex();
    let csrf = random_hex();
    let at = now();
    let expires_at = at + IDLE;
    let (provider, provider_session) = origin.provider.clone().unzip();
    let user_agent = origin
        .user_agent
        .as_deref()
        .map(|a| a.chars().take(300).collect::<String>());
    web_session::Entity::insert(web_session::ActiveModel {
        id: NotSet,
        token_hash: Set(hash(&secret)),
        user_id: Set(user.id),
        csrf_token: Set(csrf.clone()),
        credentials_version: Set(user.credentials_version),
        created_at: Set(at),
        expires_at: Set(expires_at),
        must_enrol: Set(must_enrol),
        user_agent: Set(user_agent.clone()),
        address: Set(origin.address.clone()),
        last_used_at: Set(Some(at)),
        provider: Set(provider),
        provider_session: Set(provider_session),
        public_id: Set(Some(random_hex()[..32].to_owned())),
    })
    .exec_without_returning(&app.db)
    .await?;
    let device = super::devices::recognise(
        app,
        &user,
        origin.device.as_deref(),
        user_agent.as_deref(),
        origin.address.as_deref(),
    )
    .await?;
    let actor = actor_of(app, user).await?;
    Ok(Started {
        secret,
        session: WebSession {
            actor,
            must_enrol,
            csrf,
            expires_at,
        },
        device,
    })
}

/// The session behind a cookie's secret, if it is still valid; each use moves its end
/// (written at most once a minute).
pub async fn resume(app: &App, secret: &str) -> Result<Option<WebSession>> {
    let at = now();
    let Some(s) = web_session::Entity::find()
        .filter(web_session::Column::TokenHash.eq(hash(secret)))
        .filter(web_session::Column::ExpiresAt.gt(at))
        .one(&app.db)
        .await?
    else {
        return Ok(None);
    };
    let Some(caller) = identity::caller(&app.db, user::Column::Id.eq(s.user_id)).await? else {
        return Ok(None);
    };
    if caller.disabled || caller.credentials_version != s.credentials_version {
        end(app, secret).await?;
        return Ok(None);
    }
    let expires_at = (at + IDLE).min(s.created_at + LONGEST);
    if expires_at - s.expires_at > Duration::minutes(1) {
        web_session::Entity::update_many()
            .col_expr(web_session::Column::ExpiresAt, Expr::value(expires_at))
            .col_expr(web_session::Column::LastUsedAt, Expr::value(at))
            .filter(web_session::Column::Id.eq(s.id))
            .exec(&app.db)
            .await?;
    }
    Ok(Some(WebSession {
        actor: caller.actor,
        must_enrol: s.must_enrol,
        csrf: s.csrf_token,
        expires_at: expires_at.max(s.expires_at),
    }))
}

/// Signs out: the session is gone on every node.
pub async fn end(app: &App, secret: &str) -> Result<()> {
    web_session::Entity::delete_many()
        .filter(web_session::Column::TokenHash.eq(hash(secret)))
        .exec(&app.db)
        .await?;
    Ok(())
}

/// Removes ended sessions and sign-ins begun at a provider that never came back
/// (housekeeping; idempotent on any number of nodes).
pub async fn prune(app: &App) -> Result<u64> {
    let pending = crate::storage::entities::oidc_login::Entity::delete_many()
        .filter(crate::storage::entities::oidc_login::Column::ExpiresAt.lt(now()))
        .exec(&app.db)
        .await?
        .rows_affected;
    Ok(pending
        + web_session::Entity::delete_many()
            .filter(web_session::Column::ExpiresAt.lt(now()))
            .exec(&app.db)
            .await?
            .rows_affected)
}

/// Whether a form's token is this session's, compared in constant time.
pub fn csrf_matches(session: &WebSession, presented: &str) -> bool {
    let (a, b) = (session.csrf.as_bytes(), presented.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
