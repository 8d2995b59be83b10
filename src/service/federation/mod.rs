//! Signing in through an organisation's own identity provider (OpenID Connect, authorization
//! code flow with PKCE). [`begin`] stores what the answer must match (the `state`'s hash, the
//! `nonce`, the PKCE verifier, the browser that asked) and sends the browser to the provider;
//! [`finish`] takes the answer once (the row is deleted by whichever node takes it), exchanges
//! the code, verifies the ID token with `openidconnect` (signature by the provider's published
//! keys, issuer, audience, expiry, nonce, and the access token's hash), and finds, links or
//! creates the person. Every refusal is audited and changes nothing else.

pub mod claims;
pub mod logout;
mod person;
pub mod providers;

use base64::Engine as _;
use openidconnect::{
    AccessTokenHash, AuthorizationCode, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    Scope, TokenResponse,
    core::{CoreAuthenticationFlow, CoreIdToken},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    App, audit,
    secrets::{random_token, sha256_hex},
};
use crate::{
    error::{Error, Result},
    storage::entities::{oidc_login, user},
};
use providers::Provider;

/// How long a sign-in begun at a provider may take.
const PENDING_FOR: chrono::Duration = chrono::Duration::minutes(10);
/// Stored instead of a password hash for a person created at a provider's sign-in: no
/// password verifies against it.
pub const NO_PASSWORD: &str = "!federated";

pub struct Begun {
    /// The provider's authorisation address, to send the browser to.
    pub location: String,
    /// The secret for the browser's cookie, which the answer must come back with.
    pub browser: String,
}

/// Sends the browser to the provider; `return_to` is where to go after signing in.
pub async fn begin(app: &App, name: &str, return_to: &str) -> Result<Begun> {
    let p = app.federation.get(name).ok_or(Error::NotFound("identity provider"))?;
    let client = app.federation.client(p, false).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge);
    for s in &p.config.scopes {
        request = request.add_scope(Scope::new(s.clone()));
    }
    let (url, state, nonce) = request.url();
    let browser = random_token();
    oidc_login::ActiveModel {
        state_hash: Set(sha256_hex(state.secret())),
        browser_hash: Set(sha256_hex(&browser)),
        provider: Set(p.config.name.clone()),
        nonce: Set(nonce.secret().clone()),
        pkce_verifier: Set(verifier.secret().clone()),
        return_to: Set(return_to.to_owned()),
        expires_at: Set(super::now() + PENDING_FOR),
    }
    .insert(&app.db)
    .await?;
    Ok(Begun {
        location: url.to_string(),
        browser,
    })
}

/// The provider's answer, as the browser brought it.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Answer {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

pub struct SignedIn {
    pub user: user::Model,
    /// The provider's session id, or the person's subject there (for its logout).
    pub provider_session: String,
    pub return_to: String,
}

/// A sign-in refused: the reason for the log and the audit, and what the person is told.
#[derive(Debug)]
pub struct Refused {
    pub reason: String,
    pub message_nl: &'static str,
}

fn refused(reason: impl Into<String>, message_nl: &'static str) -> Refused {
    Refused {
        reason: reason.into(),
        message_nl,
    }
}

const TRY_AGAIN: &str = "Het inloggen is niet gelukt. Begin opnieuw bij de inlogpagina.";

/// Takes the provider's answer; a refusal is audited before it is answered.
pub async fn finish(
    app: &App,
    name: &str,
    answer: Answer,
    browser: Option<&str>,
) -> Result<std::result::Result<SignedIn, Refused>> {
    let Some(p) = app.federation.get(name) else {
        return Err(Error::NotFound("identity provider"));
    };
    let outcome = take(app, p, answer, browser).await?;
    if let Err(r) = &outcome {
        tracing::info!(provider = %name, reason = %r.reason, "sign-in at identity provider refused");
        audit::record(
            &app.db,
            None,
            &format!("identity provider {name}"),
            audit::Change::of("sign_in.refused", "identity_provider", Uuid::nil()).reason(r.reason.clone()),
        )
        .await?;
    }
    Ok(outcome)
}

