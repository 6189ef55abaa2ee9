//! `cargo xtask bench`: wall time and peak memory of the generator on large documents.
//!
//! One run of the command
//!
//! 1. builds the release `xtask` (`cargo build --release -p xtask`): every measurement runs in a
//!    child process of that binary, `xtask bench-one --mode M --spec FILE ...` (a hidden
//!    subcommand), so each has its own fresh heap and its own peak memory;
//! 2. installs GitHub's current description, the npm package `@octokit/openapi@23.0.2`, into
//!    `target/bench/octokit/` when it is not there yet (`npm install --no-save --prefix`);
//! 3. measures, for every document, `--runs N` times (the median is reported), after one
//!    warm-up run of each measurement that is not counted:
//!    - **floor**: read the file and deserialise it straight into `openapiv3::OpenAPI`
//!      (`serde_json` for JSON, `serde_yaml` for YAML). When that fails on a document (real
//!      documents are often invalid), the floor is read + `codegen::load::load` (parse to a
//!      `serde_json::Value`, repair, deserialise) and the table marks it;
//!    - **generate**: `cargo xtask codegen --spec FILE --out DIR` into an emptied `DIR`, so every
//!      file is written;
//!    - **check**: `cargo xtask codegen --check` against the files just written (no writes);
//!    - **progenitor**: `cargo progenitor` on the same document, when `cargo-progenitor` is on
//!      the `PATH`, after every other measurement of every document (its memory churn slows
//!      the process after it down);
//! 4. with `--check-crate`, generates the GitHub client into `target/bench/github-client/`,
//!    `cargo check`s it once to build its dependencies (shared target directory
//!    `target/bench-target/`), touches `src/lib.rs` and times a second `cargo check`, with its
//!    peak memory from `/usr/bin/time -v` when that exists;
//! 5. prints a table (stdout) and the targets beside the figures.
//!
//! Times are measured inside the child, from before the file is read to after the result is
//! freed: process start-up is left out. Peak memory is the child's `VmHWM` from
//! `/proc/self/status` (Linux only; elsewhere it shows as `-`), the maximum over the runs.
//!
//! The ratio to the floor is judged against both the median floor and the fastest floor run:
//! the floor is the figure this machine's noise moves most, and a slow floor must not flatter
//! the generator. The targets are reported, never enforced: the exit code is 1 only when a
//! measurement could not be made (a document that fails to generate, a child that crashed), 2
//! on a usage error.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Instant, SystemTime};

use clap::{Args, ValueEnum};

use crate::{codegen_cmd, npm};

/// The npm package and version of GitHub's description.
const OCTOKIT_PACKAGE: &str = "@octokit/openapi@23.0.2";
/// The document inside the package.
const OCTOKIT_FILE: &str = "node_modules/@octokit/openapi/generated/api.github.com.json";
/// The label of GitHub's description in the table (and its crate is `github-client`).
const GITHUB_LABEL: &str = "github";
/// The largest documents of the corpus, by file name.
const CORPUS_DOCUMENTS: &[&str] = &[
    "github-rest.json",
    "box-platform.json",
    "xero-accounting.yaml",
    "linode-api.yaml",
    "oxide-nexus.json",
];
/// The prefix of the one stdout line of `bench-one` that carries its figures.
const ONE_LINE_PREFIX: &str = "bench-one: ";
/// The exit code of `bench-one --mode floor-raw` when `openapiv3` cannot read the document.
const RAW_PARSE_FAILED: u8 = 3;

/// `cargo xtask bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// How many times to measure each figure; the median is reported.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// Also time `cargo check` of the generated GitHub crate (takes minutes the first time).
    #[arg(long)]
    check_crate: bool,
    /// Measure only this document: `walletkit`, `github`, or a corpus file name or stem.
    #[arg(long, value_name = "NAME")]
    only: Option<String>,
    /// The corpus directory [default: ../shared/corpus from the workspace root].
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
}

/// The hidden `bench-one` subcommand: one measurement, in its own process.
#[derive(Debug, Args)]
pub struct BenchOneArgs {
    #[arg(long, value_enum)]
    mode: OneMode,
    #[arg(long, value_name = "FILE")]
    spec: PathBuf,
    /// The output directory (`generate` and `check`).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The package name of the generated crate (`generate` and `check`).
    #[arg(long, value_name = "CRATE")]
    name: Option<String>,
}

/// What one `bench-one` process measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OneMode {
    /// Read + `serde_json`/`serde_yaml` straight into `openapiv3::OpenAPI`.
    FloorRaw,
    /// Read + `codegen::load::load`.
    FloorLoad,
    /// `cargo xtask codegen --spec FILE --out DIR`.
    Generate,
    /// `cargo xtask codegen --spec FILE --out DIR --check`.
    Check,
}

