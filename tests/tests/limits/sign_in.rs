//! Sign-in brute force is throttled per client IP and account (5 per 5 minutes).

use grove_tests::seed;

use crate::grove;

#[tokio::test]
async fn the_sixth_attempt_from_one_address_on_one_account_is_refused() {
    let g = grove();
    let owner = g.sign_up("brute").await;
    for i in 0..5 {
        let r = g
            .sign_in_reply(&owner.email, "not the password!", None)
            .await;
        assert_eq!(r.status, 401, "attempt {i} is checked");
    }
    let sixth = g.sign_in_reply(&owner.email, &owner.password, None).await;
    assert_eq!(sixth.status, 429, "even the right password waits now");
    assert!(sixth.cookie("grove_session").is_none());
    let retry: u64 = sixth
        .header("retry-after")
        .and_then(|r| r.parse().ok())
        .expect("Retry-After");
    assert!(
        (1..=60).contains(&retry),
        "one attempt refills per minute: {retry}"
    );
    assert_eq!(
        sixth.header("ratelimit-policy"),
        Some("\"sign_in\";q=5;w=300")
    );
    assert!(sixth.body.contains("Too many sign-in attempts"));

    // Another client address, same account: its own budget.
    let elsewhere = grove();
    assert_eq!(
        elsewhere
            .sign_in_reply(&owner.email, &owner.password, None)
            .await
            .status,
        303
    );
    // Same address, another account: its own budget too.
    let user = &seed::demo().users[1];
    assert_eq!(
        g.sign_in_reply(&user.email, &user.password, None)
            .await
            .status,
        303
    );
}
