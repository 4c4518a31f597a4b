//! Every program in `sdk/examples` runs to success against the mock server, as
//! `cargo run --example NAME` would with `OPENAI_BASE_URL` pointing at it; those that need
//! answers the mock server cannot give run beside the tests of what they show (`ELSEWHERE`).

use openai_tests::{mock, workspace_root};
use std::process::Command;
use std::time::{Duration, Instant};

/// Run by other tests: `realtime_text` needs a WebSocket server (`realtime.rs`), and
/// `structured_output` an answer in its type's shape (`structured.rs`).
const ELSEWHERE: &[&str] = &["realtime_text", "streaming_chat", "structured_output"];

#[test]
fn every_example_runs_against_the_mock_server() {
    // `cargo test` builds the examples beside this test's binary (target/<profile>/examples).
    let bin_dir = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples");
    let mut names: Vec<String> = std::fs::read_dir(workspace_root().join("sdk/examples"))
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".rs")
                .filter(|name| !ELSEWHERE.contains(name))
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    for name in ELSEWHERE {
        let file = workspace_root().join(format!("sdk/examples/{name}.rs"));
        assert!(
            file.exists(),
            "{name} is run elsewhere but is not an example"
        );
    }
    let base_url = mock::base_url();
    for name in &names {
        let bin = bin_dir.join(name);
        assert!(
            bin.exists(),
            "{} is not built: run the workspace's tests (`cargo xtask test`) or `cargo build --examples`",
            bin.display()
        );
        let start = Instant::now();
        let out = Command::new(&bin)
            .env("OPENAI_BASE_URL", base_url)
            .env("OPENAI_API_KEY", "sk-test")
            .env("OPENAI_ADMIN_KEY", "sk-admin-test")
            .env_remove("OPENAI_ORG_ID")
            .env_remove("OPENAI_PROJECT_ID")
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "example {name} failed:\n{said}");
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "example {name} took {:?}",
            start.elapsed()
        );
        println!(
            "example {name}: ok ({} lines of output)",
            said.lines().count()
        );
    }
    println!(
        "examples: {} of {} ran against the mock server",
        names.len(),
        names.len()
    );
}
