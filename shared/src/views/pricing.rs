//! `/pricing` on the apex: the plans side by side, from the same tables
//! the platform enforces (`plans::quotas`, `limits::policy::plan_default`),
//! so the page can never promise what the code does not do. Grove takes
//! no payment yet, and the page says so.

use maud::{html, Markup};

use super::platform::shell;
use crate::limits::policy::{plan_default, Limit, LimitClass};
use crate::plans::{count, Plan, QuotaKind, ALL_PLANS};

const QUOTAS: [(QuotaKind, &str); 4] = [
    (QuotaKind::PublishedPosts, "Published posts"),
    (QuotaKind::Pages, "Pages"),
    (QuotaKind::MediaBytes, "Media storage"),
    (QuotaKind::CustomDomains, "Custom domains"),
];

const RATES: [(LimitClass, &str); 4] = [
    (LimitClass::ReaderRequests, "Reader requests"),
    (LimitClass::SearchQueries, "Searches"),
    (LimitClass::AdminWrites, "Saves in the admin"),
    (LimitClass::MediaUploads, "Uploads"),
];

fn quota(kind: QuotaKind, plan: Plan) -> String {
    let n = kind.limit(plan);
    match kind {
        QuotaKind::MediaBytes => format!(
            "{} ({} a file)",
            crate::media::error::human_bytes(n),
            crate::media::error::human_bytes(crate::plans::quotas(plan).media.max_file_bytes)
        ),
        QuotaKind::CustomDomains if n == 0 => "none".to_string(),
        _ => count(n),
    }
}

/// "6,000 a minute".
fn rate(limit: Limit) -> String {
    let per = match limit.window_secs {
        60 => "a minute",
        3_600 => "an hour",
        86_400 => "a day",
        _ => {
            return format!(
                "{} per {} s",
                count(u64::from(limit.max)),
                limit.window_secs
            )
        }
    };
    format!("{} {per}", count(u64::from(limit.max)))
}

fn price(plan: Plan) -> &'static str {
    match plan {
        Plan::Free => "Free",
        Plan::Paid => "On request",
    }
}

/// The pricing page; `signup_url` is where "Start a blog" goes.
pub fn pricing(apex_url: &str, signup_url: &str) -> Markup {
    let canonical = format!("{apex_url}pricing");
    let body = html! {
        header class="hero" {
            h1 { "Plans" }
            p class="lead" { "Every blog starts free. The paid plan holds more and adds your own domains." }
        }
        div class="table-scroll" {
            table class="plans" {
                caption { "What each plan allows" }
                thead { tr { th scope="col" { span class="visually-hidden" { "Plan" } } @for p in ALL_PLANS { th scope="col" { (p.as_str()) } } } }
                tbody {
                    tr { th scope="row" { "Price" } @for p in ALL_PLANS { td { (price(p)) } } }
                    @for (kind, label) in QUOTAS {
                        tr { th scope="row" { (label) } @for p in ALL_PLANS { td { (quota(kind, p)) } } }
                    }
                    @for (class, label) in RATES {
                        tr { th scope="row" { (label) } @for p in ALL_PLANS { td { (rate(plan_default(p, class))) } } }
                    }
                }
            }
        }
        p { "Drafts are not counted. Moving to a cheaper plan deletes nothing: a blog over a quota keeps all it has, and only cannot add more of that kind." }
        p { strong { "Grove takes no payment yet." } " To move a blog to the paid plan, ask for it on the Plan page of the blog's admin; an operator reviews each request." }
        p { a href=(signup_url) class="button" { "Start a blog" } }
    };
    shell("Plans — Grove", Some(&canonical), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_shows_what_the_code_enforces() {
        let html = pricing("https://grove.place/", "https://auth.grove.place/signup").into_string();
        assert!(html.contains("<link rel=\"canonical\" href=\"https://grove.place/pricing\">"));
        // Free: 100 posts, 10 pages, 100 MB, no domain; paid: 10,000, 100, 10 GB, 3.
        for cell in [
            "<td>100</td>",
            "<td>10</td>",
            "<td>100 MB (5 MB a file)</td>",
            "<td>none</td>",
            "<td>10,000</td>",
            "<td>10 GB (25 MB a file)</td>",
            "<td>3</td>",
            "<td>6,000 a minute</td>",
            "<td>60,000 a minute</td>",
        ] {
            assert!(html.contains(cell), "{cell}: {html}");
        }
        assert!(html.contains("takes no payment yet"));
        assert!(html.contains("href=\"https://auth.grove.place/signup\""));
        assert!(!html.contains("<script"));
    }
}
