//! Runs the built `xtask` binary the way a user does, on a copy of the WalletKit spec in a
//! temporary directory, with paths relative to the current directory.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("xtask-cli-{}-{label}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// A temp dir holding `walletkit.yaml`, a copy of the workspace's spec.
    fn with_spec(label: &str) -> TempDir {
        let dir = TempDir::new(label);
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/walletkit.yaml");
        fs::copy(&spec, dir.path().join("walletkit.yaml")).expect("copy spec");
        dir
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs `xtask <args>` in `cwd`.
fn xtask(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run xtask")
}

/// `cargo xtask codegen --spec walletkit.yaml --out out [extra]`, run in `dir`.
fn codegen(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["codegen", "--spec", "walletkit.yaml", "--out", "out"];
    args.extend_from_slice(extra);
    xtask(dir, &args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn describe(output: &Output) -> String {
    format!(
        "status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        stdout(output),
        stderr(output)
    )
}

#[track_caller]
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(output.status.code(), Some(code), "{}", describe(output));
    assert!(
        !stderr(output).contains("panicked"),
        "xtask panicked:\n{}",
        describe(output)
    );
}

/// Asserts that stdout is exactly one line: `generated: <N> of <T> operations, <M> types, <W> warnings`.
#[track_caller]
fn assert_summary_line(output: &Output) {
    let out = stdout(output);
    let line = out.strip_suffix('\n').unwrap_or(&out);
    assert!(
        !line.contains('\n'),
        "stdout has more than the summary line:\n{out}"
    );
    let numbers: Option<Vec<&str>> = line.strip_prefix("generated: ").and_then(|rest| {
        let (generated, rest) = rest.split_once(" of ")?;
        let (total, rest) = rest.split_once(" operations, ")?;
        let (types, rest) = rest.split_once(" types, ")?;
        let warnings = rest.strip_suffix(" warnings")?;
        Some(vec![generated, total, types, warnings])
    });
    let numbers = numbers.unwrap_or_else(|| panic!("not a summary line: {line:?}"));
    for n in numbers {
        assert!(
            n.parse::<usize>().is_ok(),
            "not a number: {n:?} in {line:?}"
        );
    }
}

/// Every file below `dir`, by relative path with `/`.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, rel: &str, files: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("list dir") {
            let entry = entry.expect("dir entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if entry.file_type().expect("file type").is_dir() {
                walk(&entry.path(), &rel, files);
            } else {
                files.insert(rel, fs::read(entry.path()).expect("read file"));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, "", &mut files);
    files
}

fn replace_in_file(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read file");
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write file");
}

#[test]
fn generates_a_standalone_crate_then_check_passes_and_a_rerun_writes_nothing() {
    let dir = TempDir::with_spec("generate");
    let out_dir = dir.path().join("out");

    let first = codegen(dir.path(), &[]);
    assert_exit(&first, 0);
    assert_summary_line(&first);

    let manifest = fs::read_to_string(out_dir.join("Cargo.toml")).expect("Cargo.toml generated");
    assert!(
        manifest.contains(r#"name = "walletkit-client""#),
        "default crate name is derived from the spec stem:\n{manifest}"
    );
    assert!(
        manifest.contains("[workspace]"),
        "--spec/--out generates a standalone crate:\n{manifest}"
    );
    assert!(out_dir.join("src/lib.rs").is_file(), "src/lib.rs generated");

    let check = codegen(dir.path(), &["--check"]);
    assert_exit(&check, 0);
    assert_summary_line(&check);

    // A second run yields the same bytes and does not rewrite unchanged files: age every file,
    // regenerate, and the old modification times must still be there.
    let before = snapshot(&out_dir);
    let old = SystemTime::now() - Duration::from_secs(3600);
    for path in before.keys() {
        let file = fs::File::options()
            .write(true)
            .open(out_dir.join(path))
            .expect("open generated file");
        file.set_modified(old).expect("set mtime");
    }
    let second = codegen(dir.path(), &[]);
    assert_exit(&second, 0);
    assert_summary_line(&second);
    assert_eq!(snapshot(&out_dir), before, "second run changed the files");
    for path in before.keys() {
        let mtime = fs::metadata(out_dir.join(path))
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(mtime, old, "second run rewrote unchanged {path}");
    }
}

#[test]
fn check_reports_a_changed_api_with_a_diff_and_writes_nothing() {
    let dir = TempDir::with_spec("changed");
    let out_dir = dir.path().join("out");
    assert_exit(&codegen(dir.path(), &[]), 0);
    let generated = snapshot(&out_dir);

    // Renaming an operation renames its client method, so some generated file must change.
    let spec = dir.path().join("walletkit.yaml");
    replace_in_file(
        &spec,
        "operationId: users_login-with-magic-link",
        "operationId: users_sign-in-with-magic-link",
    );
    let check = codegen(dir.path(), &["--check"]);
    assert_exit(&check, 1);
    assert_summary_line(&check);
    let err = stderr(&check);
    assert!(err.contains("changed out/src/"), "{err}");
    assert!(
        err.contains("(on disk)") && err.contains("(generated)") && err.contains("@@"),
        "{err}"
    );
    let squashed: String = err
        .to_lowercase()
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .collect();
    assert!(
        squashed.contains("signinwithmagiclink"),
        "the diff shows the new name:\n{err}"
    );
    assert!(
        err.contains("run: cargo xtask codegen --spec walletkit.yaml --out out"),
        "the fix command uses the paths as typed:\n{err}"
    );
    assert_eq!(snapshot(&out_dir), generated, "--check wrote files");

    // Regenerating fixes it.
    assert_exit(&codegen(dir.path(), &[]), 0);
    assert_exit(&codegen(dir.path(), &["--check"]), 0);
}

#[test]
fn check_reports_a_missing_generated_file() {
    let dir = TempDir::with_spec("missing");
    let out_dir = dir.path().join("out");
    assert_exit(&codegen(dir.path(), &[]), 0);
    fs::remove_file(out_dir.join("src/lib.rs")).expect("src/lib.rs was generated");

    let check = codegen(dir.path(), &["--check"]);
    assert_exit(&check, 1);
    assert_summary_line(&check);
    let err = stderr(&check);
    assert!(err.contains("missing out/src/lib.rs"), "{err}");
    assert!(!out_dir.join("src/lib.rs").exists(), "--check wrote a file");

    assert_exit(&codegen(dir.path(), &[]), 0);
    assert!(
        out_dir.join("src/lib.rs").is_file(),
        "codegen restores src/lib.rs"
    );
}

#[test]
fn extra_files_under_src_are_reported_and_removed_and_other_files_are_left_alone() {
    let dir = TempDir::with_spec("extra");
    let out_dir = dir.path().join("out");
    assert_exit(&codegen(dir.path(), &[]), 0);

    let hand_written = [
        ("tests/contract.rs", "// hand-written test\n"),
        ("examples/demo.rs", "fn main() {}\n"),
        ("README.md", "hand-written\n"),
    ];
    for (path, contents) in hand_written {
        let path = out_dir.join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, contents).expect("write");
    }
    fs::create_dir_all(out_dir.join("src/nested")).expect("mkdir");
    fs::write(out_dir.join("src/extra.rs"), "// stale\n").expect("write");
    fs::write(out_dir.join("src/nested/old.rs"), "// stale\n").expect("write");

    let check = codegen(dir.path(), &["--check"]);
    assert_exit(&check, 1);
    assert_summary_line(&check);
    let err = stderr(&check);
    assert!(err.contains("extra   out/src/extra.rs"), "{err}");
    assert!(err.contains("extra   out/src/nested/old.rs"), "{err}");
    for (path, _) in hand_written {
        assert!(
            !err.contains(path),
            "--check reported hand-written {path}:\n{err}"
        );
    }
    assert!(
        out_dir.join("src/extra.rs").exists(),
        "--check removed a file"
    );

    let fix = codegen(dir.path(), &[]);
    assert_exit(&fix, 0);
    assert_summary_line(&fix);
    assert!(!out_dir.join("src/extra.rs").exists(), "extra file removed");
    assert!(
        !out_dir.join("src/nested").exists(),
        "emptied directory removed"
    );
    for (path, contents) in hand_written {
        assert_eq!(
            fs::read_to_string(out_dir.join(path)).expect("hand-written file kept"),
            contents
        );
    }
    assert_exit(&codegen(dir.path(), &["--check"]), 0);
}

#[test]
fn a_document_that_is_not_yaml_or_json_is_bad_input() {
    let dir = TempDir::new("not-yaml");
    fs::write(dir.path().join("broken.yaml"), "foo: [unclosed\n").expect("write");
    let output = xtask(
        dir.path(),
        &["codegen", "--spec", "broken.yaml", "--out", "out"],
    );
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("broken.yaml"),
        "{}",
        describe(&output)
    );
    assert!(stdout(&output).is_empty(), "{}", describe(&output));
    assert!(
        !dir.path().join("out").exists(),
        "output written for bad input"
    );
}

