//! The shape in which people and scripts submit an incident (CLI JSON, JSON Lines import,
//! later the API): everything but the ids and times that dokaz assigns. Unknown fields are
//! refused so that a misspelt field is an error rather than silently lost data.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::classification::Classification;
use crate::geo::Location;
use crate::harm::Harm;
use crate::ids::{AgencyId, IncidentId, UserId};
use crate::incident::{Incident, IncidentStatus, Narrative};
use crate::taxonomy::{Crime, IncidentType, ProtectedObject, Weapon};
use crate::time::{TimePrecision, TimeRange};

/// When, as submitted: `end` and `precision` may be left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OccurredInput {
    pub start: DateTime<Utc>,
    #[serde(default)]
    pub end: Option<DateTime<Utc>>,
    #[serde(default)]
    pub precision: Option<TimePrecision>,
}

impl From<OccurredInput> for TimeRange {
    fn from(o: OccurredInput) -> Self {
        TimeRange {
            start: o.start,
            end: o.end.unwrap_or(o.start),
            precision: o.precision.unwrap_or(TimePrecision::Second),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewIncident {
    #[serde(default)]
    pub reference: Option<String>,
    pub title: String,
    pub occurred: OccurredInput,
    #[serde(default)]
    pub location: Location,
    #[serde(default)]
    pub crimes: Vec<Crime>,
    #[serde(default)]
    pub incident_types: Vec<IncidentType>,
    #[serde(default)]
    pub weapons: Vec<Weapon>,
    #[serde(default)]
    pub protected_objects: Vec<ProtectedObject>,
    #[serde(default)]
    pub harm: Harm,
    #[serde(default)]
    pub perpetrators_text: String,
    #[serde(default)]
    pub narratives: Vec<Narrative>,
    #[serde(default)]
    pub status: IncidentStatus,
    #[serde(default)]
    pub classification: Classification,
}

impl NewIncident {
    /// The incident as it will be stored, not yet validated.
    pub fn into_incident(
        self,
        agency: AgencyId,
        created_by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Incident {
        Incident {
            id: IncidentId::new(),
            agency,
            reference: self.reference.filter(|r| !r.trim().is_empty()),
            title: self.title,
            occurred: self.occurred.into(),
            location: self.location,
            crimes: self.crimes,
            incident_types: self.incident_types,
            weapons: self.weapons,
            protected_objects: self.protected_objects,
            harm: self.harm,
            perpetrator_units: vec![],
            perpetrators_text: self.perpetrators_text,
            persons: vec![],
            narratives: self.narratives,
            status: self.status,
            classification: self.classification,
            created_by,
            created_at: now,
            updated_at: now,
        }
    }
}