async fn take(
    app: &App,
    p: &Provider,
    answer: Answer,
    browser: Option<&str>,
) -> Result<std::result::Result<SignedIn, Refused>> {
    let Some(state) = answer.state.filter(|s| !s.is_empty()) else {
        return Ok(Err(refused("the answer carries no state", TRY_AGAIN)));
    };
    let state_hash = sha256_hex(&state);
    let Some(pending) = oidc_login::Entity::find_by_id(state_hash.clone()).one(&app.db).await? else {
        return Ok(Err(refused("unknown or already used state", TRY_AGAIN)));
    };
    // Taken once: of two nodes (or two tabs) bringing the same answer, one deletes the row.
    let taken = oidc_login::Entity::delete_many()
        .filter(oidc_login::Column::StateHash.eq(&state_hash))
        .exec(&app.db)
        .await?
        .rows_affected;
    if taken != 1 {
        return Ok(Err(refused("unknown or already used state", TRY_AGAIN)));
    }
    if pending.provider != p.config.name {
        return Ok(Err(refused("the state was issued for another provider", TRY_AGAIN)));
    }
    if pending.expires_at < super::now() {
        return Ok(Err(refused("the sign-in took too long", TRY_AGAIN)));
    }
    if browser.map(sha256_hex).as_deref() != Some(pending.browser_hash.as_str()) {
        return Ok(Err(refused(
            "the answer came to another browser than the one that asked",
            TRY_AGAIN,
        )));
    }
    if let Some(e) = answer.error {
        return Ok(Err(refused(
            format!("the provider answered {e}"),
            "De identiteitsprovider heeft het inloggen afgebroken.",
        )));
    }
    let Some(code) = answer.code.filter(|c| !c.is_empty()) else {
        return Ok(Err(refused("the answer carries no code", TRY_AGAIN)));
    };

    let client = app.federation.client(p, false).await?;
    let exchanged = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| Error::internal(format!("token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
        .request_async(app.federation.http())
        .await;
    let tokens = match exchanged {
        Ok(t) => t,
        Err(e) => return Ok(Err(refused(format!("the code was not exchanged: {e}"), TRY_AGAIN))),
    };
    let Some(id_token) = tokens.id_token() else {
        return Ok(Err(refused("the provider returned no ID token", TRY_AGAIN)));
    };
    let nonce = Nonce::new(pending.nonce);
    let verified = match verify(&client, id_token, &nonce, tokens.access_token()) {
        // A key we do not hold: the provider may have rotated its keys; fetch them once more.
        Err(openidconnect::ClaimsVerificationError::SignatureVerification(_)) => {
            let fresh = app.federation.client(p, true).await?;
            verify(&fresh, id_token, &nonce, tokens.access_token())
        }
        other => other,
    };
    if let Err(e) = verified {
        return Ok(Err(refused(format!("the ID token is not valid: {e}"), TRY_AGAIN)));
    }
    let Some(payload) = payload(id_token) else {
        return Ok(Err(refused("the ID token's claims cannot be read", TRY_AGAIN)));
    };
    let claimed = match claims::read(&p.config, &payload) {
        Ok(c) => c,
        Err(r) => {
            return Ok(Err(refused(
                r.reason(),
                "Uw identiteitsprovider geeft niet door wie u bent of welke rol u hebt. Vraag uw beheerder om toegang.",
            )));
        }
    };
    let person = match person::find_or_create(app, p, &claimed).await? {
        Ok(u) => u,
        Err(r) => return Ok(Err(r)),
    };
    Ok(Ok(SignedIn {
        user: person,
        provider_session: claimed.session.unwrap_or(claimed.subject),
        return_to: pending.return_to,
    }))
}

fn verify(
    client: &providers::Client,
    id_token: &CoreIdToken,
    nonce: &Nonce,
    access_token: &openidconnect::AccessToken,
) -> std::result::Result<(), openidconnect::ClaimsVerificationError> {
    let verifier = client.id_token_verifier();
    let claims = id_token.claims(&verifier, nonce)?;
    // The access token was issued with this ID token, not swapped in.
    if let Some(expected) = claims.access_token_hash() {
        let alg = id_token
            .signing_alg()
            .map_err(|e| openidconnect::ClaimsVerificationError::Other(e.to_string()))?;
        let key = id_token
            .signing_key(&verifier)
            .map_err(|e| openidconnect::ClaimsVerificationError::Other(e.to_string()))?;
        let actual = AccessTokenHash::from_token(access_token, alg, key)
            .map_err(|e| openidconnect::ClaimsVerificationError::Other(e.to_string()))?;
        if actual != *expected {
            return Err(openidconnect::ClaimsVerificationError::Other(
                "the access token's hash differs".into(),
            ));
        }
    }
    Ok(())
}

/// The claims of a token whose signature was verified above, every one of them (the
/// organisation and group claims are the provider's own).
fn payload(id_token: &CoreIdToken) -> Option<serde_json::Map<String, serde_json::Value>> {
    let jwt = id_token.to_string();
    let part = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).ok()?;
    serde_json::from_slice(&bytes).ok()
}
