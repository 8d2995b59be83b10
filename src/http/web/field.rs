//! A form field as a page shows it, shared by every form of the web application.

/// One field as shown: its spec, what it holds, its options, and its error.
#[derive(Clone)]
pub struct ShownField {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub kind: &'static str,
    pub required: bool,
    pub values: Vec<String>,
    /// (value, label) for choices.
    pub options: Vec<(String, String)>,
    pub error: Option<String>,
}

impl ShownField {
    pub fn value(&self) -> &str {
        self.values.first().map_or("", String::as_str)
    }
    /// The `i`-th value (a moment's date is the first, its time the second).
    pub fn part(&self, i: usize) -> &str {
        self.values.get(i).map_or("", String::as_str)
    }
    pub fn chosen(&self, v: &str) -> bool {
        self.values.iter().any(|x| x == v)
    }
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("{}-fout", self.name));
        }
        ids.join(" ")
    }
}
