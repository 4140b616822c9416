//! Incidents: one event — when, where, what, harm, who is alleged — as one agency records it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::classification::Classification;
use crate::geo::Location;
use crate::harm::Harm;
use crate::ids::{AgencyId, IncidentId, PersonId, UnitId, UserId};
use crate::jurisdiction::within_icc_window;
use crate::taxonomy::{Crime, IncidentType, ProtectedObject, Weapon};
use crate::time::TimeRange;
use crate::validation::{check_text, Problem, Problems, Validated};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum IncidentStatus {
    #[default]
    Reported,
    UnderInvestigation,
    Verified,
    Closed,
}

impl IncidentStatus {
    pub const ALL: [IncidentStatus; 4] = [
        Self::Reported,
        Self::UnderInvestigation,
        Self::Verified,
        Self::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Reported => "reported",
            Self::UnderInvestigation => "under-investigation",
            Self::Verified => "verified",
            Self::Closed => "closed",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// Free text in the language it was written in; never translated in place.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    /// BCP 47 language tag (`uk`, `ru`, `en`), empty when unknown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lang: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: IncidentId,
    pub agency: AgencyId,
    /// The agency's own reference for the incident, unique within the agency when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub title: String,
    pub occurred: TimeRange,
    #[serde(default)]
    pub location: Location,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crimes: Vec<Crime>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incident_types: Vec<IncidentType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weapons: Vec<Weapon>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protected_objects: Vec<ProtectedObject>,
    #[serde(default, skip_serializing_if = "Harm::is_empty")]
    pub harm: Harm,
    /// Units alleged responsible, where they are in the registry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub perpetrator_units: Vec<UnitId>,
    /// Alleged perpetrators as the source names them, for what is not (yet) a registry unit.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub perpetrators_text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<PersonId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub narratives: Vec<Narrative>,
    #[serde(default)]
    pub status: IncidentStatus,
    #[serde(default)]
    pub classification: Classification,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub const MAX_TITLE_CHARS: usize = 500;
pub const MAX_NARRATIVE_CHARS: usize = 100_000;
pub const MAX_REFERENCE_CHARS: usize = 100;

impl Incident {
    /// Checks every rule and returns all problems at once; warnings (such as an event before
    /// the ICC's jurisdiction window) do not refuse the record.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<Validated, Problems> {
        let mut p = Problems::new();
        check_text(&mut p, "incident.title", &self.title, true, MAX_TITLE_CHARS);
        if let Some(r) = &self.reference {
            check_text(&mut p, "incident.reference", r, true, MAX_REFERENCE_CHARS);
        }
        self.occurred.check("incident.occurred", &mut p, now);
        self.location.check("incident.location", &mut p);
        self.harm.check("incident.harm", &mut p);
        check_text(
            &mut p,
            "incident.perpetrators_text",
            &self.perpetrators_text,
            false,
            2_000,
        );
        for (i, n) in self.narratives.iter().enumerate() {
            check_text(
                &mut p,
                &format!("incident.narratives[{i}].text"),
                &n.text,
                true,
                MAX_NARRATIVE_CHARS,
            );
            check_text(
                &mut p,
                &format!("incident.narratives[{i}].lang"),
                &n.lang,
                false,
                35,
            );
        }
        if self.crimes.is_empty() && self.incident_types.is_empty() {
            p.push(
                "incident.crimes",
                "name at least one crime code or incident type",
            );
        }
        p.into_result()?;

        let mut warnings = Vec::new();
        if !within_icc_window(self.occurred.widened_end()) {
            warnings.push(Problem {
                field: "incident.occurred".into(),
                message: "before 21 November 2013: outside the ICC's temporal jurisdiction over Ukraine (national jurisdiction may still apply)".into(),
            });
        }
        Ok(Validated { warnings })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::geo::Coordinates;
    use crate::time::TimePrecision;
    use chrono::TimeZone;

    /// A valid open incident with only what it needs, for this crate's tests.
    pub(crate) fn sample() -> Incident {
        let at = Utc.with_ymd_and_hms(2022, 3, 9, 10, 0, 0).unwrap();
        Incident {
            id: IncidentId::new(),
            agency: AgencyId::new(),
            reference: None,
            title: "Airstrike on maternity hospital No. 3, Mariupol".into(),
            occurred: TimeRange::instant(at, TimePrecision::Hour),
            location: Location {
                coordinates: Some(Coordinates {
                    lat: 47.0951,
                    lon: 37.5413,
                }),
                uncertainty_m: Some(100),
                place_name: "Маріуполь".into(),
                ..Default::default()
            },
            crimes: vec![Crime::WcAttackingProtectedObjects],
            incident_types: vec![IncidentType::Airstrike],
            weapons: vec![Weapon::AirDroppedBomb],
            protected_objects: vec![ProtectedObject::MaternityWard],
            harm: Harm::default(),
            perpetrator_units: vec![],
            perpetrators_text: String::new(),
            persons: vec![],
            narratives: vec![],
            status: IncidentStatus::Reported,
            classification: Classification::Open,
            created_by: None,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn valid_incident_has_no_warnings() {
        assert!(sample().validate(Utc::now()).unwrap().warnings.is_empty());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut i = sample();
        i.title = String::new();
        i.location.coordinates = Some(Coordinates {
            lat: 123.0,
            lon: 30.0,
        });
        let err = i.validate(Utc::now()).unwrap_err();
        let fields: Vec<_> = err.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["incident.title", "incident.location.lat"]);
    }

    #[test]
    fn before_icc_window_is_a_warning_not_a_refusal() {
        let mut i = sample();
        let at = Utc.with_ymd_and_hms(2013, 6, 1, 0, 0, 0).unwrap();
        i.occurred = TimeRange::instant(at, TimePrecision::Day);
        let v = i.validate(Utc::now()).unwrap();
        assert_eq!(v.warnings.len(), 1);
        assert_eq!(v.warnings[0].field, "incident.occurred");
    }

    #[test]
    fn serde_uses_stable_codes() {
        let json = serde_json::to_value(sample()).unwrap();
        assert_eq!(json["crimes"][0], "rs-8-2-b-ix");
        assert_eq!(json["weapons"][0], "weapon:air-dropped-bomb");
        assert_eq!(json["protected_objects"][0], "object:maternity-ward");
        let back: Incident = serde_json::from_value(json).unwrap();
        assert_eq!(back, sample_with_ids(&back));
    }

    fn sample_with_ids(other: &Incident) -> Incident {
        Incident {
            id: other.id,
            agency: other.agency,
            ..sample()
        }
    }
}
