//! Decisions that concern the deployment rather than a record: administering an agency's
//! users, adding agencies, reading the audit log. Here beside the record policy, so that
//! every authorisation dokaz makes is in this crate.
//!
//! | action | who |
//! |---|---|
//! | manage users (create, list, disable) | admins, for their own agency's users |
//! | create an agency | admins of the deployment's agency (the node's first) |
//! | read the audit log | auditors, of their own agency's records |

use dokaz_model::{AgencyId, Role};
use serde::Serialize;

use crate::policy::{Principal, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdminAction {
    /// Create, list or disable the users of `agency`.
    ManageUsers { agency: AgencyId },
    /// Add an agency to a deployment administered by `deployment`.
    CreateAgency { deployment: AgencyId },
    /// Read the audit records of `agency`.
    ReadAudit { agency: AgencyId },
}

/// Decides an administrative action.
pub fn decide_admin(who: &Principal, action: AdminAction) -> Verdict {
    if who.disabled {
        return Verdict::deny("the account is disabled");
    }
    let has = |r: Role| who.roles.contains(&r);
    match action {
        AdminAction::ManageUsers { agency } if agency != who.agency => {
            Verdict::deny("users of another agency are administered by that agency")
        }
        AdminAction::ManageUsers { .. } if has(Role::Admin) => {
            Verdict::allow("admin of the own agency")
        }
        AdminAction::ManageUsers { .. } => Verdict::deny("managing users needs the admin role"),
        AdminAction::CreateAgency { deployment } if deployment != who.agency => {
            Verdict::deny("only admins of the node's first agency administer the deployment")
        }
        AdminAction::CreateAgency { .. } if has(Role::Admin) => {
            Verdict::allow("admin of the deployment's agency")
        }
        AdminAction::CreateAgency { .. } => Verdict::deny("adding agencies needs the admin role"),
        AdminAction::ReadAudit { agency } if agency != who.agency => {
            Verdict::deny("an agency's audit log is read by its own auditors")
        }
        AdminAction::ReadAudit { .. } if has(Role::Auditor) => {
            Verdict::allow("auditor of the own agency")
        }
        AdminAction::ReadAudit { .. } => {
            Verdict::deny("reading the audit log needs the auditor role")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokaz_model::UserId;

    fn who(agency: AgencyId, role: Role) -> Principal {
        Principal {
            user: UserId::new(),
            agency,
            roles: vec![role],
            identity_cleared: false,
            disabled: false,
        }
    }

    #[test]
    fn the_matrix() {
        let (home, other) = (AgencyId::new(), AgencyId::new());
        for role in Role::ALL {
            for (mine, agency) in [(true, home), (false, other)] {
                let p = who(home, role);
                let users = decide_admin(&p, AdminAction::ManageUsers { agency });
                assert_eq!(
                    users.allowed,
                    mine && role == Role::Admin,
                    "{role} users {mine}"
                );
                let audit = decide_admin(&p, AdminAction::ReadAudit { agency });
                assert_eq!(
                    audit.allowed,
                    mine && role == Role::Auditor,
                    "{role} audit {mine}"
                );
                let create = decide_admin(&p, AdminAction::CreateAgency { deployment: agency });
                assert_eq!(
                    create.allowed,
                    mine && role == Role::Admin,
                    "{role} agency {mine}"
                );
                let mut off = p.clone();
                off.disabled = true;
                assert!(!decide_admin(&off, AdminAction::ManageUsers { agency: home }).allowed);
            }
        }
    }
}
