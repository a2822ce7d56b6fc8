//! The books of a blog's media, kept by its actor: the port to them (a
//! `media` table in D1 plus the R2 objects, in the runtime; memory in
//! tests) and the rules around it: reservations against the plan's quota,
//! the sweep of reservations an upload never finished, and deletion.
//!
//! A reservation is a row in the `pending` state, inserted by one
//! statement that also checks the quota (the sum of every row, pending
//! ones included), so no interleaving of uploads can pass the quota, and a
//! restart loses no reservation. The router commits it after its R2 put,
//! or releases it when the put failed; one it never finished (the router
//! died) is swept, object and all, [`STALE_AFTER_MS`] later.

use std::cell::RefCell;

use serde::Serialize;

use crate::admin::store::StoreError;
use crate::limits::policy::{media_quota, Plan};

use super::error::MediaError;
use super::item::MediaItem;

/// A reservation not committed this long after it was made is abandoned.
pub const STALE_AFTER_MS: i64 = 15 * 60 * 1000;

/// What the books answered to a reservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// Reserved: put the object, then commit.
    Reserved,
    /// The same bytes are already in the library.
    Existing(MediaItem),
    /// The same bytes are reserved by an upload in flight.
    InFlight,
    /// Over the quota: what is stored (and reserved) now.
    Full { used: u64 },
}

/// Storage used by a blog's library (files committed and reserved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Usage {
    pub bytes: u64,
    pub files: u64,
}

/// The port to a tenant's media books and objects.
#[allow(async_fn_in_trait)]
pub trait MediaLibrary {
    /// Inserts `item` as pending if the tenant's rows (pending included)
    /// plus its bytes stay within `max_total`, in one atomic step.
    async fn reserve(
        &self,
        tenant_id: &str,
        item: &MediaItem,
        max_total: u64,
    ) -> Result<Reservation, StoreError>;
    /// Pending → stored. `None` if there was no such reservation.
    async fn commit(&self, tenant_id: &str, id: &str) -> Result<Option<MediaItem>, StoreError>;
    /// Drops a pending row (never a stored one).
    async fn release(&self, tenant_id: &str, id: &str) -> Result<(), StoreError>;
    /// Pending rows reserved before `before`.
    async fn stale(&self, tenant_id: &str, before: i64) -> Result<Vec<MediaItem>, StoreError>;
    /// Stored files, newest first.
    async fn list(&self, tenant_id: &str) -> Result<Vec<MediaItem>, StoreError>;
    async fn get(&self, tenant_id: &str, id: &str) -> Result<Option<MediaItem>, StoreError>;
    async fn usage(&self, tenant_id: &str) -> Result<Usage, StoreError>;
    /// Sets a stored file's alt text; false if there is no such file.
    async fn set_alt(&self, tenant_id: &str, id: &str, alt: &str) -> Result<bool, StoreError>;
    /// Deletes a stored file's row, returning it.
    async fn remove(&self, tenant_id: &str, id: &str) -> Result<Option<MediaItem>, StoreError>;
    /// Deletes an object from R2 (absent is fine).
    async fn delete_object(&self, key: &str) -> Result<(), StoreError>;
}

/// Reserves an upload's bytes: abandoned reservations are swept first,
/// then the plan's per-file limit and storage quota are checked.
pub async fn reserve<L: MediaLibrary>(
    lib: &L,
    tenant_id: &str,
    plan: Plan,
    item: &MediaItem,
    now: i64,
) -> Result<Result<Reservation, MediaError>, StoreError> {
    sweep(lib, tenant_id, now).await?;
    let quota = media_quota(plan);
    if item.bytes > quota.max_file_bytes {
        return Ok(Err(MediaError::FileTooLarge {
            bytes: item.bytes,
            max: quota.max_file_bytes,
            plan,
        }));
    }
    let mut item = item.clone();
    item.created_at = now;
    Ok(
        match lib.reserve(tenant_id, &item, quota.max_total_bytes).await? {
            Reservation::Full { used } => Err(MediaError::QuotaFull {
                bytes: item.bytes,
                used,
                max: quota.max_total_bytes,
                plan,
            }),
            Reservation::InFlight => Err(MediaError::InFlight),
            other => Ok(other),
        },
    )
}

