//! Bad documents are rejected with precise diagnostics (file, JSON pointer, line and column
//! where they apply, and a message naming the problem), never with a panic.

use std::panic::{catch_unwind, AssertUnwindSafe};

use codegen::{Diagnostic, Severity};

/// Runs the generator on a document that must be rejected and returns its diagnostics, after
/// checking what every rejection must satisfy: no panic, at least one diagnostic, every
/// diagnostic an error that names the file.
fn rejected(name: &str, text: &str) -> Vec<Diagnostic> {
    let source = codegen::Source { name, text };
    let config = codegen::Config::new("diagnostics-client");
    let result = catch_unwind(AssertUnwindSafe(|| codegen::generate(source, &config)))
        .unwrap_or_else(|_| panic!("the generator panicked on `{name}` instead of reporting it"));
    let failure = match result {
        Ok(generation) => panic!(
            "`{name}` must be rejected, but it generated {} files with warnings {:#?}",
            generation.files.len(),
            generation.warnings
        ),
        Err(failure) => failure,
    };
    assert!(
        !failure.diagnostics.is_empty(),
        "`{name}`: a failure must carry at least one diagnostic"
    );
    for d in &failure.diagnostics {
        assert_eq!(d.severity, Severity::Error, "{d}");
        assert_eq!(d.file, name, "the diagnostic must name the file: {d}");
        assert!(!d.message.trim().is_empty(), "empty message: {d:?}");
    }
    let shown = failure.to_string();
    assert!(
        shown.contains(name),
        "the report must name the file:\n{shown}"
    );
    failure.diagnostics
}

/// The only diagnostic, for documents with exactly one problem.
fn single(name: &str, text: &str) -> Diagnostic {
    let diagnostics = rejected(name, text);
    assert_eq!(
        diagnostics.len(),
        1,
        "`{name}`: expected exactly one diagnostic, got {diagnostics:#?}"
    );
    diagnostics.into_iter().next().expect("one diagnostic")
}

fn lower(text: &str) -> String {
    text.to_lowercase()
}

/// A valid little document with one operation, `POST /users`, whose parts the tests break.
const VALID: &str = "\
openapi: 3.0.1
info:
  title: Users
  version: '1'
paths:
  /users:
    post:
      operationId: create_user
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/NewUser'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/User'
components:
  schemas:
    NewUser:
      type: object
      properties:
        name:
          type: string
    User:
      type: object
      properties:
        id:
          type: string
";

#[test]
fn the_valid_base_document_generates() {
    let source = codegen::Source {
        name: "users.yaml",
        text: VALID,
    };
    let generation = codegen::generate(source, &codegen::Config::new("users-client"))
        .unwrap_or_else(|failure| panic!("{failure}"));
    assert!(generation.warnings.is_empty(), "{:#?}", generation.warnings);
    assert_eq!(generation.stats.operations_generated, 1);
}

#[test]
fn invalid_yaml_is_located_by_line_and_column() {
    // Line 3 maps a value to a mapping key inside a plain scalar: not YAML.
    let text = "openapi: 3.0.1\ninfo:\n  title: a: b\n  version: '1'\npaths: {}\n";
    let d = single("broken.yaml", text);
    let (line, column) = d
        .line_column
        .unwrap_or_else(|| panic!("a YAML syntax error needs a line and column: {d}"));
    assert_eq!(line, 3, "{d}");
    assert!((1..="  title: a: b".len() + 1).contains(&column), "{d}");
    assert!(lower(&d.message).contains("yaml"), "{d}");
    assert!(
        d.to_string()
            .contains(&format!("broken.yaml:{line}:{column}")),
        "{d}"
    );
}

#[test]
fn invalid_json_is_located_by_line_and_column() {
    let text = "{\n  \"openapi\": \"3.0.1\",\n  \"info\": {\"title\": \"T\", \"version\": \"1\"},\n  \"paths\": {,}\n}\n";
    let d = single("broken.json", text);
    let (line, column) = d
        .line_column
        .unwrap_or_else(|| panic!("a JSON syntax error needs a line and column: {d}"));
    assert_eq!(line, 4, "{d}");
    assert_eq!(column, "  \"paths\": {,".len(), "{d}");
    assert!(lower(&d.message).contains("json"), "{d}");
}

/// The schema site of the request body of `POST /users`.
const BODY_SCHEMA: &str = "#/paths/~1users/post/requestBody/content/application~1json/schema";
/// The schema site of the 200 response of `POST /users`.
const RESPONSE_SCHEMA: &str = "#/paths/~1users/post/responses/200/content/application~1json/schema";

/// The pointer names the `$ref` site: the schema holding the `$ref`, or the `$ref` key itself.
fn points_at(d: &Diagnostic, site: &str) -> bool {
    d.pointer == site || d.pointer == format!("{site}/$ref")
}

/// The diagnostics of a run, whether it failed (its errors) or succeeded (its warnings).
fn diagnostics_of(name: &str, text: &str) -> Vec<Diagnostic> {
    let source = codegen::Source { name, text };
    let config = codegen::Config::new("diagnostics-client");
    match catch_unwind(AssertUnwindSafe(|| codegen::generate(source, &config))) {
        Err(_) => panic!("the generator panicked on `{name}` instead of reporting it"),
        Ok(Ok(generation)) => generation.warnings,
        Ok(Err(failure)) => failure.diagnostics,
    }
}

