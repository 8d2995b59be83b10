//! Benchmark: the case list, a case's detail, filing a case and taking a step, and the web
//! pages (overview, work queue, case page, filing, register, administration, with their
//! weight), through real HTTP against the real application, at a fixed request rate, at
//! growing data sizes.
//!
//! `cargo bench --bench cases` seeds 10,000 and then 100,000 cases (SQLite in a temporary
//! directory, or `BENCH_DATABASE_URL`). `BENCH_SIZES=10000,100000,1000000` chooses the sizes,
//! `BENCH_RATE` the requests per second (default 100) and `BENCH_REQUESTS` how many per
//! scenario (default 1,000). Latency is measured from each request's scheduled start, so a
//! slow server cannot hide its queueing (no coordinated omission).

mod floor;
mod seed;
mod web;

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

use beslecht::{
    config::Config,
    service::{App, bootstrap},
};
use reqwest::Client;
use serde_json::{Value, json};

const PASSWORD: &str = "benchmark-wachtwoord";
/// The title of the cases the benchmark files (and the seeding never uses).
const BENCHMARK_TITLE: &str = "Benchmark";

static QUERIES: AtomicU64 = AtomicU64::new(0);

/// The statements one request sends on average, over `n` requests made one after another.
async fn queries_per_request<F, Fut>(n: usize, make: F) -> f64
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let before = QUERIES.load(Ordering::Relaxed);
    for i in 0..n {
        assert!(make(i).await, "request {i} succeeds");
    }
    (QUERIES.load(Ordering::Relaxed) - before) as f64 / n as f64
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Stats {
    /// Each request's latency, with when it was scheduled (from the run's start).
    latencies: Vec<(Duration, Duration)>,
    elapsed: Duration,
    failures: usize,
}

impl Stats {
    fn print(mut self, name: &str) {
        self.latencies.sort();
        let n = self.latencies.len().max(1);
        let pct = |p: f64| {
            self.latencies
                .get(((n as f64 * p) as usize).min(n - 1))
                .map(|l| l.0)
                .unwrap_or_default()
        };
        println!(
            "  {name:<44} p50={:>9.2?} p99={:>9.2?} max={:>9.2?} throughput={:>7.1}/s failures={}{}",
            pct(0.50),
            pct(0.99),
            self.latencies.last().map(|l| l.0).unwrap_or_default(),
            self.latencies.len() as f64 / self.elapsed.as_secs_f64(),
            self.failures,
            self.slowest_began(),
        );
    }

    /// When the slowest 1 % of requests were sent (seconds into the run), for a p99 that
    /// stands out: one stall shows as a single short stretch, slowness spread over the run
    /// as many. Printed only when the p99 is over three times the p50.
    fn slowest_began(&self) -> String {
        let n = self.latencies.len();
        if n < 100 {
            return String::new();
        }
        let (p50, p99) = (self.latencies[n / 2].0, self.latencies[n * 99 / 100].0);
        if p99 < p50 * 3 {
            return String::new();
        }
        let mut at: Vec<f64> = self.latencies[n * 99 / 100..]
            .iter()
            .map(|l| l.1.as_secs_f64())
            .collect();
        at.sort_by(f64::total_cmp);
        let mut stretches: Vec<(f64, f64)> = Vec::new();
        for t in at {
            match stretches.last_mut() {
                Some(last) if t - last.1 < 0.5 => last.1 = t,
                _ => stretches.push((t, t)),
            }
        }
        let shown: Vec<String> = stretches.iter().map(|(a, b)| format!("{a:.1}-{b:.1}s")).collect();
        format!(" slowest 1% sent at {}", shown.join(", "))
    }
}

