//! [`MediaLibrary`] over D1's `media` table and the R2 bucket: the books
//! of a tenant's media. A reservation is one conditional `INSERT … SELECT`
//! that checks the quota against every row of the tenant (pending ones
//! included) in the same statement, so it is atomic in the database
//! itself. Every statement names the tenant.

use grove_shared::admin::store::StoreError;
use grove_shared::media::item::MediaItem;
use grove_shared::media::kind::MediaKind;
use grove_shared::media::library::{MediaLibrary, Reservation, Usage};
use grove_shared::protocol::MEDIA_BINDING;
use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::d1_store::{bind, err, D1Store};

const COLUMNS: &str = "id, kind, bytes, width, height, alt, filename, created_at, pending";

#[derive(Deserialize)]
struct Row {
    id: String,
    kind: String,
    bytes: f64,
    width: Option<f64>,
    height: Option<f64>,
    alt: String,
    filename: String,
    created_at: f64,
    pending: i64,
}

impl Row {
    fn item(self) -> Option<MediaItem> {
        Some(MediaItem {
            id: self.id,
            kind: MediaKind::from_ext(&self.kind)?,
            bytes: self.bytes as u64,
            width: self.width.map(|w| w as u32),
            height: self.height.map(|h| h as u32),
            alt: self.alt,
            filename: self.filename,
            created_at: self.created_at as i64,
        })
    }
}

#[derive(Deserialize)]
struct UsageRow {
    bytes: f64,
    files: f64,
}

fn num(n: impl Into<f64>) -> JsValue {
    JsValue::from_f64(n.into())
}

fn opt(n: Option<u32>) -> JsValue {
    n.map_or(JsValue::NULL, num)
}

impl D1Store {
    async fn rows(&self, sql: &str, args: &[JsValue]) -> Result<Vec<Row>, StoreError> {
        let db = self.db()?;
        self.count(1);
        bind(&db, sql, args)?
            .all()
            .await
            .map_err(err)?
            .results::<Row>()
            .map_err(err)
    }

    async fn row(&self, tenant_id: &str, id: &str) -> Result<Option<Row>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM media WHERE tenant_id = ?1 AND id = ?2");
        Ok(self
            .rows(&sql, &[tenant_id.into(), id.into()])
            .await?
            .into_iter()
            .next())
    }

    pub(crate) async fn write(&self, sql: &str, args: &[JsValue]) -> Result<usize, StoreError> {
        let db = self.db()?;
        self.count_writes(1);
        let result = bind(&db, sql, args)?.run().await.map_err(err)?;
        let changed = result
            .meta()
            .map_err(err)?
            .and_then(|m| m.changes)
            .unwrap_or(0);
        Ok(changed)
    }
}

impl MediaLibrary for D1Store {
    async fn reserve(
        &self,
        tenant_id: &str,
        item: &MediaItem,
        max_total: u64,
    ) -> Result<Reservation, StoreError> {
        let inserted = self
            .write(
                "INSERT INTO media (tenant_id, id, kind, bytes, width, height, alt, filename, created_at, pending) \
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1 \
                 WHERE NOT EXISTS (SELECT 1 FROM media WHERE tenant_id = ?1 AND id = ?2) \
                 AND (SELECT coalesce(sum(bytes), 0) FROM media WHERE tenant_id = ?1) + ?4 <= ?10",
                &[
                    tenant_id.into(),
                    item.id.as_str().into(),
                    item.kind.ext().into(),
                    num(item.bytes as f64),
                    opt(item.width),
                    opt(item.height),
                    item.alt.as_str().into(),
                    item.filename.as_str().into(),
                    num(item.created_at as f64),
                    num(max_total as f64),
                ],
            )
            .await?;
        if inserted == 1 {
            return Ok(Reservation::Reserved);
        }
        if let Some(row) = self.row(tenant_id, &item.id).await? {
            return Ok(if row.pending != 0 {
                Reservation::InFlight
            } else {
                match row.item() {
                    Some(found) => Reservation::Existing(found),
                    None => Reservation::InFlight,
                }
            });
        }
        Ok(Reservation::Full {
            used: self.usage(tenant_id).await?.bytes,
        })
    }

    async fn commit(&self, tenant_id: &str, id: &str) -> Result<Option<MediaItem>, StoreError> {
        let changed = self
            .write(
                "UPDATE media SET pending = 0 WHERE tenant_id = ?1 AND id = ?2 AND pending = 1",
                &[tenant_id.into(), id.into()],
            )
            .await?;
        if changed == 0 {
            return Ok(None);
        }
        Ok(self.row(tenant_id, id).await?.and_then(Row::item))
    }

    async fn release(&self, tenant_id: &str, id: &str) -> Result<(), StoreError> {
        self.write(
            "DELETE FROM media WHERE tenant_id = ?1 AND id = ?2 AND pending = 1",
            &[tenant_id.into(), id.into()],
        )
        .await?;
        Ok(())
    }

    async fn stale(&self, tenant_id: &str, before: i64) -> Result<Vec<MediaItem>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM media WHERE tenant_id = ?1 AND pending = 1 AND created_at < ?2"
        );
        let rows = self
            .rows(&sql, &[tenant_id.into(), num(before as f64)])
            .await?;
        Ok(rows.into_iter().filter_map(Row::item).collect())
    }

    async fn list(&self, tenant_id: &str) -> Result<Vec<MediaItem>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM media WHERE tenant_id = ?1 AND pending = 0 \
             ORDER BY created_at DESC, id"
        );
        let rows = self.rows(&sql, &[tenant_id.into()]).await?;
        Ok(rows.into_iter().filter_map(Row::item).collect())
    }

    async fn get(&self, tenant_id: &str, id: &str) -> Result<Option<MediaItem>, StoreError> {
        Ok(self
            .row(tenant_id, id)
            .await?
            .filter(|r| r.pending == 0)
            .and_then(Row::item))
    }

    async fn usage(&self, tenant_id: &str) -> Result<Usage, StoreError> {
        let db = self.db()?;
        self.count(1);
        let row = bind(
            &db,
            "SELECT coalesce(sum(bytes), 0) AS bytes, coalesce(sum(pending = 0), 0) AS files \
             FROM media WHERE tenant_id = ?1",
            &[tenant_id.into()],
        )?
        .first::<UsageRow>(None)
        .await
        .map_err(err)?;
        Ok(row.map_or(Usage::default(), |r| Usage {
            bytes: r.bytes as u64,
            files: r.files as u64,
        }))
    }

    async fn set_alt(&self, tenant_id: &str, id: &str, alt: &str) -> Result<bool, StoreError> {
        let changed = self
            .write(
                "UPDATE media SET alt = ?3 WHERE tenant_id = ?1 AND id = ?2 AND pending = 0",
                &[tenant_id.into(), id.into(), alt.into()],
            )
            .await?;
        Ok(changed == 1)
    }

    async fn remove(&self, tenant_id: &str, id: &str) -> Result<Option<MediaItem>, StoreError> {
        let Some(item) = self.get(tenant_id, id).await? else {
            return Ok(None);
        };
        let changed = self
            .write(
                "DELETE FROM media WHERE tenant_id = ?1 AND id = ?2 AND pending = 0",
                &[tenant_id.into(), id.into()],
            )
            .await?;
        Ok((changed == 1).then_some(item))
    }

    async fn delete_object(&self, key: &str) -> Result<(), StoreError> {
        let bucket = self.env.bucket(MEDIA_BINDING).map_err(err)?;
        bucket.delete(key).await.map_err(err)
    }
}
