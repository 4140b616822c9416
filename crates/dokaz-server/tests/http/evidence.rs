//! Evidence over HTTP on a server with a vault: streaming upload and download with ranges,
//! originator control per grant level, a revocation cutting a download in progress, refused
//! hashes, names that are never paths, and one audit record per decision.

use std::ops::Deref;

use dokaz_ledger::Signer;
use dokaz_model::Role;
use dokaz_server::{AppState, PseudonymKey, Settings};
use dokaz_store::blob::{BlobOptions, BlobStore};
use dokaz_store::{EvidenceFilter, PageRequest};
use dokaz_vault::Vault;
use rand::RngCore as _;
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};
use sha2::Digest as _;

use crate::common::{Kind, Server};
use crate::on_both_backends;

const ORIGIN: &str = "dokaz.test/http";

/// The harness server, pointed at a second server on the same store that has a vault.
struct Ev {
    s: Server,
    blob_dir: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Deref for Ev {
    type Target = Server;
    fn deref(&self) -> &Server {
        &self.s
    }
}

async fn start(kind: Kind) -> Ev {
    let mut s = Server::start(kind).await;
    let blob_dir = tempfile::tempdir().unwrap();
    let blobs =
        BlobStore::open(blob_dir.path().to_str().unwrap(), &BlobOptions::default()).unwrap();
    let signer = Signer::generate(ORIGIN).unwrap();
    let vault = Vault::open(s.store.clone(), blobs, signer, ORIGIN)
        .await
        .unwrap();
    let settings = Settings {
        download_check_bytes: 64 << 10,
        max_upload: 64 << 20,
        ..Settings::default()
    };
    let state = AppState::from_store(s.store.clone(), PseudonymKey(b"k"[..].into()), settings)
        .with_vault(vault);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    s.base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(dokaz_server::launch(state, listener, async {
        let _ = rx.await;
    }));
    Ev {
        s,
        blob_dir,
        _stop: tx,
    }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

fn random(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut v);
    v
}

fn hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Ev {
    async fn upload(
        &self,
        token: &str,
        query: &[(&str, &str)],
        bytes: Vec<u8>,
    ) -> (StatusCode, Value) {
        let q: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        let resp = self
            .http
            .post(format!("{}/api/v1/evidence?{}", self.base, q.join("&")))
            .bearer_auth(token)
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap())
    }

    async fn download(&self, ern: &str, token: &str, range: Option<&str>) -> Response {
        let mut req = self
            .http
            .get(format!("{}/api/v1/evidence/{ern}/content", self.base))
            .bearer_auth(token);
        if let Some(r) = range {
            req = req.header("range", r);
        }
        req.send().await.unwrap()
    }

    async fn items(&self) -> usize {
        let p = self
            .store
            .list_evidence(&EvidenceFilter::default(), PageRequest::first(1000))
            .await
            .unwrap();
        p.items.len()
    }
}

