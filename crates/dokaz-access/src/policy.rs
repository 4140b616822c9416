//! The policy: roles × classification × agency × grants.
//!
//! | who                              | open                     | restricted                    | sealed        |
//! |----------------------------------|--------------------------|-------------------------------|---------------|
//! | own agency: investigator, analyst, prosecutor | view at every level | view at every level     | view at every level |
//! | own agency: admin                | metadata                 | metadata                      | metadata      |
//! | other agency: investigator, analyst, prosecutor | metadata and content; download with a grant | with a grant at that level | never |
//! | auditor (any agency)             | no records; the own agency's audit log |                 |               |
//!
//! Writing a record: investigators and prosecutors of the owning agency. Sharing (granting
//! and revoking): prosecutors and admins of the owning agency, never for sealed records.
//! Administering users: admins, within their agency. A disabled account may do nothing.

use chrono::{DateTime, Utc};
use dokaz_model::{AgencyId, Classification, Grant, GrantLevel, GrantTarget, Role, UserId};
use serde::Serialize;

use crate::consent::{check_consent, ConsentFacts, Disclosure};

/// The user a decision is about, as the request's authentication established them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user: UserId,
    pub agency: AgencyId,
    pub roles: Vec<Role>,
    pub identity_cleared: bool,
    pub disabled: bool,
}

impl Principal {
    fn has_any(&self, roles: &[Role]) -> bool {
        self.roles.iter().any(|r| roles.contains(r))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    Incident,
    Case,
    Person,
    Unit,
    Evidence,
}

impl ResourceKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Incident => "incident",
            Self::Case => "case",
            Self::Person => "person",
            Self::Unit => "unit",
            Self::Evidence => "evidence",
        }
    }
}

/// The facts about a record that a decision needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub kind: ResourceKind,
    pub agency: AgencyId,
    pub classification: Classification,
    /// What a grant may name to cover this record: the record itself and what contains it
    /// (an evidence item's incidents and case; an incident's cases).
    pub covered_by: Vec<GrantTarget>,
    /// Set on a statement (and its derivatives) and on a protected identity: the consent
    /// that governs whether it may leave its agency. `None`: consent is not consulted.
    pub consent: Option<ConsentFacts>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "action", content = "level", rename_all = "lowercase")]
pub enum Action {
    /// Read the record at a level: its metadata, its content, a copy of its bytes.
    View(GrantLevel),
    /// Create or change the record, or add evidence to it.
    Write,
    /// Revoke a grant on the record (or grant access where no consent applies).
    Share,
    /// Grant access to the record to one agency, for a purpose: `Share`, and consent if the
    /// record carries it.
    ShareWith(Disclosure),
    /// Export the record (a copy of its bytes) to a recipient: `View(Download)`, and consent
    /// if the record carries it.
    Export(Disclosure),
}

/// A decision and the rule that made it, in words fit for the audit log and for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub allowed: bool,
    pub reason: String,
}

impl Verdict {
    pub(crate) fn allow(reason: impl Into<String>) -> Self {
        Self {
            allowed: true,
            reason: reason.into(),
        }
    }

    pub(crate) fn deny(reason: impl Into<String>) -> Self {
        Self {
            allowed: false,
            reason: reason.into(),
        }
    }
}

const READERS: &[Role] = &[Role::Investigator, Role::Analyst, Role::Prosecutor];
const WRITERS: &[Role] = &[Role::Investigator, Role::Prosecutor];
const SHARERS: &[Role] = &[Role::Prosecutor, Role::Admin];

