//! Custody events after intake: who did what to an item, each one a ledger entry. Seal,
//! unseal and tombstone also change the item's row, in the same transaction as the event.

use std::collections::BTreeMap;

use dokaz_model::{Classification, CustodyAction, CustodyEvent, Ern, EvidenceState, UserId};
use dokaz_store::{CustodyRecord, CustodyWrite, EvidenceChange};
use tracing::instrument;

use crate::error::{VaultError, VaultResult};
use crate::Vault;

impl Vault {
    /// Records a custody event on the item `ern`: access, transfer, export, seal, unseal,
    /// annotate, share, revoke or tombstone (intake goes through [`Vault::ingest`]).
    /// An unseal restores the classification named in `details["classification"]`
    /// (default `restricted`). Returns the stored event with its ledger index.
    // Reasons and details are free text that may name a protected person: not logged.
    #[instrument(skip(self, reason, details), fields(action = %action), err(level = "info"))]
    pub async fn record(
        &self,
        ern: &Ern,
        action: CustodyAction,
        actor: Option<UserId>,
        reason: &str,
        details: BTreeMap<String, String>,
    ) -> VaultResult<CustodyRecord> {
        if let Some(why) = self.diverged() {
            return Err(VaultError::LedgerDiverged(why.to_owned()));
        }
        let changes_row = matches!(
            action,
            CustodyAction::Seal | CustodyAction::Unseal | CustodyAction::Tombstone
        );
        // Row-changing events read the row and write it back; one at a time.
        let _guard = if changes_row {
            Some(self.inner.row_changes.lock().await)
        } else {
            None
        };
        let item = self.item(ern).await?;
        let transition = |reason: &str| VaultError::Transition {
            ern: ern.clone(),
            action: action.code(),
            reason: reason.to_owned(),
        };
        let mut event = CustodyEvent::new(
            item.id,
            item.ern.clone(),
            item.sha256,
            action,
            actor,
            item.agency,
        );
        event.reason = reason.to_owned();
        let mut updated = item.clone();
        match action {
            CustodyAction::Intake => return Err(transition("intake goes through ingest")),
            CustodyAction::Derive => return Err(transition("derivatives are made through derive")),
            CustodyAction::Seal => {
                if item.classification == Classification::Sealed {
                    return Err(transition("already sealed"));
                }
                event.previous_state = Some(item.classification.code().to_owned());
                updated.classification = Classification::Sealed;
            }
            CustodyAction::Unseal => {
                if item.classification != Classification::Sealed {
                    return Err(transition("not sealed"));
                }
                let to = match details.get("classification") {
                    Some(c) => c.parse().map_err(|reason| VaultError::Invalid {
                        field: "details.classification",
                        reason,
                    })?,
                    None => Classification::Restricted,
                };
                if to == Classification::Sealed {
                    return Err(transition("unsealing to sealed"));
                }
                event.previous_state = Some(item.classification.code().to_owned());
                updated.classification = to;
            }
            CustodyAction::Tombstone => {
                if item.state == EvidenceState::Tombstoned {
                    return Err(transition("already tombstoned"));
                }
                event.previous_state = Some("active".to_owned());
                updated.state = EvidenceState::Tombstoned;
            }
            _ => {}
        }
        if item.state == EvidenceState::Tombstoned && action != CustodyAction::Access {
            return Err(transition("the item is tombstoned"));
        }
        event.details = details;
        let change = if changes_row {
            EvidenceChange::Update(updated)
        } else {
            EvidenceChange::None
        };
        let ledger_index = self.append_one(event.clone(), change).await?;
        Ok(CustodyRecord {
            ledger_index,
            event,
        })
    }

    /// Appends custody events that were validated elsewhere — replayed from a verified
    /// bundle, or generated in bulk — without looking each item up or checking its state;
    /// the store still refuses an event for an unknown item. They change no registry row.
    /// Returns their ledger indexes, in order, once durable. Concurrent callers are grouped
    /// into one transaction like every other write.
    #[instrument(skip_all, fields(events = events.len()), err)]
    pub async fn append_events(&self, events: Vec<CustodyEvent>) -> VaultResult<Vec<u64>> {
        if let Some(why) = self.diverged() {
            return Err(VaultError::LedgerDiverged(why.to_owned()));
        }
        let writes = events
            .into_iter()
            .map(|event| CustodyWrite {
                event,
                change: EvidenceChange::None,
            })
            .collect();
        self.inner.sequencer.submit(writes).await
    }

    /// The item's custody history, oldest first.
    #[instrument(skip(self), err(level = "info"))]
    pub async fn history(&self, ern: &Ern) -> VaultResult<Vec<CustodyRecord>> {
        let item = self.item(ern).await?;
        Ok(self.inner.ledger.custody_history(item.id).await?)
    }

    /// The registered item with this ERN.
    pub async fn item(&self, ern: &Ern) -> VaultResult<dokaz_model::Evidence> {
        match self.inner.evidence.evidence_by_ern(ern).await {
            Err(dokaz_store::StoreError::NotFound { .. }) => {
                Err(VaultError::UnknownErn(ern.clone()))
            }
            r => Ok(r?),
        }
    }
}
