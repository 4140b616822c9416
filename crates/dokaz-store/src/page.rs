//! Keyset paging. Offsets drift when rows are added while a user pages and cost O(offset);
//! a keyset cursor (the last id seen) is stable and uses the primary-key index. Ids are UUID
//! v7, so id order is creation order.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::StoreError;

/// The most records one page may hold, whatever the caller asks for.
pub const MAX_PAGE_SIZE: u32 = 1_000;

/// An opaque position in a list: the id of the last record of the previous page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor(pub Uuid);

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.as_bytes())
    }

    pub fn decode(s: &str) -> Result<Self, StoreError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| StoreError::BadCursor)?;
        let arr: [u8; 16] = bytes.try_into().map_err(|_| StoreError::BadCursor)?;
        Ok(Self(Uuid::from_bytes(arr)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub after: Option<Cursor>,
    pub limit: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            after: None,
            limit: 100,
        }
    }
}

impl PageRequest {
    pub fn first(limit: u32) -> Self {
        Self { after: None, limit }
    }

    /// The limit clamped to `1..=MAX_PAGE_SIZE`.
    pub fn effective_limit(&self) -> u32 {
        self.limit.clamp(1, MAX_PAGE_SIZE)
    }

    /// How many rows a backend fetches: one more than the page, to know whether a next page
    /// exists without a second query.
    pub fn fetch_limit(&self) -> i64 {
        i64::from(self.effective_limit()) + 1
    }

    /// The lower bound for `WHERE id > ?`: the nil UUID sorts before every v7 id.
    pub fn after_uuid(&self) -> Uuid {
        self.after.map(|c| c.0).unwrap_or(Uuid::nil())
    }
}

/// One page of a list, with the cursor for the next page when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from rows fetched with [`PageRequest::fetch_limit`].
    pub fn from_rows(mut rows: Vec<T>, req: &PageRequest, id_of: impl Fn(&T) -> Uuid) -> Self {
        let limit = req.effective_limit() as usize;
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|last| Cursor(id_of(last)).encode())
        } else {
            None
        };
        Self { items: rows, next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let c = Cursor(Uuid::now_v7());
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        assert!(matches!(Cursor::decode("@@"), Err(StoreError::BadCursor)));
        assert!(matches!(Cursor::decode("AAAA"), Err(StoreError::BadCursor)));
    }

    #[test]
    fn page_knows_whether_more_follow() {
        let req = PageRequest::first(2);
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let page = Page::from_rows(ids.clone(), &req, |u| *u);
        assert_eq!(page.items.len(), 2);
        assert_eq!(
            Cursor::decode(page.next.as_deref().unwrap()).unwrap().0,
            ids[1]
        );
        let last = Page::from_rows(ids[..2].to_vec(), &req, |u| *u);
        assert!(last.next.is_none());
    }
}
