//! An incident's metadata (everything but the narratives) as JSON, borrowed from the record:
//! a server that shares one copy of a record between requests writes the metadata view from
//! it, rather than from a clone with the narratives cleared.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::classification::Classification;
use crate::geo::Location;
use crate::harm::Harm;
use crate::ids::{AgencyId, IncidentId, PersonId, UnitId, UserId};
use crate::incident::{Incident, IncidentStatus};
use crate::taxonomy::{Crime, IncidentType, ProtectedObject, Weapon};
use crate::time::TimeRange;

/// Serialises exactly as [`Incident`] does with no narratives: the same fields, in the same
/// order, skipped when empty in the same way (a test holds it to that).
#[derive(Debug, Serialize)]
pub struct IncidentMetadata<'a> {
    id: IncidentId,
    agency: AgencyId,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<&'a str>,
    title: &'a str,
    occurred: &'a TimeRange,
    location: &'a Location,
    #[serde(skip_serializing_if = "empty")]
    crimes: &'a [Crime],
    #[serde(skip_serializing_if = "empty")]
    incident_types: &'a [IncidentType],
    #[serde(skip_serializing_if = "empty")]
    weapons: &'a [Weapon],
    #[serde(skip_serializing_if = "empty")]
    protected_objects: &'a [ProtectedObject],
    #[serde(skip_serializing_if = "no_harm")]
    harm: &'a Harm,
    #[serde(skip_serializing_if = "empty")]
    perpetrator_units: &'a [UnitId],
    #[serde(skip_serializing_if = "str::is_empty")]
    perpetrators_text: &'a str,
    #[serde(skip_serializing_if = "empty")]
    persons: &'a [PersonId],
    status: IncidentStatus,
    classification: Classification,
    created_by: Option<UserId>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn empty<T>(s: &&[T]) -> bool {
    s.is_empty()
}

fn no_harm(h: &&Harm) -> bool {
    h.is_empty()
}

impl Incident {
    /// The metadata view of this incident, borrowed.
    pub fn metadata(&self) -> IncidentMetadata<'_> {
        // Destructured field by field: a field added to `Incident` does not compile here
        // until the view decides whether it is metadata.
        let Incident {
            id,
            agency,
            reference,
            title,
            occurred,
            location,
            crimes,
            incident_types,
            weapons,
            protected_objects,
            harm,
            perpetrator_units,
            perpetrators_text,
            persons,
            narratives: _,
            status,
            classification,
            created_by,
            created_at,
            updated_at,
        } = self;
        IncidentMetadata {
            id: *id,
            agency: *agency,
            reference: reference.as_deref(),
            title,
            occurred,
            location,
            crimes,
            incident_types,
            weapons,
            protected_objects,
            harm,
            perpetrator_units,
            perpetrators_text,
            persons,
            status: *status,
            classification: *classification,
            created_by: *created_by,
            created_at: *created_at,
            updated_at: *updated_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::Narrative;

    /// Every optional field filled, and a place name that needs escaping.
    fn full() -> Incident {
        let base = crate::incident::tests::sample();
        Incident {
            reference: Some("UA-2022-0001".into()),
            location: Location {
                place_name: "Маріуполь \"центр\"".into(),
                ..base.location.clone()
            },
            perpetrator_units: vec![UnitId::new()],
            perpetrators_text: "unknown aircraft".into(),
            persons: vec![PersonId::new()],
            narratives: vec![Narrative {
                lang: "uk".into(),
                text: "testimony".into(),
            }],
            classification: Classification::Restricted,
            created_by: Some(UserId::new()),
            ..base
        }
    }

    fn cleared(mut i: Incident) -> Incident {
        i.narratives.clear();
        i
    }

    #[test]
    fn the_view_is_the_incident_without_narratives_byte_for_byte() {
        let sparse = Incident {
            reference: None,
            crimes: vec![],
            perpetrator_units: vec![],
            perpetrators_text: String::new(),
            persons: vec![],
            created_by: None,
            ..full()
        };
        let mut harmed = full();
        harmed.harm.killed.total = Some(3);
        for i in [full(), sparse, harmed] {
            let view = serde_json::to_string(&i.metadata()).unwrap();
            assert_eq!(view, serde_json::to_string(&cleared(i)).unwrap());
        }
    }
}
