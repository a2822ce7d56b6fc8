//! `/admin/domains`: the blog's custom domains. The plan's allowance, the
//! primary address, each domain with the DNS records to create and what
//! its last check found, a form to add one, and the question asked before
//! one is removed.

use maud::{html, Markup};

use super::fields::error_banner;
use super::layout::admin_layout;
use super::{csrf_input, AdminChrome, Field, InputAttrs};
use crate::admin::errors::WriteError;
use crate::domains::host::is_apex;
use crate::domains::verify::{self, Purpose, RecordCheck, Status};
use crate::domains::{Domain, TenantDomains};
use crate::limits::policy::Plan;
use crate::plans::QuotaKind;

/// What the page shows.
pub struct DomainsView<'a> {
    pub domains: &'a TenantDomains,
    /// `{subdomain}.{BASE_DOMAIN}`.
    pub subdomain_host: String,
    /// Where every domain must point (`DOMAIN_TARGET`).
    pub target: String,
    pub plan: Plan,
    /// Custom domains the plan allows.
    pub quota: u64,
}

/// The add form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddDomainForm {
    pub host: String,
    /// Also answer on the www (or bare) counterpart, redirected here.
    pub alias: bool,
}

/// The fields the add form shows errors next to.
const FIELDS: [&str; 3] = ["host", "alias", "primary"];

/// The id of a domain's section (`/admin/domains#domain-example.com`).
pub fn anchor(host: &str) -> String {
    format!("domain-{host}")
}

fn when(ms: i64) -> String {
    format!(
        "{} UTC",
        crate::time::format_datetime_local(ms).replace('T', " ")
    )
}

fn allowance(view: &DomainsView<'_>) -> Markup {
    let used = view.domains.counted();
    let better = QuotaKind::CustomDomains.upgrade_from(view.plan);
    html! {
        p class="domains-quota" {
            @if view.quota == 0 && used > 0 {
                "This blog has " (used) " custom domain" @if used > 1 { "s" } "; the " (view.plan.as_str())
                " plan includes none, so it keeps them but cannot add more."
            } @else if view.quota == 0 {
                "The " (view.plan.as_str()) " plan includes no custom domains."
            } @else {
                "Custom domains: " strong { (used) " of " (view.quota) } " on the " (view.plan.as_str()) " plan."
            }
            @if let Some(better) = better {
                " The " (better.as_str()) " plan allows "
                (QuotaKind::CustomDomains.limit(better)) ": see " a href="/admin/plan" { "Plan" } "."
            }
        }
    }
}

fn primary_form(
    chrome: &AdminChrome,
    view: &DomainsView<'_>,
    error: Option<&WriteError>,
) -> Markup {
    let verified: Vec<&Domain> = view.domains.domains().filter(|d| d.verified()).collect();
    let current = view
        .domains
        .primary()
        .map_or_else(|| view.subdomain_host.clone(), |d| d.host.clone());
    let field = Field::new("primary", "Primary address").write_error(error);
    html! {
        h2 id="primary-heading" { "Primary address" }
        @if verified.is_empty() {
            p { "Readers find your blog at " strong { (current) } ". Once a domain is verified you can make it the primary address." }
        } @else {
            form method="post" action="/admin/domains/primary" class="settings" {
                (csrf_input(&chrome.csrf_token))
                fieldset id="primary" aria-describedby=[field.described_by()] {
                    legend { "Readers are sent to" }
                    p class="hint" id="primary-hint" {
                        "Every page's canonical link names it, and the blog's other addresses redirect there (301). "
                        "Your admin stays at " (view.subdomain_host) "/admin."
                    }
                    @for host in std::iter::once(view.subdomain_host.as_str()).chain(verified.iter().map(|d| d.host.as_str())) {
                        label class="check" {
                            input type="radio" name="primary" value=(host) checked[host == current];
                            (host)
                        }
                    }
                    (field.error_text())
                }
                div class="actions" { button type="submit" class="primary" { "Save primary address" } }
            }
        }
    }
}

fn status_text(status: &Status) -> &'static str {
    match status {
        Status::Ok => "OK",
        Status::Missing => "Missing",
        Status::Wrong => "Wrong",
        Status::Unchecked => "Not checked",
    }
}

fn records_table(host: &str, records: &[RecordCheck], target: &str) -> Markup {
    html! {
        div class="table-wrap" {
            table class="records" {
                caption class="visually-hidden" { "DNS records for " (host) }
                thead { tr { th scope="col" { "Type" } th scope="col" { "Name" } th scope="col" { "Value" } } }
                tbody {
                    @for r in records {
                        tr {
                            td data-label="Type" { (r.kind.as_str()) }
                            td data-label="Name" { code { (r.name) } }
                            td data-label="Value" { code { (r.expected) } }
                        }
                    }
                }
            }
        }
        @for r in records.iter().filter(|r| r.purpose != Purpose::Ownership && is_apex(&r.name)) {
            p class="hint" {
                (r.name) " is a bare domain: most DNS providers allow no CNAME there. "
                "Use your provider's CNAME flattening (Cloudflare does it for a CNAME at the root) "
                "or an ALIAS (ANAME) record pointing to " code { (target) } "."
            }
        }
    }
}

