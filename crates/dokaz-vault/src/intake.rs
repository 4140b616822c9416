//! Intake: bytes in, evidence item out. The order is what makes a crash harmless: the blob
//! is durable first, then one transaction writes the row, the intake event and its ledger
//! leaf; only then is the intake reported. A crash between leaves a blob no row refers to,
//! which `fsck` reports and removes.

use std::collections::BTreeMap;

use chrono::{SubsecRound, Utc};
use dokaz_model::{
    AgencyCode, AgencyId, CaseId, Classification, CollectionMethod, CollectionRecord,
    CustodyAction, CustodyEvent, Ern, Evidence, EvidenceId, EvidenceState, IncidentId, Sha256,
    UserId, NO_CASE_SEGMENT,
};
use dokaz_store::{CustodyWrite, EvidenceChange, EvidenceFilter, PageRequest};
use serde::Serialize;
use tokio::io::AsyncRead;
use tracing::instrument;

use crate::error::{VaultError, VaultResult};
use crate::sniff::sniff;
use crate::Vault;

/// Everything known about an item at intake besides its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct IntakeRequest {
    pub agency: AgencyId,
    /// The agency's code, the first part of the ERN.
    pub agency_code: AgencyCode,
    /// The case the item belongs to and its reference (which gives the ERN's case segment).
    pub case: Option<(CaseId, String)>,
    pub original_name: String,
    pub collector: String,
    pub method: CollectionMethod,
    pub source_url: Option<String>,
    pub incidents: Vec<IncidentId>,
    pub classification: Classification,
    pub actor: Option<UserId>,
    /// The hash the collector recorded, if any; a mismatch refuses the intake.
    pub declared_sha256: Option<Sha256>,
    /// How the item was collected; `None`: dokaz's own record (an upload). The declared
    /// hash is copied into it.
    pub collection: Option<CollectionRecord>,
}

/// What an intake produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntakeReceipt {
    /// The item: new, or — for bytes this agency already holds — the existing one.
    pub evidence: Evidence,
    pub ern: Ern,
    pub sha256: Sha256,
    /// Set when the agency already held these bytes: the intake was recorded as an event
    /// on that item and no new ERN was issued.
    pub duplicate_of: Option<Ern>,
    /// The intake event's position in the ledger.
    pub ledger_index: u64,
}

impl Vault {
    /// Ingests a stream. Identical bytes are stored once. A second intake of the same bytes
    /// by the same agency becomes an intake event on the first item (with `duplicate_of` in
    /// its details) and returns that item; another agency gets its own item sharing the
    /// blob. If `declared_sha256` does not match, nothing is written.
    // No file name in the span: names can carry a protected identity.
    #[instrument(skip_all, fields(agency = %req.agency_code), err(level = "info"))]
    pub async fn ingest<R: AsyncRead + Unpin + Send>(
        &self,
        reader: R,
        req: IntakeRequest,
    ) -> VaultResult<IntakeReceipt> {
        if let Some(why) = self.diverged() {
            return Err(VaultError::LedgerDiverged(why.to_owned()));
        }
        let mut collection = req
            .collection
            .clone()
            .unwrap_or_else(CollectionRecord::dokaz);
        collection.declared_sha256 = req.declared_sha256;
        self.check_linked(req.agency, &collection).await?;
        let segment = match &req.case {
            Some((_, reference)) => {
                Ern::case_segment(reference).map_err(|reason| VaultError::Invalid {
                    field: "case",
                    reason,
                })?
            }
            None => NO_CASE_SEGMENT.to_owned(),
        };
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
            agency: req.agency,
            // Replaced by the reserved ERN below; a valid placeholder lets the record be
            // validated before anything is reserved or stored.
            ern: Ern::new(req.agency_code.clone(), &segment, 1).map_err(|reason| {
                VaultError::Invalid {
                    field: "agency_code",
                    reason,
                }
            })?,
            sha256,
            size,
            media_type: sniffed.media_type.clone(),
            original_name: req.original_name.clone(),
            captured_at: sniffed.captured_at,
            captured_location: sniffed.captured_location.clone(),
            collector: req.collector.clone(),
            method: req.method,
            source_url: req.source_url.clone(),
            incidents: req.incidents.clone(),
            case: req.case.as_ref().map(|(id, _)| *id),
            classification: req.classification,
            state: EvidenceState::Active,
            collection: Some(collection.clone()),
            derived_from: None,
            created_by: req.actor,
            created_at: Utc::now().trunc_subsecs(6),
        };
        if let Err(problems) = evidence.validate() {
            blobs.discard(staged).await?;
            return Err(VaultError::Record(problems));
        }
        let _same_bytes = self.inner.intake_lock(&req.agency, &sha256).lock().await;
        let existing = self.held_by(req.agency, &sha256).await?;
        // The blob is durable before any row or event refers to it.
        blobs.promote(staged).await?;

