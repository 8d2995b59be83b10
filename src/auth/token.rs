//! Access tokens: short-lived HS256 JWTs.
//!
//! Issued with `iss`, `aud`, `sub` (the user's public id), `iat`, `exp`, `jti` and `ver` (the
//! user's credentials version). Verification pins the algorithm, requires every claim and
//! allows at most [`LEEWAY_SECS`] of clock skew. The credentials version is compared with the
//! database by the caller, so disabling a user or changing a password ends their tokens.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::keys::SigningKey;

pub const ISSUER: &str = "beslecht";
pub const AUDIENCE: &str = "beslecht-api";
pub const LEEWAY_SECS: u64 = 5;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
    pub ver: i32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid")]
    Invalid,
}

#[derive(Clone)]
pub struct TokenIssuer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl TokenIssuer {
    pub fn new(key: &SigningKey, ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = LEEWAY_SECS;
        // `exp` stays required, but is checked below against the caller's clock, so that
        // verification is one deterministic function of (token, now).
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(key.expose_secret()),
            decoding: DecodingKey::from_secret(key.expose_secret()),
            validation,
            ttl,
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    pub fn issue(&self, user: Uuid, credentials_version: i32, now: i64) -> String {
        self.issue_as(Uuid::new_v4(), user, credentials_version, now)
    }

    /// A token with a given `jti` (the one recorded for its holder to see and end).
    pub fn issue_as(&self, jti: Uuid, user: Uuid, credentials_version: i32, now: i64) -> String {
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: user,
            iat: now,
            exp: now + self.ttl.as_secs() as i64,
            jti,
            ver: credentials_version,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing cannot fail")
    }

    /// Checks signature, algorithm, issuer, audience and expiry, and that the token was not
    /// issued in the future nor lives longer than this service issues tokens for.
    pub fn verify(&self, token: &str, now: i64) -> Result<Claims, TokenError> {
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map_err(|_| TokenError::Invalid)?;
        let c = data.claims;
        let leeway = LEEWAY_SECS as i64;
        if now > c.exp + leeway {
            return Err(TokenError::Expired);
        }
        if c.iat > now + leeway || c.exp - c.iat > self.ttl.as_secs() as i64 + leeway {
            return Err(TokenError::Invalid);
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretBox;

    fn issuer() -> TokenIssuer {
        TokenIssuer::new(&SecretBox::new(Box::new(vec![42u8; 64])), Duration::from_secs(900))
    }

    fn sign(claims: &serde_json::Value, alg: Algorithm, key: &[u8]) -> String {
        jsonwebtoken::encode(&Header::new(alg), claims, &EncodingKey::from_secret(key)).unwrap()
    }

    fn claims(now: i64) -> serde_json::Value {
        serde_json::json!({"iss": ISSUER, "aud": AUDIENCE, "sub": Uuid::nil(), "iat": now, "exp": now + 60,
            "jti": Uuid::nil(), "ver": 1})
    }

    #[test]
    fn round_trip() {
        let t = issuer();
        let user = Uuid::new_v4();
        let c = t.verify(&t.issue(user, 3, 1_000), 1_010).unwrap();
        assert_eq!(
            (c.sub, c.ver, c.exp - c.iat, c.iss.as_str(), c.aud.as_str()),
            (user, 3, 900, ISSUER, AUDIENCE)
        );
    }

    #[test]
    fn expiry_allows_only_a_few_seconds_of_skew() {
        let t = issuer();
        let tok = t.issue(Uuid::nil(), 1, 1_000);
        assert!(t.verify(&tok, 1_900 + LEEWAY_SECS as i64).is_ok());
        assert_eq!(t.verify(&tok, 1_900 + LEEWAY_SECS as i64 + 1), Err(TokenError::Expired));
    }

    #[test]
    fn forgeries_are_refused() {
        let t = issuer();
        let now = 1_800_000_000;
        let good = claims(now);
        assert!(t.verify(&sign(&good, Algorithm::HS256, &[42u8; 64]), now).is_ok());
        // Wrong key, other algorithms, alg none.
        assert_eq!(
            t.verify(&sign(&good, Algorithm::HS256, &[1u8; 64]), now),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            t.verify(&sign(&good, Algorithm::HS512, &[42u8; 64]), now),
            Err(TokenError::Invalid)
        );
        // {"alg":"none","typ":"JWT"} with the genuine payload and no signature.
        let payload = sign(&good, Algorithm::HS256, &[42u8; 64])
            .split('.')
            .nth(1)
            .unwrap()
            .to_owned();
        let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
        assert_eq!(t.verify(&none, now), Err(TokenError::Invalid));
        // Wrong audience, wrong issuer, missing claims, future iat, overlong lifetime.
        for (field, value) in [
            ("aud", serde_json::json!("other")),
            ("iss", serde_json::json!("other")),
            ("iat", serde_json::json!(now + 3_600)),
            ("exp", serde_json::json!(now + 86_400)),
        ] {
            let mut c = good.clone();
            c[field] = value;
            assert_eq!(
                t.verify(&sign(&c, Algorithm::HS256, &[42u8; 64]), now),
                Err(TokenError::Invalid),
                "{field}"
            );
        }
        for field in ["aud", "iss", "sub", "exp", "jti", "ver", "iat"] {
            let mut c = good.clone();
            c.as_object_mut().unwrap().remove(field);
            assert!(
                t.verify(&sign(&c, Algorithm::HS256, &[42u8; 64]), now).is_err(),
                "{field}"
            );
        }
        assert_eq!(t.verify("not.a.token", now), Err(TokenError::Invalid));
        assert_eq!(t.verify("", now), Err(TokenError::Invalid));
    }
}
