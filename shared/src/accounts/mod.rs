//! Accounts beyond sign-in: which blog addresses can be taken, forgotten
//! passwords, and the mail Grove sends.
//!
//! Pure, like the rest of `shared`: D1, randomness, the clock and the mail
//! provider are the router's, passed in.
//!
//! - [`names`]: whether an address is available (rules, reserved, taken,
//!   held), as the API answers it and as sign-up explains a lost race.
//! - [`reset`]: reset tokens (random, only their hash stored, one hour,
//!   used once) and the new-password form's rules.
//! - [`mail`]: the `Mailer` port, the mails themselves, and the body the
//!   production mailer posts to an email provider.

pub mod mail;
pub mod names;
pub mod reset;
