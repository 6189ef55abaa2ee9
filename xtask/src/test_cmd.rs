//! `cargo xtask test`: every test of the workspace, with all set-up, in one command.
//!
//! The steps run in order and the first failure stops the run (exit 1). To add a step, write a
//! `fn(&Path) -> Result<(), String>` and add it to [`STEPS`].

use std::path::Path;
use std::process::{Command, ExitCode};

use crate::codegen_cmd::{self, Job, Mode, Outcome};
use crate::sweep_cmd;

/// One step of `cargo xtask test`.
struct Step {
    name: &'static str,
    /// Runs the step from the workspace root; the error says what went wrong.
    run: fn(&Path) -> Result<(), String>,
}

/// Every step, in order. Later addition: running an example against the Prism mock.
const STEPS: &[Step] = &[
    Step {
        name: "set-up: Prism mock server (npm ci)",
        run: install_prism,
    },
    Step {
        name: "generated client is up to date (cargo xtask codegen --check)",
        run: codegen_check,
    },
    Step {
        name: "formatting (cargo fmt --all -- --check)",
        run: |root| cargo(root, &["fmt", "--all", "--", "--check"], &[]),
    },
    Step {
        name: "lints (cargo clippy --workspace --all-targets -- -D warnings)",
        run: |root| {
            cargo(
                root,
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
                &[],
            )
        },
    },
    Step {
        name: "tests (cargo test --workspace)",
        run: |root| cargo(root, &["test", "--workspace"], &[]),
    },
    Step {
        name: "compatibility sweep over ../shared/corpus (cargo xtask sweep)",
        run: sweep_cmd::test_step,
    },
    Step {
        name: "docs (cargo doc -p walletkit-client --no-deps, RUSTDOCFLAGS=-D warnings)",
        run: |root| {
            cargo(
                root,
                &["doc", "-p", "walletkit-client", "--no-deps"],
                &[("RUSTDOCFLAGS", "-D warnings")],
            )
        },
    },
];

pub fn run(root: &Path) -> ExitCode {
    let total = STEPS.len();
    for (i, step) in STEPS.iter().enumerate() {
        eprintln!("==> [{}/{total}] {}", i + 1, step.name);
        if let Err(message) = (step.run)(root) {
            eprintln!("xtask test: step {}/{total} failed: {}", i + 1, step.name);
            eprintln!("xtask test: {message}");
            return ExitCode::from(1);
        }
    }
    eprintln!("xtask test: all {total} steps passed");
    ExitCode::SUCCESS
}

/// Installs the pinned Prism from `package-lock.json` unless it is already there.
fn install_prism(root: &Path) -> Result<(), String> {
    if root
        .join("node_modules")
        .join(".bin")
        .join("prism")
        .exists()
    {
        eprintln!("node_modules/.bin/prism is present; skipping npm ci");
        return Ok(());
    }
    run_command(Command::new(npm()).arg("ci").current_dir(root), "npm ci")
}

fn codegen_check(root: &Path) -> Result<(), String> {
    match codegen_cmd::run(&Job::walletkit(root, false), Mode::Check) {
        Outcome::Ok => Ok(()),
        Outcome::Drift => Err(String::from(
            "generated-client/ differs from the generator's output; run `cargo xtask codegen`",
        )),
        Outcome::Error => Err(String::from(
            "code generation failed (see the errors above)",
        )),
    }
}

/// Runs the cargo that runs us (`$CARGO`), from the workspace root, with output streaming through.
fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(args).current_dir(root);
    for (key, value) in env {
        command.env(key, value);
    }
    run_command(&mut command, &format!("cargo {}", args.join(" ")))
}

fn run_command(command: &mut Command, shown: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

fn npm() -> &'static str {
    if cfg!(windows) {
        "npm.cmd"
    } else {
        "npm"
    }
}
