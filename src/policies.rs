//! Reading the reglement from `policies/` (or the copy built into the binary). The Cedar
//! files are read by `authz`.

use std::path::Path;

use crate::domain::reglement::{Reglement, ReglementError};

pub const REGLEMENT_FILE: &str = "reglement.toml";
const BUILT_IN_REGLEMENT: &str = include_str!("../policies/reglement.toml");

pub fn load_reglement(dir: Option<&Path>) -> Result<Reglement, ReglementError> {
    match dir {
        None => Reglement::parse("policies/reglement.toml", BUILT_IN_REGLEMENT),
        Some(dir) => {
            let path = dir.join(REGLEMENT_FILE);
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| ReglementError {
                file: name.clone(),
                entry: "(file)".into(),
                message: format!("cannot read: {e}"),
            })?;
            Reglement::parse(&name, &text)
        }
    }
}
