//! The storage contract of deconfliction: matches between records of different agencies,
//! each side's decision on them, and the blocking keys and blind encodings through which a
//! new record finds its candidates among all stored ones without reading them all.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dokaz_model::{AgencyId, Match, MatchId, MatchKind, MatchStatus, UserId};
use uuid::Uuid;

use crate::error::StoreResult;
use crate::page::{Page, PageRequest};

/// Which matches a list covers; `status` is the asking agency's own side's status.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchFilter {
    pub kind: Option<MatchKind>,
    pub status: Option<MatchStatus>,
}

/// A match as recorded: whether it was new, or a pair already known found again.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub stored: Match,
    pub is_new: bool,
}

/// A stored record filed under some of a new record's probes: a candidate for comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub record: Uuid,
    pub agency: AgencyId,
    /// How many of the probes it is filed under: the more keys two records share, the more
    /// likely they describe one event, so callers rank candidates by it.
    pub shared: u32,
}

/// What one record is filed under for matching: its blocking keys and, for an open record,
/// the bytes of its features, so that a later record compares with it without reading and
/// re-deriving the whole record. `None` for a sealed record — all that is ever read of one
/// is its blind encoding — and wherever the caller has none to give.
#[derive(Debug, Clone, PartialEq)]
pub struct Filing {
    pub record: Uuid,
    pub agency: AgencyId,
    pub keys: Vec<u64>,
    pub features: Option<Vec<u8>>,
}

/// What [`MatchStore::match_candidates_capped`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidates {
    /// Each record once, in record id order.
    pub found: Vec<Candidate>,
    /// How many probes were skipped for holding more records than the cap.
    pub skipped: usize,
}

#[async_trait]
pub trait MatchStore: Send + Sync {
    /// Records found matches in one transaction. A pair not yet stored (same kind, same two
    /// records) is inserted as given; a pair already stored keeps its id, `found_at` and both
    /// sides' decisions, and takes the new score, reasons, sealed flags and `updated_at`.
    /// Returns what is stored, in input order.
    async fn record_matches(&self, found: &[Match]) -> StoreResult<Vec<Recorded>>;
    /// `NotFound` for an unknown id.
    async fn match_by_id(&self, id: MatchId) -> StoreResult<Match>;
    /// The matches with `agency` on one side, in id order (keyset paging).
    async fn matches_for(
        &self,
        agency: AgencyId,
        filter: &MatchFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Match>>;
    /// Every match with `record` on either side.
    async fn matches_of_record(&self, record: Uuid) -> StoreResult<Vec<Match>>;
    /// Sets `agency`'s side of a match to `status` with who, when and why, and returns the
    /// match. `NotFound` for an unknown id, or when `agency` is not a side of it (a third
    /// agency must not learn that the match exists).
    async fn decide_match(
        &self,
        id: MatchId,
        agency: AgencyId,
        status: MatchStatus,
        by: UserId,
        reason: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Match>;

    /// Replaces what each record is filed under: its blocking keys (64-bit hashes, keyed
    /// with the deployment's matching key, so they reveal nothing without it) and its
    /// features (removed when `None`). All or nothing, in a few transactions for any number
    /// of records, as a batch run files every record.
    async fn file_for_matching(&self, kind: MatchKind, records: &[Filing]) -> StoreResult<()>;
    /// Files one record under `keys` alone (see [`MatchStore::file_for_matching`]).
    async fn file_match_keys(
        &self,
        kind: MatchKind,
        record: Uuid,
        agency: AgencyId,
        keys: &[u64],
    ) -> StoreResult<()> {
        let filing = Filing {
            record,
            agency,
            keys: keys.to_vec(),
            features: None,
        };
        self.file_for_matching(kind, std::slice::from_ref(&filing))
            .await
    }
    /// The filed features of those of `records` that have some, in record id order.
    async fn match_features(
        &self,
        kind: MatchKind,
        records: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, Vec<u8>)>>;
    /// The records of agencies other than `exclude` filed under any of `probes`, each once,
    /// with their agency.
    async fn match_candidates(
        &self,
        kind: MatchKind,
        probes: &[u64],
        exclude: AgencyId,
    ) -> StoreResult<Vec<(Uuid, AgencyId)>>;
    /// [`MatchStore::match_candidates`] without the keys that do not discriminate: a probe
    /// under which more than `max_block` records (of any agency) are filed is skipped and
    /// counted — one key shared by a whole year of records would otherwise make every
    /// lookup compare thousands of records that share nothing else. Each candidate comes
    /// with the number of the remaining probes it is filed under; at most `limit` come, those
    /// filed under the most, ties to the lower record id (the rule of
    /// `dokaz_match::block::best`), so that a busy place does not ship every record filed
    /// there to be ranked by the caller.
    async fn match_candidates_capped(
        &self,
        kind: MatchKind,
        probes: &[u64],
        exclude: AgencyId,
        max_block: usize,
        limit: usize,
    ) -> StoreResult<Candidates>;
    /// Stores (or replaces) the blind encoding of a sealed record: all that matching ever
    /// reads of it.
    async fn put_match_encoding(
        &self,
        kind: MatchKind,
        record: Uuid,
        agency: AgencyId,
        encoding: &[u8],
    ) -> StoreResult<()>;
    /// The stored encodings of those of `records` that have one.
    async fn match_encodings(
        &self,
        kind: MatchKind,
        records: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, Vec<u8>)>>;
    /// The layout of blocking keys that every stored key of `kind` was last filed by (see
    /// `dokaz_match::keys::layout`), and whether any key of `kind` is filed at all.
    async fn match_key_layout(&self, kind: MatchKind) -> StoreResult<(Option<u32>, bool)>;
    /// Records that every key of `kind` is now filed by `layout`.
    async fn set_match_key_layout(&self, kind: MatchKind, layout: u32) -> StoreResult<()>;
}