impl OneMode {
    fn arg(self) -> &'static str {
        match self {
            OneMode::FloorRaw => "floor-raw",
            OneMode::FloorLoad => "floor-load",
            OneMode::Generate => "generate",
            OneMode::Check => "check",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The child: `xtask bench-one`.

/// Runs one measurement and prints `bench-one: ms=<ms> peak_kb=<kB or ->` on stdout.
pub fn run_one(args: BenchOneArgs) -> ExitCode {
    let started = Instant::now();
    let result = match args.mode {
        OneMode::FloorRaw => floor_raw(&args.spec),
        OneMode::FloorLoad => floor_load(&args.spec),
        OneMode::Generate | OneMode::Check => {
            let (Some(out), Some(name)) = (&args.out, &args.name) else {
                eprintln!("error: bench-one --mode generate/check needs --out and --name");
                return ExitCode::from(2);
            };
            let job = match codegen_cmd::Job::custom(&args.spec, out, Some(name), false) {
                Ok(job) => job,
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
            };
            let mode = if args.mode == OneMode::Check {
                codegen_cmd::Mode::Check
            } else {
                codegen_cmd::Mode::Write
            };
            match codegen_cmd::run(&job, mode) {
                codegen_cmd::Outcome::Ok => Ok(()),
                outcome => return outcome.exit_code(),
            }
        }
    };
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Err((code, message)) = result {
        eprintln!("error: {message}");
        return ExitCode::from(code);
    }
    let peak_kb = fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| parse_vm_hwm(&status));
    println!("{}", format_one_line(ms, peak_kb));
    ExitCode::SUCCESS
}

fn read_spec(spec: &Path) -> Result<String, (u8, String)> {
    fs::read_to_string(spec).map_err(|e| (2, format!("cannot read `{}`: {e}", spec.display())))
}

/// Whether the text is JSON, the way `codegen::load` tells: its first non-blank character.
fn is_json(text: &str) -> bool {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .trim_start()
        .starts_with('{')
}

fn floor_raw(spec: &Path) -> Result<(), (u8, String)> {
    let text = read_spec(spec)?;
    let parsed = if is_json(&text) {
        serde_json::from_str::<openapiv3::OpenAPI>(&text).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_str::<openapiv3::OpenAPI>(&text).map_err(|e| e.to_string())
    };
    match parsed {
        Ok(document) => {
            drop(document);
            Ok(())
        }
        Err(message) => Err((RAW_PARSE_FAILED, message)),
    }
}

fn floor_load(spec: &Path) -> Result<(), (u8, String)> {
    let text = read_spec(spec)?;
    let name = spec.display().to_string();
    let source = codegen::Source {
        name: &name,
        text: &text,
    };
    match codegen::load::load(source) {
        Ok(loaded) => {
            drop(loaded);
            Ok(())
        }
        Err(failure) => Err((2, failure.to_string())),
    }
}

/// The `VmHWM` (peak resident set size) of a `/proc/<pid>/status` text, in kB.
pub fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let value = line["VmHWM:".len()..].trim();
    let number = value.strip_suffix("kB").unwrap_or(value).trim();
    number.parse().ok()
}

/// The one figures line of `bench-one`.
pub fn format_one_line(ms: f64, peak_kb: Option<u64>) -> String {
    let peak = peak_kb.map_or_else(|| String::from("-"), |kb| kb.to_string());
    format!("{ONE_LINE_PREFIX}ms={ms:.3} peak_kb={peak}")
}

/// The figures of a `bench-one` stdout: its last `bench-one:` line.
pub fn parse_one_output(stdout: &str) -> Option<Sample> {
    let line = stdout
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix(ONE_LINE_PREFIX))?;
    let mut ms = None;
    let mut peak_kb = None;
    for field in line.split_whitespace() {
        if let Some(value) = field.strip_prefix("ms=") {
            ms = Some(value.parse::<f64>().ok().filter(|ms| ms.is_finite())?);
        } else if let Some(value) = field.strip_prefix("peak_kb=") {
            peak_kb = Some(if value == "-" {
                None
            } else {
                Some(value.parse::<u64>().ok()?)
            });
        }
    }
    Some(Sample {
        ms: ms?,
        peak_kb: peak_kb?,
    })
}

// ---------------------------------------------------------------------------------------------
// Figures.

/// One measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub ms: f64,
    pub peak_kb: Option<u64>,
}

/// The summary of several runs: the median time, the fastest run and the highest peak.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    pub ms: f64,
    /// The fastest run: noise on this machine only ever adds time, so for the floor, the
    /// least a parse can cost, this is the steadier figure.
    pub min_ms: f64,
    pub peak_kb: Option<u64>,
}

/// The median (the mean of the two middle values for an even count); `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The median and fastest time and the maximum peak of the samples; `None` when there are
/// none.
pub fn summarize(samples: &[Sample]) -> Option<Measured> {
    let times: Vec<f64> = samples.iter().map(|s| s.ms).collect();
    Some(Measured {
        ms: median(&times)?,
        min_ms: times.iter().copied().fold(f64::INFINITY, f64::min),
        peak_kb: samples.iter().filter_map(|s| s.peak_kb).max(),
    })
}

/// One figure of the table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Measured(Measured),
    Failed(String),
    NotRun,
}

impl Cell {
    fn measured(&self) -> Option<Measured> {
        match self {
            Cell::Measured(m) => Some(*m),
            _ => None,
        }
    }
}

/// How the floor of a document was measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FloorKind {
    /// Straight `openapiv3` deserialisation.
    Raw,
    /// `codegen::load::load`, because the straight deserialisation failed with this message.
    Load(String),
}

/// The progenitor column.
#[derive(Debug, Clone, PartialEq)]
pub enum Progenitor {
    NotInstalled,
    Ms(f64),
    Failed(String),
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub size_bytes: u64,
    pub floor_kind: FloorKind,
    pub floor: Cell,
    pub generate: Cell,
    pub check: Cell,
    pub progenitor: Progenitor,
    /// Lines of the generated `.rs` files.
    pub rust_lines: Option<usize>,
}