async fn upload_and_download_round_trip(kind: Kind) {
    let s = start(kind).await;
    let inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let bytes = random(300 << 10);
    let (st, body) = s
        .upload(
            &inv,
            &[("name", "drone video.mp4"), ("method", "forensic")],
            bytes.clone(),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    assert_eq!(body["sha256"], hex(&bytes));
    assert_eq!(body["size"], bytes.len() as u64);
    let ern = body["ern"].as_str().unwrap().to_owned();
    assert!(ern.starts_with("UAPGO-"), "{ern}");

    let resp = s.download(&ern, &inv, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let h = resp.headers().clone();
    assert_eq!(h["accept-ranges"], "bytes");
    assert_eq!(h["etag"], format!("\"{}\"", hex(&bytes)));
    assert_eq!(h["content-type"], body["media_type"].as_str().unwrap());
    assert!(h["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"drone video.mp4\""));
    let got = resp.bytes().await.unwrap();
    assert_eq!(hex(&got), hex(&bytes));

    let (st, dup) = s.upload(&inv, &[("name", "copy.mp4")], bytes.clone()).await;
    assert_eq!(st, StatusCode::OK, "{dup}");
    assert_eq!(dup["duplicate_of"], ern.as_str());

    let (st, meta) = s.get(&format!("/api/v1/evidence/{ern}"), &inv).await;
    assert_eq!(st, StatusCode::OK, "{meta}");
    assert_eq!(meta["original_name"], "drone video.mp4");
    let (st, custody) = s
        .get(&format!("/api/v1/evidence/{ern}/custody"), &inv)
        .await;
    assert_eq!(st, StatusCode::OK, "{custody}");
    let actions: Vec<&str> = custody
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["event"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["intake", "access", "intake"], "{custody}");
    let (st, proof) = s.get(&format!("/api/v1/evidence/{ern}/proof"), &inv).await;
    assert_eq!(st, StatusCode::OK, "{proof}");
    assert_eq!(proof["entries"].as_array().unwrap().len(), 3);
    assert!(proof["checkpoint"].as_str().unwrap().starts_with(ORIGIN));
    let (st, list) = s.get("/api/v1/evidence?agency=UAPGO", &inv).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

async fn ranges(kind: Kind) {
    let s = start(kind).await;
    let inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let bytes = random(1000);
    let (_, body) = s.upload(&inv, &[("name", "r.bin")], bytes.clone()).await;
    let ern = body["ern"].as_str().unwrap();
    for (range, want, content_range) in [
        ("bytes=0-9", 0..10, "bytes 0-9/1000"),
        ("bytes=990-", 990..1000, "bytes 990-999/1000"),
        ("bytes=-5", 995..1000, "bytes 995-999/1000"),
        ("bytes=500-2000", 500..1000, "bytes 500-999/1000"),
    ] {
        let resp = s.download(ern, &inv, Some(range)).await;
        assert_eq!(resp.status(), StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(resp.headers()["content-range"], content_range);
        assert_eq!(&resp.bytes().await.unwrap()[..], &bytes[want]);
    }
    let resp = s.download(ern, &inv, Some("bytes=1000-")).await;
    assert_eq!(resp.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(resp.headers()["content-range"], "bytes */1000");
}

async fn another_agency_needs_a_grant_at_each_level(kind: Kind) {
    let s = start(kind).await;
    let pros = s.login_as(s.a, "petro", &[Role::Prosecutor], false).await;
    let b_inv = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;
    let (st, case) = s
        .post(
            "/api/v1/cases",
            &pros,
            json!({"reference": "12022000000000123", "title": "Mariupol"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{case}");
    let bytes = random(4096);
    let (st, body) = s
        .upload(
            &pros,
            &[("name", "statement.pdf"), ("case", "12022000000000123")],
            bytes.clone(),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let ern = body["ern"].as_str().unwrap().to_owned();
    let meta = format!("/api/v1/evidence/{ern}");

    let before = s.audit_records().await.len();
    assert_eq!(s.get(&meta, &b_inv).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        s.download(&ern, &b_inv, None).await.status(),
        StatusCode::FORBIDDEN
    );
    let (_, list) = s.get("/api/v1/evidence", &b_inv).await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "nothing leaks in lists"
    );
    assert_eq!(
        s.audit_records().await.len(),
        before + 2,
        "each denial one record"
    );

    let grant = |level: &str| {
        json!({"grantee": "JITEU", "target": {"kind": "case", "id": case["id"]},
        "level": level, "purpose": "JIT"})
    };
    let (st, g) = s.post("/api/v1/grants", &pros, grant("metadata")).await;
    assert_eq!(st, StatusCode::CREATED, "{g}");
    let (st, m) = s.get(&meta, &b_inv).await;
    assert_eq!(st, StatusCode::OK, "{m}");
    assert_eq!(
        s.download(&ern, &b_inv, None).await.status(),
        StatusCode::FORBIDDEN
    );

    let (st, _) = s.post("/api/v1/grants", &pros, grant("download")).await;
    assert_eq!(st, StatusCode::CREATED);
    let before = s.audit_records().await.len();
    let resp = s.download(&ern, &b_inv, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(hex(&resp.bytes().await.unwrap()), hex(&bytes));
    let records = s.audit_records().await;
    assert_eq!(records.len(), before + 1, "one download, one audit record");
    let last = records.last().unwrap();
    assert_eq!(
        last.target.as_deref(),
        Some(format!("evidence:{ern}").as_str())
    );
}

async fn revocation_cuts_a_download_in_progress(kind: Kind) {
    let s = start(kind).await;
    let pros = s.login_as(s.a, "petro", &[Role::Prosecutor], false).await;
    let b_inv = s.login_as(s.b, "bruno", &[Role::Investigator], false).await;
    let (_, case) = s
        .post(
            "/api/v1/cases",
            &pros,
            json!({"reference": "JIT-2022", "title": "Bucha"}),
        )
        .await;
    let size = 24 << 20;
    let (st, body) = s
        .upload(
            &pros,
            &[("name", "big.bin"), ("case", "JIT-2022")],
            random(size),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let ern = body["ern"].as_str().unwrap();
    let (st, g) = s
        .post(
            "/api/v1/grants",
            &pros,
            json!({"grantee": "JITEU",
            "target": {"kind": "case", "id": case["id"]}, "level": "download", "purpose": "JIT"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{g}");

    let mut resp = s.download(ern, &b_inv, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let mut received = resp.chunk().await.unwrap().unwrap().len();
    let gid = g["id"].as_str().unwrap();
    let (st, _) = s
        .call(
            Method::DELETE,
            &format!("/api/v1/grants/{gid}"),
            Some(&pros),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let mut cut = false;
    loop {
        match resp.chunk().await {
            Ok(Some(c)) => received += c.len(),
            Ok(None) => break,
            Err(_) => {
                cut = true;
                break;
            }
        }
    }
    assert!(
        cut && received < size,
        "cut after {received} of {size} bytes"
    );
    let records = s.audit_records().await;
    assert!(records
        .iter()
        .any(|r| r.reason.starts_with("download stopped")
            && r.target.as_deref() == Some(&format!("evidence:{ern}"))));
    assert_eq!(
        s.download(ern, &b_inv, None).await.status(),
        StatusCode::FORBIDDEN
    );
}

async fn a_wrong_declared_hash_stores_nothing(kind: Kind) {
    let s = start(kind).await;
    let inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let bytes = random(5000);
    let declared = hex(b"something else");
    let (st, body) = s
        .upload(
            &inv,
            &[("name", "x.bin"), ("sha256", &declared)],
            bytes.clone(),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let msg = body["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains(&declared) && msg.contains(&hex(&bytes)),
        "{msg}"
    );
    assert_eq!(s.items().await, 0);
    let stored = walk(s.blob_dir.path());
    assert!(!stored.iter().any(|p| p.contains("sha256/")), "{stored:?}");
    let (st, body) = s
        .upload(&inv, &[("name", "x.bin"), ("sha256", &hex(&bytes))], bytes)
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}

async fn names_are_never_paths(kind: Kind) {
    let s = start(kind).await;
    let inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let (st, body) = s
        .upload(
            &inv,
            &[("name", "../../etc/passwd")],
            b"root:x:0:0".to_vec(),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    assert_eq!(body["evidence"]["original_name"], "../../etc/passwd");
    let ern = body["ern"].as_str().unwrap();
    let resp = s.download(ern, &inv, None).await;
    let cd = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cd.starts_with("attachment; filename=\"passwd\""), "{cd}");
    let files = walk(s.blob_dir.path());
    assert!(
        files
            .iter()
            .all(|f| !f.contains("passwd") && !f.contains("..")),
        "{files:?}"
    );
}

async fn unknown_and_malformed_erns(kind: Kind) {
    let s = start(kind).await;
    let inv = s.login_as(s.a, "anna", &[Role::Investigator], false).await;
    let (st, body) = s.get("/api/v1/evidence/UAPGO-GEN-000999", &inv).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{body}");
    let resp = s.download("UAPGO-GEN-000999", &inv, None).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let (st, body) = s.get("/api/v1/evidence/not-an-ern", &inv).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{body}");
    let analyst = s.login_as(s.a, "olga", &[Role::Analyst], false).await;
    let before = s.audit_records().await.len();
    let (st, body) = s
        .upload(&analyst, &[("name", "a.txt")], b"hello".to_vec())
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(s.audit_records().await.len(), before + 1);
    assert_eq!(s.items().await, 0);
}

on_both_backends!(
    upload_and_download_round_trip,
    ranges,
    another_agency_needs_a_grant_at_each_level,
    revocation_cuts_a_download_in_progress,
    a_wrong_declared_hash_stores_nothing,
    names_are_never_paths,
    unknown_and_malformed_erns,
);
