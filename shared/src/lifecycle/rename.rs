//! Renaming a blog's subdomain: the rules, and what a refusal says.
//!
//! The actor is keyed by the tenant id, so the content stays where it is:
//! a rename is one D1 batch written by the tenant's actor (its single
//! writer) that deletes expired holds, moves `tenants.subdomain` (its
//! UNIQUE constraint refuses a taken name, and migration 0007's trigger a
//! name another blog holds), drops any hold this blog had on its new name
//! (a blog may take its own old name back) and holds the old name for
//! this blog for [`HOLD_MS`]. For that time the router 301-redirects the
//! old name to the new one, path and query kept, and nobody else may take
//! it.
//!
//! The actor asks D1 first ([`NameStatus`]) so a name that is plainly
//! taken or held is refused before anything is written; the batch itself
//! stays the authority, so a race for a name is refused by the database
//! ([`Refusal::of_commit`]) and changes nothing.

use serde::{Deserialize, Serialize};

use crate::admin::errors::{ApiError, FieldError, WriteError};
use crate::config::PlatformConfig;
use crate::host::{validate_subdomain, SubdomainError};

/// How long a name a blog gave up stays held (and, after a rename,
/// redirects): 30 days.
pub const HOLD_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// `subdomain_holds.reason` of a name a blog was renamed away from.
pub const RENAMED: &str = "renamed";
/// `subdomain_holds.reason` of a deleted blog's name.
pub const DELETED: &str = "deleted";

/// Whether a name can be taken by a blog, as D1 sees it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameStatus {
    Available,
    /// Another blog has it.
    Taken,
    /// Another blog gave it up less than [`HOLD_MS`] ago.
    Held,
}

/// Why a rename was refused. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The blog already has this name.
    Unchanged,
    /// Not a valid name (the message says which rule).
    Invalid(String),
    /// A name Grove keeps for itself.
    Reserved,
    Taken,
    Held,
}

impl Refusal {
    /// The stable code of the API's answer.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Unchanged => "unchanged",
            Refusal::Invalid(_) => "invalid",
            Refusal::Reserved => "reserved",
            Refusal::Taken => "taken",
            Refusal::Held => "held",
        }
    }

    /// What the owner reads next to the field.
    pub fn message(&self) -> String {
        match self {
            Refusal::Unchanged => "That is already your blog's address.".into(),
            Refusal::Invalid(why) => why.clone(),
            Refusal::Reserved => "That address is reserved by Grove. Try another.".into(),
            Refusal::Taken => "That address is taken by another blog. Try another.".into(),
            Refusal::Held => {
                "That address belonged to another blog until recently and is held for it for 30 days. Try another.".into()
            }
        }
    }

    /// 409 for a name someone else has, 422 for one that cannot be used.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::Taken | Refusal::Held => 409,
            _ => 422,
        }
    }

    /// The refusal as a field error of the form.
    pub fn error(&self) -> WriteError {
        WriteError::Invalid(vec![FieldError::new("subdomain", &self.message())])
    }

    /// The refusal as the API's `{error, message, field}`.
    pub fn api(&self) -> ApiError {
        ApiError {
            error: self.code(),
            message: self.message(),
            field: Some("subdomain"),
            fields: vec![FieldError::new("subdomain", &self.message())],
        }
    }

    /// The refusal D1 gave a rename batch, if it was one: the UNIQUE
    /// constraint on `tenants.subdomain` (taken) or migration 0007's
    /// trigger (held). Anything else is a storage failure.
    pub fn of_commit(store_error: &str) -> Option<Refusal> {
        if store_error.contains("subdomain held") {
            Some(Refusal::Held)
        } else if store_error.contains("UNIQUE constraint failed: tenants.subdomain") {
            Some(Refusal::Taken)
        } else {
            None
        }
    }
}

impl From<NameStatus> for Option<Refusal> {
    fn from(status: NameStatus) -> Self {
        match status {
            NameStatus::Available => None,
            NameStatus::Taken => Some(Refusal::Taken),
            NameStatus::Held => Some(Refusal::Held),
        }
    }
}