#[test]
fn a_missing_spec_file_is_bad_input() {
    let dir = TempDir::new("no-spec");
    let output = xtask(
        dir.path(),
        &[
            "codegen",
            "--check",
            "--spec",
            "nowhere.yaml",
            "--out",
            "out",
        ],
    );
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("nowhere.yaml"),
        "{}",
        describe(&output)
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = TempDir::new("usage");
    for args in [
        &["codegen", "--bogus"][..],
        &["codegen", "--spec", "a.yaml"][..],
        &["codegen", "--out", "out"][..],
        &["codegen", "--name", "x"][..],
        &["frobnicate"][..],
        &[][..],
    ] {
        let output = xtask(dir.path(), args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}\n{}",
            describe(&output)
        );
    }
}

#[test]
fn a_crate_name_that_cannot_be_derived_must_be_given() {
    let dir = TempDir::with_spec("name");
    fs::copy(
        dir.path().join("walletkit.yaml"),
        dir.path().join("2024.yaml"),
    )
    .expect("copy");
    let output = xtask(
        dir.path(),
        &["codegen", "--spec", "2024.yaml", "--out", "out"],
    );
    assert_exit(&output, 2);
    assert!(stderr(&output).contains("--name"), "{}", describe(&output));

    let output = xtask(
        dir.path(),
        &[
            "codegen",
            "--spec",
            "2024.yaml",
            "--out",
            "out",
            "--name",
            "not valid",
        ],
    );
    assert_exit(&output, 2);
}
