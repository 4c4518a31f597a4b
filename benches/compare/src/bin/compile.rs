//! `cargo run --release --manifest-path benches/compare/Cargo.toml --bin compile`: the clean
//! debug build of each SDK crate alone (its dependencies already built), wall time and peak
//! memory, for openai-sdk and async-openai, each with every API area and with chat only, all
//! measured in the same run so the ratios compare like with like on a shared machine.
//!
//! Each case is a throwaway project under the system temp dir that depends on the crate with
//! that feature set. It is built once (dependencies included), then the crate alone is cleaned
//! and rebuilt under `/usr/bin/time`, twice; the best of the two counts. openai-sdk is several
//! crates of this repository (the SDK, the runtime of its types): all of them are cleaned and
//! rebuilt, and the peak is that of the largest `rustc`, as `time` reports it. The projects and their
//! target dirs (one per crate, so dependencies build once) are kept between runs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

const TIME: &str = "/usr/bin/time";

/// Rebuilds per case; the best counts.
const RUNS: usize = 2;

/// One crate with one feature set.
struct Case {
    /// Crate name, as `cargo clean -p` takes it.
    krate: &'static str,
    /// The feature set as printed.
    features: &'static str,
    /// The dependency line of the throwaway project.
    dependency: String,
}

/// Best wall time (s) and peak memory (KB) of rebuilding the crate alone.
struct Build {
    seconds: f64,
    kilobytes: u64,
}

