//! The contract of what matching files beside the records: blocking keys that are replaced and
//! never accumulate, candidate lookups that skip giant blocks and rank what they return,
//! features and blind encodings read back by record, and the layout the keys were filed by.

use std::sync::Arc;

use dokaz_model::{AgencyId, MatchKind};
use uuid::Uuid;

use super::matching::agencies;
use crate::{Candidate, Candidates, Filing, Store};

pub async fn match_keys_are_replaced_and_candidates_unique(s: Arc<dyn Store>) {
    let ag = agencies(&s, &["MKA", "MKB", "MKC"]).await;
    let (a, b, c) = (ag[0].id, ag[1].id, ag[2].id);
    let kind = MatchKind::Person;
    let own = Uuid::now_v7();
    let rb = Uuid::now_v7();
    let rc = Uuid::now_v7();
    let high = u64::MAX - 7; // keys above i64::MAX survive their signed column
    s.file_match_keys(kind, own, a, &[1, 2, high])
        .await
        .unwrap();
    s.file_match_keys(kind, rb, b, &[1, 2, 3, 3]).await.unwrap();
    s.file_match_keys(kind, rc, c, &[high, 9]).await.unwrap();
    // Another kind's keys are another space.
    s.file_match_keys(MatchKind::Incident, Uuid::now_v7(), b, &[1])
        .await
        .unwrap();

    let got = s.match_candidates(kind, &[1, 2, high], a).await.unwrap();
    let mut want = vec![(rb, b), (rc, c)];
    want.sort_by_key(|(r, _)| *r);
    assert_eq!(got, want, "other agencies' records, each once");
    assert_eq!(
        s.match_candidates(kind, &[9], c).await.unwrap(),
        vec![],
        "never the asking agency's own"
    );

    // More probes than one statement takes, the hit in the last chunk.
    let mut probes: Vec<u64> = (1_000..3_100).collect();
    probes.push(3);
    assert_eq!(
        s.match_candidates(kind, &probes, a).await.unwrap(),
        vec![(rb, b)]
    );

    // Re-filing replaces: the old keys find nothing.
    s.file_match_keys(kind, rb, b, &[42]).await.unwrap();
    let got = s.match_candidates(kind, &[1, 2, 3], a).await.unwrap();
    assert!(got.is_empty(), "{got:?}");
    assert_eq!(
        s.match_candidates(kind, &[42], a).await.unwrap(),
        vec![(rb, b)]
    );
    s.file_match_keys(kind, rb, b, &[]).await.unwrap();
    assert!(s.match_candidates(kind, &[42], a).await.unwrap().is_empty());
    assert!(s.match_candidates(kind, &[], a).await.unwrap().is_empty());

    // Many records at once, as a batch run files them: replaces like one at a time.
    let many: Vec<Filing> = (0..1_200u64)
        .map(|i| {
            filing(
                Uuid::now_v7(),
                if i % 2 == 0 { b } else { c },
                vec![10_000 + i, 77, 77],
            )
        })
        .collect();
    s.file_for_matching(kind, &many).await.unwrap();
    assert_eq!(
        s.match_candidates(kind, &[77], a).await.unwrap().len(),
        1_200
    );
    assert_eq!(
        s.match_candidates(kind, &[10_001], a).await.unwrap(),
        vec![(many[1].record, c)]
    );
    let refiled: Vec<_> = many
        .iter()
        .map(|f| filing(f.record, f.agency, vec![78]))
        .collect();
    s.file_for_matching(kind, &refiled).await.unwrap();
    assert!(s.match_candidates(kind, &[77], a).await.unwrap().is_empty());
    assert_eq!(s.match_candidates(kind, &[78], b).await.unwrap().len(), 600);
}

pub async fn match_encodings_round_trip(s: Arc<dyn Store>) {
    let ag = agencies(&s, &["MEA"]).await;
    let a = ag[0].id;
    let kind = MatchKind::Person;
    let (r1, r2, r3) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let bytes: Vec<u8> = (0..=255).collect();
    s.put_match_encoding(kind, r1, a, &bytes).await.unwrap();
    s.put_match_encoding(kind, r2, a, &[0, 1]).await.unwrap();
    s.put_match_encoding(kind, r2, a, &[7; 64]).await.unwrap();
    s.put_match_encoding(MatchKind::Incident, r3, a, &[5])
        .await
        .unwrap();
    let got = s
        .match_encodings(kind, &[r3, r2, r1, r1, Uuid::now_v7()])
        .await
        .unwrap();
    assert_eq!(got, vec![(r1, bytes), (r2, vec![7; 64])]);
    assert!(s.match_encodings(kind, &[]).await.unwrap().is_empty());
}

pub async fn match_key_layouts_are_kept_per_kind(s: Arc<dyn Store>) {
    let ag = agencies(&s, &["MKL"]).await;
    let (person, unit) = (MatchKind::Person, MatchKind::Unit);
    // A new store holds the layouts of the build that made it (see its migration).
    let (made, filed) = s.match_key_layout(person).await.unwrap();
    assert!(made.is_some() && !filed);
    s.file_match_keys(person, Uuid::now_v7(), ag[0].id, &[1, 2])
        .await
        .unwrap();
    assert_eq!(s.match_key_layout(person).await.unwrap(), (made, true));
    assert!(!s.match_key_layout(unit).await.unwrap().1);
    s.set_match_key_layout(person, 3).await.unwrap();
    s.set_match_key_layout(person, 4).await.unwrap();
    s.set_match_key_layout(unit, 1).await.unwrap();
    assert_eq!(s.match_key_layout(person).await.unwrap(), (Some(4), true));
    assert_eq!(s.match_key_layout(unit).await.unwrap(), (Some(1), false));
}

