//! The parts of the store the read cache has nothing to do with, passed straight through:
//! none of them writes or reads an incident. Spelled out rather than generated, so that a
//! method added to a store trait is a compile error here until someone decides whether it
//! touches cached records.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dokaz_model::{
    Agency, AgencyCode, AgencyId, ApiTokenId, AuditRecord, Case, CaseId, Consent, ConsentId, Ern,
    Evidence, EvidenceId, Grant, GrantId, GrantTarget, Interview, Login, Match, MatchId, MatchKind,
    MatchStatus, Person, PersonId, Sha256, Unit, UnitId, User, UserId,
};
use dokaz_store::sql::batch::PreparedWrite;
use dokaz_store::{
    AgencyStore, ApiToken, ArchivedCustodyDocument, AuditFilter, AuditStore, Candidates, CaseStore,
    ConsentStore, CustodyRecord, CustodyRow, CustodyWrite, EvidenceFilter, EvidenceStore, Filing,
    GrantFilter, GrantStore, InterviewStore, LedgerEntry, LedgerStore, MatchFilter, MatchStore,
    Page, PageRequest, PersonStore, ProvenanceStore, Recorded, Session, SessionStore, StoreResult,
    StoredCheckpoint, UnitStore, UserStore,
};
use uuid::Uuid;

use super::CachedStore;

#[async_trait]
impl AgencyStore for CachedStore {
    async fn create_agency(&self, agency: &Agency) -> StoreResult<()> {
        self.inner.create_agency(agency).await
    }
    async fn agency(&self, id: AgencyId) -> StoreResult<Agency> {
        self.inner.agency(id).await
    }
    async fn agency_by_code(&self, code: &AgencyCode) -> StoreResult<Agency> {
        self.inner.agency_by_code(code).await
    }
    async fn list_agencies(&self, page: PageRequest) -> StoreResult<Page<Agency>> {
        self.inner.list_agencies(page).await
    }
}

