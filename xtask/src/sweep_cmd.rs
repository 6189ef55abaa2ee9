//! `cargo xtask sweep`: the compatibility sweep over a corpus of real OpenAPI documents.
//!
//! For every `*.json`, `*.yaml` and `*.yml` file of the corpus (sorted by name), the sweep
//!
//! 1. runs this very binary as `cargo xtask codegen --spec FILE --out target/sweep/<stem>
//!    --name <stem>-client`, so the CLI contract (exit code, the one summary line on stdout) is
//!    exercised exactly as users see it;
//! 2. `cargo check`s the generated standalone crate with `RUSTFLAGS=-D warnings`, in one shared
//!    target directory (`target/generated-target`) so the dependencies are built once, and with the
//!    workspace's `Cargo.lock` as the starting lock file so they are the versions this
//!    workspace already tests;
//! 3. with `--clippy`, runs `cargo clippy -- -D warnings` on the crate too;
//!
//! then prints one table (stdout) and the first error of every failure. Crates are checked one
//! after the other: each `cargo check` already uses every core.
//!
//! A run fails (exit 1) when a document cannot be generated, when an operation is left out
//! (`N < T` in the summary line), or when a crate does not check (or lint, with `--clippy`).
//! The only tolerated refusal is listed in [`EXPECTED_UNSUPPORTED`]. Usage errors (no corpus,
//! unknown `--only`) exit 2.
//!
//! Full outputs are kept in `target/sweep-logs/<stem>.{codegen,check,clippy}.txt`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};
use std::time::{Duration, Instant};

use crate::codegen_cmd::{derive_crate_name, shell_word};

/// A copy of the running xtask binary to spawn as `xtask codegen`. Under `cargo xtask test`
/// an earlier step (`cargo test`, `cargo clippy`) relinks `target/debug/xtask` while this
/// process runs, which leaves `current_exe()` pointing at a deleted file; on Linux
/// `/proc/self/exe` still reads the running binary.
pub(crate) fn own_copy(scratch: &Path) -> Result<PathBuf, String> {
    let running = if cfg!(target_os = "linux") {
        PathBuf::from("/proc/self/exe")
    } else {
        std::env::current_exe()
            .map_err(|e| format!("cannot find the xtask executable to run `codegen`: {e}"))?
    };
    fs::create_dir_all(scratch)
        .map_err(|e| format!("cannot create directory `{}`: {e}", scratch.display()))?;
    let copy = scratch.join(format!("xtask-sweep{}", std::env::consts::EXE_SUFFIX));
    fs::copy(&running, &copy).map_err(|e| {
        format!(
            "cannot copy the xtask executable `{}` to `{}`: {e}",
            running.display(),
            copy.display()
        )
    })?;
    Ok(copy)
}

/// Documents the generator is allowed to refuse today, by the `openapi:` version they declare:
/// `(version prefix, text the refusal must mention)`. A document of such a version counts as
/// `skipped (<prefix>)` only if the generator exits with 2 and an `error` line of its stderr
/// mentions the text; any other outcome is judged like every other document.
///
/// Empty: the generator reads OpenAPI 3.1 (and Swagger 2.0) documents, so none may be refused.
pub const EXPECTED_UNSUPPORTED: &[(&str, &str)] = &[];

/// The file extensions of the documents in the corpus (compared without regard to case).
const DOCUMENT_EXTENSIONS: &[&str] = &["json", "yaml", "yml"];

/// At most this many characters of an error message go into the table; the failure list below
/// the table has them in full.
const TABLE_MESSAGE_CHARS: usize = 90;

/// The settings of one sweep.
#[derive(Debug, Clone)]
pub struct Options {
    /// The corpus directory.
    pub corpus: PathBuf,
    /// Run only the document with this file name or stem.
    pub only: Option<String>,
    /// Also run `cargo clippy -- -D warnings` on every crate that checks.
    pub clippy: bool,
    /// Stop at the first failing document instead of running them all.
    pub fail_fast: bool,
}

impl Options {
    /// Every document of the default corpus, without clippy, running them all.
    pub fn defaults(workspace_root: &Path) -> Options {
        Options {
            corpus: default_corpus(workspace_root),
            only: None,
            clippy: false,
            fail_fast: false,
        }
    }
}

/// The corpus shared by the clones of this repository: `../shared/corpus` from the workspace root.
pub fn default_corpus(workspace_root: &Path) -> PathBuf {
    workspace_root.join("..").join("shared").join("corpus")
}

