//! The test harness: starts the real application on port 0 against a fresh database —
//! a SQLite file in a temporary directory, or a new PostgreSQL database created from
//! `TEST_DATABASE_URL` and dropped afterwards.

use std::{
    net::SocketAddr,
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use beslecht::{
    config::Config,
    service::{App, bootstrap},
};
use reqwest::{Client, Method, RequestBuilder, Response};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

pub const DEMO_PASSWORD: &str = "demo-wachtwoord-voor-tests";

/// Runs a test body once on SQLite and once on PostgreSQL (when `TEST_DATABASE_URL` is set).
#[macro_export]
macro_rules! on_both_databases {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($app: $crate::harness::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run($crate::harness::TestApp::start($crate::harness::Db::Sqlite).await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::harness::Db::postgres() {
                    Some(db) => run($crate::harness::TestApp::start(db).await).await,
                    None => eprintln!("TEST_DATABASE_URL is not set: PostgreSQL variant not run"),
                }
            }
        }
    )*};
}

pub enum Db {
    Sqlite,
    Postgres { admin_url: String },
}

impl Db {
    pub fn postgres() -> Option<Db> {
        std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .map(|admin_url| Db::Postgres { admin_url })
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: Client,
    pub app: App,
    pub data_dir: tempfile::TempDir,
    pub admin_password: String,
    /// Every statement this node's server has sent to the database, for statement budgets.
    pub statements: Arc<AtomicU64>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    pg_drop: Option<(String, String)>,
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// A new, empty database on the cluster of `admin_url`; answers its name.
async fn create_postgres_database(admin_url: &str) -> String {
    let name = format!("beslecht_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(admin_url).await.expect("TEST_DATABASE_URL answers");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    name
}

async fn drop_postgres_database(admin_url: &str, name: &str) {
    if let Ok(admin) = Database::connect(admin_url).await {
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .ok();
        admin.close().await.ok();
    }
}

/// A new database for a test that runs the binary itself: its URL, and what drops it.
pub async fn fresh_postgres_database(admin_url: &str) -> (String, impl std::future::Future<Output = ()>) {
    let name = create_postgres_database(admin_url).await;
    let admin_url = admin_url.to_owned();
    let url = with_database(&admin_url, &name);
    (url, async move { drop_postgres_database(&admin_url, &name).await })
}

/// The single number a `SELECT COUNT(*) AS n …` answers.
pub async fn count(db: &impl ConnectionTrait, sql: &str) -> i64 {
    db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .expect("a count answers one row")
        .try_get("", "n")
        .unwrap()
}

pub fn test_config(data_dir: PathBuf, database_url: String, extra: &[(&str, &str)]) -> Config {
    let mut vars: Vec<(String, String)> = vec![
        ("BESLECHT_ADDR".into(), "127.0.0.1:0".into()),
        ("BESLECHT_DATA_DIR".into(), data_dir.display().to_string()),
        ("DATABASE_URL".into(), database_url),
        ("BESLECHT_DEMO_PASSWORD".into(), DEMO_PASSWORD.into()),
        // Every test client comes from 127.0.0.1; the tests choose their address explicitly.
        ("BESLECHT_TRUST_FORWARDED_FOR".into(), "true".into()),
        // The demo users sign in with their password, as in demo mode; the second factor's
        // tests ask for one.
        ("BESLECHT_SECOND_FACTOR_ROLES".into(), "none".into()),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Config::load(|k| vars.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
        .expect("test configuration is valid")
}

impl TestApp {
    pub async fn start(db: Db) -> TestApp {
        Self::start_with(db, &[]).await
    }

    pub async fn start_with(db: Db, extra: &[(&str, &str)]) -> TestApp {
        // The server's own log lines appear with a failing test's output (RUST_LOG to tune).
        let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
        let data_dir = tempfile::tempdir().expect("temporary directory");
        let (url, pg_drop) = match db {
            Db::Sqlite => (
                format!("sqlite://{}?mode=rwc", data_dir.path().join("test.db").display()),
                None,
            ),
            Db::Postgres { admin_url } => {
                let name = create_postgres_database(&admin_url).await;
                (with_database(&admin_url, &name), Some((admin_url, name)))
            }
        };
        let config = test_config(data_dir.path().to_path_buf(), url, extra);
        let app = App::start(config).await.expect("the application starts");
        let admin_file = bootstrap::ensure_first_admin(&app)
            .await
            .expect("first start")
            .expect("a new database has no users");
        let admin_password = std::fs::read_to_string(admin_file)
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("password: ").map(str::to_owned))
            .expect("password line");
        bootstrap::seed_reference(&app).await.expect("reference data");
        bootstrap::seed_demo_users(&app).await.expect("demo users");

        Self::serve(app, data_dir, admin_password, pg_drop).await
    }

    /// A second node on the same database, with a data directory of its own (nothing local is
    /// shared): what a load balancer would put beside this one.
    pub async fn another_node(&self, extra: &[(&str, &str)]) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temporary directory");
        let url = secrecy::ExposeSecret::expose_secret(&self.app.config.database_url).to_owned();
        let config = test_config(data_dir.path().to_path_buf(), url, extra);
        let app = App::start(config).await.expect("the second node starts");
        Self::serve(app, data_dir, self.admin_password.clone(), None).await
    }

    async fn serve(
        mut app: App,
        data_dir: tempfile::TempDir,
        admin_password: String,
        pg_drop: Option<(String, String)>,
    ) -> TestApp {
        // Port 0 unless the test chose one (BESLECHT_ADDR), e.g. to give it to an identity provider.
        let listener = tokio::net::TcpListener::bind(app.config.addr).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let statements = Arc::new(AtomicU64::new(0));
        let counted = statements.clone();
        app.db.set_metric_callback(move |_| {
            counted.fetch_add(1, Ordering::Relaxed);
        });
        let served = app.clone();
        let server = tokio::spawn(async move {
            beslecht::http::serve(served, listener, async {
                rx.await.ok();
            })
            .await
            .expect("server runs");
        });
        let client = Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        TestApp {
            addr,
            client,
            app,
            data_dir,
            admin_password,
            statements,
            shutdown: Some(tx),
            server: Some(server),
            pg_drop,
        }
    }

    /// Stops this node as a crash would: its server and its connections end at once, with
    /// requests in flight.
    pub async fn crash(mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
        self.shutdown.take();
        self.app.db.clone().close().await.ok();
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut r = self.request(Method::GET, path);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap()
    }

    pub async fn send_json(&self, method: Method, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut r = self.request(method, path).json(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap()
    }

    /// Signs in from `client` (sent as X-Forwarded-For) and answers the raw response.
    pub async fn login_from(&self, username: &str, password: &str, client: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/token")
            .header("x-forwarded-for", client)
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// Signs in and answers the access token; panics if that fails.
    pub async fn token(&self, username: &str) -> String {
        let password = if username == "beheerder" {
            self.admin_password.clone()
        } else {
            DEMO_PASSWORD.to_owned()
        };
        let res = self.login_from(username, &password, "10.0.0.1").await;
        assert_eq!(res.status(), 200, "login of {username}");
        res.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The id of a reference organisation by exact name.
    pub async fn org_id(&self, token: &str, name: &str) -> String {
        let res = self
            .get(&format!("/api/v1/organisations?name={}", urlencode(name)), Some(token))
            .await;
        let body: Value = res.json().await.unwrap();
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Asserts an RFC 9457 problem with `status`, and answers its body.
pub async fn assert_problem(res: Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status, "status");
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert_eq!(ct, "application/problem+json", "content type");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()), "{body}");
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()), "{body}");
    body
}

/// The names of the invalid fields in a 400 problem.
pub fn invalid_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            tx.send(()).ok();
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
        if let Some((admin_url, name)) = self.pg_drop.take() {
            let db = self.app.db.clone();
            // Dropping needs async I/O; do it on a runtime of its own so Drop can wait for it.
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    db.close().await.ok();
                    drop_postgres_database(&admin_url, &name).await;
                });
            })
            .join()
            .ok();
        }
    }
}

#[test]
fn database_names_are_replaced_in_urls() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database("postgres://u:p@h/db?sslmode=disable", "t2"),
        "postgres://u:p@h/t2?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "t3"), "postgres://h/t3");
}
