//! Server variables and cursor pagination (`fixtures/servers_cursors.yaml`).
//!
//! The model's choices are checked on the generated text and warnings: which operations get a
//! cursor stream (and which look like one but must not), which variables become enums, and
//! where the warnings point. Then the crate is written as `tests/support` does for every
//! generated crate, linted with clippy, and its
//! tests run: the doc tests of its guide and `servers_cursors/behaviour.rs`, which drives the
//! client against a `wiremock` server.

mod support;

use std::sync::OnceLock;

const FIXTURE: &str = include_str!("fixtures/servers_cursors.yaml");
const BEHAVIOUR: &str = include_str!("servers_cursors/behaviour.rs");

fn generation() -> &'static codegen::Generation {
    static GENERATION: OnceLock<codegen::Generation> = OnceLock::new();
    GENERATION.get_or_init(|| {
        support::generate_fixture("servers-cursors-client", "servers_cursors.yaml", FIXTURE)
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

#[test]
fn the_crate_is_lint_clean_and_behaves_against_a_server() {
    let generated = support::write_crate(
        "servers-cursors-client",
        &generation().files,
        &[("tests/behaviour.rs", BEHAVIOUR)],
    );
    generated
        .clippy(&["--all-features"])
        .unwrap_or_else(|e| panic!("{e}"));
    generated.cargo_ok(&["test", "--quiet", "--all-features"]);
}