fn dangling_body_ref() -> String {
    let text = VALID.replacen(
        "$ref: '#/components/schemas/NewUser'",
        "$ref: '#/components/schemas/Missing'",
        1,
    );
    assert_ne!(text, VALID);
    text
}

fn two_dangling_refs() -> String {
    let text = VALID
        .replacen("schemas/NewUser'", "schemas/Missing'", 1)
        .replacen("schemas/User'", "schemas/AlsoMissing'", 1);
    assert_eq!(text.matches("Missing'").count(), 2);
    text
}

/// Where the diagnostic of a dangling `$ref` points and what it says, whatever its severity.
#[test]
fn a_dangling_ref_names_its_site_and_target() {
    let diagnostics = diagnostics_of("dangling.yaml", &dangling_body_ref());
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!(d.file, "dangling.yaml", "{d}");
    assert!(
        points_at(d, BODY_SCHEMA),
        "expected the pointer {BODY_SCHEMA}: {d}"
    );
    assert!(d.message.contains("#/components/schemas/Missing"), "{d}");
}

/// A `$ref` to nothing is a broken document, not an oddity to paper over with an untyped
/// value: the run fails (without `strict`).
#[test]
fn a_dangling_ref_is_an_error() {
    let d = single("dangling.yaml", &dangling_body_ref());
    assert!(
        points_at(&d, BODY_SCHEMA),
        "expected the pointer {BODY_SCHEMA}: {d}"
    );
    assert!(d.message.contains("#/components/schemas/Missing"), "{d}");
}

#[test]
fn a_dangling_ref_fails_a_strict_run() {
    let text = dangling_body_ref();
    let source = codegen::Source {
        name: "dangling.yaml",
        text: &text,
    };
    let config = codegen::Config {
        strict: true,
        ..codegen::Config::new("diagnostics-client")
    };
    let failure = codegen::generate(source, &config).expect_err("a strict run must fail");
    assert!(
        failure.diagnostics.iter().any(|d| points_at(d, BODY_SCHEMA)
            && d.severity == Severity::Error
            && d.message.contains("#/components/schemas/Missing")),
        "{failure}"
    );
}

#[test]
fn every_dangling_ref_is_reported_not_just_the_first() {
    let diagnostics = diagnostics_of("dangling.yaml", &two_dangling_refs());
    let body = diagnostics.iter().find(|d| points_at(d, BODY_SCHEMA));
    let response = diagnostics.iter().find(|d| points_at(d, RESPONSE_SCHEMA));
    assert!(
        body.is_some_and(|d| d.message.contains("#/components/schemas/Missing")),
        "no diagnostic at {BODY_SCHEMA}: {diagnostics:#?}"
    );
    assert!(
        response.is_some_and(|d| d.message.contains("#/components/schemas/AlsoMissing")),
        "no diagnostic at {RESPONSE_SCHEMA}: {diagnostics:#?}"
    );
}

#[test]
fn an_empty_document_is_rejected_as_empty() {
    for (name, text) in [
        ("empty.yaml", ""),
        ("blank.yaml", "  \n\n"),
        ("comment.yaml", "# nothing here\n"),
    ] {
        let d = single(name, text);
        assert!(lower(&d.message).contains("empty"), "{name}: {d}");
    }
}

#[test]
fn a_swagger_2_document_is_read() {
    let text = "swagger: '2.0'\ninfo:\n  title: Old\n  version: '1'\npaths: {}\n";
    let source = codegen::Source {
        name: "swagger.yaml",
        text,
    };
    let generation = codegen::generate(source, &codegen::Config::new("old-client"))
        .unwrap_or_else(|failure| panic!("a Swagger 2.0 document is read: {failure}"));
    assert!(generation.warnings.is_empty(), "{:#?}", generation.warnings);
}

/// `paths` must be a map; the diagnostic points at it and says what was expected, in the
/// document's terms rather than the generator's (no Rust type names).
fn assert_paths_not_a_map(d: &Diagnostic) {
    assert_eq!(d.pointer, "#/paths", "{d}");
    let message = lower(&d.message);
    assert!(
        ["map", "object"].iter().any(|word| message.contains(word)),
        "the message must say a map/object was expected: {d}"
    );
    assert!(
        !message.contains("struct"),
        "the message must not name Rust types: {d}"
    );
}

#[test]
fn paths_as_a_list_is_rejected_at_paths() {
    let text = "openapi: 3.0.1\ninfo:\n  title: T\n  version: '1'\npaths:\n- /users\n- /wallets\n";
    assert_paths_not_a_map(&single("list.yaml", text));
}

#[test]
fn paths_as_a_list_is_rejected_at_paths_in_json_too() {
    let text =
        r#"{"openapi": "3.0.1", "info": {"title": "T", "version": "1"}, "paths": ["/users"]}"#;
    assert_paths_not_a_map(&single("list.json", text));
}
