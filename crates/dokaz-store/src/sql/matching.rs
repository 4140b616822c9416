//! What both SQL backends share for matches: the order a pair is stored in, what a match
//! found again keeps of the stored one, how a side's decision is written, and the blocking
//! keys' column type.

use chrono::{DateTime, Utc};
use dokaz_model::matching::check_decision;
use dokaz_model::{AgencyId, Match, MatchId, MatchStatus, UserId};

use crate::error::{StoreError, StoreResult};
use crate::matching::{Candidate, Candidates};

/// The match as it is stored: side `a` holds the smaller record id, and a blind match (a
/// sealed side) carries no reasons, whoever built it.
pub fn normalised(found: &Match) -> Match {
    let mut m = found.clone();
    if m.a.record > m.b.record {
        std::mem::swap(&mut m.a, &mut m.b);
    }
    if m.is_blind() {
        m.reasons.clear();
    }
    m
}

/// A pair found again: the stored id, `found_at` and both sides' decisions, with the new
/// score, reasons, sealed flags and `updated_at`. `found` must be [`normalised`].
pub fn merged(stored: Match, found: &Match) -> Match {
    let mut m = stored;
    m.score = found.score;
    m.reasons = found.reasons.clone();
    m.a.sealed = found.a.sealed;
    m.b.sealed = found.b.sealed;
    m.updated_at = found.updated_at;
    if m.is_blind() {
        m.reasons.clear();
    }
    m
}

/// `agency`'s side of `m` set to a decision. `NotFound` (as the unknown match it must seem)
/// when `agency` is not a side; `Invalid` when the decision lacks a required reason.
pub fn decided(
    mut m: Match,
    agency: AgencyId,
    status: MatchStatus,
    by: UserId,
    reason: &str,
    at: DateTime<Utc>,
) -> StoreResult<Match> {
    check_decision(status, reason).map_err(StoreError::Invalid)?;
    let id = m.id;
    let side = m.side_of_mut(agency).ok_or_else(|| not_found(id))?;
    side.status = status;
    side.decided_by = Some(by);
    side.decided_at = Some(at);
    side.reason = reason.to_owned();
    Ok(m)
}

pub fn not_found(id: MatchId) -> StoreError {
    StoreError::not_found("match", id)
}

/// A blocking key as its column holds it: the same 64 bits, read as signed.
pub fn key_column(key: u64) -> i64 {
    key as i64
}

/// The candidates among the rows `(key, record, agency)` of every probe's block: a block of
/// more than `max_block` rows is skipped and counted, the rows of `exclude` are dropped, and
/// each other record comes once, with the number of keys it was found under, in record id
/// order — at most `limit` of them (see [`ranked`]).
pub fn capped(
    mut rows: Vec<(i64, uuid::Uuid, uuid::Uuid)>,
    exclude: AgencyId,
    max_block: usize,
    limit: usize,
) -> Candidates {
    rows.sort_unstable_by_key(|r| r.0);
    let mut skipped = 0;
    let mut kept: Vec<(uuid::Uuid, uuid::Uuid)> = Vec::new();
    for block in rows.chunk_by(|x, y| x.0 == y.0) {
        if block.len() > max_block {
            skipped += 1;
        } else {
            kept.extend(
                block
                    .iter()
                    .filter(|r| r.2 != exclude.as_uuid())
                    .map(|r| (r.1, r.2)),
            );
        }
    }
    kept.sort_unstable();
    let mut found: Vec<Candidate> = Vec::new();
    for (record, agency) in kept {
        match found.last_mut() {
            Some(c) if c.record == record => c.shared += 1,
            _ => found.push(Candidate {
                record,
                agency: AgencyId::from_uuid(agency),
                shared: 1,
            }),
        }
    }
    Candidates {
        found: ranked(found, limit),
        skipped,
    }
}

/// The `limit` candidates filed under the most probes, ties to the lower record id, in
/// record id order: `MatchStore::match_candidates_capped`'s rule for every backend.
pub fn ranked(mut found: Vec<Candidate>, limit: usize) -> Vec<Candidate> {
    if found.len() > limit {
        found.sort_unstable_by(|x, y| y.shared.cmp(&x.shared).then(x.record.cmp(&y.record)));
        found.truncate(limit);
    }
    found.sort_unstable_by_key(|c| c.record);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use dokaz_model::{MatchKind, MatchSide};
    use uuid::Uuid;

    #[test]
    fn keys_keep_their_bits() {
        for k in [0, 1, u64::MAX, 1 << 63] {
            assert_eq!(key_column(k) as u64, k);
        }
    }

    #[test]
    fn normalising_orders_sides_and_blanks_blind_reasons() {
        let (x, y) = (Uuid::now_v7(), Uuid::now_v7());
        let mut m = Match::new(
            MatchKind::Person,
            MatchSide::new(x, AgencyId::new(), false),
            MatchSide::new(y, AgencyId::new(), false),
            3.0,
            "same name".into(),
            Utc::now(),
        );
        std::mem::swap(&mut m.a, &mut m.b);
        m.b.sealed = true;
        let n = normalised(&m);
        assert_eq!((n.a.record, n.b.record), (x, y));
        assert!(n.reasons.is_empty());
    }
}
