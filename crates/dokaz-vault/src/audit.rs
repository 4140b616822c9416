//! Audit records into the ledger: the HTTP API's every access decision, login and grant is
//! appended here, through the same sequencer as custody events, so that no audit row can be
//! removed without the log showing it.

use dokaz_model::AuditRecord;
use tracing::instrument;

use crate::error::{VaultError, VaultResult};
use crate::vault::Vault;

impl Vault {
    /// Appends audit records (each row with its ledger entry) and returns their ledger
    /// indexes once durable. Concurrent callers are grouped into one transaction.
    #[instrument(skip_all, fields(records = records.len()), err)]
    pub async fn append_audit(&self, records: Vec<AuditRecord>) -> VaultResult<Vec<u64>> {
        if let Some(why) = self.diverged() {
            return Err(VaultError::LedgerDiverged(why.to_owned()));
        }
        self.inner.sequencer.submit_audit(records).await
    }
}
