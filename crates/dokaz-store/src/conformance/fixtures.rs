//! Records for the suite, built the way a real agency would fill them.

use chrono::{Duration, TimeZone, Utc};
use dokaz_model::{
    Agency, AgencyId, AgencyKind, Classification, Coordinates, Crime, Harm, Incident, IncidentId,
    IncidentStatus, IncidentType, Location, Narrative, Role, TimePrecision, TimeRange, User,
    UserId, Weapon,
};

pub fn agency(code: &str) -> Agency {
    Agency {
        id: AgencyId::new(),
        code: code.parse().expect("fixture agency code"),
        name: format!("Agency {code}"),
        kind: AgencyKind::NationalProsecutor,
        country: "UA".into(),
        created_at: Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
    }
}

pub fn user(agency: AgencyId, login: &str) -> User {
    User {
        id: UserId::new(),
        agency,
        login: login.parse().expect("fixture login"),
        display_name: format!("User {login}"),
        roles: vec![Role::Investigator, Role::Analyst],
        identity_cleared: false,
        disabled: false,
        created_at: Utc.with_ymd_and_hms(2024, 1, 2, 0, 0, 0).unwrap(),
    }
}

/// The `n`th incident of an agency: in Bucha, on day `n` after 1 March 2022.
pub fn incident(agency: AgencyId, n: u32) -> Incident {
    let at = Utc.with_ymd_and_hms(2022, 3, 1, 8, 0, 0).unwrap() + Duration::days(i64::from(n));
    Incident {
        id: IncidentId::new(),
        agency,
        reference: Some(format!("REF-{n:06}")),
        title: format!("Shelling of a residential block #{n}"),
        occurred: TimeRange::instant(at, TimePrecision::Hour),
        location: Location {
            coordinates: Some(Coordinates {
                lat: 50.54741,
                lon: 30.20879,
            }),
            uncertainty_m: Some(250),
            place_name: "Буча".into(),
            oblast: "Kyiv Oblast".into(),
            hromada: "Buchanska hromada".into(),
            katotth: "UA32080070010087821".into(),
        },
        crimes: vec![Crime::WcAttackingCivilians, Crime::UaLawsOfWar],
        incident_types: vec![IncidentType::Shelling],
        weapons: vec![Weapon::Artillery],
        protected_objects: vec![],
        harm: Harm::default(),
        perpetrator_units: vec![],
        perpetrators_text: String::new(),
        persons: vec![],
        narratives: vec![Narrative {
            lang: "uk".into(),
            text: "Обстріл житлового будинку.".into(),
        }],
        status: IncidentStatus::Reported,
        classification: Classification::Restricted,
        created_by: None,
        created_at: at,
        updated_at: at,
    }
}
