//! Development tasks for this workspace, run as `cargo xtask <command>`.
//!
//! Exit codes: 0 success, 1 drift (`codegen --check`) or a failed test step, 2 bad input or usage.

mod codegen_cmd;
mod test_cmd;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

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
    /// Run every test of the workspace, doing all set-up first (npm ci for Prism).
    Test,
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
