//! sea-orm entities, one file per table. Internal integer keys stay in here and in the
//! service layer; everything that leaves the service uses the `public_id` UUIDs.

pub mod accounthouderschap;
pub mod audit_event;
pub mod login_throttle;
pub mod organisation;
pub mod region_membership;
pub mod user;