/// `cargo xtask sweep`: 0 when every document passes, 1 when one fails, 2 on a usage error.
pub fn run(workspace_root: &Path, options: &Options) -> ExitCode {
    match sweep(workspace_root, options) {
        Ok(report) if report.passed() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The `cargo xtask test` step: the whole default corpus.
pub fn test_step(workspace_root: &Path) -> Result<(), String> {
    let report = sweep(workspace_root, &Options::defaults(workspace_root))?;
    if report.passed() {
        Ok(())
    } else {
        let failed = report.rows.iter().filter(|row| !row.passed()).count();
        Err(format!(
            "{failed} of {} corpus documents failed (see the table above)",
            report.rows.len()
        ))
    }
}

/// The result of a sweep: one row per document, in corpus order.
#[derive(Debug, Clone)]
pub struct Report {
    pub rows: Vec<Row>,
    pub clippy: bool,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.rows.iter().all(Row::passed)
    }
}

/// Runs the sweep, printing progress on stderr and the table on stdout. `Err` is a usage error.
pub fn sweep(workspace_root: &Path, options: &Options) -> Result<Report, String> {
    let corpus = fs::canonicalize(&options.corpus).map_err(|e| {
        format!(
            "cannot open the corpus `{}`: {e} (pass --corpus DIR)",
            options.corpus.display()
        )
    })?;
    let docs = select(list_corpus(&corpus)?, options.only.as_deref())?;
    if docs.is_empty() {
        return Err(format!(
            "the corpus `{}` has no .json, .yaml or .yml documents",
            corpus.display()
        ));
    }
    let scratch = workspace_root.join("target").join("sweep");
    let exe = own_copy(&scratch)?;
    let logs = workspace_root.join("target").join("sweep-logs");
    fs::create_dir_all(&logs)
        .map_err(|e| format!("cannot create directory `{}`: {e}", logs.display()))?;
    let env = SweepEnv {
        exe,
        scratch,
        logs,
        target_dir: workspace_root.join("target").join("generated-target"),
        lock_seed: workspace_root.join("Cargo.lock"),
        clippy: options.clippy,
    };

    eprintln!(
        "sweep: {} document(s) from {}; crates in target/sweep/, shared target dir target/generated-target/",
        docs.len(),
        corpus.display()
    );
    let started = Instant::now();
    let mut rows = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        eprintln!("==> [{}/{}] {}", i + 1, docs.len(), doc.file_name);
        let row = sweep_one(&env, doc);
        let passed = row.passed();
        rows.push(row);
        if options.fail_fast && !passed {
            eprintln!("sweep: stopping at the first failure (--fail-fast)");
            break;
        }
    }
    let report = Report {
        rows,
        clippy: options.clippy,
    };
    print!("{}", format_table(&report.rows, report.clippy));
    print!("{}", format_failures(&report.rows));
    println!(
        "{}",
        format_totals(&report.rows, docs.len(), started.elapsed())
    );
    Ok(report)
}

/// One document of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    pub path: PathBuf,
    /// The file name, e.g. `github-rest.json`.
    pub file_name: String,
    /// The file name without its extension, e.g. `github-rest`: the scratch directory's name.
    pub stem: String,
}

/// Whether a file name is a corpus document: `*.json`, `*.yaml` or `*.yml` with a non-empty stem.
pub fn document_stem(file_name: &str) -> Option<&str> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    let known = DOCUMENT_EXTENSIONS
        .iter()
        .any(|known| ext.eq_ignore_ascii_case(known));
    (known && !stem.is_empty()).then_some(stem)
}

/// The documents directly in `dir` (not in subdirectories), sorted by file name. Two documents
/// with the same stem would share a scratch crate, so they are an error.
pub fn list_corpus(dir: &Path) -> Result<Vec<Doc>, String> {
    let entries = fs::read_dir(dir)
        .map_err(|e| format!("cannot list the corpus `{}`: {e}", dir.display()))?;
    let mut docs = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| format!("cannot list the corpus `{}`: {e}", dir.display()))?;
        let Ok(file_name) = entry.file_name().into_string() else {
            continue;
        };
        let Some(stem) = document_stem(&file_name) else {
            continue;
        };
        if !entry.path().is_file() {
            continue;
        }
        docs.push(Doc {
            path: entry.path(),
            stem: stem.to_owned(),
            file_name,
        });
    }
    docs.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for doc in &docs {
        if let Some(first) = seen.insert(&doc.stem, &doc.file_name) {
            return Err(format!(
                "the corpus has two documents named `{}`: `{first}` and `{}`",
                doc.stem, doc.file_name
            ));
        }
    }
    Ok(docs)
}

/// Keeps the document named `only` (by file name or stem), or all of them.
pub fn select(docs: Vec<Doc>, only: Option<&str>) -> Result<Vec<Doc>, String> {
    let Some(only) = only else {
        return Ok(docs);
    };
    let names: Vec<&str> = docs.iter().map(|doc| doc.stem.as_str()).collect();
    let chosen: Vec<Doc> = docs
        .iter()
        .filter(|doc| doc.file_name == only || doc.stem == only)
        .cloned()
        .collect();
    if chosen.is_empty() {
        return Err(format!(
            "--only `{only}`: no such document in the corpus; the documents are: {}",
            names.join(", ")
        ));
    }
    Ok(chosen)
}

/// The counts of the summary line `generated: <N> of <T> operations, <M> types, <W> warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub generated: usize,
    pub total: usize,
    pub types: usize,
    pub warnings: usize,
}

/// Parses one summary line, exactly: no extra spaces, words or signs.
pub fn parse_summary(line: &str) -> Option<Summary> {
    let rest = line.strip_prefix("generated: ")?;
    let (generated, rest) = rest.split_once(" of ")?;
    let (total, rest) = rest.split_once(" operations, ")?;
    let (types, rest) = rest.split_once(" types, ")?;
    let warnings = rest.strip_suffix(" warnings")?;
    Some(Summary {
        generated: parse_count(generated)?,
        total: parse_count(total)?,
        types: parse_count(types)?,
        warnings: parse_count(warnings)?,
    })
}

fn parse_count(text: &str) -> Option<usize> {
    let digits_only = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let canonical = text == "0" || !text.starts_with('0');
    if digits_only && canonical {
        text.parse().ok()
    } else {
        None
    }
}

