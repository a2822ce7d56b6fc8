//! [`Billing`] by an operator's approval, over D1's `plan_requests` table:
//! an owner's request is stored as pending (at most one per blog, by a
//! partial unique index), and the ops API approves or declines it. There
//! is no payment provider behind it. Every statement names the tenant.

use grove_shared::admin::store::StoreError;
use grove_shared::billing::{Billing, PlanRequest};
use grove_shared::plans::Plan;
use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::d1_store::{bind, err, D1Store};

#[derive(Deserialize)]
struct Row {
    id: String,
    plan: String,
    requested_by: String,
    requested_at: f64,
}

impl Billing for D1Store {
    async fn request(
        &self,
        tenant_id: &str,
        plan: Plan,
        user_id: &str,
        new_id: &str,
        now: i64,
    ) -> Result<PlanRequest, StoreError> {
        // Asking twice keeps the first request (the unique index on pending
        // rows makes a second insert a no-op).
        self.write(
            "INSERT INTO plan_requests (id, tenant_id, plan, status, requested_by, requested_at) \
             VALUES (?1, ?2, ?3, 'pending', ?4, ?5) ON CONFLICT DO NOTHING",
            &[
                new_id.into(),
                tenant_id.into(),
                plan.as_str().into(),
                user_id.into(),
                JsValue::from_f64(now as f64),
            ],
        )
        .await?;
        self.pending(tenant_id)
            .await?
            .ok_or_else(|| StoreError("plan request neither inserted nor found".to_string()))
    }

    async fn pending(&self, tenant_id: &str) -> Result<Option<PlanRequest>, StoreError> {
        let db = self.db()?;
        self.count(1);
        let row = bind(
            &db,
            "SELECT id, plan, requested_by, requested_at FROM plan_requests \
             WHERE tenant_id = ?1 AND status = 'pending'",
            &[tenant_id.into()],
        )?
        .first::<Row>(None)
        .await
        .map_err(err)?;
        Ok(row.map(|r| PlanRequest {
            id: r.id,
            plan: Plan::parse(&r.plan),
            requested_by: r.requested_by,
            requested_at: r.requested_at as i64,
        }))
    }

    async fn withdraw(&self, tenant_id: &str, user_id: &str, now: i64) -> Result<bool, StoreError> {
        let changed = self
            .write(
                "UPDATE plan_requests SET status = 'withdrawn', decided_by = ?2, decided_at = ?3 \
                 WHERE tenant_id = ?1 AND status = 'pending'",
                &[
                    tenant_id.into(),
                    user_id.into(),
                    JsValue::from_f64(now as f64),
                ],
            )
            .await?;
        Ok(changed > 0)
    }
}
