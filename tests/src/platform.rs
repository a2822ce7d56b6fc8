//! A test's own `wrangler dev`, on its own port and state, for tests that
//! restart the platform. Stopped when dropped, even if the test panics.

use std::path::{Path, PathBuf};
use std::process::Command;

fn ctl(args: &[&str]) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/wrangler-ctl.sh");
    let out = Command::new("bash")
        .arg(script)
        .args(args)
        .output()
        .expect("run wrangler-ctl.sh");
    assert!(
        out.status.success(),
        "wrangler-ctl.sh {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A running `wrangler dev` owned by one test.
pub struct LocalPlatform {
    pub port: u16,
    pub state: PathBuf,
    pgid: Option<String>,
}

impl LocalPlatform {
    /// Fresh state (migrated and seeded) in a new folder under `target/`.
    pub fn fresh_state(name: &str) -> PathBuf {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target")
            .join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        ctl(&["prepare", &dir.to_string_lossy()]);
        dir
    }

    /// Adds the benchmark tenant (`bench`, owned by the demo user autumn)
    /// with `posts` large published posts to `state`.
    pub fn seed_bench(state: &Path, posts: usize) {
        ctl(&["seed-bench", &state.to_string_lossy(), &posts.to_string()]);
    }

    /// Starts wrangler dev on a free port with `state`, and waits until it answers.
    pub fn start(state: &Path) -> LocalPlatform {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let pgid = ctl(&["start", &state.to_string_lossy(), &port.to_string()]);
        LocalPlatform {
            port,
            state: state.to_path_buf(),
            pgid: Some(pgid),
        }
    }

    /// A client for it, with its ops token.
    pub fn grove(&self) -> crate::Grove {
        let mut g = crate::Grove::at(self.port);
        g.ops_token = std::fs::read_to_string(self.state.join("ops-token"))
            .unwrap_or_default()
            .trim()
            .to_string();
        g
    }

    /// Stops it (all of wrangler's processes).
    pub fn stop(&mut self) {
        if let Some(pgid) = self.pgid.take() {
            ctl(&["stop", &pgid]);
        }
    }
}

impl Drop for LocalPlatform {
    fn drop(&mut self) {
        self.stop();
    }
}
