//! The web application (server-rendered, Dutch). For now the start page; the forms follow.

use askama::Template;
use axum::{Router, response::Html, routing::get};

use crate::{error::Error, service::App};

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    version: &'static str,
}

async fn index() -> Result<Html<String>, Error> {
    IndexPage {
        version: env!("CARGO_PKG_VERSION"),
    }
    .render()
    .map(Html)
    .map_err(Error::internal)
}

pub fn routes() -> Router<App> {
    Router::new().route("/", get(index))
}
