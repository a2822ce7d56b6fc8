//! Custom domains over HTTP: `/admin/domains` (the page: records to
//! create, checks, the primary address, add and remove forms) and
//! `/admin/api/domains`.
//!
//! | API | |
//! |---|---|
//! | `GET /admin/api/domains` | the domains, the records each needs, the quota |
//! | `POST /admin/api/domains` | `{host, alias?}`: add (pending) |
//! | `GET /admin/api/domains/{host}` | one domain |
//! | `POST /admin/api/domains/{host}/check` | check its DNS now (verifies it when right) |
//! | `DELETE /admin/api/domains/{host}` | remove (a domain with its alias, or an alias alone) |
//! | `PUT /admin/api/domains/primary` | `{host}`: the primary address (`null`: the subdomain) |
//!
//! Every write goes through the actor's write queue ([`crate::domains::plan`]).
//! Before an add, the claims of other blogs are read ([`crate::domains::book`]):
//! a host another blog holds is refused with 409. A check runs the DNS
//! lookups outside the write queue, then records what it found; a check
//! DNS could not answer says so (200, never a 5xx). A write that changes
//! which hosts serve the blog, or its primary, names the host-map keys
//! the router must forget (`HOSTS_HEADER`).

use serde::Deserialize;

use super::reply::Reply;
use super::RequestCtx;
use crate::admin::content::{Command, Outcome, TenantContent, WriteCtx};
use crate::admin::errors::{ApiError, FieldError, WriteError};
use crate::admin::forms::FormData;
use crate::admin::store::ContentStore;
use crate::domains::book::{standing, taken_message, Claim, DomainBook, Standing};
use crate::domains::host::{counterpart, normalize_domain};
use crate::domains::plan::{hosts_to_forget, DomainCommand};
use crate::domains::verify::{self, Verdict};
use crate::domains::{Domain, TenantDomains};
use crate::page_store::PageStore;
use crate::plans::QuotaKind;
use crate::protocol::AdminRequest;
use crate::tenant_core::TenantCore;
use crate::views::admin::{self as v, AdminChrome};

/// `POST /admin/api/domains`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddInput {
    host: String,
    /// Also answer on the www (or bare) counterpart, redirected here.
    #[serde(default)]
    alias: bool,
}

/// `PUT /admin/api/domains/primary`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrimaryInput {
    host: Option<String>,
}

fn notice(query: Option<&str>) -> Option<&'static str> {
    query?.split('&').find_map(|p| match p {
        "notice=added" => Some("Domain added. Create its DNS records, then check it."),
        "notice=verified" => Some("Verified: your blog is served on this domain."),
        "notice=pending" => Some("Checked: not verified yet. See what is missing below."),
        "notice=unchecked" => {
            Some("DNS could not be checked just now. Nothing changed: try again in a minute.")
        }
        "notice=removed" => Some("Domain removed."),
        "notice=primary" => Some("Primary address saved."),
        _ => None,
    })
}

/// What a request under `/admin/domains` needs besides its body.
struct Ctx<'a, S, P> {
    core: &'a TenantCore<S, P>,
    req: &'a AdminRequest,
    content: &'a TenantContent,
    chrome: &'a AdminChrome,
    ctx: &'a RequestCtx,
    api: bool,
}

/// Serves `/admin/domains/{rest..}` (`api`: `/admin/api/domains/{rest..}`).
pub async fn handle<S: ContentStore, P: PageStore>(
    core: &TenantCore<S, P>,
    req: &AdminRequest,
    content: &TenantContent,
    chrome: &AdminChrome,
    rest: &[&str],
    api: bool,
    ctx: &RequestCtx,
) -> Reply {
    let c = Ctx {
        core,
        req,
        content,
        chrome,
        ctx,
        api,
    };
    match (req.method.as_str(), rest, api) {
        ("GET", [], _) => c.list(None, &v::AddDomainForm::default(), 200),
        ("POST", [], _) => c.add().await,
        ("PUT", ["primary"], true) | ("POST", ["primary"], false) => c.set_primary().await,
        ("GET", [host], true) => match content.domains.get(&host.to_ascii_lowercase()) {
            Some(d) => Reply::json(200, &c.domain_json(&content.domains, d)),
            None => c.no_such(host),
        },
        ("POST", [host, "check"], _) => c.check(&host.to_ascii_lowercase()).await,
        ("DELETE", [host], true) | ("POST", [host, "delete"], false) => {
            c.remove(&host.to_ascii_lowercase()).await
        }
        ("GET", [host, "delete"], false) => {
            let host = host.to_ascii_lowercase();
            match content.domains.get(&host) {
                Some(d) => Reply::html(200, v::remove_domain_page(chrome, &c.view(), d)),
                None => c.no_such(&host),
            }
        }
        // A GET of a form's target goes to the page with the form.
        ("GET" | "HEAD", ["primary"] | [_, "check"], false) => Reply::see_other("/admin/domains"),
        (_, [] | ["primary"] | [_] | [_, "check" | "delete"], _) => Reply::method_not_allowed(api),
        _ => Reply::not_found(api),
    }
}

