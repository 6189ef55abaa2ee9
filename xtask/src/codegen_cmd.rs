//! `cargo xtask codegen`: run the generator, then write its files or compare them with the disk.
//!
//! The generated files of an output directory are its `Cargo.toml` and everything under `src/`.
//! Nothing else in it (`tests/`, `examples/`, ...) is ever read, written or deleted.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use similar::TextDiff;

/// How many lines of unified diff `--check` prints at most, over all files.
const MAX_DIFF_LINES: usize = 200;

/// One generation: where the document is, where the crate goes, and the generator settings.
#[derive(Debug, Clone)]
pub struct Job {
    /// The path to read the document from.
    pub spec_path: PathBuf,
    /// The document's name in diagnostics: the path as the user typed it.
    pub source_name: String,
    /// The directory of the generated crate.
    pub out_dir: PathBuf,
    /// The output directory as shown in messages.
    pub out_display: String,
    pub config: codegen::Config,
}

impl Job {
    /// The WalletKit client of this workspace: `spec/walletkit.yaml` → `generated-client/`.
    pub fn walletkit(workspace_root: &Path, strict: bool) -> Job {
        Job {
            spec_path: workspace_root.join("spec").join("walletkit.yaml"),
            source_name: String::from("spec/walletkit.yaml"),
            out_dir: workspace_root.join("generated-client"),
            out_display: String::from("generated-client"),
            config: codegen::Config {
                crate_name: String::from("walletkit-client"),
                regenerate_command: String::from("cargo xtask codegen"),
                standalone: false,
                strict,
            },
        }
    }

    /// Any document into a standalone crate, with the paths as the user typed them (relative
    /// paths are relative to the current directory).
    pub fn custom(
        spec: &Path,
        out: &Path,
        name: Option<&str>,
        strict: bool,
    ) -> Result<Job, String> {
        let spec_str = spec
            .to_str()
            .ok_or_else(|| format!("--spec `{}` is not valid UTF-8", spec.display()))?;
        let out_str = out
            .to_str()
            .ok_or_else(|| format!("--out `{}` is not valid UTF-8", out.display()))?;
        let crate_name = match name {
            Some(name) => {
                validate_crate_name(name).map_err(|e| format!("--name `{name}`: {e}"))?;
                name.to_owned()
            }
            None => spec
                .file_stem()
                .and_then(|stem| stem.to_str())
                .and_then(derive_crate_name)
                .ok_or_else(|| {
                    format!("cannot derive a crate name from `{spec_str}`; pass --name CRATE")
                })?,
        };
        let mut regenerate_command = format!(
            "cargo xtask codegen --spec {} --out {}",
            shell_word(spec_str),
            shell_word(out_str)
        );
        if let Some(name) = name {
            regenerate_command.push_str(&format!(" --name {}", shell_word(name)));
        }
        Ok(Job {
            spec_path: spec.to_path_buf(),
            source_name: spec_str.to_owned(),
            out_dir: out.to_path_buf(),
            out_display: out_str.to_owned(),
            config: codegen::Config {
                crate_name,
                regenerate_command,
                standalone: true,
                strict,
            },
        })
    }
}

/// Whether to write the files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Files written, or (with `--check`) already up to date.
    Ok,
    /// `--check` found generated files that differ from the disk.
    Drift,
    /// Bad input (unreadable or invalid document) or a file system error.
    Error,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Ok => ExitCode::SUCCESS,
            Outcome::Drift => ExitCode::from(1),
            Outcome::Error => ExitCode::from(2),
        }
    }
}

