//! Running the real `beslecht` binary: a clean environment, and `serve` started on a free
//! port with its address read from its log. Shared by the command-line tests, the crash test
//! and the documents benchmark.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

pub const BIN: &str = env!("CARGO_BIN_EXE_beslecht");

/// The binary in `dir`, with nothing from our environment but `PATH`.
pub fn beslecht(dir: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "info");
    c
}

pub struct Served {
    pub child: Child,
    pub addr: String,
    /// What it logged up to saying that it listens.
    pub log: String,
}

/// Starts `command` (a `serve`), waits until it listens, and keeps reading its log after
/// that, so that a full pipe never blocks it.
pub fn serve(mut command: Command) -> Served {
    let mut child = command
        .env("BESLECHT_ADDR", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the beslecht binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut log = String::new();
    let addr = loop {
        let line = lines.next().expect("the service logs that it listens").unwrap();
        log.push_str(&line);
        log.push('\n');
        if let Some(rest) = line.split("addr=").nth(1).filter(|_| line.contains("listening")) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Served { child, addr, log }
}

/// Signs in as `username` on a served binary; answers the access token.
pub async fn sign_in(client: &reqwest::Client, addr: &str, username: &str, password: &str) -> String {
    let body: serde_json::Value = client
        .post(format!("http://{addr}/api/v1/auth/token"))
        .json(&serde_json::json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["access_token"].as_str().expect("signed in").to_owned()
}

/// As demo-gemeente (Maastricht), files a concept case against Heerlen on a served binary
/// with the demo users; answers its id.
pub async fn demo_case(client: &reqwest::Client, addr: &str, token: &str, title: &str) -> String {
    let get = |url: String| client.get(url).bearer_auth(token).send();
    let orgs: serde_json::Value = get(format!("http://{addr}/api/v1/organisations?name=Heerlen"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let case: serde_json::Value = client
        .post(format!("http://{addr}/api/v1/cases"))
        .bearer_auth(token)
        .json(
            &serde_json::json!({"kind": "binnen_regio", "domain": "jeugd", "title": title,
            "summary": "Vastgelegd door een test.", "respondents": [orgs["items"][0]["id"]]}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    case["id"].as_str().expect("case filed").to_owned()
}
