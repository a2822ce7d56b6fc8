//! A forgotten password, on the auth host: `/forgot` asks for a link,
//! `/reset?token=…` sets a new password. What a token is and why the
//! steps are as they are: [`grove_shared::accounts::reset`].
//!
//! - **Asking** always answers the same page with the same status, and
//!   runs the same D1 batch whether or not the address has an account (the
//!   insert simply finds no user); the mail goes out after the answer. The
//!   limits count per client address and per address typed, before the
//!   account is looked at.
//! - **Resetting** runs one D1 batch whose every statement is conditioned
//!   on the token being unused and unexpired: set the password, delete
//!   every session of the account, start the new one, delete the
//!   account's other tokens, mark this one used. A second use of the link
//!   (or two tabs at once) finds the mark and changes nothing.

use grove_shared::accounts::mail::send_reset;
use grove_shared::accounts::reset::{
    check_new_password, too_many_for_address, too_many_here, ResetToken, TokenState, RESET_TTL_MS,
};
use grove_shared::admin::forms::FormData;
use grove_shared::auth::email::normalize_email;
use grove_shared::auth::password::hash_password;
use grove_shared::auth::session::{SessionToken, SESSION_TTL_MS};
use grove_shared::config::PlatformConfig;
use grove_shared::limits::policy::LimitClass;
use grove_shared::limits::set::{reset_address_key, reset_key, sign_in_key, TakeReply};
use grove_shared::protocol::D1_BINDING;
use grove_shared::views::password_reset::{
    forgot_page, forgot_sent_page, reset_link_gone_page, reset_page,
};
use grove_tenant_do::ids::random_bytes;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{Context, Env, Request, Response, Result};

use crate::auth_limits::{reset, throttle, too_many};
use crate::auth_pages::{auth_page, default_landing, form_csrf, query_param, signed_in_redirect};
use crate::{mailer, respond};

/// How long after expiring a link's row is kept (so opening it says
/// "expired" rather than "not one Grove sent"): a day.
const SWEEP_AFTER_MS: i64 = 86_400_000;

/// `GET /forgot`.
pub fn forgot_form(req: &Request, config: &PlatformConfig) -> Result<Response> {
    let (csrf, cookie) = form_csrf(req, config)?;
    auth_page(
        200,
        forgot_page("", None, None, &csrf).into_string(),
        cookie,
        config,
    )
}

/// `POST /forgot` (CSRF already checked).
pub async fn forgot(
    env: &Env,
    ctx: &Context,
    config: &PlatformConfig,
    form: &FormData,
    ip: &str,
    now: i64,
) -> Result<Response> {
    let typed = form.get("email").trim();
    let csrf = form.get("csrf");
    let email = match normalize_email(typed) {
        Ok(email) => email,
        Err(e) => {
            let page = forgot_page(typed, Some(&e.to_string()), None, csrf);
            return auth_page(422, page.into_string(), None, config);
        }
    };
    let refuse = |message: String, reply: &TakeReply| {
        too_many(
            forgot_page(typed, None, Some(&message), csrf).into_string(),
            reply,
            config,
        )
    };
    match throttle(env, &reset_key(ip), LimitClass::PasswordResets).await {
        Some(reply) if reply.decision.granted > 0 => {}
        Some(reply) => return refuse(too_many_here(&reply.decision), &reply),
        None => return unavailable(config),
    }
    match throttle(
        env,
        &reset_address_key(&email),
        LimitClass::PasswordResetAddress,
    )
    .await
    {
        Some(reply) if reply.decision.granted > 0 => {}
        Some(reply) => return refuse(too_many_for_address(&reply.decision), &reply),
        None => return unavailable(config),
    }
    let token = ResetToken::from_random(random_bytes::<32>()?);
    let db = env.d1(D1_BINDING)?;
    let t = JsValue::from_f64(now as f64);
    let results = db
        .batch(vec![
            // Links a day past their hour, of anyone, are swept here (until
            // then, opening one says it expired).
            db.prepare("DELETE FROM password_resets WHERE expires_at <= ?1")
                .bind(&[JsValue::from_f64((now - SWEEP_AFTER_MS) as f64)])?,
            // A new link replaces the account's older ones.
            db.prepare("DELETE FROM password_resets WHERE user_id IN (SELECT id FROM users WHERE email = ?1)")
                .bind(&[email.as_str().into()])?,
            db.prepare(
                "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) \
                 SELECT ?1, id, ?2, ?3 FROM users WHERE email = ?4",
            )
            .bind(&[
                token.storage_hash().into(),
                t,
                JsValue::from_f64((now + RESET_TTL_MS) as f64),
                email.as_str().into(),
            ])?,
        ])
        .await?;
    let issued = results
        .get(2)
        .and_then(|r| r.meta().ok().flatten())
        .and_then(|m| m.changes)
        .unwrap_or(0)
        > 0;
    if issued {
        let env = env.clone();
        let config = config.clone();
        let to = email.clone();
        ctx.wait_until(async move {
            let mailer = mailer::from_env(&env);
            if let Err(e) = send_reset(&mailer, &config, &to, &token).await {
                worker::console_error!("password reset mail not sent: {e}");
            }
        });
    }
    auth_page(200, forgot_sent_page(&email).into_string(), None, config)
}

#[derive(Deserialize)]
struct TokenRow {
    user_id: String,
    email: String,
    expires_at: i64,
    used_at: Option<i64>,
}

