//! What is limited, by how much, per plan; and which limit wins.
//!
//! Every class is "at most `max` per `window_secs`", enforced as GCRA:
//! a burst of up to `max`, refilled evenly over the window.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A kind of request that is rate limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitClass {
    /// Reader page views of one tenant (served by its actor).
    ReaderRequests,
    /// Owner writes (create, edit, delete, settings) of one tenant.
    AdminWrites,
    /// Media uploads of one tenant.
    MediaUploads,
    /// Search queries on one tenant's blog.
    SearchQueries,
    /// Failed sign-ins per client IP and account (a success refills it).
    SignIn,
    /// Sign-in attempts per account from addresses it has not signed in
    /// from lately (the distributed-guessing bound; see `limits::sign_in`).
    SignInAccount,
    /// Accounts created per client IP.
    SignUp,
    /// Sign-up form submissions per client IP, valid or not (scripted abuse).
    SignUpAttempts,
    /// Admin form submissions kept across a sign-in, per client IP.
    HeldSubmissions,
    /// Password-reset links asked for, per client IP.
    PasswordResets,
    /// Password-reset links asked for, per email address (whether or not
    /// it has an account, so the limit says nothing about accounts).
    PasswordResetAddress,
}

impl LimitClass {
    pub const ALL: [LimitClass; 11] = [
        LimitClass::ReaderRequests,
        LimitClass::AdminWrites,
        LimitClass::MediaUploads,
        LimitClass::SearchQueries,
        LimitClass::SignIn,
        LimitClass::SignInAccount,
        LimitClass::SignUp,
        LimitClass::SignUpAttempts,
        LimitClass::HeldSubmissions,
        LimitClass::PasswordResets,
        LimitClass::PasswordResetAddress,
    ];

    /// Classes that belong to a tenant (the others are keyed by client).
    pub const TENANT: [LimitClass; 4] = [
        LimitClass::ReaderRequests,
        LimitClass::AdminWrites,
        LimitClass::MediaUploads,
        LimitClass::SearchQueries,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LimitClass::ReaderRequests => "reader_requests",
            LimitClass::AdminWrites => "admin_writes",
            LimitClass::MediaUploads => "media_uploads",
            LimitClass::SearchQueries => "search_queries",
            LimitClass::SignIn => "sign_in",
            LimitClass::SignInAccount => "sign_in_account",
            LimitClass::SignUp => "sign_up",
            LimitClass::SignUpAttempts => "sign_up_attempts",
            LimitClass::HeldSubmissions => "held_submissions",
            LimitClass::PasswordResets => "password_resets",
            LimitClass::PasswordResetAddress => "password_reset_address",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A tenant's plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    #[default]
    Free,
    Paid,
}

impl Plan {
    pub fn parse(s: &str) -> Self {
        if s == "paid" {
            Plan::Paid
        } else {
            Plan::Free
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Paid => "paid",
        }
    }
}

/// At most `max` per `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub max: u32,
    pub window_secs: u32,
}

impl Limit {
    pub const fn new(max: u32, window_secs: u32) -> Self {
        Limit { max, window_secs }
    }

    /// A limit ops may set: 1..=10 000 000 per 1 s..=30 days.
    pub fn is_valid(self) -> bool {
        (1..=10_000_000).contains(&self.max) && (1..=30 * 86_400).contains(&self.window_secs)
    }

    /// Milliseconds for one token to come back.
    pub fn period_ms(self) -> f64 {
        f64::from(self.window_secs) * 1000.0 / f64::from(self.max.max(1))
    }
}

