//! Integer enums, `default` values and repeated prose (`fixtures/typed_values.yaml`).
//!
//! The generated `types.rs` is a snapshot; a few properties are asserted on its text; and the
//! crate is built, linted and tested for real: `fixtures/typed_values_roundtrip.rs` is copied
//! in as `tests/roundtrip.rs` and proves the serde round trips (bare integers on the wire,
//! unknown values kept, defaults filled in when absent and present values unchanged, types
//! the client sends leaving out what the caller did not set) and the integer enums and
//! defaults in paths, queries and bodies against a `wiremock` server.
//!
//! The crate is written and built as `tests/support` does for every generated crate.

mod support;

use std::sync::OnceLock;

const SPEC: &str = include_str!("fixtures/typed_values.yaml");
const ROUNDTRIP: &str = include_str!("fixtures/typed_values_roundtrip.rs");

fn generation() -> &'static codegen::Generation {
    static GENERATION: OnceLock<codegen::Generation> = OnceLock::new();
    GENERATION
        .get_or_init(|| support::generate_fixture("typed-values-client", "typed_values.yaml", SPEC))
}

fn types_rs() -> &'static str {
    &generation().files["src/types.rs"]
}

/// The text of the item that starts with `start` (up to the next blank line at column 0
/// followed by an item), for focused assertions.
fn item(start: &str) -> &'static str {
    let text = types_rs();
    let at = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not generated"));
    let rest = &text[at..];
    let end = rest.find("\n}\n").map_or(rest.len(), |i| i + 3);
    &rest[..end]
}

#[test]
fn types_snapshot() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("typed_values__src_types.rs", types_rs()));
}

#[test]
fn every_operation_generates_and_only_the_loader_warns() {
    let generation = generation();
    assert_eq!(generation.stats.operations_total, 6);
    assert_eq!(generation.stats.operations_generated, 6);
    // The two repairs of the loader (`default` beside `$ref`, `'10'` on an integer), and the
    // multipart body also used as JSON; the model adds no warning for defaults it cannot fill
    // in: they are documented instead.
    let warnings: Vec<(&str, &str)> = generation
        .warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    assert!(
        warnings.iter().any(
            |(pointer, message)| *pointer == "#/components/schemas/Attachment"
                && message.contains("multipart body and is also used elsewhere")
        ),
        "{warnings:#?}"
    );
}

#[test]
fn binary_data_is_a_file_part_only_in_multipart_bodies() {
    // A multipart body's file is an `Upload`, sent as a file part, without serde.
    let upload = item("pub struct UploadRequest {");
    assert!(upload.contains("pub file: crate::Upload,"), "{upload}");
    assert!(types_rs().contains("#[derive(Debug, Clone, PartialEq)]\npub struct UploadRequest {"));
    // In JSON, `format: binary` is the string as sent and `format: byte` base64 text.
    let request = item("pub struct CreateDocumentRequest {");
    for expected in [
        "pub content: String,",
        "pub digest: Option<String>,",
        "pub pages: Option<Vec<String>>,",
        "/// Binary data, base64-encoded (`format: byte`): the encoded text, as sent and received.",
        "/// Binary data (`format: binary`) carried as text, where JSON has no raw bytes: the string as sent and received, unchanged.",
    ] {
        assert!(request.contains(expected), "`{expected}`:\n{request}");
    }
    // A multipart body that is also a JSON response is one serde type.
    let attachment = item("pub struct Attachment {");
    assert!(attachment.contains("pub data: String,"), "{attachment}");
    assert!(types_rs().contains("serde::Deserialize)]\npub struct Attachment {"));
}

#[test]
fn integer_enums_are_enums_with_an_open_variant() {
    let priority = item("pub enum Priority {");
    for expected in ["V1,", "V2,", "V3,", "Unknown(i64),"] {
        assert!(priority.contains(expected), "{priority}");
    }
    assert!(types_rs()
        .contains("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum Priority {"));
    // Listed twice, one variant; negative values are spelled out.
    let level = item("pub enum Level {");
    assert_eq!(level.matches("    V1,").count(), 1, "{level}");
    assert!(level.contains("Minus1,"), "{level}");
    // int32 keeps i32 when every value fits, and i64 otherwise.
    assert!(item("pub enum Small {").contains("Unknown(i32),"));
    assert!(item("pub enum WideInt32 {").contains("Unknown(i64),"));
    // `x-enum-varnames` names the variants; one that is the open variant's name is renamed.
    let status = item("pub enum HttpStatus {");
    for expected in ["Ok,", "NotFound,", "Unknown2,", "Unknown(i64),"] {
        assert!(status.contains(expected), "{status}");
    }
    // `enum: [10, 20]` with no `type` is an integer enum too.
    assert!(types_rs().contains("pub enum Untyped {"));
    // No serde derive: the integer is written by hand.
    assert!(types_rs().contains("impl serde::Serialize for Priority {"));
    assert!(types_rs().contains("impl<'de> serde::Deserialize<'de> for Priority {"));
}

