//! The conformance suite: the contract of the storage traits, written once and run against
//! every backend with [`conformance_suite!`](crate::conformance_suite). A backend is correct
//! when it passes this unchanged.

mod access;
mod audit;
mod fixtures;
mod incidents;
mod interop;
mod ledger;
mod match_keys;
mod matching;
mod others;
mod provenance;
mod vault;

pub use access::{
    api_tokens_by_hash, grant_lists_filter_and_page, grants_for_the_grantee_and_targets,
    grants_revoked_never_deleted, sessions_by_token_hash,
};
pub use audit::{
    audit_lists_filter_and_page, audit_shares_the_custody_sequence,
    failed_audit_batch_leaves_nothing,
};
pub use fixtures::{agency, custody, evidence, incident, intake, user};
pub use incidents::{
    batch_is_all_or_nothing, concurrent_writers, incident_crud, incident_filters, keyset_paging,
    unicode_round_trips,
};
pub use interop::{failed_import_leaves_nothing, import_batches_with_external_ids};
pub use ledger::{
    checkpoints_keep_the_first, failed_batch_leaves_nothing, ledger_indexes_are_consecutive,
    ledger_reads_return_what_was_written,
};
pub use match_keys::{
    match_candidates_capped_skip_giant_blocks, match_encodings_round_trip,
    match_features_are_filed_with_the_keys, match_key_layouts_are_kept_per_kind,
    match_keys_are_replaced_and_candidates_unique,
};
pub use matching::{
    failed_match_batch_leaves_nothing, match_decisions_only_by_a_side,
    matches_list_filter_and_page, matches_upsert_keeps_decisions,
    records_by_ids_leave_absent_ids_out,
};
pub use others::{
    agency_crud, case_crud_and_reference_uniqueness, person_and_unit_crud, user_crud,
};
pub use provenance::{
    consents_are_withdrawn_once_never_lost, families_by_ern_survive_and_stay_apart,
    interviews_are_kept,
};
pub use vault::{
    ern_sequences_never_repeat, evidence_changes_only_through_events, evidence_intake_and_reads,
    vault_unicode_round_trips,
};

/// Expands to one `#[tokio::test]` per conformance check. `$make` is an expression that
/// evaluates to a future yielding a fresh, empty store (for each test).
#[macro_export]
macro_rules! conformance_suite {
    ($make:expr) => {
        $crate::conformance_suite!(@each $make;
            agency_crud, user_crud, incident_crud, keyset_paging, incident_filters,
            concurrent_writers, unicode_round_trips, batch_is_all_or_nothing,
            case_crud_and_reference_uniqueness, person_and_unit_crud,
            evidence_intake_and_reads, evidence_changes_only_through_events,
            ern_sequences_never_repeat, vault_unicode_round_trips,
            ledger_indexes_are_consecutive, ledger_reads_return_what_was_written,
            failed_batch_leaves_nothing, checkpoints_keep_the_first,
            sessions_by_token_hash, api_tokens_by_hash, grants_revoked_never_deleted,
            grants_for_the_grantee_and_targets, grant_lists_filter_and_page,
            audit_shares_the_custody_sequence, audit_lists_filter_and_page,
            failed_audit_batch_leaves_nothing,
            import_batches_with_external_ids, failed_import_leaves_nothing,
            families_by_ern_survive_and_stay_apart, consents_are_withdrawn_once_never_lost, interviews_are_kept,
            matches_upsert_keeps_decisions, matches_list_filter_and_page, match_decisions_only_by_a_side, match_keys_are_replaced_and_candidates_unique, match_encodings_round_trip, match_features_are_filed_with_the_keys, match_key_layouts_are_kept_per_kind, failed_match_batch_leaves_nothing,
            match_candidates_capped_skip_giant_blocks, records_by_ids_leave_absent_ids_out);
    };
    (@each $make:expr; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let store = $make.await;
                $crate::conformance::$name(std::sync::Arc::new(store)).await;
            }
        )*
    };
}
