//! The generator is a pure function of its input: the same document gives the same bytes,
//! run after run and thread by thread, and the committed `generated-client/` is exactly what
//! it produces for `spec/walletkit.yaml`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const WALLETKIT: &str = include_str!("../../spec/walletkit.yaml");
/// A large real-world document (hundreds of operations) from the shared corpus.
const CORPUS_SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/corpus/oxide-nexus.json"
);

fn generate(name: &str, text: &str, config: &codegen::Config) -> BTreeMap<String, String> {
    codegen::generate(codegen::Source { name, text }, config)
        .unwrap_or_else(|failure| panic!("{name} must generate:\n{failure}"))
        .files
}

/// Names the first differing file, so a failure says where the nondeterminism is.
fn assert_same_files(what: &str, a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: the two runs produced different file lists"
    );
    for (path, text) in a {
        if *text != b[path] {
            let line = text
                .lines()
                .zip(b[path].lines())
                .position(|(x, y)| x != y)
                .map_or_else(
                    || String::from("at the end"),
                    |i| format!("at line {}", i + 1),
                );
            panic!("{what}: `{path}` differs between the two runs ({line})");
        }
    }
}

fn check_deterministic(name: &str, text: &str) {
    let config = codegen::Config::new("determinism-client");
    let first = generate(name, text, &config);
    assert!(
        first.len() > 3,
        "{name}: suspiciously few files: {:?}",
        first.keys()
    );
    let second = generate(name, text, &config);
    assert_same_files(&format!("{name}, sequential"), &first, &second);

    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| generate(name, text, &config));
        let b = scope.spawn(|| generate(name, text, &config));
        (
            a.join().expect("first thread panicked"),
            b.join().expect("second thread panicked"),
        )
    });
    assert_same_files(&format!("{name}, concurrent"), &a, &b);
    assert_same_files(&format!("{name}, sequential vs concurrent"), &first, &a);
}

#[test]
fn walletkit_generation_is_deterministic() {
    check_deterministic("spec/walletkit.yaml", WALLETKIT);
}

#[test]
fn large_corpus_generation_is_deterministic() {
    let text = fs::read_to_string(CORPUS_SPEC)
        .unwrap_or_else(|e| panic!("read the corpus document {CORPUS_SPEC}: {e}"));
    check_deterministic("oxide-nexus.json", &text);
}

/// Reads `Cargo.toml` and everything under `src/` of a generated crate, the files the xtask
/// owns, keyed by relative path with `/`.
fn read_generated_crate(dir: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, prefix: &str, files: &mut BTreeMap<String, String>) {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("UTF-8 name");
            let relative = format!("{prefix}/{name}");
            if path.is_dir() {
                walk(&path, &relative, files);
            } else {
                let text = fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
                files.insert(relative, text);
            }
        }
    }
    let mut files = BTreeMap::new();
    let manifest = dir.join("Cargo.toml");
    files.insert(
        String::from("Cargo.toml"),
        fs::read_to_string(&manifest)
            .unwrap_or_else(|e| panic!("read {}: {e}", manifest.display())),
    );
    walk(&dir.join("src"), "src", &mut files);
    files
}

/// The same job as `cargo xtask codegen` (see `xtask/src/codegen_cmd.rs`, `Job::walletkit`).
#[test]
fn committed_generated_client_is_up_to_date() {
    let config = codegen::Config {
        crate_name: String::from("walletkit-client"),
        regenerate_command: String::from("cargo xtask codegen"),
        standalone: false,
        strict: false,
    };
    let expected = generate("spec/walletkit.yaml", WALLETKIT, &config);
    let committed =
        read_generated_crate(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-client"));
    assert_same_files(
        "generated-client/ (committed) vs codegen output (run `cargo xtask codegen`)",
        &committed,
        &expected,
    );
}