#[test]
fn simple_defaults_are_filled_in_and_others_only_documented() {
    let settings = item("pub struct Settings {");
    for (field, ty) in [
        ("name", "String"),
        ("retries", "i64"),
        ("small", "i32"),
        ("whole", "f32"),
        ("enabled", "bool"),
        ("tint", "Colour"),
        ("priority", "Priority"),
        ("level", "Level"),
        ("inline_level", "SettingsInlineLevel"),
        // The default of the referenced component, directly and through `allOf`.
        ("shade", "Shade"),
        ("wrapped_shade", "Shade"),
        ("light_shade", "Shade"),
    ] {
        let attr =
            format!("#[serde(default = \"Settings::default_{field}\")]\n    pub {field}: {ty},");
        assert!(settings.contains(&attr), "{attr}\n{settings}");
    }
    for (field, ty) in [
        ("colour", "Option<Colour>"),
        ("tags", "Option<Vec<String>>"),
        ("unlisted", "Option<Colour>"),
        ("nullable_name", "Option<String>"),
        ("created_by", "Option<String>"),
        ("when", "Option<chrono::DateTime<chrono::Utc>>"),
    ] {
        assert!(
            settings.contains(&format!("pub {field}: {ty},")),
            "{field}\n{settings}"
        );
    }
    assert!(settings.contains("/// Defaults to `2` when absent."));
    assert!(settings.contains(
        "/// The API's default: `[\"a\",\"b\"]` (not filled in: an absent value is `None`)."
    ));
    // A backtick in the default cannot end the doc's code span.
    assert!(settings.contains("/// Defaults to `\"say \\\"hi\\\" 'now'\"` when absent."));
    // `Default` is written out, so it has the API's defaults.
    assert!(!settings.contains("Default,"));
    let default = item("impl Default for Settings {");
    assert!(default.contains("priority: Settings::default_priority(),"));
    assert!(default.contains("tags: None,"));
    // A struct with required fields gets the default functions but no `Default`.
    assert!(types_rs().contains("pub fn default_attempts() -> i32 {"));
    assert!(!types_rs().contains("impl Default for Job"));
    // Types the client sends (request bodies, and what they reach) keep defaulted fields
    // optional, decoded as `Some(default)`, and derive `Default` as before.
    let update = item("pub struct SettingsUpdate {");
    assert!(
        update.contains("pub priority: Option<Priority>,"),
        "{update}"
    );
    assert!(update.contains("default = \"SettingsUpdate::decoded_default_priority\""));
    assert!(types_rs()
        .contains("Default, serde::Serialize, serde::Deserialize)]\npub struct SettingsUpdate {"));
    assert!(item("pub struct Quota {").contains("pub max: Option<i64>,"));
    assert!(item("pub struct Job {").contains("pub attempts: Option<i32>,"));
    assert!(item("pub struct Job {").contains("pub required_default: String,"));
    // Multipart bodies are not decoded; their defaults are only documented.
    assert!(item("pub struct UploadRequest {").contains("pub retries: Option<i64>,"));
}

#[test]
fn parameter_defaults_are_documented_and_left_to_the_server() {
    let settings = &generation().files["src/apis/settings.rs"];
    let params = settings
        .split("pub struct GetSettingsParams {")
        .nth(1)
        .and_then(|rest| rest.split("\n}\n").next())
        .unwrap_or_else(|| panic!("GetSettingsParams is generated:\n{settings}"));
    assert!(
        params.contains(
            "/// The server's default when it is not sent (`None`): `20`.\n    pub limit: Option<i64>,"
        ),
        "{params}"
    );
    // Through the `$ref` to a component with a default.
    assert!(
        params.contains(
            "/// The server's default when it is not sent (`None`): `\"dark\"`.\n    pub x_shade: Option<crate::types::Shade>,"
        ),
        "{params}"
    );
    assert!(item("pub struct SettingsUpdate {").contains("pub shade: Option<Shade>,"));
}

#[test]
fn operations_without_summary_open_with_a_meaningful_line() {
    let settings = &generation().files["src/apis/settings.rs"];
    // Neither summary nor description: the method and path, once.
    assert!(
        settings.contains("    /// `GET /settings`\n    pub async fn get_settings("),
        "{settings}"
    );
    // A description only: its first sentence, then the rest, then the method and path.
    assert!(
        settings.contains(
            "    /// Changes only the settings named, e.g. `priority`.\n    ///\n    /// The others are kept.\n    ///\n    /// `PATCH /settings`\n    pub async fn update_settings("
        ),
        "{settings}"
    );
}

#[test]
fn a_title_repeated_as_description_is_shown_once() {
    assert!(
        types_rs().contains("/// Workflow Run Usage\n#[derive"),
        "{}",
        item("/// Workflow Run Usage")
    );
    assert!(types_rs().contains("    /// Billable\n    #[serde"));
}

#[test]
fn the_crate_lints_clean_and_its_values_round_trip() {
    let generated = support::write_crate(
        "typed-values-client",
        &generation().files,
        &[("tests/roundtrip.rs", ROUNDTRIP)],
    );
    generated
        .clippy(&["--all-features"])
        .unwrap_or_else(|e| panic!("{e}"));
    match generated.cargo(&["test", "--all-features", "--test", "roundtrip"]) {
        Ok(output) => {
            // Every test of the round-trip file ran; none was filtered out or ignored.
            let tests =
                ROUNDTRIP.matches("#[test]").count() + ROUNDTRIP.matches("#[tokio::test]").count();
            let expected = format!("test result: ok. {tests} passed; 0 failed; 0 ignored");
            assert!(
                output.contains(&expected),
                "expected `{expected}`:\n{output}"
            );
        }
        Err(e) => panic!("the round-trip tests failed:\n{e}"),
    }
}
