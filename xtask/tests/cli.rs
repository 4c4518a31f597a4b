//! `cargo xtask generate` as users and CI run it, against a scratch copy of the workspace:
//! `--check` names every drifted file, and a bad spec fails with the place of the problem while
//! leaving the output untouched.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const OWNED: &[&str] = &["sdk/src/generated", "tests/src/generated", "types"];

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// A scratch root holding the spec and the committed generated code.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "xtask-cli-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("spec")).unwrap();
        fs::copy(
            workspace().join("spec/openapi.yaml"),
            dir.join("spec/openapi.yaml"),
        )
        .unwrap();
        // `generate` also keeps the `[features]` section of the SDK's manifest in step.
        fs::create_dir_all(dir.join("sdk")).unwrap();
        fs::copy(
            workspace().join("sdk/Cargo.toml"),
            dir.join("sdk/Cargo.toml"),
        )
        .unwrap();
        for owned in OWNED {
            copy_dir(&workspace().join(owned), &dir.join(owned));
        }
        Scratch(dir)
    }

    fn xtask(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args)
            .args(["--root", self.0.to_str().unwrap()])
            .output()
            .unwrap()
    }

    /// Every file under the scratch root with its bytes.
    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.insert(path.clone(), fs::read(&path).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.0, &mut out);
        out
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn check_passes_on_the_committed_code_and_generate_changes_nothing() {
    let scratch = Scratch::new();
    let out = scratch.xtask(&["generate", "--check"]);
    assert!(out.status.success(), "{}", text(&out));
    let before = scratch.snapshot();
    let out = scratch.xtask(&["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        before == scratch.snapshot(),
        "running generate on up-to-date code changed files"
    );
}

#[test]
fn check_names_edited_added_and_removed_files() {
    let scratch = Scratch::new();
    let edited = "types/shared/src/types/response.rs";
    let added = "types/responses/src/types/stray.rs";
    let removed = "tests/src/generated/registry.rs";
    let path = scratch.0.join(edited);
    let mut body = fs::read_to_string(&path).unwrap();
    body.push_str("\n// a hand edit\n");
    fs::write(&path, body).unwrap();
    fs::write(scratch.0.join(added), "// not generated\n").unwrap();
    fs::remove_file(scratch.0.join(removed)).unwrap();
    let before = scratch.snapshot();

    let out = scratch.xtask(&["generate", "--check"]);
    let said = text(&out);
    assert!(
        !out.status.success(),
        "check passed on edited code:\n{said}"
    );
    assert!(said.contains(&format!("stale:   {edited}")), "{said}");
    assert!(said.contains(&format!("extra:   {added}")), "{said}");
    assert!(said.contains(&format!("missing: {removed}")), "{said}");
    assert!(said.contains("run `cargo xtask generate`"), "{said}");
    assert!(before == scratch.snapshot(), "--check wrote files");

    let out = scratch.xtask(&["generate"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = scratch.xtask(&["generate", "--check"]);
    assert!(
        out.status.success(),
        "generate did not repair the tree: {}",
        text(&out)
    );
}

/// Runs generate on `spec` (a file beside the scratch root) and returns what it said; asserts it
/// failed and left every file as it was.
fn fails_untouched(spec: &str) -> String {
    fails_untouched_with(spec, &[])
}

fn fails_untouched_with(spec: &str, args: &[&str]) -> String {
    let scratch = Scratch::new();
    let spec_path = scratch.0.join("bad.yaml");
    fs::write(&spec_path, spec).unwrap();
    let before = scratch.snapshot();
    let mut all = vec!["generate", "--spec", spec_path.to_str().unwrap()];
    all.extend(args);
    let out = scratch.xtask(&all);
    assert!(
        !out.status.success(),
        "generate accepted a bad spec: {}",
        text(&out)
    );
    assert!(
        before == scratch.snapshot(),
        "a failed generate changed files"
    );
    text(&out)
}

const HEAD: &str =
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";

#[test]
fn malformed_yaml_names_the_line() {
    let said = fails_untouched(&format!(
        "{HEAD}    Broken: {{type: object, properties: [\n"
    ));
    assert!(
        said.contains("not valid YAML") && said.contains("line "),
        "{said}"
    );
}

#[test]
fn dangling_ref_names_its_pointer() {
    let said = fails_untouched(&format!(
        "{HEAD}    Holder:\n      type: object\n      properties:\n        thing:\n          $ref: '#/components/schemas/Nowhere'\n"
    ));
    assert!(
        said.contains("#/components/schemas/Holder/properties/thing"),
        "{said}"
    );
    assert!(said.contains("points to nothing"), "{said}");
}

/// Generates `spec` into a scratch root; returns what it said (asserting success).
fn generates(spec: &str, args: &[&str]) -> String {
    let scratch = Scratch::new();
    let spec_path = scratch.0.join("spec.yaml");
    fs::write(&spec_path, spec).unwrap();
    let mut all = vec!["generate", "--spec", spec_path.to_str().unwrap()];
    all.extend(args);
    let out = scratch.xtask(&all);
    assert!(out.status.success(), "{}", text(&out));
    text(&out)
}

#[test]
fn a_construct_without_a_faithful_type_warns_with_its_pointer() {
    // A reference into another document: the value is kept as JSON, and the warning says where.
    let spec = format!(
        "{HEAD}    Holder:\n      type: object\n      properties:\n        thing:\n          $ref: 'other.yaml#/Thing'\n"
    );
    let said = generates(&spec, &[]);
    assert!(
        said.contains("warning[untyped]: #/components/schemas/Holder/properties/thing")
            && said.contains("1 warning (1 untyped)"),
        "{said}"
    );
    let said = fails_untouched_with(&spec, &["--deny-warnings"]);
    assert!(
        said.contains("--deny-warnings") && said.contains("nothing was written"),
        "{said}"
    );
}

#[test]
fn the_workspace_is_found_at_run_time() {
    // Not compiled in: with `CARGO_MANIFEST_DIR` as `cargo run` sets it, or from the current
    // directory when run directly, the tree written is the one the command runs in.
    let scratch = Scratch::new();
    fs::create_dir_all(scratch.0.join("xtask")).unwrap();
    fs::write(scratch.0.join("xtask/Cargo.toml"), "").unwrap();
    fs::write(scratch.0.join("Cargo.toml"), "").unwrap();
    let run = |cwd: &Path, manifest_dir: Option<&Path>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
        cmd.args(["generate", "--check"])
            .current_dir(cwd)
            .env_remove("CARGO_MANIFEST_DIR");
        if let Some(dir) = manifest_dir {
            cmd.env("CARGO_MANIFEST_DIR", dir);
        }
        cmd.output().unwrap()
    };
    let out = run(&scratch.0.join("sdk"), None);
    assert!(out.status.success(), "{}", text(&out));
    let elsewhere = std::env::temp_dir();
    let out = run(&elsewhere, Some(&scratch.0.join("xtask")));
    assert!(out.status.success(), "{}", text(&out));
    // The check really looked at the scratch tree: a stray file there fails it.
    fs::write(scratch.0.join("sdk/src/generated/stray.rs"), "").unwrap();
    let out = run(&elsewhere, Some(&scratch.0.join("xtask")));
    assert!(
        !out.status.success() && text(&out).contains("stray.rs"),
        "{}",
        text(&out)
    );
}

#[test]
fn unsupported_version_is_refused() {
    let said = fails_untouched("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert!(said.contains("#/openapi"), "{said}");
}

#[test]
fn a_list_that_cannot_be_paged_warns() {
    let spec = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    Things:\n      type: object\n      properties:\n        items: {type: array, items: {type: string}}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      parameters:\n        - {name: after, in: query, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Things'}\n";
    let said = generates(spec, &[]);
    assert!(
        said.contains("warning[paging]")
            && said.contains("listThings")
            && said.contains("`after` cursor")
            && said.contains("`data`"),
        "{said}"
    );
}

#[test]
fn update_spec_takes_a_new_version_and_reports_it() {
    let scratch = Scratch::new();
    let version = workspace().join("spec/history/openapi-2026-08-14-ca34204.yaml");
    let out = scratch.xtask(&["update-spec", version.to_str().unwrap()]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert_eq!(
        fs::read(scratch.0.join("spec/openapi.yaml")).unwrap(),
        fs::read(&version).unwrap(),
        "the spec is not a byte-exact copy"
    );
    assert!(
        said.contains("# API changes") && said.contains("Breaking for SDK users"),
        "{said}"
    );
    // Ready to commit: what is on disk is what the new spec gives.
    let out = scratch.xtask(&["generate", "--check"]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn update_spec_with_a_broken_spec_leaves_the_tree_as_it_was() {
    let scratch = Scratch::new();
    let bad = scratch.0.join("bad.yaml");
    fs::write(
        &bad,
        format!("{HEAD}    Holder:\n      $ref: '#/components/schemas/Nowhere'\n"),
    )
    .unwrap();
    let before = scratch.snapshot();
    let out = scratch.xtask(&["update-spec", bad.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("#/components/schemas/Holder"),
        "{}",
        text(&out)
    );
    assert!(
        before == scratch.snapshot(),
        "a failed update changed files"
    );
}