#[async_trait]
impl UserStore for CachedStore {
    async fn create_user(&self, user: &User, password_hash: &str) -> StoreResult<()> {
        self.inner.create_user(user, password_hash).await
    }
    async fn user(&self, id: UserId) -> StoreResult<User> {
        self.inner.user(id).await
    }
    async fn credentials(&self, login: &Login) -> StoreResult<(User, String)> {
        self.inner.credentials(login).await
    }
    async fn set_password_hash(&self, id: UserId, password_hash: &str) -> StoreResult<()> {
        self.inner.set_password_hash(id, password_hash).await
    }
    async fn set_user_disabled(&self, id: UserId, disabled: bool) -> StoreResult<()> {
        self.inner.set_user_disabled(id, disabled).await
    }
    async fn list_users(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<User>> {
        self.inner.list_users(agency, page).await
    }
}

#[async_trait]
impl CaseStore for CachedStore {
    async fn create_case(&self, case: &Case) -> StoreResult<()> {
        self.inner.create_case(case).await
    }
    async fn case(&self, id: CaseId) -> StoreResult<Case> {
        self.inner.case(id).await
    }
    async fn case_by_reference(&self, agency: AgencyId, reference: &str) -> StoreResult<Case> {
        self.inner.case_by_reference(agency, reference).await
    }
    async fn update_case(&self, case: &Case) -> StoreResult<()> {
        self.inner.update_case(case).await
    }
    async fn list_cases(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<Case>> {
        self.inner.list_cases(agency, page).await
    }
}

#[async_trait]
impl PersonStore for CachedStore {
    async fn create_person(&self, person: &Person) -> StoreResult<()> {
        self.inner.create_person(person).await
    }
    async fn person(&self, id: PersonId) -> StoreResult<Person> {
        self.inner.person(id).await
    }
    async fn persons_by_ids(&self, ids: &[PersonId]) -> StoreResult<Vec<Person>> {
        self.inner.persons_by_ids(ids).await
    }
    async fn update_person(&self, person: &Person) -> StoreResult<()> {
        self.inner.update_person(person).await
    }
    async fn list_persons(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<Person>> {
        self.inner.list_persons(agency, page).await
    }
}

#[async_trait]
impl UnitStore for CachedStore {
    async fn create_unit(&self, unit: &Unit) -> StoreResult<()> {
        self.inner.create_unit(unit).await
    }
    async fn unit(&self, id: UnitId) -> StoreResult<Unit> {
        self.inner.unit(id).await
    }
    async fn units_by_ids(&self, ids: &[UnitId]) -> StoreResult<Vec<Unit>> {
        self.inner.units_by_ids(ids).await
    }
    async fn update_unit(&self, unit: &Unit) -> StoreResult<()> {
        self.inner.update_unit(unit).await
    }
    async fn list_units(
        &self,
        agency: Option<AgencyId>,
        page: PageRequest,
    ) -> StoreResult<Page<Unit>> {
        self.inner.list_units(agency, page).await
    }
}

#[async_trait]
impl SessionStore for CachedStore {
    async fn create_session(&self, session: &Session) -> StoreResult<()> {
        self.inner.create_session(session).await
    }
    async fn session(&self, token_hash: &[u8; 32]) -> StoreResult<Session> {
        self.inner.session(token_hash).await
    }
    async fn touch_session(&self, token_hash: &[u8; 32], at: DateTime<Utc>) -> StoreResult<()> {
        self.inner.touch_session(token_hash, at).await
    }
    async fn delete_session(&self, token_hash: &[u8; 32]) -> StoreResult<()> {
        self.inner.delete_session(token_hash).await
    }
    async fn delete_user_sessions(&self, user: UserId) -> StoreResult<u64> {
        self.inner.delete_user_sessions(user).await
    }
    async fn create_api_token(&self, token: &ApiToken) -> StoreResult<()> {
        self.inner.create_api_token(token).await
    }
    async fn api_token(&self, token_hash: &[u8; 32]) -> StoreResult<ApiToken> {
        self.inner.api_token(token_hash).await
    }
    async fn revoke_api_token(&self, id: ApiTokenId, at: DateTime<Utc>) -> StoreResult<()> {
        self.inner.revoke_api_token(id, at).await
    }
    async fn list_api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        self.inner.list_api_tokens(user).await
    }
}

#[async_trait]
impl GrantStore for CachedStore {
    async fn create_grant(&self, grant: &Grant) -> StoreResult<()> {
        self.inner.create_grant(grant).await
    }
    async fn grant(&self, id: GrantId) -> StoreResult<Grant> {
        self.inner.grant(id).await
    }
    async fn revoke_grant(&self, id: GrantId, by: UserId, at: DateTime<Utc>) -> StoreResult<Grant> {
        self.inner.revoke_grant(id, by, at).await
    }
    async fn grants_for(
        &self,
        grantee: AgencyId,
        targets: &[GrantTarget],
    ) -> StoreResult<Vec<Grant>> {
        self.inner.grants_for(grantee, targets).await
    }
    async fn list_grants(
        &self,
        filter: &GrantFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Grant>> {
        self.inner.list_grants(filter, page).await
    }
}

#[async_trait]
impl AuditStore for CachedStore {
    async fn append_audit(&self, records: &[AuditRecord]) -> StoreResult<Vec<u64>> {
        self.inner.append_audit(records).await
    }
    async fn list_audit(
        &self,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> StoreResult<Page<AuditRecord>> {
        self.inner.list_audit(filter, page).await
    }
    async fn audit_range(&self, from: u64, to: u64) -> StoreResult<Vec<(u64, AuditRecord)>> {
        self.inner.audit_range(from, to).await
    }
}

#[async_trait]
impl EvidenceStore for CachedStore {
    async fn evidence(&self, id: EvidenceId) -> StoreResult<Evidence> {
        self.inner.evidence(id).await
    }
    async fn evidence_by_ern(&self, ern: &Ern) -> StoreResult<Evidence> {
        self.inner.evidence_by_ern(ern).await
    }
    async fn list_evidence(
        &self,
        filter: &EvidenceFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Evidence>> {
        self.inner.list_evidence(filter, page).await
    }
    async fn next_ern_sequence(&self, agency: AgencyId, case_segment: &str) -> StoreResult<u32> {
        self.inner.next_ern_sequence(agency, case_segment).await
    }
    async fn all_blob_digests(&self) -> StoreResult<Vec<Sha256>> {
        self.inner.all_blob_digests().await
    }
}

#[async_trait]
impl LedgerStore for CachedStore {
    async fn append_custody(&self, batch: &[CustodyWrite]) -> StoreResult<Vec<u64>> {
        self.inner.append_custody(batch).await
    }
    async fn append_prepared(&self, batch: &[PreparedWrite]) -> StoreResult<Vec<u64>> {
        self.inner.append_prepared(batch).await
    }
    async fn ledger_size(&self) -> StoreResult<u64> {
        self.inner.ledger_size().await
    }
    async fn ledger_entries(&self, from: u64, to: u64) -> StoreResult<Vec<LedgerEntry>> {
        self.inner.ledger_entries(from, to).await
    }
    async fn leaf_hashes(&self, from: u64, to: u64) -> StoreResult<Vec<[u8; 32]>> {
        self.inner.leaf_hashes(from, to).await
    }
    async fn custody_history(&self, evidence: EvidenceId) -> StoreResult<Vec<CustodyRecord>> {
        self.inner.custody_history(evidence).await
    }
    async fn custody_range(&self, from: u64, to: u64) -> StoreResult<Vec<CustodyRecord>> {
        self.inner.custody_range(from, to).await
    }
    async fn custody_rows(&self, from: u64, to: u64) -> StoreResult<Vec<CustodyRow>> {
        self.inner.custody_rows(from, to).await
    }
    async fn archived_custody_documents(
        &self,
        from: u64,
        limit: u32,
    ) -> StoreResult<Vec<ArchivedCustodyDocument>> {
        self.inner.archived_custody_documents(from, limit).await
    }
    async fn save_checkpoint(&self, checkpoint: &StoredCheckpoint) -> StoreResult<()> {
        self.inner.save_checkpoint(checkpoint).await
    }
    async fn latest_checkpoint(&self) -> StoreResult<Option<StoredCheckpoint>> {
        self.inner.latest_checkpoint().await
    }
    async fn checkpoint_at(&self, size: u64) -> StoreResult<StoredCheckpoint> {
        self.inner.checkpoint_at(size).await
    }
}

#[async_trait]
impl MatchStore for CachedStore {
    async fn record_matches(&self, found: &[Match]) -> StoreResult<Vec<Recorded>> {
        self.inner.record_matches(found).await
    }
    async fn match_by_id(&self, id: MatchId) -> StoreResult<Match> {
        self.inner.match_by_id(id).await
    }
    async fn matches_for(
        &self,
        agency: AgencyId,
        filter: &MatchFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Match>> {
        self.inner.matches_for(agency, filter, page).await
    }
    async fn matches_of_record(&self, record: Uuid) -> StoreResult<Vec<Match>> {
        self.inner.matches_of_record(record).await
    }
    async fn decide_match(
        &self,
        id: MatchId,
        agency: AgencyId,
        status: MatchStatus,
        by: UserId,
        reason: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Match> {
        self.inner
            .decide_match(id, agency, status, by, reason, at)
            .await
    }
    async fn file_match_keys(
        &self,
        kind: MatchKind,
        record: Uuid,
        agency: AgencyId,
        keys: &[u64],
    ) -> StoreResult<()> {
        self.inner.file_match_keys(kind, record, agency, keys).await
    }
    async fn file_for_matching(&self, kind: MatchKind, records: &[Filing]) -> StoreResult<()> {
        self.inner.file_for_matching(kind, records).await
    }
    async fn match_features(
        &self,
        kind: MatchKind,
        records: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, Vec<u8>)>> {
        self.inner.match_features(kind, records).await
    }
    async fn match_candidates(
        &self,
        kind: MatchKind,
        probes: &[u64],
        exclude: AgencyId,
    ) -> StoreResult<Vec<(Uuid, AgencyId)>> {
        self.inner.match_candidates(kind, probes, exclude).await
    }
    async fn match_candidates_capped(
        &self,
        kind: MatchKind,
        probes: &[u64],
        exclude: AgencyId,
        max_block: usize,
        limit: usize,
    ) -> StoreResult<Candidates> {
        self.inner
            .match_candidates_capped(kind, probes, exclude, max_block, limit)
            .await
    }
    async fn put_match_encoding(
        &self,
        kind: MatchKind,
        record: Uuid,
        agency: AgencyId,
        encoding: &[u8],
    ) -> StoreResult<()> {
        self.inner
            .put_match_encoding(kind, record, agency, encoding)
            .await
    }
    async fn match_encodings(
        &self,
        kind: MatchKind,
        records: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, Vec<u8>)>> {
        self.inner.match_encodings(kind, records).await
    }
    async fn match_key_layout(&self, kind: MatchKind) -> StoreResult<(Option<u32>, bool)> {
        self.inner.match_key_layout(kind).await
    }
    async fn set_match_key_layout(&self, kind: MatchKind, layout: u32) -> StoreResult<()> {
        self.inner.set_match_key_layout(kind, layout).await
    }
}

#[async_trait]
impl ProvenanceStore for CachedStore {
    async fn evidence_family(&self, root: &Ern) -> StoreResult<Vec<Evidence>> {
        self.inner.evidence_family(root).await
    }
}

#[async_trait]
impl ConsentStore for CachedStore {
    async fn add_consent(&self, consent: &Consent) -> StoreResult<()> {
        self.inner.add_consent(consent).await
    }
    async fn consent(&self, id: ConsentId) -> StoreResult<Consent> {
        self.inner.consent(id).await
    }
    async fn withdraw_consent(
        &self,
        id: ConsentId,
        on: NaiveDate,
        recorded_by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Consent> {
        self.inner.withdraw_consent(id, on, recorded_by, at).await
    }
    async fn consents_of_person(&self, person: PersonId) -> StoreResult<Vec<Consent>> {
        self.inner.consents_of_person(person).await
    }
    async fn consents_of_statement(&self, statement: EvidenceId) -> StoreResult<Vec<Consent>> {
        self.inner.consents_of_statement(statement).await
    }
}

#[async_trait]
impl InterviewStore for CachedStore {
    async fn add_interview(&self, interview: &Interview) -> StoreResult<()> {
        self.inner.add_interview(interview).await
    }
    async fn interviews_of(&self, person: PersonId) -> StoreResult<Vec<Interview>> {
        self.inner.interviews_of(person).await
    }
}
