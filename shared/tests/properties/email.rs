//! Email addresses typed into the sign-in and sign-up forms: normalising
//! never panics, and what it accepts has the promised shape and is its
//! own normal form (accounts are keyed by it).

use grove_shared::auth::email::normalize_email;
use proptest::prelude::*;

fn address() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ \t]{0,2}[A-Za-z0-9.+_ÄİΣß-]{0,10}@[A-Za-z0-9.ÄΣ-]{0,10}[ \t\n]{0,2}",
        "[a-z]{1,70}@[a-z]{1,10}\\.[a-z]{2,3}",
    ]
}

proptest! {
    #[test]
    fn accepted_addresses_are_their_own_normal_form(raw in address()) {
        if let Ok(email) = normalize_email(&raw) {
            prop_assert_eq!(normalize_email(&email), Ok(email.clone()));
            prop_assert!(email.len() <= 254 && email.matches('@').count() == 1);
            let (local, domain) = email.split_once('@').unwrap();
            prop_assert!(!local.is_empty() && local.len() <= 64);
            prop_assert!(domain.split('.').count() >= 2 && domain.split('.').all(|l| !l.is_empty()));
            prop_assert!(!email.chars().any(|c| c.is_whitespace() || c.is_control()));
        }
    }
}
