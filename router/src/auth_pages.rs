//! `auth.{BASE_DOMAIN}`: sign up, sign in, sign out; and, in modules of
//! their own, a forgotten password ([`crate::password_reset`]), the
//! availability of blog addresses ([`crate::subdomains`]) and, in local
//! runs, the mail outbox ([`crate::dev_outbox`]).
//!
//! Passwords are hashed with Argon2id (m = 19 MiB, t = 2, p = 1). The sign-in
//! and sign-up forms are protected from CSRF by a double-submit cookie
//! (host-only, `SameSite=Strict`); sign-out by the session's own CSRF token.
//! After sign-in the user returns to the page that sent them here, if it is
//! on this platform.
//!
//! Limits (`grove_shared::limits::sign_in` decides and explains): sign-in
//! counts failures per IP and account, a correct password resets them,
//! and addresses new to an account share a per-account bound; sign-up
//! counts blogs created, after validation, plus raw submissions per IP.
//!
//! Sign-up checks the blog address with the same rules and words as the
//! availability API (`grove_shared::accounts::names`), then creates the
//! account in one D1 batch that first sweeps expired name holds. Two
//! sign-ups racing for one address may both pass the check; then the
//! batch of all but one fails (unique name, or the hold's trigger) and
//! changes nothing, and its sign-up gets the form back with a 409 and the
//! reason.

use grove_shared::accounts::names::{check_rules, stored_verdict, SignUpClash};
use grove_shared::accounts::reset::{FORGOT_PATH, RESET_PATH};
use grove_shared::admin::forms::FormData;
use grove_shared::auth::cookie::{
    clear_session_cookie, form_csrf_cookie, read_cookie, session_cookie, FORM_CSRF_COOKIE,
};
use grove_shared::auth::email::normalize_email;
use grove_shared::auth::password::{hash_password, validate_password, verify_password};
use grove_shared::auth::return_to::{percent_decode, percent_encode_component, safe_return_to};
use grove_shared::auth::session::{csrf_matches, SESSION_TTL_MS};
use grove_shared::config::PlatformConfig;
use grove_shared::host::subdomain_from_input;
use grove_shared::protocol::D1_BINDING;
use grove_shared::views::auth::{
    forbidden_page, signed_out_page, signin_page, signup_page, AuthForm,
};
use grove_tenant_do::ids::{new_id, random_bytes};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{Context, Env, Headers, Method, Request, Response, Result};

use crate::auth_limits::{reset, sign_in_unavailable, sign_up_unavailable, throttle, too_many};
use crate::client_ip::client_ip;
use crate::{dev_outbox, password_reset, respond, session, subdomains};
use grove_shared::limits::policy::LimitClass;
use grove_shared::limits::set::{
    sign_in_account_key, sign_in_key, sign_up_attempts_key, sign_up_key, TakeReply,
};
use grove_shared::limits::sign_in::{self, Gate};

/// A valid Argon2id hash of a random string, verified against when an email
/// is unknown so that sign-in takes as long whether or not the account exists.
const DUMMY_HASH: &str = include_str!("dummy_hash.txt");

#[derive(Deserialize)]
struct UserRow {
    id: String,
    password_hash: String,
}

#[derive(Deserialize)]
struct SubdomainRow {
    subdomain: String,
}