        let mut details: BTreeMap<String, String> = collection.details().into_iter().collect();
        details.insert("size".to_owned(), size.to_string());
        details.insert("media_type".to_owned(), evidence.media_type.clone());
        if sniffed.captured_at_assumed_utc {
            details.insert(
                "captured_at_zone".to_owned(),
                "unknown, read as UTC".to_owned(),
            );
        }
        if let Some(first) = existing {
            details.insert("duplicate_of".to_owned(), first.ern.to_string());
            let mut event = CustodyEvent::new(
                first.id,
                first.ern.clone(),
                sha256,
                CustodyAction::Intake,
                req.actor,
                req.agency,
            );
            event.details = details;
            let index = self.append_one(event, EvidenceChange::None).await?;
            return Ok(IntakeReceipt {
                ern: first.ern.clone(),
                duplicate_of: Some(first.ern.clone()),
                evidence: first,
                sha256,
                ledger_index: index,
            });
        }
        let seq = self
            .inner
            .evidence
            .next_ern_sequence(req.agency, &segment)
            .await?;
        evidence.ern = Ern::new(req.agency_code.clone(), &segment, seq).map_err(|reason| {
            VaultError::Invalid {
                field: "ern",
                reason,
            }
        })?;
        let mut event = CustodyEvent::new(
            evidence.id,
            evidence.ern.clone(),
            sha256,
            CustodyAction::Intake,
            req.actor,
            req.agency,
        );
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

    /// The page source and screenshot a collection record links must be items of the same
    /// agency already in the vault; checked before anything is stored.
    pub(crate) async fn check_linked(
        &self,
        agency: AgencyId,
        c: &CollectionRecord,
    ) -> VaultResult<()> {
        for (field, ern) in [
            ("collection.html", &c.html),
            ("collection.screenshot", &c.screenshot),
        ] {
            let Some(ern) = ern else { continue };
            match self.item(ern).await {
                Ok(linked) if linked.agency == agency => {}
                Ok(_) | Err(VaultError::UnknownErn(_)) => {
                    return Err(VaultError::Invalid {
                        field,
                        reason: format!("{ern} is not an item of this agency"),
                    })
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The agency's first item with these bytes, if it has one. Looked up by digest alone:
    /// few items share one blob, and the digest index finds them directly, where adding the
    /// agency lets SQLite walk the agency's whole index instead.
    async fn held_by(&self, agency: AgencyId, sha256: &Sha256) -> VaultResult<Option<Evidence>> {
        let filter = EvidenceFilter {
            sha256: Some(*sha256),
            ..EvidenceFilter::default()
        };
        let mut page = PageRequest::first(dokaz_store::MAX_PAGE_SIZE);
        loop {
            let p = self.inner.evidence.list_evidence(&filter, page).await?;
            if let Some(found) = p.items.into_iter().find(|e| e.agency == agency) {
                return Ok(Some(found));
            }
            match p.next {
                Some(c) => page.after = Some(dokaz_store::Cursor::decode(&c)?),
                None => return Ok(None),
            }
        }
    }

    /// One custody write through the sequencer; its ledger index once durable.
    pub(crate) async fn append_one(
        &self,
        event: CustodyEvent,
        change: EvidenceChange,
    ) -> VaultResult<u64> {
        let indexes = self
            .inner
            .sequencer
            .submit(vec![CustodyWrite { event, change }])
            .await?;
        indexes
            .first()
            .copied()
            .ok_or_else(|| VaultError::Stopped("no index returned".into()))
    }
}
