//! Malware scanning behind a small interface, with ClamAV's `clamd` as the implementation
//! (its INSTREAM command: the file is sent in chunks over the socket, so clamd needs no
//! access to our disk). A scanner that cannot be reached, or that could not read the whole
//! file, is an error: the upload is refused, never let through unscanned.

use std::{path::Path, time::Duration};

use futures::future::BoxFuture;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::config::ClamdAddr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    /// The signature that matched, as the scanner names it.
    Infected(String),
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("the virus scanner cannot be reached: {0}")]
    Unreachable(String),
    #[error("the virus scanner did not finish: {0}")]
    Failed(String),
}

pub trait Scanner: Send + Sync {
    fn scan<'a>(&'a self, file: &'a Path) -> BoxFuture<'a, Result<Verdict, ScanError>>;
}

/// ClamAV's daemon over TCP or a Unix socket.
pub struct Clamd {
    addr: ClamdAddr,
    timeout: Duration,
}

const CHUNK: usize = 64 * 1024;

impl Clamd {
    pub fn new(addr: ClamdAddr) -> Self {
        Clamd {
            addr,
            timeout: Duration::from_secs(300),
        }
    }

    async fn stream<S: AsyncRead + AsyncWrite + Unpin>(&self, mut conn: S, file: &Path) -> Result<Verdict, ScanError> {
        let failed = |e: std::io::Error| ScanError::Failed(e.to_string());
        let mut f = tokio::fs::File::open(file).await.map_err(failed)?;
        conn.write_all(b"zINSTREAM\0").await.map_err(failed)?;
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = f.read(&mut buf).await.map_err(failed)?;
            if n == 0 {
                break;
            }
            conn.write_all(&(n as u32).to_be_bytes()).await.map_err(failed)?;
            if let Err(e) = conn.write_all(&buf[..n]).await {
                // clamd closes the stream when it passes its StreamMaxLength; its reply says so.
                let reply = read_reply(&mut conn).await.unwrap_or_default();
                return Err(ScanError::Failed(if reply.is_empty() { e.to_string() } else { reply }));
            }
        }
        conn.write_all(&0u32.to_be_bytes()).await.map_err(failed)?;
        let reply = read_reply(&mut conn).await.map_err(failed)?;
        parse_reply(&reply)
    }
}

async fn read_reply<S: AsyncRead + Unpin>(conn: &mut S) -> std::io::Result<String> {
    let mut reply = Vec::new();
    conn.take(4096).read_to_end(&mut reply).await?;
    let end = reply.iter().position(|&b| b == 0).unwrap_or(reply.len());
    Ok(String::from_utf8_lossy(&reply[..end]).trim().to_owned())
}

/// `stream: OK`, `stream: <signature> FOUND`, or an error such as
/// `INSTREAM size limit exceeded. ERROR`.
pub fn parse_reply(reply: &str) -> Result<Verdict, ScanError> {
    let body = reply.strip_prefix("stream:").map(str::trim);
    match body {
        Some("OK") => Ok(Verdict::Clean),
        Some(b) if b.ends_with(" FOUND") => Ok(Verdict::Infected(b.trim_end_matches(" FOUND").trim().to_owned())),
        _ => Err(ScanError::Failed(reply.to_owned())),
    }
}

/// Connects within five seconds, or says why the scanner cannot be reached.
async fn connected<S>(connect: impl std::future::Future<Output = std::io::Result<S>>) -> Result<S, ScanError> {
    tokio::time::timeout(Duration::from_secs(5), connect)
        .await
        .map_err(|_| ScanError::Unreachable("timed out connecting".into()))?
        .map_err(|e| ScanError::Unreachable(e.to_string()))
}

impl Scanner for Clamd {
    fn scan<'a>(&'a self, file: &'a Path) -> BoxFuture<'a, Result<Verdict, ScanError>> {
        Box::pin(async move {
            let work = async {
                match &self.addr {
                    ClamdAddr::Tcp(hostport) => {
                        let conn = connected(tokio::net::TcpStream::connect(hostport)).await?;
                        self.stream(conn, file).await
                    }
                    #[cfg(unix)]
                    ClamdAddr::Unix(path) => {
                        let conn = connected(tokio::net::UnixStream::connect(path)).await?;
                        self.stream(conn, file).await
                    }
                    #[cfg(not(unix))]
                    ClamdAddr::Unix(_) => Err(ScanError::Unreachable("Unix sockets need a Unix system".into())),
                }
            };
            tokio::time::timeout(self.timeout, work)
                .await
                .map_err(|_| ScanError::Failed("timed out".into()))?
        })
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_read() {
        assert_eq!(parse_reply("stream: OK").unwrap(), Verdict::Clean);
        assert_eq!(
            parse_reply("stream: Eicar-Test-Signature FOUND").unwrap(),
            Verdict::Infected("Eicar-Test-Signature".into())
        );
        assert_eq!(
            parse_reply("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND").unwrap(),
            Verdict::Infected("Heuristics.Limits.Exceeded.MaxFileSize".into())
        );
        assert!(parse_reply("INSTREAM size limit exceeded. ERROR").is_err());
        assert!(parse_reply("").is_err());
    }
}
