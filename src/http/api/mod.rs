//! The JSON API under `/api/v1`: one file per resource, handlers of a few lines each —
//! read the request, call the service, return.

pub mod auth;
pub mod calendar;
pub mod case_bodies;
pub mod case_threads;
pub mod cases;
pub mod challenges;
pub mod documents;
pub mod health;
pub mod me;
pub mod obligations;
pub mod openapi;
pub mod openapi_statuses;
pub mod organisations;
pub mod region_links;
pub mod rulings;
pub mod second_factor;
pub mod sessions;
pub mod users;
