//! The rules of Beslecht, without I/O: value types that can only be built valid.
//!
//! Everything here is pure and unit-tested exhaustively; the service layer converts raw input
//! into these types once, at the boundary, and never re-checks afterwards.

pub mod anonymise;
pub mod audit_chain;
pub mod audit_checkpoint;
pub mod characters;
pub mod dispute;
pub mod documents;
pub mod ics;
pub mod nvo;
pub mod obligation;
pub mod organisation_kind;
pub mod policy_file;
pub mod procedure;
pub mod reglement;
pub mod role;
pub mod rules;
pub mod search_words;
pub mod terms;
pub mod throttle;
pub mod values;

pub use organisation_kind::OrganisationKind;
pub use role::Role;
pub use values::{
    CaseTitle, CbsCode, DisplayName, Email, Location, OrganisationName, Password, Prose, Reason, Username,
};
