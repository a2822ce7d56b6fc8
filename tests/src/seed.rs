//! The demo seed (`seeds/demo.toml`), read the same way the seeder reads it.

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Seed {
    pub base_time_ms: i64,
    #[serde(default)]
    pub users: Vec<User>,
    pub tenants: Vec<Tenant>,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize)]
pub struct Tenant {
    pub id: String,
    pub owner_id: String,
    pub subdomain: String,
    pub display_name: String,
    /// `free` unless the seed says otherwise.
    #[serde(default)]
    pub plan: Option<String>,
    pub settings: Settings,
    #[serde(default)]
    pub domains: Vec<Domain>,
    #[serde(default)]
    pub posts: Vec<Post>,
    #[serde(default)]
    pub pages: Vec<Page>,
}

#[derive(Debug, Deserialize)]
pub struct Settings {
    pub site_title: String,
    pub site_description: String,
    pub theme: String,
    pub primary_color: String,
}

#[derive(Debug, Deserialize)]
pub struct Domain {
    pub host: String,
    pub verified: i64,
    /// Its TXT challenge's value.
    pub token: String,
    /// The blog's primary address (else the subdomain is).
    #[serde(default)]
    pub primary: bool,
}

#[derive(Debug, Deserialize)]
pub struct Post {
    pub slug: String,
    pub title: String,
    pub day: i64,
    #[serde(default = "published")]
    pub status: String,
    pub markdown: String,
}

fn published() -> String {
    "published".into()
}

#[derive(Debug, Deserialize)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub markdown: String,
}

impl Tenant {
    /// Published posts, newest first (the order readers see).
    pub fn published(&self) -> Vec<&Post> {
        let mut posts: Vec<&Post> = self
            .posts
            .iter()
            .filter(|p| p.status == "published")
            .collect();
        posts.sort_by_key(|p| std::cmp::Reverse(p.day));
        posts
    }

    pub fn drafts(&self) -> Vec<&Post> {
        self.posts.iter().filter(|p| p.status == "draft").collect()
    }
}

/// The demo seed, parsed once.
pub fn demo() -> &'static Seed {
    static SEED: OnceLock<Seed> = OnceLock::new();
    SEED.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../seeds/demo.toml");
        let text = std::fs::read_to_string(path).expect("seeds/demo.toml");
        toml::from_str(&text).expect("seeds/demo.toml parses")
    })
}

/// The demo tenant with this subdomain.
pub fn tenant(subdomain: &str) -> &'static Tenant {
    demo()
        .tenants
        .iter()
        .find(|t| t.subdomain == subdomain)
        .expect("seeded tenant")
}