/// Checks the stdout of a successful `codegen` run: exactly one line, the summary line.
pub fn parse_codegen_stdout(stdout: &str) -> Result<Summary, String> {
    let Some(body) = stdout.strip_suffix('\n') else {
        return Err(format!(
            "CLI contract: stdout must be one summary line ending in a newline, got {stdout:?}"
        ));
    };
    if body.contains('\n') {
        let lines = body.lines().count();
        return Err(format!(
            "CLI contract: stdout must be exactly one line, got {lines}: {stdout:?}"
        ));
    }
    parse_summary(body).ok_or_else(|| {
        format!(
            "CLI contract: stdout is not `generated: <N> of <T> operations, <M> types, <W> warnings`: {body:?}"
        )
    })
}

/// The version in the document's top-level `openapi` field, read from the text (YAML or JSON)
/// without parsing the document: the generator may be unable to.
pub fn openapi_version(text: &str) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        // JSON: the first `"openapi"` key followed by `:` and a string.
        let mut rest = text;
        while let Some(at) = rest.find("\"openapi\"") {
            rest = &rest[at + "\"openapi\"".len()..];
            let Some(after_colon) = rest.trim_start().strip_prefix(':') else {
                continue;
            };
            let value = after_colon.trim_start().strip_prefix('"')?;
            return value.split_once('"').map(|(v, _)| v.to_owned());
        }
        return None;
    }
    // YAML: a top-level (unindented) `openapi:` key; the value may be quoted or commented.
    text.lines().find_map(|line| {
        let value = line.strip_prefix("openapi:")?;
        let value = value.split(" #").next().unwrap_or(value).trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// The prefix of an [`EXPECTED_UNSUPPORTED`] version that `version` has, with the text its
/// refusal must mention.
pub fn expected_unsupported(version: Option<&str>) -> Option<(&'static str, &'static str)> {
    let version = version?;
    EXPECTED_UNSUPPORTED
        .iter()
        .copied()
        .find(|(prefix, _)| version.starts_with(prefix))
}

/// Whether the stderr of a refused run has an `error` line that mentions `needle` once the
/// document's own name is taken out (so a path like `v3.1/a.yaml` does not count).
pub fn refusal_mentions(stderr: &str, source_name: &str, needle: &str) -> bool {
    stderr
        .lines()
        .filter(|line| line.trim_start().starts_with("error"))
        .any(|line| line.replace(source_name, "").contains(needle))
}

/// How the generation of one document went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Generated {
    /// Exit 0 with a valid summary line.
    Ok(Summary),
    /// An expected refusal (see [`EXPECTED_UNSUPPORTED`]); the label is the version prefix.
    Skipped(&'static str),
    /// Any other outcome; the message is the first error line.
    Failed(String),
}

/// How `cargo check` or `cargo clippy` went on one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cargo {
    /// Not run (generation failed or skipped, check failed before clippy, or no `--clippy`).
    NotRun,
    Ok,
    /// The number of errors cargo reported (when it said) and the first error, with location.
    Failed {
        errors: Option<usize>,
        first: String,
    },
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub file_name: String,
    pub generated: Generated,
    pub gen_ms: u128,
    pub check: Cargo,
    pub check_secs: Option<f64>,
    pub clippy: Cargo,
    pub clippy_secs: Option<f64>,
    /// Where the full outputs are, for the failure list.
    pub log_hint: String,
}

impl Row {
    /// Generated every operation and checked (and linted, when clippy ran), or skipped.
    pub fn passed(&self) -> bool {
        match &self.generated {
            Generated::Skipped(_) => true,
            Generated::Failed(_) => false,
            Generated::Ok(summary) => {
                summary.generated == summary.total
                    && self.check == Cargo::Ok
                    && !matches!(self.clippy, Cargo::Failed { .. })
            }
        }
    }

    /// Why the row failed, one reason a line; empty when it passed.
    pub fn failures(&self) -> Vec<String> {
        let mut reasons = Vec::new();
        match &self.generated {
            Generated::Skipped(_) => {}
            Generated::Failed(message) => reasons.push(format!("codegen: {message}")),
            Generated::Ok(summary) => {
                if summary.generated < summary.total {
                    reasons.push(format!(
                        "codegen: left out {} of {} operations",
                        summary.total - summary.generated,
                        summary.total
                    ));
                }
                if summary.generated > summary.total {
                    reasons.push(format!(
                        "codegen: summary says {} of {} operations (more than the total)",
                        summary.generated, summary.total
                    ));
                }
            }
        }
        for (what, result) in [("cargo check", &self.check), ("cargo clippy", &self.clippy)] {
            if let Cargo::Failed { errors, first } = result {
                let count = match errors {
                    Some(1) => String::from(" (1 error)"),
                    Some(n) => format!(" ({n} errors)"),
                    None => String::new(),
                };
                reasons.push(format!("{what}{count}: {first}"));
            }
        }
        if matches!(&self.generated, Generated::Ok(_)) && self.check == Cargo::NotRun {
            reasons.push(String::from("cargo check: not run"));
        }
        reasons
    }
}

/// Everything `sweep_one` needs besides the document.
pub(crate) struct SweepEnv {
    pub(crate) exe: PathBuf,
    pub(crate) scratch: PathBuf,
    pub(crate) logs: PathBuf,
    pub(crate) target_dir: PathBuf,
    pub(crate) lock_seed: PathBuf,
    pub(crate) clippy: bool,
}

fn sweep_one(env: &SweepEnv, doc: &Doc) -> Row {
    let mut row = Row {
        file_name: doc.file_name.clone(),
        generated: Generated::Failed(String::from("not run")),
        gen_ms: 0,
        check: Cargo::NotRun,
        check_secs: None,
        clippy: Cargo::NotRun,
        clippy_secs: None,
        log_hint: format!("target/sweep-logs/{}.*.txt", doc.stem),
    };
    for what in LOG_KINDS {
        let _ = fs::remove_file(log_path(env, doc, what));
    }
    let out_dir = env.scratch.join(&doc.stem);
    let (generated, elapsed) = generate(env, doc, &out_dir);
    row.generated = generated;
    row.gen_ms = elapsed.as_millis();
    match &row.generated {
        Generated::Ok(s) => eprintln!(
            "    codegen: {} of {} operations, {} types, {} warnings ({} ms)",
            s.generated, s.total, s.types, s.warnings, row.gen_ms
        ),
        Generated::Skipped(version) => {
            eprintln!("    codegen: refused, as expected for OpenAPI {version}: skipped")
        }
        Generated::Failed(message) => eprintln!("    codegen: FAIL: {message}"),
    }
    if !matches!(row.generated, Generated::Ok(_)) {
        return row;
    }

    seed_lock_file(&env.lock_seed, &out_dir);
    let (check, secs) = cargo_on_crate(env, doc, &out_dir, "check", &["check"]);
    eprintln!("    cargo check: {} ({secs:.1} s)", cargo_cell(&check));
    row.check = check;
    row.check_secs = Some(secs);
    if env.clippy && row.check == Cargo::Ok {
        let args = ["clippy", "--", "-D", "warnings"];
        let (clippy, secs) = cargo_on_crate(env, doc, &out_dir, "clippy", &args);
        eprintln!("    cargo clippy: {} ({secs:.1} s)", cargo_cell(&clippy));
        row.clippy = clippy;
        row.clippy_secs = Some(secs);
    }
    row
}

/// Runs `xtask codegen` on the document and judges its exit code and output.
fn generate(env: &SweepEnv, doc: &Doc, out_dir: &Path) -> (Generated, Duration) {
    let Some(crate_name) = derive_crate_name(&doc.stem) else {
        let message = format!("cannot derive a crate name from `{}`", doc.stem);
        return (Generated::Failed(message), Duration::ZERO);
    };
    let (Some(spec), Some(out)) = (doc.path.to_str(), out_dir.to_str()) else {
        let message = String::from("the document or scratch path is not valid UTF-8");
        return (Generated::Failed(message), Duration::ZERO);
    };
    let (mut command, shown) = codegen_command(&env.exe, spec, out, &crate_name);
    let started = Instant::now();
    let output = command.output();
    let elapsed = started.elapsed();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            let message = format!("cannot run `{} codegen`: {e}", env.exe.display());
            return (Generated::Failed(message), elapsed);
        }
    };
    save_log(env, doc, "codegen", &shown, &output);
    let generated = judge_codegen(&output, doc, spec);
    (generated, elapsed)
}