fn last_check(d: &Domain) -> Markup {
    html! {
        @match &d.last_check {
            None => p class="hint" { "Not checked yet." },
            Some(check) => {
                p { "Last checked " (when(check.at)) ": " (check.report.summary(&d.host)) }
                ul class="checks" {
                    @for r in &check.report.records {
                        li class={ "check-" (if r.status == Status::Ok { "ok" } else { "todo" }) } {
                            strong { (status_text(&r.status)) ": " } (r.message())
                        }
                    }
                }
            }
        }
    }
}

fn domain_section(chrome: &AdminChrome, view: &DomainsView<'_>, d: &Domain) -> Markup {
    let alias = view.domains.alias_of(&d.host);
    let records = verify::wanted(
        &d.host,
        alias.map(|a| a.host.as_str()),
        &d.token,
        &view.target,
    );
    let primary = view.domains.primary().is_some_and(|p| p.host == d.host);
    html! {
        section class="domain" id=(anchor(&d.host)) aria-labelledby={ (anchor(&d.host)) "-h" } {
            h3 id={ (anchor(&d.host)) "-h" } {
                (d.host) " "
                @if primary {
                    span class="status status-published" { "Primary" }
                } @else if d.verified() {
                    span class="status status-published" { "Verified" }
                } @else {
                    span class="status status-scheduled" { "Pending" }
                }
            }
            @if let Some(alias) = alias {
                p { "Also answers on " strong { (alias.host) } ", redirected here." }
            }
            @if d.verified() {
                details {
                    summary { "DNS records" }
                    p { "Keep the CNAME; the TXT record may go now that the domain is verified." }
                    (records_table(&d.host, &records, &view.target))
                }
            } @else {
                p { "Create these records at your DNS provider, then check the domain. Until it is verified, readers at " (d.host) " get “No blog here”." }
                (records_table(&d.host, &records, &view.target))
            }
            (last_check(d))
            div class="actions" {
                form method="post" action={ "/admin/domains/" (d.host) "/check" } {
                    (csrf_input(&chrome.csrf_token))
                    button type="submit" { "Check DNS now" span class="visually-hidden" { " for " (d.host) } }
                }
                a href={ "/admin/domains/" (d.host) "/delete" } { "Remove " (d.host) "…" }
            }
        }
    }
}

fn add_form(chrome: &AdminChrome, form: &AddDomainForm, error: Option<&WriteError>) -> Markup {
    let host = Field::new("host", "Domain")
        .hint("A domain you own, like blog.example.com or example.com.")
        .write_error(error);
    let alias = Field::new("alias", "www").write_error(error);
    html! {
        h2 { "Add a domain" }
        form method="post" action="/admin/domains" class="settings" {
            (csrf_input(&chrome.csrf_token))
            (host.input("text", Some(&form.host), &InputAttrs {
                required: true,
                placeholder: Some("blog.example.com"),
                autocomplete: Some("off"),
                maxlength: Some(253),
                spellcheck: Some("false"),
                ..Default::default()
            }))
            div class="field" {
                label class="check" {
                    input type="checkbox" id="alias" name="alias" value="yes" checked[form.alias]
                        aria-invalid=[alias.invalid()] aria-describedby=[alias.described_by()];
                    "Also answer on the www name (www.example.com for example.com, or the reverse) and redirect it here"
                }
                (alias.error_text())
            }
            div class="actions" { button type="submit" class="primary" { "Add domain" } }
        }
    }
}

/// The page; `error` is a refused add (or primary), shown with `form` as typed.
pub fn domains_page(
    chrome: &AdminChrome,
    view: &DomainsView<'_>,
    form: &AddDomainForm,
    error: Option<&WriteError>,
    notice: Option<&str>,
) -> Markup {
    let body = html! {
        (error_banner(error, &FIELDS))
        p { "Your blog's own address is " strong { (view.subdomain_host) } ". Add a domain you own to serve the blog there too." }
        (allowance(view))
        (primary_form(chrome, view, error))
        h2 { "Your domains" }
        @if view.domains.counted() == 0 {
            p class="empty" { "No custom domains yet." }
        }
        @for d in view.domains.domains() {
            (domain_section(chrome, view, d))
        }
        (add_form(chrome, form, error))
    };
    admin_layout(chrome, "Domains", notice, body)
}