/// Sends `n` requests at `rate` per second (open loop), each made by `make(i)`.
async fn at_rate<F, Fut>(rate: f64, n: usize, make: F) -> Stats
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    let interval = Duration::from_secs_f64(1.0 / rate);
    let start = tokio::time::Instant::now();
    let mut handles = Vec::with_capacity(n);
    for i in 0..n {
        let offset = interval * i as u32;
        let scheduled = start + offset;
        tokio::time::sleep_until(scheduled).await;
        let fut = make(i);
        handles.push(tokio::spawn(async move {
            let ok = fut.await;
            (ok, (scheduled.elapsed(), offset))
        }));
    }
    let mut latencies = Vec::with_capacity(n);
    let mut failures = 0;
    for h in handles {
        let (ok, took) = h.await.unwrap();
        if !ok {
            failures += 1;
        }
        latencies.push(took);
    }
    Stats {
        latencies,
        elapsed: start.elapsed(),
        failures,
    }
}

/// Closed loop at saturation: `concurrency` clients each sending the next request as soon as
/// the last is answered, for `seconds`; answers the successful requests per second.
async fn saturate<F, Fut>(concurrency: usize, seconds: f64, make: F) -> f64
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let workers: Vec<_> = (0..concurrency)
        .map(|w| {
            let make = make.clone();
            tokio::spawn(async move {
                let mut ok = 0u64;
                let mut i = w;
                while Instant::now() < until {
                    ok += u64::from(make(i).await);
                    i += concurrency;
                }
                ok
            })
        })
        .collect();
    let mut ok = 0;
    for w in workers {
        ok += w.await.unwrap();
    }
    ok as f64 / seconds
}

/// Beslecht's throughput at saturation beside the floor's, for the same answers.
async fn against_floor<A, AF, B, BF>(name: &str, ours: A, floor: B)
where
    A: Fn(usize) -> AF + Clone + Send + 'static,
    AF: std::future::Future<Output = bool> + Send + 'static,
    B: Fn(usize) -> BF + Clone + Send + 'static,
    BF: std::future::Future<Output = bool> + Send + 'static,
{
    let seconds: f64 = env_or("BENCH_SATURATE_SECONDS", 5.0);
    let (a1, f1, a2, f2) = (
        saturate(16, seconds, ours.clone()).await,
        saturate(16, seconds, floor.clone()).await,
        saturate(16, seconds, ours).await,
        saturate(16, seconds, floor).await,
    );
    let (a, f) = ((a1 + a2) / 2.0, (f1 + f2) / 2.0);
    println!(
        "  {name:<44} at saturation: {a:>7.0}/s, floor {f:>7.0}/s, ratio {:.2}x",
        a / f.max(1.0)
    );
}

/// A page's address for the i-th request.
type PageUrl<'a> = Box<dyn Fn(usize) -> String + 'a>;

