//! Records for the suite, built the way a real agency would fill them.

use chrono::{Duration, TimeZone, Utc};
use dokaz_model::{
    Agency, AgencyId, AgencyKind, Classification, CollectionMethod, Coordinates, Crime,
    CustodyAction, CustodyEvent, Ern, Evidence, EvidenceId, EvidenceState, Harm, Incident,
    IncidentId, IncidentStatus, IncidentType, Location, Narrative, Role, Sha256, TimePrecision,
    TimeRange, User, UserId, Weapon, NO_CASE_SEGMENT,
};

use crate::{CustodyWrite, EvidenceChange};

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

/// The `n`th evidence item of an agency, registered under ERN `<CODE>-GEN-<n>`: a photo
/// whose digest is derived from `n`, so items with different `n` hold different bytes.
pub fn evidence(agency: &Agency, n: u32) -> Evidence {
    let mut digest = [0u8; 32];
    digest[..4].copy_from_slice(&n.to_be_bytes());
    digest[31] = 0xd0;
    Evidence {
        id: EvidenceId::new(),
        agency: agency.id,
        ern: Ern::new(agency.code.clone(), NO_CASE_SEGMENT, n).expect("fixture ERN"),
        sha256: Sha256(digest),
        size: 1_000 + u64::from(n),
        media_type: "image/jpeg".into(),
        original_name: format!("IMG_{n:04}.jpg"),
        captured_at: Some(Utc.with_ymd_and_hms(2022, 4, 2, 10, 30, 0).unwrap()),
        captured_location: None,
        collector: "Field team 3".into(),
        method: CollectionMethod::Forensic,
        source_url: None,
        incidents: vec![],
        case: None,
        classification: Classification::Restricted,
        state: EvidenceState::Active,
        collection: None,
        derived_from: None,
        created_by: None,
        created_at: Utc.with_ymd_and_hms(2024, 6, 1, 9, 0, 0).unwrap(),
    }
}

/// The intake of an item: its first custody event, inserting its row.
pub fn intake(e: &Evidence) -> CustodyWrite {
    CustodyWrite {
        event: event(e, CustodyAction::Intake),
        change: EvidenceChange::Insert(e.clone()),
    }
}

/// An event about an item that changes no row (an access, a transfer, an export).
pub fn custody(e: &Evidence, action: CustodyAction) -> CustodyWrite {
    CustodyWrite {
        event: event(e, action),
        change: EvidenceChange::None,
    }
}

fn event(e: &Evidence, action: CustodyAction) -> CustodyEvent {
    let mut ev = CustodyEvent::new(e.id, e.ern.clone(), e.sha256, action, None, e.agency);
    ev.reason = format!("{action} for the conformance suite");
    ev
}
