//! HTTP: the JSON API (`api`), the web pages (`web`), and the middleware stack around both.
//!
//! Every route is registered here, and the OpenAPI document is derived from that same
//! registration (utoipa-axum), so code and documentation cannot drift.

pub mod api;
pub mod extract;
pub mod middleware;
pub mod multipart;
pub mod problem;
pub mod serve;
pub mod web;

use std::sync::Arc;

use axum::{Json, Router, extract::DefaultBodyLimit, routing::get};
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    sensitive_headers::SetSensitiveRequestHeadersLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::service::App;
use api::{
    auth, calendar, case_threads, cases, challenges, documents, health, me, obligations, openapi::ApiDoc,
    organisations, region_links, rulings, second_factor, sessions, users,
};

fn api_routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(auth::token))
        .routes(routes!(me::me))
        .routes(routes!(me::change_password))
        .routes(routes!(sessions::list))
        .routes(routes!(sessions::end))
        .routes(routes!(sessions::revoke))
        .routes(routes!(me::notifications))
        .routes(routes!(me::read_notification))
        .routes(routes!(organisations::list, organisations::create))
        .routes(routes!(organisations::get, organisations::update))
        .routes(routes!(region_links::add_membership))
        .routes(routes!(region_links::end_membership))
        .routes(routes!(region_links::add_accounthouderschap))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::get, users::update))
        .routes(routes!(users::set_password))
        .routes(routes!(case_threads::affiliations, case_threads::declare_affiliation))
        .routes(routes!(calendar::deadline))
        .routes(routes!(calendar::create_feed))
        .routes(routes!(calendar::feed))
        .routes(routes!(cases::list, cases::create))
        .routes(routes!(cases::get, cases::edit))
        .routes(routes!(cases::step))
        .routes(routes!(cases::audit))
        .routes(routes!(cases::correct_ruling))
        .routes(routes!(cases::suspend))
        .routes(routes!(cases::resume))
        .routes(routes!(cases::extend))
        .routes(routes!(case_threads::sessions, case_threads::record_session))
        .routes(routes!(case_threads::release))
        .routes(routes!(case_threads::ruling_draft, case_threads::save_ruling_draft))
        .routes(routes!(case_threads::messages, case_threads::send_message))
        .routes(routes!(documents::get))
        .routes(routes!(documents::content))
        .routes(routes!(documents::withdraw))
        .routes(routes!(documents::access_log))
        // Uploads are limited per file while they stream (BESLECHT_UPLOAD_LIMIT), not by
        // the body limit for JSON.
        .routes(routes!(rulings::pdf))
        .routes(routes!(rulings::check_hash))
        .routes(routes!(rulings::prepare_publication, rulings::get_publication))
        .routes(routes!(rulings::publish))
        .routes(routes!(rulings::list))
        .routes(routes!(rulings::get_published))
        .routes(routes!(challenges::record, challenges::get))
        .routes(routes!(obligations::list, obligations::record))
        .routes(routes!(second_factor::start))
        .routes(routes!(second_factor::confirm))
        .routes(routes!(second_factor::reset))
        .routes(routes!(obligations::get))
        .routes(routes!(obligations::report))
        .routes(routes!(obligations::cancel))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(documents::upload, documents::list))
                .routes(routes!(rulings::check_file))
                .layer(DefaultBodyLimit::disable()),
        )
}

fn all_routes() -> (Router<App>, utoipa::openapi::OpenApi) {
    let (routes, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api_routes())
        .routes(routes!(health::live))
        .routes(routes!(health::ready))
        .split_for_parts();
    api::openapi_statuses::complete(&mut doc);
    (routes, doc)
}

/// The OpenAPI 3 document, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    all_routes().1
}

pub fn router(app: App) -> Router {
    let (routes, doc) = all_routes();
    let doc = Arc::new(serde_json::to_value(&doc).expect("the OpenAPI document serialises"));
    let timeout = app.config.request_timeout;
    let body_limit = app.config.body_limit;
    routes
        .route(
            "/api/v1/openapi.json",
            get(move || std::future::ready(Json(doc.as_ref().clone()))),
        )
        .merge(web::routes())
        .fallback(web::not_found)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            web::page::error_pages_show_who_is_signed_in,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(axum::middleware::map_request(middleware::drop_unfit_request_id))
                .layer(SetSensitiveRequestHeadersLayer::new([
                    axum::http::header::AUTHORIZATION,
                    axum::http::header::COOKIE,
                ]))
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(middleware::request_span)
                        // One access-log line per request, with status and latency.
                        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(axum::middleware::from_fn(middleware::refuse_control_characters))
                .layer(axum::middleware::from_fn_with_state(
                    web::session::Origin::of(&app.config.public_url),
                    web::session::refuse_other_origins,
                ))
                .layer(axum::middleware::map_response(middleware::security_headers))
                .layer(axum::middleware::map_response(problem::problem_for_framework_errors))
                .layer(CatchPanicLayer::new())
                .layer(axum::middleware::from_fn_with_state(timeout, middleware::timeout))
                .layer(DefaultBodyLimit::max(body_limit)),
        )
        .with_state(app)
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let header_timeout = app.config.header_timeout;
    serve::run(router(app), header_timeout, listener, shutdown).await
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}
