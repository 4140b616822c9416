//! The conformance suite: the contract of the storage traits, written once and run against
//! every backend with [`conformance_suite!`](crate::conformance_suite). A backend is correct
//! when it passes this unchanged.

mod fixtures;
mod incidents;
mod others;

pub use fixtures::{agency, incident, user};
pub use incidents::{
    batch_is_all_or_nothing, concurrent_writers, incident_crud, incident_filters, keyset_paging,
    unicode_round_trips,
};
pub use others::{
    agency_crud, case_crud_and_reference_uniqueness, person_and_unit_crud, user_crud,
};

/// Expands to one `#[tokio::test]` per conformance check. `$make` is an expression that
/// evaluates to a future yielding a fresh, empty store (for each test).
#[macro_export]
macro_rules! conformance_suite {
    ($make:expr) => {
        $crate::conformance_suite!(@each $make;
            agency_crud, user_crud, incident_crud, keyset_paging, incident_filters,
            concurrent_writers, unicode_round_trips, batch_is_all_or_nothing,
            case_crud_and_reference_uniqueness, person_and_unit_crud);
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
