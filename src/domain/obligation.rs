//! What a ruling orders: who must do what, by when (e.g. "de gemeente betaalt € 12.500 binnen
//! zes weken", "de regio neemt de verantwoordelijkheid over per 1 maart"). Each obligation
//! runs as a term of the case (key [`TERM_KEY`]), so it is reminded, signalled when overdue and
//! counted as "waiting on" the side that owes it like any term of the reglement; the side
//! reports it done.
//!
//! A last day is either the date the ruling names, or a term counted from the ruling's date.
//! Such a term is computed like the reglement's own (one module: [`crate::domain::terms`]),
//! with the Algemene termijnenwet: a term ending on a weekend or holiday runs on to the next
//! working day. A named date is taken as the ruling wrote it.

use chrono::NaiveDate;

use super::{
    nvo::nl_date,
    terms::{self, Calendar, Direction, Explanation, Term, weekday_nl},
};

/// The key of an obligation's term in `case_terms`.
pub const TERM_KEY: &str = "nakoming";

/// The side a ruling obliges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Obligor {
    Verzoeker,
    Verweerder,
    /// Both parties (e.g. to meet and agree a transition plan).
    Partijen,
}

impl Obligor {
    pub const ALL: [Obligor; 3] = [Obligor::Verzoeker, Obligor::Verweerder, Obligor::Partijen];

    /// As stored and in the API: the term's `who`.
    pub fn as_str(self) -> &'static str {
        match self {
            Obligor::Verzoeker => "verzoeker",
            Obligor::Verweerder => "verweerder",
            Obligor::Partijen => "partijen",
        }
    }

    pub fn parse(s: &str) -> Option<Obligor> {
        Obligor::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// In Dutch, as the subject of a sentence.
    pub fn nl(self) -> &'static str {
        match self {
            Obligor::Verzoeker => "de verzoeker",
            Obligor::Verweerder => "de verweerder",
            Obligor::Partijen => "beide partijen",
        }
    }

    /// Whether a party standing as claimant or respondent owes it.
    pub fn binds(self, claimant: bool, respondent: bool) -> bool {
        match self {
            Obligor::Verzoeker => claimant,
            Obligor::Verweerder => respondent,
            Obligor::Partijen => claimant || respondent,
        }
    }
}

/// Which sides have an obligation still open (for the rule book).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpenObligations {
    pub verzoeker: bool,
    pub verweerder: bool,
    pub partijen: bool,
}

impl OpenObligations {
    /// From the `who` of each open obligation.
    pub fn of<'a>(who: impl IntoIterator<Item = &'a str>) -> Self {
        let mut open = OpenObligations::default();
        for w in who {
            match Obligor::parse(w) {
                Some(Obligor::Verzoeker) => open.verzoeker = true,
                Some(Obligor::Verweerder) => open.verweerder = true,
                Some(Obligor::Partijen) => open.partijen = true,
                None => {}
            }
        }
        open
    }

    pub fn has(self, o: Obligor) -> bool {
        match o {
            Obligor::Verzoeker => self.verzoeker,
            Obligor::Verweerder => self.verweerder,
            Obligor::Partijen => self.partijen,
        }
    }

    pub fn any(self) -> bool {
        self.verzoeker || self.verweerder || self.partijen
    }
}

/// By when: the date the ruling names, or a term from the ruling's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    On(NaiveDate),
    Within(Term),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DueError {
    #[error("the last day lies before the ruling")]
    BeforeRuling,
    #[error("the date is outside the calendar this service can compute")]
    OutOfRange,
}

impl DueError {
    pub fn nl(self) -> &'static str {
        match self {
            DueError::BeforeRuling => "De uiterste datum ligt voor de datum van de uitspraak.",
            DueError::OutOfRange => "Deze datum valt buiten de kalender die Beslecht kan berekenen.",
        }
    }
}

/// The obligation's last day for a ruling adopted on `ruled_on`, and how it was reached.
pub fn last_day(cal: &Calendar, ruled_on: NaiveDate, due: Due) -> Result<(NaiveDate, Vec<Explanation>), DueError> {
    match due {
        Due::On(date) if date < ruled_on => Err(DueError::BeforeRuling),
        Due::On(date) => Ok((
            date,
            vec![Explanation {
                rule: "uitspraak",
                date,
                text: format!(
                    "De uitspraak van {} noemt {} {} als uiterste datum.",
                    nl_date(ruled_on),
                    weekday_nl(date),
                    nl_date(date)
                ),
            }],
        )),
        Due::Within(term) => {
            let d = terms::compute(cal, ruled_on, term, Direction::Forward, true).map_err(|_| DueError::OutOfRange)?;
            Ok((d.end, d.steps))
        }
    }
}

