//! Evidence matching at intake through a real vault (SQLite store, local blob folder): two
//! agencies taking in the same bytes are told of each other, a re-encoded and resized copy
//! of a picture is a near-identical match, a different picture and a file of the same
//! agency are not, and a sealed side takes part without reasons.

use std::io::Cursor;
use std::sync::Arc;

use chrono::Utc;
use dokaz_deconflict::{image_phash, Deconflictor, Written};
use dokaz_ledger::Signer;
use dokaz_match::weights::Weights;
use dokaz_model::{
    Agency, AgencyId, AgencyKind, Classification, CollectionMethod, Evidence, MatchKind,
};
use dokaz_store::blob::{BlobOptions, BlobStore};
use dokaz_store::{AgencyStore, MatchFilter, MatchStore, PageRequest};
use dokaz_store_sqlite::SqliteStore;
use dokaz_vault::{IntakeRequest, Vault};
use image::{ImageFormat, RgbImage};

const KEY: [u8; 32] = [7; 32];
const ORIGIN: &str = "dokaz.test/evidence-matching";

struct Node {
    _dir: tempfile::TempDir,
    store: Arc<SqliteStore>,
    vault: Vault,
}

async fn node() -> Node {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("dokaz.db").display());
    let store = Arc::new(SqliteStore::open(&url).await.unwrap());
    let blobs = BlobStore::open(
        dir.path().join("blobs").to_str().unwrap(),
        &BlobOptions::default(),
    )
    .unwrap();
    let vault = Vault::open(
        store.clone(),
        blobs,
        Signer::generate(ORIGIN).unwrap(),
        ORIGIN,
    )
    .await
    .unwrap();
    Node {
        _dir: dir,
        store,
        vault,
    }
}

async fn agency(n: &Node, code: &str) -> Agency {
    let a = Agency {
        id: AgencyId::new(),
        code: code.parse().unwrap(),
        name: format!("Agency {code}"),
        kind: AgencyKind::NationalProsecutor,
        country: "UA".into(),
        created_at: Utc::now(),
    };
    n.store.create_agency(&a).await.unwrap();
    a
}

/// Takes the bytes in as `agency` and matches the item, as the upload handler and
/// `dokaz ingest` do: the perceptual hash from the stored blob, then deconfliction.
async fn take_in(
    n: &Node,
    agency: &Agency,
    name: &str,
    bytes: &[u8],
    classification: Classification,
) -> (Evidence, usize) {
    let req = IntakeRequest {
        agency: agency.id,
        agency_code: agency.code.clone(),
        case: None,
        original_name: name.into(),
        collector: String::new(),
        method: CollectionMethod::OpenSource,
        source_url: None,
        incidents: Vec::new(),
        classification,
        actor: None,
        declared_sha256: None,
        collection: None,
    };
    let receipt = n.vault.ingest(bytes, req).await.unwrap();
    let phash = image_phash(n.vault.blobs(), &receipt.evidence).await;
    let d = Deconflictor::new(n.store.as_ref(), Weights::default(), &KEY);
    let found = d
        .written(Written::Evidence(&receipt.evidence, phash))
        .await
        .unwrap();
    (receipt.evidence, found.len())
}

async fn evidence_matches(n: &Node, agency: &Agency) -> Vec<dokaz_model::Match> {
    let filter = MatchFilter {
        kind: Some(MatchKind::Evidence),
        status: None,
    };
    n.store
        .matches_for(agency.id, &filter, PageRequest::first(100))
        .await
        .unwrap()
        .items
}

/// A street scene stand-in: waves, a disc and a bar, placed by `seed`.
fn picture(seed: u32) -> RgbImage {
    let (w, h, s) = (480, 360, seed as f32);
    RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let mut v = 128.0
            + 50.0 * (fx * (3.0 + s) * std::f32::consts::TAU + s).sin()
            + 40.0 * (fy * (2.0 + s * 0.7) * std::f32::consts::TAU).cos();
        if (fx - 0.3 - 0.1 * (s % 4.0)).powi(2) + (fy - 0.6 + 0.1 * (s % 3.0)).powi(2) < 0.04 {
            v = 255.0 - v;
        }
        let v = v.clamp(0.0, 255.0) as u8;
        image::Rgb([v, v / 2 + 60, 255 - v])
    })
}

