//! Platform configuration from worker vars, shared by the router and the actors.

use grove_shared::config::PlatformConfig;
use worker::Env;

fn var(env: &Env, name: &str) -> String {
    env.var(name).map(|v| v.to_string()).unwrap_or_default()
}

/// Reads `BASE_DOMAIN`, `PUBLIC_SCHEME` and `PUBLIC_PORT`.
pub fn platform_config(env: &Env) -> worker::Result<PlatformConfig> {
    PlatformConfig::from_vars(
        &var(env, "BASE_DOMAIN"),
        &var(env, "PUBLIC_SCHEME"),
        &var(env, "PUBLIC_PORT"),
    )
    .map_err(|e| worker::Error::RustError(e.to_string()))
}
