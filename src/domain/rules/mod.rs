//! The rule book: who may do what in a case, and when — every per-case rule in one place,
//! without I/O.
//!
//! The service describes a case as it stands now ([`Situation`]) and who is asking
//! ([`Participant`]: their role and their part in this case), and asks [`may`] for every
//! operation; the JSON API's `available_actions` and the web's buttons are [`available`],
//! the same function's answer. The procedure's transitions are the state machine in
//! [`procedure`](crate::domain::procedure); the rule book wraps it with what the machine
//! does not know (time, suspension) and adds every action that is not a step. Cedar
//! (`policies/authorization.cedar`) governs administration — users and organisations — and
//! nothing inside a case.
//!
//! `beslecht rules` prints the whole book ([`matrix`]) for people to read.

mod action;
mod book;
mod conflict;
pub mod matrix;
mod situation;
mod terms;
mod timing;

pub use crate::domain::procedure::{Participant, Refusal, RefusalKind};
pub use action::Action;
pub use book::{available, available_names, may, sees, step, term_extension};
pub use conflict::conflict_of_interest;
pub use situation::Situation;

#[cfg(test)]
mod tests;
