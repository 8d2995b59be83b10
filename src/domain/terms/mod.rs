//! Terms (termijnen): ISO 8601 durations on Dutch calendar dates, with the Algemene
//! termijnenwet where the reglement declares it. Pure code; the holiday decree days come in
//! as data (`policies/feestdagen.toml`).

mod calendar;
mod compute;
pub mod duration;
mod reminders;
mod rules;

pub use calendar::{Calendar, easter, holidays};
pub use compute::{Deadline, Direction, Explanation, OutOfRange, compute, weekday_nl};
pub use duration::{Term, TermError};
pub use reminders::Signals;
pub use rules::{Ending, Extension, ReminderPolicy, TermRule, TermRules, waits_on};

#[cfg(test)]
mod tests;
