//! The three kinds of record that are matched, behind one trait, so that the incremental and
//! the batch paths are written once: how to load and list records, and compute their
//! features, blocking keys and blind encodings.

use std::future::Future;

use dokaz_match::blind::{BlindIncident, BlindPerson, BlindUnit};
use dokaz_match::engine::Comparable;
use dokaz_match::incident::IncidentFeatures;
use dokaz_match::incident_keys::IncidentKeys;
use dokaz_match::keys::{KeyBuf, Keyer};
use dokaz_match::person::PersonFeatures;
use dokaz_match::signal::Sink;
use dokaz_match::unit::UnitFeatures;
use dokaz_model::{
    AgencyId, Classification, Incident, IncidentId, MatchKind, Person, PersonId, Unit, UnitId,
};
use dokaz_store::{IncidentFilter, Page, PageRequest, Store, StoreResult};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

/// A record just written, as the callers of [`crate::Deconflictor::written`] pass it.
#[derive(Debug, Clone, Copy)]
pub enum Written<'a> {
    Incident(&'a Incident),
    Person(&'a Person),
    Unit(&'a Unit),
    /// An evidence item just taken in, with its image's perceptual hash (computed by the
    /// caller, who has the bytes: see [`crate::image_phash`]).
    Evidence(&'a dokaz_model::Evidence, Option<u64>),
}

/// Buffers for computing keys, reused across records.
#[derive(Debug, Default)]
pub(crate) struct KeyScratch {
    incident: IncidentKeys,
    buf: KeyBuf,
}

/// One kind of matched record.
pub(crate) trait Kind: Send + Sync + 'static {
    type Record: Send + Sync;
    type Features: Comparable + Send;
    type Blind: Comparable + Serialize + DeserializeOwned + Send;
    const KIND: MatchKind;

    fn id(r: &Self::Record) -> Uuid;
    fn agency(r: &Self::Record) -> AgencyId;
    fn sealed(r: &Self::Record) -> bool;
    fn features(r: &Self::Record) -> Self::Features;
    fn blind(f: &Self::Features, keyer: &Keyer) -> Self::Blind;
    fn filed(f: &Self::Features, keyer: &Keyer, s: &mut KeyScratch, out: &mut Vec<u64>);
    fn probes(f: &Self::Features, keyer: &Keyer, s: &mut KeyScratch, out: &mut Vec<u64>);
    /// The features as bytes to file beside the keys, for a kind whose records are costly
    /// to load and derive again; `None` (the default): candidates are read as records.
    fn stored(_f: &Self::Features) -> Option<Vec<u8>> {
        None
    }
    /// Features filed by [`Kind::stored`], if this build can read them.
    fn from_stored(_bytes: &[u8]) -> Option<Self::Features> {
        None
    }
    /// Final touches that need the whole set (name rarity for persons).
    fn prepare(_all: &mut [Self::Features]) {}
    /// The order to compare a batch in, as positions into `all`, when it is not the order
    /// loaded (see `dokaz_match::person::matching_order`).
    fn order(_all: &[Self::Features]) -> Option<Vec<u32>> {
        None
    }
    /// Those of `ids` that exist, in one query or a few (absent ones are left out).
    fn load_many(
        store: &dyn Store,
        ids: &[Uuid],
    ) -> impl Future<Output = StoreResult<Vec<Self::Record>>> + Send;
    fn list(
        store: &dyn Store,
        page: PageRequest,
    ) -> impl Future<Output = StoreResult<Page<Self::Record>>> + Send;
}

pub(crate) struct IncidentKind;
pub(crate) struct PersonKind;
pub(crate) struct UnitKind;

impl Kind for IncidentKind {
    type Record = Incident;
    type Features = IncidentFeatures;
    type Blind = BlindIncident;
    const KIND: MatchKind = MatchKind::Incident;

    fn id(r: &Incident) -> Uuid {
        r.id.as_uuid()
    }
    fn agency(r: &Incident) -> AgencyId {
        r.agency
    }
    fn sealed(r: &Incident) -> bool {
        r.classification == Classification::Sealed
    }
    fn features(r: &Incident) -> IncidentFeatures {
        IncidentFeatures::new(r)
    }
    fn blind(f: &IncidentFeatures, keyer: &Keyer) -> BlindIncident {
        BlindIncident::encode(f, keyer)
    }
    fn filed(f: &IncidentFeatures, keyer: &Keyer, s: &mut KeyScratch, out: &mut Vec<u64>) {
        s.incident.filed(f, keyer, out)
    }
    fn probes(f: &IncidentFeatures, keyer: &Keyer, s: &mut KeyScratch, out: &mut Vec<u64>) {
        s.incident.probes(f, keyer, out)
    }
    fn stored(f: &IncidentFeatures) -> Option<Vec<u8>> {
        Some(f.to_stored())
    }
    fn from_stored(bytes: &[u8]) -> Option<IncidentFeatures> {
        IncidentFeatures::from_stored(bytes)
    }
    #[allow(clippy::manual_async_fn)] // the trait asks for a future that is Send
    fn load_many(
        store: &dyn Store,
        ids: &[Uuid],
    ) -> impl Future<Output = StoreResult<Vec<Incident>>> + Send {
        let ids: Vec<_> = ids.iter().copied().map(IncidentId::from_uuid).collect();
        async move { store.incidents_by_ids(&ids).await }
    }
    #[allow(clippy::manual_async_fn)] // the trait asks for a future that is Send
    fn list(
        store: &dyn Store,
        page: PageRequest,
    ) -> impl Future<Output = StoreResult<Page<Incident>>> + Send {
        async move { store.list_incidents(&IncidentFilter::default(), page).await }
    }
}

impl Kind for PersonKind {
    type Record = Person;
    type Features = PersonFeatures;
    type Blind = BlindPerson;
    const KIND: MatchKind = MatchKind::Person;

    fn id(r: &Person) -> Uuid {
        r.id.as_uuid()
    }
    fn agency(r: &Person) -> AgencyId {
        r.agency
    }
    fn sealed(r: &Person) -> bool {
        r.classification == Classification::Sealed
    }
    fn features(r: &Person) -> PersonFeatures {
        PersonFeatures::new(r)
    }
    fn blind(f: &PersonFeatures, keyer: &Keyer) -> BlindPerson {
        BlindPerson::encode(f, keyer)
    }
    fn filed(f: &PersonFeatures, keyer: &Keyer, s: &mut KeyScratch, out: &mut Vec<u64>) {
        f.filed_keys(keyer, &mut s.buf, out)
    }
    fn probes(f: &PersonFeatures, keyer: &Keyer, s: &mut KeyScratch, out: &mut Vec<u64>) {
        f.probe_keys(keyer, &mut s.buf, out)
    }
    fn prepare(all: &mut [PersonFeatures]) {
        dokaz_match::person::set_rarity(all)
    }
    fn order(all: &[PersonFeatures]) -> Option<Vec<u32>> {
        Some(dokaz_match::person::matching_order(
            all,
            dokaz_match::batch::default_threads(),
        ))
    }
    #[allow(clippy::manual_async_fn)] // the trait asks for a future that is Send
    fn load_many(
        store: &dyn Store,
        ids: &[Uuid],
    ) -> impl Future<Output = StoreResult<Vec<Person>>> + Send {
        let ids: Vec<_> = ids.iter().copied().map(PersonId::from_uuid).collect();
        async move { store.persons_by_ids(&ids).await }
    }
    fn list(
        store: &dyn Store,
        page: PageRequest,
    ) -> impl Future<Output = StoreResult<Page<Person>>> + Send {
        store.list_persons(None, page)
    }
}

impl PersonKind {
    pub(crate) fn features_of(p: &Person) -> PersonFeatures {
        <Self as Kind>::features(p)
    }
}

impl Kind for UnitKind {
    type Record = Unit;
    type Features = UnitFeatures;
    type Blind = BlindUnit;
    const KIND: MatchKind = MatchKind::Unit;

    fn id(r: &Unit) -> Uuid {
        r.id.as_uuid()
    }
    fn agency(r: &Unit) -> AgencyId {
        r.agency
    }
    fn sealed(r: &Unit) -> bool {
        r.classification == Classification::Sealed
    }
    fn features(r: &Unit) -> UnitFeatures {
        UnitFeatures::new(r)
    }
    fn blind(f: &UnitFeatures, keyer: &Keyer) -> BlindUnit {
        BlindUnit::encode(f, keyer)
    }
    fn filed(f: &UnitFeatures, keyer: &Keyer, s: &mut KeyScratch, out: &mut Vec<u64>) {
        f.keys(keyer, &mut s.buf, out)
    }
    fn probes(f: &UnitFeatures, keyer: &Keyer, s: &mut KeyScratch, out: &mut Vec<u64>) {
        f.keys(keyer, &mut s.buf, out)
    }
    #[allow(clippy::manual_async_fn)] // the trait asks for a future that is Send
    fn load_many(
        store: &dyn Store,
        ids: &[Uuid],
    ) -> impl Future<Output = StoreResult<Vec<Unit>>> + Send {
        let ids: Vec<_> = ids.iter().copied().map(UnitId::from_uuid).collect();
        async move { store.units_by_ids(&ids).await }
    }
    fn list(
        store: &dyn Store,
        page: PageRequest,
    ) -> impl Future<Output = StoreResult<Page<Unit>>> + Send {
        store.list_units(None, page)
    }
}

/// A record in a batch: its open features, and its blind encoding when the batch holds
/// sealed records. A pair is compared openly only when neither side is sealed.
pub(crate) struct Mixed<F, B> {
    pub open: F,
    pub blind: Option<B>,
    pub sealed: bool,
}

impl<F: Comparable, B: Comparable> Comparable for Mixed<F, B> {
    fn agency(&self) -> AgencyId {
        self.open.agency()
    }
    fn may_match(&self, other: &Self) -> bool {
        // The exact pre-filter reads open features: not for a sealed side.
        self.sealed || other.sealed || self.open.may_match(&other.open)
    }
    fn compare<S: Sink>(&self, other: &Self, sink: &mut S) {
        match (&self.blind, &other.blind) {
            (Some(a), Some(b)) if self.sealed || other.sealed => a.compare(b, sink),
            _ => self.open.compare(&other.open, sink),
        }
    }
}