/// Drops reservations older than [`STALE_AFTER_MS`], and any object their
/// upload put before it died.
pub async fn sweep<L: MediaLibrary>(lib: &L, tenant_id: &str, now: i64) -> Result<(), StoreError> {
    for item in lib.stale(tenant_id, now - STALE_AFTER_MS).await? {
        lib.delete_object(&item.object_key(tenant_id)).await?;
        lib.release(tenant_id, &item.id).await?;
    }
    Ok(())
}

/// Deletes a stored file: the row first (so the books never name a missing
/// object), then the object.
pub async fn delete<L: MediaLibrary>(
    lib: &L,
    tenant_id: &str,
    id: &str,
) -> Result<Option<MediaItem>, StoreError> {
    let Some(item) = lib.remove(tenant_id, id).await? else {
        return Ok(None);
    };
    lib.delete_object(&item.object_key(tenant_id)).await?;
    Ok(Some(item))
}

/// A fake library for native tests: rows and objects in memory.
#[derive(Debug, Default)]
pub struct MemoryMediaLibrary {
    /// (tenant, item, pending)
    pub rows: RefCell<Vec<(String, MediaItem, bool)>>,
    /// Object keys (the bytes are the router's business).
    pub objects: RefCell<Vec<String>>,
}

impl MediaLibrary for MemoryMediaLibrary {
    async fn reserve(
        &self,
        tenant_id: &str,
        item: &MediaItem,
        max_total: u64,
    ) -> Result<Reservation, StoreError> {
        let mut rows = self.rows.borrow_mut();
        if let Some((_, found, pending)) = rows
            .iter()
            .find(|(t, i, _)| t == tenant_id && i.id == item.id)
        {
            return Ok(if *pending {
                Reservation::InFlight
            } else {
                Reservation::Existing(found.clone())
            });
        }
        let used: u64 = rows
            .iter()
            .filter(|(t, _, _)| t == tenant_id)
            .map(|(_, i, _)| i.bytes)
            .sum();
        if used + item.bytes > max_total {
            return Ok(Reservation::Full { used });
        }
        rows.push((tenant_id.to_string(), item.clone(), true));
        Ok(Reservation::Reserved)
    }

    async fn commit(&self, tenant_id: &str, id: &str) -> Result<Option<MediaItem>, StoreError> {
        let mut rows = self.rows.borrow_mut();
        Ok(rows
            .iter_mut()
            .find(|(t, i, p)| t == tenant_id && i.id == id && *p)
            .map(|row| {
                row.2 = false;
                row.1.clone()
            }))
    }

    async fn release(&self, tenant_id: &str, id: &str) -> Result<(), StoreError> {
        self.rows
            .borrow_mut()
            .retain(|(t, i, p)| !(t == tenant_id && i.id == id && *p));
        Ok(())
    }

    async fn stale(&self, tenant_id: &str, before: i64) -> Result<Vec<MediaItem>, StoreError> {
        Ok(self
            .rows
            .borrow()
            .iter()
            .filter(|(t, i, p)| t == tenant_id && *p && i.created_at < before)
            .map(|(_, i, _)| i.clone())
            .collect())
    }

    async fn list(&self, tenant_id: &str) -> Result<Vec<MediaItem>, StoreError> {
        let mut items: Vec<MediaItem> = self
            .rows
            .borrow()
            .iter()
            .filter(|(t, _, p)| t == tenant_id && !*p)
            .map(|(_, i, _)| i.clone())
            .collect();
        items.sort_by_key(|i| std::cmp::Reverse(i.created_at));
        Ok(items)
    }

    async fn get(&self, tenant_id: &str, id: &str) -> Result<Option<MediaItem>, StoreError> {
        Ok(self.list(tenant_id).await?.into_iter().find(|i| i.id == id))
    }

    async fn usage(&self, tenant_id: &str) -> Result<Usage, StoreError> {
        let rows = self.rows.borrow();
        let mine = rows.iter().filter(|(t, _, _)| t == tenant_id);
        Ok(Usage {
            bytes: mine.clone().map(|(_, i, _)| i.bytes).sum(),
            files: mine.filter(|(_, _, p)| !*p).count() as u64,
        })
    }

    async fn set_alt(&self, tenant_id: &str, id: &str, alt: &str) -> Result<bool, StoreError> {
        let mut rows = self.rows.borrow_mut();
        Ok(rows
            .iter_mut()
            .find(|(t, i, p)| t == tenant_id && i.id == id && !*p)
            .map(|row| row.1.alt = alt.to_string())
            .is_some())
    }

