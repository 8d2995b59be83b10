//! The world a template is typeset in: the template itself, its data as `/data.json`, the
//! fonts that ship inside the binary (typst's own: Libertinus Serif, New Computer Modern,
//! DejaVu Sans Mono) and nothing else — no file system, no packages, no network.

use std::sync::LazyLock;

use typst::{
    Feature, Features, Library, LibraryExt, World,
    diag::{FileError, FileResult},
    foundations::{Bytes, Datetime, Duration},
    syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot},
    text::{Font, FontBook},
    utils::LazyHash,
};

/// A template from `templates/`, compiled into the binary.
pub struct Template {
    pub name: &'static str,
    pub text: &'static str,
}

/// The standard library, with HTML export switched on (typst still marks it experimental).
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| {
    LazyHash::new(
        Library::builder()
            .with_features(Features::from_iter([Feature::Html]))
            .build(),
    )
});

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a valid virtual path"),
    )
    .intern()
}

pub(super) struct Compilation {
    main: Source,
    data: Bytes,
    data_id: FileId,
    today: Datetime,
}

impl Compilation {
    pub(super) fn new(template: &Template, data: &serde_json::Value, date: chrono::NaiveDate, html: bool) -> Self {
        use chrono::Datelike;
        // The two targets compile the same text under different names, so typst's caches
        // never hand one target's layout to the other.
        let name = format!("/{}.{}.typ", template.name, if html { "html" } else { "pdf" });
        Compilation {
            main: Source::new(file_id(&name), template.text.to_owned()),
            data: Bytes::new(serde_json::to_vec(data).expect("JSON values serialise")),
            data_id: file_id("/data.json"),
            today: Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8).expect("a calendar date"),
        }
    }
}

impl World for Compilation {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
