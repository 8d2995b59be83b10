//! Documents and evidence (domain.md §7): their kinds, confidentiality and audience, which
//! file types are accepted and how they are recognised from their bytes, and what a user's
//! file name may be. Pure rules; the service streams, stores and scans.

mod file_name;
mod file_type;
mod labels;
pub mod office;
pub mod pdf;
pub mod range;

pub use file_name::{FileName, content_disposition};
pub use file_type::{FileType, HEAD, Sniff, TextCheck, ZipFacts, is_zip, sniff};
pub use labels::{Audience, Confidentiality, DocumentKind};
