//! The storage contract of access: login sessions and API tokens (kept only as hashes of
//! their secrets), grants between agencies, and the audit log.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dokaz_model::{
    AgencyId, ApiTokenId, AuditRecord, Decision, Grant, GrantId, GrantTarget, UserId,
};

use crate::error::StoreResult;
use crate::page::{Page, PageRequest};

/// A login session. The token itself is never stored: a database dump must not let anyone
/// log in, so only its SHA-256 is kept and looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: [u8; 32],
    pub user: UserId,
    pub created_at: DateTime<Utc>,
    /// The absolute end, whatever the activity.
    pub expires_at: DateTime<Utc>,
    /// The last request; the idle limit counts from here.
    pub last_seen_at: DateTime<Utc>,
    pub address: String,
}

/// A named, scoped, revocable token for scripts; like sessions, only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub user: UserId,
    pub name: String,
    pub token_hash: [u8; 32],
    /// What the token may do (`read`, `write`, …); empty means nothing.
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn create_session(&self, session: &Session) -> StoreResult<()>;
    /// `NotFound` for an unknown hash.
    async fn session(&self, token_hash: &[u8; 32]) -> StoreResult<Session>;
    async fn touch_session(&self, token_hash: &[u8; 32], at: DateTime<Utc>) -> StoreResult<()>;
    /// Ends a session (logout); `NotFound` if there was none.
    async fn delete_session(&self, token_hash: &[u8; 32]) -> StoreResult<()>;
    /// Ends every session of a user (disabled account, password change); returns how many.
    async fn delete_user_sessions(&self, user: UserId) -> StoreResult<u64>;
    /// `Conflict` if the user already has a token of that name.
    async fn create_api_token(&self, token: &ApiToken) -> StoreResult<()>;
    async fn api_token(&self, token_hash: &[u8; 32]) -> StoreResult<ApiToken>;
    /// `NotFound` if there is no such token.
    async fn revoke_api_token(&self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<()>;
    async fn list_api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiToken>>;
}

/// Which grants a list covers. Empty means all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GrantFilter {
    pub grantor: Option<AgencyId>,
    pub grantee: Option<AgencyId>,
}

#[async_trait]
pub trait GrantStore: Send + Sync {
    async fn create_grant(&self, grant: &Grant) -> StoreResult<()>;
    async fn grant(&self, id: GrantId) -> StoreResult<Grant>;
    /// Marks a grant revoked and returns it; `NotFound` if unknown, `Conflict` if already
    /// revoked. Grants are never deleted: they are part of the record of who saw what.
    async fn revoke_grant(&self, id: GrantId, by: UserId, at: DateTime<Utc>) -> StoreResult<Grant>;
    /// Every grant, active or not, to `grantee` on any of `targets`: what an access
    /// decision needs. The caller checks [`Grant::is_active`].
    async fn grants_for(
        &self,
        grantee: AgencyId,
        targets: &[GrantTarget],
    ) -> StoreResult<Vec<Grant>>;
    async fn list_grants(
        &self,
        filter: &GrantFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Grant>>;
}

/// Which audit records a list covers. Empty means all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    pub agency: Option<AgencyId>,
    pub actor: Option<UserId>,
    /// Exact action (`evidence.download`) or a prefix ending in `.` (`evidence.`).
    pub action: Option<String>,
    pub decision: Option<Decision>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends audit records in one transaction, each with its ledger entry (kind `audit`,
    /// `record.ledger_entry()`), at consecutive ledger indexes after the current size — the
    /// same sequence as custody events. All or nothing; durable when it returns.
    async fn append_audit(&self, records: &[AuditRecord]) -> StoreResult<Vec<u64>>;
    async fn list_audit(
        &self,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> StoreResult<Page<AuditRecord>>;
    /// Every audit record with `from <= ledger index < to`, with its index, in ledger
    /// order: what `fsck` compares with the ledger's `audit` entries.
    async fn audit_range(&self, from: u64, to: u64) -> StoreResult<Vec<(u64, AuditRecord)>>;
}
