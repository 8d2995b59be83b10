use chrono::{Days, Months, NaiveDate};
use proptest::prelude::*;

use super::*;

const FILE: &str = include_str!("../../../policies/feestdagen.toml");

fn cal() -> Calendar {
    Calendar::parse("policies/feestdagen.toml", FILE).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn end(start: &str, term: &str, direction: Direction) -> Deadline {
    compute(&cal(), d(start), Term::parse(term).unwrap(), direction, true).unwrap()
}

#[test]
fn a_table_of_dates_across_the_years() {
    use Direction::Forward as F;
    // (start, term, expected last day, the rules that produced it)
    let table: [(&str, &str, &str, &[&str]); 16] = [
        ("2026-03-02", "P2W", "2026-03-16", &["termijn"]),
        // Good Friday, the weekend and Easter Monday.
        ("2026-03-20", "P2W", "2026-04-07", &["termijn", "atw_art_1"]),
        // King's Day on the 27th, and on Saturday the 26th when the 27th is a Sunday (2025).
        ("2026-04-13", "P2W", "2026-04-28", &["termijn", "atw_art_1"]),
        ("2025-04-12", "P2W", "2025-04-28", &["termijn", "atw_art_1"]),
        // 5 May, Ascension Day and the equated Friday after it, then the weekend (2027).
        ("2027-04-21", "P2W", "2027-05-10", &["termijn", "atw_art_1"]),
        ("2026-04-30", "P2W", "2026-05-18", &["termijn", "atw_art_1"]),
        // Whit Monday.
        ("2026-05-11", "P2W", "2026-05-26", &["termijn", "atw_art_1"]),
        // Christmas on a Friday; the equated 2 January 2026 and 27 December 2024.
        ("2026-12-11", "P2W", "2026-12-28", &["termijn", "atw_art_1"]),
        ("2025-12-19", "P2W", "2026-01-05", &["termijn", "atw_art_1"]),
        ("2024-12-13", "P2W", "2024-12-30", &["termijn", "atw_art_1"]),
        // Month ends: 31 January plus a month is the end of February (a Saturday in 2026).
        ("2026-01-31", "P1M", "2026-03-02", &["termijn", "atw_art_1"]),
        ("2028-01-31", "P1M", "2028-02-29", &["termijn"]),
        ("2026-08-31", "P6W", "2026-10-12", &["termijn"]),
        // Art. 2: three days over Easter hold one working day only; two more are needed.
        (
            "2026-04-02",
            "P3D",
            "2026-04-08",
            &["termijn", "atw_art_1", "atw_art_2"],
        ),
        ("2026-03-06", "P3D", "2026-03-10", &["termijn", "atw_art_2"]),
        // Two days: art. 2 does not apply, art. 1 does.
        ("2026-03-06", "P2D", "2026-03-09", &["termijn", "atw_art_1"]),
    ];
    for (start, term, expected, rules) in table {
        let r = end(start, term, F);
        assert_eq!(r.end, d(expected), "{start} + {term}: {:#?}", r.steps);
        let applied: Vec<&str> = r.steps.iter().map(|s| s.rule).collect();
        assert_eq!(applied, rules, "{start} + {term}");
        assert_eq!(r.steps.last().unwrap().date, r.end);
    }
}

#[test]
fn steps_explain_in_words() {
    let r = end("2026-03-20", "P2W", Direction::Forward);
    assert_eq!(
        r.steps[0].text,
        "Een termijn van 2 weken vanaf vrijdag 20 maart 2026 eindigt op vrijdag 3 april 2026."
    );
    assert!(
        r.steps[1].text.contains("3 april 2026 (Goede Vrijdag)"),
        "{}",
        r.steps[1].text
    );
    assert!(r.steps[1].text.contains("6 april 2026 (Tweede Paasdag)"));
    assert!(r.steps[1].text.ends_with("dinsdag 7 april 2026."));
    let r = end("2026-04-30", "P2W", Direction::Forward);
    assert!(r.steps[1].text.contains("gelijkgesteld bij koninklijk besluit"));
}

#[test]
fn backward_terms_are_not_extended_but_name_the_practical_deadline() {
    let r = end("2026-05-18", "P2W", Direction::Backward);
    assert_eq!((r.end, r.practical_end), (d("2026-05-04"), None));
    // Two weeks before Tuesday 19 May 2026 is 5 May.
    let r = end("2026-05-19", "P2W", Direction::Backward);
    assert_eq!((r.end, r.practical_end), (d("2026-05-05"), Some(d("2026-05-04"))));
    assert_eq!(r.steps[1].rule, "atw_art_1_lid_2");
    // Before the equated Friday after Ascension Day (and Ascension Day itself).
    let r = end("2026-05-29", "P2W", Direction::Backward);
    assert_eq!((r.end, r.practical_end), (d("2026-05-15"), Some(d("2026-05-13"))));
}

#[test]
fn without_the_atw_the_date_is_plain_arithmetic() {
    let r = compute(&cal(), d("2026-03-20"), Term::weeks(2), Direction::Forward, false).unwrap();
    assert_eq!(r.end, d("2026-04-03"));
    assert_eq!(r.steps.len(), 1);
}

#[test]
fn every_holiday_of_art_3_is_closed_in_every_year() {
    let c = cal();
    for year in 2020..=2035 {
        let hs = holidays(year);
        assert_eq!(hs.len(), 11);
        for (date, name) in hs {
            assert!(c.closed(date).is_some(), "{name} {date}");
        }
    }
    for equated in [
        "2023-04-28",
        "2023-05-19",
        "2024-05-10",
        "2024-12-27",
        "2025-05-30",
        "2026-01-02",
        "2026-05-15",
        "2027-05-07",
        "2028-04-28",
        "2028-05-26",
    ] {
        assert!(
            c.closed(d(equated)).unwrap().contains("koninklijk besluit"),
            "{equated}"
        );
    }
    assert!(c.is_working_day(d("2029-05-11")), "no decree known yet for 2029");
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0u64..36_500).prop_map(|n| d("2000-01-01") + Days::new(n))
}