/// Runs one generation. Messages go to stderr; the summary line ends the run on stdout.
pub fn run(job: &Job, mode: Mode) -> Outcome {
    // The files on disk are read while the generator runs: both modes compare against them.
    let (generation, on_disk) = std::thread::scope(|scope| {
        let reading = scope.spawn(|| read_generated_files(&job.out_dir, &job.out_display));
        let generation = generate(job);
        let on_disk = reading
            .join()
            .unwrap_or_else(|_| Err(format!("reading `{}` failed", job.out_display)));
        (generation, on_disk)
    });
    let generation = match generation {
        Ok(generation) => generation,
        Err(message) => {
            eprintln!("{message}");
            return Outcome::Error;
        }
    };
    for warning in &generation.warnings {
        eprintln!("{warning}");
    }
    let outcome =
        match on_disk.and_then(|actual| compare_and_apply(job, &generation.files, actual, mode)) {
            Ok(outcome) => outcome,
            Err(message) => {
                eprintln!("error: {message}");
                return Outcome::Error;
            }
        };
    println!("{}", generation.summary_line());
    outcome
}

/// Reads the document and runs the generator; the error is the full message to print.
fn generate(job: &Job) -> Result<codegen::Generation, String> {
    let name = &job.source_name;
    let bytes = fs::read(&job.spec_path)
        .map_err(|e| format!("error: cannot read spec file `{name}`: {e}"))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| format!("error: spec file `{name}` is not valid UTF-8: {e}"))?;
    let source = codegen::Source { name, text: &text };
    let generation = codegen::generate(source, &job.config).map_err(|failure| {
        let count = failure.diagnostics.len();
        let plural = if count == 1 { "" } else { "s" };
        format!("{failure}\nerror: cannot generate a client from `{name}` ({count} error{plural})")
    })?;
    check_generated_paths(&generation.files)
        .map_err(|e| format!("error: {e} (this is a bug in the generator)"))?;
    Ok(generation)
}

fn compare_and_apply(
    job: &Job,
    expected: &BTreeMap<String, String>,
    actual: BTreeMap<String, Vec<u8>>,
    mode: Mode,
) -> Result<Outcome, String> {
    let changes = classify(expected, &actual);
    match mode {
        Mode::Check if changes.is_empty() => {
            eprintln!("{}: up to date", job.out_display);
            Ok(Outcome::Ok)
        }
        Mode::Check => {
            eprint!(
                "{}",
                drift_report(
                    &changes,
                    expected,
                    &actual,
                    &job.out_display,
                    &job.config.regenerate_command,
                    MAX_DIFF_LINES,
                )
            );
            Ok(Outcome::Drift)
        }
        Mode::Write => {
            apply(&job.out_dir, &job.out_display, expected, &changes)?;
            if changes.is_empty() {
                eprintln!("{}: up to date", job.out_display);
            } else {
                for (path, change) in &changes {
                    let verb = match change {
                        Change::Changed => "updated",
                        Change::Missing => "created",
                        Change::Extra => "removed",
                    };
                    eprintln!("{verb} {}/{path}", job.out_display);
                }
            }
            Ok(Outcome::Ok)
        }
    }
}

/// Whether a relative path (with `/`) is one that the generator owns.
pub fn is_generated_path(path: &str) -> bool {
    path == "Cargo.toml" || path.starts_with("src/")
}

/// Rejects generator output that would write outside `Cargo.toml` and `src/`, or that lacks
/// `Cargo.toml` (writing it would delete the crate's manifest).
pub fn check_generated_paths(files: &BTreeMap<String, String>) -> Result<(), String> {
    for path in files.keys() {
        let bad_segment = path
            .split('/')
            .any(|segment| segment.is_empty() || segment == "." || segment == "..");
        if bad_segment || path.contains('\\') || path.contains(':') || !is_generated_path(path) {
            return Err(format!(
                "the generator produced `{path}`, which is not `Cargo.toml` or a file under `src/`"
            ));
        }
    }
    if !files.contains_key("Cargo.toml") {
        return Err(String::from(
            "the generator produced no `Cargo.toml`; refusing to touch the output directory",
        ));
    }
    Ok(())
}