type Result<T> = std::result::Result<T, String>;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    if !Path::new(TIME).exists() {
        return Err(format!(
            "{TIME} is needed for peak memory (apt-get install time)"
        ));
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sdk = here
        .join("../../sdk")
        .canonicalize()
        .map_err(|e| format!("../../sdk: {e}"))?;
    // Pin the async-openai version the benches resolved, so all figures are of the same release.
    let lock =
        fs::read_to_string(here.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let version = locked_version(&lock, "async-openai")
        .ok_or("async-openai is not in benches/compare/Cargo.lock")?;
    let ours = |features: &str| {
        format!(
            r#"openai-sdk = {{ path = {sdk:?}, default-features = false, features = ["{features}"] }}"#
        )
    };
    // async-openai keeps its default `rustls` feature: without a TLS backend its client is unusable.
    let theirs = |features: &str| {
        format!(r#"async-openai = {{ version = "={version}", features = ["{features}"] }}"#)
    };
    let case = |krate, features| Case {
        krate,
        features,
        dependency: if krate == "openai-sdk" {
            ours(features)
        } else {
            theirs(features)
        },
    };
    let cases = [
        case("openai-sdk", "full"),
        case("openai-sdk", "chat"),
        case("async-openai", "full"),
        case("async-openai", "chat-completion"),
    ];

    let root = env::temp_dir().join("openai-compare-compile");
    println!("clean debug build of the SDK crate alone, dependencies built (best of {RUNS})");
    println!(
        "openai-sdk at {}, async-openai {version}; projects under {}",
        sdk.display(),
        root.display()
    );
    println!();
    let builds = cases
        .iter()
        .map(|case| {
            eprintln!("building {} --features {} …", case.krate, case.features);
            measure(&root, case, &lock)
        })
        .collect::<Result<Vec<_>>>()?;

    println!(
        "{:<48} {:>10} {:>12}",
        "crate, features", "wall time", "peak memory"
    );
    for (case, b) in cases.iter().zip(&builds) {
        let name = format!("{} {}", case.krate, case.features);
        println!(
            "{name:<48} {:>8.1} s {:>9.2} GB",
            b.seconds,
            b.kilobytes as f64 / 1e6
        );
    }
    println!();
    println!(
        "{:<48} {:>10} {:>12}",
        "ratio (above 1: the divisor is cheaper)", "time", "memory"
    );
    for (label, a, b) in [
        ("async-openai full / openai-sdk full", 2, 0),
        ("async-openai chat-completion / openai-sdk chat", 3, 1),
        ("openai-sdk full / openai-sdk chat", 0, 1),
    ] {
        let (a, b) = (&builds[a], &builds[b]);
        println!(
            "{label:<48} {:>9.2}× {:>11.2}×",
            a.seconds / b.seconds,
            a.kilobytes as f64 / b.kilobytes as f64
        );
    }
    Ok(())
}

/// Builds `case`'s project, then rebuilds its crate alone `RUNS` times.
fn measure(root: &Path, case: &Case, lock: &str) -> Result<Build> {
    let project = root.join(format!("{}-{}", case.krate, case.features));
    let target = root.join(format!("{}-target", case.krate));
    fs::create_dir_all(project.join("src")).map_err(|e| format!("{}: {e}", project.display()))?;
    let manifest = format!(
        "[package]\nname = \"compile-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n{}\n",
        case.dependency
    );
    let write = |path: PathBuf, text: &str| {
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write(project.join("Cargo.toml"), &manifest)?;
    write(project.join("src/lib.rs"), "")?;
    // Start from the benches' lock file, so shared dependencies resolve to the same versions.
    if !project.join("Cargo.lock").exists() {
        write(project.join("Cargo.lock"), lock)?;
    }

    let report = root.join("time.txt");
    // `cargo ARGS` in the project, under `/usr/bin/time` if `timed`.
    let cargo = |timed: bool, args: &[&str]| {
        let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut c = if timed {
            let mut c = Command::new(TIME);
            c.args(["-f", "%e %M", "-o"]).arg(&report).arg(cargo);
            c
        } else {
            Command::new(cargo)
        };
        c.args(args)
            .current_dir(&project)
            .env("CARGO_TARGET_DIR", &target)
            // As a crates.io dependency builds: path dependencies would otherwise be incremental.
            .env("CARGO_INCREMENTAL", "0");
        c
    };
    run_ok(cargo(false, &["build", "--quiet"]), "build the project")?;
    let tree = [
        "tree",
        "--prefix",
        "none",
        "--format",
        "{p}",
        "-e",
        "normal,build",
    ];
    let mut crates = local_crates(cargo(false, &tree))?;
    crates.insert(case.krate.to_owned());
    let mut clean = vec!["clean".to_owned(), "--quiet".to_owned()];
    for krate in crates {
        clean.extend(["-p".to_owned(), krate]);
    }
    let clean: Vec<&str> = clean.iter().map(String::as_str).collect();

    let mut best = Build {
        seconds: f64::MAX,
        kilobytes: u64::MAX,
    };
    for _ in 0..RUNS {
        run_ok(cargo(false, &clean), "clean the crate")?;
        run_ok(
            cargo(true, &["build", "--quiet", "-p", case.krate]),
            "rebuild the crate",
        )?;
        let text = fs::read_to_string(&report).map_err(|e| format!("{}: {e}", report.display()))?;
        let (seconds, kilobytes) =
            parse_time(&text).ok_or_else(|| format!("unexpected {TIME} output: {text:?}"))?;
        best.seconds = best.seconds.min(seconds);
        best.kilobytes = best.kilobytes.min(kilobytes);
    }
    Ok(best)
}

/// The packages `cargo tree` (run in the project) lists from paths of this repository (not from
/// a registry), but the project itself: what a change to openai-sdk rebuilds. (`cargo tree`
/// reads the lock file and the sources the build fetched; `cargo metadata` would want every
/// platform's crates.)
fn local_crates(mut tree: Command) -> Result<BTreeSet<String>> {
    let out = tree.output().map_err(|e| format!("cargo tree: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo tree: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    // A path package prints as `name v0.1.0 (/path)`.
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|line| line.contains(" (/"))
        .filter_map(|line| line.split(' ').next())
        .filter(|name| *name != "compile-probe")
        .map(str::to_owned)
        .collect())
}

/// Runs `command`; on failure, an error with what it was doing, the command and its output.
fn run_ok(mut command: Command, doing: &str) -> Result<()> {
    let out = command
        .output()
        .map_err(|e| format!("cannot {doing}: {command:?}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "cannot {doing}: {command:?}: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

/// `%e %M` as written by `/usr/bin/time`: seconds and kilobytes (the last line: earlier ones
/// may report a signal).
fn parse_time(text: &str) -> Option<(f64, u64)> {
    let mut fields = text.lines().last()?.split_whitespace();
    Some((fields.next()?.parse().ok()?, fields.next()?.parse().ok()?))
}

/// The version of `name` in a Cargo.lock.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let entry = lock
        .split("[[package]]")
        .find(|p| p.contains(&format!("name = \"{name}\"\n")))?;
    let line = entry.lines().find_map(|l| l.strip_prefix("version = \""))?;
    Some(line.trim_end_matches('"').to_owned())
}
