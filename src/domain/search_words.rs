//! The words of the register's full-text search, the same on both databases.
//!
//! PostgreSQL searches with its Dutch configuration (`to_tsvector('dutch', …)`): Dutch
//! stop words dropped, the rest stemmed with the Snowball Dutch stemmer. SQLite has no Dutch
//! stemmer, so its FTS5 index holds the stems this module makes with the same Snowball
//! algorithm and the same stop words. Both are fed the same words — [`words`]: runs of
//! letters and digits, lowercased, everything else a separator — so that PostgreSQL's parser
//! and this module see the same tokens, and a search finds the same rulings on both. (A test
//! on PostgreSQL holds [`stem`] against `ts_lexize('dutch_stem', …)` word for word.)
//!
//! A word holding a digit is not stemmed (PostgreSQL's Dutch configuration passes numbers
//! and words with digits through its `simple` dictionary, which keeps them as they are).

use rust_stemmers::{Algorithm, Stemmer};

/// The Dutch stop words: words too common to search for, which neither database indexes.
pub const STOP_WORDS: [&str; 101] = [
    "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de", "der", "deze", "die",
    "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge", "geen", "geweest", "haar", "had", "heb",
    "hebben", "heeft", "hem", "het", "hier", "hij", "hoe", "hun", "iemand", "iets", "ik", "in", "is", "ja", "je",
    "kan", "kon", "kunnen", "maar", "me", "meer", "men", "met", "mij", "mijn", "moet", "na", "naar", "niet", "niets",
    "nog", "nu", "of", "om", "omdat", "onder", "ons", "ook", "op", "over", "reeds", "te", "tegen", "toch", "toen",
    "tot", "u", "uit", "uw", "van", "veel", "voor", "want", "waren", "was", "wat", "werd", "wezen", "wie", "wil",
    "worden", "wordt", "zal", "ze", "zelf", "zich", "zij", "zijn", "zo", "zonder", "zou",
];

/// The text's words: each run of letters and digits, lowercased, in order.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The text as the databases are given it to index: its words, separated by spaces.
pub fn plain(text: &str) -> String {
    words(text).collect::<Vec<_>>().join(" ")
}

/// Whether `word` (lowercased) is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// What one (lowercased) word is indexed as: its stem, the word itself when it holds a
/// digit, nothing for a stop word.
pub fn stem(word: &str) -> Option<String> {
    if is_stop_word(word) {
        return None;
    }
    if word.chars().any(|c| c.is_numeric()) {
        return Some(word.to_owned());
    }
    Some(Stemmer::create(Algorithm::Dutch).stem(word).into_owned())
}

/// The stems of a text, in order, stop words left out.
pub fn stems(text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::Dutch);
    words(text)
        .filter(|w| !is_stop_word(w))
        .map(|w| {
            if w.chars().any(|c| c.is_numeric()) {
                w
            } else {
                stemmer.stem(&w).into_owned()
            }
        })
        .collect()
}

/// A search: the words that must all occur (in any inflection), as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// The words as PostgreSQL's `plainto_tsquery('dutch', …)` is given them.
    pub plain: String,
    /// The stems every result must hold (SQLite's FTS5 query).
    pub stems: Vec<String>,
}

impl Search {
    /// Reads what someone typed; `None` when it holds no word to search for (empty, or only
    /// stop words).
    pub fn parse(q: &str) -> Option<Self> {
        let mut stems = stems(q);
        if stems.is_empty() {
            return None;
        }
        stems.sort();
        stems.dedup();
        Some(Search { plain: plain(q), stems })
    }

    /// The FTS5 query: every stem, each quoted (so no word is read as an operator).
    pub fn fts5(&self) -> String {
        self.stems
            .iter()
            .map(|s| format!("\"{}\"", s.replace('"', "")))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn stop_words_are_sorted_for_the_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn words_split_on_everything_but_letters_and_digits() {
        let w: Vec<String> =
            words("De regio's Jeugd-GGZ: €1.250,00 op 5-1-2026 (art. 7:904 BW); continuïteit").collect();
        assert_eq!(
            w,
            [
                "de",
                "regio",
                "s",
                "jeugd",
                "ggz",
                "1",
                "250",
                "00",
                "op",
                "5",
                "1",
                "2026",
                "art",
                "7",
                "904",
                "bw",
                "continuïteit"
            ]
        );
    }

    #[test]
    fn inflections_share_a_stem() {
        for (a, b) in [
            ("overeenkomst", "overeenkomsten"),
            ("gemeente", "gemeenten"),
            ("aanbieder", "aanbieders"),
            ("aanbesteding", "aanbestedingen"),
            ("contract", "contracten"),
            ("betalen", "betaling"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
    }

    #[test]
    fn stop_words_and_numbers() {
        assert_eq!(stem("de"), None);
        assert_eq!(stem("2026"), Some("2026".into()));
        assert_eq!(stem("7904bw"), Some("7904bw".into()));
        assert_eq!(stems("De gemeente en de regio"), ["gemeent", "regio"]);
    }

    #[test]
    fn a_search_needs_a_word_that_is_not_a_stop_word() {
        assert_eq!(Search::parse(""), None);
        assert_eq!(Search::parse("  de het een  "), None);
        let s = Search::parse("Tarieven van de aanbieders, tarief").unwrap();
        assert_eq!(s.stems, ["aanbieder", "tarief", "tariev"]);
        assert_eq!(s.plain, "tarieven van de aanbieders tarief");
        assert_eq!(s.fts5(), "\"aanbieder\" \"tarief\" \"tariev\"");
    }

    proptest! {
        /// Whatever is typed, the FTS5 query holds only quoted runs of letters and digits:
        /// nothing typed becomes an FTS5 operator or breaks the quoting.
        #[test]
        fn the_fts5_query_is_only_quoted_words(q in "\\PC{0,60}") {
            if let Some(s) = Search::parse(&q) {
                for part in s.fts5().split(' ') {
                    prop_assert!(part.len() >= 3 && part.starts_with('"') && part.ends_with('"'));
                    prop_assert!(part[1..part.len() - 1].chars().all(char::is_alphanumeric));
                }
            }
        }
    }
}