/// Reads the generated files present in `out_dir` (`Cargo.toml` and everything under `src/`),
/// keyed by relative path with `/`. A missing directory has no files.
pub fn read_generated_files(
    out_dir: &Path,
    out_display: &str,
) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut files = BTreeMap::new();
    let manifest = out_dir.join("Cargo.toml");
    match fs::read(&manifest) {
        Ok(bytes) => {
            files.insert(String::from("Cargo.toml"), bytes);
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read `{out_display}/Cargo.toml`: {e}")),
    }
    let src = out_dir.join("src");
    match fs::symlink_metadata(&src) {
        Ok(meta) if meta.is_dir() => walk(&src, "src", out_display, &mut files)?,
        Ok(_) => return Err(format!("`{out_display}/src` is not a directory")),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read `{out_display}/src`: {e}")),
    }
    Ok(files)
}

fn walk(
    dir: &Path,
    rel: &str,
    out_display: &str,
    files: &mut BTreeMap<String, Vec<u8>>,
) -> Result<(), String> {
    let shown = format!("{out_display}/{rel}");
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list `{shown}`: {e}"))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list `{shown}`: {e}"))?;
        let name = entry.file_name();
        let name = name.to_str().ok_or_else(|| {
            format!(
                "`{}` has a name that is not valid UTF-8",
                entry.path().display()
            )
        })?;
        let child_rel = format!("{rel}/{name}");
        let file_type = entry
            .file_type()
            .map_err(|e| format!("cannot read `{out_display}/{child_rel}`: {e}"))?;
        if file_type.is_dir() {
            walk(&entry.path(), &child_rel, out_display, files)?;
        } else {
            let bytes = fs::read(entry.path())
                .map_err(|e| format!("cannot read `{out_display}/{child_rel}`: {e}"))?;
            files.insert(child_rel, bytes);
        }
    }
    Ok(())
}

/// How a generated file on disk differs from what the generator produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// On disk with other contents.
    Changed,
    /// Produced, but not on disk.
    Missing,
    /// On disk, but no longer produced.
    Extra,
}

/// Compares the generator's files with the generated files on disk, sorted by path.
pub fn classify(
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, Vec<u8>>,
) -> Vec<(String, Change)> {
    let paths: BTreeSet<&String> = expected.keys().chain(actual.keys()).collect();
    paths
        .into_iter()
        .filter_map(|path| {
            let change = match (expected.get(path), actual.get(path)) {
                (Some(want), Some(have)) if want.as_bytes() == have.as_slice() => return None,
                (Some(_), Some(_)) => Change::Changed,
                (Some(_), None) => Change::Missing,
                (None, Some(_)) => Change::Extra,
                (None, None) => return None,
            };
            Some((path.clone(), change))
        })
        .collect()
}

/// Makes the disk match the generator: removes extra files (and the directories under `src/`
/// left empty), then writes changed and missing files. Unchanged files are not touched.
fn apply(
    out_dir: &Path,
    out_display: &str,
    expected: &BTreeMap<String, String>,
    changes: &[(String, Change)],
) -> Result<(), String> {
    for (path, change) in changes {
        if *change == Change::Extra {
            fs::remove_file(out_dir.join(path))
                .map_err(|e| format!("cannot remove `{out_display}/{path}`: {e}"))?;
        }
    }
    let src = out_dir.join("src");
    if src.is_dir() {
        remove_empty_dirs(&src)?;
    }
    for (path, change) in changes {
        let Some(contents) = expected.get(path) else {
            continue;
        };
        let target = out_dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create directory `{}`: {e}", parent.display()))?;
        }
        fs::write(&target, contents).map_err(|e| {
            let verb = if *change == Change::Missing {
                "create"
            } else {
                "write"
            };
            format!("cannot {verb} `{out_display}/{path}`: {e}")
        })?;
    }
    Ok(())
}

