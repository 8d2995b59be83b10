//! What the reminder sweep owes a running term, and when it must look at it again.
//!
//! A term's reminders go out on the days [`ReminderPolicy::dates`] names, its passing is
//! signalled the day after its last day; what went out is counted on the term
//! (`reminders_sent`, `overdue_signalled`). [`ReminderPolicy::owed`] says what should have gone
//! out by a day, [`ReminderPolicy::next_look`] the first day on which that answer grows — so
//! the sweep reads only the terms whose day has come (`case_terms.sweep_on`), not every term
//! that might be near its end.

use chrono::NaiveDate;

use super::{Calendar, ReminderPolicy};

/// What has gone out for a term: so many reminders, and whether its passing was signalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signals {
    pub reminders: i32,
    pub overdue: bool,
}

impl ReminderPolicy {
    /// What should have gone out by `today` for a term ending on `due_on`, of which `sent`
    /// went out: never less than that (a reminder is not taken back when a term is extended).
    pub fn owed(&self, cal: &Calendar, due_on: NaiveDate, sent: Signals, today: NaiveDate) -> Signals {
        let reminders = self.dates(cal, due_on).into_iter().filter(|d| *d <= today).count() as i32;
        Signals {
            reminders: reminders.max(sent.reminders),
            overdue: sent.overdue || due_on < today,
        }
    }

    /// The first day on which [`Self::owed`] answers more than `sent` (possibly already past:
    /// then the sweep owes it now); `None` once nothing more can be owed.
    pub fn next_look(&self, cal: &Calendar, due_on: NaiveDate, sent: Signals) -> Option<NaiveDate> {
        let reminder = usize::try_from(sent.reminders)
            .ok()
            .and_then(|n| self.dates(cal, due_on).get(n).copied());
        let passing = (!sent.overdue).then(|| due_on.succ_opt()).flatten();
        reminder.into_iter().chain(passing).min()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn calendar() -> Calendar {
        Calendar::parse("f", include_str!("../../../policies/feestdagen.toml")).unwrap()
    }

    fn policy() -> ReminderPolicy {
        ReminderPolicy {
            working_days_before: vec![5],
            days_before: vec![1],
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_term_is_looked_at_on_each_reminder_day_and_the_day_after_it_ends() {
        let (cal, p) = (calendar(), policy());
        // Monday 18 May 2026: reminders Thursday 7 May (five working days before, past
        // Ascension Day and its Friday) and Sunday 17 May; its passing on Tuesday 19 May.
        let due = day(2026, 5, 18);
        let mut sent = Signals {
            reminders: 0,
            overdue: false,
        };
        let mut looks = Vec::new();
        while let Some(on) = p.next_look(&cal, due, sent) {
            looks.push(on);
            sent = p.owed(&cal, due, sent, on);
        }
        assert_eq!(looks, [day(2026, 5, 7), day(2026, 5, 17), day(2026, 5, 19)]);
        assert_eq!(
            sent,
            Signals {
                reminders: 2,
                overdue: true
            }
        );
    }

    #[test]
    fn a_missed_day_is_owed_at_once_and_an_extension_does_not_repeat_a_reminder() {
        let (cal, p) = (calendar(), policy());
        let none = Signals {
            reminders: 0,
            overdue: false,
        };
        // A term found late (a worker down for a week) is owed both reminders at once.
        let due = day(2026, 5, 18);
        assert_eq!(p.next_look(&cal, due, none), Some(day(2026, 5, 7)));
        assert_eq!(
            p.owed(&cal, due, none, day(2026, 5, 17)),
            Signals {
                reminders: 2,
                overdue: false
            }
        );
        // Extended by four weeks after its first reminder: the count stays, the second
        // reminder of the new dates (the day before) is the next look.
        let once = Signals {
            reminders: 1,
            overdue: false,
        };
        let later = day(2026, 6, 15);
        assert_eq!(p.next_look(&cal, later, once), Some(day(2026, 6, 14)));
        assert_eq!(p.owed(&cal, later, once, day(2026, 5, 20)), once);
        // Nothing left: no look.
        let all = Signals {
            reminders: 2,
            overdue: true,
        };
        assert_eq!(p.next_look(&cal, due, all), None);
    }

    proptest! {
        /// The next look is exactly the first day on which more is owed: before it nothing
        /// changes, on it something does — for any last day, any policy and any state.
        #[test]
        fn the_next_look_is_the_first_day_more_is_owed(
            offset in 0i64..800,
            working in proptest::collection::vec(0u32..12, 0..3),
            calendar_days in proptest::collection::vec(0u32..12, 0..3),
            reminders in 0i32..4,
            overdue: bool,
        ) {
            let cal = calendar();
            let p = ReminderPolicy { working_days_before: working, days_before: calendar_days };
            let due = day(2026, 1, 1) + chrono::Days::new(offset as u64);
            let sent = Signals { reminders, overdue };
            let first = (-30i64..=2)
                .map(|n| due + chrono::TimeDelta::days(n))
                .find(|d| p.owed(&cal, due, sent, *d) != sent);
            match p.next_look(&cal, due, sent) {
                Some(look) if look <= due - chrono::Days::new(30) => {
                    // Owed since before the window began: owed on its first day too.
                    prop_assert_eq!(first, Some(due - chrono::Days::new(30)));
                }
                look => prop_assert_eq!(look, first),
            }
        }
    }
}
