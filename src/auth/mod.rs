//! Authentication primitives: password hashing, signing keys and tokens. No database here;
//! the service layer combines these with storage.

pub mod keys;
pub mod password;
pub mod token;