/// The `xtask codegen` run of a sweep on one document, and how it reads as a shell command
/// (for the logs).
pub(crate) fn codegen_command(
    exe: &Path,
    spec: &str,
    out: &str,
    crate_name: &str,
) -> (Command, String) {
    let mut command = Command::new(exe);
    command.args([
        "codegen", "--spec", spec, "--out", out, "--name", crate_name,
    ]);
    let shown = format!(
        "{} codegen --spec {} --out {} --name {}",
        exe.display(),
        shell_word(spec),
        shell_word(out),
        shell_word(crate_name)
    );
    (command, shown)
}

/// How a finished `codegen` run on `doc` (given to it as `spec`) went, by its exit code and
/// output: 0 with exactly the summary line, an expected refusal, or anything else (a failure).
pub(crate) fn judge_codegen(output: &Output, doc: &Doc, spec: &str) -> Generated {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0) => match parse_codegen_stdout(&stdout) {
            Ok(summary) => Generated::Ok(summary),
            Err(message) => Generated::Failed(message),
        },
        Some(2) => {
            let text = fs::read_to_string(&doc.path).unwrap_or_default();
            let version = openapi_version(&text);
            match expected_unsupported(version.as_deref()) {
                Some((prefix, needle)) if refusal_mentions(&stderr, spec, needle) => {
                    Generated::Skipped(prefix)
                }
                _ => Generated::Failed(first_codegen_error(&stderr, spec)),
            }
        }
        _ => Generated::Failed(format!(
            "unexpected exit status ({}); {}",
            output.status,
            first_codegen_error(&stderr, spec)
        )),
    }
}

/// The first `error` line of a refused `codegen` run, with the document's path shortened to
/// its file name.
pub fn first_codegen_error(stderr: &str, source_name: &str) -> String {
    let file_name = Path::new(source_name)
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or(source_name);
    stderr
        .lines()
        .find(|line| line.trim_start().starts_with("error"))
        .or_else(|| stderr.lines().find(|line| !line.trim().is_empty()))
        .map(|line| line.trim().replace(source_name, file_name))
        .unwrap_or_else(|| String::from("(no output on stderr)"))
}

/// Gives a scratch crate the workspace's lock file the first time, so cargo resolves the same
/// dependency versions the workspace uses (and builds them once in the shared target directory)
/// instead of the newest ones. Cargo prunes the packages the crate does not use.
pub(crate) fn seed_lock_file(seed: &Path, out_dir: &Path) {
    let lock = out_dir.join("Cargo.lock");
    if !lock.exists() && seed.is_file() {
        if let Err(e) = fs::copy(seed, &lock) {
            eprintln!("    note: cannot copy Cargo.lock into the crate: {e}");
        }
    }
}

