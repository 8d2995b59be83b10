//! A provider's session ends, so does ours (OpenID Connect Back-Channel Logout 1.0 and
//! Front-Channel Logout 1.0). The back channel brings a logout token, a JWT signed by the
//! provider: verified against its published keys (fetched again once for a key we do not
//! know), issuer, audience, time, the logout event, and no nonce. The front channel brings only
//! the issuer and the session id, as that specification has it. Either ends every web session
//! begun at that provider session (or, by subject, every one of that person begun there), on
//! every node, since sessions live in the database.

use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use uuid::Uuid;

use super::providers::Provider;
use crate::{
    error::{Error, Result},
    service::{App, audit},
    storage::entities::{user_identity, web_session},
};

const EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

#[derive(Deserialize)]
struct LogoutClaims {
    sub: Option<String>,
    sid: Option<String>,
    events: serde_json::Map<String, serde_json::Value>,
    nonce: Option<serde_json::Value>,
}

fn provider<'a>(app: &'a App, name: &str) -> Result<&'a Provider> {
    app.federation.get(name).ok_or(Error::NotFound("identity provider"))
}

/// A logout token from the provider's back channel: answers how many sessions ended.
pub async fn back_channel(app: &App, name: &str, token: &str) -> Result<u64> {
    let p = provider(app, name)?;
    let claims = match verify(app, p, token, false).await {
        Err(Error::BadRequest(_)) => verify(app, p, token, true).await?,
        other => other?,
    };
    if !claims.events.contains_key(EVENT) || claims.nonce.is_some() {
        return Err(Error::BadRequest("not a logout token".into()));
    }
    end(app, p, claims.sid.as_deref(), claims.sub.as_deref(), "back-channel").await
}

async fn verify(app: &App, p: &Provider, token: &str, refresh: bool) -> Result<LogoutClaims> {
    let bad = |e: &dyn std::fmt::Display| Error::BadRequest(format!("the logout token is not valid: {e}"));
    let header = jsonwebtoken::decode_header(token).map_err(|e| bad(&e))?;
    let metadata = app.federation.metadata(p, refresh).await?;
    let keys: JwkSet = serde_json::from_value(app.federation.json(metadata.jwks_uri().as_str()).await?)
        .map_err(|e| Error::Unavailable(format!("the provider's keys: {e}")))?;
    let key = match &header.kid {
        Some(kid) => keys.find(kid),
        None if keys.keys.len() == 1 => keys.keys.first(),
        None => None,
    }
    .ok_or_else(|| bad(&"signed with a key the provider does not publish"))?;
    // Only the provider's asymmetric algorithms; never `none` or a shared secret.
    const ALLOWED: [Algorithm; 6] = [
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::ES256,
        Algorithm::EdDSA,
    ];
    if !ALLOWED.contains(&header.alg) {
        return Err(bad(&"an algorithm this service does not accept"));
    }
    let decoding = DecodingKey::from_jwk(key).map_err(|e| bad(&e))?;
    let mut v = Validation::new(header.alg);
    v.set_issuer(&[p.config.issuer.as_str(), metadata.issuer().as_str()]);
    v.set_audience(&[p.config.client_id.as_str()]);
    v.set_required_spec_claims(&["iss", "aud", "iat"]);
    v.leeway = 60;
    let data = jsonwebtoken::decode::<LogoutClaims>(token, &decoding, &v).map_err(|e| bad(&e))?;
    Ok(data.claims)
}

/// The front channel: the provider's page loads ours with its issuer and session id.
pub async fn front_channel(app: &App, name: &str, issuer: Option<&str>, sid: Option<&str>) -> Result<u64> {
    let p = provider(app, name)?;
    if let Some(iss) = issuer
        && iss.trim_end_matches('/') != p.config.issuer
    {
        return Err(Error::BadRequest("another issuer".into()));
    }
    let Some(sid) = sid.filter(|s| !s.is_empty()) else {
        return Err(Error::BadRequest("no session id".into()));
    };
    end(app, p, Some(sid), None, "front-channel").await
}

async fn end(app: &App, p: &Provider, sid: Option<&str>, sub: Option<&str>, channel: &str) -> Result<u64> {
    let name = &p.config.name;
    let mut ended = 0;
    if let Some(sid) = sid {
        ended += web_session::Entity::delete_many()
            .filter(web_session::Column::Provider.eq(name))
            .filter(web_session::Column::ProviderSession.eq(sid))
            .exec(&app.db)
            .await?
            .rows_affected;
    }
    if sid.is_none()
        && let Some(sub) = sub
        && let Some(identity) = user_identity::Entity::find()
            .filter(user_identity::Column::Provider.eq(name))
            .filter(user_identity::Column::Subject.eq(sub))
            .one(&app.db)
            .await?
    {
        ended += web_session::Entity::delete_many()
            .filter(web_session::Column::Provider.eq(name))
            .filter(web_session::Column::UserId.eq(identity.user_id))
            .exec(&app.db)
            .await?
            .rows_affected;
    }
    if sid.is_none() && sub.is_none() {
        return Err(Error::BadRequest(
            "the logout names neither a session nor a subject".into(),
        ));
    }
    if ended > 0 {
        audit::record(
            &app.db,
            None,
            &format!("identity provider {name}"),
            audit::Change::of("session.ended_by_provider", "identity_provider", Uuid::nil())
                .reason(format!("{channel} logout, {ended} session(s)")),
        )
        .await?;
    }
    Ok(ended)
}
