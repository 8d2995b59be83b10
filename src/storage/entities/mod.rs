//! sea-orm entities, one file per table. Internal integer keys stay in here and in the
//! service layer; everything that leaves the service uses the `public_id` UUIDs.

pub mod accounthouderschap;
pub mod audit_checkpoint;
pub mod audit_event;
pub mod audit_log_head;
pub mod calendar_feed;
pub mod case;
pub mod case_audit_entry;
pub mod case_commission_member;
pub mod case_counter;
pub mod case_message;
pub mod case_party;
pub mod case_submission;
pub mod case_suspension;
pub mod case_term;
pub mod case_visit;
pub mod court_challenge;
pub mod document;
pub mod document_access;
pub mod document_upload;
pub mod email_outbox;
pub mod login_throttle;
pub mod mediation_release;
pub mod mediation_session;
pub mod notification;
pub mod organisation;
pub mod publication;
pub mod publication_facet;
pub mod publication_review;
pub mod region_membership;
pub mod ruling;
pub mod ruling_document;
pub mod ruling_draft;
pub mod user;
pub mod user_affiliation;
pub mod web_session;
