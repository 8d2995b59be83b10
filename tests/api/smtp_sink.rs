//! A real SMTP server for the tests: it speaks enough SMTP for any client, keeps every
//! message it accepts, and can answer the first few with a temporary failure.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
};

#[derive(Clone)]
pub struct SmtpSink {
    pub addr: SocketAddr,
    pub messages: Arc<Mutex<Vec<String>>>,
    refuse: Arc<AtomicUsize>,
}

impl SmtpSink {
    /// Starts listening; the first `refuse` messages get `451` (try again later).
    pub async fn start(refuse: usize) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = SmtpSink {
            addr: listener.local_addr().unwrap(),
            messages: Arc::default(),
            refuse: Arc::new(AtomicUsize::new(refuse)),
        };
        let shared = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sink = shared.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                    while let Ok(Some(line)) = lines.next_line().await {
                        let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                            "DATA" => {
                                let _ = write.write_all(b"354 go ahead\r\n").await;
                                let mut data = String::new();
                                let mut whole = false;
                                while let Ok(Some(l)) = lines.next_line().await {
                                    if l == "." {
                                        whole = true;
                                        break;
                                    }
                                    data.push_str(&l);
                                    data.push('\n');
                                }
                                if !whole {
                                    // The sender went away mid-message: nothing was accepted.
                                    break;
                                }
                                let refused = sink
                                    .refuse
                                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                                    .is_ok();
                                if refused {
                                    b"451 4.3.0 try again later\r\n"
                                } else {
                                    sink.messages.lock().unwrap().push(data);
                                    b"250 OK queued\r\n"
                                }
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"502 not implemented\r\n",
                        };
                        if write.write_all(reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn received(&self) -> Vec<String> {
        self.messages.lock().unwrap().clone()
    }

    /// The `Message-ID` of each message received, in order.
    pub fn message_ids(&self) -> Vec<String> {
        self.received()
            .iter()
            .map(|m| {
                m.lines()
                    .find_map(|l| l.strip_prefix("Message-ID: "))
                    .expect("every message has a Message-ID")
                    .trim()
                    .to_owned()
            })
            .collect()
    }
}
