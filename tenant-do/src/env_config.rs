//! Platform configuration from worker vars, shared by the router and the actors.
//!
//! Vars are fixed for the life of an isolate, so each is read once per
//! isolate, not on every request.

use std::cell::OnceCell;

use grove_shared::config::PlatformConfig;
use worker::Env;

thread_local! {
    static CONFIG: OnceCell<PlatformConfig> = const { OnceCell::new() };
    static DEV_METRICS: OnceCell<bool> = const { OnceCell::new() };
}

fn var(env: &Env, name: &str) -> String {
    env.var(name).map(|v| v.to_string()).unwrap_or_default()
}

/// `BASE_DOMAIN`, `PUBLIC_SCHEME` and `PUBLIC_PORT`, read once per isolate.
pub fn platform_config(env: &Env) -> worker::Result<PlatformConfig> {
    if let Some(config) = CONFIG.with(|c| c.get().cloned()) {
        return Ok(config);
    }
    let config = PlatformConfig::from_vars(
        &var(env, "BASE_DOMAIN"),
        &var(env, "PUBLIC_SCHEME"),
        &var(env, "PUBLIC_PORT"),
    )
    .map_err(|e| worker::Error::RustError(e.to_string()))?;
    CONFIG.with(|c| {
        let _ = c.set(config.clone());
    });
    Ok(config)
}

/// Whether local development figures (`DEV_METRICS=true`) are on.
pub fn dev_metrics(env: &Env) -> bool {
    DEV_METRICS.with(|d| *d.get_or_init(|| var(env, "DEV_METRICS") == "true"))
}

/// [`dev_metrics`] as last read in this isolate (false until it is read).
pub fn dev_metrics_on() -> bool {
    DEV_METRICS.with(|d| d.get().copied().unwrap_or(false))
}
