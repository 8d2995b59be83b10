//! Reading the policy data files from `policies/` (or the copies built into the binary): the
//! reglement and the holiday decree days. The Cedar files are read by `authz`. A file that
//! cannot be read, does not parse or contradicts itself stops start-up, naming the file and
//! the entry.

use std::path::Path;

use crate::domain::{
    policy_file::PolicyFileError,
    reglement::Reglement,
    terms::{Calendar, TermRules},
};

pub const REGLEMENT_FILE: &str = "reglement.toml";
pub const CALENDAR_FILE: &str = "feestdagen.toml";
pub const TERMS_FILE: &str = "termijnen.toml";
const BUILT_IN_TERMS: &str = include_str!("../policies/termijnen.toml");
const BUILT_IN_REGLEMENT: &str = include_str!("../policies/reglement.toml");
const BUILT_IN_CALENDAR: &str = include_str!("../policies/feestdagen.toml");

/// Reads `file` from `dir` (or the built-in copy) and parses it.
fn load<T>(
    dir: Option<&Path>,
    file: &str,
    built_in: &str,
    parse: impl Fn(&str, &str) -> Result<T, PolicyFileError>,
) -> Result<T, PolicyFileError> {
    match dir {
        None => parse(&format!("policies/{file}"), built_in),
        Some(dir) => {
            let path = dir.join(file);
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| PolicyFileError::new(&name, "(file)", format!("cannot read: {e}")))?;
            parse(&name, &text)
        }
    }
}

pub fn load_reglement(dir: Option<&Path>) -> Result<Reglement, PolicyFileError> {
    load(dir, REGLEMENT_FILE, BUILT_IN_REGLEMENT, Reglement::parse)
}

pub fn load_calendar(dir: Option<&Path>) -> Result<Calendar, PolicyFileError> {
    load(dir, CALENDAR_FILE, BUILT_IN_CALENDAR, Calendar::parse)
}

pub fn load_term_rules(dir: Option<&Path>) -> Result<TermRules, PolicyFileError> {
    load(dir, TERMS_FILE, BUILT_IN_TERMS, TermRules::parse)
}