/// The plan defaults: the table operators start from.
///
/// | class | free | paid |
/// |---|---|---|
/// | reader_requests | 6 000 / min | 60 000 / min |
/// | admin_writes | 300 / hour | 3 000 / hour |
/// | media_uploads | 100 / day | 2 000 / day |
/// | search_queries | 120 / min | 1 200 / min |
/// | sign_in (failures per IP + account) | 5 / 5 min | 5 / 5 min |
/// | sign_in_account (attempts per account from new addresses) | 50 / hour | 50 / hour |
/// | sign_up (accounts created per IP) | 5 / hour | 5 / hour |
/// | sign_up_attempts (form submissions per IP) | 60 / hour | 60 / hour |
/// | held_submissions (admin forms kept across a sign-in, per IP) | 30 / hour | 30 / hour |
/// | password_resets (reset links asked for, per IP) | 20 / hour | 20 / hour |
/// | password_reset_address (reset links asked for, per address) | 5 / hour | 5 / hour |
pub fn plan_default(plan: Plan, class: LimitClass) -> Limit {
    use LimitClass::*;
    match (plan, class) {
        (Plan::Free, ReaderRequests) => Limit::new(6_000, 60),
        (Plan::Paid, ReaderRequests) => Limit::new(60_000, 60),
        (Plan::Free, AdminWrites) => Limit::new(300, 3_600),
        (Plan::Paid, AdminWrites) => Limit::new(3_000, 3_600),
        (Plan::Free, MediaUploads) => Limit::new(100, 86_400),
        (Plan::Paid, MediaUploads) => Limit::new(2_000, 86_400),
        (Plan::Free, SearchQueries) => Limit::new(120, 60),
        (Plan::Paid, SearchQueries) => Limit::new(1_200, 60),
        (_, SignIn) => Limit::new(5, 300),
        (_, SignInAccount) => Limit::new(50, 3_600),
        (_, SignUp) => Limit::new(5, 3_600),
        (_, SignUpAttempts) => Limit::new(60, 3_600),
        (_, HeldSubmissions) => Limit::new(30, 3_600),
        (_, PasswordResets) => Limit::new(20, 3_600),
        (_, PasswordResetAddress) => Limit::new(5, 3_600),
    }
}

/// How much media a plan may store: per file and in all (bytes, decimal
/// megabytes as the pricing page says them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaQuota {
    pub max_file_bytes: u64,
    pub max_total_bytes: u64,
}

/// | plan | per file | in all |
/// |---|---|---|
/// | free | 5 MB | 100 MB |
/// | paid | 25 MB | 10 GB |
pub fn media_quota(plan: Plan) -> MediaQuota {
    const MB: u64 = 1_000_000;
    match plan {
        Plan::Free => MediaQuota {
            max_file_bytes: 5 * MB,
            max_total_bytes: 100 * MB,
        },
        Plan::Paid => MediaQuota {
            max_file_bytes: 25 * MB,
            max_total_bytes: 10_000 * MB,
        },
    }
}

/// The largest file any plan accepts: the router reads no more of a body.
pub const MAX_MEDIA_FILE_BYTES: u64 = 25_000_000;

/// Where an effective limit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LimitSource {
    Plan,
    Override,
}

/// Operators' per-tenant overrides, by class.
pub type Overrides = BTreeMap<LimitClass, Limit>;

/// The limit in force: an override beats the plan default.
pub fn effective(plan: Plan, overrides: &Overrides, class: LimitClass) -> (Limit, LimitSource) {
    match overrides.get(&class) {
        Some(limit) => (*limit, LimitSource::Override),
        None => (plan_default(plan, class), LimitSource::Plan),
    }
}

/// How many reader tokens a tenant's actor takes per lease: about 1 % of
/// the limit, between 1 and 100. Small limits lease one token at a time,
/// so they stay exact.
pub fn reader_lease_size(limit: Limit) -> u32 {
    (limit.max / 100).clamp(1, 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_beat_plan_defaults() {
        let mut o = Overrides::new();
        assert_eq!(
            effective(Plan::Free, &o, LimitClass::ReaderRequests),
            (Limit::new(6_000, 60), LimitSource::Plan)
        );
        assert_eq!(
            effective(Plan::Paid, &o, LimitClass::ReaderRequests).0,
            Limit::new(60_000, 60)
        );
        o.insert(LimitClass::ReaderRequests, Limit::new(10, 60));
        assert_eq!(
            effective(Plan::Paid, &o, LimitClass::ReaderRequests),
            (Limit::new(10, 60), LimitSource::Override)
        );
        assert_eq!(
            effective(Plan::Paid, &o, LimitClass::AdminWrites).1,
            LimitSource::Plan
        );
    }

    #[test]
    fn every_class_has_a_sane_default_and_a_name() {
        for plan in [Plan::Free, Plan::Paid] {
            for class in LimitClass::ALL {
                assert!(plan_default(plan, class).is_valid());
                assert_eq!(LimitClass::parse(class.as_str()), Some(class));
            }
        }
        assert_eq!(
            plan_default(Plan::Free, LimitClass::SignIn),
            Limit::new(5, 300)
        );
        assert!(!Limit::new(0, 60).is_valid() && !Limit::new(5, 0).is_valid());
    }

    #[test]
    fn leases_are_about_one_percent() {
        assert_eq!(reader_lease_size(Limit::new(6_000, 60)), 60);
        assert_eq!(reader_lease_size(Limit::new(60_000, 60)), 100);
        assert_eq!(reader_lease_size(Limit::new(20, 60)), 1);
    }
}
