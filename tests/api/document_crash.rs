//! `kill -9` in the middle of an upload: after a restart no partial document is visible,
//! the staged bytes are gone, and every listed document is whole.

use std::{
    process::Child,
    time::{Duration, Instant},
};

use bytes::Bytes;
use futures::SinkExt;
use serde_json::Value;

use crate::{
    binary::{self, beslecht},
    document_support::*,
};

const PASSWORD: &str = "crash-test-wachtwoord";

/// Starts `beslecht serve --demo` in `dir`; answers the process and its address.
fn serve(dir: &std::path::Path) -> (Child, String) {
    let mut command = beslecht(dir);
    command
        .args(["serve", "--demo"])
        .env("BESLECHT_DEMO_PASSWORD", PASSWORD)
        .env("BESLECHT_WORKER_INTERVAL", "0");
    let served = binary::serve(command);
    (served.child, served.addr)
}

fn staged(dir: &std::path::Path) -> Vec<(std::path::PathBuf, u64)> {
    std::fs::read_dir(dir.join("data/uploads"))
        .map(|d| d.flatten().map(|e| (e.path(), e.metadata().unwrap().len())).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_an_upload_leaves_no_partial_document() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, addr) = serve(dir.path());
    let client = reqwest::Client::new();
    let token = binary::sign_in(&client, &addr, "demo-gemeente", PASSWORD).await;
    let case = binary::demo_case(&client, &addr, &token, "Crash").await;
    let url = format!("http://{addr}/api/v1/cases/{case}/documents");
    let whole = pdf("heel");
    let res = client
        .post(&url)
        .bearer_auth(&token)
        .multipart(form(VERZOEKSCHRIFT, Some(("heel.pdf", whole.clone()))))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);

    // An upload that sends 2 MiB and then waits.
    let (mut tx, rx) = futures::channel::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let request = client
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "multipart/form-data; boundary=grens")
        .body(reqwest::Body::wrap_stream(rx))
        .send();
    let pending = tokio::spawn(request);
    let head = "--grens\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nbewijsstuk\r\n--grens\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHalf\r\n--grens\r\nContent-Disposition: form-data; name=\"file\"; filename=\"half.pdf\"\r\n\r\n";
    tx.send(Ok(Bytes::from(head))).await.unwrap();
    tx.send(Ok(Bytes::from(pdf("half")))).await.unwrap();
    tx.send(Ok(Bytes::from(vec![b' '; 2 << 20]))).await.unwrap();
    let started = Instant::now();
    while !staged(dir.path()).iter().any(|(_, len)| *len >= 1 << 20) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the upload is being staged"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    drop(tx);
    assert!(pending.await.unwrap().is_err(), "the interrupted request fails");
    assert!(!staged(dir.path()).is_empty(), "the crash left a staged file");

    let (mut child, addr) = serve(dir.path());
    assert!(staged(dir.path()).is_empty(), "start-up removed it");
    let token = binary::sign_in(&client, &addr, "demo-gemeente", PASSWORD).await;
    let docs: Value = client
        .get(format!("http://{addr}/api/v1/cases/{case}/documents"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let docs = docs.as_array().unwrap();
    assert_eq!(docs.len(), 1, "only the whole document: {docs:?}");
    let id = docs[0]["id"].as_str().unwrap();
    let bytes = client
        .get(format!("http://{addr}/api/v1/cases/{case}/documents/{id}/content"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(sha256(&bytes), sha256(&whole));

    let out = beslecht(dir.path()).args(["documents", "verify"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("All 1 documents are whole"), "{text}");
    child.kill().unwrap();
    child.wait().unwrap();
}
