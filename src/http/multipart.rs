//! Reading a document submission from `multipart/form-data`: the `file` part is streamed to
//! staging as it arrives; the other parts are short text fields. Shared by the JSON API and
//! the web application's upload form.

use axum::extract::Multipart;
use serde_json::{Map, Value};

use crate::{
    error::{Error, FieldError, Result},
    service::{
        App,
        documents::{
            staging,
            upload::{IncomingFile, Submission},
        },
    },
};

/// The most parts a submission may have, and the longest text part.
const MAX_PARTS: usize = 20;
const MAX_TEXT: usize = 64 * 1024;

fn cut_off(e: axum::extract::multipart::MultipartError) -> Error {
    Error::BadRequest(format!(
        "the multipart body could not be read (it may have ended early): {e}"
    ))
}

pub async fn read_submission(app: &App, multipart: Multipart) -> Result<Submission> {
    read_into(&app.documents.data_dir, app.documents.limit, multipart).await
}

/// Reads a submission, staging its file under `data_dir` within `limit` bytes.
pub async fn read_into(data_dir: &std::path::Path, limit: u64, mut multipart: Multipart) -> Result<Submission> {
    let mut fields = Map::new();
    let mut file: Option<IncomingFile> = None;
    let mut errors = Vec::new();
    let mut parts = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(cut_off)? {
        parts += 1;
        if parts > MAX_PARTS {
            return Err(Error::BadRequest(format!("a submission has at most {MAX_PARTS} parts")));
        }
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().map(str::to_owned);
            let body = futures::StreamExt::map(field, |chunk| chunk.map_err(|e| e.body_text()));
            let staged = staging::receive(data_dir, body, limit).await?;
            if file.is_some() {
                errors.push(FieldError::with_nl(
                    "file",
                    "send one file per document",
                    "Stuur één bestand per stuk.",
                ));
            }
            file = Some(IncomingFile {
                name: file_name,
                staged,
            });
            continue;
        }
        let mut text = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(cut_off)? {
            if text.len() + chunk.len() > MAX_TEXT {
                return Err(Error::TooLarge(format!(
                    "the part `{name}` is longer than {MAX_TEXT} bytes"
                )));
            }
            text.extend_from_slice(&chunk);
        }
        match String::from_utf8(text) {
            Err(_) => errors.push(FieldError::with_nl(
                &name,
                "must be UTF-8 text",
                "Dit veld bevat tekens die niet zijn toegestaan.",
            )),
            Ok(_) if fields.contains_key(&name) => {
                errors.push(FieldError::with_nl(
                    &name,
                    "is sent twice",
                    "Dit veld is twee keer verstuurd.",
                ));
            }
            // A blank form field counts as not given.
            Ok(t) if t.trim().is_empty() => {}
            Ok(t) => {
                fields.insert(name, Value::String(t));
            }
        }
    }
    if errors.is_empty() {
        Ok(Submission { fields, file })
    } else {
        Err(Error::Validation(errors))
    }
}
