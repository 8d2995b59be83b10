//! Schemathesis against our own OpenAPI document: generated requests (valid and invalid
//! parameters and bodies, control characters included) with the tokens of two roles, on
//! SQLite and on PostgreSQL. It fails on any 5xx and on any answer whose status, content type
//! or body the document does not describe.
//!
//! Bounded in the suite (`BESLECHT_SCHEMATHESIS_EXAMPLES`, default 6 examples an operation,
//! a few thousand requests); run longer on demand, e.g.
//! `BESLECHT_SCHEMATHESIS_EXAMPLES=200 cargo test --test api schemathesis -- --nocapture`.
//! `tests/run` installs schemathesis (pinned in `tests/requirements-schemathesis.txt`).

use std::process::Command;

use crate::{case_support::*, harness::*};

const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance";

async fn run_against(t: TestApp) {
    // Something to find: a case in mediation, with the ids schemathesis may stumble upon.
    case_in_mediation(&t).await;
    let examples = std::env::var("BESLECHT_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "6".into());
    let report_dir = tempfile::tempdir().unwrap();
    let mut requests = 0u64;
    for user in ["demo-gemeente", "demo-secretaris"] {
        let token = t.token(user).await;
        let ndjson = report_dir.path().join(format!("{user}.ndjson"));
        let out = Command::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/target/schemathesis/bin/schemathesis"
        ))
        .args(["run", &t.url("/api/v1/openapi.json")])
        .args(["--checks", CHECKS, "--max-examples", &examples, "--seed", "12"])
        .args(["--phases", "examples,coverage,fuzzing", "--workers", "1", "--no-color"])
        .args(["--suppress-health-check", "all", "--max-failures", "20"])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--report", "ndjson", "--report-ndjson-path"])
        .arg(&ndjson)
        .env("SCHEMATHESIS_HOOKS", "")
        .output()
        .expect("schemathesis runs: tests/run installs it in target/schemathesis");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let sent = std::fs::read_to_string(&ndjson)
            .map(|s| s.matches("\"request\"").count() as u64)
            .unwrap_or_default();
        requests += sent;
        assert!(
            out.status.success(),
            "schemathesis found failures as {user}:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let summary: Vec<&str> = stdout.lines().skip_while(|l| !l.contains("SUMMARY")).collect();
        eprintln!("schemathesis as {user}:\n{}", summary.join("\n"));
    }
    eprintln!("schemathesis: about {requests} requests, no failures");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_requests_find_no_server_error_and_no_undocumented_answer_sqlite() {
    run_against(TestApp::start(Db::Sqlite).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_requests_find_no_server_error_and_no_undocumented_answer_postgres() {
    match Db::postgres() {
        Some(db) => run_against(TestApp::start(db).await).await,
        None => eprintln!("TEST_DATABASE_URL is not set: PostgreSQL variant not run"),
    }
}