    async fn remove(&self, tenant_id: &str, id: &str) -> Result<Option<MediaItem>, StoreError> {
        let found = self.get(tenant_id, id).await?;
        self.rows
            .borrow_mut()
            .retain(|(t, i, p)| !(t == tenant_id && i.id == id && !*p));
        Ok(found)
    }

    async fn delete_object(&self, key: &str) -> Result<(), StoreError> {
        self.objects.borrow_mut().retain(|k| k != key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::kind::samples::png;
    use crate::media::upload::prepare;
    use futures::executor::block_on;

    fn file(salt: u8, bytes: usize) -> MediaItem {
        let mut item = prepare(&png(10, 10, salt), "a.png", "").unwrap();
        item.bytes = bytes as u64;
        item
    }

    #[test]
    fn the_quota_counts_reservations_and_holds_exactly() {
        let lib = MemoryMediaLibrary::default();
        let mb = 1_000_000;
        // Twenty 6 MB files against 100 MB: each over the free file limit.
        let over = block_on(reserve(&lib, "t", Plan::Free, &file(0, 6 * mb), 0)).unwrap();
        assert!(matches!(over, Err(MediaError::FileTooLarge { .. })));
        // Twenty-five 4.5 MB reservations: 22 fit in 100 MB, none after.
        let outcomes: Vec<_> = (0..25)
            .map(|i| block_on(reserve(&lib, "t", Plan::Free, &file(i, 4_500_000), 0)).unwrap())
            .collect();
        let reserved = outcomes
            .iter()
            .filter(|o| **o == Ok(Reservation::Reserved))
            .count();
        assert_eq!(reserved, 22);
        let usage = block_on(lib.usage("t")).unwrap();
        assert!(usage.bytes <= 100 * mb as u64, "{usage:?}");
        assert!(matches!(
            outcomes[24],
            Err(MediaError::QuotaFull {
                used: 99_000_000,
                ..
            })
        ));
        // Another tenant has its own quota.
        assert_eq!(
            block_on(reserve(&lib, "u", Plan::Free, &file(0, mb), 0)).unwrap(),
            Ok(Reservation::Reserved)
        );
    }

    #[test]
    fn the_same_bytes_are_stored_once() {
        let lib = MemoryMediaLibrary::default();
        let item = file(1, 100);
        assert_eq!(
            block_on(reserve(&lib, "t", Plan::Free, &item, 5)).unwrap(),
            Ok(Reservation::Reserved)
        );
        assert_eq!(
            block_on(reserve(&lib, "t", Plan::Free, &item, 6)).unwrap(),
            Err(MediaError::InFlight)
        );
        block_on(lib.commit("t", &item.id)).unwrap().unwrap();
        let again = block_on(reserve(&lib, "t", Plan::Free, &item, 7)).unwrap();
        assert!(matches!(again, Ok(Reservation::Existing(ref i)) if i.id == item.id));
        assert_eq!(
            block_on(lib.usage("t")).unwrap(),
            Usage {
                bytes: 100,
                files: 1
            }
        );
    }

    #[test]
    fn abandoned_reservations_are_swept_with_their_objects() {
        let lib = MemoryMediaLibrary::default();
        let item = file(2, 100);
        block_on(reserve(&lib, "t", Plan::Free, &item, 1_000))
            .unwrap()
            .unwrap();
        lib.objects.borrow_mut().push(item.object_key("t"));
        block_on(sweep(&lib, "t", 1_000 + STALE_AFTER_MS)).unwrap();
        assert_eq!(
            block_on(lib.usage("t")).unwrap().bytes,
            100,
            "not stale yet"
        );
        block_on(sweep(&lib, "t", 1_001 + STALE_AFTER_MS)).unwrap();
        assert_eq!(block_on(lib.usage("t")).unwrap(), Usage::default());
        assert!(lib.objects.borrow().is_empty(), "its object went too");
    }

    #[test]
    fn deleting_removes_the_row_and_the_object() {
        let lib = MemoryMediaLibrary::default();
        let item = file(3, 100);
        block_on(reserve(&lib, "t", Plan::Free, &item, 1))
            .unwrap()
            .unwrap();
        block_on(lib.commit("t", &item.id)).unwrap();
        lib.objects.borrow_mut().push(item.object_key("t"));
        assert_eq!(
            block_on(delete(&lib, "u", &item.id)).unwrap(),
            None,
            "not u's"
        );
        assert!(block_on(delete(&lib, "t", &item.id)).unwrap().is_some());
        assert!(lib.objects.borrow().is_empty());
        assert!(block_on(lib.list("t")).unwrap().is_empty());
    }
}
