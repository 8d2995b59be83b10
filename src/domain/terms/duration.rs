//! Terms as ISO 8601 durations in calendar units: years, months, weeks, days (`P2W`, `P1M`,
//! `P1Y6M`, `P10D`). Times of day have no place in a procedural term and are refused.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Term {
    pub months: u32,
    pub days: u32,
}

/// At most ten years: anything longer is a typing error, not a term.
pub const MAX_MONTHS: u32 = 120;
pub const MAX_DAYS: u32 = 3_660;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    #[error("a term is an ISO 8601 duration such as P2W, P1M or P10D")]
    Malformed,
    #[error("a term in hours, minutes or seconds is not a procedural term; use days, weeks, months or years")]
    TimeOfDay,
    #[error("a term must be longer than zero")]
    Zero,
    #[error("a term of more than ten years is not accepted")]
    TooLong,
}

impl TermError {
    pub fn nl(&self) -> &'static str {
        match self {
            TermError::Malformed => "Schrijf een termijn als 2 weken, 1 maand of 10 dagen (of als P2W, P1M of P10D).",
            TermError::TimeOfDay => "Een termijn telt in dagen, weken, maanden of jaren, niet in uren.",
            TermError::Zero => "Een termijn moet langer zijn dan nul.",
            TermError::TooLong => "Een termijn van meer dan tien jaar wordt niet aanvaard.",
        }
    }
}

impl Term {
    pub fn days(n: u32) -> Self {
        Term { months: 0, days: n }
    }
    pub fn weeks(n: u32) -> Self {
        Term { months: 0, days: 7 * n }
    }
    pub fn months(n: u32) -> Self {
        Term { months: n, days: 0 }
    }

    pub fn parse(raw: &str) -> Result<Self, TermError> {
        let s = raw.trim().to_ascii_uppercase();
        let rest = s.strip_prefix('P').ok_or(TermError::Malformed)?;
        if rest.contains('T') {
            return Err(TermError::TimeOfDay);
        }
        if rest.is_empty() {
            return Err(TermError::Malformed);
        }
        let mut term = Term::default();
        let mut number = String::new();
        // Units must come in order, each at most once: Y, M, W, D.
        let mut last_unit = 0;
        for c in rest.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                if number.len() > 6 {
                    return Err(TermError::TooLong);
                }
                continue;
            }
            let n: u32 = number.parse().map_err(|_| TermError::Malformed)?;
            number.clear();
            let (rank, months, days) = match c {
                'Y' => (1, n.checked_mul(12).ok_or(TermError::TooLong)?, 0),
                'M' => (2, n, 0),
                'W' => (3, 0, n.checked_mul(7).ok_or(TermError::TooLong)?),
                'D' => (4, 0, n),
                _ => return Err(TermError::Malformed),
            };
            if rank <= last_unit {
                return Err(TermError::Malformed);
            }
            last_unit = rank;
            term.months += months;
            term.days += days;
        }
        if !number.is_empty() {
            return Err(TermError::Malformed);
        }
        if term.months == 0 && term.days == 0 {
            return Err(TermError::Zero);
        }
        if term.months > MAX_MONTHS || term.days > MAX_DAYS {
            return Err(TermError::TooLong);
        }
        Ok(term)
    }

    /// A term in Dutch words as people write it ("2 weken", "1 maand en 3 dagen", "1 jaar,
    /// 6 maanden"), as its ISO 8601 text (`P2W`, `P1M3D`, `P1Y6M`) for [`Term::parse`];
    /// `None` for anything else (units out of order or twice, "werkdagen", no number).
    pub fn iso_of_words(raw: &str) -> Option<String> {
        let lower = raw.trim().to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty() && *w != "en")
            .collect();
        if words.is_empty() || !words.len().is_multiple_of(2) {
            return None;
        }
        let mut counts = [0u32; 4];
        let mut last = 0;
        for pair in words.chunks(2) {
            let n: u32 = pair[0].parse().ok()?;
            let rank = match pair[1] {
                "jaar" | "jaren" => 1,
                "maand" | "maanden" => 2,
                "week" | "weken" => 3,
                "dag" | "dagen" => 4,
                _ => return None,
            };
            if rank <= last {
                return None;
            }
            last = rank;
            counts[rank - 1] = n;
        }
        let units: String = counts
            .iter()
            .zip(['Y', 'M', 'W', 'D'])
            .filter(|(n, _)| **n > 0)
            .map(|(n, unit)| format!("{n}{unit}"))
            .collect();
        Some(if units.is_empty() {
            "P0D".into()
        } else {
            format!("P{units}")
        })
    }

    /// Roughly how many days the term spans (for the Atw's "at least three days").
    pub fn at_least_days(&self) -> u32 {
        self.months * 28 + self.days
    }
}