/// Serves one request to the auth host.
pub async fn handle(
    mut req: Request,
    env: &Env,
    ctx: &Context,
    config: &PlatformConfig,
    now: i64,
) -> Result<Response> {
    let url = req.url()?;
    let query = url.query().map(str::to_string);
    let ip = client_ip(&req);
    if url.path().starts_with(subdomains::API_PREFIX) {
        return subdomains::handle(env, req.method(), url.path(), now).await;
    }
    if dev_outbox::is_outbox_path(url.path()) && req.method() == Method::Get {
        if let Some(answer) = dev_outbox::serve(env, url.path()).await {
            return answer;
        }
    }
    match (req.method(), url.path()) {
        (Method::Get, "/") => respond::see_other("/signin"),
        (Method::Get, "/signin") => {
            let return_to = query_param(query.as_deref(), "return_to")
                .and_then(|r| safe_return_to(Some(&r), config));
            let (csrf, cookie) = form_csrf(&req, config)?;
            let page = signin_page(
                &AuthForm::default(),
                None,
                &csrf,
                return_to.as_deref(),
                "/signup",
            );
            auth_page(200, page.into_string(), cookie, config)
        }
        (Method::Get, "/signup") => {
            let (csrf, cookie) = form_csrf(&req, config)?;
            let page = signup_page(
                &AuthForm::default(),
                &[],
                &csrf,
                &config.base_domain,
                "/signin",
            );
            auth_page(200, page.into_string(), cookie, config)
        }
        (Method::Get, FORGOT_PATH) => password_reset::forgot_form(&req, config),
        (Method::Get, RESET_PATH) => {
            password_reset::reset_form(env, &req, config, query.as_deref(), now).await
        }
        (Method::Post, path @ ("/signin" | "/signup" | FORGOT_PATH | RESET_PATH)) => {
            let form = read_form(&mut req).await?;
            if !form_csrf_ok(&req, &form) {
                return expired_form(config);
            }
            match path {
                "/signin" => sign_in(env, config, &form, &ip, now).await,
                "/signup" => sign_up(env, config, &form, &ip, now).await,
                FORGOT_PATH => password_reset::forgot(env, ctx, config, &form, &ip, now).await,
                _ => password_reset::reset_password(env, config, &form, &ip, now).await,
            }
        }
        (Method::Post, "/signout") => {
            let form = read_form(&mut req).await?;
            let signed_in = session::current(env, &req, now).await?;
            if let Some(s) = &signed_in {
                if !csrf_matches(&s.identity.csrf_token, form.get("csrf")) {
                    return respond::html(
                        403,
                        forbidden_page(
                            "The sign-out form was not sent by Grove. Nothing changed.",
                            &config.apex_url(),
                        )
                        .into_string(),
                    );
                }
                session::revoke(env, &s.token).await?;
            }
            // The blog the owner signed out from (the admin's form names
            // it), if it is on this platform: the way back, and where
            // signing in again leads.
            let blog = safe_return_to(Some(form.get("return_to")), config);
            let signin_again = match &blog {
                Some(b) => format!(
                    "/signin?return_to={}",
                    percent_encode_component(&format!("{b}admin"))
                ),
                None => "/signin".to_string(),
            };
            let page = signed_out_page(&config.apex_url(), blog.as_deref(), &signin_again);
            let resp = respond::html(200, page.into_string())?;
            resp.headers().append(
                "set-cookie",
                &clear_session_cookie(&config.base_domain, secure(config)),
            )?;
            Ok(resp)
        }
        (_, "/" | "/signin" | "/signup" | "/signout" | FORGOT_PATH | RESET_PATH) => {
            respond::method_not_allowed(&config.apex_url())
        }
        _ => respond::platform_error(
            404,
            "Not found",
            "There is nothing at this address.",
            &config.apex_url(),
        ),
    }
}

fn secure(config: &PlatformConfig) -> bool {
    config.scheme == "https"
}

pub(crate) fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| percent_decode(v)).flatten()
    })
}

/// Largest sign-in or sign-up form accepted.
const MAX_FORM_BYTES: usize = 16 * 1024;

async fn read_form(req: &mut Request) -> Result<FormData> {
    let body = req.text().await.unwrap_or_default();
    if body.len() > MAX_FORM_BYTES {
        return Ok(FormData::default());
    }
    Ok(FormData::parse(&body).unwrap_or_default())
}

/// The form CSRF value: the cookie's if the browser has one, else a new one to set.
pub(crate) fn form_csrf(
    req: &Request,
    config: &PlatformConfig,
) -> Result<(String, Option<String>)> {
    let header = req.headers().get("cookie")?;
    if let Some(existing) =
        read_cookie(header.as_deref(), FORM_CSRF_COOKIE).filter(|v| v.len() == 32)
    {
        return Ok((existing, None));
    }
    let value = new_id()?;
    let cookie = form_csrf_cookie(&value, secure(config));
    Ok((value, Some(cookie)))
}

fn form_csrf_ok(req: &Request, form: &FormData) -> bool {
    let header = req.headers().get("cookie").ok().flatten();
    match read_cookie(header.as_deref(), FORM_CSRF_COOKIE) {
        Some(cookie) if cookie.len() == 32 => csrf_matches(&cookie, form.get("csrf")),
        _ => false,
    }
}

fn expired_form(config: &PlatformConfig) -> Result<Response> {
    respond::platform_error(
        403,
        "Form expired",
        "This form was not sent from this page, or it expired. Go back, reload the page and try again.",
        &config.apex_url(),
    )
}

pub(crate) fn auth_page(
    status: u16,
    body: String,
    set_cookie: Option<String>,
    config: &PlatformConfig,
) -> Result<Response> {
    let resp = respond::auth_html(status, body, config)?;
    if let Some(cookie) = set_cookie {
        resp.headers().append("set-cookie", &cookie)?;
    }
    Ok(resp)
}

fn form_values(form: &FormData) -> AuthForm {
    AuthForm {
        email: form.get("email").trim().to_string(),
        subdomain: subdomain_from_input(form.get("subdomain")),
        site_title: form.get("site_title").trim().to_string(),
    }
}

