//! Sign-in limits count failures only: at most 5 wrong guesses per 5
//! minutes per client IP and account, a correct password gives them all
//! back, and at most 50 attempts per hour per account from addresses new
//! to it, which never holds up the owner's own addresses.

use grove_tests::{seed, Grove};
use tokio::task::JoinSet;

use crate::grove;

const WRONG: &str = "not the password!";

#[tokio::test]
async fn the_sixth_attempt_from_one_address_on_one_account_is_refused() {
    let g = grove();
    let owner = g.sign_up("brute").await;
    for i in 0..5u32 {
        let r = g.sign_in_reply(&owner.email, WRONG, None).await;
        assert_eq!(r.status, 401, "attempt {i} is checked");
        let left = 4 - i;
        let note = match left {
            0 => "No attempts left for now: wait a minute before the next one.".to_string(),
            1 => "1 attempt left before a 1-minute wait.".to_string(),
            n => format!("{n} attempts left before a 1-minute wait."),
        };
        assert!(
            r.body.contains(&note),
            "attempt {i} says {note:?}: {}",
            r.body
        );
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

#[tokio::test]
async fn six_correct_sign_ins_in_a_row_all_succeed() {
    let g = grove();
    let owner = g.sign_up("sixok").await;
    // From the sign-up's address and from a new one alike.
    for client in [&g, &grove()] {
        for i in 0..6 {
            let r = client
                .sign_in_reply(&owner.email, &owner.password, None)
                .await;
            assert_eq!(r.status, 303, "sign-in {i}: {}", r.body);
            assert!(r.cookie("grove_session").is_some());
        }
    }
}

#[tokio::test]
async fn after_a_good_sign_in_a_mistyping_owner_still_gets_five_tries() {
    let g = grove();
    let owner = g.sign_up("typo").await;
    // Two wrong, then right: the two are forgiven.
    for _ in 0..2 {
        assert_eq!(g.sign_in_reply(&owner.email, WRONG, None).await.status, 401);
    }
    assert_eq!(
        g.sign_in_reply(&owner.email, &owner.password, None)
            .await
            .status,
        303
    );
    for i in 0..5 {
        let r = g.sign_in_reply(&owner.email, WRONG, None).await;
        assert_eq!(r.status, 401, "try {i} after a good sign-in is checked");
    }
    assert_eq!(
        g.sign_in_reply(&owner.email, &owner.password, None)
            .await
            .status,
        429,
        "the brute-force bound still holds after five wrong guesses"
    );
}

/// One wrong guess at `email` from a new client address; its status.
async fn guess_from_a_new_address(email: String) -> u16 {
    grove().sign_in_reply(&email, WRONG, None).await.status
}

#[tokio::test]
async fn guessing_from_many_addresses_is_bounded_per_account_but_not_for_the_owner() {
    let g = grove();
    let owner = g.sign_up("spread").await;
    // The owner also signed in once from a second network before the attack.
    let second_network = grove();
    assert_eq!(
        second_network
            .sign_in_reply(&owner.email, &owner.password, None)
            .await
            .status,
        303
    );

    // That sign-in was one of the 50 attempts per hour the account allows
    // from addresses new to it; 49 guesses, each from a new address, are
    // the rest, and each is checked.
    let mut guesses = JoinSet::new();
    for _ in 0..49 {
        guesses.spawn(guess_from_a_new_address(owner.email.clone()));
    }
    while let Some(status) = guesses.join_next().await {
        assert_eq!(status.expect("guess task"), 401);
    }

    // The 51st address new to the account waits, right password or not.
    let newcomer: Grove = grove();
    let r = newcomer
        .sign_in_reply(&owner.email, &owner.password, None)
        .await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.cookie("grove_session").is_none());
    assert!(
        r.body.contains("from many addresses")
            && r.body.contains("from a network you signed in from before"),
        "{}",
        r.body
    );
    assert_eq!(
        r.header("ratelimit-policy"),
        Some("\"sign_in_account\";q=50;w=3600")
    );

    // The owner's own addresses are not held up by what others did.
    for (name, client) in [("sign-up address", &g), ("second network", &second_network)] {
        let r = client
            .sign_in_reply(&owner.email, &owner.password, None)
            .await;
        assert_eq!(r.status, 303, "{name}: {}", r.body);
    }
    // A mistyping owner there still has their own five tries.
    let r = g.sign_in_reply(&owner.email, WRONG, None).await;
    assert_eq!(r.status, 401);
    assert!(r.body.contains("4 attempts left before a 1-minute wait."));
}