impl fmt::Display for Term {
    /// In Dutch words: "2 weken", "1 maand", "1 maand en 3 dagen".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        let (years, months) = (self.months / 12, self.months % 12);
        let plural = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        if years > 0 {
            parts.push(plural(years, "jaar", "jaar"));
        }
        if months > 0 {
            parts.push(plural(months, "maand", "maanden"));
        }
        if self.days > 0 && self.days.is_multiple_of(7) && self.months == 0 {
            parts.push(plural(self.days / 7, "week", "weken"));
        } else if self.days > 0 {
            parts.push(plural(self.days, "dag", "dagen"));
        }
        write!(f, "{}", parts.join(" en "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dutch_words_as_iso() {
        for (words, iso) in [
            ("2 weken", Some("P2W")),
            ("1 week", Some("P1W")),
            ("10 dagen", Some("P10D")),
            ("1 Maand en 3 dagen", Some("P1M3D")),
            ("1 jaar, 6 maanden", Some("P1Y6M")),
            ("0 dagen", Some("P0D")),
            ("3 dagen en 1 week", None),
            ("2 weken 2 weken", None),
            ("10 werkdagen", None),
            ("twee weken", None),
            ("weken", None),
            ("", None),
        ] {
            assert_eq!(Term::iso_of_words(words).as_deref(), iso, "{words}");
        }
        assert_eq!(Term::parse(&Term::iso_of_words("2 weken").unwrap()), Ok(Term::weeks(2)));
        assert_eq!(
            Term::parse(&Term::iso_of_words("0 dagen").unwrap()),
            Err(TermError::Zero)
        );
        // Display writes what the words read.
        for t in [
            Term::weeks(2),
            Term::months(18),
            Term { months: 1, days: 3 },
            Term::days(10),
        ] {
            assert_eq!(Term::parse(&Term::iso_of_words(&t.to_string()).unwrap()), Ok(t), "{t}");
        }
    }

    #[test]
    fn parses_calendar_units() {
        assert_eq!(Term::parse("P2W"), Ok(Term::weeks(2)));
        assert_eq!(Term::parse("p1m"), Ok(Term::months(1)));
        assert_eq!(Term::parse("P10D"), Ok(Term::days(10)));
        assert_eq!(Term::parse("P1Y6M"), Ok(Term::months(18)));
        assert_eq!(Term::parse("P1M3D"), Ok(Term { months: 1, days: 3 }));
        assert_eq!(Term::parse("P2W").unwrap().to_string(), "2 weken");
        assert_eq!(Term::parse("P1M3D").unwrap().to_string(), "1 maand en 3 dagen");
    }

    #[test]
    fn refuses_what_is_not_a_term() {
        for (raw, why) in [
            ("", TermError::Malformed),
            ("2W", TermError::Malformed),
            ("P", TermError::Malformed),
            ("PW", TermError::Malformed),
            ("P2", TermError::Malformed),
            ("P2X", TermError::Malformed),
            ("P1D2M", TermError::Malformed),
            ("P1M1M", TermError::Malformed),
            ("P-2W", TermError::Malformed),
            ("PT2H", TermError::TimeOfDay),
            ("P0D", TermError::Zero),
            ("P11Y", TermError::TooLong),
            ("P99999999D", TermError::TooLong),
            ("P4000D", TermError::TooLong),
        ] {
            assert_eq!(Term::parse(raw), Err(why), "{raw}");
        }
    }
}