/// Decides whether `who` may do `action` to `what`, given the grants to `who`'s agency on
/// anything in `what.covered_by` (others are ignored, so passing more is harmless).
pub fn decide(
    who: &Principal,
    action: Action,
    what: &Resource,
    grants: &[Grant],
    now: DateTime<Utc>,
) -> Verdict {
    if who.disabled {
        return Verdict::deny("the account is disabled");
    }
    let own = who.agency == what.agency;
    let kind = what.kind.code();
    match action {
        Action::Write if own && who.has_any(WRITERS) => {
            Verdict::allow(format!("own agency's {kind}, investigator or prosecutor"))
        }
        Action::Write if own => Verdict::deny(format!(
            "writing a {kind} needs the investigator or prosecutor role"
        )),
        Action::Write => Verdict::deny(format!("only the originating agency may change a {kind}")),

        Action::Share if !own => {
            Verdict::deny(format!("only the originating agency may share a {kind}"))
        }
        Action::Share if what.classification == Classification::Sealed => {
            Verdict::deny(format!("a sealed {kind} cannot be shared"))
        }
        Action::Share if who.has_any(SHARERS) => {
            Verdict::allow(format!("own agency's {kind}, prosecutor or admin"))
        }
        Action::Share => Verdict::deny("sharing needs the prosecutor or admin role"),

        Action::ShareWith(d) => {
            let v = decide(who, Action::Share, what, grants, now);
            with_consent(v, what, &d, now)
        }
        Action::Export(d) => {
            let v = view(who, GrantLevel::Download, what, grants, now);
            with_consent(v, what, &d, now)
        }

        Action::View(level) => {
            let v = view(who, level, what, grants, now);
            // Another agency reading a statement's content is a disclosure to it, for the
            // purpose of the grant that lets it in; checked on every read, so a withdrawal
            // takes effect at the next one.
            if !v.allowed || own || level == GrantLevel::Metadata || what.consent.is_none() {
                return v;
            }
            let purpose = covering_grant(who.agency, level, what, grants, now)
                .filter(|g| g.consent_purpose.is_some())
                .or_else(|| {
                    grants.iter().find(|g| {
                        g.grantee == who.agency
                            && g.grantor == what.agency
                            && g.level >= level
                            && g.is_active(now)
                            && g.consent_purpose.is_some()
                            && what.covered_by.contains(&g.target)
                    })
                })
                .and_then(|g| g.consent_purpose);
            let asking_kind = what
                .consent
                .as_ref()
                .map(|c| c.asking_kind)
                .unwrap_or_default();
            let d = Disclosure {
                to: who.agency,
                to_kind: asking_kind,
                purpose,
            };
            with_consent(v, what, &d, now)
        }
    }
}

/// A verdict that also needs the record's consent, if it carries any.
fn with_consent(v: Verdict, what: &Resource, d: &Disclosure, now: DateTime<Utc>) -> Verdict {
    let Some(facts) = &what.consent else {
        return v;
    };
    if !v.allowed {
        return v;
    }
    match check_consent(facts, what.agency, d, now.date_naive()) {
        Ok(rule) => Verdict::allow(format!("{}; {rule}", v.reason)),
        Err(rule) => Verdict::deny(rule),
    }
}

fn view(
    who: &Principal,
    level: GrantLevel,
    what: &Resource,
    grants: &[Grant],
    now: DateTime<Utc>,
) -> Verdict {
    let kind = what.kind.code();
    let own = who.agency == what.agency;
    if own && who.has_any(READERS) {
        return Verdict::allow(format!("own agency's {kind}"));
    }
    if own && who.roles.contains(&Role::Admin) && level == GrantLevel::Metadata {
        return Verdict::allow(format!("own agency's {kind}, metadata for an admin"));
    }
    if !who.has_any(READERS) {
        return Verdict::deny(format!(
            "viewing the {level} of a {kind} needs the investigator, analyst or prosecutor role"
        ));
    }
    // Another agency's record.
    match what.classification {
        Classification::Sealed => {
            Verdict::deny(format!("a sealed {kind} is seen by its own agency only"))
        }
        Classification::Open if level <= GrantLevel::Content => {
            Verdict::allow(format!("an open {kind}"))
        }
        _ => match covering_grant(who.agency, level, what, grants, now) {
            Some(g) => Verdict::allow(format!(
                "grant {} ({} until {}) for: {}",
                g.id,
                g.level,
                g.expires_at
                    .map(|e| e.format("%Y-%m-%d").to_string())
                    .unwrap_or_else(|| "revoked".into()),
                g.purpose
            )),
            None => Verdict::deny(format!(
                "no active grant of {level} on this {kind} to your agency"
            )),
        },
    }
}

fn covering_grant<'g>(
    agency: AgencyId,
    level: GrantLevel,
    what: &Resource,
    grants: &'g [Grant],
    now: DateTime<Utc>,
) -> Option<&'g Grant> {
    grants.iter().find(|g| {
        g.grantee == agency
            && g.grantor == what.agency
            && g.level >= level
            && g.is_active(now)
            && what.covered_by.contains(&g.target)
    })
}
