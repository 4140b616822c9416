//! The words dokaz speaks: agencies, users, incidents, cases, persons, units, their legal
//! qualification, and the rules a record must satisfy before anything stores it.
//!
//! This crate has no I/O, no async and no SQL, so every other crate — and an offline
//! verifier — can depend on it without pulling in a runtime.
#![forbid(unsafe_code)]

pub mod agency;
pub mod audit;
pub mod case;
pub mod classification;
pub mod collection;
pub mod consent;
pub mod custody;
pub mod derivative;
pub mod evidence;
pub mod geo;
pub mod grant;
pub mod harm;
pub mod ids;
pub mod incident;
pub mod incident_metadata;
pub mod interview;
pub mod jurisdiction;
pub mod matching;
pub mod new_incident;
pub mod person;
pub mod taxonomy;
pub mod time;
pub mod unit;
pub mod user;
pub mod validation;

pub use agency::{Agency, AgencyCode, AgencyKind};
pub use audit::{AuditRecord, Decision, AUDIT_ENTRY_PREFIX};
pub use case::{Case, CaseStatus};
pub use classification::Classification;
pub use collection::{ClockSource, CollectionRecord};
pub use consent::{Consent, Purpose, Recipient};
pub use custody::{CustodyAction, CustodyEvent, CUSTODY_ENTRY_PREFIX};
pub use derivative::{Derivation, DerivativeKind, ErnSuffix, Family, FamilyMember};
pub use evidence::{CollectionMethod, Ern, Evidence, EvidenceState, Sha256, NO_CASE_SEGMENT};
pub use geo::{Coordinates, Location};
pub use grant::{Grant, GrantLevel, GrantTarget};
pub use harm::{GroupCounts, Harm};
pub use ids::{
    AgencyId, ApiTokenId, AuditId, CaseId, ConsentId, CustodyEventId, EvidenceId, GrantId,
    IncidentId, InterviewId, MatchId, PersonId, UnitId, UserId,
};
pub use incident::{Incident, IncidentStatus, Narrative};
pub use incident_metadata::IncidentMetadata;
pub use interview::{Interview, InterviewerRole};
pub use matching::{Match, MatchKind, MatchSide, MatchStatus};
pub use new_incident::{NewIncident, OccurredInput};
pub use person::{PartialDate, Person, PersonName, PersonRole, Sex};
pub use taxonomy::{Crime, IncidentType, ProtectedObject, Weapon};
pub use time::{TimePrecision, TimeRange};
pub use unit::Unit;
pub use user::{Login, Role, User};
pub use validation::{Problem, Problems, Validated};