/// 303 to `location` with a fresh session cookie.
pub(crate) fn signed_in_redirect(
    location: &str,
    token: &grove_shared::auth::session::SessionToken,
    config: &PlatformConfig,
) -> Result<Response> {
    let headers = Headers::new();
    headers.set("location", location)?;
    headers.append(
        "set-cookie",
        &session_cookie(
            token,
            &config.base_domain,
            secure(config),
            SESSION_TTL_MS / 1000,
        ),
    )?;
    Ok(Response::empty()?.with_status(303).with_headers(headers))
}

async fn sign_in(
    env: &Env,
    config: &PlatformConfig,
    form: &FormData,
    ip: &str,
    now: i64,
) -> Result<Response> {
    let values = form_values(form);
    let return_to = safe_return_to(Some(form.get("return_to")), config);
    let password = form.get("password");
    let email = normalize_email(form.get("email")).ok();
    // Failures are what is limited (see `limits::sign_in`). The IP+account
    // token is taken before the password is checked, so concurrent guesses
    // never exceed the bound; a correct password gives it all back. If a
    // limiter cannot answer, refuse (fail closed).
    let account = email.clone().unwrap_or_else(|| values.email.to_lowercase());
    let refuse = |message: String, reply: &TakeReply| {
        let page = signin_page(
            &values,
            Some(&message),
            form.get("csrf"),
            return_to.as_deref(),
            "/signup",
        );
        too_many(page.into_string(), reply, config)
    };
    let pair_key = sign_in_key(ip, &account);
    let pair = match throttle(env, &pair_key, LimitClass::SignIn).await {
        Some(reply) => reply,
        None => return sign_in_unavailable(config),
    };
    let account_reply = match sign_in::gate(&pair, now as u64) {
        Gate::TooManyHere => return refuse(sign_in::too_many_here(&pair.decision), &pair),
        Gate::Proceed {
            account_bound: false,
        } => None,
        Gate::Proceed {
            account_bound: true,
        } => match throttle(
            env,
            &sign_in_account_key(&account),
            LimitClass::SignInAccount,
        )
        .await
        {
            Some(reply) if reply.decision.granted > 0 => Some(reply),
            Some(reply) => return refuse(sign_in::too_many_for_account(&reply.decision), &reply),
            None => return sign_in_unavailable(config),
        },
    };
    let user = match &email {
        Some(email) => {
            env.d1(D1_BINDING)?
                .prepare("SELECT id, password_hash FROM users WHERE email = ?1")
                .bind(&[email.as_str().into()])?
                .first::<UserRow>(None)
                .await?
        }
        None => None,
    };
    let verified = match &user {
        Some(u) => verify_password(password, &u.password_hash),
        None => {
            // Same work as a real check, so timing does not reveal accounts.
            let _ = verify_password(password, DUMMY_HASH.trim());
            false
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        let csrf = form.get("csrf");
        let message = format!(
            "That email and password do not match an account. {}",
            sign_in::attempts_left(&pair, account_reply.as_ref())
        );
        let page = signin_page(
            &values,
            Some(&message),
            csrf,
            return_to.as_deref(),
            "/signup",
        );
        return auth_page(401, page.into_string(), None, config);
    };
    // The right password: this address's failures are forgiven, and it is
    // now known to the account.
    reset(env, &pair_key, LimitClass::SignIn).await;
    let token = session::create(env, &user.id, now).await?;
    let location = match return_to {
        Some(r) => r,
        None => default_landing(env, config, &user.id).await?,
    };
    signed_in_redirect(&location, &token, config)
}

/// Where a user goes after signing in without a destination: their blog's admin.
pub(crate) async fn default_landing(
    env: &Env,
    config: &PlatformConfig,
    user_id: &str,
) -> Result<String> {
    let blog = env
        .d1(D1_BINDING)?
        .prepare("SELECT subdomain FROM tenants WHERE owner_id = ?1 ORDER BY created_at LIMIT 1")
        .bind(&[user_id.into()])?
        .first::<SubdomainRow>(None)
        .await?;
    Ok(match blog {
        Some(b) => format!("{}/admin", config.origin(&config.tenant_host(&b.subdomain))),
        None => config.apex_url(),
    })
}

async fn sign_up(
    env: &Env,
    config: &PlatformConfig,
    form: &FormData,
    ip: &str,
    now: i64,
) -> Result<Response> {
    let values = form_values(form);
    let too_many_sign_ups = |message: String, reply: &TakeReply| {
        let page = signup_page(
            &values,
            &[("form", message)],
            form.get("csrf"),
            &config.base_domain,
            "/signin",
        );
        too_many(page.into_string(), reply, config)
    };
    // A generous bound on raw submissions, against scripts. Accounts
    // created are counted further down, once the form is valid.
    match throttle(env, &sign_up_attempts_key(ip), LimitClass::SignUpAttempts).await {
        Some(reply) if reply.decision.granted > 0 => {}
        Some(reply) => {
            return too_many_sign_ups(sign_in::too_many_sign_up_attempts(&reply.decision), &reply)
        }
        None => return sign_up_unavailable(config),
    }
    let mut errors: Vec<(&str, String)> = Vec::new();
    let email = normalize_email(form.get("email"))
        .map_err(|e| errors.push(("email", e.to_string())))
        .ok();
    let password = form.get("password");
    if let Err(e) = validate_password(password) {
        errors.push(("password", e.to_string()));
    }
    let (_, rules) = check_rules(&values.subdomain);
    if let Err(why) = &rules {
        errors.push(("subdomain", why.message()));
    }
    let title = if values.site_title.is_empty() {
        values.subdomain.clone()
    } else {
        values.site_title.clone()
    };
    if title.chars().count() > 100 {
        errors.push((
            "site_title",
            "The blog title is at most 100 characters.".to_string(),
        ));
    }
    let csrf = form.get("csrf");
    let refuse = |status: u16, errors: &[(&str, String)]| {
        let page = signup_page(&values, errors, csrf, &config.base_domain, "/signin");
        auth_page(status, page.into_string(), None, config)
    };
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return refuse(422, &errors);
    };
    let db = env.d1(D1_BINDING)?;
    let taken_email = db
        .prepare("SELECT 1 AS one FROM users WHERE email = ?1")
        .bind(&[email.as_str().into()])?
        .first::<serde_json::Value>(None)
        .await?
        .is_some();
    let (taken, held) = subdomains::name_state(&db, &values.subdomain, now).await?;
    if taken_email {
        errors.push((
            "email",
            "An account with this email exists already. Sign in instead.".to_string(),
        ));
    }
    if let Err(why) = stored_verdict(taken, held) {
        errors.push(("subdomain", why.message()));
    }
    if !errors.is_empty() {
        return refuse(409, &errors);
    }
    // Only now does the attempt count as an account created.
    match throttle(env, &sign_up_key(ip), LimitClass::SignUp).await {
        Some(reply) if reply.decision.granted > 0 => {}
        Some(reply) => return too_many_sign_ups(sign_in::too_many_sign_ups(&reply), &reply),
        None => return sign_up_unavailable(config),
    }
    let Ok(hash) = hash_password(password, &random_bytes::<16>()?) else {
        return refuse(
            422,
            &[("password", "That password cannot be used.".to_string())],
        );
    };
    let user_id = format!("u_{}", new_id()?);
    let tenant_id = format!("t_{}", new_id()?);
    let t = JsValue::from_f64(now as f64);
    let created = db
        .batch(vec![
            // Holds past their time free their names (the trigger on
            // `tenants` refuses a name only while a hold row exists).
            db.prepare("DELETE FROM subdomain_holds WHERE held_until <= ?1").bind(std::slice::from_ref(&t))?,
            db.prepare("INSERT INTO users (id, email, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)")
                .bind(&[user_id.as_str().into(), email.as_str().into(), hash.as_str().into(), t.clone()])?,
            db.prepare(
                "INSERT INTO tenants (id, subdomain, display_name, owner_id, plan, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, 'free', ?5, ?5)",
            )
            .bind(&[tenant_id.as_str().into(), values.subdomain.as_str().into(), title.as_str().into(), user_id.as_str().into(), t])?,
            db.prepare("INSERT INTO tenant_settings (tenant_id, key, value) VALUES (?1, 'site_title', ?2)")
                .bind(&[tenant_id.as_str().into(), title.as_str().into()])?,
        ])
        .await;
    if let Err(e) = created {
        // Nothing was written (a batch is one transaction). A concurrent
        // sign-up took the address or the email between check and write,
        // or a hold keeps the address; anything else is not the form's fault.
        let error = e.to_string();
        return match SignUpClash::from_d1_error(&error) {
            Some(clash) => refuse(409, &[(clash.field(), clash.message())]),
            None => {
                worker::console_error!("sign-up batch failed: {error}");
                sign_up_unavailable(config)
            }
        };
    }
    // The owner's own address is known to the account from the start, so
    // the per-account bound never holds them up here.
    reset(env, &sign_in_key(ip, &email), LimitClass::SignIn).await;
    let token = session::create(env, &user_id, now).await?;
    // The setup wizard of a new blog.
    let welcome = format!(
        "{}/admin/welcome",
        config.origin(&config.tenant_host(&values.subdomain))
    );
    signed_in_redirect(&welcome, &token, config)
}
