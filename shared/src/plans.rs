//! Plans: what a blog on `free` or `paid` may hold (quotas) and how fast it
//! may go (the rate-limit defaults of [`crate::limits::policy`]), and the
//! words the pricing page uses for them.
//!
//! Quotas are counts of what a blog holds, enforced by its TenantDO (the
//! tenant's single writer, so a check and the write it guards cannot be
//! interleaved with another write of the same blog). Media storage is
//! booked in D1 by one conditional statement (`media::library`).

pub use crate::limits::policy::{media_quota, MediaQuota, Plan};

/// Every plan, cheapest first.
pub const ALL_PLANS: [Plan; 2] = [Plan::Free, Plan::Paid];

/// What a blog on a plan may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Posts published or scheduled (drafts are not counted).
    pub published_posts: u32,
    /// Pages (a page has no draft state: every page counts).
    pub pages: u32,
    /// Media: per file and in all.
    pub media: MediaQuota,
    /// Custom domains, verified or waiting for verification.
    pub custom_domains: u32,
}

/// The quotas of `plan`.
///
/// | | free | paid |
/// |---|---:|---:|
/// | published posts | 100 | 10 000 |
/// | pages | 10 | 100 |
/// | media | 100 MB (5 MB a file) | 10 GB (25 MB a file) |
/// | custom domains | 0 | 3 |
pub fn quotas(plan: Plan) -> Quotas {
    match plan {
        Plan::Free => Quotas {
            published_posts: 100,
            pages: 10,
            media: media_quota(plan),
            custom_domains: 0,
        },
        Plan::Paid => Quotas {
            published_posts: 10_000,
            pages: 100,
            media: media_quota(plan),
            custom_domains: 3,
        },
    }
}

/// A kind of thing a quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaKind {
    PublishedPosts,
    Pages,
    MediaBytes,
    CustomDomains,
}

impl QuotaKind {
    /// Stable name, as in API errors (`field`) and the ops API.
    pub fn as_str(self) -> &'static str {
        match self {
            QuotaKind::PublishedPosts => "published_posts",
            QuotaKind::Pages => "pages",
            QuotaKind::MediaBytes => "media_bytes",
            QuotaKind::CustomDomains => "custom_domains",
        }
    }

    /// The limit of this kind on `plan`.
    pub fn limit(self, plan: Plan) -> u64 {
        let q = quotas(plan);
        match self {
            QuotaKind::PublishedPosts => u64::from(q.published_posts),
            QuotaKind::Pages => u64::from(q.pages),
            QuotaKind::MediaBytes => q.media.max_total_bytes,
            QuotaKind::CustomDomains => u64::from(q.custom_domains),
        }
    }

    /// The cheapest plan that allows more of this kind than `plan`, if any.
    pub fn upgrade_from(self, plan: Plan) -> Option<Plan> {
        let now = self.limit(plan);
        ALL_PLANS.into_iter().find(|p| self.limit(*p) > now)
    }
}

/// `n` with thin groups of thousands (`10,000`), as the pricing page writes it.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl QuotaKind {
    /// `n` things of this kind, in words: "100 published posts", "1 page", "5.0 MB".
    pub fn amount(self, n: u64) -> String {
        let (one, many) = match self {
            QuotaKind::PublishedPosts => ("published post", "published posts"),
            QuotaKind::Pages => ("page", "pages"),
            QuotaKind::CustomDomains => ("custom domain", "custom domains"),
            QuotaKind::MediaBytes => {
                return format!("{} of media", crate::media::error::human_bytes(n))
            }
        };
        format!("{} {}", count(n), if n == 1 { one } else { many })
    }

    /// Why a write over this quota is refused, naming the plan that allows
    /// more (or saying none does).
    pub fn refusal(self, plan: Plan) -> String {
        let limit = self.limit(plan);
        let held = if limit == 0 {
            format!(
                "The {} plan includes no {}.",
                plan.as_str(),
                self.amount(2).trim_start_matches("2 ")
            )
        } else {
            format!(
                "This blog has {}, the most the {} plan allows.",
                self.amount(limit),
                plan.as_str()
            )
        };
        match self.upgrade_from(plan) {
            Some(better) => format!(
                "{held} The {} plan allows {}: see Plan in your blog's admin.",
                better.as_str(),
                self.amount(self.limit(better))
            ),
            None => format!("{held} No plan allows more."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paid_allows_more_of_everything() {
        for kind in [
            QuotaKind::PublishedPosts,
            QuotaKind::Pages,
            QuotaKind::MediaBytes,
            QuotaKind::CustomDomains,
        ] {
            assert!(kind.limit(Plan::Paid) > kind.limit(Plan::Free), "{kind:?}");
            assert_eq!(kind.upgrade_from(Plan::Free), Some(Plan::Paid));
            assert_eq!(kind.upgrade_from(Plan::Paid), None);
        }
        assert_eq!(quotas(Plan::Free).custom_domains, 0);
    }

    #[test]
    fn a_refusal_names_the_quota_and_the_plan_that_allows_more() {
        assert_eq!(
            QuotaKind::Pages.refusal(Plan::Free),
            "This blog has 10 pages, the most the free plan allows. The paid plan allows 100 pages: see Plan in your blog's admin."
        );
        assert_eq!(
            QuotaKind::CustomDomains.refusal(Plan::Free),
            "The free plan includes no custom domains. The paid plan allows 3 custom domains: see Plan in your blog's admin."
        );
        assert!(QuotaKind::PublishedPosts.refusal(Plan::Paid).ends_with(
            "10,000 published posts, the most the paid plan allows. No plan allows more."
        ));
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(999), "999");
    }
}
