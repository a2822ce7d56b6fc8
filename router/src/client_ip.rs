//! The client's IP address, for per-IP limits. Cloudflare's edge sets
//! `CF-Connecting-IP` on every request (overwriting any a client sent);
//! `wrangler dev` sets it from the socket unless the client set one, which
//! lets tests act as several clients.

use worker::Request;

/// The client IP, or `"unknown"` (then all such clients share one budget).
pub fn client_ip(req: &Request) -> String {
    req.headers()
        .get("cf-connecting-ip")
        .ok()
        .flatten()
        .map(|ip| ip.trim().to_string())
        .filter(|ip| {
            !ip.is_empty()
                && ip.len() <= 45
                && ip
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == '.' || c == ':')
        })
        .unwrap_or_else(|| "unknown".to_string())
}
