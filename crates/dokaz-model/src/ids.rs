//! Identifier newtypes, so that passing an incident id where a person id belongs is a
//! compile error rather than a wrong row.
//!
//! Every id is a UUID v7: unique without coordination between nodes, and ordered by creation
//! time, which makes keyset paging over ids follow insertion order.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }
    };
}

id_type!(
    /// An investigating body.
    AgencyId
);
id_type!(
    /// A person with an account in one agency.
    UserId
);
id_type!(
    /// One recorded event.
    IncidentId
);
id_type!(
    /// An agency's investigation.
    CaseId
);
id_type!(
    /// A victim, witness, suspect, missing person or deported child.
    PersonId
);
id_type!(
    /// A military or armed unit.
    UnitId
);
id_type!(
    /// An immutable evidence item.
    EvidenceId
);
id_type!(
    /// One chain-of-custody event.
    CustodyEventId
);
id_type!(
    /// One agency's grant to another.
    GrantId
);
id_type!(
    /// One audit record.
    AuditId
);
id_type!(
    /// A named API token for scripts.
    ApiTokenId
);
id_type!(
    /// One consent a person gave.
    ConsentId
);
id_type!(
    /// That an agency interviewed a person once.
    InterviewId
);
id_type!(
    /// A deconfliction match between two agencies' records.
    MatchId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered() {
        let a = IncidentId::new();
        let b = IncidentId::new();
        assert!(a < b, "UUID v7 must sort by creation");
    }

    #[test]
    fn id_round_trips_through_text() {
        let id = PersonId::new();
        assert_eq!(id.to_string().parse::<PersonId>().unwrap(), id);
        assert!("not-a-uuid".parse::<PersonId>().is_err());
    }
}
