//! The `Billing` port: how a blog moves to a dearer plan.
//!
//! Grove takes no payment yet. The only implementation is approval by an
//! operator: an owner's request is stored as pending (one per blog), the
//! ops API lists it, and an operator approves it (the plan changes through
//! the blog's actor) or declines it. A payment provider would be another
//! implementation of the same port (its `request` would answer with a
//! checkout to send the owner to, and its confirmation would change the
//! plan); nothing pretends to be one.
//!
//! Moving to a cheaper plan needs no approval: the owner's downgrade is a
//! write of the blog's actor (`Command::SetPlan`), and it deletes nothing.

use std::cell::RefCell;

use serde::Serialize;

use crate::admin::store::StoreError;
use crate::plans::Plan;

/// An owner's request for another plan, waiting for an operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanRequest {
    pub id: String,
    pub plan: Plan,
    pub requested_by: String,
    pub requested_at: i64,
}

/// The port to whatever approves plan changes.
#[allow(async_fn_in_trait)]
pub trait Billing {
    /// Asks for `plan` for the blog. A request already pending is kept
    /// (and answered): asking twice makes one request.
    async fn request(
        &self,
        tenant_id: &str,
        plan: Plan,
        user_id: &str,
        new_id: &str,
        now: i64,
    ) -> Result<PlanRequest, StoreError>;
    /// The blog's pending request, if any.
    async fn pending(&self, tenant_id: &str) -> Result<Option<PlanRequest>, StoreError>;
    /// Withdraws the blog's pending request; false if there was none.
    async fn withdraw(&self, tenant_id: &str, user_id: &str, now: i64) -> Result<bool, StoreError>;
}

/// Billing in memory, for native tests.
#[derive(Debug, Default)]
pub struct MemoryBilling {
    pending: RefCell<Vec<(String, PlanRequest)>>,
}

impl Billing for MemoryBilling {
    async fn request(
        &self,
        tenant_id: &str,
        plan: Plan,
        user_id: &str,
        new_id: &str,
        now: i64,
    ) -> Result<PlanRequest, StoreError> {
        if let Some(existing) = self.pending(tenant_id).await? {
            return Ok(existing);
        }
        let request = PlanRequest {
            id: new_id.to_string(),
            plan,
            requested_by: user_id.to_string(),
            requested_at: now,
        };
        self.pending
            .borrow_mut()
            .push((tenant_id.to_string(), request.clone()));
        Ok(request)
    }

    async fn pending(&self, tenant_id: &str) -> Result<Option<PlanRequest>, StoreError> {
        Ok(self
            .pending
            .borrow()
            .iter()
            .find(|(t, _)| t == tenant_id)
            .map(|(_, r)| r.clone()))
    }

    async fn withdraw(
        &self,
        tenant_id: &str,
        _user_id: &str,
        _now: i64,
    ) -> Result<bool, StoreError> {
        let mut pending = self.pending.borrow_mut();
        let before = pending.len();
        pending.retain(|(t, _)| t != tenant_id);
        Ok(pending.len() < before)
    }
}
