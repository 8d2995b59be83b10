use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use clap::Subcommand;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    domain::{DisplayName, Email, Password, Role, Username},
    service::{App, credentials, users},
    storage::entities::organisation,
};

const CLI: &str = "system (command line)";

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user. The password is asked for (without echo), or read from standard input.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// gemeente, regio, aanbieder, secretaris, bemiddelaar, commissielid or beheerder.
        #[arg(long)]
        role: String,
        /// The organisation's id or exact name (not for beheerder).
        #[arg(long)]
        organisation: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// For a commissielid: may chair hearings and sign rulings.
        #[arg(long)]
        may_chair: bool,
        /// Read the password from standard input instead of asking for it.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's password; ends all their tokens.
    SetPassword {
        username: String,
        /// Read the password from standard input instead of asking for it.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable a user; ends all their tokens.
    Disable { username: String },
}

pub async fn run(app: App, cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add {
            username,
            display_name,
            role,
            organisation,
            email,
            may_chair,
            password_stdin,
        } => {
            let role = Role::parse(&role).with_context(|| format!("unknown role `{role}`"))?;
            let organisation = match organisation {
                None => None,
                Some(o) => Some(find_organisation(&app, &o).await?),
            };
            let new = users::NewUser {
                username: Username::parse(&username).map_err(|e| anyhow::anyhow!("--username {e}"))?,
                display_name: DisplayName::parse(&display_name).map_err(|e| anyhow::anyhow!("--display-name {e}"))?,
                email: email
                    .map(|e| Email::parse(&e))
                    .transpose()
                    .map_err(|e| anyhow::anyhow!("--email {e}"))?,
                role,
                organisation,
                may_chair,
                password: read_password(password_stdin)?,
            };
            let user = users::insert(&app, None, CLI, new).await.map_err(describe)?;
            println!("Created {} ({}), id {}", user.username, user.role, user.id);
        }
        UserCommand::SetPassword {
            username,
            password_stdin,
        } => {
            let u = users::find_by_username(&app, &parse_username(&username)?)
                .await
                .map_err(describe)?;
            credentials::store_password(&app, None, CLI, u, read_password(password_stdin)?)
                .await
                .map_err(describe)?;
            println!("Password changed for {username}; their sessions have ended.");
        }
        UserCommand::Disable { username } => {
            let u = users::find_by_username(&app, &parse_username(&username)?)
                .await
                .map_err(describe)?;
            credentials::update_disabled(&app, None, CLI, u, true)
                .await
                .map_err(describe)?;
            println!("Disabled {username}; their sessions have ended.");
        }
    }
    Ok(())
}

fn parse_username(raw: &str) -> anyhow::Result<Username> {
    Username::parse(raw).map_err(|e| anyhow::anyhow!("username {e}"))
}

fn describe(e: crate::error::Error) -> anyhow::Error {
    match e {
        crate::error::Error::Validation(fields) => {
            anyhow::anyhow!(
                fields
                    .iter()
                    .map(|f| format!("{} {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
        other => anyhow::anyhow!("{other}"),
    }
}

async fn find_organisation(app: &App, key: &str) -> anyhow::Result<uuid::Uuid> {
    if let Ok(id) = uuid::Uuid::parse_str(key) {
        return Ok(id);
    }
    let found = organisation::Entity::find()
        .filter(organisation::Column::Name.eq(key))
        .all(&app.db)
        .await?;
    match found.as_slice() {
        [one] => Ok(one.public_id),
        [] => bail!("no organisation named `{key}`"),
        _ => bail!("several organisations are named `{key}`; give its id"),
    }
}

fn read_password(from_stdin: bool) -> anyhow::Result<Password> {
    let raw = if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        let first = rpassword::prompt_password("New password: ")?;
        let second = rpassword::prompt_password("Repeat it: ")?;
        if first != second {
            bail!("the two passwords differ");
        }
        first
    };
    Password::parse(&raw).map_err(|e| anyhow::anyhow!("password {e}"))
}
