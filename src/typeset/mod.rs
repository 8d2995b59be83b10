//! Typesetting documents from a template in `templates/` with typst, as a library: one
//! template gives both the tagged, accessible PDF (PDF/UA-1 and PDF/A-2a: structure tags,
//! Dutch as the document language, the title in the metadata, every font embedded) and the
//! HTML version. The data goes in as a JSON file the template reads (`/data.json`), never as
//! markup: nothing a user wrote can change the document's structure.
//!
//! Pure apart from the CPU it takes: no I/O, no clock (the date is the caller's). Call it from
//! `spawn_blocking`.

mod world;

use typst::{
    diag::{SourceDiagnostic, Warned},
    foundations::{Datetime, Smart},
};
use typst_html::HtmlDocument;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use world::Compilation;
pub use world::Template;

/// What went wrong while typesetting: the template's own diagnostics, for the log.
#[derive(Debug, thiserror::Error)]
#[error("typesetting failed: {0}")]
pub struct TypesetError(pub String);

fn diagnostics(errors: &[SourceDiagnostic]) -> TypesetError {
    TypesetError(
        errors
            .iter()
            .map(|e| {
                let hints = e.hints.iter().map(|h| format!(" (hint: {})", h.v)).collect::<String>();
                format!("{}{hints}", e.message)
            })
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// The template filled with `data`, as a tagged PDF conforming to PDF/UA-1 and PDF/A-2a,
/// dated `date` (its creation date in the metadata).
pub fn pdf(
    template: &Template,
    data: &serde_json::Value,
    date: chrono::NaiveDate,
    ident: &str,
) -> Result<Vec<u8>, TypesetError> {
    let world = Compilation::new(template, data, date, false);
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|e| diagnostics(&e))?;
    let day = datetime(date);
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_owned()),
        creator: Smart::Custom(Some("Beslecht".to_owned())),
        timestamp: Some(Timestamp::new_utc(day)),
        standards: PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1])
            .map_err(|e| TypesetError(e.message().to_string()))?,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|e| diagnostics(&e))
}

/// The same template filled with the same data, as an HTML document.
pub fn html(template: &Template, data: &serde_json::Value, date: chrono::NaiveDate) -> Result<String, TypesetError> {
    let world = Compilation::new(template, data, date, true);
    let Warned { output, .. } = typst::compile::<HtmlDocument>(&world);
    let document = output.map_err(|e| diagnostics(&e))?;
    typst_html::html(&document, &typst_html::HtmlOptions { pretty: true }).map_err(|e| diagnostics(&e))
}

fn datetime(date: chrono::NaiveDate) -> Datetime {
    use chrono::Datelike;
    Datetime::from_ymd_hms(date.year(), date.month() as u8, date.day() as u8, 12, 0, 0).expect("a calendar date")
}
