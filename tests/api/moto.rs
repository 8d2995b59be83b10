//! An S3-compatible server for the tests: `moto` in server mode (from PyPI), started on a
//! free port with one bucket.

use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub struct Moto {
    child: Child,
    pub endpoint: String,
}

pub const BUCKET: &str = "beslecht-test";

impl Moto {
    pub async fn start() -> Moto {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs");
        let mut moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if client.get(&moto.endpoint).send().await.is_ok() {
                break;
            }
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!("moto stopped ({status}): install it with `pip install 'moto[server]'` (.ci/run does)");
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "moto did not answer within a minute"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let res = client.put(format!("{}/{BUCKET}", moto.endpoint)).send().await.unwrap();
        assert!(res.status().is_success(), "bucket created");
        moto
    }

    /// The settings that point Beslecht at this server.
    pub fn settings(&self) -> [(&'static str, String); 4] {
        [
            ("BESLECHT_S3_BUCKET", BUCKET.to_owned()),
            ("BESLECHT_S3_ENDPOINT", self.endpoint.clone()),
            ("BESLECHT_S3_ACCESS_KEY_ID", "test-key".to_owned()),
            ("BESLECHT_S3_SECRET_ACCESS_KEY", "test-secret".to_owned()),
        ]
    }

    /// The keys in the bucket.
    pub async fn keys(&self) -> Vec<String> {
        let xml = reqwest::get(format!("{}/{BUCKET}?list-type=2", self.endpoint))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        xml.split("<Key>")
            .skip(1)
            .filter_map(|s| s.split("</Key>").next())
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