/// Runs `cargo <args>` in the crate with `-D warnings` and the shared target directory.
pub(crate) fn cargo_on_crate(
    env: &SweepEnv,
    doc: &Doc,
    out_dir: &Path,
    log: &str,
    args: &[&str],
) -> (Cargo, f64) {
    // `--color` goes before a `--` separator, if any: what follows it is for the lint driver.
    let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(&args[..split])
        .args(["--color", "never"])
        .args(&args[split..])
        .current_dir(out_dir)
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", &env.target_dir)
        // Each crate is checked once per run: incremental caches and debug info would only
        // fill the disk (the caches of a corpus run alone were over a gigabyte).
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("RUSTC_WORKSPACE_WRAPPER");
    let started = Instant::now();
    let output = command.output();
    let secs = started.elapsed().as_secs_f64();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            let first = format!("cannot run `cargo {}`: {e}", args.join(" "));
            return (
                Cargo::Failed {
                    errors: None,
                    first,
                },
                secs,
            );
        }
    };
    let shown = format!(
        "cd {} && RUSTFLAGS='-D warnings' CARGO_TARGET_DIR={} CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=0 cargo {}",
        shell_word(&out_dir.display().to_string()),
        shell_word(&env.target_dir.display().to_string()),
        args.join(" ")
    );
    save_log(env, doc, log, &shown, &output);
    if output.status.success() {
        return (Cargo::Ok, secs);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let (errors, first) = first_compiler_error(&stderr);
    (Cargo::Failed { errors, first }, secs)
}

/// The logs of one document: `<stem>.<kind>.txt`. Each run removes the old ones first.
const LOG_KINDS: [&str; 3] = ["codegen", "check", "clippy"];

fn log_path(env: &SweepEnv, doc: &Doc, what: &str) -> PathBuf {
    env.logs.join(format!("{}.{what}.txt", doc.stem))
}

pub(crate) fn save_log(env: &SweepEnv, doc: &Doc, what: &str, shown: &str, output: &Output) {
    let path = log_path(env, doc, what);
    let mut text = format!("$ {shown}\n{}\n--- stdout\n", output.status);
    text.push_str(&String::from_utf8_lossy(&output.stdout));
    text.push_str("--- stderr\n");
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    if let Err(e) = fs::write(&path, text) {
        eprintln!("    note: cannot write `{}`: {e}", path.display());
    }
}

/// From cargo's human-readable stderr: the error count of the `could not compile` line, and the
/// first real error (not the `could not compile` / `aborting` summary) with its `-->` location.
pub fn first_compiler_error(stderr: &str) -> (Option<usize>, String) {
    let lines: Vec<&str> = stderr.lines().collect();
    let is_summary = |line: &str| {
        line.starts_with("error: could not compile")
            || line.starts_with("error: aborting")
            || line.starts_with("error: build failed")
    };
    let first = lines
        .iter()
        .enumerate()
        .find(|(_, line)| line.starts_with("error") && !is_summary(line))
        .map(|(i, line)| {
            let location = lines[i + 1..]
                .iter()
                .take(3)
                .find_map(|next| next.trim_start().strip_prefix("--> "));
            match location {
                Some(location) => format!("{line} at {location}"),
                None => (*line).to_owned(),
            }
        })
        .or_else(|| {
            lines
                .iter()
                .find(|line| line.starts_with("error"))
                .map(|line| (*line).to_owned())
        })
        .unwrap_or_else(|| String::from("(no error line in cargo's output)"));
    let errors = lines.iter().find_map(|line| {
        let rest = line.strip_prefix("error: could not compile")?;
        let (_, count) = rest.split_once(" due to ")?;
        count.split_whitespace().next()?.parse().ok()
    });
    (errors, first)
}

fn cargo_cell(result: &Cargo) -> String {
    match result {
        Cargo::NotRun => String::from("-"),
        Cargo::Ok => String::from("ok"),
        Cargo::Failed { errors, first } => {
            let count = errors.map(|n| format!("×{n} ")).unwrap_or_default();
            format!("FAIL {count}{}", shorten(first, TABLE_MESSAGE_CHARS))
        }
    }
}

/// Cuts `text` to at most `max` characters, marking the cut with `…`.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

fn secs_cell(secs: Option<f64>) -> String {
    secs.map(|s| format!("{s:.1}"))
        .unwrap_or_else(|| String::from("-"))
}

