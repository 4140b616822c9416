//! One module per resource. Each handler declares what it needs in its signature: a
//! [`crate::auth::Caller`] (any signed-in user), an [`crate::authz::Authorized`] record with
//! its permission, or an administrative decision by [`crate::authz::require_admin`] before it
//! acts.
//!
//! Evidence (upload, download, custody) lives in `evidence.rs`, owned by the vault; it plugs
//! into [`crate::router::api`] the same way.

pub mod agencies;
pub mod audit;
pub mod cases;
pub mod consents;
pub mod evidence;
pub mod grants;
pub mod health;
pub mod incidents;
pub mod interop;
pub mod interview_check;
pub mod matches;
pub mod persons;
pub mod provenance;
pub mod session;
pub mod tokens;
pub mod units;
pub mod users;
