//! Normalising an email address typed into the sign-up or sign-in form.
//!
//! Deliberately simple: the address is trimmed and lower-cased (accounts are
//! keyed by it, so `Autumn@Example.com` and `autumn@example.com` are one
//! account) and checked for an obviously usable shape. Whether it receives
//! mail is not decided here.

use thiserror::Error;

/// Shortest address we accept (`a@b` is the shortest shape with a domain,
/// though it still needs a dot).
const MIN_EMAIL_LEN: usize = 3;
/// Longest address (the SMTP path limit), in bytes.
const MAX_EMAIL_LEN: usize = 254;
/// Longest local part (before the '@'), in bytes.
const MAX_LOCAL_LEN: usize = 64;
/// Characters that need quoting in an address; we do not accept them.
const FORBIDDEN: &[char] = &['<', '>', '(', ')', '[', ']', ',', ';', ':', '"', '\\'];

/// Why an email address cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EmailError {
    #[error("enter an email address")]
    Empty,
    #[error("an email address is 3 to 254 characters long")]
    Length,
    #[error("an email address has exactly one @")]
    At,
    #[error("the part before the @ must be 1 to 64 characters long")]
    LocalPart,
    #[error("the part after the @ must be a domain such as example.com")]
    Domain,
    #[error("an email address cannot contain spaces or any of < > ( ) [ ] , ; : \" \\")]
    Characters,
}

/// Trims and lower-cases an address and checks its shape.
pub fn normalize_email(raw: &str) -> Result<String, EmailError> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err(EmailError::Empty);
    }
    if !(MIN_EMAIL_LEN..=MAX_EMAIL_LEN).contains(&email.len()) {
        return Err(EmailError::Length);
    }
    if email
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(&c))
    {
        return Err(EmailError::Characters);
    }
    let (local, domain) = email.split_once('@').ok_or(EmailError::At)?;
    if domain.contains('@') {
        return Err(EmailError::At);
    }
    if local.is_empty() || local.len() > MAX_LOCAL_LEN {
        return Err(EmailError::LocalPart);
    }
    if !domain.contains('.') || domain.split('.').any(str::is_empty) {
        return Err(EmailError::Domain);
    }
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_space() {
        assert_eq!(
            normalize_email("  Autumn.Leaves+blog@Example.COM \n").as_deref(),
            Ok("autumn.leaves+blog@example.com")
        );
        assert_eq!(normalize_email("a@b.c").as_deref(), Ok("a@b.c"));
        assert_eq!(
            normalize_email("Ünïcode@Exämple.org").as_deref(),
            Ok("ünïcode@exämple.org")
        );
    }

    #[test]
    fn rejects_bad_shapes() {
        let cases: &[(&str, EmailError)] = &[
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            ("a@", EmailError::Length),
            ("autumn", EmailError::At),
            ("autumn.example.com", EmailError::At),
            ("a@b@example.com", EmailError::At),
            ("@example.com", EmailError::LocalPart),
            ("autumn@", EmailError::Domain),
            ("autumn@localhost", EmailError::Domain),
            ("autumn@.example.com", EmailError::Domain),
            ("autumn@example.com.", EmailError::Domain),
            ("autumn@example..com", EmailError::Domain),
            ("autumn @example.com", EmailError::Characters),
            ("autumn@exa\tmple.com", EmailError::Characters),
            ("autumn@example.com\r\nbcc: x@y.z", EmailError::Characters),
            ("autumn\u{0}@example.com", EmailError::Characters),
            ("autumn\u{a0}x@example.com", EmailError::Characters),
            ("\"autumn\"@example.com", EmailError::Characters),
            ("Autumn <autumn@example.com>", EmailError::Characters),
            ("autumn@[127.0.0.1]", EmailError::Characters),
            ("a,b@example.com", EmailError::Characters),
            ("a;b@example.com", EmailError::Characters),
            ("a:b@example.com", EmailError::Characters),
            ("a\\b@example.com", EmailError::Characters),
            ("a(b)@example.com", EmailError::Characters),
        ];
        for (raw, err) in cases {
            assert_eq!(normalize_email(raw), Err(err.clone()), "{raw:?}");
        }
    }

    #[test]
    fn length_limits() {
        let local64 = "a".repeat(64);
        assert!(normalize_email(&format!("{local64}@example.com")).is_ok());
        assert_eq!(
            normalize_email(&format!("{local64}a@example.com")),
            Err(EmailError::LocalPart)
        );
        // 254 bytes in total is the limit.
        let domain = format!("{}.com", "d".repeat(254 - 2 - 4));
        assert_eq!(
            normalize_email(&format!("a@{domain}")).map(|e| e.len()),
            Ok(254)
        );
        assert_eq!(
            normalize_email(&format!("ab@{domain}")),
            Err(EmailError::Length)
        );
    }
}