/// Where an obligation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Running, its last day not passed.
    Open,
    /// Running past its last day.
    Verlopen,
    /// Reported done on or before its last day.
    Nagekomen,
    /// Reported done after its last day.
    TeLaatNagekomen,
    /// Cancelled by the secretary (recorded in error, or replaced by a correction).
    Vervallen,
}

impl Status {
    /// From its term's status (see `service::cases::terms`), its last day and today.
    pub fn of(term_status: &str, due_on: NaiveDate, today: NaiveDate) -> Status {
        match term_status {
            "running" if today > due_on => Status::Verlopen,
            "running" => Status::Open,
            "met" => Status::Nagekomen,
            "late" => Status::TeLaatNagekomen,
            _ => Status::Vervallen,
        }
    }

    pub const ALL: [Status; 5] = [
        Status::Open,
        Status::Verlopen,
        Status::Nagekomen,
        Status::TeLaatNagekomen,
        Status::Vervallen,
    ];

    pub fn of_str(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Verlopen => "verlopen",
            Status::Nagekomen => "nagekomen",
            Status::TeLaatNagekomen => "te_laat_nagekomen",
            Status::Vervallen => "vervallen",
        }
    }

    pub fn nl(self) -> &'static str {
        match self {
            Status::Open => "Open",
            Status::Verlopen => "Verlopen",
            Status::Nagekomen => "Nagekomen",
            Status::TeLaatNagekomen => "Te laat nagekomen",
            Status::Vervallen => "Vervallen",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, Status::Open | Status::Verlopen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calendar {
        Calendar::parse(
            "feestdagen.toml",
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/feestdagen.toml")).unwrap(),
        )
        .unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_term_from_the_ruling_runs_on_past_a_weekend() {
        // Six weeks from Friday 13 November 2026 end on Friday 25 December (Christmas): on to
        // Monday 28 December, past Boxing Day and the weekend.
        let (end, steps) = last_day(&cal(), d(2026, 11, 13), Due::Within(Term::weeks(6))).unwrap();
        assert_eq!(end, d(2026, 12, 28));
        assert!(steps.iter().any(|s| s.rule == "atw_art_1"), "{steps:?}");
    }

    #[test]
    fn a_named_date_is_taken_as_written_and_never_before_the_ruling() {
        let ruled = d(2026, 11, 13);
        let (end, steps) = last_day(&cal(), ruled, Due::On(d(2026, 12, 26))).unwrap();
        assert_eq!(end, d(2026, 12, 26));
        assert!(steps[0].text.contains("26 december 2026"), "{steps:?}");
        assert_eq!(last_day(&cal(), ruled, Due::On(ruled)).unwrap().0, ruled);
        assert_eq!(
            last_day(&cal(), ruled, Due::On(d(2026, 11, 12))),
            Err(DueError::BeforeRuling)
        );
    }

    #[test]
    fn status_follows_the_term_and_the_day() {
        let due = d(2026, 12, 1);
        assert_eq!(Status::of("running", due, due), Status::Open);
        assert_eq!(Status::of("running", due, d(2026, 12, 2)), Status::Verlopen);
        assert_eq!(Status::of("met", due, d(2027, 1, 1)), Status::Nagekomen);
        assert_eq!(Status::of("late", due, d(2027, 1, 1)), Status::TeLaatNagekomen);
        assert_eq!(Status::of("lapsed", due, due), Status::Vervallen);
        assert!(Status::Verlopen.is_open() && !Status::Nagekomen.is_open());
    }

    #[test]
    fn who_is_bound() {
        for o in Obligor::ALL {
            assert_eq!(Obligor::parse(o.as_str()), Some(o));
        }
        assert_eq!(Obligor::parse("secretaris"), None);
        assert!(Obligor::Verzoeker.binds(true, false) && !Obligor::Verzoeker.binds(false, true));
        assert!(Obligor::Verweerder.binds(false, true) && !Obligor::Verweerder.binds(true, false));
        assert!(Obligor::Partijen.binds(true, false) && Obligor::Partijen.binds(false, true));
        assert!(!Obligor::Partijen.binds(false, false));
        let open = OpenObligations::of(["verweerder", "nakoming-onbekend"]);
        assert!(open.has(Obligor::Verweerder) && !open.has(Obligor::Verzoeker) && open.any());
        assert!(!OpenObligations::default().any());
    }
}
