//! The one error of every policy data file (reglement, terms, holidays): which file, which
//! entry, and what is wrong with it. Any of them stops start-up.

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{file}: {entry}: {message}")]
pub struct PolicyFileError {
    pub file: String,
    pub entry: String,
    pub message: String,
}

impl PolicyFileError {
    pub fn new(file: &str, entry: &str, message: impl Into<String>) -> Self {
        PolicyFileError {
            file: file.to_owned(),
            entry: entry.to_owned(),
            message: message.into(),
        }
    }
}
