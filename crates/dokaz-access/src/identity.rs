//! Protected identities of witnesses and victims: who may see them, and the stable
//! pseudonym everyone else sees instead.

use dokaz_model::{AgencyId, PersonId, Role};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::policy::Principal;

/// Whether `who` may see the identity (names, birth date, origin) of a protected person
/// recorded by `owner`: only users of the originating agency who hold identity clearance
/// and work on cases (investigator or prosecutor). Unprotected persons are not asked about.
pub fn may_see_identity(who: &Principal, owner: AgencyId) -> bool {
    !who.disabled
        && who.agency == owner
        && who.identity_cleared
        && who
            .roles
            .iter()
            .any(|r| matches!(r, Role::Investigator | Role::Prosecutor))
}

/// A stable pseudonym for a person, `P-` and 10 characters of base32: the same person gets
/// the same pseudonym in every response, so analysts can still count and connect, but it is
/// keyed with the node's secret, so nobody without the key can test a guess of the id.
pub fn pseudonym(key: &[u8], person: PersonId) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(person.as_uuid().as_bytes());
    let tag = mac.finalize().into_bytes();
    // 10 characters × 5 bits from the first 50 bits of the tag.
    let bits = u64::from_be_bytes(tag[..8].try_into().expect("8 bytes"));
    let mut s = String::from("P-");
    for i in 0..10 {
        s.push(char::from(ALPHABET[((bits >> (59 - 5 * i)) & 31) as usize]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokaz_model::UserId;

    fn user(agency: AgencyId, roles: &[Role], cleared: bool) -> Principal {
        Principal {
            user: UserId::new(),
            agency,
            roles: roles.to_vec(),
            identity_cleared: cleared,
            disabled: false,
        }
    }

    #[test]
    fn only_cleared_case_workers_of_the_owner_see_identities() {
        let (own, other) = (AgencyId::new(), AgencyId::new());
        assert!(may_see_identity(
            &user(own, &[Role::Investigator], true),
            own
        ));
        assert!(may_see_identity(&user(own, &[Role::Prosecutor], true), own));
        assert!(!may_see_identity(
            &user(own, &[Role::Investigator], false),
            own
        ));
        assert!(!may_see_identity(&user(own, &[Role::Analyst], true), own));
        assert!(!may_see_identity(&user(own, &[Role::Admin], true), own));
        assert!(!may_see_identity(
            &user(other, &[Role::Investigator], true),
            own
        ));
        let mut disabled = user(own, &[Role::Investigator], true);
        disabled.disabled = true;
        assert!(!may_see_identity(&disabled, own));
    }

    #[test]
    fn pseudonyms_are_stable_distinct_and_keyed() {
        let (p, q) = (PersonId::new(), PersonId::new());
        let a = pseudonym(b"node secret", p);
        assert_eq!(a, pseudonym(b"node secret", p));
        assert_ne!(a, pseudonym(b"node secret", q));
        assert_ne!(a, pseudonym(b"another node", p));
        assert_eq!(a.len(), 12);
        assert!(a.starts_with("P-"));
    }
}
