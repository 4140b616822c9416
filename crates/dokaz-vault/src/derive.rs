//! Derivatives: an item made from another enters the vault as an item of its own — own
//! bytes, hash and ERN (the family root's number and a suffix naming its kind) — with a
//! `derive` custody event that names its original. The original's bytes, row and custody
//! history are not touched. A family is the root and everything derived from it.

use std::collections::BTreeMap;

use chrono::{SubsecRound, Utc};
use dokaz_model::{
    Classification, CollectionRecord, CustodyAction, CustodyEvent, Derivation, DerivativeKind, Ern,
    ErnSuffix, Evidence, EvidenceId, EvidenceState, Problems, Sha256, UserId,
};
use dokaz_store::EvidenceChange;
use tokio::io::AsyncRead;
use tracing::instrument;

use crate::error::{VaultError, VaultResult};
use crate::intake::IntakeReceipt;
use crate::sniff::sniff;
use crate::Vault;

/// What is known of a derivative besides its bytes and its original.
#[derive(Debug, Clone, PartialEq)]
pub struct DeriveRequest {
    pub kind: DerivativeKind,
    pub original_name: String,
    /// Who made it (a translator, an editor).
    pub collector: String,
    /// Default: the original's classification.
    pub classification: Option<Classification>,
    pub actor: Option<UserId>,
    /// A mismatch refuses the derivative with nothing stored.
    pub declared_sha256: Option<Sha256>,
    /// The tool that made it; `None`: dokaz's own record.
    pub collection: Option<CollectionRecord>,
    /// Why it was made, for the custody event.
    pub reason: String,
}

impl Vault {
    /// Takes in `reader` as a derivative of the item `original`. The derivative belongs to
    /// the original's agency, case and incidents, and inherits the person whose statement
    /// the original is (so the same consent governs it).
    // Names and reasons may carry a protected identity: not logged.
    #[instrument(skip_all, fields(original = %original, kind = %req.kind), err(level = "info"))]
    pub async fn derive<R: AsyncRead + Unpin + Send>(
        &self,
        original: &Ern,
        reader: R,
        req: DeriveRequest,
    ) -> VaultResult<IntakeReceipt> {
        if let Some(why) = self.diverged() {
            return Err(VaultError::LedgerDiverged(why.to_owned()));
        }
        let orig = self.item(original).await?;
        if orig.state == EvidenceState::Tombstoned {
            return Err(VaultError::Transition {
                ern: orig.ern.clone(),
                action: "derive from",
                reason: "the item is tombstoned".into(),
            });
        }
        let mut p = Problems::new();
        req.kind.check("derived_from", &mut p);
        if !p.is_empty() {
            return Err(VaultError::Record(p));
        }
        let mut collection = req
            .collection
            .clone()
            .unwrap_or_else(CollectionRecord::dokaz);
        collection.declared_sha256 = req.declared_sha256;
        collection.statement_by = orig.collection.as_ref().and_then(|c| c.statement_by);
        collection.language = req
            .kind
            .language()
            .map(str::to_owned)
            .or_else(|| orig.collection.as_ref().and_then(|c| c.language.clone()));
        let root = orig.ern.root();
        let letter = req.kind.letter();

        let blobs = &self.inner.blobs;
        let staged = blobs.stage(reader).await?;
        let (sha256, size) = (staged.sha256, staged.size);
        if let Some(declared) = req.declared_sha256 {
            if declared != sha256 {
                blobs.discard(staged).await?;
                return Err(VaultError::HashMismatch {
                    declared,
                    computed: sha256,
                });
            }
        }
        let sniffed = sniff(&staged.head, staged.head.len() as u64 == size);
        let mut evidence = Evidence {
            id: EvidenceId::new(),
            agency: orig.agency,
            ern: root.with_suffix(ErnSuffix { letter, number: 1 }),
            sha256,
            size,
            media_type: sniffed.media_type.clone(),
            original_name: req.original_name.clone(),
            captured_at: sniffed.captured_at,
            captured_location: sniffed.captured_location.clone(),
            collector: req.collector.clone(),
            method: orig.method,
            source_url: orig.source_url.clone(),
            incidents: orig.incidents.clone(),
            case: orig.case,
            classification: req.classification.unwrap_or(orig.classification),
            state: EvidenceState::Active,
            collection: Some(collection.clone()),
            derived_from: Some(Derivation {
                original: orig.id,
                original_ern: orig.ern.clone(),
                original_sha256: orig.sha256,
                kind: req.kind.clone(),
            }),
            created_by: req.actor,
            created_at: Utc::now().trunc_subsecs(6),
        };
        if let Err(problems) = evidence.validate() {
            blobs.discard(staged).await?;
            return Err(VaultError::Record(problems));
        }
        // One derivative of a family at a time, so two never take the same number.
        let _numbering = self.inner.row_changes.lock().await;
        let family = self.inner.provenance.evidence_family(&root).await?;
        let number = family
            .iter()
            .filter_map(|e| e.ern.suffix())
            .filter(|s| s.letter == letter)
            .map(|s| s.number)
            .max()
            .unwrap_or(0)
            + 1;
        evidence.ern = root.with_suffix(ErnSuffix { letter, number });
        blobs.promote(staged).await?;

        let mut details: BTreeMap<String, String> = collection.details().into_iter().collect();
        details.extend(req.kind.details());
        details.insert("derived_from".into(), orig.ern.to_string());
        details.insert("original_sha256".into(), orig.sha256.to_hex());
        details.insert("size".into(), size.to_string());
        details.insert("media_type".into(), evidence.media_type.clone());
        let mut event = CustodyEvent::new(
            evidence.id,
            evidence.ern.clone(),
            sha256,
            CustodyAction::Derive,
            req.actor,
            evidence.agency,
        );
        event.reason = req.reason.clone();
        event.details = details;
        let index = self
            .append_one(event, EvidenceChange::Insert(evidence.clone()))
            .await?;
        Ok(IntakeReceipt {
            ern: evidence.ern.clone(),
            sha256,
            duplicate_of: None,
            evidence,
            ledger_index: index,
        })
    }

    /// The family of the item `ern`: its root and every derivative, in ERN order.
    #[instrument(skip(self), err(level = "info"))]
    pub async fn family(&self, ern: &Ern) -> VaultResult<Vec<Evidence>> {
        let items = self.inner.provenance.evidence_family(&ern.root()).await?;
        if !items.iter().any(|e| &e.ern == ern) {
            return Err(VaultError::UnknownErn(ern.clone()));
        }
        Ok(items)
    }
}
