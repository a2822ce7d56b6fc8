//! [`SearchIndex`] over the actor's own SQLite storage: an FTS5 table,
//! `search_docs`, with the tokenizer `porter unicode61 remove_diacritics 2`
//! (English stemming, case- and accent-insensitive), and its schema
//! version in `search_meta`. Each row's rowid carries whether readers may
//! find it and when it went live ([`rowid_base`]), so ranking never reads a
//! stored row, and snippets are cut only for the page of results shown. It lives in the tenant's own object, so it is
//! per-tenant by construction, and it changes in the same actor write as
//! the content it indexes.

use grove_shared::admin::store::StoreError;
use grove_shared::search::document::{SearchDoc, MARK_END, MARK_START};
use grove_shared::search::index::{
    rowid_base, Found, Hit, SearchIndex, READERS_FROM, ROWID_SLOTS, SCHEMA_VERSION,
};
use worker::{SqlStorage, SqlStorageValue, Storage};

/// Columns: key, path, published_at (not indexed); title, tags, body.
const CREATE: &str = "CREATE VIRTUAL TABLE IF NOT EXISTS search_docs USING fts5(\
    key UNINDEXED, path UNINDEXED, published_at UNINDEXED, title, tags, body, \
    tokenize = 'porter unicode61 remove_diacritics 2')";
/// A title match weighs 10 body matches, a tag match 4.
const RANK: &str = "bm25(search_docs, 0, 0, 0, 10.0, 4.0, 1.0)";
/// The title's column, for `highlight()`.
const TITLE: usize = 3;
/// The body's column, for `snippet()`.
const BODY: usize = 5;

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

fn int(n: impl TryInto<i64>) -> SqlStorageValue {
    SqlStorageValue::Integer(n.try_into().unwrap_or(i64::MAX))
}

#[derive(serde::Deserialize)]
struct RowId {
    id: f64,
}

/// The first free rowid from the document's base: documents published in
/// the same second take the slots after it.
fn free_rowid(sql: &SqlStorage, doc: &SearchDoc) -> Result<i64, StoreError> {
    let base = rowid_base(doc.published_at, doc.visible);
    let taken: Vec<RowId> = sql
        .exec(
            "SELECT rowid AS id FROM search_docs WHERE rowid >= ? AND rowid < ? ORDER BY rowid",
            vec![int(base), int(base + ROWID_SLOTS)],
        )
        .map_err(err)?
        .to_array()
        .map_err(err)?;
    let mut next = base;
    for t in taken {
        if t.id as i64 != next {
            break;
        }
        next += 1;
    }
    if next >= base + ROWID_SLOTS {
        return Err(StoreError(format!(
            "more than {ROWID_SLOTS} documents published in one second"
        )));
    }
    Ok(next)
}

fn insert(sql: &SqlStorage, doc: &SearchDoc) -> Result<(), StoreError> {
    let rowid = free_rowid(sql, doc)?;
    sql.exec(
        "INSERT INTO search_docs (rowid, key, path, published_at, title, tags, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
        vec![
            int(rowid),
            doc.key.as_str().into(),
            doc.path.as_str().into(),
            int(doc.published_at),
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
    title_marked: String,
    snippet: String,
    published_at: f64,
    total: f64,
}

#[derive(serde::Deserialize)]
struct Key {
    key: String,
}

#[derive(serde::Deserialize)]
struct Count {
    n: f64,
}

#[derive(serde::Deserialize)]
struct Version {
    version: f64,
}

/// Ranks every match from the index alone (rowids and bm25), keeps one
/// page of them, and only then reads those rows and cuts their snippets:
/// `snippet()` in a plain `ORDER BY … LIMIT` would be cut for every match.
fn page_query(readers: bool) -> String {
    let only = if readers {
        format!(" AND rowid >= {READERS_FROM}")
    } else {
        String::new()
    };
    format!(
        "WITH matches AS ( \
           SELECT rowid AS id, {RANK} AS score FROM search_docs \
           WHERE search_docs MATCH ?1{only}), \
         top AS ( \
           SELECT id, score, (SELECT count(*) FROM matches) AS total FROM matches \
           ORDER BY score, id DESC LIMIT ?2 OFFSET ?3) \
         SELECT key, path, title, published_at, total, \
           highlight(search_docs, {TITLE}, char({m}), char({e})) AS title_marked, \
           snippet(search_docs, {BODY}, char({m}), char({e}), '…', 24) AS snippet \
         FROM top JOIN search_docs ON search_docs.rowid = top.id \
         WHERE search_docs MATCH ?1 ORDER BY top.score, top.id DESC",
        m = MARK_START as u32,
        e = MARK_END as u32
    )
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
            vec![int(SCHEMA_VERSION)],
        )
        .map_err(err)?;
        Ok(())
    }

    async fn discard(&self) -> Result<(), StoreError> {
        self.version().await?;
        self.sql()
            .exec("DELETE FROM search_meta", None)
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
        let rows: Vec<Row> = sql
            .exec(
                &page_query(readers),
                vec![fts.into(), int(limit), int(offset)],
            )
            .map_err(err)?
            .to_array()
            .map_err(err)?;
        let total = match rows.first() {
            Some(r) => r.total as usize,
            // A page past the end still says how many there are.
            None if offset > 0 => {
                let only = if readers {
                    format!(" AND rowid >= {READERS_FROM}")
                } else {
                    String::new()
                };
                let counts: Vec<Count> = sql
                    .exec(
                        &format!(
                            "SELECT count(*) AS n FROM search_docs WHERE search_docs MATCH ?{only}"
                        ),
                        vec![fts.into()],
                    )
                    .map_err(err)?
                    .to_array()
                    .map_err(err)?;
                counts.first().map_or(0, |c| c.n as usize)
            }
            None => 0,
        };
        Ok(Found {
            total,
            hits: rows
                .into_iter()
                .map(|r| Hit {
                    key: r.key,
                    path: r.path,
                    title: r.title,
                    title_raw: r.title_marked,
                    snippet_raw: r.snippet,
                    published_at: r.published_at as i64,
                })
                .collect(),
        })
    }

    async fn keys(&self, fts: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        let rows: Vec<Key> = self
            .sql()
            .exec(
                &format!(
                    "SELECT key FROM search_docs WHERE search_docs MATCH ? \
                     ORDER BY {RANK}, rowid DESC LIMIT ?"
                ),
                vec![fts.into(), int(limit)],
            )
            .map_err(err)?
            .to_array()
            .map_err(err)?;
        Ok(rows.into_iter().map(|r| r.key).collect())
    }
}
