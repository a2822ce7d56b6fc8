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
}
