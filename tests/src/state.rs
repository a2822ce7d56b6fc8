//! The platform's local state, read with wrangler's own commands (D1 and
//! KV), for tests that check what is stored rather than what is served:
//! `scripts/integration.sh` names the folder in `GROVE_STATE`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The local D1 and KV of the platform under test.
pub struct LocalState {
    dir: PathBuf,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

impl LocalState {
    /// The state `scripts/integration.sh` started the platform with.
    pub fn from_env() -> LocalState {
        let dir = std::env::var("GROVE_STATE").expect(
            "GROVE_STATE is not set: run the integration tests with scripts/integration.sh",
        );
        LocalState { dir: dir.into() }
    }

    /// A state folder of the test's own (`LocalPlatform`).
    pub fn at(dir: &Path) -> LocalState {
        LocalState {
            dir: dir.to_path_buf(),
        }
    }

    fn wrangler(&self, args: &[&str]) -> String {
        let persist = self.dir.to_string_lossy().to_string();
        let out = Command::new("bash")
            .arg("-c")
            .arg(r#"source scripts/env.sh && wrangler "$@" --local --persist-to "$PERSIST""#)
            .arg("wrangler")
            .args(args)
            .env("PERSIST", &persist)
            .current_dir(root())
            .output()
            .expect("run wrangler");
        assert!(
            out.status.success(),
            "wrangler {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    /// The rows `sql` selects from the local D1.
    pub fn d1(&self, sql: &str) -> Vec<serde_json::Value> {
        let out = self.wrangler(&["d1", "execute", "DB", "--json", "--command", sql]);
        let start = out.find('[').unwrap_or(0);
        let parsed: serde_json::Value = serde_json::from_str(&out[start..])
            .unwrap_or_else(|e| panic!("wrangler d1 execute answered no JSON ({e}): {out}"));
        parsed
            .get(0)
            .and_then(|r| r.get("results"))
            .and_then(|r| r.as_array())
            .cloned()
            .unwrap_or_default()
    }

    /// The one number `sql` selects (as `n`).
    pub fn d1_count(&self, sql: &str) -> i64 {
        self.d1(sql)
            .first()
            .and_then(|r| r.get("n"))
            .and_then(serde_json::Value::as_i64)
            .unwrap_or_else(|| panic!("no count from {sql}"))
    }

    /// Every table of the schema with a `tenant_id` column.
    pub fn tenant_tables(&self) -> Vec<String> {
        self.d1(
            "SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND c.name = 'tenant_id' ORDER BY m.name",
        )
        .iter()
        .filter_map(|r| r.get("name").and_then(|n| n.as_str()).map(str::to_string))
        .collect()
    }

    /// The keys of the host map (KV `HOSTS`) that start with `prefix`.
    pub fn kv_keys(&self, prefix: &str) -> Vec<String> {
        let out = self.wrangler(&[
            "kv",
            "key",
            "list",
            "--binding",
            "HOSTS",
            "--prefix",
            prefix,
        ]);
        let start = out.find('[').unwrap_or(0);
        let parsed: serde_json::Value = serde_json::from_str(&out[start..])
            .unwrap_or_else(|e| panic!("wrangler kv key list answered no JSON ({e}): {out}"));
        parsed
            .as_array()
            .map(|keys| {
                keys.iter()
                    .filter_map(|k| k.get("name").and_then(|n| n.as_str()).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}