fn term() -> impl Strategy<Value = Term> {
    prop_oneof![
        (1u32..400).prop_map(Term::days),
        (1u32..30).prop_map(Term::weeks),
        (1u32..36).prop_map(Term::months),
    ]
}

fn plain(start: NaiveDate, t: Term) -> NaiveDate {
    start.checked_add_months(Months::new(t.months)).unwrap() + Days::new(t.days.into())
}

proptest! {
    #[test]
    fn the_end_is_never_before_start_plus_term_and_is_a_working_day(start in date(), t in term()) {
        let c = cal();
        let r = compute(&c, start, t, Direction::Forward, true).unwrap();
        prop_assert!(r.end >= plain(start, t));
        prop_assert!(c.is_working_day(r.end));
        // At most a long weekend of holidays plus art. 2's two days past the plain date.
        prop_assert!((r.end - plain(start, t)).num_days() <= 8);
    }

    #[test]
    fn the_end_never_moves_backward_when_the_start_moves_forward(start in date(), later in 1u64..40, t in term()) {
        let c = cal();
        let a = compute(&c, start, t, Direction::Forward, true).unwrap();
        let b = compute(&c, start + Days::new(later), t, Direction::Forward, true).unwrap();
        prop_assert!(b.end >= a.end, "{} then {}", a.end, b.end);
    }

    #[test]
    fn backward_practical_deadlines_are_working_days_on_or_before_the_end(start in date(), t in term()) {
        let c = cal();
        let t = Term { months: t.months, days: t.days };
        let r = compute(&c, start, t, Direction::Backward, true).unwrap();
        let practical = r.practical_end.unwrap_or(r.end);
        prop_assert!(practical <= r.end);
        prop_assert!(c.is_working_day(practical));
    }
}
