//! Faults on purpose: PostgreSQL restarted under load. While it is away requests answer 503
//! problem+json with `Retry-After` (never 500), readiness says so, nothing half-written
//! remains, and the service recovers on its own when the database is back.

use std::{
    collections::HashSet,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use serde_json::{Value, json};

use crate::{case_support::*, harness::*, private_postgres::PrivatePostgres};

struct Answer {
    body: String,
    status: u16,
    problem: bool,
    retry_after: bool,
    after_restart: bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_restart_under_load_answers_503_and_the_service_recovers_on_its_own() {
    if Db::postgres().is_none() {
        eprintln!("TEST_DATABASE_URL is not set: the PostgreSQL restart is not tried");
        return;
    }
    let pg = Arc::new(PrivatePostgres::start().expect("TEST_DATABASE_URL is set, so a PostgreSQL server is installed"));
    let t = TestApp::start(Db::Postgres { admin_url: pg.url() }).await;
    let case = case_in_mediation(&t).await;
    let token = t.token("demo-gemeente").await;
    let messages = t.url(&format!("/api/v1/cases/{case}/messages"));

    let answers = Arc::new(Mutex::new(Vec::<Answer>::new()));
    let done = Arc::new(AtomicBool::new(false));
    let restarted = Arc::new(AtomicBool::new(false));
    let mut load = Vec::new();
    for worker in 0..4 {
        let (client, url, token) = (t.client.clone(), messages.clone(), token.clone());
        let (answers, done, restarted) = (answers.clone(), done.clone(), restarted.clone());
        load.push(tokio::spawn(async move {
            let mut i = 0;
            while !done.load(Ordering::SeqCst) {
                i += 1;
                let body = format!("Bericht {worker}-{i}.");
                let after_restart = restarted.load(Ordering::SeqCst);
                let res = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({ "body": body }))
                    .send()
                    .await
                    .expect("the service answers while its database is away");
                let problem = res
                    .headers()
                    .get("content-type")
                    .is_some_and(|v| v.as_bytes() == b"application/problem+json");
                let retry_after = res.headers().contains_key("retry-after");
                answers.lock().unwrap().push(Answer {
                    body,
                    status: res.status().as_u16(),
                    problem,
                    retry_after,
                    after_restart,
                });
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
        }));
    }

    tokio::time::sleep(Duration::from_secs(1)).await;
    let stopper = pg.clone();
    tokio::task::spawn_blocking(move || stopper.stop()).await.unwrap();
    let stopped = Instant::now();
    let ready = t.get("/health/ready", None).await;
    assert_eq!(ready.status(), 503, "readiness says the database is away");
    let live = t.get("/health/live", None).await;
    assert_eq!(live.status(), 200, "the process itself is alive");
    // Longer than the pool waits for a connection (5 s), so that requests give up.
    tokio::time::sleep(Duration::from_secs(7).saturating_sub(stopped.elapsed())).await;
    let starter = pg.clone();
    tokio::task::spawn_blocking(move || starter.start_again())
        .await
        .unwrap();
    restarted.store(true, Ordering::SeqCst);

    // Recovery needs nobody: the first request after the restart already succeeds or the
    // ones shortly after do.
    let back = Instant::now();
    loop {
        let recovered = answers
            .lock()
            .unwrap()
            .iter()
            .filter(|a| a.after_restart && a.status == 201)
            .count();
        if recovered >= 8 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(30),
            "the service recovers within 30 s of the restart"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    done.store(true, Ordering::SeqCst);
    for task in load {
        task.await.unwrap();
    }
    assert_eq!(t.get("/health/ready", None).await.status(), 200, "ready again");

    let answers = std::mem::take(&mut *answers.lock().unwrap());
    let unavailable: Vec<&Answer> = answers.iter().filter(|a| a.status == 503).collect();
    let others: Vec<(u16, &str)> = answers
        .iter()
        .filter(|a| !matches!(a.status, 201 | 503))
        .map(|a| (a.status, a.body.as_str()))
        .collect();
    assert!(others.is_empty(), "only 201 or 503, never a 500: {others:?}");
    assert!(!unavailable.is_empty(), "requests found the database away");
    assert!(
        unavailable.iter().all(|a| a.problem && a.retry_after),
        "a 503 is problem+json with Retry-After"
    );

    // Nothing half-written: every acknowledged message is there with its audit entry, nothing
    // answered 503 left a trace, and the case's chain holds.
    let stored: Vec<Value> = t
        .get(&format!("/api/v1/cases/{case}/messages"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let stored: HashSet<&str> = stored.iter().filter_map(|m| m["body"].as_str()).collect();
    let acknowledged: HashSet<&str> = answers
        .iter()
        .filter(|a| a.status == 201)
        .map(|a| a.body.as_str())
        .collect();
    assert!(acknowledged.is_subset(&stored), "every acknowledged message is stored");
    let unknown: Vec<&&str> = stored.difference(&acknowledged).collect();
    assert!(
        unknown.is_empty(),
        "a message answered 503 was stored after all: {unknown:?}"
    );
    let report = beslecht::service::cases::verify::verify_all(&t.app.db).await.unwrap();
    assert_eq!(report.broken, None, "every audit chain holds");
    eprintln!(
        "PostgreSQL restart: {} requests, {} answered 503 while it was away, {} succeeded, recovered {:.1} s after the restart",
        answers.len(),
        unavailable.len(),
        acknowledged.len(),
        back.elapsed().as_secs_f64()
    );
}
