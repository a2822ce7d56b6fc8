//! `/admin/plan`: the blog's plan, what it uses of each quota, and the way
//! to another plan (a downgrade at once, an upgrade as a request an
//! operator approves; Grove takes no payment yet, and the page says so).

use maud::{html, Markup};

use super::csrf_input;
use super::layout::admin_layout;
use super::AdminChrome;
use crate::billing::PlanRequest;
use crate::plans::{Plan, QuotaKind};
use crate::time::Date;

/// Every quota, in the order the page and the API list them.
pub const QUOTA_KINDS: [QuotaKind; 4] = [
    QuotaKind::PublishedPosts,
    QuotaKind::Pages,
    QuotaKind::MediaBytes,
    QuotaKind::CustomDomains,
];

/// How much of one quota the blog uses (`None`: could not be counted now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaUse {
    pub kind: QuotaKind,
    pub used: Option<u64>,
}

impl QuotaUse {
    /// At or over a quota the plan has: nothing more of this kind can be
    /// added. (A kind the plan does not include at all is not "full".)
    pub fn full(self, plan: Plan) -> bool {
        let limit = self.kind.limit(plan);
        limit > 0 && self.used.is_some_and(|u| u >= limit)
    }

    /// Over the quota (after a downgrade): everything is kept.
    pub fn over(self, plan: Plan) -> bool {
        self.used.is_some_and(|u| u > self.kind.limit(plan))
    }
}

/// What the plan page shows.
pub struct PlanView<'a> {
    pub plan: Plan,
    pub usage: &'a [QuotaUse],
    pub pending: Option<&'a PlanRequest>,
    /// The platform's pricing page.
    pub pricing_url: &'a str,
}

fn label(kind: QuotaKind) -> &'static str {
    match kind {
        QuotaKind::PublishedPosts => "Published posts",
        QuotaKind::Pages => "Pages",
        QuotaKind::MediaBytes => "Media storage",
        QuotaKind::CustomDomains => "Custom domains",
    }
}

/// A quota's figure without its noun ("100", "100 MB").
fn figure(kind: QuotaKind, n: u64) -> String {
    match kind {
        QuotaKind::MediaBytes => crate::media::error::human_bytes(n),
        _ => crate::plans::count(n),
    }
}

/// One line for the dashboard: "Free plan: 3 of 100 published posts, 2 of
/// 10 pages." with a link to the plan page.
pub fn usage_summary(plan: Plan, usage: &[QuotaUse]) -> Markup {
    let parts: Vec<String> = usage
        .iter()
        .filter(|u| matches!(u.kind, QuotaKind::PublishedPosts | QuotaKind::Pages))
        .filter_map(|u| {
            let used = u.used?;
            let of = u.kind.amount(u.kind.limit(plan));
            Some(format!("{} of {of}", crate::plans::count(used)))
        })
        .collect();
    let full = usage.iter().any(|u| u.full(plan));
    html! {
        p class="plan-summary" {
            "On the " strong { (plan.as_str()) } " plan: " (parts.join(", ")) ". "
            a href="/admin/plan" { @if full { "A quota is full: see your plan" } @else { "Plan and usage" } }
        }
    }
}

