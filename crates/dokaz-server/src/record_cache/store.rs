//! The store as the server holds it: the backend behind the read cache. Every write of this
//! process goes through [`crate::AppState::store`] — the handlers, imports, matching — and so
//! through here, where each write that can change an incident forgets it once the database
//! has it. Writing around the cache is only possible by holding the backend itself, which
//! is what another process does (and why entries also expire).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use dokaz_model::{AgencyId, Incident, IncidentId};
use dokaz_store::{
    AnyRecord, ExternalId, ExternalRecord, HistoryEntry, ImportBatch, ImportStore, IncidentFilter,
    IncidentStore, Page, PageRequest, RecordKind, Store, StoreResult,
};
use uuid::Uuid;

use super::RecordCache;

/// Incidents kept at most: at a few kilobytes each, tens of megabytes.
pub const CAPACITY: usize = 20_000;

/// A store whose single-incident reads are served from memory when fresh.
pub struct CachedStore {
    pub(super) inner: Arc<dyn Store>,
    incidents: RecordCache<IncidentId, Incident>,
}

impl std::fmt::Debug for CachedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedStore")
            .field("backend", &self.inner.backend())
            .field("incidents", &self.incidents)
            .finish()
    }
}

impl CachedStore {
    /// `inner` behind a cache whose entries live `ttl` (zero: nothing is kept).
    pub fn new(inner: Arc<dyn Store>, ttl: Duration) -> Self {
        Self {
            inner,
            incidents: RecordCache::new(ttl, CAPACITY),
        }
    }

    /// The backend itself, for reads that must not come from the cache (a decision to change
    /// a record, and the record the change builds on). Only for reads: a write through it
    /// would leave the cache holding the old record.
    pub fn uncached_for_reads(&self) -> &dyn Store {
        self.inner.as_ref()
    }

    /// Forgets the incidents a write touched, whether or not it succeeded: a failed write
    /// may still have reached the database (a lost commit acknowledgement).
    fn forget<'a>(&self, ids: impl IntoIterator<Item = &'a IncidentId>) {
        for id in ids {
            self.incidents.forget(id);
        }
    }
}

#[async_trait]
impl Store for CachedStore {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    async fn close(&self) {
        self.inner.close().await
    }
}

#[async_trait]
impl IncidentStore for CachedStore {
    async fn create_incident(&self, incident: &Incident) -> StoreResult<()> {
        let r = self.inner.create_incident(incident).await;
        self.forget([&incident.id]);
        r
    }

    async fn create_incidents(&self, incidents: &[Incident]) -> StoreResult<()> {
        let r = self.inner.create_incidents(incidents).await;
        self.forget(incidents.iter().map(|i| &i.id));
        r
    }

    async fn incident(&self, id: IncidentId) -> StoreResult<Incident> {
        self.incident_shared(id).await.map(Arc::unwrap_or_clone)
    }

    async fn incident_shared(&self, id: IncidentId) -> StoreResult<Arc<Incident>> {
        match self.incidents.get(&id) {
            Ok(kept) => Ok(kept),
            Err(ticket) => {
                let loaded = Arc::new(self.inner.incident(id).await?);
                self.incidents.keep(id, loaded.clone(), ticket);
                Ok(loaded)
            }
        }
    }

    async fn incidents_by_ids(&self, ids: &[IncidentId]) -> StoreResult<Vec<Incident>> {
        self.inner.incidents_by_ids(ids).await
    }

    async fn update_incident(&self, incident: &Incident) -> StoreResult<()> {
        let r = self.inner.update_incident(incident).await;
        self.forget([&incident.id]);
        r
    }

    async fn list_incidents(
        &self,
        filter: &IncidentFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Incident>> {
        self.inner.list_incidents(filter, page).await
    }

    async fn count_incidents(&self, filter: &IncidentFilter) -> StoreResult<u64> {
        self.inner.count_incidents(filter).await
    }
}

#[async_trait]
impl ImportStore for CachedStore {
    async fn find_external_ids(
        &self,
        agency: AgencyId,
        source: &str,
        kind: RecordKind,
        ids: &[String],
    ) -> StoreResult<HashMap<String, ExternalRecord>> {
        self.inner
            .find_external_ids(agency, source, kind, ids)
            .await
    }

