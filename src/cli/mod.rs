//! The `beslecht` command: `serve` (the default), `migrate`, `seed`, `user …`, `openapi`,
//! `audit verify`, `documents verify`.

mod serve;
mod user;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::{
    config::Config,
    service::{App, bootstrap},
};

#[derive(Parser)]
#[command(
    name = "beslecht",
    version,
    about = "Beslecht: disputes under the VNG Norm voor Opdrachtgeverschap.",
    long_about = "Beslecht: disputes under the VNG Norm voor Opdrachtgeverschap.\n\nWithout a subcommand it serves. Configuration comes from the environment (and BESLECHT_CONFIG, a TOML file); see the README."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web service (the default). Migrates the database and, on an empty one, creates the administrator.
    Serve {
        /// Also load the reference organisations and the demo users (never in production).
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Load the reference organisations from the seed documents (idempotent).
    Seed {
        /// Also create the demo users, with the password in BESLECHT_DEMO_PASSWORD.
        #[arg(long)]
        demo: bool,
    },
    /// Manage user accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Print the OpenAPI 3 document of the JSON API.
    Openapi,
    /// Print the rule book: who may do what in a case, and when (role × phase and stage ×
    /// action → allowed, or why not), generated from the rules the service applies.
    Rules {
        /// `markdown` (default) or `json`.
        #[arg(long, value_enum, default_value_t = RulesFormat::Markdown)]
        format: RulesFormat,
    },
    /// Run the background worker (reminders and signals about terms) without serving; any
    /// number may run beside the service nodes.
    Worker {
        /// One round, then exit.
        #[arg(long)]
        once: bool,
    },
    /// Check the audit trails.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Check the stored documents.
    #[command(subcommand)]
    Documents(DocumentsCommand),
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum RulesFormat {
    Markdown,
    Json,
}

#[derive(Subcommand)]
enum DocumentsCommand {
    /// Re-read every stored document and compare its size and SHA-256 with its upload entry in
    /// the case's audit trail and with its record; lists
    /// each one that is missing or changed and exits with status 1 if there is one.
    Verify,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify every case's hash-chained audit trail, the service's own audit log, and the
    /// sealed audit checkpoints in the object store; names the first broken entry or
    /// checkpoint and exits with status 1 if there is one.
    Verify,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("beslecht: {e}");
            return ExitCode::from(2);
        }
    };
    crate::telemetry::init(config.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve { demo: false }), config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("beslecht: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Openapi => {
            println!("{}", serde_json::to_string_pretty(&crate::http::openapi())?);
            Ok(())
        }
        Command::Rules { format } => {
            // The reglement decides whether a written procedure is open; read it as the
            // service would (BESLECHT_POLICY_DIR), without a database.
            let reglement = crate::policies::load_reglement(config.policy_dir.as_deref())?;
            use crate::domain::rules::matrix;
            match format {
                RulesFormat::Markdown => print!("{}", matrix::markdown(reglement.written_procedure)),
                RulesFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&matrix::json(reglement.written_procedure))?
                ),
            }
            Ok(())
        }
        Command::Serve { demo } => serve::run(config, demo).await,
        Command::Migrate => {
            App::start(config).await?;
            println!("The database schema is up to date.");
            Ok(())
        }
        Command::Seed { demo } => {
            let app = App::start(config).await?;
            seed(&app, demo).await
        }
        Command::User(cmd) => user::run(App::start(config).await?, cmd).await,
        Command::Worker { once } => {
            let app = App::start(config).await?;
            if once {
                let r = crate::service::worker::round(&app).await.into_result()?;
                println!("{} terms: {} notifications.", r.terms, r.notifications);
                return Ok(());
            }
            let interval = app.config.worker_interval.max(std::time::Duration::from_secs(1));
            crate::service::worker::run(app, interval, crate::http::shutdown_signal()).await;
            Ok(())
        }
        Command::Documents(DocumentsCommand::Verify) => verify_documents(&App::start(config).await?).await,
        Command::Audit(AuditCommand::Verify) => {
            let app = App::start(config).await?;
            let report = crate::service::cases::verify::verify_all(&app.db).await?;
            if let Some(b) = report.broken {
                anyhow::bail!(
                    "the audit trail is broken: case {}, entry {}: {}",
                    b.case_number,
                    b.sequence,
                    b.why
                );
            }
            let (events, broken) = crate::service::audit::verify(&app.db).await?;
            if let Some((sequence, why)) = broken {
                anyhow::bail!("the service audit log is broken: event {sequence}: {why}");
            }
            let anchored = crate::service::audit_checkpoints::verify(&app).await?;
            if let Some((sequence, why)) = anchored.broken {
                anyhow::bail!("audit checkpoint {sequence} does not hold: {why}");
            }
            println!(
                "The audit trail is intact: {} entries in {} cases verified. The service audit log is intact: {events} events verified. {} audit checkpoints hold, covering {} entries.",
                report.entries, report.cases, anchored.checkpoints, anchored.entries_covered
            );
            Ok(())
        }
    }
}

async fn verify_documents(app: &App) -> anyhow::Result<()> {
    use crate::service::documents::verify::{Problem, verify_all};
    let report = verify_all(app).await?;
    for f in &report.findings {
        let what = match &f.problem {
            Problem::Missing => "missing from the store".to_owned(),
            Problem::NotInTrail => "its upload is not in the case's audit trail".to_owned(),
            Problem::RecordChanged => "its record's size or SHA-256 differ from its upload entry".to_owned(),
            Problem::Changed { size, sha256 } => format!("changed: now {size} bytes, SHA-256 {sha256}"),
            Problem::Unreadable(e) => format!("unreadable: {e}"),
        };
        println!("case {}, document {}: {what}", f.case_number, f.document);
    }
    if report.findings.is_empty() {
        println!(
            "All {} documents are whole: {} bytes read, every SHA-256 as recorded.",
            report.checked, report.bytes
        );
        Ok(())
    } else {
        anyhow::bail!(
            "{} of {} documents are missing or changed",
            report.findings.len(),
            report.checked
        )
    }
}

pub(crate) async fn seed(app: &App, demo: bool) -> anyhow::Result<()> {
    let created = bootstrap::seed_reference(app).await?;
    tracing::info!(created, "reference organisations loaded");
    if demo {
        warn_demo();
        let users = bootstrap::seed_demo_users(app).await?;
        tracing::warn!(created = users, "demo users loaded");
    }
    Ok(())
}

fn warn_demo() {
    tracing::warn!("DEMO MODE: demo users exist with a published password; never use this database for real cases");
    eprintln!(
        "\n*** DEMO MODE — the demo users share the password from BESLECHT_DEMO_PASSWORD (default in the README). Never use this for real cases. ***\n"
    );
}