fn usage_table(plan: Plan, usage: &[QuotaUse]) -> Markup {
    html! {
        table class="plan-usage" {
            caption { "What the blog uses of its " (plan.as_str()) " plan" }
            thead { tr { th scope="col" { "Quota" } th scope="col" { "Used" } th scope="col" { "Allowed" } } }
            tbody {
                @for u in usage {
                    tr class=[u.full(plan).then_some("plan-full")] {
                        th scope="row" { (label(u.kind)) }
                        td { @match u.used { Some(n) => (figure(u.kind, n)), None => "not counted just now" } }
                        td {
                            @if u.kind.limit(plan) == 0 { "not on this plan" }
                            @else {
                                (figure(u.kind, u.kind.limit(plan)))
                                @if u.over(plan) { " (over: nothing was deleted, but you cannot add more)" }
                                @else if u.full(plan) { " (full)" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn compare(from: Plan, to: Plan) -> Markup {
    html! {
        ul class="plan-compare" {
            @for kind in QUOTA_KINDS {
                li { (label(kind)) ": " (figure(kind, kind.limit(from))) " → " strong { (figure(kind, kind.limit(to))) } }
            }
        }
    }
}

/// The plan page.
pub fn plan_page(chrome: &AdminChrome, view: &PlanView<'_>, notice: Option<&str>) -> Markup {
    let plan = view.plan;
    let body = html! {
        p { "Your blog is on the " strong { (plan.as_str()) } " plan. "
            a href=(view.pricing_url) { "Compare the plans" } "." }
        (usage_table(plan, view.usage))
        @match (plan, view.pending) {
            (_, Some(request)) => section aria-labelledby="pending-heading" {
                h2 id="pending-heading" { "Your request" }
                p role="status" {
                    "You asked for the " strong { (request.plan.as_str()) } " plan on "
                    (Date::from_unix_ms(request.requested_at).long())
                    ". An operator will review it; until then nothing changes."
                }
                form method="post" action="/admin/plan" {
                    (csrf_input(&chrome.csrf_token))
                    input type="hidden" name="action" value="withdraw";
                    button type="submit" class="secondary" { "Withdraw the request" }
                }
            },
            (Plan::Free, None) => section aria-labelledby="upgrade-heading" {
                h2 id="upgrade-heading" { "Move to the paid plan" }
                (compare(Plan::Free, Plan::Paid))
                p class="hint" { "Grove does not take payment yet: an operator reviews each request and moves the blog." }
                form method="post" action="/admin/plan" {
                    (csrf_input(&chrome.csrf_token))
                    input type="hidden" name="action" value="upgrade";
                    button type="submit" { "Ask for the paid plan" }
                }
            },
            (Plan::Paid, None) => section aria-labelledby="downgrade-heading" {
                h2 id="downgrade-heading" { "Move to the free plan" }
                (compare(Plan::Paid, Plan::Free))
                p { "Nothing is deleted. Where the blog holds more than the free plan allows, "
                    "it keeps all of it, but you cannot add more of that kind until it is under the quota again." }
                form method="post" action="/admin/plan" {
                    (csrf_input(&chrome.csrf_token))
                    input type="hidden" name="action" value="downgrade";
                    button type="submit" class="secondary" { "Move to the free plan" }
                }
            },
        }
    };
    admin_layout(chrome, "Plan", notice, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::admin::test_util::{assert_admin_head, assert_csrf_in_every_form, chrome};

    fn usage(posts: u64, pages: u64) -> Vec<QuotaUse> {
        vec![
            QuotaUse {
                kind: QuotaKind::PublishedPosts,
                used: Some(posts),
            },
            QuotaUse {
                kind: QuotaKind::Pages,
                used: Some(pages),
            },
            QuotaUse {
                kind: QuotaKind::MediaBytes,
                used: Some(1_500_000),
            },
            QuotaUse {
                kind: QuotaKind::CustomDomains,
                used: None,
            },
        ]
    }

    #[test]
    fn a_free_blog_sees_its_usage_and_the_way_up() {
        let u = usage(3, 10);
        let view = PlanView {
            plan: Plan::Free,
            usage: &u,
            pending: None,
            pricing_url: "https://grove.place/pricing",
        };
        let html = plan_page(&chrome(), &view, None).into_string();
        assert_admin_head(&html, "Plan");
        assert_csrf_in_every_form(&html, &chrome().csrf_token);
        assert!(html.contains("<td>10 (full)</td>"), "{html}");
        assert!(
            html.contains("<td>not on this plan</td>"),
            "no domains on free"
        );
        let fresh = usage(0, 1);
        assert!(!usage_summary(Plan::Free, &fresh)
            .into_string()
            .contains("full"));
        assert!(html.contains("1.5 MB"));
        assert!(html.contains("value=\"upgrade\""));
        assert!(html.contains("does not take payment"));
        assert!(!html.contains("value=\"downgrade\""));
    }

    #[test]
    fn a_paid_blog_over_the_free_quotas_is_told_nothing_is_deleted() {
        let u = usage(150, 12);
        let view = PlanView {
            plan: Plan::Paid,
            usage: &u,
            pending: None,
            pricing_url: "/pricing",
        };
        let html = plan_page(&chrome(), &view, None).into_string();
        assert!(html.contains("value=\"downgrade\"") && html.contains("Nothing is deleted"));
        let free = PlanView {
            plan: Plan::Free,
            ..view
        };
        let html = plan_page(&chrome(), &free, None).into_string();
        assert!(html.contains("over: nothing was deleted"), "{html}");
        let summary = usage_summary(Plan::Free, &u).into_string();
        assert!(
            summary.contains("150 of 100 published posts, 12 of 10 pages"),
            "{summary}"
        );
        assert!(summary.contains("A quota is full"));
    }

    #[test]
    fn a_pending_request_can_be_withdrawn() {
        let u = usage(1, 1);
        let request = PlanRequest {
            id: "r1".into(),
            plan: Plan::Paid,
            requested_by: "u".into(),
            requested_at: 0,
        };
        let view = PlanView {
            plan: Plan::Free,
            usage: &u,
            pending: Some(&request),
            pricing_url: "/pricing",
        };
        let html = plan_page(&chrome(), &view, None).into_string();
        assert!(html.contains("value=\"withdraw\"") && !html.contains("value=\"upgrade\""));
        assert!(html.contains("1 January 1970"), "{html}");
    }
}
