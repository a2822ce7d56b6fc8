//! [`SearchIndex`] over the actor's own SQLite storage: an FTS5 table,
//! `search_docs`, with the tokenizer `porter unicode61 remove_diacritics 2`
//! (English stemming, case- and accent-insensitive), and its schema
//! version in `search_meta`. It lives in the tenant's own object, so it is
//! per-tenant by construction, and it changes in the same actor write as
//! the content it indexes.

use grove_shared::admin::store::StoreError;
use grove_shared::search::document::{SearchDoc, MARK_END, MARK_START};
use grove_shared::search::index::{Found, Hit, SearchIndex, SCHEMA_VERSION};
use worker::{SqlStorage, SqlStorageValue, Storage};

/// Columns: key, path, published_at, visible (not indexed); title, tags, body.
const CREATE: &str = "CREATE VIRTUAL TABLE IF NOT EXISTS search_docs USING fts5(\
    key UNINDEXED, path UNINDEXED, published_at UNINDEXED, visible UNINDEXED, title, tags, body, \
    tokenize = 'porter unicode61 remove_diacritics 2')";
/// A title match weighs 10 body matches, a tag match 4.
const RANK: &str = "bm25(search_docs, 0, 0, 0, 0, 10.0, 4.0, 1.0)";

/// The actor's SQLite storage as a search index.
pub struct DoSearchIndex {
    sql: SqlStorage,
}

impl DoSearchIndex {
    pub fn new(storage: &Storage) -> Self {
        DoSearchIndex { sql: storage.sql() }
    }

    fn sql(&self) -> SqlStorage {
        self.sql.clone()
    }
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

fn insert(sql: &SqlStorage, doc: &SearchDoc) -> Result<(), StoreError> {
    sql.exec(
        "INSERT INTO search_docs (key, path, published_at, visible, title, tags, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
        vec![
            doc.key.as_str().into(),
            doc.path.as_str().into(),
            SqlStorageValue::Float(doc.published_at as f64),
            SqlStorageValue::Integer(i64::from(doc.visible)),
            doc.title.as_str().into(),
            doc.tags.as_str().into(),
            doc.body.as_str().into(),
        ],
    )
    .map_err(err)?;
    Ok(())
}

fn delete(sql: &SqlStorage, key: &str) -> Result<(), StoreError> {
    sql.exec("DELETE FROM search_docs WHERE key = ?", vec![key.into()])
        .map_err(err)?;
    Ok(())
}

#[derive(serde::Deserialize)]
struct Row {
    key: String,
    path: String,
    title: String,
    snippet: String,
    published_at: f64,
}

#[derive(serde::Deserialize)]
struct Count {
    n: f64,
}

#[derive(serde::Deserialize)]
struct Version {
    version: f64,
}

impl SearchIndex for DoSearchIndex {
    async fn version(&self) -> Result<Option<u32>, StoreError> {
        let sql = self.sql();
        sql.exec(
            "CREATE TABLE IF NOT EXISTS search_meta (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
            None,
        )
        .map_err(err)?;
        let rows: Vec<Version> = sql
            .exec("SELECT version FROM search_meta WHERE id = 1", None)
            .map_err(err)?
            .to_array()
            .map_err(err)?;
        Ok(rows.first().map(|r| r.version as u32))
    }

    async fn rebuild(&self, docs: &[SearchDoc]) -> Result<(), StoreError> {
        let sql = self.sql();
        sql.exec("DROP TABLE IF EXISTS search_docs", None)
            .map_err(err)?;
        sql.exec(CREATE, None).map_err(err)?;
        for doc in docs {
            insert(&sql, doc)?;
        }
        sql.exec(
            "INSERT OR REPLACE INTO search_meta (id, version) VALUES (1, ?)",
            vec![SqlStorageValue::Integer(i64::from(SCHEMA_VERSION))],
        )
        .map_err(err)?;
        Ok(())
    }

    async fn update(&self, docs: &[SearchDoc], gone: &[String]) -> Result<(), StoreError> {
        let sql = self.sql();
        sql.exec(CREATE, None).map_err(err)?;
        for key in gone {
            delete(&sql, key)?;
        }
        for doc in docs {
            delete(&sql, &doc.key)?;
            insert(&sql, doc)?;
        }
        Ok(())
    }

    async fn search(
        &self,
        fts: &str,
        limit: usize,
        offset: usize,
        readers: bool,
    ) -> Result<Found, StoreError> {
        let sql = self.sql();
        let only = if readers { " AND visible = 1" } else { "" };
        let counts: Vec<Count> = sql
            .exec(
                &format!("SELECT count(*) AS n FROM search_docs WHERE search_docs MATCH ?{only}"),
                vec![fts.into()],
            )
            .map_err(err)?
            .to_array()
            .map_err(err)?;
        let total = counts.first().map_or(0, |c| c.n as usize);
        let query = format!(
            "SELECT key, path, title, published_at, \
             snippet(search_docs, 6, char({}), char({}), '…', 24) AS snippet \
             FROM search_docs WHERE search_docs MATCH ?{only} \
             ORDER BY {RANK}, published_at DESC LIMIT ? OFFSET ?",
            MARK_START as u32, MARK_END as u32
        );
        let rows: Vec<Row> = sql
            .exec(
                &query,
                vec![
                    fts.into(),
                    SqlStorageValue::Integer(limit as i64),
                    SqlStorageValue::Integer(offset as i64),
                ],
            )
            .map_err(err)?
            .to_array()
            .map_err(err)?;
        Ok(Found {
            total,
            hits: rows
                .into_iter()
                .map(|r| Hit {
                    key: r.key,
                    path: r.path,
                    title: r.title,
                    snippet_raw: r.snippet,
                    published_at: r.published_at as i64,
                })
                .collect(),
        })
    }
}
