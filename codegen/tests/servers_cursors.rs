//! Server variables and cursor pagination (`fixtures/servers_cursors.yaml`).
//!
//! The model's choices are checked on the generated text and warnings: which operations get a
//! cursor stream (and which look like one but must not), which variables become enums, and
//! where the warnings point. Then the crate is written under cargo's temp dir (like
//! `compile_seed.rs` and `hostile.rs`, sharing their target dir), linted with clippy, and its
//! tests run: the doc tests of its guide and `servers_cursors/behaviour.rs`, which drives the
//! client against a `wiremock` server.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const FIXTURE: &str = include_str!("fixtures/servers_cursors.yaml");
const BEHAVIOUR: &str = include_str!("servers_cursors/behaviour.rs");

fn generation() -> &'static codegen::Generation {
    static GENERATION: OnceLock<codegen::Generation> = OnceLock::new();
    GENERATION.get_or_init(|| {
        let config = codegen::Config {
            standalone: true,
            ..codegen::Config::new("servers-cursors-client")
        };
        let source = codegen::Source {
            name: "tests/fixtures/servers_cursors.yaml",
            text: FIXTURE,
        };
        codegen::generate(source, &config)
            .unwrap_or_else(|failure| panic!("the fixture must generate:\n{failure}"))
    })
}

fn file(path: &str) -> &'static str {
    generation()
        .files
        .get(path)
        .unwrap_or_else(|| panic!("{path} is generated"))
}

#[test]
fn odd_server_variables_are_warned_about_where_they_stand() {
    let warnings: Vec<(&str, &str)> = generation()
        .warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    let pointers: Vec<&str> = warnings.iter().map(|(p, _)| *p).collect();
    assert_eq!(
        pointers,
        [
            "#/servers/3/url",
            "#/servers/4/variables/Zone/default",
            "#/servers/4/url",
        ],
        "{warnings:#?}"
    );
    assert!(warnings[0].1.contains("`tenant`"), "{warnings:#?}");
    assert!(warnings[1].1.contains("`c`"), "{warnings:#?}");
    assert!(warnings[2].1.contains("`undeclared`"), "{warnings:#?}");
}

#[test]
fn variables_become_typed_fields_and_enums() {
    let client = file("src/client.rs");
    for expected in [
        "Production(ProductionVariables)",
        "Local(LocalVariables)",
        // A server without variables stays a unit variant.
        "    Staging,\n",
        "pub region: Region,",
        "pub scheme: Scheme,",
        "pub base_path: String,",
        // `Zone` (enum) and `zone` (text) meet after case conversion.
        "pub zone: Zone,",
        "pub zone2: String,",
        "pub undeclared: String,",
        "pub fn with_api_version(mut self, value: impl Into<String>) -> Self",
        "impl From<LocalVariables> for Server",
        "crate::runtime::UrlPart::Authority",
    ] {
        assert!(client.contains(expected), "missing `{expected}`:\n{client}");
    }
    // Production and Sandbox share one `Region` enum; Sandbox's unused `version` is no field.
    assert_eq!(client.matches("pub enum Region").count(), 1, "{client}");
    assert!(
        !client.contains("SandboxVariables {\n    pub version"),
        "{client}"
    );
}

#[test]
fn only_clear_cursor_pages_get_a_stream() {
    let things = file("src/apis/things.rs");
    for stream in [
        "pub fn list_things_stream(",
        "pub fn list_files_stream(",
        "pub fn list_pins_stream(",
        "pub fn list_instances_stream(",
    ] {
        assert!(things.contains(stream), "missing `{stream}`:\n{things}");
    }
    // A list without a next cursor, a `token` that is no cursor, a `links.next` URL, a `next`
    // documented as a URL, a call paged by offset or marker, two cursor parameters, and a page
    // with two anonymous lists: no stream for any.
    let negative = file("src/apis/negative.rs");
    // Seven operations, each with its `_with_options` twin.
    assert_eq!(negative.matches("pub async fn ").count(), 14, "{negative}");
    assert!(!negative.contains("_stream"), "{negative}");
}

#[test]
fn operations_with_servers_of_their_own_are_sent_there() {
    let client = file("src/client.rs");
    for expected in [
        "pub enum OperationServer {",
        // Once each, however many operations use it.
        "    UploadsExampleCom,\n",
        "    Archive,\n",
        "pub struct UploadsExampleComVariables {",
        "pub fn with_operation_server(",
        "pub fn operation_url(&self, server: OperationServer) -> String {",
    ] {
        assert!(client.contains(expected), "missing `{expected}`:\n{client}");
    }
    assert_eq!(client.matches("    Archive,\n").count(), 1, "{client}");
    // One of the document's servers keeps its name and its variables struct.
    assert!(client.contains("    Sandbox,\n}"), "{client}");
    assert_eq!(client.matches("pub struct SandboxVariables").count(), 1);
    assert!(
        client.contains("OperationServer::Sandbox => &[3],"),
        "{client}"
    );
    // No `From<…> for Server`: an operation server is not a `Server`.
    assert!(!client.contains("impl From<UploadsExampleComVariables> for Server"));
    let hosts = file("src/apis/hosts.rs");
    // In `request_on(crate::OperationServer::X, …)`, however the formatter lays it out.
    let on = |server: &str| format!("crate::OperationServer::{server},");
    assert_eq!(hosts.matches(&on("Archive")).count(), 2, "{hosts}");
    assert_eq!(
        hosts.matches(&on("UploadsExampleCom")).count(),
        1,
        "{hosts}"
    );
    assert_eq!(hosts.matches(&on("Sandbox")).count(), 1, "{hosts}");
    // Servers naming every one of the document's are no server of its own.
    assert_eq!(hosts.matches("self.client.request(").count(), 1, "{hosts}");
    assert!(hosts.contains("[`OperationServer::UploadsExampleCom`](crate::OperationServer::UploadsExampleCom) (by default `https://uploads.example.com`)"));
}

#[test]
fn the_runtime_stream_helpers_are_generated() {
    assert!(file("src/pagination.rs").contains("pub(crate) fn cursor_items"));
    assert!(file("Cargo.toml").contains("futures-util"));
}

fn write_crate(dir: &Path, files: &BTreeMap<String, String>) {
    for sub in ["src", "tests"] {
        let sub = dir.join(sub);
        if sub.exists() {
            fs::remove_dir_all(&sub).expect("remove an old directory");
        }
    }
    for (path, contents) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("a generated path has a parent"))
            .expect("create the directory of a generated file");
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
    fs::create_dir_all(dir.join("tests")).expect("create tests/");
    fs::write(dir.join("tests/behaviour.rs"), BEHAVIOUR).expect("write tests/behaviour.rs");
}

fn cargo(dir: &Path, target_dir: &Path, args: &[&str]) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        // The flags of `compile_seed.rs` and `hostile.rs`, so their dependency builds are reused.
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "cargo {} in {} failed ({}):\n{}{}",
        args.join(" "),
        dir.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

#[test]
fn the_crate_is_lint_clean_and_behaves_against_a_server() {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.join("servers-cursors").join("servers-cursors-client");
    let target_dir = tmp.join("compile-seed").join("target");
    fs::create_dir_all(&dir).expect("create the crate directory");
    write_crate(&dir, &generation().files);
    let workspace_lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    fs::copy(&workspace_lock, dir.join("Cargo.lock")).expect("copy the workspace Cargo.lock");
    cargo(
        &dir,
        &target_dir,
        &[
            "clippy",
            "--quiet",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
    );
    cargo(&dir, &target_dir, &["test", "--quiet", "--all-features"]);
}
