//! Consent rules: whether a person's consent allows a statement — or their identity — to go
//! to a recipient for a purpose. Asked by [`crate::decide`] whenever a record that carries
//! consent facts leaves its agency: a grant on it (`ShareWith`), an export (`Export`), and
//! every read of its content by another agency, so a withdrawal takes effect at the next
//! request. Past disclosures stay where they are: on the audit record.
//!
//! Each refusal names its rule:
//!
//! | rule | refuses when |
//! |---|---|
//! | `consent.required` | no consent of the person is on record for the statement |
//! | `consent.withdrawn` | every consent that covered it was withdrawn |
//! | `consent.purpose-stated` | the grant or export names no consent purpose |
//! | `consent.purpose` | no consent in force allows that purpose |
//! | `consent.recipient` | none allowing the purpose names that recipient |
//! | `consent.identity` | the item reveals the person's identity and no such consent allows it (a redacted derivative may go) |

use chrono::NaiveDate;
use dokaz_model::{AgencyId, AgencyKind, Consent, Purpose};

/// What a decision about a statement or protected identity needs to know of consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentFacts {
    /// Every consent that covers the item — the person's general ones and the statement's
    /// own — in force or withdrawn.
    pub consents: Vec<Consent>,
    /// Whether disclosing the item discloses who the person is (false for a redacted
    /// derivative).
    pub reveals_identity: bool,
    /// The kind of the agency asking, when another agency reads the item: it is then the
    /// recipient.
    pub asking_kind: AgencyKind,
}

/// Where an item goes and why: the grantee of a grant, the addressee of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Disclosure {
    pub to: AgencyId,
    pub to_kind: AgencyKind,
    /// The purpose in consent's words; a disclosure without one is refused.
    pub purpose: Option<Purpose>,
}

/// `Ok(rule that allowed)` or `Err(rule that refused)`, in words for the user and the audit
/// log. `owner` is the agency that holds the statement and took the consent.
pub fn check_consent(
    facts: &ConsentFacts,
    owner: AgencyId,
    d: &Disclosure,
    today: NaiveDate,
) -> Result<String, String> {
    if facts.consents.is_empty() {
        return Err("consent rule consent.required: no consent of the person is on record for this statement".into());
    }
    let active: Vec<&Consent> = facts
        .consents
        .iter()
        .filter(|c| c.is_active(today))
        .collect();
    if active.is_empty() {
        let last = facts.consents.iter().filter_map(|c| c.withdrawn_on).max();
        return Err(match last {
            Some(w) => {
                format!("consent rule consent.withdrawn: the person withdrew consent on {w}")
            }
            None => "consent rule consent.withdrawn: no consent is in force today".into(),
        });
    }
    let Some(purpose) = d.purpose else {
        return Err("consent rule consent.purpose-stated: a grant or export of a statement must name its consent purpose (investigation, prosecution, documentation or research)".into());
    };
    let for_purpose: Vec<&Consent> = active
        .into_iter()
        .filter(|c| c.purposes.contains(&purpose))
        .collect();
    if for_purpose.is_empty() {
        return Err(format!(
            "consent rule consent.purpose: the person's consent does not allow use for {purpose}"
        ));
    }
    let to_recipient: Vec<&Consent> = for_purpose
        .into_iter()
        .filter(|c| {
            c.recipients
                .iter()
                .any(|r| r.includes(owner, d.to, d.to_kind))
        })
        .collect();
    if to_recipient.is_empty() {
        return Err(format!(
            "consent rule consent.recipient: the person's consent for {purpose} does not name this recipient ({})",
            d.to_kind.code()
        ));
    }
    match to_recipient
        .into_iter()
        .find(|c| c.identity_disclosure || !facts.reveals_identity)
    {
        Some(c) => Ok(format!("consent {} allows {purpose} by this recipient", c.id)),
        None => Err("consent rule consent.identity: the person did not consent to disclosing their identity; share a redacted derivative instead".into()),
    }
}