/// Removes every empty directory below `dir` (not `dir` itself).
fn remove_empty_dirs(dir: &Path) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list `{}`: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list `{}`: {e}", dir.display()))?;
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if !is_dir {
            continue;
        }
        let path = entry.path();
        remove_empty_dirs(&path)?;
        let is_empty = fs::read_dir(&path)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if is_empty {
            fs::remove_dir(&path)
                .map_err(|e| format!("cannot remove directory `{}`: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The `--check` report: the list of differing files, a unified diff capped at `max_lines`
/// lines, and the command that fixes it.
pub fn drift_report(
    changes: &[(String, Change)],
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, Vec<u8>>,
    out_display: &str,
    fix_command: &str,
    max_lines: usize,
) -> String {
    let mut report = format!("error: generated files in `{out_display}` are out of date:\n");
    for (path, change) in changes {
        let label = match change {
            Change::Changed => "changed",
            Change::Missing => "missing",
            Change::Extra => "extra  ",
        };
        report.push_str(&format!("  {label} {out_display}/{path}\n"));
    }
    report.push('\n');

    let mut budget = max_lines;
    let mut cut = 0usize;
    for (path, change) in changes {
        let on_disk = actual
            .get(path)
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default();
        let generated = expected.get(path).map(String::as_str).unwrap_or_default();
        let shown = format!("{out_display}/{path}");
        let (old_header, new_header) = match change {
            Change::Changed => (format!("{shown} (on disk)"), format!("{shown} (generated)")),
            Change::Missing => (String::from("/dev/null"), format!("{shown} (generated)")),
            Change::Extra => (format!("{shown} (on disk)"), String::from("/dev/null")),
        };
        let diff = TextDiff::from_lines(on_disk.as_str(), generated)
            .unified_diff()
            .context_radius(3)
            .header(&old_header, &new_header)
            .to_string();
        for line in diff.lines() {
            if budget == 0 {
                cut += 1;
            } else {
                budget -= 1;
                report.push_str(line);
                report.push('\n');
            }
        }
    }
    if cut > 0 {
        report.push_str(&format!("... {cut} more diff lines not shown\n"));
    }
    report.push_str(&format!("\nto update them, run: {fix_command}\n"));
    report
}

/// The default crate name for a spec file stem: kebab-case ASCII words + `-client`, e.g.
/// `walletkit` → `walletkit-client`, `PetStore.v3` → `pet-store-v3-client`. `None` when no
/// valid package name comes out (no ASCII letters, or a leading digit).
pub fn derive_crate_name(stem: &str) -> Option<String> {
    let chars: Vec<char> = stem.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !word.is_empty() {
            let prev = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_is_lower)
            {
                words.push(std::mem::take(&mut word));
            }
        }
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    if words.last().map(String::as_str) != Some("client") {
        words.push(String::from("client"));
    }
    let name = words.join("-");
    validate_crate_name(&name).ok()?;
    (words.len() > 1 || stem.eq_ignore_ascii_case("client")).then_some(name)
}

/// Checks the rules cargo puts on package names (ASCII subset).
pub fn validate_crate_name(name: &str) -> Result<(), String> {
    let Some(first) = name.chars().next() else {
        return Err(String::from("a crate name cannot be empty"));
    };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Err(String::from(
            "a crate name must start with an ASCII letter or `_`",
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "a crate name may only contain ASCII letters, digits, `-` and `_`, not `{bad}`"
        ));
    }
    if name.len() > 64 {
        return Err(String::from("a crate name may have at most 64 characters"));
    }
    Ok(())
}

/// Quotes a word for a POSIX shell when it needs it, so the regenerate command can be pasted.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,%".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(files: &[(&str, &str)]) -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect()
    }

    fn actual(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn classify_sorts_changed_missing_and_extra_and_skips_equal_files() {
        let want = expected(&[
            ("Cargo.toml", "[package]\n"),
            ("src/lib.rs", "pub mod a;\n"),
            ("src/a.rs", "new\n"),
            ("src/b.rs", "b\n"),
        ]);
        let have = actual(&[
            ("Cargo.toml", "[package]\n"),
            ("src/lib.rs", "pub mod a;\n"),
            ("src/a.rs", "old\n"),
            ("src/old/gone.rs", "x\n"),
        ]);
        assert_eq!(
            classify(&want, &have),
            vec![
                (String::from("src/a.rs"), Change::Changed),
                (String::from("src/b.rs"), Change::Missing),
                (String::from("src/old/gone.rs"), Change::Extra),
            ]
        );
    }

    #[test]
    fn classify_compares_bytes_exactly() {
        let want = expected(&[("src/lib.rs", "a\n")]);
        assert_eq!(
            classify(&want, &actual(&[("src/lib.rs", "a\r\n")])),
            vec![(String::from("src/lib.rs"), Change::Changed)]
        );
        let mut not_utf8 = BTreeMap::new();
        not_utf8.insert(String::from("src/lib.rs"), vec![0xff, b'\n']);
        assert_eq!(
            classify(&want, &not_utf8),
            vec![(String::from("src/lib.rs"), Change::Changed)]
        );
        assert!(classify(&want, &actual(&[("src/lib.rs", "a\n")])).is_empty());
    }

    #[test]
    fn crate_names_are_derived_from_the_spec_stem() {
        assert_eq!(
            derive_crate_name("walletkit").as_deref(),
            Some("walletkit-client")
        );
        assert_eq!(
            derive_crate_name("WalletKit").as_deref(),
            Some("wallet-kit-client")
        );
        assert_eq!(
            derive_crate_name("PetStore.v3").as_deref(),
            Some("pet-store-v3-client")
        );
        assert_eq!(
            derive_crate_name("my_api spec").as_deref(),
            Some("my-api-spec-client")
        );
        assert_eq!(
            derive_crate_name("HTTPBin").as_deref(),
            Some("http-bin-client")
        );
        assert_eq!(
            derive_crate_name("stripe-client").as_deref(),
            Some("stripe-client")
        );
        assert_eq!(derive_crate_name("client").as_deref(), Some("client"));
        assert_eq!(derive_crate_name("café").as_deref(), Some("caf-client"));
        assert_eq!(derive_crate_name("3d-models"), None);
        assert_eq!(derive_crate_name("---"), None);
        assert_eq!(derive_crate_name("日本"), None);
    }

    #[test]
    fn crate_names_are_validated() {
        assert!(validate_crate_name("walletkit-client").is_ok());
        assert!(validate_crate_name("_x").is_ok());
        assert!(validate_crate_name("").is_err());
        assert!(validate_crate_name("1x").is_err());
        assert!(validate_crate_name("a b").is_err());
        assert!(validate_crate_name(&"a".repeat(65)).is_err());
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("specs/pet-store.yaml"), "specs/pet-store.yaml");
        assert_eq!(shell_word("/tmp/out"), "/tmp/out");
        assert_eq!(shell_word("my specs/a.yaml"), "'my specs/a.yaml'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn generated_paths_must_stay_in_cargo_toml_and_src() {
        let ok = expected(&[("Cargo.toml", ""), ("src/lib.rs", ""), ("src/a/b.rs", "")]);
        assert!(check_generated_paths(&ok).is_ok());
        for bad in [
            "README.md",
            "tests/a.rs",
            "src/../x.rs",
            "src//a.rs",
            "src\\a.rs",
            "/src/a.rs",
        ] {
            let files = expected(&[("Cargo.toml", ""), (bad, "")]);
            let err = check_generated_paths(&files).unwrap_err();
            assert!(err.contains(bad), "{err}");
        }
        let no_manifest = expected(&[("src/lib.rs", "")]);
        assert!(check_generated_paths(&no_manifest)
            .unwrap_err()
            .contains("Cargo.toml"));
    }

    #[test]
    fn drift_report_lists_files_diffs_and_the_fix_command() {
        let want = expected(&[("src/a.rs", "one\ntwo\n"), ("src/new.rs", "fresh\n")]);
        let have = actual(&[("src/a.rs", "one\nTWO\n"), ("src/old.rs", "stale\n")]);
        let changes = classify(&want, &have);
        let report = drift_report(&changes, &want, &have, "out", "cargo xtask codegen", 200);
        assert!(report.contains("  changed out/src/a.rs\n"), "{report}");
        assert!(report.contains("  missing out/src/new.rs\n"), "{report}");
        assert!(report.contains("  extra   out/src/old.rs\n"), "{report}");
        assert!(report.contains("--- out/src/a.rs (on disk)\n"), "{report}");
        assert!(
            report.contains("+++ out/src/a.rs (generated)\n"),
            "{report}"
        );
        assert!(report.contains("\n-TWO\n+two\n"), "{report}");
        assert!(report.contains("\n+fresh\n"), "{report}");
        assert!(report.contains("\n-stale\n"), "{report}");
        assert!(
            report.ends_with("to update them, run: cargo xtask codegen\n"),
            "{report}"
        );
    }

    #[test]
    fn drift_report_caps_the_diff() {
        let long: String = (0..500).map(|i| format!("line {i}\n")).collect();
        let want = expected(&[("src/lib.rs", &long)]);
        let have = actual(&[]);
        let changes = classify(&want, &have);
        let report = drift_report(&changes, &want, &have, "out", "fix", 20);
        let diff_lines = report.lines().filter(|l| l.starts_with("+line")).count();
        assert!(diff_lines < 20, "{report}");
        assert!(report.contains("more diff lines not shown"), "{report}");
    }

    #[test]
    fn custom_jobs_quote_the_typed_paths_into_the_regenerate_command() {
        let job = Job::custom(
            Path::new("specs/Pet Store.yaml"),
            Path::new("out"),
            None,
            true,
        );
        let job = job.expect("valid job");
        assert_eq!(job.config.crate_name, "pet-store-client");
        assert_eq!(
            job.config.regenerate_command,
            "cargo xtask codegen --spec 'specs/Pet Store.yaml' --out out"
        );
        assert!(job.config.standalone && job.config.strict);
        assert_eq!(job.source_name, "specs/Pet Store.yaml");

        let named = Job::custom(
            Path::new("a.json"),
            Path::new("/tmp/o"),
            Some("x-api"),
            false,
        );
        let named = named.expect("valid job");
        assert_eq!(named.config.crate_name, "x-api");
        assert_eq!(
            named.config.regenerate_command,
            "cargo xtask codegen --spec a.json --out /tmp/o --name x-api"
        );

        assert!(Job::custom(Path::new("9.yaml"), Path::new("o"), None, false).is_err());
        assert!(Job::custom(Path::new("a.yaml"), Path::new("o"), Some("a b"), false).is_err());
    }

    #[test]
    fn the_walletkit_job_is_not_standalone() {
        let job = Job::walletkit(Path::new("/ws"), false);
        assert_eq!(job.config.crate_name, "walletkit-client");
        assert_eq!(job.config.regenerate_command, "cargo xtask codegen");
        assert!(!job.config.standalone);
        assert_eq!(job.spec_path, Path::new("/ws/spec/walletkit.yaml"));
        assert_eq!(job.out_dir, Path::new("/ws/generated-client"));
    }

    #[test]
    fn apply_writes_changes_removes_extras_and_leaves_other_files_alone() {
        let dir = std::env::temp_dir().join(format!("xtask-apply-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for (path, contents) in [
            ("Cargo.toml", "old"),
            ("src/lib.rs", "same"),
            ("src/old/gone.rs", "x"),
            ("tests/keep.rs", "keep"),
            ("README.md", "keep"),
        ] {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
            fs::write(path, contents).expect("write");
        }
        let want = expected(&[
            ("Cargo.toml", "new"),
            ("src/lib.rs", "same"),
            ("src/old", "now a file"),
        ]);
        let have = read_generated_files(&dir, "out").expect("read");
        assert_eq!(
            have.keys().collect::<Vec<_>>(),
            ["Cargo.toml", "src/lib.rs", "src/old/gone.rs"]
        );
        let changes = classify(&want, &have);
        apply(&dir, "out", &want, &changes).expect("apply");
        let after = read_generated_files(&dir, "out").expect("read");
        assert!(classify(&want, &after).is_empty());
        assert_eq!(
            fs::read_to_string(dir.join("tests/keep.rs")).expect("kept"),
            "keep"
        );
        assert_eq!(
            fs::read_to_string(dir.join("README.md")).expect("kept"),
            "keep"
        );
        fs::remove_dir_all(&dir).expect("cleanup");
    }
}