/// The name as typed, trimmed and lower-cased, if it is one a blog that
/// is now called `current` may ask for (availability is D1's to say).
pub fn check(typed: &str, current: &str) -> Result<String, Refusal> {
    let name = typed.trim().to_ascii_lowercase();
    if name == current {
        return Err(Refusal::Unchanged);
    }
    match validate_subdomain(&name) {
        Ok(()) => Ok(name),
        Err(SubdomainError::Reserved) => Err(Refusal::Reserved),
        Err(e) => Err(Refusal::Invalid(e.to_string())),
    }
}

/// A renamed blog's old name, as the router's host map keeps it (its
/// memo, and KV under the name's own `sub:` key): where the blog went, and
/// until when the old name redirects there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    pub moved_to: String,
    /// Unix ms: the hold's end.
    pub until: i64,
}

impl Moved {
    /// Whether the old name still redirects at `now`.
    pub fn live(&self, now: i64) -> bool {
        self.until > now
    }

    /// Where a request to the old name goes: the same path and query on
    /// the new one (`path_and_query` starts with `/`).
    pub fn location(&self, config: &PlatformConfig, path_and_query: &str) -> String {
        format!(
            "{}{path_and_query}",
            config.origin(&config.tenant_host(&self.moved_to))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_lower_cased_and_checked() {
        assert_eq!(check("  New-Name ", "old-name"), Ok("new-name".into()));
        assert_eq!(check("old-name", "old-name"), Err(Refusal::Unchanged));
        assert_eq!(check("admin", "old-name"), Err(Refusal::Reserved));
        assert!(matches!(check("ab", "old-name"), Err(Refusal::Invalid(_))));
        assert!(matches!(
            check("under_score", "old-name"),
            Err(Refusal::Invalid(_))
        ));
    }

    #[test]
    fn refusals_name_the_field_and_say_why() {
        for (refusal, code, status) in [
            (Refusal::Taken, "taken", 409),
            (Refusal::Held, "held", 409),
            (Refusal::Reserved, "reserved", 422),
            (
                Refusal::Invalid("An address is 3 to 30 characters long.".into()),
                "invalid",
                422,
            ),
            (Refusal::Unchanged, "unchanged", 422),
        ] {
            let api = refusal.api();
            assert_eq!(
                (api.error, api.field, refusal.status()),
                (code, Some("subdomain"), status)
            );
            assert_eq!(
                refusal.error().field_message("subdomain"),
                Some(refusal.message().as_str())
            );
        }
    }

    #[test]
    fn the_database_says_taken_or_held_and_anything_else_is_a_failure() {
        assert_eq!(
            Refusal::of_commit(
                "D1_ERROR: UNIQUE constraint failed: tenants.subdomain: SQLITE_CONSTRAINT"
            ),
            Some(Refusal::Taken)
        );
        assert_eq!(
            Refusal::of_commit("D1_ERROR: subdomain held: SQLITE_CONSTRAINT"),
            Some(Refusal::Held)
        );
        assert_eq!(Refusal::of_commit("D1_ERROR: network"), None);
        assert_eq!(Option::<Refusal>::from(NameStatus::Available), None);
        assert_eq!(
            Option::<Refusal>::from(NameStatus::Held),
            Some(Refusal::Held)
        );
    }

    #[test]
    fn an_old_name_redirects_with_its_path_and_query_until_its_hold_ends() {
        let config = PlatformConfig::from_vars("grove.localhost", "http", "8787").unwrap();
        let moved = Moved {
            moved_to: "new-name".into(),
            until: 5_000,
        };
        assert_eq!(
            moved.location(&config, "/blog/a-post?page=2&x=%20"),
            "http://new-name.grove.localhost:8787/blog/a-post?page=2&x=%20"
        );
        assert!(moved.live(4_999) && !moved.live(5_000));
        let json = serde_json::to_string(&moved).unwrap();
        assert_eq!(json, r#"{"moved_to":"new-name","until":5000}"#);
        assert!(
            serde_json::from_str::<crate::model::TenantRef>(&json).is_err(),
            "never read as a tenant"
        );
    }
}
