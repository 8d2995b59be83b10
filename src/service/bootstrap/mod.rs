//! What a new installation needs: the first administrator, the reference organisations and,
//! in demo mode, the demo users of `../shared/api.md`. Everything here is idempotent.

mod demo;
mod reference;

pub use demo::{DEMO_USERS, seed_demo_users};
pub use reference::{ReferenceData, seed_reference};

use std::{fs, io::Write, path::PathBuf};

use rand::{Rng, distr::Alphanumeric};
use sea_orm::{EntityTrait, PaginatorTrait};

use super::{App, users};
use crate::{
    domain::{DisplayName, Password, Role, Username},
    error::{Error, Result},
    storage::entities::user,
};

pub const ADMIN_USERNAME: &str = "beheerder";
pub const ADMIN_PASSWORD_FILE: &str = "initial-admin-password.txt";

/// On a database without users, creates the administrator with a random password, writes the
/// password to a 0600 file in the data directory and returns that file's path (once).
pub async fn ensure_first_admin(app: &App) -> Result<Option<PathBuf>> {
    if user::Entity::find().count(&app.db).await? > 0 {
        return Ok(None);
    }
    let password: String = rand::rng().sample_iter(Alphanumeric).take(24).map(char::from).collect();
    let new = users::NewUser {
        username: Username::parse(ADMIN_USERNAME).expect("valid"),
        display_name: DisplayName::parse("Beheerder").expect("valid"),
        email: None,
        role: Role::Beheerder,
        organisation: None,
        may_chair: false,
        password: Password::parse(&password).expect("24 characters"),
    };
    match users::insert(app, None, "system (first start)", new).await {
        Ok(_) => {}
        // Another node created it first.
        Err(Error::Conflict(..)) => return Ok(None),
        Err(e) => return Err(e),
    }
    let path = app.config.data_dir.join(ADMIN_PASSWORD_FILE);
    write_private(&path, &format!("username: {ADMIN_USERNAME}\npassword: {password}\n"))
        .map_err(|e| Error::internal(format!("cannot write {}: {e}", path.display())))?;
    Ok(Some(path))
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}