    async fn external_ids_of(&self, records: &[Uuid]) -> StoreResult<Vec<ExternalId>> {
        self.inner.external_ids_of(records).await
    }

    async fn apply_import(&self, batch: &ImportBatch) -> StoreResult<()> {
        let r = self.inner.apply_import(batch).await;
        self.forget(batch.writes.iter().filter_map(|w| match &w.record {
            AnyRecord::Incident(i) => Some(&i.id),
            _ => None,
        }));
        r
    }

    async fn record_history(&self, record: Uuid) -> StoreResult<Vec<HistoryEntry>> {
        self.inner.record_history(record).await
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use dokaz_model::{Agency, AgencyKind, NewIncident};
    use dokaz_store::{HistoryChange, ImportWrite};
    use serde_json::json;

    use super::*;

    fn incident(agency: AgencyId, title: &str) -> Incident {
        let new: NewIncident = serde_json::from_value(json!({
            "title": title,
            "occurred": {"start": "2022-03-09T10:00:00Z", "precision": "hour"},
        }))
        .unwrap();
        new.into_incident(agency, None, Utc::now())
    }

    fn import(agency: AgencyId, i: &Incident, update: bool) -> ImportBatch {
        ImportBatch {
            agency,
            source: "test".into(),
            actor: None,
            at: Utc::now(),
            writes: vec![ImportWrite {
                external_id: Some("row-1".into()),
                record: AnyRecord::Incident(Box::new(i.clone())),
                content_hash: [u8::from(update); 32],
                update: update.then(|| HistoryChange {
                    changes: json!({"title": {"new": i.title}}),
                    old_hash: Some([0; 32]),
                }),
            }],
        }
    }

    /// Every write of an incident through the cached store is seen by the next read, though
    /// entries live an hour and a write behind its back is not.
    #[tokio::test]
    async fn every_write_of_an_incident_is_seen_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/dokaz.db", dir.path().display());
        let backend: Arc<dyn Store> =
            Arc::new(dokaz_store_sqlite::SqliteStore::open(&url).await.unwrap());
        let agency = Agency {
            id: AgencyId::new(),
            code: "UAPGO".parse().unwrap(),
            name: "office".into(),
            kind: AgencyKind::NationalProsecutor,
            country: String::new(),
            created_at: Utc::now(),
        };
        backend.create_agency(&agency).await.unwrap();
        let store = CachedStore::new(backend.clone(), Duration::from_secs(3600));
        let title = |i: IncidentId| {
            let store = &store;
            async move { store.incident(i).await.unwrap().title }
        };

        let mut i = incident(agency.id, "created");
        store.create_incident(&i).await.unwrap();
        assert_eq!(title(i.id).await, "created");
        i.title = "behind its back".into();
        backend.update_incident(&i).await.unwrap();
        assert_eq!(title(i.id).await, "created", "served from memory");

        i.title = "updated".into();
        store.update_incident(&i).await.unwrap();
        assert_eq!(title(i.id).await, "updated");

        let mut j = incident(agency.id, "imported");
        store
            .apply_import(&import(agency.id, &j, false))
            .await
            .unwrap();
        assert_eq!(title(j.id).await, "imported");
        j.title = "imported again".into();
        store
            .apply_import(&import(agency.id, &j, true))
            .await
            .unwrap();
        assert_eq!(title(j.id).await, "imported again");

        let mut k = incident(agency.id, "in bulk");
        store
            .create_incidents(std::slice::from_ref(&k))
            .await
            .unwrap();
        assert_eq!(title(k.id).await, "in bulk");
        k.title = "failed".into();
        k.agency = AgencyId::new();
        assert!(store.update_incident(&k).await.is_err(), "not its agency");
        assert_eq!(title(k.id).await, "in bulk");
    }
}
