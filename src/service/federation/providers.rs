//! The configured identity providers at run time: each one's discovery document and keys,
//! fetched when first needed and again after an hour, or at once when a token is signed
//! with a key the cached set does not hold (the provider rotated its keys). The cache is only
//! a cache: every node fetches its own, and nothing of a sign-in lives in it.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use openidconnect::{
    ClientId, ClientSecret, IssuerUrl, RedirectUrl,
    core::{CoreClient, CoreProviderMetadata},
};
use secrecy::ExposeSecret;
use tokio::sync::RwLock;

use crate::{
    config::{Config, identity_providers::IdentityProvider},
    error::{Error, Result},
};

const FRESH_FOR: Duration = Duration::from_secs(3600);
const TIMEOUT: Duration = Duration::from_secs(10);

pub struct Federation {
    providers: Vec<Provider>,
    http: Http,
    public_url: String,
}

pub struct Provider {
    pub config: IdentityProvider,
    cached: RwLock<Option<(Arc<CoreProviderMetadata>, Instant)>>,
}

/// A client of one provider, with the metadata it was built from.
pub type Client = openidconnect::core::CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(#[from] reqwest::Error);

/// Our HTTP client, for the protocol's requests (discovery, keys, token).
#[derive(Clone)]
pub struct Http(reqwest::Client);

impl<'c> openidconnect::AsyncHttpClient<'c> for Http {
    type Error = HttpError;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = std::result::Result<openidconnect::HttpResponse, HttpError>> + Send + 'c>,
    >;

    fn call(&'c self, req: openidconnect::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let (parts, body) = req.into_parts();
            let res = self
                .0
                .request(parts.method, parts.uri.to_string())
                .headers(parts.headers)
                .body(body)
                .send()
                .await?;
            let mut out = openidconnect::http::Response::builder().status(res.status());
            if let Some(h) = out.headers_mut() {
                *h = res.headers().clone();
            }
            let body = res.bytes().await?.to_vec();
            Ok(out.body(body).expect("status and headers came from a response"))
        })
    }
}

impl Federation {
    pub fn new(config: &Config) -> Result<Self> {
        let http = reqwest::Client::builder()
            // Following redirects would let a provider's answer send us elsewhere (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| Error::internal(format!("HTTP client: {e}")))?;
        Ok(Self {
            providers: config
                .identity_providers
                .iter()
                .map(|p| Provider {
                    config: p.clone(),
                    cached: RwLock::new(None),
                })
                .collect(),
            http: Http(http),
            public_url: config.public_url.clone(),
        })
    }

    pub fn http(&self) -> &Http {
        &self.http
    }

    pub fn all(&self) -> impl Iterator<Item = &IdentityProvider> {
        self.providers.iter().map(|p| &p.config)
    }

    pub fn get(&self, name: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.config.name == name)
    }

    /// Where the provider sends the browser back to.
    pub fn redirect_uri(&self, p: &IdentityProvider) -> String {
        format!("{}/inloggen/{}/terug", self.public_url, p.name)
    }

    /// The JSON document at `url` (the provider's keys, for a logout token).
    pub async fn json(&self, url: &str) -> Result<serde_json::Value> {
        let res = self
            .http
            .0
            .get(url)
            .send()
            .await
            .map_err(|e| Error::Unavailable(format!("identity provider: {e}")))?;
        if !res.status().is_success() {
            return Err(Error::Unavailable(format!(
                "identity provider answered {}",
                res.status()
            )));
        }
        res.json()
            .await
            .map_err(|e| Error::Unavailable(format!("identity provider: {e}")))
    }

    /// The provider's metadata (with its keys): cached, or fetched when stale or `refresh`.
    pub async fn metadata(&self, p: &Provider, refresh: bool) -> Result<Arc<CoreProviderMetadata>> {
        if !refresh
            && let Some((m, at)) = p.cached.read().await.as_ref()
            && at.elapsed() < FRESH_FOR
        {
            return Ok(m.clone());
        }
        let issuer = IssuerUrl::new(p.config.issuer.clone()).map_err(|e| Error::internal(format!("issuer: {e}")))?;
        let m = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| {
                tracing::warn!(provider = %p.config.name, error = %e, "identity provider discovery failed");
                Error::Unavailable(format!("the identity provider {} cannot be reached", p.config.label))
            })?;
        let m = Arc::new(m);
        *p.cached.write().await = Some((m.clone(), Instant::now()));
        Ok(m)
    }

    /// A client for the provider, from its (possibly refreshed) metadata.
    pub async fn client(&self, p: &Provider, refresh: bool) -> Result<Client> {
        let m = self.metadata(p, refresh).await?;
        let redirect =
            RedirectUrl::new(self.redirect_uri(&p.config)).map_err(|e| Error::internal(format!("redirect: {e}")))?;
        Ok(CoreClient::from_provider_metadata(
            (*m).clone(),
            ClientId::new(p.config.client_id.clone()),
            p.config
                .client_secret
                .as_ref()
                .map(|s| ClientSecret::new(s.expose_secret().to_owned())),
        )
        .set_redirect_uri(redirect))
    }
}
