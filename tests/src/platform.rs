//! A test's own `wrangler dev`, on its own port and state, for tests that
//! restart the platform or kill it. Stopped when dropped, even if the test
//! panics.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn ctl(args: &[&str]) -> String {
    ctl_with(args, "")
}

/// `wrangler-ctl.sh` with `vars` ("NAME:VALUE ...") for the worker.
fn ctl_with(args: &[&str], vars: &str) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/wrangler-ctl.sh");
    let out = Command::new("bash")
        .arg(script)
        .args(args)
        .env("GROVE_DEV_VARS", vars)
        .output()
        .expect("run wrangler-ctl.sh");
    assert!(
        out.status.success(),
        "wrangler-ctl.sh {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// An empty folder under `target/` for a test's state.
fn new_state_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A running `wrangler dev` owned by one test.
pub struct LocalPlatform {
    pub port: u16,
    pub state: PathBuf,
    pgid: Option<String>,
    /// Worker vars it was started with ("NAME:VALUE ..."), kept for restarts.
    vars: String,
}

impl LocalPlatform {
    /// Fresh state (migrated and seeded) in a new folder under `target/`.
    pub fn fresh_state(name: &str) -> PathBuf {
        let dir = new_state_dir(name);
        ctl(&["prepare", &dir.to_string_lossy()]);
        dir
    }

    /// A new state with the schema and nothing else (no demo blogs): much
    /// quicker to make than [`LocalPlatform::fresh_state`].
    pub fn empty_state(name: &str) -> PathBuf {
        let dir = new_state_dir(name);
        ctl(&["migrate", &dir.to_string_lossy()]);
        dir
    }

    /// Adds the benchmark tenant (`bench`, owned by the demo user autumn)
    /// with `posts` large published posts to `state`.
    pub fn seed_bench(state: &Path, posts: usize) {
        ctl(&["seed-bench", &state.to_string_lossy(), &posts.to_string()]);
    }

    /// Adds `tenants` blogs (`s0001`...) with `posts` published posts each
    /// (seeds/scale_sql.py) to `state`.
    pub fn seed_scale(state: &Path, tenants: usize, posts: usize) {
        ctl(&[
            "seed-scale",
            &state.to_string_lossy(),
            &tenants.to_string(),
            &posts.to_string(),
        ]);
    }

    /// Runs `sql` on the local D1 in `state` (rows no API writes yet, such
    /// as name holds; or times moved into the past).
    pub fn sql(state: &Path, sql: &str) {
        ctl(&["sql", &state.to_string_lossy(), sql]);
    }

    /// Starts wrangler dev on a free port with `state`, and waits until it answers.
    pub fn start(state: &Path) -> LocalPlatform {
        LocalPlatform::start_with(state, &[])
    }

    /// [`LocalPlatform::start`] with worker vars set (e.g. lower budgets).
    pub fn start_with(state: &Path, vars: &[(&str, &str)]) -> LocalPlatform {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let vars: Vec<String> = vars.iter().map(|(k, v)| format!("{k}:{v}")).collect();
        let vars = vars.join(" ");
        let pgid = ctl_with(
            &["start", &state.to_string_lossy(), &port.to_string()],
            &vars,
        );
        LocalPlatform {
            port,
            state: state.to_path_buf(),
            pgid: Some(pgid),
            vars,
        }
    }

    /// Starts wrangler dev on `port` with `state`, and waits until it answers.
    pub fn start_on(state: &Path, port: u16) -> LocalPlatform {
        let pgid = ctl(&["start", &state.to_string_lossy(), &port.to_string()]);
        LocalPlatform {
            port,
            state: state.to_path_buf(),
            pgid: Some(pgid),
            vars: String::new(),
        }
    }

    /// Starts it again on the same state and port, after a stop or a kill.
    pub fn restart(&mut self) {
        self.stop();
        let pgid = ctl_with(
            &[
                "start",
                &self.state.to_string_lossy(),
                &self.port.to_string(),
            ],
            &self.vars,
        );
        self.pgid = Some(pgid);
    }

    /// A crash: SIGKILL to every process of its group at once (wrangler's
    /// node, both workerd processes, esbuild), with no chance to flush or
    /// close anything; returns once none of them is left.
    pub fn kill_hard(&mut self) -> Killed {
        self.kill_hard_when(|| true)
    }

    /// [`LocalPlatform::kill_hard`] at the first instant `now()` says so
    /// (polled every millisecond). The killer is started beforehand and
    /// waits on a pipe, so the signal leaves within about a millisecond of
    /// that instant, not after a process start.
    pub fn kill_hard_when(&mut self, mut now: impl FnMut() -> bool) -> Killed {
        use std::io::{BufRead, Write};
        use std::process::Stdio;

        // Kept until the signal is sent, so that a panic before it still
        // stops the platform on drop.
        let pgid = self.pgid.clone().expect("a running platform to kill");
        let group: i32 = pgid.parse().expect("a process group id");
        let mut killer = Command::new("bash")
            .args([
                "-c",
                r#"echo armed; read -r _ && kill -s KILL -- "-$0""#,
                &group.to_string(),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the killer");
        let mut armed = String::new();
        let out = killer.stdout.take().expect("the killer's stdout");
        std::io::BufReader::new(out)
            .read_line(&mut armed)
            .expect("the killer is armed");
        let processes = group_processes(group);
        while !now() {
            std::thread::sleep(Duration::from_millis(1));
        }
        let sent = Instant::now();
        let mut stdin = killer.stdin.take().expect("the killer's stdin");
        stdin.write_all(b"\n").expect("fire the killer");
        drop(stdin);
        self.pgid = None;
        let status = killer.wait().expect("the killer exits");
        let delivered = sent.elapsed();
        assert!(status.success(), "kill -KILL -{group} failed: {status}");
        while !group_processes(group).is_empty() {
            assert!(
                sent.elapsed() < Duration::from_secs(10),
                "processes of group {group} outlived SIGKILL: {:?}",
                group_processes(group)
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        Killed {
            processes,
            sent,
            delivered,
            gone: sent.elapsed(),
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

/// What [`LocalPlatform::kill_hard`] did.
#[derive(Debug)]
pub struct Killed {
    /// The processes of the group just before the kill, as `pid name`.
    pub processes: Vec<String>,
    /// When the signal was about to be sent (the kill is at or after this).
    pub sent: Instant,
    /// From `sent` to the `kill` command's return: the signal was delivered by then.
    pub delivered: Duration,
    /// From `sent` until no process of the group was left.
    pub gone: Duration,
}

/// The live (not zombie) processes of process group `group`, as `pid name`,
/// read from `/proc`.
fn group_processes(group: i32) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = &stat[open + 1..close];
        let mut rest = stat[close + 1..].split_whitespace();
        let (Some(state), Some(_ppid), Some(pgrp)) = (rest.next(), rest.next(), rest.next()) else {
            continue;
        };
        if pgrp == group.to_string() && state != "Z" && state != "X" {
            found.push(format!("{pid} {comm}"));
        }
    }
    found.sort();
    found
}