/// Milliseconds with about three significant digits.
pub fn format_ms(ms: f64) -> String {
    if ms < 10.0 {
        format!("{ms:.2}")
    } else if ms < 100.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.0}")
    }
}

fn format_mb(kb: Option<u64>) -> String {
    kb.map_or_else(
        || String::from("-"),
        |kb| format!("{:.0}", kb as f64 / 1024.0),
    )
}

fn ratio_cell(cell: &Cell, floor: &Cell) -> String {
    match (cell, floor.measured()) {
        (Cell::Measured(m), Some(f)) if f.ms > 0.0 => {
            format!("{} ({:.1}x)", format_ms(m.ms), m.ms / f.ms)
        }
        (Cell::Measured(m), _) => format_ms(m.ms),
        (Cell::Failed(_), _) => String::from("FAIL"),
        (Cell::NotRun, _) => String::from("-"),
    }
}

/// The table: a header, a rule and one line per row, columns padded to their widest cell.
pub fn format_table(rows: &[Row]) -> String {
    let header = [
        "spec",
        "size MB",
        "floor ms",
        "generate ms (x floor)",
        "check ms (x floor)",
        "peak MB",
        "floor peak MB",
        "progenitor ms",
        "Rust lines",
    ];
    let mut lines: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for row in rows {
        let floor = match (&row.floor, &row.floor_kind) {
            (Cell::Measured(m), FloorKind::Raw) => format_ms(m.ms),
            (Cell::Measured(m), FloorKind::Load(_)) => format!("{}*", format_ms(m.ms)),
            (Cell::Failed(_), _) => String::from("FAIL"),
            (Cell::NotRun, _) => String::from("-"),
        };
        let progenitor = match &row.progenitor {
            Progenitor::NotInstalled => String::from("not installed"),
            Progenitor::Ms(ms) => format_ms(*ms),
            Progenitor::Failed(_) => String::from("FAIL"),
        };
        lines.push(vec![
            row.label.clone(),
            format!("{:.1}", row.size_bytes as f64 / 1_000_000.0),
            floor,
            ratio_cell(&row.generate, &row.floor),
            ratio_cell(&row.check, &row.floor),
            format_mb(row.generate.measured().and_then(|m| m.peak_kb)),
            format_mb(row.floor.measured().and_then(|m| m.peak_kb)),
            progenitor,
            row.rust_lines
                .map_or_else(|| String::from("-"), |n| n.to_string()),
        ]);
    }
    let columns = header.len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            lines
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let mut text = String::new();
        for (c, cell) in line.iter().enumerate() {
            if c > 0 {
                text.push_str(" | ");
            }
            let pad = widths[c] - cell.chars().count();
            // The first column is text (left-aligned); the others are figures (right-aligned).
            if c == 0 {
                text.push_str(cell);
                text.push_str(&" ".repeat(pad));
            } else {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("-+-"));
            out.push('\n');
        }
    }
    out
}

/// The `cargo check` of the generated GitHub crate.
#[derive(Debug, Clone, PartialEq)]
pub struct CrateCheck {
    pub rust_lines: usize,
    pub rust_files: usize,
    /// The first `cargo check`, which also builds the dependencies (unless already built).
    pub warm_secs: f64,
    /// The second `cargo check`, after touching `src/lib.rs`.
    pub secs: f64,
    /// Peak resident memory of the second check (its largest process, i.e. rustc), from
    /// `/usr/bin/time -v`.
    pub peak_kb: Option<u64>,
}

/// Whether a target is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Missed,
    NotMeasured,
}

/// One target and how the figures compare to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub goal: String,
    pub actual: String,
    pub verdict: Verdict,
}

fn target(goal: &str, actual: Option<(String, bool)>) -> Target {
    match actual {
        Some((actual, met)) => Target {
            goal: goal.to_owned(),
            actual,
            verdict: if met { Verdict::Met } else { Verdict::Missed },
        },
        None => Target {
            goal: goal.to_owned(),
            actual: String::from("not measured"),
            verdict: Verdict::NotMeasured,
        },
    }
}

