//! The seed crate compiles: the generated files of `fixtures/seed.yaml` (standalone) are
//! written under cargo's temp dir for integration tests and checked with `-D warnings`.
//!
//! The workspace's `Cargo.lock` is copied in so dependency versions match the ones already in
//! the local registry cache, and the crate's target dir is kept between runs, so a rerun only
//! re-checks the generated crate itself.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const SEED: &str = include_str!("fixtures/seed.yaml");

fn write_crate(dir: &Path, files: &std::collections::BTreeMap<String, String>) {
    // Start from a clean `src/` so files from an earlier generation cannot linger.
    let src = dir.join("src");
    if src.exists() {
        fs::remove_dir_all(&src).expect("remove the old src/");
    }
    for (path, contents) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("a generated path has a parent"))
            .expect("create the directory of a generated file");
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

#[test]
fn the_seed_crate_compiles_without_warnings() {
    let config = codegen::Config {
        standalone: true,
        ..codegen::Config::new("seed-client")
    };
    let source = codegen::Source {
        name: "tests/fixtures/seed.yaml",
        text: SEED,
    };
    let generation = codegen::generate(source, &config)
        .unwrap_or_else(|failure| panic!("the seed document must generate:\n{failure}"));
    let manifest = &generation.files["Cargo.toml"];
    assert!(
        manifest.contains("[workspace]"),
        "a standalone crate must be its own workspace root:\n{manifest}"
    );

    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.join("compile-seed").join("seed-client");
    let target_dir = tmp.join("compile-seed").join("target");
    fs::create_dir_all(&dir).expect("create the crate directory");
    write_crate(&dir, &generation.files);
    let workspace_lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    fs::copy(&workspace_lock, dir.join("Cargo.lock")).expect("copy the workspace Cargo.lock");

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("RUSTFLAGS", "-D warnings")
        // Whatever the outer cargo run set for its own build must not leak into this one.
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .output()
        .expect("run cargo check");
    assert!(
        output.status.success(),
        "cargo check of the generated seed crate in {} failed ({}):\n{}{}",
        dir.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}
