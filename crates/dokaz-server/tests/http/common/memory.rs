//! An in-memory session, grant and audit store, for the HTTP tests while the SQL backends'
//! implementations are not in every `Store` yet. It follows the trait contracts literally
//! (hashes only, `NotFound`/`Conflict` where the traits say), so the tests exercise the
//! server, not this double.

use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dokaz_model::{AgencyId, ApiTokenId, AuditRecord, Grant, GrantId, GrantTarget, UserId};
use dokaz_store::{
    ApiToken, AuditFilter, AuditStore, GrantFilter, GrantStore, Page, PageRequest, Session,
    SessionStore, StoreError, StoreResult,
};

#[derive(Debug, Default)]
pub struct MemoryAccess {
    sessions: Mutex<Vec<Session>>,
    tokens: Mutex<Vec<ApiToken>>,
    grants: Mutex<Vec<Grant>>,
    audit: Mutex<Vec<AuditRecord>>,
}

fn page<T: Clone>(rows: Vec<T>, req: PageRequest, id: impl Fn(&T) -> uuid::Uuid) -> Page<T> {
    let after = req.after_uuid();
    let rows: Vec<T> = rows
        .into_iter()
        .filter(|r| id(r) > after)
        .take(req.fetch_limit() as usize)
        .collect();
    Page::from_rows(rows, &req, id)
}

#[async_trait]
impl SessionStore for MemoryAccess {
    async fn create_session(&self, session: &Session) -> StoreResult<()> {
        self.sessions.lock().unwrap().push(session.clone());
        Ok(())
    }
    async fn session(&self, token_hash: &[u8; 32]) -> StoreResult<Session> {
        let s = self.sessions.lock().unwrap();
        s.iter()
            .find(|s| &s.token_hash == token_hash)
            .cloned()
            .ok_or_else(|| StoreError::not_found("session", "…"))
    }
    async fn touch_session(&self, token_hash: &[u8; 32], at: DateTime<Utc>) -> StoreResult<()> {
        let mut s = self.sessions.lock().unwrap();
        match s.iter_mut().find(|s| &s.token_hash == token_hash) {
            Some(s) => {
                s.last_seen_at = at;
                Ok(())
            }
            None => Err(StoreError::not_found("session", "…")),
        }
    }
    async fn delete_session(&self, token_hash: &[u8; 32]) -> StoreResult<()> {
        let mut s = self.sessions.lock().unwrap();
        let before = s.len();
        s.retain(|s| &s.token_hash != token_hash);
        if s.len() == before {
            return Err(StoreError::not_found("session", "…"));
        }
        Ok(())
    }
    async fn delete_user_sessions(&self, user: UserId) -> StoreResult<u64> {
        let mut s = self.sessions.lock().unwrap();
        let before = s.len();
        s.retain(|s| s.user != user);
        Ok((before - s.len()) as u64)
    }
    async fn create_api_token(&self, token: &ApiToken) -> StoreResult<()> {
        let mut t = self.tokens.lock().unwrap();
        if t.iter()
            .any(|x| x.user == token.user && x.name == token.name)
        {
            return Err(StoreError::Conflict {
                what: format!("you already have a token named {:?}", token.name),
            });
        }
        t.push(token.clone());
        Ok(())
    }
    async fn api_token(&self, token_hash: &[u8; 32]) -> StoreResult<ApiToken> {
        let t = self.tokens.lock().unwrap();
        t.iter()
            .find(|t| &t.token_hash == token_hash)
            .cloned()
            .ok_or_else(|| StoreError::not_found("api token", "…"))
    }
    async fn revoke_api_token(&self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<()> {
        let mut t = self.tokens.lock().unwrap();
        match t.iter_mut().find(|t| t.id == id) {
            Some(t) => {
                t.revoked_at = Some(at);
                Ok(())
            }
            None => Err(StoreError::not_found("api token", id)),
        }
    }
    async fn list_api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        let t = self.tokens.lock().unwrap();
        Ok(t.iter().filter(|t| t.user == user).cloned().collect())
    }
}

#[async_trait]
impl GrantStore for MemoryAccess {
    async fn create_grant(&self, grant: &Grant) -> StoreResult<()> {
        self.grants.lock().unwrap().push(grant.clone());
        Ok(())
    }
    async fn grant(&self, id: GrantId) -> StoreResult<Grant> {
        let g = self.grants.lock().unwrap();
        g.iter()
            .find(|g| g.id == id)
            .cloned()
            .ok_or_else(|| StoreError::not_found("grant", id))
    }
    async fn revoke_grant(&self, id: GrantId, by: UserId, at: DateTime<Utc>) -> StoreResult<Grant> {
        let mut g = self.grants.lock().unwrap();
        let g = g
            .iter_mut()
            .find(|g| g.id == id)
            .ok_or_else(|| StoreError::not_found("grant", id))?;
        if g.revoked_at.is_some() {
            return Err(StoreError::Conflict {
                what: "the grant is already revoked".into(),
            });
        }
        g.revoked_at = Some(at);
        g.revoked_by = Some(by);
        Ok(g.clone())
    }
    async fn grants_for(
        &self,
        grantee: AgencyId,
        targets: &[GrantTarget],
    ) -> StoreResult<Vec<Grant>> {
        let g = self.grants.lock().unwrap();
        Ok(g.iter()
            .filter(|g| g.grantee == grantee && targets.contains(&g.target))
            .cloned()
            .collect())
    }
    async fn list_grants(&self, f: &GrantFilter, req: PageRequest) -> StoreResult<Page<Grant>> {
        let g = self.grants.lock().unwrap();
        let rows = g
            .iter()
            .filter(|g| f.grantor.is_none_or(|a| a == g.grantor))
            .filter(|g| f.grantee.is_none_or(|a| a == g.grantee))
            .cloned()
            .collect();
        Ok(page(rows, req, |g| g.id.as_uuid()))
    }
}

#[async_trait]
impl AuditStore for MemoryAccess {
    async fn append_audit(&self, records: &[AuditRecord]) -> StoreResult<Vec<u64>> {
        let mut a = self.audit.lock().unwrap();
        let start = a.len() as u64;
        a.extend(records.iter().cloned());
        Ok((start..start + records.len() as u64).collect())
    }
    async fn list_audit(
        &self,
        f: &AuditFilter,
        req: PageRequest,
    ) -> StoreResult<Page<AuditRecord>> {
        let a = self.audit.lock().unwrap();
        let rows = a
            .iter()
            .filter(|r| f.agency.is_none_or(|x| r.agency == Some(x)))
            .filter(|r| f.actor.is_none_or(|x| r.actor == Some(x)))
            .filter(|r| {
                f.action.as_deref().is_none_or(|x| {
                    if x.ends_with('.') {
                        r.action.starts_with(x)
                    } else {
                        r.action == x
                    }
                })
            })
            .filter(|r| f.decision.is_none_or(|d| r.decision == d))
            .filter(|r| f.from.is_none_or(|t| r.at >= t))
            .filter(|r| f.to.is_none_or(|t| r.at < t))
            .cloned()
            .collect();
        Ok(page(rows, req, |r| r.id.as_uuid()))
    }
}
