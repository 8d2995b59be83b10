//! Storage: the database connection, migrations and the sea-orm entities.
//!
//! One code path for SQLite (the zero-configuration default) and PostgreSQL. SQLite runs in
//! WAL mode with foreign keys on and a busy timeout, so concurrent writers wait instead of
//! failing.

pub mod entities;
pub mod json_rows;
mod literal_limits;
pub mod objects;
pub mod template;

pub use literal_limits::literal_limits;

use std::time::Duration;

use beslecht_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use secrecy::{ExposeSecret, SecretString};

pub async fn connect(url: &SecretString) -> Result<DatabaseConnection, DbErr> {
    let url = url.expose_secret();
    if let Some(parent) = sqlite_path(url)
        .and_then(|path| std::path::Path::new(path).parent())
        .filter(|p| !p.as_os_str().is_empty())
    {
        create_private_dir(parent).map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", parent.display())))?;
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(5))
        // A connection is pinged before use only when it has been idle for a while: pinging
        // on every acquire doubled the round trips of every statement outside a transaction.
        // A connection that died while in use fails its statement, answers 503 (see
        // `is_unavailable`) and is dropped by the pool.
        .test_before_acquire_if_idle_for(Duration::from_secs(10))
        .map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(15))
                .create_if_missing(true)
        });
    if url.starts_with("sqlite:") {
        // SQLite serialises writers anyway; a small pool avoids lock convoys.
        opts.max_connections(8).min_connections(1);
    } else {
        opts.max_connections(20).min_connections(1);
    }
    Database::connect(opts).await
}

/// On SQLite, makes the current transaction a writing one before it reads anything: a
/// transaction that reads first and writes later cannot wait for another writer and fails
/// with "database is locked" instead. A write statement takes the write lock (waiting up to
/// the busy timeout) even when it matches no row. On PostgreSQL nothing is needed.
pub async fn write_first(db: &impl sea_orm::ConnectionTrait) -> Result<(), DbErr> {
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        db.execute_unprepared("UPDATE case_counters SET last = last WHERE 0 = 1")
            .await?;
    }
    Ok(())
}

/// Creates a directory readable only by the service's user (it will hold password hashes).
pub fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Whether the schema is fully migrated (used by readiness and `migrate --check`).
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.len())
}

/// Whether an error says the database cannot be reached (stopped, restarting, the network
/// gone) rather than that a statement was wrong: such a request changed nothing and may be
/// tried again, so it answers 503, not 500.
pub fn is_unavailable(e: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx::Error as Sqlx};
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => match e.as_ref() {
            Sqlx::Io(_) | Sqlx::Tls(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed => true,
            Sqlx::Database(db) => db.code().is_some_and(|code| unavailable_sqlstate(&code)),
            _ => false,
        },
        _ => false,
    }
}

/// SQLSTATEs of a server going away: class 08 (connection exception), 57P01–57P03 (shut
/// down by an administrator, crashed, not accepting connections yet).
fn unavailable_sqlstate(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03")
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_paths() {
        assert_eq!(super::sqlite_path("sqlite://./data/b.db?mode=rwc"), Some("./data/b.db"));
        assert_eq!(super::sqlite_path("sqlite::memory:"), None);
        assert_eq!(super::sqlite_path("postgres://x"), None);
    }

    #[test]
    fn a_server_going_away_is_unavailable_and_a_wrong_statement_is_not() {
        use sea_orm::{ConnAcquireErr, DbErr, RuntimeErr, sqlx};
        use std::sync::Arc;
        let io = |kind| {
            DbErr::Exec(RuntimeErr::SqlxError(Arc::new(sqlx::Error::Io(std::io::Error::from(
                kind,
            )))))
        };
        assert!(super::is_unavailable(&DbErr::ConnectionAcquire(
            ConnAcquireErr::Timeout
        )));
        assert!(super::is_unavailable(&io(std::io::ErrorKind::ConnectionReset)));
        assert!(super::is_unavailable(&DbErr::Query(RuntimeErr::SqlxError(Arc::new(
            sqlx::Error::PoolTimedOut
        )))));
        assert!(!super::is_unavailable(&DbErr::Query(RuntimeErr::SqlxError(Arc::new(
            sqlx::Error::RowNotFound
        )))));
        assert!(!super::is_unavailable(&DbErr::Custom("no".into())));
        for code in ["08006", "08001", "57P01", "57P02", "57P03"] {
            assert!(super::unavailable_sqlstate(code), "{code}");
        }
        for code in ["23505", "40001", "22P05", "57014"] {
            assert!(!super::unavailable_sqlstate(code), "{code}");
        }
    }
}
