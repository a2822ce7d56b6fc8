//! Asking the tenant's ThresholdDO for tokens (reader leases, admin writes).

use grove_shared::limits::policy::{LimitClass, Plan};
use grove_shared::limits::set::{tenant_key, TakeReply, ThresholdRequest};
use grove_threshold_do::client::ask;
use worker::Env;

/// Asks the tenant's ThresholdDO for `n` tokens of `class`. `None` when it
/// did not answer: callers fail open (a limiter outage must not take blogs down).
pub async fn take(
    env: &Env,
    tenant_id: &str,
    class: LimitClass,
    plan: Plan,
    n: u32,
    up_to: bool,
) -> Option<TakeReply> {
    let reply = ask::<TakeReply>(
        env,
        &tenant_key(tenant_id),
        &ThresholdRequest::Take {
            class,
            plan,
            n,
            up_to,
        },
    )
    .await;
    if reply.is_none() {
        worker::console_error!("tenant {tenant_id}: ThresholdDO did not answer; {class:?} not limited for this request");
    }
    reply
}