/// The targets of the issue "Fast at any scale", judged against the figures.
pub fn targets(rows: &[Row], crate_check: Option<&CrateCheck>) -> Vec<Target> {
    let find = |label: &str| rows.iter().find(|row| row.label == label);
    let github = find(GITHUB_LABEL);
    let github_generate = github.and_then(|row| row.generate.measured());
    let github_floor = github.and_then(|row| row.floor.measured());
    let walletkit_generate = find("walletkit").and_then(|row| row.generate.measured());

    let mut list = vec![
        target(
            "GitHub 13 MB: generate < 1 s",
            github_generate.map(|g| (format!("{} ms", format_ms(g.ms)), g.ms < 1000.0)),
        ),
        target(
            "GitHub 13 MB: peak memory < 300 MB",
            github_generate
                .and_then(|g| g.peak_kb)
                .map(|kb| (format!("{} MB", format_mb(Some(kb))), kb < 300 * 1024)),
        ),
        // Judged against the fastest floor run as well as the median: the floor is the
        // figure this machine's noise moves most (GitHub's took 120 to 450 ms within one
        // run), and a slow floor must not make a slow generator look fast.
        target(
            "GitHub 13 MB: generate <= 3x floor",
            github_generate
                .zip(github_floor)
                .filter(|(_, f)| f.min_ms > 0.0)
                .map(|(g, f)| {
                    let ratio = g.ms / f.ms;
                    let strict = g.ms / f.min_ms;
                    (
                        format!(
                            "{ratio:.1}x; {strict:.1}x against the fastest floor run ({} ms)",
                            format_ms(f.min_ms)
                        ),
                        ratio <= 3.0 && strict <= 3.0,
                    )
                }),
        ),
        target(
            "WalletKit: generate < 50 ms",
            walletkit_generate.map(|g| (format!("{} ms", format_ms(g.ms)), g.ms < 50.0)),
        ),
    ];
    let pairs: Vec<(&str, Measured, Measured)> = rows
        .iter()
        .filter_map(|row| {
            Some((
                row.label.as_str(),
                row.check.measured()?,
                row.generate.measured()?,
            ))
        })
        .collect();
    let check_vs_generate = (!pairs.is_empty()).then(|| {
        let slower: Vec<String> = pairs
            .iter()
            .filter(|(_, c, g)| c.ms > g.ms)
            .map(|(label, c, g)| format!("{label} {:.2}x", c.ms / g.ms))
            .collect();
        if slower.is_empty() {
            (format!("all {} documents", pairs.len()), true)
        } else {
            (format!("slower on {}", slower.join(", ")), false)
        }
    });
    list.push(target("--check <= generate", check_vs_generate));
    list.push(target(
        "GitHub crate: cargo check < 3 min",
        crate_check.map(|c| (format!("{:.1} s", c.secs), c.secs < 180.0)),
    ));
    list.push(target(
        "GitHub crate: cargo check peak < 4 GB",
        crate_check
            .and_then(|c| c.peak_kb)
            .map(|kb| (format!("{} MB", format_mb(Some(kb))), kb < 4 * 1024 * 1024)),
    ));
    list
}

