//! A real ClamAV daemon for the tests (Debian's `clamav-daemon`), started on a free port with
//! a signature database made here: one signature matching the EICAR test string, so the
//! tests run offline. `AlertExceedsMax` makes a file over the scan limits an alert, not a pass.

use std::{
    io::{Read, Write},
    net::TcpStream,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// The EICAR anti-virus test string: harmless, and recognised by our test signature.
pub const EICAR: &str = r"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

pub struct Clamd {
    child: Child,
    pub url: String,
    _dir: tempfile::TempDir,
}

fn binary() -> String {
    for candidate in ["/usr/sbin/clamd", "/usr/bin/clamd", "/usr/local/sbin/clamd"] {
        if std::path::Path::new(candidate).exists() {
            return candidate.to_owned();
        }
    }
    panic!("clamd not found: install Debian's clamav-daemon (.ci/run does)");
}

fn pong(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let mut reply = [0u8; 16];
    s.write_all(b"zPING\0").is_ok() && s.read(&mut reply).is_ok_and(|n| reply[..n].starts_with(b"PONG"))
}

impl Clamd {
    /// Starts clamd with the given extra configuration lines (limits, say).
    pub fn start(extra: &str) -> Clamd {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        std::fs::create_dir(&db).unwrap();
        let hex: String = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        std::fs::write(db.join("beslecht-test.ndb"), format!("Beslecht.Test.Eicar:0:*:{hex}\n")).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let conf = dir.path().join("clamd.conf");
        std::fs::write(
            &conf,
            format!(
                "Foreground yes\nTCPSocket {port}\nTCPAddr 127.0.0.1\nDatabaseDirectory {}\nLogFile {}\nTemporaryDirectory {}\nAlertExceedsMax yes\n{extra}\n",
                db.display(),
                dir.path().join("clamd.log").display(),
                dir.path().display(),
            ),
        )
        .unwrap();
        let child = Command::new(binary())
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("clamd starts");
        let mut clamd = Clamd {
            child,
            url: format!("tcp://127.0.0.1:{port}"),
            _dir: dir,
        };
        let started = Instant::now();
        while !pong(port) {
            if let Ok(Some(status)) = clamd.child.try_wait() {
                let log = std::fs::read_to_string(clamd._dir.path().join("clamd.log")).unwrap_or_default();
                panic!("clamd stopped ({status}): {log}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "clamd did not answer within a minute"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        clamd
    }
}

impl Drop for Clamd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
