//! The spec-driven mock server (`@stdy/cli`, steady) the operation tests call.
//!
//! `TEST_API_BASE_URL` names one already running (as the official SDKs' tests do; `cargo xtask
//! test` starts one for the whole suite). Otherwise the first test to ask starts one for this test
//! process on a free loopback port; a watchdog stops it when the process ends.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Flags for steady, one a line in `tests/mock/steady.args` (shared with `cargo xtask test`):
/// arrays and objects in brackets, as the SDK encodes them.
pub fn steady_flags() -> Vec<String> {
    let path = crate::workspace_root().join("tests/mock/steady.args");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

pub fn steady_bin() -> PathBuf {
    crate::workspace_root().join("tests/mock/node_modules/@stdy/cli/steady.js")
}

/// Starts steady on `port`; it stops when the process `parent` does.
pub fn spawn_steady(port: u16, parent: u32, log: &std::path::Path) -> std::io::Result<()> {
    let spec = crate::workspace_root().join("spec/openapi.yaml");
    let mut args = vec![
        steady_bin().display().to_string(),
        "--host".into(),
        "127.0.0.1".into(),
        "-p".into(),
        port.to_string(),
    ];
    args.extend(steady_flags());
    args.push(spec.display().to_string());
    let quoted: Vec<String> = args
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let script = format!(
        "node {} > '{}' 2>&1 & s=$!; while kill -0 {parent} 2>/dev/null && kill -0 $s 2>/dev/null; do sleep 0.5; done; kill $s 2>/dev/null",
        quoted.join(" "),
        log.display()
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    Ok(())
}

/// Waits until something listens on `port`.
pub fn wait_for(port: u16, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Base URL of the mock server for this test process.
pub fn base_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("TEST_API_BASE_URL") {
            return url;
        }
        assert!(
            steady_bin().exists(),
            "the mock server is not installed: run `cargo xtask test` (or `npm ci --prefix tests/mock`)"
        );
        let port = free_port();
        let log = std::env::temp_dir().join(format!("steady-{port}.log"));
        spawn_steady(port, std::process::id(), &log).expect("steady starts");
        assert!(wait_for(port, Duration::from_secs(30)), "steady did not start; see {}", log.display());
        format!("http://127.0.0.1:{port}")
    })
}

/// A client for the mock server: test keys, no retries (a rejected request must show).
pub fn client() -> openai_sdk::Client {
    openai_sdk::Client::builder()
        .api_key("sk-test")
        .admin_api_key("sk-admin-test")
        .base_url(base_url())
        .max_retries(0)
        .build()
        .expect("a client")
}
