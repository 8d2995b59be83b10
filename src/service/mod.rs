//! The use cases. The JSON API and the HTML UI both call these functions and nothing else;
//! every rule about who may do what, and every write, happens here (or in `domain`).

pub mod audit;
pub mod audit_checkpoints;
pub mod bootstrap;
pub mod calendar;
pub mod calendar_feed;
pub mod cases;
pub mod credentials;
pub mod devices;
pub mod documents;
pub mod federation;
pub mod identity;
pub mod inbox;
pub mod input;
pub mod login;
pub mod mailer;
pub mod notify;
pub mod organisation_admin;
pub mod organisations;
pub mod region_links;
pub mod register;
pub mod reminders;
pub mod rulings;
pub mod second_factor;
pub mod secrets;
pub mod sessions;
pub mod throttle;
pub mod unread;
pub mod users;
pub mod web_sessions;
pub mod worker;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    auth::{keys, password::PasswordHasher, token::TokenIssuer},
    authz::{Action, Authorizer, Resource},
    config::Config,
    domain::{
        reglement::Reglement,
        terms::{Calendar, TermRules},
    },
    error::{Error, Result},
    storage,
};

pub use identity::Actor;

/// Everything a request needs, shared by all requests. Holds no per-user state, so any
/// number of nodes can run side by side on one database.
#[derive(Clone)]
pub struct App {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub hasher: PasswordHasher,
    /// Shared, like everything else here: the state is cloned for every request, and the
    /// issuer's keys and validation rules (a handful of heap allocations) with it.
    pub tokens: Arc<TokenIssuer>,
    pub authz: Arc<Authorizer>,
    /// Kinds of dispute, their parties and paths (`policies/reglement.toml`).
    pub reglement: Arc<Reglement>,
    /// Working days under the Algemene termijnenwet (`policies/feestdagen.toml`).
    pub calendar: Arc<Calendar>,
    /// The reglement's terms per phase (`policies/termijnen.toml`).
    pub term_rules: Arc<TermRules>,
    /// The object store, the scanner and the upload limit.
    pub documents: Arc<documents::Documents>,
    /// Seals the audit checkpoints (`audit_checkpoints`); never stored in the database.
    pub audit_key: Arc<keys::SigningKey>,
    /// The identity providers people may sign in through, with their cached discovery.
    pub federation: Arc<federation::providers::Federation>,
}

impl App {
    /// Connects, migrates and loads keys and policies; any failure names what is wrong.
    pub async fn start(config: Config) -> anyhow::Result<Self> {
        let authz = Authorizer::load(config.policy_dir.as_deref())?;
        let reglement = crate::policies::load_reglement(config.policy_dir.as_deref())?;
        let calendar = crate::policies::load_calendar(config.policy_dir.as_deref())?;
        let term_rules = crate::policies::load_term_rules(config.policy_dir.as_deref())?;
        let key = keys::load_or_generate(config.token_secret.as_ref(), &config.data_dir, keys::KEY_FILE)?;
        let audit_key = keys::load_or_generate(config.audit_key.as_ref(), &config.data_dir, keys::AUDIT_KEY_FILE)?;
        let documents = documents::Documents::open(&config)?;
        let db = storage::connect(&config.database_url).await?;
        storage::migrate(&db).await?;
        // Events written before the service log was chained join the chain, once.
        let chained = audit::chain_unchained(&db).await?;
        if chained > 0 {
            tracing::info!(events = chained, "chained the service audit log's earlier events");
        }
        let app = App {
            db,
            tokens: Arc::new(TokenIssuer::new(&key, config.token_ttl)),
            hasher: PasswordHasher::new(config.hash_concurrency),
            authz: Arc::new(authz),
            reglement: Arc::new(reglement),
            calendar: Arc::new(calendar),
            term_rules: Arc::new(term_rules),
            documents: Arc::new(documents),
            audit_key: Arc::new(audit_key),
            federation: Arc::new(federation::providers::Federation::new(&config)?),
            config: Arc::new(config),
        };
        // Rulings published before the register had facets and search are filed, once.
        let filed = register::index::index_missing(&app).await?;
        if filed > 0 {
            tracing::info!(rulings = filed, "filed earlier publications for the register's search");
        }
        Ok(app)
    }

    /// Asks the policies; a refusal is a 403 with the action named.
    pub fn authorize(&self, actor: &Actor, action: Action, resource: &Resource) -> Result<()> {
        if self.authz.is_allowed(&actor.principal(), action, resource) {
            Ok(())
        } else {
            Err(Error::Forbidden(format!("your role may not {}", describe(action))))
        }
    }
}

fn describe(action: Action) -> &'static str {
    match action {
        Action::OrganisationList | Action::OrganisationRead => "look up organisations",
        Action::OrganisationCreate => "register organisations",
        Action::OrganisationUpdate => "change organisations",
        Action::UserList | Action::UserRead => "look up user accounts",
        Action::UserCreate => "create user accounts",
        Action::UserUpdate => "change user accounts",
        Action::SelfRead => "read this account",
        Action::SelfChangePassword => "change this password",
        Action::CaseList => "see cases",
        Action::CaseCreate => "file disputes",
    }
}

pub fn now() -> chrono::DateTime<chrono::Utc> {
    // To the microsecond, as PostgreSQL keeps it: what a handler answers from what it wrote is
    // what a later read gives, on both databases.
    chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6)
}

/// Today's calendar date in the Netherlands.
pub fn today() -> chrono::NaiveDate {
    now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}