async fn token(client: &Client, base: &str, user: &str) -> String {
    let res: Value = client
        .post(format!("{base}/api/v1/auth/token"))
        .json(&json!({"username": user, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    res["access_token"].as_str().unwrap().to_owned()
}

/// One page of the case list, as `token` sees it.
async fn list_page(client: &Client, base: &str, token: &str, query: &str) -> Vec<Value> {
    let mut page: Value = client
        .get(format!("{base}/api/v1/cases?{query}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    match page["items"].take() {
        Value::Array(items) => items,
        other => panic!("a page of cases has items: {other}"),
    }
}

fn id_of(case: &Value) -> String {
    case["id"].as_str().unwrap().to_owned()
}

async fn ids(client: &Client, base: &str, token: &str, query: &str) -> Vec<String> {
    list_page(client, base, token, query).await.iter().map(id_of).collect()
}

/// The newest `n` of the party's cases that the seeding made, passing over the filings of
/// earlier runs ("Benchmark"), so that every run on a database reads the same kind of case.
async fn seeded_ids(client: &Client, base: &str, token: &str, n: usize) -> Vec<String> {
    let mut found = Vec::new();
    let mut query = "limit=200".to_owned();
    while found.len() < n {
        let page = list_page(client, base, token, &query).await;
        let Some(last) = page.last() else { break };
        query = format!("limit=200&cursor={}", id_of(last));
        found.extend(page.iter().filter(|c| c["title"] != BENCHMARK_TITLE).map(id_of));
    }
    found.truncate(n);
    found
}

fn get(client: &Client, url: String, token: &str) -> impl std::future::Future<Output = bool> + Send + use<> {
    let req = client.get(url).bearer_auth(token);
    async move { req.send().await.is_ok_and(|r| r.status() == 200) }
}

fn post(
    client: &Client,
    url: String,
    token: &str,
    body: Value,
    expect: u16,
) -> impl std::future::Future<Output = bool> + Send + 'static {
    let req = client.post(url).bearer_auth(token).json(&body);
    async move { req.send().await.is_ok_and(|r| r.status() == expect) }
}

#[tokio::main]
async fn main() {
    let sizes: Vec<u64> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let rate: f64 = env_or("BENCH_RATE", 100.0);
    let n: usize = env_or("BENCH_REQUESTS", 1_000);
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()));
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let vars = [
        ("BESLECHT_DATA_DIR", dir.path().display().to_string()),
        ("DATABASE_URL", url),
        ("BESLECHT_DEMO_PASSWORD", PASSWORD.to_owned()),
        ("BESLECHT_SECOND_FACTOR_ROLES", "none".to_owned()),
    ];
    let config = Config::load(|k| vars.iter().find(|(v, _)| *v == k).map(|(_, v)| v.clone())).unwrap();
    let mut app = App::start(config).await.unwrap();
    // Counts every statement the application sends, for the queries per request below.
    app.db.set_metric_callback(|_| {
        QUERIES.fetch_add(1, Ordering::Relaxed);
    });
    bootstrap::ensure_first_admin(&app).await.unwrap();
    bootstrap::seed_reference(&app).await.unwrap();
    bootstrap::seed_demo_users(&app).await.unwrap();
    let db = app.db.clone();
    let floor = floor::serve(&db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(beslecht::http::serve(app, listener, std::future::pending()));
    let client = Client::new();
    let party = token(&client, &base, "demo-gemeente").await;
    let small_org = seed::gemeente_named(&db, "Maastricht").await;
    let large_org = seed::gemeente_named(&db, seed::LARGE).await;
    let heerlen: Value = client
        .get(format!("{base}/api/v1/organisations?name=Heerlen"))
        .bearer_auth(&party)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let heerlen = heerlen["items"][0]["id"].as_str().unwrap().to_owned();
    println!("Beslecht case benchmark — {backend}; {rate} requests/s; {n} requests per scenario");

    for size in sizes {
        let started = Instant::now();
        let added = seed::seed_to(&db, size).await;
        println!("\n{size} cases ({added} seeded in {:.1?})", started.elapsed());
        // Fresh tokens: seeding a million cases outlasts one.
        let party = token(&client, &base, "demo-gemeente").await;
        let secretary = token(&client, &base, "demo-secretaris").await;
        let mediator = token(&client, &base, "demo-bemiddelaar").await;
        let large = token(&client, &base, "demo-gemeente-3").await;
        let own = seeded_ids(&client, &base, &party, 200).await;
        let list_url = format!("{base}/api/v1/cases?limit=50");
        at_rate(rate, n / 10, |_| get(&client, list_url.clone(), &party)).await; // warm-up
        at_rate(rate, n, |_| get(&client, list_url.clone(), &party))
            .await
            .print("GET /cases (party, small org)");
        at_rate(rate, n, |_| get(&client, list_url.clone(), &large))
            .await
            .print("GET /cases (party, large org)");
        for (label, who, org) in [("small org", &party, small_org), ("large org", &large, large_org)] {
            let (c, url, who) = (client.clone(), list_url.clone(), who.clone());
            let floor_url = format!("{floor}/cases?org={org}");
            let fc = client.clone();
            against_floor(
                &format!("GET /cases (party, {label})"),
                move |_| get(&c, url.clone(), &who),
                move |_| get(&fc, floor_url.clone(), ""),
            )
            .await;
        }
        at_rate(rate, n, |_| get(&client, list_url.clone(), &secretary))
            .await
            .print("GET /cases (secretary, first page)");
        at_rate(rate, n, |_| get(&client, list_url.clone(), &mediator))
            .await
            .print("GET /cases (mediator, assigned only)");
        let filtered = format!("{base}/api/v1/cases?limit=50&phase=commissie&kind=uittreding");
        at_rate(rate, n, |_| get(&client, filtered.clone(), &secretary))
            .await
            .print("GET /cases?phase&kind (secretary)");
        // A party's list narrowed by phase and kind (the overview's filters): the walk of the
        // organisation's cases goes on until a page of matches is found.
        at_rate(rate, n, |_| get(&client, filtered.clone(), &large))
            .await
            .print("GET /cases?phase&kind (party, large org)");
        // Waiting on us, and a term passed: walks of the party's copies of its deadlines
        // (about one case in six with a running term has passed its last day).
        let waiting = format!("{base}/api/v1/cases?limit=50&waiting_on_me=true");
        at_rate(rate, n, |_| get(&client, waiting.clone(), &large))
            .await
            .print("GET /cases?waiting_on_me (party, large org)");
        let overdue = format!("{base}/api/v1/cases?limit=50&overdue=true");
        at_rate(rate, n, |_| get(&client, overdue.clone(), &large))
            .await
            .print("GET /cases?overdue (party, large org)");
        at_rate(rate, n, |_| get(&client, overdue.clone(), &secretary))
            .await
            .print("GET /cases?overdue (secretary)");
        let deep = ids(&client, &base, &secretary, "limit=200").await;
        let cursor_url = format!("{base}/api/v1/cases?limit=50&cursor={}", deep.last().unwrap());
        at_rate(rate, n, |_| get(&client, cursor_url.clone(), &secretary))
            .await
            .print("GET /cases (secretary, page 5)");
        at_rate(rate, n, |i| {
            get(&client, format!("{base}/api/v1/cases/{}", own[i % own.len()]), &party)
        })
        .await
        .print("GET /cases/{id} (party)");
        {
            let (c, fc, who, own, base, floor) = (
                client.clone(),
                client.clone(),
                party.clone(),
                own.clone(),
                base.clone(),
                floor.clone(),
            );
            let own_floor = own.clone();
            against_floor(
                "GET /cases/{id} (party)",
                move |i| get(&c, format!("{base}/api/v1/cases/{}", own[i % own.len()]), &who),
                move |i| get(&fc, format!("{floor}/cases/{}", own_floor[i % own_floor.len()]), ""),
            )
            .await;
        }
        // A ruled case's obligations (each runs as a term): a party reading what the ruling
        // orders and whether it is met.
        let ruled = ids(&client, &base, &party, "limit=200&phase=uitspraak").await;
        at_rate(rate, n, |i| {
            get(
                &client,
                format!("{base}/api/v1/cases/{}/obligations", ruled[i % ruled.len()]),
                &party,
            )
        })
        .await
        .print("GET /cases/{id}/obligations (party, ruled case)");
        let body = json!({"kind": "binnen_regio", "domain": "jeugd", "title": BENCHMARK_TITLE, "summary": "Meting.", "respondents": [heerlen]});
        let cases_url = format!("{base}/api/v1/cases");
        at_rate(rate, n, |_| post(&client, cases_url.clone(), &party, body.clone(), 201))
            .await
            .print("POST /cases");
        let mut concepts = ids(&client, &base, &party, "limit=200&phase=concept&q=Benchmark").await;
        while concepts.len() < n.min(1_000) {
            let more = ids(
                &client,
                &base,
                &party,
                &format!(
                    "limit=200&phase=concept&q=Benchmark&cursor={}",
                    concepts.last().unwrap()
                ),
            )
            .await;
            if more.is_empty() {
                break;
            }
            concepts.extend(more);
        }
        let steps = concepts.len();
        at_rate(rate, steps, |i| {
            post(
                &client,
                format!("{base}/api/v1/cases/{}/steps/submit", concepts[i]),
                &party,
                json!({}),
                200,
            )
        })
        .await
        .print(&format!("POST /cases/{{id}}/steps/submit ({steps})"));

        // The web pages, as people load them (fresh sessions: seeding may outlast one).
        let party_web = web::session(&base, "demo-gemeente", PASSWORD).await;
        let secretary_web = web::session(&base, "demo-secretaris", PASSWORD).await;
        let admin_web = web::session(&base, "demo-beheerder", PASSWORD).await;
        let large_web = web::session(&base, "demo-gemeente-3", PASSWORD).await;
        let res: Value = client
            .post(&cases_url)
            .bearer_auth(&party)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let concept = res["id"].as_str().unwrap().to_owned();
        let own_case = |i: usize| format!("{base}/geschillen/{}", own[i % own.len()]);
        let pages: Vec<(&str, PageUrl, &str)> = vec![
            (
                "/geschillen (party)",
                Box::new(|_| format!("{base}/geschillen")),
                &party_web,
            ),
            (
                "/geschillen (secretary, work queue)",
                Box::new(|_| format!("{base}/geschillen")),
                &secretary_web,
            ),
            ("/geschillen/{id} (party)", Box::new(own_case), &party_web),
            (
                "/geschillen/nieuw (filing, stage 1)",
                Box::new(|_| format!("{base}/geschillen/nieuw")),
                &party_web,
            ),
            (
                "/geschillen/{id}/feiten (stage 2)",
                Box::new(|_| format!("{base}/geschillen/{concept}/feiten")),
                &party_web,
            ),
            (
                "/geschillen/{id}/stap/submit (check)",
                Box::new(|_| format!("{base}/geschillen/{concept}/stap/submit")),
                &party_web,
            ),
            (
                "/geschillen?fase&soort (party, large org)",
                Box::new(|_| format!("{base}/geschillen?fase=commissie&soort=uittreding")),
                &large_web,
            ),
            (
                "/geschillen?aan-zet&verlopen (party, large org)",
                Box::new(|_| format!("{base}/geschillen?aan-zet=ja&verlopen=ja")),
                &large_web,
            ),
            (
                "/meldingen (inbox, secretary)",
                Box::new(|_| format!("{base}/meldingen")),
                &secretary_web,
            ),
            (
                "/uitspraken (public register)",
                Box::new(|_| format!("{base}/uitspraken")),
                &party_web,
            ),
            (
                "/beheer/gebruikers (administrator)",
                Box::new(|_| format!("{base}/beheer/gebruikers")),
                &admin_web,
            ),
        ];
        let mut weights = Vec::new();
        for (name, url, cookie) in &pages {
            at_rate(rate, n, |i| web::page(&client, url(i), cookie))
                .await
                .print(&format!("page {name}"));
            weights.push(format!(
                "{name} {:.1} kB",
                web::weight(&client, &url(0), cookie).await as f64 / 1024.0
            ));
        }
        println!("  page weight (HTML): {}", weights.join("; "));
        let counts = [
            (
                "GET /cases (party, small org)",
                queries_per_request(20, |_| get(&client, list_url.clone(), &party)).await,
            ),
            (
                "GET /cases (party, large org)",
                queries_per_request(20, |_| get(&client, list_url.clone(), &large)).await,
            ),
            (
                "GET /cases/{id} (party)",
                queries_per_request(20, |i| {
                    get(&client, format!("{base}/api/v1/cases/{}", own[i % own.len()]), &party)
                })
                .await,
            ),
            (
                "page /geschillen/{id} (party)",
                queries_per_request(20, |i| web::page(&client, own_case(i), &party_web)).await,
            ),
            (
                "POST /cases",
                queries_per_request(20, |_| post(&client, cases_url.clone(), &party, body.clone(), 201)).await,
            ),
        ];
        println!(
            "  statements per request: {}",
            counts
                .iter()
                .map(|(name, n)| format!("{name} {n:.1}"))
                .collect::<Vec<_>>()
                .join("; ")
        );
        println!(
            "  once, then cached: stylesheet {:.1} kB, script {:.1} kB",
            web::weight(&client, &format!("{base}/static/beslecht.css"), &party_web).await as f64 / 1024.0,
            web::weight(&client, &format!("{base}/static/beslecht.js"), &party_web).await as f64 / 1024.0,
        );
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM"))
    {
        println!(
            "\npeak resident memory (server, client and seeding in one process): {}",
            line[6..].trim()
        );
    }
}
