//! Benchmark: uploading and downloading large documents through the real binary (a separate
//! process, so its memory is the server's alone), on SQLite and the local object store.
//!
//! Run with `cargo bench --bench documents`. Sizes in MiB with `BENCH_DOC_SIZES` (default
//! `16,256,1024`). For each size it prints upload and download throughput and the server's
//! resident memory: its peak (VmHWM) so far and its current size. Memory must stay flat
//! whatever the size: bytes are streamed, never held.

use std::{process::Child, time::Instant};

use bytes::Bytes;
use futures::StreamExt;
use serde_json::Value;
use sha2::{Digest, Sha256};

#[path = "../tests/api/binary.rs"]
#[allow(dead_code)]
mod binary;

const PASSWORD: &str = "benchmark-wachtwoord";
const CHUNK: usize = 1 << 20;

fn serve(dir: &std::path::Path, limit: u64) -> (Child, String) {
    let mut command = binary::beslecht(dir);
    command
        .args(["serve", "--demo"])
        .env("BESLECHT_DEMO_PASSWORD", PASSWORD)
        .env("BESLECHT_WORKER_INTERVAL", "0")
        .env("BESLECHT_UPLOAD_LIMIT", limit.to_string());
    let served = binary::serve(command);
    (served.child, served.addr)
}

/// The server's peak and current resident memory, in MiB.
fn memory(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kib("VmHWM:") / 1024.0, kib("VmRSS:") / 1024.0)
}

/// A deterministic file of `size` bytes that reads as a PDF, as a stream of 1 MiB chunks.
fn file_chunks(size: u64) -> impl Iterator<Item = Bytes> {
    let header = b"%PDF-1.7\n%benchmark\n".to_vec();
    let mut sent = 0u64;
    let block: Vec<u8> = (0..CHUNK).map(|i| (i % 251) as u8).collect();
    std::iter::from_fn(move || {
        if sent >= size {
            return None;
        }
        let n = (size - sent).min(CHUNK as u64) as usize;
        let mut chunk = block[..n].to_vec();
        if sent == 0 {
            let h = header.len().min(n);
            chunk[..h].copy_from_slice(&header[..h]);
        }
        sent += n as u64;
        Some(Bytes::from(chunk))
    })
}

fn sha_of(size: u64) -> String {
    let mut h = Sha256::new();
    for c in file_chunks(size) {
        h.update(&c);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::main]
async fn main() {
    let sizes: Vec<u64> = std::env::var("BENCH_DOC_SIZES")
        .unwrap_or_else(|_| "16,256,1024".into())
        .split(',')
        .map(|s| s.trim().parse::<u64>().expect("sizes in MiB") << 20)
        .collect();
    let largest = *sizes.iter().max().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (mut child, addr) = serve(dir.path(), largest + (1 << 20));
    let pid = child.id();
    let client = reqwest::Client::new();
    let base = format!("http://{addr}/api/v1");
    let token = binary::sign_in(&client, &addr, "demo-gemeente", PASSWORD).await;
    let case = binary::demo_case(&client, &addr, &token, "Benchmark").await;
    let (peak, rss) = memory(pid);
    println!("server after start-up: peak {peak:.1} MiB, resident {rss:.1} MiB");
    println!(
        "{:>9}  {:>14}  {:>16}  {:>15}  {:>14}",
        "size", "upload", "download", "server peak", "resident"
    );
    for size in sizes {
        let expected = sha_of(size);
        let stream = futures::stream::iter(file_chunks(size).map(Ok::<_, std::io::Error>));
        let part = reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), size)
            .file_name("groot.pdf");
        let form = reqwest::multipart::Form::new()
            .text("type", "bewijsstuk")
            .text("title", "Groot bewijsstuk")
            .part("file", part);
        let started = Instant::now();
        let res = client
            .post(format!("{base}/cases/{case}/documents"))
            .bearer_auth(&token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let up = started.elapsed();
        let doc: Value = res.json().await.unwrap();
        assert_eq!(doc["sha256"], expected, "{doc}");
        let id = doc["id"].as_str().unwrap();

        let started = Instant::now();
        let res = client
            .get(format!("{base}/cases/{case}/documents/{id}/content"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let mut body = res.bytes_stream();
        let mut h = Sha256::new();
        let mut got = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.unwrap();
            got += chunk.len() as u64;
            h.update(&chunk);
        }
        let down = started.elapsed();
        let sha: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!((got, sha), (size, expected));
        let mib = size as f64 / (1 << 20) as f64;
        let (peak, rss) = memory(pid);
        println!(
            "{:>5} MiB  {:>8.1} MiB/s  {:>10.1} MiB/s  {:>11.1} MiB  {:>10.1} MiB",
            mib,
            mib / up.as_secs_f64(),
            mib / down.as_secs_f64(),
            peak,
            rss
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}
