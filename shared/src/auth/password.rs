//! Password rules and Argon2id hashing.
//!
//! Hashes are PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), the
//! OWASP minimum parameters. The salt is the caller's: 16 random bytes from
//! the platform's CSPRNG, so this module never needs `getrandom`.

use argon2::password_hash::PasswordVerifier;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, Version};
use thiserror::Error;

/// Fewest characters (Unicode scalar values) a new password may have.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Most bytes a password may have, so a form cannot make us hash megabytes.
pub const MAX_PASSWORD_BYTES: usize = 256;

/// Argon2 memory cost in KiB (19 MiB).
const M_COST_KIB: u32 = 19_456;
/// Argon2 iterations.
const T_COST: u32 = 2;
/// Argon2 lanes.
const P_COST: u32 = 1;
/// Costs above these in a stored hash are refused rather than computed: we
/// never write them, and a Worker has 128 MiB of memory.
const MAX_VERIFY_M_COST_KIB: u32 = 65_536;
const MAX_VERIFY_T_COST: u32 = 10;
const MAX_VERIFY_P_COST: u32 = 4;

/// Why a password cannot be used (or hashed).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PasswordError {
    #[error("a password needs at least {min} characters", min = MIN_PASSWORD_CHARS)]
    TooShort,
    #[error("a password can be at most {max} bytes long", max = MAX_PASSWORD_BYTES)]
    TooLong,
    #[error("the password could not be hashed")]
    Hash,
}

/// Checks a new password against the length rules.
pub fn validate_password(pw: &str) -> Result<(), PasswordError> {
    if pw.len() > MAX_PASSWORD_BYTES {
        return Err(PasswordError::TooLong);
    }
    if pw.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    Ok(())
}

fn hasher() -> Result<Argon2<'static>, PasswordError> {
    let params = Params::new(M_COST_KIB, T_COST, P_COST, None).map_err(|_| PasswordError::Hash)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a new password (checked with [`validate_password`] first) with
/// Argon2id and the caller's random salt, returning the PHC string to store.
pub fn hash_password(password: &str, salt: &[u8; 16]) -> Result<String, PasswordError> {
    validate_password(password)?;
    let hash = hasher()?
        .hash_password_with_salt(password.as_bytes(), salt)
        .map_err(|_| PasswordError::Hash)?;
    Ok(hash.to_string())
}

/// Whether `password` matches a stored PHC string. False for a wrong
/// password, a malformed or non-Argon2id hash, or unreasonable costs.
pub fn verify_password(password: &str, phc: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    if parsed.algorithm.as_str() != "argon2id" {
        return false;
    }
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    if params.m_cost() > MAX_VERIFY_M_COST_KIB
        || params.t_cost() > MAX_VERIFY_T_COST
        || params.p_cost() > MAX_VERIFY_P_COST
    {
        return false;
    }
    // The parameters come from the PHC string, not from this instance.
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWORD: &str = "correct horse battery staple";
    const SALT: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
    /// From the reference C implementation (libargon2 `argon2id_hash_encoded`
    /// with t=2, m=19456, p=1, a 32-byte output) for PASSWORD and SALT.
    const REFERENCE_PHC: &str = "$argon2id$v=19$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$gYJZtjEAJqjg26xdLmknq8/bB7MiWPrE9hsYuA+SkIU";

    #[test]
    fn length_rules() {
        assert_eq!(validate_password(""), Err(PasswordError::TooShort));
        assert_eq!(validate_password("123456789"), Err(PasswordError::TooShort));
        assert_eq!(validate_password("1234567890"), Ok(()));
        // Characters, not bytes: ten two-byte letters are enough.
        assert_eq!(validate_password(&"é".repeat(10)), Ok(()));
        assert_eq!(
            validate_password(&"é".repeat(9)),
            Err(PasswordError::TooShort)
        );
        assert_eq!(validate_password(&"a".repeat(MAX_PASSWORD_BYTES)), Ok(()));
        assert_eq!(
            validate_password(&"a".repeat(MAX_PASSWORD_BYTES + 1)),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            validate_password(&"é".repeat(129)),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            PasswordError::TooShort.to_string(),
            "a password needs at least 10 characters"
        );
    }

    #[test]
    fn hash_matches_the_reference_and_verifies() {
        // Two Argon2 computations in this test, one in the next: they are slow
        // in debug builds.
        let phc = hash_password(PASSWORD, &SALT).unwrap();
        assert_eq!(phc, REFERENCE_PHC);
        assert!(verify_password(PASSWORD, &phc));
    }

    #[test]
    fn hash_refuses_invalid_passwords_without_hashing() {
        assert_eq!(hash_password("short", &SALT), Err(PasswordError::TooShort));
        assert_eq!(
            hash_password(&"a".repeat(300), &SALT),
            Err(PasswordError::TooLong)
        );
    }

    #[test]
    fn wrong_password_is_false() {
        assert!(!verify_password(
            "correct horse battery stapler",
            REFERENCE_PHC
        ));
    }

    #[test]
    fn malformed_or_foreign_hashes_are_false() {
        // None of these reaches an Argon2 computation.
        for bad in [
            "",
            "not a hash",
            "$argon2id$",
            "$argon2id$v=19$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw",
            "$argon2id$v=19$m=19456,t=2,p=1$!!!$gYJZtjEAJqjg26xdLmknq8/bB7MiWPrE9hsYuA+SkIU",
            "$argon2id$v=19$m=abc,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$gYJZtjEAJqjg26xdLmknq8/bB7MiWPrE9hsYuA+SkIU",
            // Another algorithm, even a valid one, is refused.
            "$argon2i$v=19$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$gYJZtjEAJqjg26xdLmknq8/bB7MiWPrE9hsYuA+SkIU",
            "$2b$12$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234",
            // Costs we would never write are not computed.
            "$argon2id$v=19$m=4000000,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$gYJZtjEAJqjg26xdLmknq8/bB7MiWPrE9hsYuA+SkIU",
            "$argon2id$v=19$m=19456,t=1000,p=1$AAECAwQFBgcICQoLDA0ODw$gYJZtjEAJqjg26xdLmknq8/bB7MiWPrE9hsYuA+SkIU",
        ] {
            assert!(!verify_password(PASSWORD, bad), "{bad}");
        }
        assert!(!verify_password(&"a".repeat(300), REFERENCE_PHC));
    }
}
