//! `cargo xtask test`: the whole suite, in the order that fails fastest. It installs the mock
//! server from the lockfile in `tests/mock` and runs one instance of it for every test
//! (`TEST_API_BASE_URL`), so a fresh machine needs nothing but cargo and Node.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MOCK_DIR: &str = "tests/mock";
fn run(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    eprintln!("+ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(super::root())
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    run(
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

fn start_mock() -> Result<(Mock, String), String> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let root = super::root();
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
        .current_dir(&root)
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
    cargo(&["fmt", "--all", "--check"], &[])?;
    super::generate::run(&["--check".to_owned()])?;
    cargo(
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
        &["doc", "--workspace", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    run(
        "npm",
        &["ci", "--prefix", MOCK_DIR, "--no-audit", "--no-fund"],
        &[],
    )?;
    let (_mock, url) = start_mock()?;
    // `--show-output`: the tests that count what they covered print it.
    cargo(
        &["test", "--workspace", "--", "--show-output"],
        &[("TEST_API_BASE_URL", &url)],
    )?;
    Ok(())
}
