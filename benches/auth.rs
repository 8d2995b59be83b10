//! Benchmark: sign-in (Argon2id at the OWASP parameters) and an authenticated `GET /api/v1/me`,
//! through real HTTP against the real application on SQLite (or `BENCH_DATABASE_URL`).
//!
//! Run with `cargo bench --bench auth`. Prints latency percentiles and throughput per
//! scenario, and the process's peak resident memory.

use std::time::{Duration, Instant};

use beslecht::{
    config::Config,
    service::{App, bootstrap},
};
use futures::{StreamExt, stream};

const PASSWORD: &str = "benchmark-wachtwoord";

struct Stats {
    name: String,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

impl Stats {
    fn print(&mut self) {
        self.latencies.sort();
        let pct = |p: f64| self.latencies[((self.latencies.len() as f64 * p) as usize).min(self.latencies.len() - 1)];
        println!(
            "{:<34} n={:<6} p50={:>8.2?} p95={:>8.2?} p99={:>8.2?} max={:>8.2?} throughput={:>8.1}/s",
            self.name,
            self.latencies.len(),
            pct(0.50),
            pct(0.95),
            pct(0.99),
            self.latencies.last().unwrap(),
            self.latencies.len() as f64 / self.elapsed.as_secs_f64()
        );
    }
}

async fn run<F, Fut>(name: &str, n: usize, concurrency: usize, f: F) -> Stats
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let started = Instant::now();
    let latencies = stream::iter(0..n)
        .map(|i| {
            let fut = f(i);
            async move {
                let t = Instant::now();
                fut.await;
                t.elapsed()
            }
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<_>>()
        .await;
    Stats {
        name: format!("{name} (concurrency {concurrency})"),
        latencies,
        elapsed: started.elapsed(),
    }
}

/// A line of /proc/self/status, e.g. `VmHWM` (peak resident memory) or `VmRSS` (current).
fn memory(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l[field.len() + 1..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()));
    let vars = [
        ("BESLECHT_DATA_DIR", dir.path().display().to_string()),
        ("DATABASE_URL", url),
        ("BESLECHT_DEMO_PASSWORD", PASSWORD.to_owned()),
        ("BESLECHT_SECOND_FACTOR_ROLES", "none".to_owned()),
    ];
    let config = Config::load(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())).unwrap();
    let cores = config.hash_concurrency;
    println!("resident memory before start-up: {}", memory("VmRSS"));
    let app = App::start(config).await.unwrap();
    println!("resident memory after start-up: {}", memory("VmRSS"));
    bootstrap::ensure_first_admin(&app).await.unwrap();
    bootstrap::seed_reference(&app).await.unwrap();
    bootstrap::seed_demo_users(&app).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app_for_checks = app.clone();
    tokio::spawn(beslecht::http::serve(app, listener, std::future::pending()));
    let client = reqwest::Client::new();
    println!("resident memory after start-up and seeding: {}", memory("VmRSS"));

    println!(
        "Beslecht auth benchmark — Argon2id m=19456 KiB, t=2, p=1; {cores} hashing slots; SQLite unless BENCH_DATABASE_URL"
    );
    let users = [
        "demo-gemeente",
        "demo-gemeente-2",
        "demo-gemeente-3",
        "demo-regio",
        "demo-aanbieder",
        "demo-secretaris",
        "demo-bemiddelaar",
        "demo-commissielid",
    ];
    let login = |i: usize| {
        let client = client.clone();
        let url = format!("{base}/api/v1/auth/token");
        async move {
            let res = client
                .post(url)
                .json(&serde_json::json!({"username": users[i % users.len()], "password": PASSWORD}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
        }
    };
    run("POST /api/v1/auth/token", 20, 1, login).await; // warm-up
    run("POST /api/v1/auth/token", 100, 1, login).await.print();
    run("POST /api/v1/auth/token", 200, 8, login).await.print();
    println!("resident memory after sign-ins: {}", memory("VmRSS"));

    let token: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/token"))
        .json(&serde_json::json!({"username": "demo-gemeente", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();
    let me = |_| {
        let req = client.get(format!("{base}/api/v1/me")).bearer_auth(&token);
        async move {
            assert_eq!(req.send().await.unwrap().status(), 200);
        }
    };
    run("GET /api/v1/me", 200, 1, me).await; // warm-up
    run("GET /api/v1/me", 2_000, 1, me).await.print();
    run("GET /api/v1/me", 10_000, 32, me).await.print();
    second_factor(&app_for_checks).await;
    println!(
        "peak resident memory (server and client in one process): {}",
        memory("VmHWM")
    );
}

/// The added cost of the second factor at sign-in: `second_factor::check` with a right code
/// (read the factor, compute and compare the code, take its step by a conditional update,
/// clear the throttle), in-process, one at a time. The step is made unused again between
/// checks (not timed), as a new code would be.
async fn second_factor(app: &App) {
    use beslecht::{
        service::second_factor,
        storage::entities::{second_factor as factor, user},
    };
    use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
    let u = user::Entity::find()
        .filter(user::Column::Username.eq("demo-gemeente"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let bytes: [u8; 20] = rand::random();
    let secret = totp_rs::Secret::from(bytes);
    factor::Entity::insert(factor::ActiveModel {
        user_id: Set(u.id),
        secret: Set(secret.to_base32()),
        confirmed_at: Set(Some(chrono::Utc::now())),
        last_step: Set(None),
        created_at: Set(chrono::Utc::now()),
    })
    .exec_without_returning(&app.db)
    .await
    .unwrap();
    let totp = totp_rs::Builder::new().with_secret(secret).build().unwrap();
    let mut times = Vec::new();
    for i in 0..520 {
        app.db
            .execute_unprepared(&format!(
                "UPDATE second_factors SET last_step = NULL WHERE user_id = {}",
                u.id
            ))
            .await
            .unwrap();
        let code = totp.generate(chrono::Utc::now().timestamp() as u64).to_string();
        let t = Instant::now();
        second_factor::check(app, &u, Some(&code)).await.unwrap();
        if i >= 20 {
            times.push(t.elapsed());
        }
    }
    let mut stats = Stats {
        name: "second factor: a right TOTP code".into(),
        elapsed: times.iter().sum(),
        latencies: times,
    };
    stats.print();
}