/// The targets as lines: `  [ok]     goal: actual`.
pub fn format_targets(targets: &[Target]) -> String {
    let width = targets.iter().map(|t| t.goal.len()).max().unwrap_or(0);
    let mut out = String::from("targets:\n");
    for t in targets {
        let mark = match t.verdict {
            Verdict::Met => "[ok]    ",
            Verdict::Missed => "[MISSED]",
            Verdict::NotMeasured => "[-]     ",
        };
        let _ = writeln!(out, "  {mark} {:width$}  {}", t.goal, t.actual);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The parent: `cargo xtask bench`.

/// One document to measure.
#[derive(Debug, Clone)]
struct Doc {
    label: String,
    path: PathBuf,
    /// The generated crate's directory and package name.
    out_dir: PathBuf,
    crate_name: String,
}

struct Env {
    root: PathBuf,
    /// The release `xtask`.
    exe: PathBuf,
    progenitor: Option<PathBuf>,
    runs: u32,
}

/// `cargo xtask bench`: 0 when every figure was measured, 1 when one failed, 2 on bad usage.
pub fn run(root: &Path, args: BenchArgs) -> ExitCode {
    match bench(root, &args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn bench(root: &Path, args: &BenchArgs) -> Result<bool, String> {
    let corpus = args
        .corpus
        .clone()
        .unwrap_or_else(|| root.join("..").join("shared").join("corpus"));
    let bench_dir = root.join("target").join("bench");
    let wanted = |label: &str, file_name: &str| match &args.only {
        None => true,
        Some(only) => only == label || only == file_name,
    };

    let mut docs = Vec::new();
    let mut notes = Vec::new();
    let doc = |label: &str, path: PathBuf| Doc {
        label: label.to_owned(),
        path,
        out_dir: bench_dir.join(format!("{label}-client")),
        crate_name: format!("{label}-client"),
    };
    if wanted("walletkit", "walletkit.yaml") {
        docs.push(doc("walletkit", root.join("spec").join("walletkit.yaml")));
    }
    for file_name in CORPUS_DOCUMENTS {
        let stem = file_name
            .rsplit_once('.')
            .map_or(*file_name, |(stem, _)| stem);
        if !wanted(stem, file_name) {
            continue;
        }
        let path = corpus.join(file_name);
        if path.is_file() {
            docs.push(doc(stem, path));
        } else {
            notes.push(format!("{stem}: skipped, `{}` not found", path.display()));
        }
    }
    let github_wanted = wanted(GITHUB_LABEL, "api.github.com.json");
    let github_path = bench_dir.join("octokit").join(OCTOKIT_FILE);
    if github_wanted || args.check_crate {
        if let Err(message) = install_octokit(&bench_dir.join("octokit"), &github_path) {
            notes.push(format!("{GITHUB_LABEL}: skipped, {message}"));
        }
    }
    if github_wanted && github_path.is_file() {
        docs.push(doc(GITHUB_LABEL, github_path.clone()));
    }
    if docs.is_empty() && !args.check_crate {
        return Err(match &args.only {
            Some(only) => format!(
                "--only `{only}`: no such document; the documents are: walletkit, {}, {GITHUB_LABEL}",
                CORPUS_DOCUMENTS.join(", ")
            ),
            None => String::from("no document to measure"),
        });
    }

    let exe = build_release(root)?;
    let progenitor = find_in_path("cargo-progenitor");
    let env = Env {
        root: root.to_path_buf(),
        exe,
        progenitor,
        runs: args.runs,
    };
    let load_before = load_average();
    eprintln!(
        "bench: {} document(s), {} run(s) each, {} CPU(s), load average {}",
        docs.len(),
        env.runs,
        cpus(),
        load_before.as_deref().unwrap_or("unknown")
    );
    let started = Instant::now();
    let mut rows: Vec<Row> = docs.iter().map(|doc| bench_doc(&env, doc)).collect();
    // After every other measurement: progenitor allocates and frees gigabytes on the largest
    // documents, and on this VM the process after it then pays for fresh pages many times
    // over (a GitHub floor run measured 116 ms in a quiet loop and 343-387 ms right after
    // progenitor), which flattered the ratio to the floor.
    if let Some(exe) = &env.progenitor {
        for (row, doc) in rows.iter_mut().zip(&docs) {
            row.progenitor = bench_progenitor(&env, exe, doc);
        }
    }

    let crate_check = if args.check_crate {
        if github_path.is_file() {
            match check_crate(&env, &doc(GITHUB_LABEL, github_path)) {
                Ok(check) => Some(check),
                Err(message) => {
                    notes.push(format!("--check-crate: {message}"));
                    None
                }
            }
        } else {
            None
        }
    } else {
        None
    };
    let load_after = load_average();

    println!();
    print!("{}", format_table(&rows));
    println!(
        "median of {} run(s); times measured inside a child process of the release xtask, from \
         before reading the file to after freeing the result; peak = VmHWM (Linux only), the \
         highest over the runs",
        env.runs
    );
    for row in &rows {
        if let FloorKind::Load(reason) = &row.floor_kind {
            println!(
                "* {}: floor = read + codegen::load::load (parse to serde_json::Value, repair, \
                 deserialise): the straight openapiv3 deserialisation fails: {}",
                row.label,
                shorten(reason, 160)
            );
        }
    }
    if env.progenitor.is_none() {
        println!("progenitor: not installed (cargo install cargo-progenitor)");
    }
    let mut failed = false;
    for row in &rows {
        for (what, cell) in [
            ("floor", &row.floor),
            ("generate", &row.generate),
            ("check", &row.check),
        ] {
            if let Cell::Failed(message) = cell {
                failed = true;
                println!("FAIL {} {what}: {message}", row.label);
            }
        }
        if let Progenitor::Failed(message) = &row.progenitor {
            println!("progenitor failed on {}: {message}", row.label);
        }
    }
    if let Some(check) = &crate_check {
        println!(
            "generated GitHub crate (target/bench/github-client): {} lines of Rust in {} files; \
             cargo check with dependencies built: {:.1} s, peak {} MB (first check, building \
             the dependencies too: {:.1} s)",
            check.rust_lines,
            check.rust_files,
            check.secs,
            format_mb(check.peak_kb),
            check.warm_secs
        );
    }
    for note in &notes {
        println!("note: {note}");
    }
    println!(
        "machine: {} CPU(s); load average before {}, after {}; total {:.0} s",
        cpus(),
        load_before.as_deref().unwrap_or("unknown"),
        load_after.as_deref().unwrap_or("unknown"),
        started.elapsed().as_secs_f64()
    );
    println!();
    print!("{}", format_targets(&targets(&rows, crate_check.as_ref())));
    let crate_check_failed = args.check_crate && crate_check.is_none();
    Ok(!failed && !crate_check_failed)
}

/// Installs `@octokit/openapi` into `dir` unless `file` is already there.
fn install_octokit(dir: &Path, file: &Path) -> Result<(), String> {
    npm::install(dir, OCTOKIT_PACKAGE, file, "bench")
}

/// The cargo that runs us.
fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Builds the release `xtask` and returns its path.
pub(crate) fn build_release(root: &Path) -> Result<PathBuf, String> {
    eprintln!("cargo build --release -p xtask");
    let status = Command::new(cargo())
        .args(["build", "--release", "-p", "xtask"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run `cargo build --release -p xtask`: {e}"))?;
    if !status.success() {
        return Err(format!(
            "`cargo build --release -p xtask` failed ({status})"
        ));
    }
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_relative() {
                root.join(dir)
            } else {
                dir
            }
        })
        .unwrap_or_else(|| root.join("target"));
    let exe = target_dir
        .join("release")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    if exe.is_file() {
        Ok(exe)
    } else {
        Err(format!("the release build is not at `{}`", exe.display()))
    }
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(&file))
        .find(|path| path.is_file())
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The 1, 5 and 15 minute load averages (Linux).
fn load_average() -> Option<String> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    let fields: Vec<&str> = text.split_whitespace().take(3).collect();
    (fields.len() == 3).then(|| fields.join(" "))
}

/// Runs `xtask bench-one` once.
fn one(env: &Env, doc: &Doc, mode: OneMode) -> Result<Sample, (Option<i32>, String)> {
    let mut command = Command::new(&env.exe);
    command
        .args(["bench-one", "--mode", mode.arg(), "--spec"])
        .arg(&doc.path)
        .arg("--out")
        .arg(&doc.out_dir)
        .args(["--name", &doc.crate_name])
        .current_dir(&env.root)
        .stdin(Stdio::null());
    let output = command
        .output()
        .map_err(|e| (None, format!("cannot run `{}`: {e}", env.exe.display())))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let first = stderr
            .lines()
            .find(|line| line.trim_start().starts_with("error"))
            .or_else(|| stderr.lines().find(|line| !line.trim().is_empty()))
            .unwrap_or("(no output on stderr)");
        return Err((
            output.status.code(),
            format!("{} ({})", first.trim(), output.status),
        ));
    }
    parse_one_output(&stdout).ok_or_else(|| {
        (
            None,
            format!("no `{ONE_LINE_PREFIX}` line in the output: {stdout:?}"),
        )
    })
}

/// Removes the generated files of a crate directory (`Cargo.toml` and `src/`), keeping the
/// rest (its `Cargo.lock`), so the next generation writes every file.
fn clear_generated(out_dir: &Path) -> Result<(), String> {
    let src = out_dir.join("src");
    if src.exists() {
        fs::remove_dir_all(&src).map_err(|e| format!("cannot remove `{}`: {e}", src.display()))?;
    }
    let manifest = out_dir.join("Cargo.toml");
    if manifest.exists() {
        fs::remove_file(&manifest)
            .map_err(|e| format!("cannot remove `{}`: {e}", manifest.display()))?;
    }
    Ok(())
}

struct Series {
    samples: Vec<Sample>,
    error: Option<String>,
}

impl Series {
    fn new() -> Self {
        Series {
            samples: Vec::new(),
            error: None,
        }
    }

    fn push(&mut self, result: Result<Sample, String>) -> Option<Sample> {
        match result {
            Ok(sample) => {
                self.samples.push(sample);
                Some(sample)
            }
            Err(message) => {
                self.error.get_or_insert(message);
                None
            }
        }
    }

    fn cell(&self, ran: bool) -> Cell {
        match (&self.error, summarize(&self.samples)) {
            (Some(message), _) => Cell::Failed(message.clone()),
            (None, Some(measured)) => Cell::Measured(measured),
            (None, None) if ran => Cell::Failed(String::from("no sample")),
            (None, None) => Cell::NotRun,
        }
    }
}

fn bench_doc(env: &Env, doc: &Doc) -> Row {
    let size_bytes = fs::metadata(&doc.path).map_or(0, |m| m.len());
    eprintln!(
        "==> {} ({:.1} MB, {})",
        doc.label,
        size_bytes as f64 / 1_000_000.0,
        doc.path.display()
    );
    let mut floor_kind = FloorKind::Raw;
    let mut floor = Series::new();
    let mut generate = Series::new();
    let mut check = Series::new();
    // One run of each, not counted: the first run after the build pays for reading the fresh
    // binary and the document from disk, which is not the generator's time.
    let _ = one(env, doc, OneMode::FloorRaw);
    if clear_generated(&doc.out_dir).is_ok() && one(env, doc, OneMode::Generate).is_ok() {
        let _ = one(env, doc, OneMode::Check);
    }
    eprintln!("    warm-up run of each (not counted)");
    for run in 1..=env.runs {
        let mut line = format!("    run {run}/{}:", env.runs);

        let floor_mode = match floor_kind {
            FloorKind::Raw => OneMode::FloorRaw,
            FloorKind::Load(_) => OneMode::FloorLoad,
        };
        let mut result = one(env, doc, floor_mode);
        if let Err((Some(code), message)) = &result {
            if floor_mode == OneMode::FloorRaw && *code == i32::from(RAW_PARSE_FAILED) {
                floor_kind = FloorKind::Load(message.clone());
                result = one(env, doc, OneMode::FloorLoad);
            }
        }
        if let Some(s) = floor.push(result.map_err(|(_, m)| m)) {
            let _ = write!(line, " floor {} ms", format_ms(s.ms));
        }

        let result = clear_generated(&doc.out_dir)
            .and_then(|()| one(env, doc, OneMode::Generate).map_err(|(_, message)| message));
        let generated = result.is_ok();
        if let Some(s) = generate.push(result) {
            let _ = write!(line, ", generate {} ms", format_ms(s.ms));
        }
        if generated {
            if let Some(s) = check.push(one(env, doc, OneMode::Check).map_err(|(_, m)| m)) {
                let _ = write!(line, ", check {} ms", format_ms(s.ms));
            }
        }

        eprintln!("{line}");
    }
    let generated_ok = generate.error.is_none();
    Row {
        label: doc.label.clone(),
        size_bytes,
        floor_kind,
        floor: floor.cell(true),
        generate: generate.cell(true),
        check: check.cell(generated_ok),
        progenitor: Progenitor::NotInstalled,
        rust_lines: generated_ok
            .then(|| count_rust_lines(&doc.out_dir.join("src")).map(|(lines, _)| lines))
            .flatten(),
    }
}

/// progenitor's column for one document: `--runs` runs, the median.
fn bench_progenitor(env: &Env, exe: &Path, doc: &Doc) -> Progenitor {
    let mut times = Vec::new();
    for run in 1..=env.runs {
        match time_progenitor(env, exe, doc) {
            Ok(ms) => {
                eprintln!(
                    "    {} progenitor run {run}/{}: {} ms",
                    doc.label,
                    env.runs,
                    format_ms(ms)
                );
                times.push(ms);
            }
            // It fails the same way every time: once is enough.
            Err(message) => return Progenitor::Failed(message),
        }
    }
    match median(&times) {
        Some(ms) => Progenitor::Ms(ms),
        None => Progenitor::Failed(String::from("no sample")),
    }
}

/// `cargo progenitor` on the document, into a fresh directory; wall time in ms.
fn time_progenitor(env: &Env, exe: &Path, doc: &Doc) -> Result<f64, String> {
    let out = env
        .root
        .join("target")
        .join("bench")
        .join("progenitor")
        .join(&doc.label);
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("cannot remove `{}`: {e}", out.display()))?;
    }
    let started = Instant::now();
    let output = Command::new(exe)
        .arg("progenitor")
        .arg("-i")
        .arg(&doc.path)
        .arg("-o")
        .arg(&out)
        .args(["-n", &format!("{}-progenitor", doc.label), "-v", "0.1.0"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", exe.display()))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if output.status.success() {
        Ok(ms)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        Err(format!(
            "{} ({})",
            shorten(first.trim(), 160),
            output.status
        ))
    }
}

/// Lines and files of the `.rs` files under `dir`.
fn count_rust_lines(dir: &Path) -> Option<(usize, usize)> {
    let mut lines = 0;
    let mut files = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).ok()? {
            let path = entry.ok()?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                lines += fs::read_to_string(&path).ok()?.lines().count();
                files += 1;
            }
        }
    }
    Some((lines, files))
}