/// The token's row and what it is worth at `now`.
async fn look_up(
    env: &Env,
    token: &ResetToken,
    now: i64,
) -> Result<(TokenState, Option<TokenRow>)> {
    let row = env
        .d1(D1_BINDING)?
        .prepare(
            "SELECT r.user_id AS user_id, u.email AS email, r.expires_at AS expires_at, r.used_at AS used_at \
             FROM password_resets r JOIN users u ON u.id = r.user_id WHERE r.token_hash = ?1",
        )
        .bind(&[token.storage_hash().into()])?
        .first::<TokenRow>(None)
        .await?;
    let state = TokenState::of(row.as_ref().map(|r| (r.expires_at, r.used_at)), now);
    Ok((state, row))
}

/// 410 with the page that says why the link does not work.
fn gone(state: TokenState, config: &PlatformConfig) -> Result<Response> {
    auth_page(410, reset_link_gone_page(state).into_string(), None, config)
}

/// The new-password page: the token stays out of referrers and caches.
fn private(resp: Response) -> Result<Response> {
    resp.headers().set("referrer-policy", "no-referrer")?;
    resp.headers().set("cache-control", "no-store")?;
    Ok(resp)
}

/// `GET /reset?token=…`.
pub async fn reset_form(
    env: &Env,
    req: &Request,
    config: &PlatformConfig,
    query: Option<&str>,
    now: i64,
) -> Result<Response> {
    let Some(token) = query_param(query, "token").and_then(|t| ResetToken::parse(&t)) else {
        return private(gone(TokenState::Unknown, config)?);
    };
    let (state, _) = look_up(env, &token, now).await?;
    if state != TokenState::Usable {
        return private(gone(state, config)?);
    }
    let (csrf, cookie) = form_csrf(req, config)?;
    let page = reset_page(token.as_str(), &[], &csrf);
    private(auth_page(200, page.into_string(), cookie, config)?)
}

/// `POST /reset` (CSRF already checked).
pub async fn reset_password(
    env: &Env,
    config: &PlatformConfig,
    form: &FormData,
    ip: &str,
    now: i64,
) -> Result<Response> {
    let Some(token) = ResetToken::parse(form.get("token")) else {
        return private(gone(TokenState::Unknown, config)?);
    };
    let (state, row) = look_up(env, &token, now).await?;
    let Some(row) = row.filter(|_| state == TokenState::Usable) else {
        return private(gone(state, config)?);
    };
    let password = form.get("password");
    let errors = check_new_password(password, form.get("password_again"));
    if !errors.is_empty() {
        let page = reset_page(token.as_str(), &errors, form.get("csrf"));
        return private(auth_page(422, page.into_string(), None, config)?);
    }
    let Ok(hash) = hash_password(password, &random_bytes::<16>()?) else {
        let errors = [("password", "That password cannot be used.".to_string())];
        let page = reset_page(token.as_str(), &errors, form.get("csrf"));
        return private(auth_page(422, page.into_string(), None, config)?);
    };
    let session = SessionToken::from_random(random_bytes::<32>()?);
    let db = env.d1(D1_BINDING)?;
    let t = JsValue::from_f64(now as f64);
    let th = token.storage_hash();
    // Every statement holds only while the token is unused and unexpired;
    // the last one marks it used. One batch: all or nothing.
    const LIVE: &str = "token_hash = ?1 AND used_at IS NULL AND expires_at > ?2";
    let results = db
        .batch(vec![
            db.prepare(format!(
                "UPDATE users SET password_hash = ?3 WHERE id = (SELECT user_id FROM password_resets WHERE {LIVE})"
            ))
            .bind(&[th.as_str().into(), t.clone(), hash.as_str().into()])?,
            db.prepare(format!(
                "DELETE FROM sessions WHERE user_id = (SELECT user_id FROM password_resets WHERE {LIVE})"
            ))
            .bind(&[th.as_str().into(), t.clone()])?,
            db.prepare(format!(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) \
                 SELECT ?3, user_id, ?2, ?4 FROM password_resets WHERE {LIVE}"
            ))
            .bind(&[
                th.as_str().into(),
                t.clone(),
                session.storage_hash().into(),
                JsValue::from_f64((now + SESSION_TTL_MS) as f64),
            ])?,
            db.prepare(format!(
                "DELETE FROM password_resets WHERE token_hash <> ?1 \
                 AND user_id = (SELECT user_id FROM password_resets WHERE {LIVE})"
            ))
            .bind(&[th.as_str().into(), t.clone()])?,
            db.prepare(format!("UPDATE password_resets SET used_at = ?2 WHERE {LIVE}"))
                .bind(&[th.as_str().into(), t])?,
        ])
        .await?;
    let redeemed = results
        .get(4)
        .and_then(|r| r.meta().ok().flatten())
        .and_then(|m| m.changes)
        .unwrap_or(0)
        > 0;
    if !redeemed {
        // Used (or expired) between the look-up and the batch.
        return private(gone(TokenState::Used, config)?);
    }
    // Whoever proved the account's mail is known at this address now, as
    // after a correct password.
    reset(env, &sign_in_key(ip, &row.email), LimitClass::SignIn).await;
    let location = default_landing(env, config, &row.user_id).await?;
    signed_in_redirect(&location, &session, config)
}

fn unavailable(config: &PlatformConfig) -> Result<Response> {
    respond::platform_error(
        503,
        "Try again shortly",
        "Password resets are briefly unavailable. Please try again in a moment.",
        &config.apex_url(),
    )
}
