//! Reading records back from their JSON documents: by id, and as keyset pages, for any
//! registry table.

use dokaz_store::sql::{backend, from_doc, BULK_CHUNK};
use dokaz_store::{Page, PageRequest, StoreError, StoreResult};
use serde::de::DeserializeOwned;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use uuid::Uuid;

/// One record by primary key. `table` is always a constant of this crate, never user input.
pub(crate) async fn get<T: DeserializeOwned>(
    pool: &SqlitePool,
    table: &'static str,
    entity: &'static str,
    id: Uuid,
) -> StoreResult<T> {
    let sql = format!("SELECT doc FROM {table} WHERE id = ?");
    let doc: Option<String> = sqlx::query_scalar(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(backend)?;
    from_doc(&doc.ok_or_else(|| StoreError::not_found(entity, id))?)
}

/// The records among `ids` that exist, each once, a statement per chunk of ids.
pub(crate) async fn get_many<T: DeserializeOwned>(
    pool: &SqlitePool,
    table: &'static str,
    ids: impl Iterator<Item = Uuid>,
) -> StoreResult<Vec<T>> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(BULK_CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT doc FROM {table} WHERE id IN ("));
        let mut sep = q.separated(", ");
        for id in chunk {
            sep.push_bind(*id);
        }
        q.push(")");
        let docs: Vec<String> = q
            .build_query_scalar()
            .fetch_all(pool)
            .await
            .map_err(backend)?;
        for d in &docs {
            out.push(from_doc(d)?);
        }
    }
    Ok(out)
}

/// A page of a table in id order, optionally of one agency.
pub(crate) async fn page<T: DeserializeOwned>(
    pool: &SqlitePool,
    table: &'static str,
    agency: Option<Uuid>,
    req: PageRequest,
    id_of: impl Fn(&T) -> Uuid,
) -> StoreResult<Page<T>> {
    let sql = match agency {
        Some(_) => {
            format!("SELECT doc FROM {table} WHERE id > ? AND agency_id = ? ORDER BY id LIMIT ?")
        }
        None => format!("SELECT doc FROM {table} WHERE id > ? ORDER BY id LIMIT ?"),
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
