//! Consent as a property: for generated consents (purposes × recipients × identity ×
//! withdrawal), items (original or redacted) and disclosures (grant, export, another
//! agency's read), `decide` agrees with a reference written here from the words, and
//! every refusal names a consent rule.

use chrono::{Duration, NaiveDate, Utc};
use dokaz_access::{decide, Action, ConsentFacts, Disclosure, Principal, Resource, ResourceKind};
use dokaz_model::{
    AgencyId, AgencyKind, Classification, Consent, ConsentId, EvidenceId, Grant, GrantId,
    GrantLevel, GrantTarget, PersonId, Purpose, Recipient, Role, UserId,
};
use proptest::prelude::*;
use uuid::Uuid;

const OWNER: u128 = 1;
const OTHER: u128 = 2;
const ITEM: u128 = 3;

fn agency(n: u128) -> AgencyId {
    AgencyId::from_uuid(Uuid::from_u128(n))
}

/// The recipient classes a consent may name, as indexes into this list.
fn recipient(i: usize) -> Recipient {
    [
        Recipient::OwnAgency,
        Recipient::Agency(agency(OTHER)),
        Recipient::Icc,
        Recipient::NationalCourts,
        Recipient::Eurojust,
    ][i]
}

const KINDS: [AgencyKind; 4] = [
    AgencyKind::IccOtp,
    AgencyKind::NationalProsecutor,
    AgencyKind::Eurojust,
    AgencyKind::JointInvestigationTeam,
];

#[derive(Debug, Clone)]
struct GenConsent {
    purposes: Vec<Purpose>,
    recipients: Vec<usize>,
    identity: bool,
    withdrawn: bool,
}

#[derive(Debug, Clone)]
struct Case {
    consents: Vec<GenConsent>,
    redacted: bool,
    purpose: Option<Purpose>,
    recipient_kind: AgencyKind,
    how: How,
}

#[derive(Debug, Clone, Copy)]
enum How {
    Grant,
    Export,
    Read,
}

fn consent() -> impl Strategy<Value = GenConsent> {
    (
        prop::sample::subsequence(Purpose::ALL.to_vec(), 1..=2),
        prop::sample::subsequence((0..5).collect::<Vec<_>>(), 1..=3),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(purposes, recipients, identity, withdrawn)| GenConsent {
            purposes,
            recipients,
            identity,
            withdrawn,
        })
}

fn cases() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(consent(), 0..3),
        any::<bool>(),
        prop::option::weighted(0.9, prop::sample::select(Purpose::ALL.to_vec())),
        prop::sample::select(KINDS.to_vec()),
        prop::sample::select(vec![How::Grant, How::Export, How::Read]),
    )
        .prop_map(|(consents, redacted, purpose, recipient_kind, how)| Case {
            consents,
            redacted,
            purpose,
            recipient_kind,
            how,
        })
}

/// The reference: a disclosure to the other agency is allowed when some consent not
/// withdrawn allows the purpose, names the recipient (by name or by kind), and allows the
/// identity unless the item is a redaction.
fn model(c: &Case) -> bool {
    let Some(p) = c.purpose else { return false };
    c.consents.iter().any(|g| {
        !g.withdrawn
            && g.purposes.contains(&p)
            && g.recipients.iter().any(|&r| match r {
                0 => false, // own agency: the recipient here is always the other agency
                1 => true,  // named: the other agency itself
                2 => c.recipient_kind == AgencyKind::IccOtp,
                3 => c.recipient_kind == AgencyKind::NationalProsecutor,
                _ => c.recipient_kind == AgencyKind::Eurojust,
            })
            && (g.identity || c.redacted)
    })
}

fn facts(c: &Case) -> Resource {
    let today = Utc::now().date_naive();
    let given: NaiveDate = today - Duration::days(30);
    let consents = c
        .consents
        .iter()
        .map(|g| Consent {
            id: ConsentId::new(),
            person: PersonId::from_uuid(Uuid::from_u128(9)),
            agency: agency(OWNER),
            statement: None,
            statement_ern: None,
            purposes: g.purposes.clone(),
            recipients: g.recipients.iter().map(|&i| recipient(i)).collect(),
            identity_disclosure: g.identity,
            given_on: given,
            recorded_by: "investigator".into(),
            entered_by: None,
            recorded_at: Utc::now(),
            withdrawn_on: g.withdrawn.then_some(today),
            withdrawal_recorded_by: None,
            withdrawal_recorded_at: None,
        })
        .collect();
    Resource {
        kind: ResourceKind::Evidence,
        agency: agency(OWNER),
        classification: Classification::Restricted,
        covered_by: vec![GrantTarget::Evidence(EvidenceId::from_uuid(
            Uuid::from_u128(ITEM),
        ))],
        consent: Some(ConsentFacts {
            consents,
            reveals_identity: !c.redacted,
            asking_kind: c.recipient_kind,
        }),
    }
}

