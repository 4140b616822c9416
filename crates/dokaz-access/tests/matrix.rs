//! The policy as a matrix: every role × own/other agency × classification × action × grant,
//! against expectations written out by hand, and properties that must hold for any facts.

use chrono::{Duration, Utc};
use dokaz_access::{decide, Action, Principal, Resource, ResourceKind};
use dokaz_model::{
    AgencyId, CaseId, Classification, Grant, GrantId, GrantLevel, GrantTarget, IncidentId, Role,
    UserId,
};
use proptest::prelude::*;
use uuid::Uuid;

use Classification::{Open, Restricted, Sealed};
use GrantLevel::{Content, Download, Metadata};

struct World {
    owner: AgencyId,
    other: AgencyId,
    incident: IncidentId,
    case: CaseId,
}

impl World {
    fn new() -> Self {
        Self {
            owner: AgencyId::new(),
            other: AgencyId::new(),
            incident: IncidentId::new(),
            case: CaseId::new(),
        }
    }

    /// The same ids every time, so that proptest strategies can be built for it.
    fn fixed() -> Self {
        Self {
            owner: AgencyId::from_uuid(Uuid::from_u128(1)),
            other: AgencyId::from_uuid(Uuid::from_u128(2)),
            incident: IncidentId::from_uuid(Uuid::from_u128(3)),
            case: CaseId::from_uuid(Uuid::from_u128(4)),
        }
    }

    fn resource(&self, classification: Classification) -> Resource {
        Resource {
            kind: ResourceKind::Incident,
            agency: self.owner,
            classification,
            consent: None,
            covered_by: vec![
                GrantTarget::Incident(self.incident),
                GrantTarget::Case(self.case),
            ],
        }
    }

    fn user(&self, own: bool, role: Role) -> Principal {
        Principal {
            user: UserId::new(),
            agency: if own { self.owner } else { self.other },
            roles: vec![role],
            identity_cleared: false,
            disabled: false,
        }
    }

    fn grant(&self, level: GrantLevel, target: GrantTarget) -> Grant {
        Grant {
            id: GrantId::new(),
            grantor: self.owner,
            grantee: self.other,
            target,
            level,
            purpose: "joint analysis".into(),
            consent_purpose: None,
            expires_at: Some(Utc::now() + Duration::days(30)),
            created_by: UserId::new(),
            created_at: Utc::now(),
            revoked_at: None,
            revoked_by: None,
        }
    }
}

/// The expected verdict, written as a table rather than derived from the code under test.
fn expected(
    own: bool,
    role: Role,
    c: Classification,
    action: Action,
    grant: Option<GrantLevel>,
) -> bool {
    use Role::*;
    let reader = matches!(role, Investigator | Analyst | Prosecutor);
    match action {
        Action::Write => own && matches!(role, Investigator | Prosecutor),
        Action::Share => own && c != Sealed && matches!(role, Prosecutor | Admin),
        // Consent-bearing actions have their own property test (tests/consent.rs).
        Action::ShareWith(_) | Action::Export(_) => unreachable!("not generated here"),
        Action::View(level) => match (own, role) {
            (true, Investigator | Analyst | Prosecutor) => true,
            (true, Admin) => level == Metadata,
            (true, Auditor) => false,
            (false, _) if !reader => false,
            (false, _) => match c {
                Sealed => false,
                Open if level != Download => true,
                _ => grant.is_some_and(|g| g >= level),
            },
        },
    }
}

const ACTIONS: [Action; 5] = [
    Action::View(Metadata),
    Action::View(Content),
    Action::View(Download),
    Action::Write,
    Action::Share,
];

#[test]
fn every_combination_matches_the_table() {
    let w = World::new();
    let now = Utc::now();
    let mut checked = 0;
    for own in [true, false] {
        for role in Role::ALL {
            for c in Classification::ALL {
                for action in ACTIONS {
                    for grant in [None, Some(Metadata), Some(Content), Some(Download)] {
                        let grants: Vec<Grant> = grant
                            .map(|l| w.grant(l, GrantTarget::Case(w.case)))
                            .into_iter()
                            .collect();
                        let v = decide(&w.user(own, role), action, &w.resource(c), &grants, now);
                        assert_eq!(
                            v.allowed,
                            expected(own, role, c, action, grant),
                            "own={own} role={role} {c} {action:?} grant={grant:?}: {}",
                            v.reason
                        );
                        assert!(!v.reason.is_empty());
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 2 * 5 * 3 * 5 * 4);
}

#[test]
fn grants_that_do_not_apply_do_not_count() {
    let w = World::new();
    let now = Utc::now();
    let reader = w.user(false, Role::Analyst);
    let r = w.resource(Restricted);
    let view = Action::View(Content);
    let mut g = w.grant(Download, GrantTarget::Incident(w.incident));
    assert!(decide(&reader, view, &r, std::slice::from_ref(&g), now).allowed);

    g.revoked_at = Some(now - Duration::seconds(1));
    assert!(
        !decide(&reader, view, &r, &[g.clone()], now).allowed,
        "revoked"
    );
    g.revoked_at = None;
    g.expires_at = Some(now - Duration::seconds(1));
    assert!(
        !decide(&reader, view, &r, &[g.clone()], now).allowed,
        "expired"
    );
    g.expires_at = None;
    g.target = GrantTarget::Incident(IncidentId::new());
    assert!(
        !decide(&reader, view, &r, &[g.clone()], now).allowed,
        "another incident"
    );
    g.target = GrantTarget::Incident(w.incident);
    g.grantee = AgencyId::new();
    assert!(
        !decide(&reader, view, &r, &[g.clone()], now).allowed,
        "another grantee"
    );
    g.grantee = w.other;
    g.grantor = AgencyId::new();
    assert!(
        !decide(&reader, view, &r, &[g], now).allowed,
        "not the owner's grant"
    );
}

fn arb_grant(w: &World) -> impl Strategy<Value = Grant> {
    let base = w.grant(Metadata, GrantTarget::Case(w.case));
    let targets = vec![
        GrantTarget::Case(w.case),
        GrantTarget::Incident(w.incident),
        GrantTarget::Incident(IncidentId::new()),
    ];
    (
        prop::sample::select(vec![Metadata, Content, Download]),
        prop::sample::select(targets),
        any::<bool>(),
        -5i64..5,
    )
        .prop_map(move |(level, target, revoked, expires_in)| {
            let now = Utc::now();
            Grant {
                level,
                target,
                revoked_at: revoked.then_some(now - Duration::hours(1)),
                expires_at: Some(now + Duration::hours(expires_in)),
                id: GrantId::new(),
                ..base.clone()
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Adding grants never takes access away, a disabled account never has any, and a
    /// sealed record never reaches another agency whatever grants exist.
    #[test]
    fn grants_only_add_and_sealed_stays_home(
        role in prop::sample::select(Role::ALL.to_vec()),
        c in prop::sample::select(Classification::ALL.to_vec()),
        action in prop::sample::select(ACTIONS.to_vec()),
        grants in prop::collection::vec(arb_grant(&World::fixed()), 0..4),
    ) {
        let w = World::fixed();
        let now = Utc::now();
        let user = w.user(false, role);
        let r = w.resource(c);
        let with = decide(&user, action, &r, &grants, now).allowed;
        let without = decide(&user, action, &r, &[], now).allowed;
        prop_assert!(with || !without, "a grant took access away");
        if c == Sealed {
            prop_assert!(!with, "a sealed record reached another agency");
        }
        let mut disabled = w.user(true, role);
        disabled.disabled = true;
        prop_assert!(!decide(&disabled, action, &r, &grants, now).allowed);
    }
}