impl<S: ContentStore, P: PageStore> Ctx<'_, S, P> {
    fn book(&self) -> &S::Domains {
        self.core.store().domains()
    }

    fn view(&self) -> v::DomainsView<'_> {
        let plan = self.content.tenant.plan;
        v::DomainsView {
            domains: &self.content.domains,
            subdomain_host: self
                .content
                .domains
                .platform
                .tenant_host(&self.content.tenant.subdomain),
            target: self.book().target(),
            plan,
            quota: QuotaKind::CustomDomains.limit(plan),
        }
    }

    fn write_ctx(&self) -> WriteCtx {
        WriteCtx {
            now: self.ctx.now,
            user_id: self.req.user.user_id.clone(),
            new_id: self.ctx.new_id.clone(),
        }
    }

    fn no_such(&self, host: &str) -> Reply {
        let message = format!("{host} is not one of this blog's domains.");
        if self.api {
            Reply::json(
                404,
                &ApiError {
                    error: "not_found",
                    message,
                    field: None,
                    fields: vec![],
                },
            )
        } else {
            let p = crate::problem::Problem::new(404, "not_found", "Sorry", &message)
                .home("/admin/domains");
            Reply::problem(&p, crate::problem::Format::Html)
        }
    }

    /// The page (with `error` on the add form), or the API's list.
    fn list(&self, error: Option<&WriteError>, form: &v::AddDomainForm, status: u16) -> Reply {
        if self.api {
            let view = self.view();
            let domains: Vec<_> = self
                .content
                .domains
                .domains()
                .map(|d| self.domain_json(&self.content.domains, d))
                .collect();
            return Reply::json(
                status,
                &serde_json::json!({
                    "subdomain": view.subdomain_host,
                    "primary": self.content.domains.canonical_host(&self.content.tenant.subdomain),
                    "target": view.target,
                    "quota": {
                        "used": self.content.domains.counted(),
                        "max": view.quota,
                        "plan": view.plan.as_str(),
                    },
                    "domains": domains,
                }),
            );
        }
        let page = v::domains_page(
            self.chrome,
            &self.view(),
            form,
            error,
            notice(self.req.query.as_deref()),
        );
        Reply::html(status, page)
    }

    /// A domain (one of `domains`) as the API shows it: its state, the
    /// records it needs, the last check with a message per record.
    fn domain_json(&self, domains: &TenantDomains, d: &Domain) -> serde_json::Value {
        let alias = domains.alias_of(&d.host);
        let records: Vec<_> = verify::wanted(
            &d.host,
            alias.map(|a| a.host.as_str()),
            &d.token,
            &self.book().target(),
        )
        .iter()
        .map(|r| serde_json::json!({"type": r.kind, "name": r.name, "value": r.expected, "purpose": r.purpose}))
        .collect();
        let last_check = d.last_check.as_ref().map(|c| {
            let records: Vec<_> = c
                .report
                .records
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "type": r.kind, "name": r.name, "expected": r.expected,
                        "status": r.status, "found": r.found, "message": r.message(),
                    })
                })
                .collect();
            serde_json::json!({
                "at": c.at,
                "verdict": c.report.verdict(),
                "summary": c.report.summary(&d.host),
                "records": records,
            })
        });
        serde_json::json!({
            "host": d.host,
            "status": if d.verified() { "verified" } else { "pending" },
            "primary": domains.primary().is_some_and(|p| p.host == d.host),
            "alias": alias.map(|a| &a.host),
            "alias_of": d.alias_of,
            "bare": crate::domains::host::is_apex(&d.host),
            "created_at": d.created_at,
            "verified_at": d.verified_at,
            "records": records,
            "last_check": last_check,
        })
    }

    /// A refused write: the API's error, or the page with the form as typed.
    fn refused(&self, e: &WriteError, form: &v::AddDomainForm) -> Reply {
        if self.api {
            Reply::api_error(e)
        } else {
            self.list(Some(e), form, e.status())
        }
    }

    /// Another blog holds `host`: 409, on the host field.
    fn taken(&self, host: &str, claim: &Claim, form: &v::AddDomainForm) -> Reply {
        let message = taken_message(host, claim);
        if self.api {
            return Reply::json(
                409,
                &ApiError {
                    error: "domain_taken",
                    message,
                    field: Some("host"),
                    fields: vec![],
                },
            );
        }
        let e = WriteError::Invalid(vec![FieldError::new("host", &message)]);
        self.list(Some(&e), form, 409)
    }

    /// Reads the add form or JSON.
    fn add_input(&self) -> Result<v::AddDomainForm, WriteError> {
        if self.api {
            let input: AddInput = serde_json::from_str(&self.req.body).map_err(|e| {
                WriteError::BadRequest(format!(
                    "Send JSON: {{\"host\": \"example.com\", \"alias\": false}}: {e}"
                ))
            })?;
            return Ok(v::AddDomainForm {
                host: input.host,
                alias: input.alias,
            });
        }
        let form = FormData::parse(&self.req.body)
            .ok_or_else(|| WriteError::BadRequest("The form could not be read.".into()))?;
        Ok(v::AddDomainForm {
            host: form.get("host").to_string(),
            alias: form.get("alias") == "yes",
        })
    }

    async fn add(&self) -> Reply {
        let form = match self.add_input() {
            Ok(form) => form,
            Err(e) => return self.refused(&e, &v::AddDomainForm::default()),
        };
        let base = &self.content.domains.platform.base_domain;
        let host = match normalize_domain(&form.host, base) {
            Ok(host) => host,
            Err(e) => {
                let e = WriteError::Invalid(vec![FieldError::new("host", &e.to_string())]);
                return self.refused(&e, &form);
            }
        };
        let alias = match (form.alias, counterpart(&host)) {
            (false, _) => None,
            (true, Some(alias)) => Some(alias),
            (true, None) => {
                let message = format!("{host} has no www or bare counterpart to redirect: that option is for a bare domain (example.com) or its www name (www.example.com).");
                let e = WriteError::Invalid(vec![FieldError::new("alias", &message)]);
                return self.refused(&e, &form);
            }
        };
        let me = &self.req.tenant_id;
        for name in std::iter::once(&host).chain(&alias) {
            match self.book().claim(name).await {
                Err(_) => return Reply::unavailable(self.api),
                Ok(claim) => {
                    if let Standing::Taken(claim) = standing(claim, me, self.ctx.now) {
                        return self.taken(name, &claim, &form);
                    }
                }
            }
        }
        let command = Command::Domain(DomainCommand::Add {
            host: host.clone(),
            alias: alias.clone(),
            token: self.ctx.new_id.clone(),
        });
        match self.core.write(me, &command, &self.write_ctx()).await {
            Ok(Outcome::Domain(Some(d))) if self.api => {
                let after = self
                    .after()
                    .await
                    .unwrap_or_else(|| self.content.domains.clone());
                Reply::json(201, &self.domain_json(&after, &d))
            }
            Ok(_) => Reply::see_other(&format!("/admin/domains?notice=added#{}", v::anchor(&host))),
            Err(WriteError::Store(_)) => {
                // The insert may have met another blog's claim that raced
                // this one (the host is D1's key): say so if it did.
                for name in std::iter::once(&host).chain(&alias) {
                    if let Ok(claim) = self.book().claim(name).await {
                        if let Standing::Taken(claim) = standing(claim, me, self.ctx.now) {
                            return self.taken(name, &claim, &form);
                        }
                    }
                }
                Reply::unavailable(self.api)
            }
            Err(e) => self.refused(&e, &form),
        }
    }

    /// The blog's domains after a write, as the actor now holds them.
    async fn after(&self) -> Option<TenantDomains> {
        self.core
            .read(&self.req.tenant_id, self.ctx.now, |c| c.domains.clone())
            .await
            .ok()
            .flatten()
    }

    /// Tells the router which hosts to forget after a write (see
    /// [`hosts_to_forget`]); the domains as they now stand.
    async fn forget_changed_hosts(&self) -> Option<TenantDomains> {
        let after = self.after().await?;
        let keys = hosts_to_forget(
            &self.content.domains,
            &after,
            &self.content.tenant.subdomain,
        );
        self.core.forget_hosts(keys);
        Some(after)
    }

    async fn check(&self, host: &str) -> Reply {
        let Some(domain) = self.content.domains.domains().find(|d| d.host == host) else {
            return self.no_such(host);
        };
        let me = &self.req.tenant_id;
        // A claim that lapsed unverified may have been taken by another
        // blog meanwhile: then it is no longer this blog's to check.
        match self.book().claim(host).await {
            Err(_) => return Reply::unavailable(self.api),
            Ok(claim) if standing(claim.clone(), me, self.ctx.now) != Standing::Mine => {
                let gone = Command::Domain(DomainCommand::Remove {
                    host: host.to_string(),
                });
                if self.core.write(me, &gone, &self.write_ctx()).await.is_err() {
                    return Reply::unavailable(self.api);
                }
                let message = format!("{host} is no longer this blog's: it stayed unverified for more than 7 days and another blog has added it since. It was removed from this list.");
                return self.refused(&WriteError::Conflict(message), &v::AddDomainForm::default());
            }
            Ok(_) => {}
        }
        let alias = self.content.domains.alias_of(host).map(|a| a.host.as_str());
        let book = self.book();
        let report = verify::check(book.dns(), host, alias, &domain.token, &book.target()).await;
        let verdict = report.verdict();
        let command = Command::Domain(DomainCommand::RecordCheck {
            host: host.to_string(),
            report,
        });
        match self.core.write(me, &command, &self.write_ctx()).await {
            Ok(Outcome::Domain(Some(d))) => {
                let after = self.forget_changed_hosts().await;
                if self.api {
                    let domains = after.as_ref().unwrap_or(&self.content.domains);
                    return Reply::json(200, &self.domain_json(domains, &d));
                }
                let notice = match (d.verified(), verdict) {
                    (true, _) => "verified",
                    (false, Verdict::CouldNotCheck) => "unchecked",
                    (false, _) => "pending",
                };
                Reply::see_other(&format!(
                    "/admin/domains?notice={notice}#{}",
                    v::anchor(host)
                ))
            }
            Ok(_) => Reply::unavailable(self.api),
            Err(WriteError::NotFound) => self.no_such(host),
            Err(e) => self.refused(&e, &v::AddDomainForm::default()),
        }
    }

    async fn remove(&self, host: &str) -> Reply {
        let Some(domain) = self.content.domains.get(host) else {
            return self.no_such(host);
        };
        let served = domain.verified();
        let command = Command::Domain(DomainCommand::Remove {
            host: host.to_string(),
        });
        match self
            .core
            .write(&self.req.tenant_id, &command, &self.write_ctx())
            .await
        {
            Ok(_) => {
                self.forget_changed_hosts().await;
                if served {
                    // Its edge copies go too (the router purges them on the
                    // removed host as well as the blog's others).
                    let _ = self
                        .core
                        .purge_site(&self.req.tenant_id, self.ctx.now)
                        .await;
                }
                if self.api {
                    Reply::json(200, &serde_json::json!({ "deleted": host }))
                } else {
                    Reply::see_other("/admin/domains?notice=removed")
                }
            }
            Err(WriteError::NotFound) => self.no_such(host),
            Err(e) => self.refused(&e, &v::AddDomainForm::default()),
        }
    }

    async fn set_primary(&self) -> Reply {
        let choice = if self.api {
            match serde_json::from_str::<PrimaryInput>(&self.req.body) {
                Ok(input) => input.host,
                Err(e) => {
                    return Reply::api_error(&WriteError::BadRequest(format!(
                        "Send JSON: {{\"host\": \"example.com\"}}, or null for the subdomain: {e}"
                    )))
                }
            }
        } else {
            match FormData::parse(&self.req.body) {
                Some(form) => Some(form.get("primary").to_string()),
                None => return Reply::bad_request(false, "The form could not be read."),
            }
        };
        let subdomain_host = self
            .content
            .domains
            .platform
            .tenant_host(&self.content.tenant.subdomain);
        let choice = choice
            .map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|h| !h.is_empty() && *h != subdomain_host);
        let command = Command::Domain(DomainCommand::SetPrimary(choice));
        match self
            .core
            .write(&self.req.tenant_id, &command, &self.write_ctx())
            .await
        {
            Ok(_) => {
                let after = self.forget_changed_hosts().await;
                if self.api {
                    let primary = after
                        .map(|a| a.canonical_host(&self.content.tenant.subdomain))
                        .unwrap_or(subdomain_host);
                    Reply::json(200, &serde_json::json!({ "primary": primary }))
                } else {
                    Reply::see_other("/admin/domains?notice=primary")
                }
            }
            Err(e) => self.refused(&e, &v::AddDomainForm::default()),
        }
    }
}
