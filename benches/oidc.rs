//! Benchmark: the cost of a sign-in through an identity provider, at the callback
//! (`GET /inloggen/{provider}/terug`): take the stored sign-in once, exchange the code at the
//! provider's token endpoint (a real oidc-provider on Node.js, on this machine), verify the ID
//! token (RS256 signature, issuer, audience, expiry, nonce, access token hash), find the
//! person, start the web session. Each sign-in's walk through the provider is not timed.
//!
//! Run with `cargo bench --bench oidc` (needs Node.js; installs tests/oidc's packages if
//! missing). `BENCH_SIGNINS` (default 300), `BENCH_DATABASE_URL` for PostgreSQL.

use std::time::{Duration, Instant};

use beslecht::{
    config::Config,
    service::{App, bootstrap},
};
use serde_json::json;

#[path = "../tests/oidc/provider.rs"]
mod provider;

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("BENCH_SIGNINS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let accounts = json!({
        "anna": {"name": "Anna", "email": "anna@maastricht.example", "organisation": "GM0935", "groups": ["beslecht-gemeente"]},
    });
    let p = provider::start(&base, accounts);
    let providers = dir.path().join("providers.toml");
    std::fs::write(&providers, provider::service_config(&p.issuer, true)).unwrap();
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()));
    let vars = [
        ("BESLECHT_ADDR", format!("127.0.0.1:{port}")),
        ("BESLECHT_PUBLIC_URL", base.clone()),
        ("BESLECHT_DATA_DIR", dir.path().display().to_string()),
        ("DATABASE_URL", url),
        ("BESLECHT_IDENTITY_PROVIDERS", providers.display().to_string()),
        ("TEST_OIDC_SECRET", provider::SECRET.to_owned()),
        ("BESLECHT_SECOND_FACTOR_ROLES", "none".to_owned()),
    ];
    let config = Config::load(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())).unwrap();
    let app = App::start(config).await.unwrap();
    bootstrap::ensure_first_admin(&app).await.unwrap();
    bootstrap::seed_reference(&app).await.unwrap();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    tokio::spawn(beslecht::http::serve(app, listener, std::future::pending()));

    let service = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let idp = provider::browser();
    let mut callbacks = Vec::new();
    let mut token_endpoint = Vec::new();
    for i in 0..n + 20 {
        let res = service.get(format!("{base}/inloggen/test")).send().await.unwrap();
        assert_eq!(res.status(), 303);
        let cookie = res.headers()[reqwest::header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let authorisation = res.headers()[reqwest::header::LOCATION].to_str().unwrap().to_owned();
        let back = provider::sign_in(&idp, &p.issuer, &authorisation, "anna").await;
        let t = Instant::now();
        let res = service
            .get(&back)
            .header(reqwest::header::COOKIE, cookie)
            .send()
            .await
            .unwrap();
        let took = t.elapsed();
        assert_eq!(res.status(), 303, "signed in");
        if i >= 20 {
            callbacks.push(took);
        }
        // The provider's share: a token request it refuses at once (an unknown code), timed
        // the same way, as a floor for the exchange's round trip.
        let t = Instant::now();
        let _ = idp
            .post(format!("{}/token", p.issuer))
            .basic_auth("beslecht", Some(provider::SECRET))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", "unknown"),
                ("redirect_uri", "x"),
            ])
            .send()
            .await
            .unwrap();
        if i >= 20 {
            token_endpoint.push(t.elapsed());
        }
    }
    callbacks.sort();
    token_endpoint.sort();
    println!("Beslecht OIDC benchmark — {n} sign-ins through oidc-provider on this machine, one at a time");
    println!(
        "callback GET /inloggen/test/terug  p50={:>8.2?} p99={:>8.2?} max={:>8.2?}",
        pct(&callbacks, 0.50),
        pct(&callbacks, 0.99),
        callbacks.last().unwrap()
    );
    println!(
        "provider's token endpoint (refusal) p50={:>8.2?} p99={:>8.2?}",
        pct(&token_endpoint, 0.50),
        pct(&token_endpoint, 0.99)
    );
}