/// The table: one row per document, columns aligned, in Markdown so it can be pasted as is.
pub fn format_table(rows: &[Row], clippy: bool) -> String {
    let mut header = vec![
        "spec", "ops", "types", "warnings", "gen ms", "check", "check s",
    ];
    if clippy {
        header.extend(["clippy", "clippy s"]);
    }
    // Right-aligned: the numbers.
    let right = |column: usize| matches!(column, 1..=4 | 6 | 8);
    let mut cells: Vec<Vec<String>> = Vec::new();
    for row in rows {
        let (ops, types, warnings, check) = match &row.generated {
            Generated::Ok(s) => {
                let ops = if s.generated == s.total {
                    format!("{}/{}", s.generated, s.total)
                } else {
                    format!("{}/{} (!)", s.generated, s.total)
                };
                (
                    ops,
                    s.types.to_string(),
                    s.warnings.to_string(),
                    cargo_cell(&row.check),
                )
            }
            Generated::Skipped(version) => (
                String::from("-"),
                String::from("-"),
                String::from("-"),
                format!("skipped ({version})"),
            ),
            Generated::Failed(message) => (
                String::from("-"),
                String::from("-"),
                String::from("-"),
                format!("FAIL codegen: {}", shorten(message, TABLE_MESSAGE_CHARS)),
            ),
        };
        let mut line = vec![
            row.file_name.clone(),
            ops,
            types,
            warnings,
            row.gen_ms.to_string(),
            check,
            secs_cell(row.check_secs),
        ];
        if clippy {
            line.push(cargo_cell(&row.clippy));
            line.push(secs_cell(row.clippy_secs));
        }
        cells.push(line);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|column| {
            cells
                .iter()
                .map(|line| line[column].chars().count())
                .chain([header[column].chars().count(), 3])
                .max()
                .unwrap_or(3)
        })
        .collect();
    let render = |line: &[String]| {
        let padded: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(column, cell)| {
                let width = widths[column];
                if right(column) {
                    format!("{cell:>width$}")
                } else {
                    format!("{cell:<width$}")
                }
            })
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut table = render(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    // The rule spans each cell's padding too; `:` on the right marks a right-aligned column.
    let rule: Vec<String> = widths
        .iter()
        .enumerate()
        .map(|(column, &width)| {
            if right(column) {
                format!("{}:", "-".repeat(width + 1))
            } else {
                "-".repeat(width + 2)
            }
        })
        .collect();
    table.push_str(&format!("|{}|\n", rule.join("|")));
    for line in &cells {
        table.push_str(&render(line));
    }
    table
}

/// Every failing document with its reasons in full and where its logs are.
pub fn format_failures(rows: &[Row]) -> String {
    let mut text = String::new();
    for row in rows.iter().filter(|row| !row.passed()) {
        if text.is_empty() {
            text.push_str("\nfailures:\n");
        }
        text.push_str(&format!("- {} (logs: {})\n", row.file_name, row.log_hint));
        for reason in row.failures() {
            text.push_str(&format!("    {reason}\n"));
        }
    }
    text
}

/// The last line: how many documents passed, were skipped and failed, and how long it took.
pub fn format_totals(rows: &[Row], selected: usize, elapsed: Duration) -> String {
    let skipped = rows
        .iter()
        .filter(|row| matches!(row.generated, Generated::Skipped(_)))
        .count();
    let failed = rows.iter().filter(|row| !row.passed()).count();
    let passed = rows.len() - skipped - failed;
    let mut line = format!(
        "\nsweep: {passed} passed, {failed} failed, {skipped} skipped of {selected} documents in {:.0} s",
        elapsed.as_secs_f64()
    );
    if rows.len() < selected {
        line.push_str(&format!(" ({} not run)", selected - rows.len()));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(generated: usize, total: usize, types: usize, warnings: usize) -> Summary {
        Summary {
            generated,
            total,
            types,
            warnings,
        }
    }

    fn row(file_name: &str, generated: Generated, check: Cargo) -> Row {
        let ran = check != Cargo::NotRun;
        Row {
            file_name: file_name.to_owned(),
            generated,
            gen_ms: 12,
            check,
            check_secs: ran.then_some(3.25),
            clippy: Cargo::NotRun,
            clippy_secs: None,
            log_hint: String::from("target/sweep-logs/x.*.txt"),
        }
    }

    #[test]
    fn summary_lines_parse_exactly() {
        assert_eq!(
            parse_summary("generated: 3 of 4 operations, 12 types, 0 warnings"),
            Some(summary(3, 4, 12, 0))
        );
        assert_eq!(
            parse_summary("generated: 0 of 0 operations, 0 types, 1 warnings"),
            Some(summary(0, 0, 0, 1))
        );
        for bad in [
            "",
            "generated: 3 of 4 operations, 12 types, 0 warnings ",
            " generated: 3 of 4 operations, 12 types, 0 warnings",
            "generated: 3 of 4 operations, 12 types, 1 warning",
            "generated: 3 of 4 operations, 12 types",
            "generated: -3 of 4 operations, 12 types, 0 warnings",
            "generated: +3 of 4 operations, 12 types, 0 warnings",
            "generated: 03 of 4 operations, 12 types, 0 warnings",
            "generated:  3 of 4 operations, 12 types, 0 warnings",
            "generated: 3 of 4 operations,12 types, 0 warnings",
            "generated: x of 4 operations, 12 types, 0 warnings",
            "Generated: 3 of 4 operations, 12 types, 0 warnings",
        ] {
            assert_eq!(parse_summary(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn codegen_stdout_must_be_exactly_one_summary_line() {
        assert_eq!(
            parse_codegen_stdout("generated: 1 of 1 operations, 2 types, 0 warnings\n"),
            Ok(summary(1, 1, 2, 0))
        );
        let no_newline = parse_codegen_stdout("generated: 1 of 1 operations, 2 types, 0 warnings");
        assert!(no_newline.unwrap_err().contains("newline"));
        let two =
            parse_codegen_stdout("created x\ngenerated: 1 of 1 operations, 2 types, 0 warnings\n");
        assert!(two.unwrap_err().contains("exactly one line"));
        assert!(parse_codegen_stdout("").is_err());
        assert!(parse_codegen_stdout("done\n")
            .unwrap_err()
            .contains("CLI contract"));
    }

    #[test]
    fn document_names_are_json_yaml_and_yml() {
        assert_eq!(document_stem("github-rest.json"), Some("github-rest"));
        assert_eq!(document_stem("a.b.yaml"), Some("a.b"));
        assert_eq!(document_stem("x.yml"), Some("x"));
        assert_eq!(document_stem("X.YAML"), Some("X"));
        assert_eq!(document_stem("MANIFEST.md"), None);
        assert_eq!(document_stem("yaml"), None);
        assert_eq!(document_stem(".yaml"), None);
        assert_eq!(document_stem("a.json.bak"), None);
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-sweep-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("mkdir");
        dir
    }

    #[test]
    fn the_corpus_lists_documents_sorted_by_name() {
        let dir = temp_dir("list");
        for name in ["b.yaml", "a.json", "c.yml", "MANIFEST.md", "notes.txt"] {
            fs::write(dir.join(name), "x").expect("write");
        }
        fs::create_dir_all(dir.join("nested.yaml")).expect("mkdir");
        fs::create_dir_all(dir.join("sub")).expect("mkdir");
        fs::write(dir.join("sub").join("deep.yaml"), "x").expect("write");
        let docs = list_corpus(&dir).expect("list");
        let names: Vec<&str> = docs.iter().map(|d| d.file_name.as_str()).collect();
        assert_eq!(names, ["a.json", "b.yaml", "c.yml"]);
        let stems: Vec<&str> = docs.iter().map(|d| d.stem.as_str()).collect();
        assert_eq!(stems, ["a", "b", "c"]);
        assert_eq!(docs[0].path, dir.join("a.json"));

        let only = select(docs.clone(), Some("b")).expect("by stem");
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].file_name, "b.yaml");
        let only = select(docs.clone(), Some("c.yml")).expect("by file name");
        assert_eq!(only[0].stem, "c");
        let err = select(docs.clone(), Some("zzz")).unwrap_err();
        assert!(err.contains("zzz") && err.contains("a, b, c"), "{err}");
        assert_eq!(select(docs, None).expect("all").len(), 3);

        fs::write(dir.join("a.yaml"), "x").expect("write");
        let err = list_corpus(&dir).unwrap_err();
        assert!(err.contains("`a.json` and `a.yaml`"), "{err}");
        assert!(list_corpus(&dir.join("missing")).is_err());
        fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn the_openapi_version_is_read_from_yaml_and_json() {
        assert_eq!(
            openapi_version("openapi: 3.1.0\ninfo:\n  title: x\n").as_deref(),
            Some("3.1.0")
        );
        assert_eq!(
            openapi_version("# c\ninfo:\n  openapi: 9\nopenapi: \"3.0.1\" # note\n").as_deref(),
            Some("3.0.1")
        );
        assert_eq!(
            openapi_version("openapi: '3.1.1'\n").as_deref(),
            Some("3.1.1")
        );
        assert_eq!(
            openapi_version("{\n  \"openapi\" : \"3.0.3\",\n  \"info\": {}\n}").as_deref(),
            Some("3.0.3")
        );
        assert_eq!(
            openapi_version("{\"info\":{\"x\":\"openapi\"},\"openapi\":\"3.1.0\"}").as_deref(),
            Some("3.1.0")
        );
        assert_eq!(openapi_version("swagger: '2.0'\n"), None);
        assert_eq!(openapi_version("{\"swagger\": \"2.0\"}"), None);
    }

    #[test]
    fn only_declared_versions_are_expected_to_be_refused() {
        // OpenAPI 3.1 is supported: no version may be refused.
        assert_eq!(expected_unsupported(Some("3.1.0")), None);
        assert_eq!(expected_unsupported(Some("3.0.3")), None);
        assert_eq!(expected_unsupported(None), None);

        let name = "/corpus/v3.1/hooks.yaml";
        let refused = "error: /corpus/v3.1/hooks.yaml: OpenAPI 3.1 is not supported\n";
        assert!(refusal_mentions(refused, name, "3.1"));
        let other = "error: /corpus/v3.1/hooks.yaml at #: missing field `paths`\n";
        assert!(!refusal_mentions(other, name, "3.1"));
        let warning_only = "warning: OpenAPI 3.1 features ignored\nerror: bad\n";
        assert!(!refusal_mentions(warning_only, name, "3.1"));
    }

    #[test]
    fn codegen_errors_are_shortened_to_the_file_name() {
        let stderr =
            "warning: x\nerror: /c/a.yaml at #: missing field `paths`\nerror: cannot generate\n";
        assert_eq!(
            first_codegen_error(stderr, "/c/a.yaml"),
            "error: a.yaml at #: missing field `paths`"
        );
        assert_eq!(
            first_codegen_error("", "/c/a.yaml"),
            "(no output on stderr)"
        );
        assert_eq!(first_codegen_error("panicked\n", "/c/a.yaml"), "panicked");
    }

    #[test]
    fn the_first_compiler_error_comes_with_its_location_and_the_count() {
        let stderr = "\
    Checking x-client v0.1.0 (/tmp/x)
warning: unused
error[E0412]: cannot find type `Foo` in this scope
  --> src/types.rs:12:5
   |
12 |     a: Foo,
error[E0428]: the name `Bar` is defined multiple times
  --> src/types.rs:40:1
error: could not compile `x-client` (lib) due to 2 previous errors; 1 warning emitted
";
        assert_eq!(
            first_compiler_error(stderr),
            (
                Some(2),
                String::from(
                    "error[E0412]: cannot find type `Foo` in this scope at src/types.rs:12:5"
                )
            )
        );
        let one =
            "error: unused import\nerror: could not compile `x` (lib) due to 1 previous error\n";
        assert_eq!(
            first_compiler_error(one),
            (Some(1), String::from("error: unused import"))
        );
        let manifest = "error: failed to parse manifest at `/tmp/x/Cargo.toml`\n";
        assert_eq!(
            first_compiler_error(manifest),
            (
                None,
                String::from("error: failed to parse manifest at `/tmp/x/Cargo.toml`")
            )
        );
        assert_eq!(
            first_compiler_error("boom\n").1,
            "(no error line in cargo's output)"
        );
    }

    #[test]
    fn rows_pass_only_when_complete_and_checked_or_expectedly_skipped() {
        let ok = row("a.yaml", Generated::Ok(summary(2, 2, 3, 0)), Cargo::Ok);
        assert!(ok.passed() && ok.failures().is_empty());
        let skipped = row("w.yaml", Generated::Skipped("3.1"), Cargo::NotRun);
        assert!(skipped.passed());
        let partial = row("p.yaml", Generated::Ok(summary(1, 2, 3, 0)), Cargo::Ok);
        assert!(!partial.passed());
        assert_eq!(partial.failures(), ["codegen: left out 1 of 2 operations"]);
        let refused = row(
            "r.yaml",
            Generated::Failed(String::from("error: x")),
            Cargo::NotRun,
        );
        assert!(!refused.passed());
        assert_eq!(refused.failures(), ["codegen: error: x"]);
        let broken = row(
            "b.json",
            Generated::Ok(summary(2, 2, 3, 1)),
            Cargo::Failed {
                errors: Some(4),
                first: String::from("error[E0412]: cannot find type `Foo`"),
            },
        );
        assert!(!broken.passed());
        assert_eq!(
            broken.failures(),
            ["cargo check (4 errors): error[E0412]: cannot find type `Foo`"]
        );
        let mut linted = ok.clone();
        linted.clippy = Cargo::Failed {
            errors: Some(1),
            first: String::from("error: needless borrow"),
        };
        assert!(!linted.passed());
        assert_eq!(
            linted.failures(),
            ["cargo clippy (1 error): error: needless borrow"]
        );
    }

    #[test]
    fn the_table_is_aligned_markdown() {
        let rows = [
            row("a.yaml", Generated::Ok(summary(2, 2, 3, 0)), Cargo::Ok),
            row("webhook.yaml", Generated::Skipped("3.1"), Cargo::NotRun),
            row("p.json", Generated::Ok(summary(1, 20, 130, 4)), Cargo::Ok),
            row(
                "r.yml",
                Generated::Failed(String::from("error: r.yml at #: missing field `paths`")),
                Cargo::NotRun,
            ),
            row(
                "b.json",
                Generated::Ok(summary(2, 2, 3, 1)),
                Cargo::Failed {
                    errors: Some(4),
                    first: String::from("error[E0412]: cannot find type `Foo`"),
                },
            ),
        ];
        let table = format_table(&rows, false);
        let expected = "\
| spec         |      ops | types | warnings | gen ms | check                                                  | check s |
|--------------|---------:|------:|---------:|-------:|--------------------------------------------------------|--------:|
| a.yaml       |      2/2 |     3 |        0 |     12 | ok                                                     |     3.2 |
| webhook.yaml |        - |     - |        - |     12 | skipped (3.1)                                          |       - |
| p.json       | 1/20 (!) |   130 |        4 |     12 | ok                                                     |     3.2 |
| r.yml        |        - |     - |        - |     12 | FAIL codegen: error: r.yml at #: missing field `paths` |       - |
| b.json       |      2/2 |     3 |        1 |     12 | FAIL ×4 error[E0412]: cannot find type `Foo`           |     3.2 |
";
        assert_eq!(table, expected, "\n{table}");

        let mut linted = rows[0].clone();
        linted.clippy = Cargo::Ok;
        linted.clippy_secs = Some(1.0);
        let with_clippy = format_table(&[linted], true);
        assert!(
            with_clippy.starts_with("| spec   | ops | types | warnings | gen ms | check | check s | clippy | clippy s |\n"),
            "\n{with_clippy}"
        );
        assert!(
            with_clippy.ends_with("| ok     |      1.0 |\n"),
            "\n{with_clippy}"
        );
    }

    #[test]
    fn long_messages_are_shortened_in_the_table_only() {
        assert_eq!(shorten("abcdef", 6), "abcdef");
        assert_eq!(shorten("abcdefg", 6), "abcde…");
        let long = "e".repeat(200);
        let rows = [row(
            "x.json",
            Generated::Ok(summary(1, 1, 1, 0)),
            Cargo::Failed {
                errors: None,
                first: long.clone(),
            },
        )];
        let table = format_table(&rows, false);
        assert!(!table.contains(&long));
        assert!(table.contains('…'));
        let failures = format_failures(&rows);
        assert!(failures.contains(&long), "{failures}");
        assert!(failures.starts_with("\nfailures:\n- x.json (logs: "));
    }

    #[test]
    fn totals_count_passed_failed_skipped_and_not_run() {
        let rows = [
            row("a.yaml", Generated::Ok(summary(2, 2, 3, 0)), Cargo::Ok),
            row("w.yaml", Generated::Skipped("3.1"), Cargo::NotRun),
            row("r.yml", Generated::Failed(String::from("x")), Cargo::NotRun),
        ];
        assert_eq!(
            format_totals(&rows, 5, Duration::from_secs(61)),
            "\nsweep: 1 passed, 1 failed, 1 skipped of 5 documents in 61 s (2 not run)"
        );
    }
}
