//! OpenAPI 3.1 and Swagger 2.0 documents: read by normalising them into OpenAPI 3.0.
//!
//! - the same API written in the three dialects generates the same crate, byte for byte
//!   once the header naming the source file is stripped;
//! - the 3.1 example of the public corpus generates, with a note about its webhooks;
//! - diagnostics about a 2.0 document point into it, not into its 3.0 rewrite.

use std::collections::BTreeMap;
use std::path::PathBuf;

use codegen::{Config, Diagnostic, Generation, Severity, Source};

const V30: &str = include_str!("fixtures/dialects/petstore-3.0.yaml");
const V31: &str = include_str!("fixtures/dialects/petstore-3.1.yaml");
const V20: &str = include_str!("fixtures/dialects/petstore-2.0.json");

fn generate(name: &str, text: &str) -> Generation {
    codegen::generate(Source { name, text }, &Config::new("dialect-pets"))
        .unwrap_or_else(|failure| panic!("`{name}` must generate:\n{failure}"))
}

/// The files of a crate, each without its header (the comment lines before the first blank
/// line, which name the source document).
fn without_headers(files: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(path, text)| {
            let body = match text.split_once("\n\n") {
                Some((head, body))
                    if head.lines().all(|l| {
                        (l.starts_with("//") && !l.starts_with("//!")) || l.starts_with('#')
                    }) =>
                {
                    body
                }
                _ => text.as_str(),
            };
            (path.clone(), body.to_owned())
        })
        .collect()
}

/// The first lines where `a` and `b` differ, for a failure message.
fn first_difference(a: &str, b: &str) -> String {
    let (a_lines, b_lines): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let at = a_lines
        .iter()
        .zip(&b_lines)
        .position(|(x, y)| x != y)
        .unwrap_or(a_lines.len().min(b_lines.len()));
    let show = |lines: &[&str]| {
        lines
            .iter()
            .skip(at.saturating_sub(3))
            .take(8)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "line {}:\n--- expected (3.0) ---\n{}\n--- found ---\n{}",
        at + 1,
        show(&a_lines),
        show(&b_lines)
    )
}

#[test]
fn the_same_api_in_three_dialects_generates_the_same_crate() {
    let v30 = generate("petstore-3.0.yaml", V30);
    assert!(v30.warnings.is_empty(), "{:#?}", v30.warnings);
    assert_eq!(v30.stats.operations_total, 4);
    assert_eq!(v30.stats.operations_generated, 4);
    let expected = without_headers(&v30.files);
    assert!(
        expected.contains_key("src/types.rs"),
        "{:?}",
        expected.keys()
    );
    for (name, text) in [("petstore-3.1.yaml", V31), ("petstore-2.0.json", V20)] {
        let other = generate(name, text);
        assert!(other.warnings.is_empty(), "{name}: {:#?}", other.warnings);
        assert_eq!(other.stats, v30.stats, "{name}");
        let found = without_headers(&other.files);
        assert_eq!(
            found.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "{name}: the generated files"
        );
        for (path, text) in &expected {
            let other_text = &found[path];
            assert!(
                text == other_text,
                "{name}: `{path}` differs from the 3.0 version at {}",
                first_difference(text, other_text)
            );
        }
    }
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

#[test]
fn the_corpus_webhook_example_generates_its_schema_and_a_note_about_webhooks() {
    let path = corpus_dir().join("oai-webhook-example.yaml");
    let text = std::fs::read_to_string(&path).expect("the corpus beside the repository");
    let generation = generate("oai-webhook-example.yaml", &text);
    assert_eq!(generation.stats.operations_total, 0);
    assert_eq!(generation.stats.types, 1);
    let types = &generation.files["src/types.rs"];
    assert!(types.contains("pub struct Pet"), "{types}");
    let [warning]: [Diagnostic; 1] = generation
        .warnings
        .clone()
        .try_into()
        .unwrap_or_else(|w| panic!("one warning: {w:#?}"));
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.pointer, "#/webhooks");
    assert!(warning.message.contains("newPet"), "{warning}");
}

fn failure(name: &str, text: &str) -> Vec<Diagnostic> {
    match codegen::generate(Source { name, text }, &Config::new("broken")) {
        Ok(generation) => panic!("`{name}` must fail; warnings: {:#?}", generation.warnings),
        Err(failure) => failure.diagnostics,
    }
}

#[test]
fn a_dangling_definition_ref_in_swagger_2_points_into_the_swagger_document() {
    let text = V20.replacen(
        r##""status": { "$ref": "#/definitions/Status" }"##,
        r##""status": { "$ref": "#/definitions/Nope" }"##,
        1,
    );
    assert_ne!(text, V20);
    let errors = failure("petstore-2.0.json", &text);
    let [error]: [Diagnostic; 1] = errors
        .try_into()
        .unwrap_or_else(|e| panic!("one error: {e:#?}"));
    assert_eq!(error.pointer, "#/definitions/Pet/properties/status");
    assert!(error.message.contains("`#/definitions/Nope`"), "{error}");
    assert!(!error.message.contains("components"), "{error}");
}

#[test]
fn a_broken_body_parameter_schema_points_at_the_parameter() {
    // A body schema referring to a missing definition: the error is at the body parameter's
    // schema, where it was written, not at the `requestBody` it became.
    let text = V20.replacen(
        r##""schema": { "$ref": "#/definitions/Pet" }
          }
        ],"##,
        r##""schema": { "$ref": "#/definitions/Missing" }
          }
        ],"##,
        1,
    );
    assert_ne!(text, V20);
    let errors = failure("petstore-2.0.json", &text);
    let pointers: Vec<&str> = errors.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        ["#/paths/~1pets/post/parameters/0/schema"],
        "{errors:#?}"
    );
}

#[test]
fn model_warnings_about_a_swagger_2_document_point_into_it() {
    // Shapes no Rust type holds: the model warns, at a pointer into the rewritten document
    // (`#/components/schemas/…`, `…/requestBody/…`), which must be mapped back.
    let text = V20
        .replacen(
            r##""schema": { "$ref": "#/definitions/Pet" }
          }
        ],"##,
            r##""schema": { "allOf": [{ "type": "string" }, { "type": "integer" }] }
          }
        ],"##,
            1,
        )
        .replacen(
            r##""Status": {"##,
            r##""Odd": { "allOf": [{ "type": "string" }, { "type": "integer" }] },
    "Status": {"##,
            1,
        );
    let generation = generate("petstore-2.0.json", &text);
    let pointers: Vec<&str> = generation
        .warnings
        .iter()
        .map(|w| w.pointer.as_str())
        .collect();
    assert!(
        pointers.contains(&"#/paths/~1pets/post/parameters/0/schema"),
        "{:#?}",
        generation.warnings
    );
    assert!(
        pointers.contains(&"#/definitions/Odd"),
        "{:#?}",
        generation.warnings
    );
    for w in &generation.warnings {
        assert!(
            !w.pointer.contains("components") && !w.pointer.contains("requestBody"),
            "{w}"
        );
    }
}