/// Keys alone, as most tests file them.
fn filing(record: Uuid, agency: AgencyId, keys: Vec<u64>) -> Filing {
    Filing {
        record,
        agency,
        keys,
        features: None,
    }
}

pub async fn match_features_are_filed_with_the_keys(s: Arc<dyn Store>) {
    let ag = agencies(&s, &["MFEA", "MFEB"]).await;
    let (a, b) = (ag[0].id, ag[1].id);
    let kind = MatchKind::Incident;
    let (r1, r2, r3) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let bytes: Vec<u8> = (0..=255).collect();
    let with = |r, f: &[u8]| Filing {
        features: Some(f.to_vec()),
        ..filing(r, b, vec![9])
    };
    // Listed twice in one call: the last filing holds, as one call after the other would.
    s.file_for_matching(kind, &[with(r2, &[1]), with(r1, &bytes), with(r2, &[2, 3])])
        .await
        .unwrap();
    s.file_for_matching(MatchKind::Person, &[with(r3, &[5])])
        .await
        .unwrap();
    let got = s
        .match_features(kind, &[r3, r2, r1, r1, Uuid::now_v7()])
        .await
        .unwrap();
    assert_eq!(got, vec![(r1, bytes.clone()), (r2, vec![2, 3])]);
    assert_eq!(s.match_candidates(kind, &[9], a).await.unwrap().len(), 2);
    assert!(s.match_features(kind, &[]).await.unwrap().is_empty());

    // Filed again without features (a record sealed since): none are kept.
    s.file_match_keys(kind, r2, b, &[9]).await.unwrap();
    assert_eq!(
        s.match_features(kind, &[r1, r2]).await.unwrap(),
        vec![(r1, bytes)]
    );
    // The other kind's are another space, untouched.
    assert_eq!(
        s.match_features(MatchKind::Person, &[r3]).await.unwrap(),
        vec![(r3, vec![5])]
    );
}

pub async fn match_candidates_capped_skip_giant_blocks(s: Arc<dyn Store>) {
    let ag = agencies(&s, &["MCA", "MCB", "MCC"]).await;
    let (a, b, c) = (ag[0].id, ag[1].id, ag[2].id);
    let kind = MatchKind::Incident;
    let (rb, rc) = (Uuid::now_v7(), Uuid::now_v7());
    let high = u64::MAX - 3;
    s.file_match_keys(kind, rb, b, &[1, 2, 3, high])
        .await
        .unwrap();
    s.file_match_keys(kind, rc, c, &[2, 5]).await.unwrap();
    s.file_match_keys(kind, Uuid::now_v7(), a, &[1, 2])
        .await
        .unwrap();
    // Key 100 is shared by six records: a giant block under a cap of five.
    let crowd: Vec<Filing> = (0..6)
        .map(|_| filing(Uuid::now_v7(), b, vec![100]))
        .collect();
    s.file_for_matching(kind, &crowd).await.unwrap();
    // Another kind's keys are another space.
    s.file_match_keys(MatchKind::Person, Uuid::now_v7(), b, &[1, 2, 3])
        .await
        .unwrap();

    let got = s
        .match_candidates_capped(kind, &[1, 2, 3, high, 5, 100, 999], a, 5, 10)
        .await
        .unwrap();
    let mut want = vec![
        Candidate {
            record: rb,
            agency: b,
            shared: 4,
        },
        Candidate {
            record: rc,
            agency: c,
            shared: 2,
        },
    ];
    want.sort_by_key(|c| c.record);
    assert_eq!(
        got.found, want,
        "each other agency's record once, with its keys"
    );
    assert_eq!(got.skipped, 1, "the block of six, past the cap of five");
    // The block counts every agency's records, the asking one's too: at the cap, kept.
    let got = s
        .match_candidates_capped(kind, &[100, 2, 2], c, 6, 10)
        .await
        .unwrap();
    assert_eq!(got.skipped, 0);
    assert_eq!(
        got.found.len(),
        8,
        "the six, rb and a's record, never c's own: {got:?}"
    );
    assert!(got.found.iter().all(|x| x.shared == 1 && x.agency != c));
    assert_eq!(
        s.match_candidates_capped(kind, &[], a, 5, 10)
            .await
            .unwrap(),
        Candidates::default()
    );
    // More probes than one statement takes, the hit in the last chunk.
    let mut probes: Vec<u64> = (1_000..3_100).collect();
    probes.push(5);
    let got = s
        .match_candidates_capped(kind, &probes, a, 5, 10)
        .await
        .unwrap();
    assert_eq!(
        got.found,
        vec![Candidate {
            record: rc,
            agency: c,
            shared: 1
        }]
    );

    // Limited: those filed under the most probes; at the cut, the lower record ids.
    let got = s
        .match_candidates_capped(kind, &[1, 2, 3, high, 5, 100], a, 6, 4)
        .await
        .unwrap();
    let mut crowd_ids: Vec<Uuid> = crowd.iter().map(|f| f.record).collect();
    crowd_ids.sort();
    let mut want = vec![rb, rc, crowd_ids[0], crowd_ids[1]];
    want.sort();
    assert_eq!(
        got.found.iter().map(|x| x.record).collect::<Vec<_>>(),
        want,
        "rb (4 keys) and rc (2), then the two lowest of the six with 1: {got:?}"
    );
    assert_eq!(
        got.found.iter().map(|x| x.shared).sum::<u32>(),
        4 + 2 + 1 + 1
    );
}
