//! Faults on purpose: `kill -9` of the node, again and again, in the middle of whatever it is
//! doing — a step, a message, an upload, the worker's mail delivery and reminder sweep.
//! After every restart each acknowledged request is there, every audit chain and checkpoint
//! verifies, every stored document is whole, and in the end every e-mail is sent: none lost,
//! and a message the node died while sending goes again under the same `Message-ID`.
//!
//! 100 kills on SQLite and 100 on PostgreSQL in the suite (`BESLECHT_KILLS` per database to
//! run more, e.g. `BESLECHT_KILLS=1000 cargo test --test api fault_kill -- --nocapture`).

use std::{
    collections::HashSet,
    path::Path,
    process::Command,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::{
    binary::{self, beslecht},
    document_support::{form, pdf, sha256},
    harness::count,
    smtp_sink::SmtpSink,
};

const PASSWORD: &str = "kill-test-wachtwoord";

#[derive(Default)]
struct Acknowledged {
    messages: Vec<String>,
    filed: Vec<String>,
    submitted: Vec<String>,
    /// Title and SHA-256 of each upload answered 201.
    uploads: Vec<(String, String)>,
    /// Suspensions and resumptions answered 200: each tells everyone, by e-mail too.
    suspensions: usize,
}

struct Node<'a> {
    dir: &'a Path,
    env: Vec<(&'static str, String)>,
}

impl Node<'_> {
    fn command(&self) -> Command {
        let mut c = beslecht(self.dir);
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }

    fn serve(&self) -> binary::Served {
        let mut c = self.command();
        c.args(["serve", "--demo"]);
        binary::serve(c)
    }

    /// Runs a command-line check; answers its output, failing on a non-zero exit.
    fn check(&self, args: &[&str]) -> String {
        let out = self.command().args(args).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "beslecht {args:?}:\n{text}");
        text
    }
}

/// One burst of work against `addr` from several clients at once, until the node dies.
async fn burst(
    addr: &str,
    (token, secretary): (&str, &str),
    (mediation_case, upload_case): (&str, &str),
    round: usize,
    acked: &Arc<Mutex<Acknowledged>>,
) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let base = format!("http://{addr}/api/v1");
    let messages = {
        let (client, base, token, case, acked) = (
            client.clone(),
            base.clone(),
            token.to_owned(),
            mediation_case.to_owned(),
            acked.clone(),
        );
        async move {
            for i in 0.. {
                let body = format!("Bericht {round}-{i}.");
                let Some(res) = post_json(
                    &client,
                    format!("{base}/cases/{case}/messages"),
                    &token,
                    &json!({"body": body}),
                )
                .await
                else {
                    return;
                };
                if res.status() == 201 {
                    acked.lock().unwrap().messages.push(body);
                }
            }
        }
    };
    let filing = {
        let (client, base, token, acked) = (client.clone(), base.clone(), token.to_owned(), acked.clone());
        async move {
            let orgs: Value = match client
                .get(format!("{base}/organisations?name=Heerlen"))
                .bearer_auth(&token)
                .send()
                .await
            {
                Ok(res) => res.json().await.unwrap_or_default(),
                Err(_) => return,
            };
            for i in 0.. {
                let case = json!({"kind": "binnen_regio", "domain": "jeugd", "title": format!("Geschil {round}-{i}"),
                    "summary": "Vastgelegd door de kill-test.", "respondents": [orgs["items"][0]["id"]]});
                let Some(res) = post_json(&client, format!("{base}/cases"), &token, &case).await else {
                    return;
                };
                if res.status() != 201 {
                    return;
                }
                let Ok(body) = res.json::<Value>().await else { return };
                let id = body["id"].as_str().unwrap().to_owned();
                acked.lock().unwrap().filed.push(id.clone());
                let Some(res) = post_json(&client, format!("{base}/cases/{id}/steps/submit"), &token, &json!({})).await
                else {
                    return;
                };
                if res.status() == 200 {
                    acked.lock().unwrap().submitted.push(id);
                }
            }
        }
    };
    let uploads = {
        let (client, base, token, case, acked) = (
            client.clone(),
            base.clone(),
            token.to_owned(),
            upload_case.to_owned(),
            acked.clone(),
        );
        async move {
            for i in 0.. {
                let title = format!("Bijlage {round}-{i}");
                let bytes = pdf(&title);
                let fields = [("type", "bewijsstuk"), ("title", title.as_str())];
                let Ok(res) = client
                    .post(format!("{base}/cases/{case}/documents"))
                    .bearer_auth(&token)
                    .multipart(form(&fields, Some(("bijlage.pdf", bytes.clone()))))
                    .send()
                    .await
                else {
                    return;
                };
                if res.status() == 201 {
                    acked.lock().unwrap().uploads.push((title, sha256(&bytes)));
                }
            }
        }
    };
    let suspensions = {
        let (client, base, token, case, acked) = (
            client.clone(),
            base.clone(),
            secretary.to_owned(),
            mediation_case.to_owned(),
            acked.clone(),
        );
        async move {
            for i in 0.. {
                let (url, body) = if (round + i).is_multiple_of(2) {
                    (
                        format!("{base}/cases/{case}/suspensions"),
                        json!({"reason": format!("Wachten {round}-{i}"), "legal_basis": "art. 12 reglement"}),
                    )
                } else {
                    (format!("{base}/cases/{case}/suspensions/resume"), json!({}))
                };
                let Some(res) = post_json(&client, url, &token, &body).await else {
                    return;
                };
                if res.status() == 200 {
                    acked.lock().unwrap().suspensions += 1;
                }
            }
        }
    };
    tokio::join!(messages, filing, uploads, suspensions);
}

