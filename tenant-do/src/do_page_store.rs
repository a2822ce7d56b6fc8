//! [`PageStore`] over the actor's own Durable Object storage: pre-rendered
//! pages under `page:{key}` and the actor's meta under `meta`, as JSON.
//! Reads are local to the object (no D1), so a restarted actor serves its
//! stored pages at once.

use grove_shared::admin::store::StoreError;
use grove_shared::page_store::{ActorMeta, PageStore};
use grove_shared::site::Rendered;
use wasm_bindgen::JsValue;
use worker::{js_sys, ListOptions, Storage};

use crate::do_search_index::DoSearchIndex;

const META_KEY: &str = "meta";
const PAGE_PREFIX: &str = "page:";
/// Keys per storage call (the runtime's limit for multi-key operations).
const BATCH: usize = 128;
/// Pages larger than this are not stored (rendered on demand instead).
const MAX_STORED_BYTES: usize = 1_900_000;

/// The actor's storage as a page store (and, in its SQLite, its search index).
pub struct DoPageStore {
    storage: Storage,
    search: DoSearchIndex,
}

impl DoPageStore {
    pub fn new(storage: Storage) -> Self {
        DoPageStore {
            search: DoSearchIndex::new(&storage),
            storage,
        }
    }
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

fn page_key(key: &str) -> String {
    format!("{PAGE_PREFIX}{key}")
}

impl PageStore for DoPageStore {
    type Index = DoSearchIndex;
    fn index(&self) -> &DoSearchIndex {
        &self.search
    }
    async fn get_page(&self, key: &str) -> Result<Option<Rendered>, StoreError> {
        match self
            .storage
            .get::<String>(&page_key(key))
            .await
            .map_err(err)?
        {
            Some(json) => Ok(serde_json::from_str(&json).ok()),
            None => Ok(None),
        }
    }

    async fn put_pages(&self, pages: &[(String, Rendered)]) -> Result<(), StoreError> {
        let storable: Vec<&(String, Rendered)> = pages
            .iter()
            .filter(|(_, p)| p.html.len() <= MAX_STORED_BYTES)
            .collect();
        for chunk in storable.chunks(BATCH) {
            let object = js_sys::Object::new();
            for (key, page) in chunk {
                let json = serde_json::to_string(page).map_err(err)?;
                js_sys::Reflect::set(
                    &object,
                    &JsValue::from_str(&page_key(key)),
                    &JsValue::from_str(&json),
                )
                .map_err(|_| StoreError("could not build the batch".into()))?;
            }
            self.storage.put_multiple_raw(object).await.map_err(err)?;
        }
        Ok(())
    }

    async fn delete_pages(&self, keys: &[String]) -> Result<(), StoreError> {
        for chunk in keys.chunks(BATCH) {
            let keys: Vec<String> = chunk.iter().map(|k| page_key(k)).collect();
            self.storage.delete_multiple(keys).await.map_err(err)?;
        }
        Ok(())
    }

    async fn clear_pages(&self) -> Result<(), StoreError> {
        let listed = self
            .storage
            .list_with_options(ListOptions::new().prefix(PAGE_PREFIX))
            .await
            .map_err(err)?;
        let keys: Vec<String> = listed
            .keys()
            .into_iter()
            .filter_map(|k| k.ok().and_then(|k| k.as_string()))
            .collect();
        for chunk in keys.chunks(BATCH) {
            self.storage
                .delete_multiple(chunk.to_vec())
                .await
                .map_err(err)?;
        }
        Ok(())
    }

    async fn get_meta(&self) -> Result<Option<ActorMeta>, StoreError> {
        match self.storage.get::<String>(META_KEY).await.map_err(err)? {
            Some(json) => Ok(serde_json::from_str(&json).ok()),
            None => Ok(None),
        }
    }

    async fn put_meta(&self, meta: Option<&ActorMeta>) -> Result<(), StoreError> {
        match meta {
            Some(meta) => {
                let json = serde_json::to_string(meta).map_err(err)?;
                self.storage.put(META_KEY, json).await.map_err(err)
            }
            None => self.storage.delete(META_KEY).await.map(|_| ()).map_err(err),
        }
    }
}