fn principal(agency_n: u128, role: Role) -> Principal {
    Principal {
        user: UserId::new(),
        agency: agency(agency_n),
        roles: vec![role],
        identity_cleared: true,
        disabled: false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    #[test]
    fn decide_agrees_with_the_consent_reference(c in cases()) {
        let what = facts(&c);
        let now = Utc::now();
        let d = Disclosure { to: agency(OTHER), to_kind: c.recipient_kind, purpose: c.purpose };
        let v = match c.how {
            How::Grant => decide(&principal(OWNER, Role::Prosecutor), Action::ShareWith(d), &what, &[], now),
            How::Export => decide(&principal(OWNER, Role::Investigator), Action::Export(d), &what, &[], now),
            How::Read => {
                let grant = Grant {
                    id: GrantId::new(),
                    grantor: agency(OWNER),
                    grantee: agency(OTHER),
                    target: what.covered_by[0],
                    level: GrantLevel::Content,
                    purpose: "generated".into(),
                    consent_purpose: c.purpose,
                    expires_at: None,
                    created_by: UserId::new(),
                    created_at: now - Duration::hours(1),
                    revoked_at: None,
                    revoked_by: None,
                };
                let reader = principal(OTHER, Role::Analyst);
                // Metadata never needs consent; content does.
                let meta = decide(&reader, Action::View(GrantLevel::Metadata), &what, std::slice::from_ref(&grant), now);
                prop_assert!(meta.allowed, "{meta:?}");
                decide(&reader, Action::View(GrantLevel::Content), &what, &[grant], now)
            }
        };
        prop_assert_eq!(v.allowed, model(&c), "{:?}: {}", c, v.reason);
        if !v.allowed {
            prop_assert!(v.reason.starts_with("consent rule consent."), "{}", v.reason);
        }
    }

    /// Own-agency reads are not disclosures: consent never stands in their way.
    #[test]
    fn the_own_agency_always_reads_its_statements(c in cases()) {
        let what = facts(&c);
        let v = decide(&principal(OWNER, Role::Investigator), Action::View(GrantLevel::Download), &what, &[], Utc::now());
        prop_assert!(v.allowed);
    }
}

#[test]
fn refusals_name_their_rule() {
    let mut c = Case {
        consents: vec![],
        redacted: false,
        purpose: Some(Purpose::Prosecution),
        recipient_kind: AgencyKind::IccOtp,
        how: How::Grant,
    };
    let share = |c: &Case| {
        let d = Disclosure {
            to: agency(OTHER),
            to_kind: c.recipient_kind,
            purpose: c.purpose,
        };
        decide(
            &principal(OWNER, Role::Prosecutor),
            Action::ShareWith(d),
            &facts(c),
            &[],
            Utc::now(),
        )
        .reason
    };
    assert!(share(&c).contains("consent.required"));
    c.consents.push(GenConsent {
        purposes: vec![Purpose::Investigation],
        recipients: vec![2],
        identity: false,
        withdrawn: false,
    });
    assert!(share(&c).contains("consent.purpose:"), "{}", share(&c));
    c.consents[0].purposes.push(Purpose::Prosecution);
    c.recipient_kind = AgencyKind::Eurojust;
    assert!(share(&c).contains("consent.recipient"));
    c.recipient_kind = AgencyKind::IccOtp;
    assert!(share(&c).contains("consent.identity"));
    c.redacted = true;
    assert!(share(&c).contains("allows prosecution"), "{}", share(&c));
    c.consents[0].withdrawn = true;
    assert!(share(&c).contains("consent.withdrawn"));
    c.consents[0].withdrawn = false;
    c.purpose = None;
    assert!(share(&c).contains("consent.purpose-stated"));
}
