//! The memory every TenantDO of an isolate shares: the budgets for
//! rendered pages and loaded contents (see `grove_shared::isolate_memory`),
//! read from the worker's vars by the first actor the isolate runs, and
//! the size of the isolate's wasm memory for the ops stats.

use std::cell::RefCell;

use grove_shared::isolate_memory::{IsolateMemory, CONTENTS_BUDGET_BYTES, PAGES_BUDGET_BYTES};
use grove_shared::tenant_core::CoreMemory;
use worker::Env;

/// A byte budget from the worker's vars, else `default`.
fn budget(env: &Env, var: &str, default: usize) -> usize {
    env.var(var)
        .ok()
        .and_then(|v| v.to_string().parse().ok())
        .unwrap_or(default)
}

thread_local! {
    /// The memory every actor of this isolate shares (its budgets are read
    /// from the vars by the first actor the isolate runs).
    static MEMORY: RefCell<Option<CoreMemory>> = const { RefCell::new(None) };
}

/// The isolate's shared memory: rendered pages under `READER_CACHE_BYTES`
/// (default 32 MiB) and loaded contents under `CONTENT_CACHE_BYTES`
/// (default 16 MiB), for all the actors in the isolate together.
pub fn isolate_memory(env: &Env) -> CoreMemory {
    MEMORY.with(|m| {
        m.borrow_mut()
            .get_or_insert_with(|| {
                IsolateMemory::with_budgets(
                    budget(env, "READER_CACHE_BYTES", PAGES_BUDGET_BYTES),
                    budget(env, "CONTENT_CACHE_BYTES", CONTENTS_BUDGET_BYTES),
                )
            })
            .clone()
    })
}

/// Bytes of the isolate's wasm linear memory (it grows, never shrinks).
pub fn wasm_memory_bytes() -> usize {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size::<0>() * 65_536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}