/// Generates the GitHub crate, builds its dependencies, then times `cargo check` after a touch.
fn check_crate(env: &Env, doc: &Doc) -> Result<CrateCheck, String> {
    eprintln!("==> --check-crate: {}", doc.out_dir.display());
    let status = Command::new(&env.exe)
        .arg("codegen")
        .arg("--spec")
        .arg(&doc.path)
        .arg("--out")
        .arg(&doc.out_dir)
        .args(["--name", &doc.crate_name])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run `{} codegen`: {e}", env.exe.display()))?;
    if !status.success() {
        return Err(format!("generating the crate failed ({status})"));
    }
    let (rust_lines, rust_files) = count_rust_lines(&doc.out_dir.join("src"))
        .ok_or_else(|| String::from("cannot read the generated src/"))?;
    let lock = doc.out_dir.join("Cargo.lock");
    if !lock.exists() {
        // The workspace's versions, already built elsewhere and known to work.
        let _ = fs::copy(env.root.join("Cargo.lock"), &lock);
    }
    let target_dir = env.root.join("target").join("bench-target");
    let log = env
        .root
        .join("target")
        .join("bench")
        .join("github-client-check.log");
    let cargo_check = |timed: bool| -> Result<(f64, Option<u64>), String> {
        let time = Path::new("/usr/bin/time");
        let mut command = if timed && time.is_file() {
            let mut command = Command::new(time);
            command.arg("-v").arg(cargo());
            command
        } else {
            Command::new(cargo())
        };
        command
            .args(["check", "--color", "never"])
            .current_dir(&doc.out_dir)
            .env("CARGO_TARGET_DIR", &target_dir)
            .stdin(Stdio::null());
        let started = Instant::now();
        let output = command
            .output()
            .map_err(|e| format!("cannot run `cargo check`: {e}"))?;
        let secs = started.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let _ = fs::write(&log, stderr.as_bytes());
        if !output.status.success() {
            return Err(format!(
                "`cargo check` of the GitHub crate failed ({}); see {}",
                output.status,
                log.display()
            ));
        }
        Ok((secs, parse_max_rss(&stderr)))
    };
    eprintln!("    cargo check (building the dependencies; may take minutes)");
    let (warm_secs, _) = cargo_check(false)?;
    eprintln!("    first cargo check: {warm_secs:.1} s; touching src/lib.rs");
    fs::File::options()
        .append(true)
        .open(doc.out_dir.join("src").join("lib.rs"))
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch src/lib.rs: {e}"))?;
    let (secs, peak_kb) = cargo_check(true)?;
    eprintln!("    second cargo check: {secs:.1} s");
    Ok(CrateCheck {
        rust_lines,
        rust_files,
        warm_secs,
        secs,
        peak_kb,
    })
}

