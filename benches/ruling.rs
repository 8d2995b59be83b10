//! Benchmark: typesetting one ruling — the tagged PDF and its HTML version from
//! `templates/uitspraak.typ` — with a ruling of realistic length (about four pages).
//!
//! `cargo bench --bench ruling` (`BENCH_RULINGS` sets how many, default 100). Prints p50 and
//! p99 of the PDF and of the HTML, the first (cold: fonts parsed, template compiled) apart,
//! and the PDF's size.

use std::time::{Duration, Instant};

use beslecht::{service::rulings::issue::TEMPLATE, typeset};
use serde_json::json;

fn paragraphs(n: usize, sentence: &str) -> Vec<String> {
    (0..n).map(|i| format!("{}. {}", i + 1, sentence.repeat(6))).collect()
}

fn data(i: usize) -> serde_json::Value {
    json!({
        "title": format!("Uitspraak in het geschil GS-2026-{i:04}"),
        "number": format!("GS-2026-{i:04}"),
        "commission": "Onafhankelijke Geschillencommissie NvO",
        "date": "6 december 2026",
        "nature": "bindend advies",
        "outcome": "deels gegrond",
        "subject": "Verdeling van de kosten van gesloten jeugdhulp in de regio",
        "claimant": "Gemeente Maastricht",
        "respondents": ["Gemeente Heerlen", "Gemeente Sittard-Geleen"],
        "procedure": (0..12).map(|d| json!({"date": format!("{} oktober 2026", d + 1), "event": "Het verweerschrift is ingediend"})).collect::<Vec<_>>(),
        "facts": paragraphs(6, "De regio heeft in 2024 een solidariteitsregeling afgesproken voor de gesloten jeugdhulp. "),
        "dispute": paragraphs(10, "Verzoeker stelt dat verweerder sinds 2025 niet meer naar rato bijdraagt aan de kosten. "),
        "reasoning": paragraphs(14, "De commissie overweegt dat de NvO van gemeenten vraagt dat zij solidair zijn binnen de regio. "),
        "dictum": paragraphs(3, "Verweerder betaalt aan verzoeker een bedrag van 12.500 euro binnen zes weken. "),
        "costs": ["Ieder draagt de eigen kosten."],
        "chair": "mr. A. de Voorzitter",
        "members": ["drs. B. Lid", "C. Lid MSc"],
        "version": 1,
        "correction": null,
    })
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "{what:<18} n={:<4} p50 {:>7.1} ms   p99 {:>7.1} ms",
        times.len(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3
    );
}

fn main() {
    let n: usize = std::env::var("BENCH_RULINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    let cold = Instant::now();
    let first = typeset::pdf(&TEMPLATE, &data(0), day, "cold").expect("the template typesets");
    println!("first PDF (cold)   {:.1} ms", cold.elapsed().as_secs_f64() * 1e3);
    let (mut pdf, mut html, mut size) = (Vec::new(), Vec::new(), 0);
    for i in 1..=n {
        let d = data(i);
        let t = Instant::now();
        let bytes = typeset::pdf(&TEMPLATE, &d, day, &i.to_string()).unwrap();
        pdf.push(t.elapsed());
        size = bytes.len();
        let t = Instant::now();
        typeset::html(&TEMPLATE, &d, day).unwrap();
        html.push(t.elapsed());
    }
    report("PDF", pdf);
    report("HTML", html);
    println!(
        "PDF size           {} bytes ({} bytes for the first)",
        size,
        first.len()
    );
}
