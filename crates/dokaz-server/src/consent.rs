//! The consent facts of an evidence item, for `dokaz_access::decide`: a statement (an item
//! recorded with the person who gave it, and every derivative of one) carries the consents
//! of that person — general ones and those given for the statement or any item it was made
//! from — and whether it shows who the person is (not if it is, or comes from, a
//! redaction). Gathered only when another agency asks: the own agency's reads are not
//! disclosures.

use dokaz_access::ConsentFacts;
use dokaz_model::{AgencyId, DerivativeKind, Evidence};
use dokaz_store::{Store, StoreResult};

/// How far up a chain of derivatives is followed; real chains are two or three long.
const MAX_CHAIN: usize = 16;

/// `None` when the item is no statement, or when `recipient` — the agency asking to read
/// it, or the grantee of a grant on it — is its own agency.
pub async fn of_evidence(
    store: &dyn Store,
    item: &Evidence,
    recipient: AgencyId,
) -> StoreResult<Option<ConsentFacts>> {
    if recipient == item.agency {
        return Ok(None);
    }
    let Some(person) = item.collection.as_ref().and_then(|c| c.statement_by) else {
        return Ok(None);
    };
    // The item and every item it was made from; a redaction anywhere up the chain hides
    // the identity.
    let mut chain = vec![item.id];
    let mut reveals_identity = true;
    let mut at = item.derived_from.clone();
    while let Some(d) = at {
        if matches!(d.kind, DerivativeKind::Redacted { .. }) {
            reveals_identity = false;
        }
        if chain.len() > MAX_CHAIN {
            break;
        }
        chain.push(d.original);
        at = store.evidence(d.original).await?.derived_from;
    }
    // The person's general consents, and those given for a statement of this chain.
    let mut consents = store.consents_of_person(person).await?;
    consents.retain(|c| c.statement.is_none_or(|s| chain.contains(&s)));
    let asking_kind = store.agency(recipient).await?.kind;
    Ok(Some(ConsentFacts {
        consents,
        reveals_identity,
        asking_kind,
    }))
}