fn png(img: &RgbImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .unwrap();
    out
}

#[tokio::test]
async fn the_same_bytes_in_two_agencies_are_one_match_for_both() {
    let n = node().await;
    let (pgo, ngo) = (agency(&n, "PGO").await, agency(&n, "NGO").await);
    let report = b"%PDF-1.7\nforensic report of the strike on school 134\n%%EOF\n".repeat(50);

    let (first, found) = take_in(&n, &pgo, "report.pdf", &report, Classification::Restricted).await;
    assert_eq!(found, 0, "nothing to match yet");
    assert_eq!(first.media_type, "application/pdf");
    let (second, found) = take_in(&n, &ngo, "copy.pdf", &report, Classification::Restricted).await;
    assert_eq!(found, 1);

    for a in [&pgo, &ngo] {
        let ms = evidence_matches(&n, a).await;
        assert_eq!(ms.len(), 1, "{} sees the match", a.code);
        let m = &ms[0];
        let records = [m.a.record, m.b.record];
        assert!(records.contains(&first.id.as_uuid()) && records.contains(&second.id.as_uuid()));
        assert!(
            m.reasons.contains("identical file (same SHA-256)"),
            "{}",
            m.reasons
        );
        assert!(m.score >= Weights::default().threshold.unit);
    }

    // The same agency taking the bytes in again is a duplicate, never a match with itself.
    let (again, found) = take_in(&n, &pgo, "again.pdf", &report, Classification::Restricted).await;
    assert_eq!(again.id, first.id);
    assert_eq!(found, 1, "the other agency's item, found again");
    assert_eq!(evidence_matches(&n, &pgo).await.len(), 1, "stored once");
}

#[tokio::test]
async fn a_recompressed_resized_picture_is_near_identical_and_another_is_not() {
    let n = node().await;
    let (pgo, ngo, hrw) = (
        agency(&n, "PGO").await,
        agency(&n, "NGO").await,
        agency(&n, "HRW").await,
    );
    let original = picture(1);
    let (mine, _) = take_in(
        &n,
        &pgo,
        "strike.png",
        &png(&original),
        Classification::Restricted,
    )
    .await;
    assert!(image_phash(n.vault.blobs(), &mine).await.is_some());

    // As a messenger would pass it on: smaller, and recompressed.
    let forwarded =
        image::imageops::resize(&original, 320, 240, image::imageops::FilterType::Triangle);
    let (theirs, found) = take_in(
        &n,
        &ngo,
        "photo_2022.jpg",
        &jpeg(&forwarded, 70),
        Classification::Restricted,
    )
    .await;
    assert_eq!(theirs.media_type, "image/jpeg");
    assert_eq!(found, 1);
    let ms = evidence_matches(&n, &ngo).await;
    assert_eq!(ms.len(), 1);
    assert!(
        ms[0]
            .reasons
            .starts_with("near-identical image (perceptual distance"),
        "{}",
        ms[0].reasons
    );
    assert!(!ms[0].reasons.contains("identical file"));

    // A different picture matches nothing.
    let (_, found) = take_in(
        &n,
        &hrw,
        "other.jpg",
        &jpeg(&picture(3), 85),
        Classification::Restricted,
    )
    .await;
    assert_eq!(found, 0);
    assert!(evidence_matches(&n, &hrw).await.is_empty());
}

#[tokio::test]
async fn a_sealed_item_matches_blindly() {
    let n = node().await;
    let (pgo, ngo) = (agency(&n, "PGO").await, agency(&n, "NGO").await);
    let photo = jpeg(&picture(2), 90);
    let (sealed, _) = take_in(&n, &pgo, "witness.jpg", &photo, Classification::Sealed).await;
    let (_, found) = take_in(&n, &ngo, "witness.jpg", &photo, Classification::Restricted).await;
    assert_eq!(found, 1);
    let m = &evidence_matches(&n, &ngo).await[0];
    assert!(m.is_blind());
    assert!(m.reasons.is_empty(), "no reasons beside a sealed side");
    let side = m.side_of(pgo.id).unwrap();
    assert!(side.sealed);
    assert_eq!(side.record, sealed.id.as_uuid());
}
