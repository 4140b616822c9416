//! Every authorisation decision dokaz makes, in one place: who (a user with roles in an
//! agency) may do what (view at a level, write, share, audit, administer) to which record
//! (its agency and classification, and the grants that cover it); and the administrative
//! decisions (users, agencies, the audit log) in `admin`.
//!
//! The function is pure — facts in, verdict out — so that it can be read as the policy,
//! tested as a matrix, and checked against an independent model by property tests. Callers
//! gather the facts (the record, the grants to the user's agency on what covers it) and
//! must audit the verdict.
#![forbid(unsafe_code)]

mod admin;
mod consent;
mod identity;
mod policy;

pub use admin::{decide_admin, AdminAction};
pub use consent::{check_consent, ConsentFacts, Disclosure};
pub use identity::{may_see_identity, pseudonym};
pub use policy::{decide, Action, Principal, Resource, ResourceKind, Verdict};
