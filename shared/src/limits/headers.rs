//! Rate-limit response headers, after the IETF draft
//! (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy` names the
//! quota (`q`) and its window in seconds (`w`); `RateLimit` says what is
//! left (`r`) and the seconds until the quota is whole again (`t`).

use super::bucket::Decision;
use super::policy::{Limit, LimitClass};

/// `RateLimit-Policy: "reader_requests";q=6000;w=60`
pub fn policy(class: LimitClass, limit: Limit) -> String {
    format!(
        "\"{}\";q={};w={}",
        class.as_str(),
        limit.max,
        limit.window_secs
    )
}

/// `RateLimit: "reader_requests";r=42;t=3`
pub fn remaining(class: LimitClass, decision: &Decision) -> String {
    format!(
        "\"{}\";r={};t={}",
        class.as_str(),
        decision.remaining,
        decision.reset_ms.div_ceil(1000)
    )
}

/// `Retry-After` in whole seconds, at least 1.
pub fn retry_after_secs(decision: &Decision) -> u64 {
    decision.retry_after_ms.div_ceil(1000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_follow_the_draft() {
        let d = Decision {
            granted: 0,
            remaining: 0,
            retry_after_ms: 1_500,
            reset_ms: 59_001,
        };
        assert_eq!(
            policy(LimitClass::SignIn, Limit::new(5, 300)),
            "\"sign_in\";q=5;w=300"
        );
        assert_eq!(remaining(LimitClass::SignIn, &d), "\"sign_in\";r=0;t=60");
        assert_eq!(retry_after_secs(&d), 2);
        assert_eq!(
            retry_after_secs(&Decision {
                retry_after_ms: 0,
                ..d
            }),
            1
        );
    }
}
