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
