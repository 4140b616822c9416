//! The evidence tests' server: the shared harness's server and store, with a second server
//! on the same store that has a vault (blobs in a temporary folder), which the harness's
//! client is pointed at; and the requests that send and fetch raw bytes.

use std::ops::Deref;
use std::time::Duration;

use dokaz_ledger::Signer;
use dokaz_server::{AppState, PseudonymKey, Settings};
use dokaz_store::blob::{BlobOptions, BlobStore};
use dokaz_store::{EvidenceFilter, PageRequest};
use dokaz_vault::Vault;
use rand::RngCore as _;
use reqwest::{Response, StatusCode};
use serde_json::Value;
use sha2::Digest as _;

use crate::common::{Kind, Server};

pub const ORIGIN: &str = "dokaz.test/http";

/// The harness server, pointed at a second server on the same store that has a vault.
pub struct Ev {
    s: Server,
    pub blob_dir: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Deref for Ev {
    type Target = Server;
    fn deref(&self) -> &Server {
        &self.s
    }
}

/// Settings for the tests: downloads re-checked every 64 KiB, uploads up to 64 MiB.
pub fn settings() -> Settings {
    Settings {
        download_check_bytes: 64 << 10,
        max_upload: 64 << 20,
        ..Settings::default()
    }
}

pub async fn start(kind: Kind) -> Ev {
    start_with(kind, settings()).await
}

pub async fn start_with(kind: Kind, settings: Settings) -> Ev {
    let mut s = Server::start(kind).await;
    let blob_dir = tempfile::tempdir().unwrap();
    let blobs =
        BlobStore::open(blob_dir.path().to_str().unwrap(), &BlobOptions::default()).unwrap();
    let signer = Signer::generate(ORIGIN).unwrap();
    let vault = Vault::open(s.store.clone(), blobs, signer, ORIGIN)
        .await
        .unwrap();
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

pub fn random(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut v);
    v
}

pub fn hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Ev {
    pub async fn upload(
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
            // A refused upload may leave its body unread; no connection is reused after it.
            .header("connection", "close")
            .body(bytes)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap())
    }

    pub async fn download(&self, ern: &str, token: &str, range: Option<&str>) -> Response {
        let mut req = self
            .http
            .get(format!("{}/api/v1/evidence/{ern}/content", self.base))
            .bearer_auth(token);
        if let Some(r) = range {
            req = req.header("range", r);
        }
        req.send().await.unwrap()
    }

    pub async fn items(&self) -> usize {
        let p = self
            .store
            .list_evidence(&EvidenceFilter::default(), PageRequest::first(1000))
            .await
            .unwrap();
        p.items.len()
    }
}

pub fn walk(dir: &std::path::Path) -> Vec<String> {
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

/// An upload sent by hand in chunks, with `pause` before each: what a slow link looks like.
/// Returns the response's status code.
pub async fn slow_upload(ev: &Ev, token: &str, chunks: usize, pause: Duration) -> u16 {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let addr = ev.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/evidence?name=slow.bin HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    for _ in 0..chunks {
        tokio::time::sleep(pause).await;
        let data = random(1000);
        let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
        chunk.extend(data);
        chunk.extend(b"\r\n");
        if tcp.write_all(&chunk).await.is_err() {
            break;
        }
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = tcp.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response);
    text.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}
