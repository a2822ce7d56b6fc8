//! Sessions: the router validates the session cookie itself (D1) and turns
//! it into a verified [`Identity`] for the actor. Client headers are never
//! taken as identity.

use grove_shared::auth::cookie::{read_cookie, SESSION_COOKIE};
use grove_shared::auth::session::{SessionToken, SESSION_TTL_MS};
use grove_shared::protocol::{Identity, D1_BINDING};
use grove_tenant_do::ids::random_bytes;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{Env, Request, Result};

/// A signed-in user and their session.
pub struct SignedIn {
    pub token: SessionToken,
    pub identity: Identity,
}

#[derive(Deserialize)]
struct SessionRow {
    user_id: String,
    email: String,
    expires_at: i64,
}

/// The session token the request carries, if well-formed.
pub fn token(req: &Request) -> Option<SessionToken> {
    let header = req.headers().get("cookie").ok().flatten();
    read_cookie(header.as_deref(), SESSION_COOKIE).and_then(|t| SessionToken::parse(&t))
}

/// The signed-in user, if the request carries a live session.
pub async fn current(env: &Env, req: &Request, now: i64) -> Result<Option<SignedIn>> {
    let Some(token) = token(req) else {
        return Ok(None);
    };
    let row = env
        .d1(D1_BINDING)?
        .prepare(
            "SELECT s.user_id AS user_id, u.email AS email, s.expires_at AS expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1",
        )
        .bind(&[token.storage_hash().into()])?
        .first::<SessionRow>(None)
        .await?;
    Ok(row.filter(|r| r.expires_at > now).map(|r| SignedIn {
        identity: Identity {
            user_id: r.user_id,
            email: r.email,
            csrf_token: token.csrf_token(),
        },
        token,
    }))
}

/// Starts a session for `user_id`; returns its token (only its hash is stored).
pub async fn create(env: &Env, user_id: &str, now: i64) -> Result<SessionToken> {
    let token = SessionToken::from_random(random_bytes::<32>()?);
    env.d1(D1_BINDING)?
        .prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(&[
            token.storage_hash().into(),
            user_id.into(),
            JsValue::from_f64(now as f64),
            JsValue::from_f64((now + SESSION_TTL_MS) as f64),
        ])?
        .run()
        .await?;
    Ok(token)
}

/// Ends a session for good: the row is deleted, so the token no longer works anywhere.
pub async fn revoke(env: &Env, token: &SessionToken) -> Result<()> {
    env.d1(D1_BINDING)?
        .prepare("DELETE FROM sessions WHERE token_hash = ?1")
        .bind(&[token.storage_hash().into()])?
        .run()
        .await?;
    Ok(())
}
