//! Lists that show only what the caller may view, and leak nothing through their shape.
//! The store is paged and each record filtered with the same decision a single read gets;
//! a page is filled from as many store pages as needed, the `next` cursor is the last record
//! *returned*, and it is only given when another visible record exists — so neither a
//! count, a short page nor a cursor tells of records the caller cannot see.

use std::future::Future;

use chrono::Utc;
use dokaz_access::{decide, Action};
use dokaz_model::GrantLevel;
use dokaz_store::{Cursor, Page, PageRequest, StoreResult};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::audit;
use crate::auth::Caller;
use crate::authz::{must_audit, Guarded};
use crate::error::{ApiError, ApiResult};
use crate::records::Containers;
use crate::state::AppState;

/// Paging parameters every list takes.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct PageParams {
    /// The `next` value of the previous page.
    pub after: Option<String>,
    /// Records per page, 1–1000 (default 100).
    pub limit: Option<u32>,
}

impl PageParams {
    pub fn request(&self) -> ApiResult<PageRequest> {
        let after = match &self.after {
            Some(a) => Some(
                Cursor::decode(a)
                    .map_err(|_| ApiError::field("after", "not a cursor we issued"))?,
            ),
            None => None,
        };
        Ok(PageRequest {
            after,
            limit: self.limit.unwrap_or(100),
        })
    }
}

/// One page of the records of kind `R` the caller may view at metadata level. `fetch`
/// reads a page of the store; `id` gives a record's cursor position.
pub async fn visible<R, F, Fut>(
    state: &AppState,
    caller: &Caller,
    params: &PageParams,
    fetch: F,
    id: impl Fn(&R) -> uuid::Uuid,
) -> ApiResult<Page<R>>
where
    R: Guarded,
    F: Fn(PageRequest) -> Fut,
    Fut: Future<Output = StoreResult<Page<R>>>,
{
    let req = params.request()?;
    let want = req.effective_limit() as usize;
    let action = Action::View(GrantLevel::Metadata);
    let mut items = Vec::with_capacity(want + 1);
    let mut records = vec![];
    let mut store_page = PageRequest {
        after: req.after,
        limit: req.effective_limit().max(50),
    };
    let now = Utc::now();
    let known = Containers::default();
    'pages: loop {
        let page = fetch(store_page).await?;
        for r in page.items {
            let facts = r
                .facts(state.store.as_ref(), caller.user.agency, &known)
                .await?;
            let grants = if facts.agency == caller.principal.agency {
                vec![]
            } else {
                state
                    .grants
                    .grants_for(caller.principal.agency, &facts.covered_by)
                    .await?
            };
            let v = decide(&caller.principal, action, &facts, &grants, now);
            if !v.allowed {
                continue;
            }
            if items.len() == want {
                // One more visible record exists: that is all `next` needs to know.
                items.push(r);
                break 'pages;
            }
            if must_audit(&v, action, facts.classification) {
                let target = format!("{}:{}", R::KIND.code(), r.id());
                let name = format!("{}.list", R::KIND.code());
                records.push(audit::verdict(caller, name, Some(target), &v));
            }
            items.push(r);
        }
        match page.next {
            Some(n) => store_page.after = Some(Cursor::decode(&n)?),
            None => break,
        }
    }
    audit::append(state, records).await?;
    let next = if items.len() > want {
        items.truncate(want);
        items.last().map(|r| Cursor(id(r)).encode())
    } else {
        None
    };
    Ok(Page { items, next })
}
