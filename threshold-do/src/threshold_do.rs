//! The ThresholdDO Durable Object: answers [`ThresholdRequest`]s posted to
//! [`THRESHOLD_URL`] from its [`LimiterSet`], saving the set after every change.
//!
//! Concurrency: the set is loaded once (installed only if no other request
//! installed it first), then every decision is made synchronously inside one
//! `borrow_mut`, so two requests can never spend the same token. The save
//! that follows writes the whole current state, so saves in any order leave
//! the newest state; the runtime's output gate holds the reply until the
//! write is durable.

use std::cell::RefCell;

use grove_shared::limits::bucket::SavedBucket;
use grove_shared::limits::policy::{LimitClass, Overrides};
use grove_shared::limits::set::{LimiterSet, Resets, ThresholdRequest, THRESHOLD_URL};
use serde::Serialize;
use worker::{durable_object, DurableObject, Env, Method, Request, Response, Result, State};

use crate::clock::WorkersClock;

const OVERRIDES_KEY: &str = "overrides";
const BUCKETS_KEY: &str = "buckets";
const RESETS_KEY: &str = "resets";

/// What a request changed besides the buckets (which are saved every time).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Changed {
    Buckets,
    Overrides,
    Resets,
    /// Everything was forgotten (a deleted tenant): the storage goes too.
    Forgotten,
}

#[durable_object]
pub struct ThresholdDO {
    state: State,
    set: RefCell<Option<LimiterSet<WorkersClock>>>,
}

impl DurableObject for ThresholdDO {
    fn new(state: State, _env: Env) -> Self {
        ThresholdDO {
            state,
            set: RefCell::new(None),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let is_ours =
            req.method() == Method::Post && req.url().is_ok_and(|u| u.as_str() == THRESHOLD_URL);
        if !is_ours {
            return Response::error("unknown internal route", 404);
        }
        let Ok(message) = req.json::<ThresholdRequest>().await else {
            return Response::error("malformed threshold request", 400);
        };
        self.ensure_loaded().await?;
        let (body, changed) = {
            let mut set = self.set.borrow_mut();
            let Some(set) = set.as_mut() else {
                return Response::error("limits unavailable", 503);
            };
            match message {
                ThresholdRequest::Take {
                    class,
                    plan,
                    n,
                    up_to,
                } => (json(&set.take(class, plan, n, up_to))?, Changed::Buckets),
                ThresholdRequest::Status { plan } => (json(&set.status(plan))?, Changed::Buckets),
                ThresholdRequest::SetOverrides { overrides } => {
                    set.set_overrides(&overrides);
                    (json(set.overrides())?, Changed::Overrides)
                }
                ThresholdRequest::RemoveOverride { class } => {
                    let removed = set.remove_override(class);
                    (json(&removed)?, Changed::Overrides)
                }
                ThresholdRequest::Reset { class } => {
                    set.reset(class);
                    (json(&true)?, Changed::Resets)
                }
                ThresholdRequest::Forget => {
                    *set = LimiterSet::restore(Overrides::new(), &[], Resets::new(), WorkersClock);
                    (json(&true)?, Changed::Forgotten)
                }
            }
        };
        self.save(changed).await?;
        let resp = Response::ok(body)?;
        resp.headers().set("content-type", "application/json")?;
        Ok(resp)
    }
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| worker::Error::RustError(e.to_string()))
}

impl ThresholdDO {
    async fn ensure_loaded(&self) -> Result<()> {
        if self.set.borrow().is_some() {
            return Ok(());
        }
        let storage = self.state.storage();
        let overrides: Overrides = match storage.get::<String>(OVERRIDES_KEY).await? {
            Some(s) => serde_json::from_str(&s).unwrap_or_default(),
            None => Overrides::new(),
        };
        let buckets: Vec<(LimitClass, SavedBucket)> =
            match storage.get::<String>(BUCKETS_KEY).await? {
                Some(s) => serde_json::from_str(&s).unwrap_or_default(),
                None => Vec::new(),
            };
        let resets: Resets = match storage.get::<String>(RESETS_KEY).await? {
            Some(s) => serde_json::from_str(&s).unwrap_or_default(),
            None => Resets::new(),
        };
        let mut set = self.set.borrow_mut();
        if set.is_none() {
            *set = Some(LimiterSet::restore(
                overrides,
                &buckets,
                resets,
                WorkersClock,
            ));
        }
        Ok(())
    }

    async fn save(&self, changed: Changed) -> Result<()> {
        if changed == Changed::Forgotten {
            // Nothing of the tenant is kept: a later request starts afresh.
            return self.state.storage().delete_all().await;
        }
        let (buckets, overrides, resets) = {
            let set = self.set.borrow();
            let Some(set) = set.as_ref() else {
                return Ok(());
            };
            (
                json(&set.saved())?,
                json(set.overrides())?,
                json(set.resets())?,
            )
        };
        let storage = self.state.storage();
        storage.put(BUCKETS_KEY, buckets).await?;
        match changed {
            Changed::Buckets | Changed::Forgotten => {}
            Changed::Overrides => storage.put(OVERRIDES_KEY, overrides).await?,
            Changed::Resets => storage.put(RESETS_KEY, resets).await?,
        }
        Ok(())
    }
}
