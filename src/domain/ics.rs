//! iCalendar (RFC 5545) text for a person's calendar feed: all-day events for terms' last
//! days and timed events for hearings. Lines are folded at 75 octets and text is escaped.

use chrono::{DateTime, NaiveDate, Utc};

pub enum When {
    Day(NaiveDate),
    At(DateTime<Utc>),
}

pub struct Event {
    /// Stable across refreshes, so calendars update the event instead of adding one.
    pub uid: String,
    pub when: When,
    pub summary: String,
    pub description: String,
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets, never inside a UTF-8 character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

pub fn calendar(name: &str, stamp: DateTime<Utc>, events: &[Event]) -> String {
    let mut out = String::new();
    let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for line in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Beslecht//Termijnen en zittingen//NL".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("X-WR-CALNAME:{}", escape(name)),
    ] {
        fold(&line, &mut out);
    }
    for e in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}", e.uid), &mut out);
        fold(&format!("DTSTAMP:{stamp}"), &mut out);
        match e.when {
            When::Day(d) => {
                fold(&format!("DTSTART;VALUE=DATE:{}", d.format("%Y%m%d")), &mut out);
                fold(
                    &format!("DTEND;VALUE=DATE:{}", (d + chrono::Days::new(1)).format("%Y%m%d")),
                    &mut out,
                );
            }
            When::At(t) => {
                fold(&format!("DTSTART:{}", t.format("%Y%m%dT%H%M%SZ")), &mut out);
                fold(
                    &format!("DTEND:{}", (t + chrono::Duration::hours(2)).format("%Y%m%dT%H%M%SZ")),
                    &mut out,
                );
            }
        }
        fold(&format!("SUMMARY:{}", escape(&e.summary)), &mut out);
        fold(&format!("DESCRIPTION:{}", escape(&e.description)), &mut out);
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_escaped_folded_and_all_day_where_they_are_days() {
        let d = NaiveDate::from_ymd_opt(2026, 4, 7).unwrap();
        let text = calendar(
            "Beslecht",
            DateTime::UNIX_EPOCH,
            &[Event {
                uid: "term-1@beslecht".into(),
                when: When::Day(d),
                summary: "Verweerschrift; geschil GS-2026-0001, laatste dag".into(),
                description: "é".repeat(60),
            }],
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20260407\r\nDTEND;VALUE=DATE:20260408\r\n"));
        assert!(text.contains("SUMMARY:Verweerschrift\\; geschil GS-2026-0001\\, laatste dag"));
        assert!(text.lines().all(|l| l.trim_end_matches('\r').len() <= 75), "folded");
        assert!(text.contains("\r\n é"), "continuation lines start with a space");
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}
