use std::time::Duration;

use crate::{
    config::Config,
    http,
    service::{App, bootstrap, throttle},
};

pub async fn run(mut config: Config, demo: bool) -> anyhow::Result<()> {
    if demo && config.second_factor_roles.is_none() {
        // The demo users sign in with their password alone, unless configured otherwise.
        config.second_factor_roles = Some(Vec::new());
    }
    let addr = config.addr;
    let app = App::start(config).await?;
    // This node's own staging directory: what is in it was left by an interrupted upload.
    let left = crate::service::documents::staging::clear(&app.config.data_dir)?;
    if left > 0 {
        tracing::info!(files = left, "removed the staged files of interrupted uploads");
    }
    if let Some(path) = bootstrap::ensure_first_admin(&app).await? {
        tracing::warn!(path = %path.display(), "created the administrator `{}`; its password is in this file — sign in, change it, then delete the file", bootstrap::ADMIN_USERNAME);
    }
    if demo {
        super::seed(&app, true).await?;
    }
    spawn_housekeeping(app.clone());
    if !app.config.worker_interval.is_zero() {
        let interval = app.config.worker_interval;
        tokio::spawn(crate::service::worker::run(
            app.clone(),
            interval,
            std::future::pending(),
        ));
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr} (BESLECHT_ADDR): {e}"))?;
    tracing::info!(addr = %listener.local_addr()?, "Beslecht is listening");
    http::serve(app, listener, http::shutdown_signal()).await?;
    Ok(())
}

/// Prunes stale login counters and ended web sessions hourly. Safe on several nodes at once: it is an idempotent delete.
fn spawn_housekeeping(app: App) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = throttle::prune(&app.db, chrono::Utc::now().timestamp()).await {
                tracing::warn!(error = %e, "pruning login counters failed");
            }
            if let Err(e) = crate::service::web_sessions::prune(&app).await {
                tracing::warn!(error = %e, "pruning ended web sessions failed");
            }
            if let Err(e) = crate::service::sessions::prune(&app).await {
                tracing::warn!(error = %e, "pruning ended API tokens failed");
            }
        }
    });
}
