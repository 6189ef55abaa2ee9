//! What the tests that build a generated crate share.
//!
//! Each crate is written under cargo's temp dir for integration tests, with the workspace's
//! `Cargo.lock` (so dependency versions match the ones already in the local registry cache),
//! and every one of them is built in one target dir with the same flags, so the dependencies
//! (the same for all of them) are built once and a rerun only re-checks the crates themselves.
//! It is the sweep's target dir too (`target/generated-target/`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Generates the standalone crate `crate_name` from the fixture `tests/fixtures/<file>`
/// (its text, included by the test), panicking with the diagnostics if it fails.
#[allow(dead_code)] // Not every test binary that uses this module needs it.
pub fn generate_fixture(crate_name: &str, file: &str, text: &str) -> codegen::Generation {
    let config = codegen::Config {
        standalone: true,
        ..codegen::Config::new(crate_name)
    };
    let name = format!("tests/fixtures/{file}");
    let source = codegen::Source { name: &name, text };
    codegen::generate(source, &config)
        .unwrap_or_else(|failure| panic!("{name} must generate:\n{failure}"))
}

/// A generated crate written to disk.
pub struct GeneratedCrate {
    pub dir: PathBuf,
    target_dir: PathBuf,
}

/// Writes `files` (paths relative to the crate root) as the crate `name`, then the
/// hand-written `extra` files (such as a test that exercises the crate). Its `src/` and
/// `tests/` are emptied first, so nothing from an earlier generation lingers.
pub fn write_crate(
    name: &str,
    files: &BTreeMap<String, String>,
    extra: &[(&str, &str)],
) -> GeneratedCrate {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-crates");
    let dir = root.join(name);
    for sub in ["src", "tests"] {
        let sub = dir.join(sub);
        if sub.exists() {
            fs::remove_dir_all(&sub)
                .unwrap_or_else(|e| panic!("remove the old {}: {e}", sub.display()));
        }
    }
    let extra = extra.iter().map(|(path, text)| (*path, *text));
    for (path, contents) in files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .chain(extra)
    {
        let path = dir.join(path);
        let parent = path.parent().expect("a crate file's path has a parent");
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
    let workspace_lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    fs::copy(&workspace_lock, dir.join("Cargo.lock")).expect("copy the workspace Cargo.lock");
    GeneratedCrate {
        dir,
        target_dir: shared_target_dir(),
    }
}

/// `target/generated-target/`: where every generated crate is built, these tests' and
/// `cargo xtask sweep`'s alike, so their common dependencies are built (and stored) once.
fn shared_target_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("generated-target")
}

impl GeneratedCrate {
    /// Runs cargo in the crate with warnings denied: its output, or `Err` with the command,
    /// the status and the output when it fails.
    pub fn cargo(&self, args: &[&str]) -> Result<String, String> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .env("RUSTFLAGS", "-D warnings")
            .env("RUSTDOCFLAGS", "-D warnings")
            // Built once per run: incremental caches and debug info would only fill the disk.
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            // Whatever the outer cargo run set for its own build must not leak into this one.
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTDOCFLAGS")
            .env_remove("RUSTC_WRAPPER")
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .output()
            .unwrap_or_else(|e| panic!("run cargo {}: {e}", args.join(" ")));
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if output.status.success() {
            Ok(text)
        } else {
            Err(format!(
                "`cargo {}` in {} failed ({}):\n{text}",
                args.join(" "),
                self.dir.display(),
                output.status
            ))
        }
    }

    /// `cargo clippy --all-targets` with `extra` flags (e.g. `--all-features`), every lint
    /// denied.
    #[allow(dead_code)] // Not every test binary that uses this module needs it.
    pub fn clippy(&self, extra: &[&str]) -> Result<String, String> {
        let mut args = vec!["clippy", "--quiet", "--all-targets"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--", "-D", "warnings"]);
        self.cargo(&args)
    }

    /// [`GeneratedCrate::cargo`], panicking with the output when it fails.
    #[allow(dead_code)] // Not every test binary that uses this module needs it.
    pub fn cargo_ok(&self, args: &[&str]) -> String {
        self.cargo(args).unwrap_or_else(|e| panic!("{e}"))
    }
}
