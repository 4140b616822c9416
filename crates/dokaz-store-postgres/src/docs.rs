//! Reading records back from their JSON documents: by id, and as keyset pages, for any
//! registry table.

use dokaz_store::sql::{backend, from_doc};
use dokaz_store::{Page, PageRequest, StoreError, StoreResult};
use serde::de::DeserializeOwned;
use sqlx::PgPool;
use uuid::Uuid;

/// One record by primary key. `table` is always a constant of this crate, never user input.
pub(crate) async fn get<T: DeserializeOwned>(
    pool: &PgPool,
    table: &'static str,
    entity: &'static str,
    id: Uuid,
) -> StoreResult<T> {
    let sql = format!("SELECT doc::text FROM {table} WHERE id = $1");
    let doc: Option<String> = sqlx::query_scalar(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(backend)?;
    from_doc(&doc.ok_or_else(|| StoreError::not_found(entity, id))?)
}

/// The records among `ids` that exist, each once, in one statement.
pub(crate) async fn get_many<T: DeserializeOwned>(
    pool: &PgPool,
    table: &'static str,
    ids: impl Iterator<Item = Uuid>,
) -> StoreResult<Vec<T>> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT doc::text FROM {table} WHERE id = ANY($1)");
    let docs: Vec<String> = sqlx::query_scalar(&sql)
        .bind(&ids)
        .fetch_all(pool)
        .await
        .map_err(backend)?;
    docs.iter().map(|d| from_doc(d)).collect()
}

/// A page of a table in id order, optionally of one agency.
pub(crate) async fn page<T: DeserializeOwned>(
    pool: &PgPool,
    table: &'static str,
    agency: Option<Uuid>,
    req: PageRequest,
    id_of: impl Fn(&T) -> Uuid,
) -> StoreResult<Page<T>> {
    let sql = match agency {
        Some(_) => format!(
            "SELECT doc::text FROM {table} WHERE id > $1 AND agency_id = $2 ORDER BY id LIMIT $3"
        ),
        None => format!("SELECT doc::text FROM {table} WHERE id > $1 ORDER BY id LIMIT $2"),
    };
    let mut q = sqlx::query_scalar::<_, String>(&sql).bind(req.after_uuid());
    if let Some(a) = agency {
        q = q.bind(a);
    }
    let docs = q
        .bind(req.fetch_limit())
        .fetch_all(pool)
        .await
        .map_err(backend)?;
    let rows = docs
        .iter()
        .map(|d| from_doc(d))
        .collect::<StoreResult<Vec<T>>>()?;
    Ok(Page::from_rows(rows, &req, id_of))
}
