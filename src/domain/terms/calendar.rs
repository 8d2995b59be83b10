//! Which days are not working days under the Algemene termijnenwet: Saturdays, Sundays, the
//! holidays of art. 3 (computed for every year), and the days equated with them by royal
//! decree (Besluit gelijkstelling), which are data: `policies/feestdagen.toml`.

use crate::domain::policy_file::PolicyFileError;
use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// Equated days, with what they are (e.g. "vrijdag na Hemelvaartsdag (Besluit …)").
    equated: BTreeMap<NaiveDate, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    gelijkgesteld: Vec<RawDay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    datum: String,
    omschrijving: String,
}

/// Easter Sunday (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("a valid Easter date")
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// The recognised holidays of art. 3 Atw in `year` (weekdays and weekend days alike).
pub fn holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let e = easter(year);
    let kings = if ymd(year, 4, 27).weekday() == Weekday::Sun {
        ymd(year, 4, 26)
    } else {
        ymd(year, 4, 27)
    };
    vec![
        (ymd(year, 1, 1), "Nieuwjaarsdag"),
        (e - Days::new(2), "Goede Vrijdag"),
        (e, "Eerste Paasdag"),
        (e + Days::new(1), "Tweede Paasdag"),
        (kings, "Koningsdag"),
        (ymd(year, 5, 5), "Bevrijdingsdag"),
        (e + Days::new(39), "Hemelvaartsdag"),
        (e + Days::new(49), "Eerste Pinksterdag"),
        (e + Days::new(50), "Tweede Pinksterdag"),
        (ymd(year, 12, 25), "Eerste Kerstdag"),
        (ymd(year, 12, 26), "Tweede Kerstdag"),
    ]
}

impl Calendar {
    /// Parses the equated days; `file` names the file in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self, PolicyFileError> {
        let fail = |entry: &str, message: String| PolicyFileError::new(file, entry, message);
        let raw: RawFile = toml::from_str(text).map_err(|e| fail("(file)", e.to_string()))?;
        let mut equated = BTreeMap::new();
        for day in raw.gelijkgesteld {
            let date = NaiveDate::parse_from_str(&day.datum, "%Y-%m-%d")
                .map_err(|_| fail(&day.datum, "is not a date (YYYY-MM-DD)".into()))?;
            if day.omschrijving.trim().is_empty() {
                return Err(fail(&day.datum, "needs an omschrijving".into()));
            }
            if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                return Err(fail(
                    &day.datum,
                    "falls in a weekend; equating it changes nothing".into(),
                ));
            }
            if equated.insert(date, day.omschrijving).is_some() {
                return Err(fail(&day.datum, "is listed twice".into()));
            }
        }
        Ok(Calendar { equated })
    }

    /// Why `date` is not a working day, or `None` when it is one.
    pub fn closed(&self, date: NaiveDate) -> Option<String> {
        if let Some((_, name)) = holidays(date.year()).into_iter().find(|(d, _)| *d == date) {
            return Some(name.to_owned());
        }
        if let Some(what) = self.equated.get(&date) {
            return Some(format!("{what} (gelijkgesteld bij koninklijk besluit)"));
        }
        match date.weekday() {
            Weekday::Sat => Some("zaterdag".into()),
            Weekday::Sun => Some("zondag".into()),
            _ => None,
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.closed(date).is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_in_known_years() {
        for (y, m, d) in [
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2019, 4, 21),
        ] {
            assert_eq!(easter(y), ymd(y, m, d), "{y}");
        }
    }

    #[test]
    fn kings_day_moves_to_saturday_when_the_27th_is_a_sunday() {
        // 27 April 2025 and 2031 are Sundays.
        let c = Calendar::default();
        assert_eq!(c.closed(ymd(2025, 4, 26)).as_deref(), Some("Koningsdag"));
        assert!(c.closed(ymd(2025, 4, 27)).is_some(), "still a Sunday");
        assert_eq!(c.closed(ymd(2026, 4, 27)).as_deref(), Some("Koningsdag"));
        assert_eq!(c.closed(ymd(2031, 4, 26)).as_deref(), Some("Koningsdag"));
    }

    #[test]
    fn liberation_day_is_a_holiday_every_year() {
        let c = Calendar::default();
        for y in 2020..2032 {
            assert!(c.closed(ymd(y, 5, 5)).is_some(), "{y}");
        }
    }

    #[test]
    fn a_bad_file_is_refused_with_the_entry_named() {
        let e = Calendar::parse(
            "f.toml",
            "[[gelijkgesteld]]\ndatum = \"2026-02-30\"\nomschrijving = \"x\"\n",
        )
        .unwrap_err();
        assert_eq!(e.entry, "2026-02-30");
        let e = Calendar::parse(
            "f.toml",
            "[[gelijkgesteld]]\ndatum = \"2026-05-16\"\nomschrijving = \"x\"\n",
        )
        .unwrap_err();
        assert!(e.message.contains("weekend"));
        assert!(Calendar::parse("f.toml", "onbekend = 1").is_err());
    }
}