/// POSTs `body` as JSON; `None` once the node is gone (the burst ends there).
async fn post_json(client: &reqwest::Client, url: String, token: &str, body: &Value) -> Option<reqwest::Response> {
    client.post(url).bearer_auth(token).json(body).send().await.ok()
}

async fn get(client: &reqwest::Client, url: String, token: &str) -> Value {
    let res = client.get(&url).bearer_auth(token).send().await.unwrap();
    assert_eq!(res.status(), 200, "{url}");
    res.json().await.unwrap()
}

async fn kills_on(database_url: Option<String>) {
    let kills: usize = std::env::var("BESLECHT_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(100);
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(0).await;
    let db_url = database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/data/beslecht.db?mode=rwc", dir.path().display()));
    let mut env = vec![
        ("BESLECHT_DEMO_PASSWORD", PASSWORD.to_owned()),
        ("BESLECHT_WORKER_INTERVAL", "1".to_owned()),
        ("BESLECHT_SMTP_URL", sink.url()),
        ("BESLECHT_PUBLIC_URL", "https://beslecht.example.nl".to_owned()),
    ];
    if let Some(url) = database_url {
        env.push(("DATABASE_URL", url));
    }
    let node = Node { dir: dir.path(), env };
    let client = reqwest::Client::new();

    // The cases the bursts work on, and e-mail addresses so that messages become mail.
    let mut served = node.serve();
    let addr = served.addr.clone();
    let token = binary::sign_in(&client, &addr, "demo-gemeente", PASSWORD).await;
    let secretary = binary::sign_in(&client, &addr, "demo-secretaris", PASSWORD).await;
    let mediation_case = binary::demo_case(&client, &addr, &token, "Berichten").await;
    let res = client
        .post(format!("http://{addr}/api/v1/cases/{mediation_case}/steps/submit"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "submitted");
    let upload_case = binary::demo_case(&client, &addr, &token, "Bijlagen").await;
    let db = Database::connect(db_url.as_str()).await.unwrap();
    db.execute_unprepared("UPDATE users SET email = username || '@example.nl' WHERE username LIKE 'demo-%'")
        .await
        .unwrap();

    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let started = Instant::now();
    for round in 0..kills {
        if round > 0 {
            served = node.serve();
        }
        let addr = served.addr.clone();
        // A spread of moments: at start-up (the worker's first round), early and late in a burst.
        let after = Duration::from_millis(((round * 7_919) % 700) as u64);
        let work = burst(
            &addr,
            (&token, &secretary),
            (&mediation_case, &upload_case),
            round,
            &acked,
        );
        tokio::select! {
            _ = work => panic!("a burst ends only when its node dies"),
            _ = tokio::time::sleep(after) => {}
        }
        served.child.kill().unwrap(); // SIGKILL
        served.child.wait().unwrap();
    }
    let killing = started.elapsed();

    // After the last kill: every acknowledged request is there.
    let served = node.serve();
    let addr = served.addr.clone();
    let base = format!("http://{addr}/api/v1");
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    let stored = get(&client, format!("{base}/cases/{mediation_case}/messages"), &token).await;
    let stored: HashSet<&str> = stored
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["body"].as_str())
        .collect();
    let missing: Vec<&String> = acked.messages.iter().filter(|m| !stored.contains(m.as_str())).collect();
    assert!(missing.is_empty(), "acknowledged messages lost: {missing:?}");
    for id in &acked.filed {
        let case = get(&client, format!("{base}/cases/{id}"), &token).await;
        if acked.submitted.contains(id) {
            assert_eq!(case["phase"], "ingediend", "an acknowledged submission holds");
        } else {
            assert!(
                matches!(case["phase"].as_str(), Some("concept" | "ingediend")),
                "{case}"
            );
        }
    }
    let docs = get(&client, format!("{base}/cases/{upload_case}/documents"), &token).await;
    let titles: HashSet<&str> = docs
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["title"].as_str())
        .collect();
    for (title, sha) in &acked.uploads {
        assert!(titles.contains(title.as_str()), "acknowledged upload {title} is listed");
        let doc = docs
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["title"] == title.as_str())
            .unwrap();
        assert_eq!(
            doc["sha256"].as_str(),
            Some(sha.as_str()),
            "{title} holds what was sent"
        );
    }

    // Every e-mail goes out, a message interrupted while sending once its lease (a minute)
    // runs out: the minute is let pass here.
    db.execute_unprepared("UPDATE email_outbox SET locked_until = next_attempt_at WHERE status = 'sending'")
        .await
        .unwrap();
    let waiting = Instant::now();
    loop {
        let unsent = count(&db, "SELECT COUNT(*) AS n FROM email_outbox WHERE status <> 'sent'").await;
        if unsent == 0 {
            break;
        }
        assert!(
            waiting.elapsed() < Duration::from_secs(120),
            "{unsent} e-mails still unsent"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let mut served = served;
    served.child.kill().unwrap();
    served.child.wait().unwrap();
    let outbox = count(&db, "SELECT COUNT(*) AS n FROM email_outbox").await;
    let ids = sink.message_ids();
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(
        distinct.len() as i64,
        outbox,
        "every e-mail arrived, each under one Message-ID"
    );
    assert!(outbox > 0, "the suspensions became e-mail");

    // The trails and checkpoints verify, and every stored document is whole.
    node.check(&["audit", "verify"]);
    let documents = node.check(&["documents", "verify"]);
    eprintln!(
        "kill -9 ×{kills} in {:.0} s: {} messages, {} suspensions and resumptions, {} cases filed ({} submitted), {} uploads acknowledged; {} e-mails, {} sent again under the same Message-ID; {}",
        killing.as_secs_f64(),
        acked.messages.len(),
        acked.suspensions,
        acked.filed.len(),
        acked.submitted.len(),
        acked.uploads.len(),
        outbox,
        ids.len() - distinct.len(),
        documents.lines().last().unwrap_or_default()
    );
    db.close().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_at_any_moment_loses_nothing_acknowledged_on_sqlite() {
    kills_on(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_at_any_moment_loses_nothing_acknowledged_on_postgres() {
    let Some(admin_url) = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("TEST_DATABASE_URL is not set: PostgreSQL variant not run");
        return;
    };
    let (url, drop) = crate::harness::fresh_postgres_database(&admin_url).await;
    kills_on(Some(url)).await;
    drop.await;
}