/// `Maximum resident set size (kbytes): N` of `/usr/bin/time -v`.
pub fn parse_max_rss(stderr: &str) -> Option<u64> {
    stderr.lines().rev().find_map(|line| {
        line.trim()
            .strip_prefix("Maximum resident set size (kbytes):")
            .and_then(|n| n.trim().parse().ok())
    })
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(ms: f64, peak_kb: Option<u64>) -> Cell {
        Cell::Measured(Measured {
            ms,
            min_ms: ms,
            peak_kb,
        })
    }

    fn row(label: &str, floor: f64, generate: f64, check: f64, peak_kb: u64) -> Row {
        Row {
            label: label.to_owned(),
            size_bytes: 13_001_822,
            floor_kind: FloorKind::Raw,
            floor: measured(floor, Some(peak_kb / 2)),
            generate: measured(generate, Some(peak_kb)),
            check: measured(check, Some(peak_kb)),
            progenitor: Progenitor::NotInstalled,
            rust_lines: Some(1234),
        }
    }

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[4.0]), Some(4.0));
        assert_eq!(median(&[9.0, 1.0, 5.0]), Some(5.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[7.0, 100.0, 6.0, 5.0, 8.0]), Some(7.0));
    }

    #[test]
    fn summarize_takes_median_time_and_highest_peak() {
        let samples = [
            Sample {
                ms: 30.0,
                peak_kb: Some(10),
            },
            Sample {
                ms: 10.0,
                peak_kb: Some(30),
            },
            Sample {
                ms: 20.0,
                peak_kb: None,
            },
        ];
        assert_eq!(
            summarize(&samples),
            Some(Measured {
                ms: 20.0,
                min_ms: 10.0,
                peak_kb: Some(30)
            })
        );
        assert_eq!(summarize(&[]), None);
    }

    #[test]
    fn vm_hwm_is_read_from_proc_status() {
        let status = "Name:\txtask\nVmPeak:\t  600000 kB\nVmHWM:\t  514788 kB\nVmRSS:\t 1000 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(514_788));
        assert_eq!(parse_vm_hwm("Name:\txtask\n"), None);
    }

    #[test]
    fn one_line_round_trips() {
        let line = format_one_line(12.3456, Some(2048));
        assert_eq!(line, "bench-one: ms=12.346 peak_kb=2048");
        let stdout = format!("generated: 1 of 1 operations, 2 types, 0 warnings\n{line}\n");
        assert_eq!(
            parse_one_output(&stdout),
            Some(Sample {
                ms: 12.346,
                peak_kb: Some(2048)
            })
        );
        assert_eq!(
            parse_one_output("bench-one: ms=1.5 peak_kb=-\n"),
            Some(Sample {
                ms: 1.5,
                peak_kb: None
            })
        );
        assert_eq!(parse_one_output("bench-one: ms=x peak_kb=1\n"), None);
        assert_eq!(parse_one_output("bench-one: ms=1\n"), None);
        assert_eq!(parse_one_output("nothing\n"), None);
    }

    #[test]
    fn max_rss_of_usr_bin_time() {
        let stderr = "    Finished `dev` profile\n\tCommand being timed: \"cargo check\"\n\tMaximum resident set size (kbytes): 1843200\n\tExit status: 0\n";
        assert_eq!(parse_max_rss(stderr), Some(1_843_200));
        assert_eq!(parse_max_rss("nothing"), None);
    }

    #[test]
    fn ms_have_about_three_digits() {
        assert_eq!(format_ms(1.234), "1.23");
        assert_eq!(format_ms(12.34), "12.3");
        assert_eq!(format_ms(123.4), "123");
        assert_eq!(format_ms(4630.2), "4630");
    }

    #[test]
    fn table_aligns_columns_and_shows_ratios() {
        let mut load = row("walletkit", 2.0, 8.0, 6.0, 20 * 1024);
        load.size_bytes = 61_000;
        load.floor_kind = FloorKind::Load(String::from("bad"));
        load.progenitor = Progenitor::Ms(120.0);
        let mut failed = row("box-platform", 100.0, 0.0, 0.0, 0);
        failed.generate = Cell::Failed(String::from("boom"));
        failed.check = Cell::NotRun;
        failed.rust_lines = None;
        let table = format_table(&[
            row("github", 400.0, 4600.0, 4500.0, 512 * 1024),
            load,
            failed,
        ]);
        let expected = "\
spec         | size MB | floor ms | generate ms (x floor) | check ms (x floor) | peak MB | floor peak MB | progenitor ms | Rust lines
-------------+---------+----------+-----------------------+--------------------+---------+---------------+---------------+-----------
github       |    13.0 |      400 |          4600 (11.5x) |       4500 (11.2x) |     512 |           256 | not installed |       1234
walletkit    |     0.1 |    2.00* |           8.00 (4.0x) |        6.00 (3.0x) |      20 |            10 |           120 |       1234
box-platform |    13.0 |      100 |                  FAIL |                  - |       - |             0 | not installed |          -
";
        assert_eq!(table, expected);
    }

    #[test]
    fn targets_are_judged() {
        let rows = [
            row("github", 400.0, 900.0, 950.0, 200 * 1024),
            row("walletkit", 2.0, 60.0, 30.0, 10 * 1024),
        ];
        let check = CrateCheck {
            rust_lines: 100_000,
            rust_files: 10,
            warm_secs: 300.0,
            secs: 100.0,
            peak_kb: Some(5 * 1024 * 1024),
        };
        let list = targets(&rows, Some(&check));
        let verdicts: Vec<(&str, Verdict)> =
            list.iter().map(|t| (t.goal.as_str(), t.verdict)).collect();
        assert_eq!(
            verdicts,
            [
                ("GitHub 13 MB: generate < 1 s", Verdict::Met),
                ("GitHub 13 MB: peak memory < 300 MB", Verdict::Met),
                ("GitHub 13 MB: generate <= 3x floor", Verdict::Met),
                ("WalletKit: generate < 50 ms", Verdict::Missed),
                ("--check <= generate", Verdict::Missed),
                ("GitHub crate: cargo check < 3 min", Verdict::Met),
                ("GitHub crate: cargo check peak < 4 GB", Verdict::Missed),
            ]
        );
        assert_eq!(list[4].actual, "slower on github 1.06x");
        assert_eq!(
            list[2].actual,
            "2.2x; 2.2x against the fastest floor run (400 ms)"
        );
        // A slow median floor does not pass a generator its fastest floor run shows slow.
        let mut noisy = rows[0].clone();
        noisy.floor = Cell::Measured(Measured {
            ms: 400.0,
            min_ms: 150.0,
            peak_kb: None,
        });
        let ratio = &targets(&[noisy], None)[2];
        assert_eq!(ratio.verdict, Verdict::Missed);
        assert_eq!(
            ratio.actual,
            "2.2x; 6.0x against the fastest floor run (150 ms)"
        );
        let unmeasured = targets(&[], None);
        assert!(unmeasured.iter().all(|t| t.verdict == Verdict::NotMeasured));
        let text = format_targets(&list[..2]);
        assert_eq!(
            text,
            "targets:\n  [ok]     GitHub 13 MB: generate < 1 s        900 ms\n  [ok]     GitHub 13 MB: peak memory < 300 MB  200 MB\n"
        );
    }
}