/// The question asked before `d` is removed.
pub fn remove_domain_page(chrome: &AdminChrome, view: &DomainsView<'_>, d: &Domain) -> Markup {
    let primary = view.domains.primary().is_some_and(|p| p.host == d.host);
    let alias = view.domains.alias_of(&d.host);
    let body = html! {
        p { "Readers at " strong { (d.host) } " will get “No blog here”." }
        @if primary {
            p { "It is the primary address: " strong { (view.subdomain_host) } " becomes the primary again." }
        }
        @if let Some(alias) = alias {
            p { (alias.host) " goes with it." }
        }
        p { "You can delete its DNS records afterwards." }
        form method="post" action={ "/admin/domains/" (d.host) "/delete" } {
            (csrf_input(&chrome.csrf_token))
            input type="hidden" name="confirm" value="yes";
            button type="submit" class="danger" { "Remove " (d.host) }
        }
        p { a href={ "/admin/domains#" (anchor(&d.host)) } { "Cancel: keep the domain" } }
    };
    admin_layout(chrome, &format!("Remove {}?", d.host), None, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::dns::{MemoryDns, RecordType};
    use crate::domains::fixtures::{domain, platform};
    use crate::domains::LastCheck;
    use crate::views::admin::test_util::{assert_csrf_in_every_form, chrome};

    fn view(domains: &TenantDomains, plan: Plan) -> DomainsView<'_> {
        DomainsView {
            domains,
            subdomain_host: "autumn.grove.place".into(),
            target: "domains.grove.place".into(),
            plan,
            quota: QuotaKind::CustomDomains.limit(plan),
        }
    }

    #[test]
    fn a_pending_domain_shows_its_records_and_what_the_check_found() {
        let mut domains = TenantDomains::new(platform());
        let mut d = domain("example.com", false);
        let dns = MemoryDns::default();
        dns.set("example.com", RecordType::Cname, "elsewhere.example.net");
        let report = futures::executor::block_on(verify::check(
            &dns,
            "example.com",
            None,
            &d.token,
            "domains.grove.place",
        ));
        d.last_check = Some(LastCheck { at: 0, report });
        domains.list.push(d);
        let html = domains_page(
            &chrome(),
            &view(&domains, Plan::Paid),
            &AddDomainForm::default(),
            None,
            None,
        )
        .into_string();
        assert_csrf_in_every_form(&html, "tok-123");
        assert!(
            html.contains("<code>_grove-challenge.example.com</code>"),
            "{html}"
        );
        assert!(html.contains("<code>tok-example.com</code>"));
        assert!(html.contains("<code>domains.grove.place</code>"));
        assert!(
            html.contains("CNAME flattening"),
            "a bare domain gets the flattening note"
        );
        assert!(html.contains("Pending"));
        assert!(html.contains("points elsewhere (elsewhere.example.net)"));
        assert!(html.contains("Custom domains: <strong>1 of 3</strong> on the paid plan."));
        assert!(html.contains("action=\"/admin/domains/example.com/check\""));
        assert!(
            !html.contains("name=\"primary\""),
            "no verified domain: nothing to choose"
        );
    }

    #[test]
    fn verified_domains_can_be_chosen_as_primary_and_errors_sit_by_their_field() {
        let mut domains = TenantDomains::new(platform());
        domains.list.push(domain("blog.example.com", true));
        let error = WriteError::Invalid(vec![crate::admin::errors::FieldError::new(
            "host",
            "Enter a domain name.",
        )]);
        let form = AddDomainForm {
            host: "not a domain".into(),
            alias: true,
        };
        let html = domains_page(
            &chrome(),
            &view(&domains, Plan::Free),
            &form,
            Some(&error),
            None,
        )
        .into_string();
        assert!(
            html.contains("value=\"autumn.grove.place\" checked"),
            "{html}"
        );
        assert!(html.contains("value=\"blog.example.com\""));
        assert!(
            html.contains("This blog has 1 custom domain; the free plan includes none, so it keeps them but cannot add more. The paid plan allows 3"),
            "a blog over its quota keeps its domains"
        );
        assert!(html.contains("href=\"#host\""));
        assert!(html.contains("id=\"host-error\""));
        assert!(
            html.contains("value=\"not a domain\""),
            "the form keeps what was typed"
        );
        assert!(html.contains("name=\"alias\" value=\"yes\" checked"));
        assert!(html.contains("Verified"));
    }

    #[test]
    fn removing_asks_first_and_says_what_happens() {
        let mut domains = TenantDomains::new(platform());
        let mut d = domain("example.com", true);
        d.primary = true;
        domains.list.push(d.clone());
        let html = remove_domain_page(&chrome(), &view(&domains, Plan::Paid), &d).into_string();
        assert_csrf_in_every_form(&html, "tok-123");
        assert!(html.contains("<h1>Remove example.com?</h1>"));
        assert!(html.contains("becomes the primary again"));
        assert!(html.contains("action=\"/admin/domains/example.com/delete\""));
    }
}
