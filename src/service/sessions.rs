//! Sessions people can see: their own web sessions and API tokens — browser, address, when
//! begun and last used — and ending any of them. Both live in the database, so an ended
//! session or token is refused on every node at its next request.

use std::{
    collections::HashMap,
    sync::{Mutex, OnceLock},
    time::Instant,
};

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Actor, App, audit, now, secrets::sha256_hex};
use crate::{
    error::{Error, Result},
    storage::entities::{access_token, web_session},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct Sessions {
    pub web: Vec<SessionView>,
    pub tokens: Vec<TokenView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: String,
    pub user_agent: Option<String>,
    pub address: Option<String>,
    pub started_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    /// The identity provider it was begun at, if any.
    pub provider: Option<String>,
    /// Whether this is the session of the browser asking.
    pub current: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub id: Uuid,
    pub user_agent: Option<String>,
    pub address: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    /// Whether this is the token the request came with.
    pub current: bool,
}

/// What the request itself came with, so the list can mark it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Current<'a> {
    pub session_secret: Option<&'a str>,
    pub token: Option<Uuid>,
}

/// The person's own sessions and tokens that have not ended, the newest first.
pub async fn list(app: &App, actor: &Actor, current: Current<'_>) -> Result<Sessions> {
    let at = now();
    let own_hash = current.session_secret.map(sha256_hex);
    let web = web_session::Entity::find()
        .filter(web_session::Column::UserId.eq(actor.internal_id))
        .filter(web_session::Column::ExpiresAt.gt(at))
        .order_by_desc(web_session::Column::Id)
        .all(&app.db)
        .await?
        .into_iter()
        .filter_map(|s| {
            Some(SessionView {
                current: own_hash.as_deref() == Some(s.token_hash.as_str()),
                id: s.public_id?,
                user_agent: s.user_agent,
                address: s.address,
                started_at: s.created_at,
                last_used_at: s.last_used_at,
                expires_at: s.expires_at,
                provider: s.provider,
            })
        })
        .collect();
    let tokens = access_token::Entity::find()
        .filter(access_token::Column::UserId.eq(actor.internal_id))
        .filter(access_token::Column::ExpiresAt.gt(at))
        .filter(access_token::Column::RevokedAt.is_null())
        .order_by_desc(access_token::Column::CreatedAt)
        .all(&app.db)
        .await?
        .into_iter()
        .map(|t| TokenView {
            current: current.token == Some(t.jti),
            id: t.jti,
            user_agent: t.user_agent,
            address: t.address,
            issued_at: t.created_at,
            last_used_at: t.last_used_at,
            expires_at: t.expires_at,
        })
        .collect();
    Ok(Sessions { web, tokens })
}

/// Ends one of the person's own web sessions (another's is not found); answers whether it
/// was the one `current_secret` belongs to.
pub async fn end_session(app: &App, actor: &Actor, id: &str, current_secret: Option<&str>) -> Result<bool> {
    let Some(s) = web_session::Entity::find()
        .filter(web_session::Column::UserId.eq(actor.internal_id))
        .filter(web_session::Column::PublicId.eq(id))
        .one(&app.db)
        .await?
    else {
        return Err(Error::NotFound("session"));
    };
    web_session::Entity::delete_by_id(s.id).exec(&app.db).await?;
    audit::record(
        &app.db,
        Some(actor),
        "",
        audit::Change::of("session.ended", "user", actor.id),
    )
    .await?;
    Ok(current_secret.map(sha256_hex).as_deref() == Some(s.token_hash.as_str()))
}

/// Ends one of the person's own API tokens; another's is not found.
pub async fn revoke_token(app: &App, actor: &Actor, jti: Uuid) -> Result<()> {
    let ended = access_token::Entity::update_many()
        .col_expr(access_token::Column::RevokedAt, Expr::value(now()))
        .filter(access_token::Column::UserId.eq(actor.internal_id))
        .filter(access_token::Column::Jti.eq(jti))
        .filter(access_token::Column::RevokedAt.is_null())
        .exec(&app.db)
        .await?
        .rows_affected;
    if ended == 0 {
        return Err(Error::NotFound("token"));
    }
    audit::record(
        &app.db,
        Some(actor),
        "",
        audit::Change::of("token.revoked", "user", actor.id),
    )
    .await
}

/// Records a token as issued, so its holder sees it and can end it.
pub async fn record_token(
    app: &App,
    user_id: i32,
    jti: Uuid,
    expires_at: DateTime<Utc>,
    user_agent: Option<&str>,
    address: Option<&str>,
) -> Result<()> {
    let at = now();
    access_token::Entity::insert(access_token::ActiveModel {
        jti: Set(jti),
        user_id: Set(user_id),
        user_agent: Set(user_agent.map(|a| a.chars().take(300).collect())),
        address: Set(address.map(str::to_owned)),
        created_at: Set(at),
        expires_at: Set(expires_at),
        last_used_at: Set(Some(at)),
        revoked_at: Set(None),
    })
    .exec_without_returning(&app.db)
    .await?;
    Ok(())
}

/// Notes that a token was used: written at most once a minute per token and node (the
/// per-node map only spares writes), before the request goes on — not beside it, where on
/// SQLite it would race the request's own transaction for the write lock.
pub async fn touch_token(app: &App, jti: Uuid) -> Result<()> {
    static WRITTEN: OnceLock<Mutex<HashMap<Uuid, Instant>>> = OnceLock::new();
    let due = {
        let mut map = WRITTEN.get_or_init(Default::default).lock().expect("not poisoned");
        if map.len() > 10_000 {
            map.retain(|_, at| at.elapsed().as_secs() < 60);
        }
        match map.get(&jti) {
            Some(at) if at.elapsed().as_secs() < 60 => false,
            _ => {
                map.insert(jti, Instant::now());
                true
            }
        }
    };
    if due {
        access_token::Entity::update_many()
            .col_expr(access_token::Column::LastUsedAt, Expr::value(now()))
            .filter(access_token::Column::Jti.eq(jti))
            .exec(&app.db)
            .await?;
    }
    Ok(())
}

/// Removes tokens that have run out (housekeeping; idempotent on any number of nodes).
pub async fn prune(app: &App) -> Result<u64> {
    Ok(access_token::Entity::delete_many()
        .filter(access_token::Column::ExpiresAt.lt(now() - chrono::Duration::days(1)))
        .exec(&app.db)
        .await?
        .rows_affected)
}
