//! Tests of the loader: one per behaviour, each checking the exact pointer and that the
//! message names the problem; the public corpus; nesting depth; references.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use serde::Deserialize;
use serde_json::{json, Value};

use super::*;

// ---------------------------------------------------------------------------------------
// Helpers

fn run(name: &str, text: &str) -> Result<Loaded, Failure> {
    load(Source { name, text })
}

#[track_caller]
fn loads(name: &str, text: &str) -> Loaded {
    run(name, text).unwrap_or_else(|failure| panic!("`{name}` must load:\n{failure}"))
}

#[track_caller]
fn fails(name: &str, text: &str) -> Vec<Diagnostic> {
    match run(name, text) {
        Ok(loaded) => panic!(
            "`{name}` must fail, but loaded with warnings {:#?}",
            loaded.warnings
        ),
        Err(failure) => {
            assert!(!failure.diagnostics.is_empty());
            for d in &failure.diagnostics {
                assert_eq!(d.severity, Severity::Error, "{d}");
                assert_eq!(d.file, name, "{d}");
            }
            failure.diagnostics
        }
    }
}

/// The only error of a failing document.
#[track_caller]
fn single_error(name: &str, text: &str) -> Diagnostic {
    let errors = fails(name, text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.into_iter().next().expect("one error")
}

/// The warning at `pointer`, which must be the only one there.
#[track_caller]
fn warning_at<'a>(loaded: &'a Loaded, pointer: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = loaded
        .warnings
        .iter()
        .filter(|d| d.pointer == pointer)
        .collect();
    match found.as_slice() {
        [one] => {
            assert_eq!(one.severity, Severity::Warning, "{one}");
            one
        }
        _ => panic!(
            "expected one warning at {pointer}, got {:#?}",
            loaded.warnings
        ),
    }
}

#[track_caller]
fn assert_mentions(d: &Diagnostic, words: &[&str]) {
    for word in words {
        assert!(d.message.contains(word), "`{word}` not in: {d}");
    }
}

#[track_caller]
fn no_warnings(loaded: &Loaded) {
    assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
}

fn document(paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

/// A JSON document with one component schema, `S`.
fn with_schema(schema: Value) -> String {
    document(json!({}), json!({ "S": schema })).to_string()
}

/// A JSON document with one path, `/p`, whose `get` is `operation`.
fn with_operation(operation: Value) -> String {
    document(json!({ "/p": { "get": operation } }), json!({})).to_string()
}

const S: &str = "#/components/schemas/S";

fn schema<'a>(loaded: &'a Loaded, name: &str) -> &'a ReferenceOr<openapiv3::Schema> {
    loaded
        .document
        .components
        .as_ref()
        .and_then(|c| c.schemas.get(name))
        .unwrap_or_else(|| panic!("no schema {name}"))
}

#[track_caller]
fn item(schema: &ReferenceOr<openapiv3::Schema>) -> &openapiv3::Schema {
    match schema {
        ReferenceOr::Item(schema) => schema,
        ReferenceOr::Reference { reference } => panic!("a reference to {reference}"),
    }
}

#[track_caller]
fn kind_of<'a>(loaded: &'a Loaded, name: &str) -> &'a SchemaKind {
    &item(schema(loaded, name)).schema_kind
}

// ---------------------------------------------------------------------------------------
// Syntax and top-level shape

#[test]
fn a_yaml_syntax_error_has_a_line_and_column() {
    let text = "openapi: 3.0.3\ninfo:\n  title: a: b\n  version: '1'\npaths: {}\n";
    let d = single_error("broken.yaml", text);
    assert_eq!(d.line_column, Some((3, 11)), "{d}");
    assert!(d.message.starts_with("invalid YAML"), "{d}");
    // The location is not repeated inside the message.
    assert!(!d.message.contains("line 3"), "{d}");
}

#[test]
fn a_json_syntax_error_has_a_line_and_column() {
    let text = "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {,}\n}";
    let d = single_error("broken.json", text);
    assert_eq!(d.line_column, Some((3, 13)), "{d}");
    assert!(d.message.starts_with("invalid JSON"), "{d}");
    assert!(!d.message.contains("line 3"), "{d}");
}

#[test]
fn json_is_read_by_the_json_parser() {
    // Valid YAML (a flow mapping with a comment), but not JSON.
    let text = "{\"openapi\": \"3.0.3\", # comment\n \"info\": {}, \"paths\": {}}";
    let d = single_error("doc.json", text);
    assert!(d.message.starts_with("invalid JSON"), "{d}");
    assert_eq!(d.line_column.map(|(line, _)| line), Some(1), "{d}");
}

#[test]
fn empty_documents_are_reported_as_empty() {
    for (name, text) in [
        ("empty.yaml", ""),
        ("blank.yaml", " \n\t\n"),
        ("comment.yaml", "# nothing\n"),
        ("null.yaml", "~\n"),
        ("bom.yaml", "\u{feff}\n"),
    ] {
        let d = single_error(name, text);
        assert!(d.message.contains("empty"), "{name}: {d}");
        assert!(!d.message.contains("serde"), "{name}: {d}");
    }
}

#[test]
fn a_top_level_scalar_or_list_is_not_a_document() {
    for (name, text, found) in [
        ("scalar.yaml", "just a string\n", "a string"),
        ("list.yaml", "- openapi: 3.0.3\n", "a list"),
        ("number.yaml", "42\n", "a number"),
        ("list.json", "[{\"openapi\": \"3.0.3\"}]", "a list"),
    ] {
        let d = single_error(name, text);
        assert_eq!(d.pointer, "#", "{d}");
        assert_mentions(&d, &["must be a map", found]);
    }
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let text = format!("\u{feff}{}", with_schema(json!({"type": "string"})));
    no_warnings(&loads("bom.json", &text));
}

// ---------------------------------------------------------------------------------------
// YAML specifics

#[test]
fn integer_keys_become_strings_silently() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /p:\n    get:\n      \
                responses:\n        200: {description: ok}\n        404: {description: no}\n";
    let loaded = loads("codes.yaml", text);
    no_warnings(&loaded);
    assert_eq!(loaded.repairs.get(&Repair::YamlIntegerKey), Some(&2));
    let (_, _, op) = loaded.document.operations().next().expect("one operation");
    assert_eq!(op.responses.responses.len(), 2);
}

#[test]
fn boolean_float_and_null_keys_become_strings_with_a_warning() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  \
                schemas:\n    S:\n      type: object\n      properties:\n        true: {type: \
                string}\n        1.5: {type: string}\n        ~: {type: string}\n";
    let loaded = loads("keys.yaml", text);
    for key in ["true", "1.5", "null"] {
        let d = warning_at(&loaded, &format!("{S}/properties/{key}"));
        assert_mentions(d, &[&format!("\"{key}\"")]);
    }
    let SchemaKind::Type(Type::Object(object)) = kind_of(&loaded, "S") else {
        panic!("not an object");
    };
    let names: Vec<&String> = object.properties.keys().collect();
    assert_eq!(names, ["true", "1.5", "null"]);
}

#[test]
fn a_key_written_twice_in_two_forms_is_an_error() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /p:\n    get:\n      \
                responses:\n        200: {description: a}\n        '200': {description: b}\n";
    let d = single_error("twice.yaml", text);
    assert_eq!(d.pointer, "#/paths/~1p/get/responses/200", "{d}");
    assert_mentions(&d, &["duplicate key `200`"]);
}

#[test]
fn yaml_tags_are_stripped() {
    let text = "openapi: 3.0.3\ninfo: {title: !custom T, version: '1'}\npaths: {}\ncomponents:\n  \
                schemas:\n    S: !thing\n      type: string\n";
    let loaded = loads("tags.yaml", text);
    no_warnings(&loaded);
    assert_eq!(loaded.document.info.title, "T");
    assert!(matches!(
        kind_of(&loaded, "S"),
        SchemaKind::Type(Type::String(_))
    ));
    assert_eq!(loaded.repairs.get(&Repair::YamlTag), Some(&2));
}

#[test]
fn non_finite_floats_are_errors_at_their_pointer() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  \
                schemas:\n    S:\n      type: number\n      maximum: .inf\n      minimum: .nan\n";
    let errors = fails("inf.yaml", text);
    let pointers: Vec<&str> = errors.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "#/components/schemas/S/maximum",
            "#/components/schemas/S/minimum"
        ]
    );
    for d in &errors {
        assert_mentions(d, &["not a finite number"]);
    }
}

#[test]
fn merge_keys_are_applied() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  \
                schemas:\n    Base: &base\n      type: object\n      properties:\n        id: \
                {type: string}\n    S:\n      <<: *base\n      description: merged\n";
    let loaded = loads("merge.yaml", text);
    no_warnings(&loaded);
    let s = item(schema(&loaded, "S"));
    assert_eq!(s.schema_data.description.as_deref(), Some("merged"));
    let SchemaKind::Type(Type::Object(object)) = &s.schema_kind else {
        panic!("not an object: {s:?}");
    };
    assert!(object.properties.contains_key("id"));
}

#[test]
fn key_order_is_preserved() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  \
                schemas:\n    S:\n      type: object\n      properties:\n        zeta: {}\n        \
                alpha: {}\n        mid: {}\n";
    let loaded = loads("order.yaml", text);
    let SchemaKind::Type(Type::Object(object)) = kind_of(&loaded, "S") else {
        panic!("not an object");
    };
    let names: Vec<&String> = object.properties.keys().collect();
    assert_eq!(names, ["zeta", "alpha", "mid"]);
}

// ---------------------------------------------------------------------------------------
// Versions

#[test]
fn openapi_3_0_loads() {
    for version in ["3.0.0", "3.0.3", "3.0.4"] {
        let text = format!("openapi: {version}\ninfo: {{title: T, version: '1'}}\npaths: {{}}\n");
        let loaded = loads("v.yaml", &text);
        no_warnings(&loaded);
        assert_eq!(loaded.document.openapi, version);
    }
}

#[test]
fn a_version_without_patch_or_as_a_number_loads_with_a_warning() {
    for text in [
        "openapi: '3.0'\ninfo: {title: T, version: '1'}\npaths: {}\n",
        "openapi: 3.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
    ] {
        let loaded = loads("v.yaml", text);
        assert_eq!(loaded.warnings.len(), 1, "{:#?}", loaded.warnings);
        assert_eq!(loaded.warnings[0].pointer, "#/openapi");
        assert_eq!(loaded.document.openapi, "3.0.0");
    }
}

#[test]
fn openapi_3_1_is_read_as_3_0() {
    let text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n";
    let loaded = loads("v31.yaml", text);
    assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
    assert_eq!(loaded.document.openapi, "3.0.3");
}

#[test]
fn swagger_2_0_is_read_as_3_0() {
    let text = "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n";
    let loaded = loads("v2.yaml", text);
    assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
    assert_eq!(loaded.document.openapi, "3.0.3");
}

#[test]
fn unknown_or_missing_versions_name_the_openapi_field() {
    for (text, words) in [
        (
            "openapi: 4.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
            &["unknown OpenAPI version `4.0.0`"][..],
        ),
        (
            "info: {title: T, version: '1'}\npaths: {}\n",
            &["missing the `openapi` version field"][..],
        ),
        (
            "openapi: [3]\ninfo: {title: T, version: '1'}\npaths: {}\n",
            &["must be a version string", "a list"][..],
        ),
    ] {
        let d = single_error("v.yaml", text);
        assert_eq!(d.pointer, "#/openapi", "{d}");
        assert_mentions(&d, words);
    }
}

// ---------------------------------------------------------------------------------------
// Depth

/// Runs `f` on a fresh thread with `stack` bytes of stack, as a test thread (2 MiB) or the
/// main thread (8 MiB by default on Linux) would.
fn on_stack<T: Send>(stack: usize, f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(stack)
            .spawn_scoped(scope, f)
            .expect("spawn")
            .join()
            .expect("no panic")
    })
}

const TEST_THREAD_STACK: usize = 2 << 20;
const MAIN_THREAD_STACK: usize = 8 << 20;

fn deep_documents(levels: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "arrays.json",
            format!(
                "{{\"openapi\": {}{}}}",
                "[".repeat(levels),
                "]".repeat(levels)
            ),
        ),
        (
            "objects.json",
            format!(
                "{{\"openapi\": {}1{}}}",
                "{\"a\":".repeat(levels),
                "}".repeat(levels)
            ),
        ),
        (
            "arrays.yaml",
            format!("openapi: {}{}\n", "[".repeat(levels), "]".repeat(levels)),
        ),
        (
            "objects.yaml",
            format!(
                "openapi: {}1{}\n",
                "{a: ".repeat(levels),
                "}".repeat(levels)
            ),
        ),
        ("sequences.yaml", format!("{}1\n", "- ".repeat(levels))),
    ]
}

#[test]
fn documents_nested_100_000_deep_are_rejected_without_overflow() {
    for stack in [TEST_THREAD_STACK, MAIN_THREAD_STACK] {
        on_stack(stack, || {
            for (name, text) in deep_documents(100_000) {
                let started = std::time::Instant::now();
                let d = single_error(name, &text);
                assert!(d.message.contains("nested more than"), "{name}: {d}");
                assert_eq!(d.line_column.map(|(line, _)| line), Some(1), "{name}: {d}");
                // libyaml is quadratic in flow depth; the guard keeps this fast.
                assert!(
                    started.elapsed() < std::time::Duration::from_secs(5),
                    "{name} took {:?}",
                    started.elapsed()
                );
            }
        });
    }
}

#[test]
fn the_yaml_depth_guard_ignores_brackets_in_text() {
    // Brackets in quoted, plain and block scalars and comments are not flow collections.
    let opening = "[{".repeat(200);
    let text = format!(
        "openapi: 3.0.3 # {opening}\ninfo:\n  title: '{opening}'\n  description: |\n    \
         {opening}\n  version: \"{opening}\"\n  x-plain: a{opening}\npaths: {{}}\n"
    );
    let loaded = loads("text.yaml", &text);
    assert_eq!(loaded.document.info.title, opening);
}

/// Wraps a schema in another.
type Wrap = fn(Value) -> Value;

/// A schema nested `levels` deep through `wrap`.
fn nested_schema(levels: usize, wrap: Wrap) -> String {
    let mut schema = json!({"type": "string"});
    for _ in 0..levels {
        schema = wrap(schema);
    }
    with_schema(schema)
}

#[test]
fn schemas_nested_as_deep_as_the_parser_allows_load_on_a_test_thread() {
    // 61 levels of two JSON levels each, under `components/schemas/S`: 125 levels in all,
    // just under serde_json's limit of 128. openapiv3 needs tens of kilobytes of stack per
    // level in a debug build, far more than a 2 MiB test thread has: deserialisation runs on
    // its own thread.
    let shapes: [(&str, Wrap); 3] = [
        (
            "properties",
            |s| json!({"type": "object", "properties": {"p": s}}),
        ),
        ("allOf", |s| json!({"allOf": [s]})),
        ("items", |s| json!({"type": "array", "items": {"items": s}})),
    ];
    on_stack(TEST_THREAD_STACK, || {
        for (name, wrap) in shapes {
            let text = nested_schema(61, wrap);
            let loaded = run(name, &text).unwrap_or_else(|f| panic!("{name}: {f}"));
            assert!(loaded.document.components.is_some(), "{name}");
        }
    });
}

#[test]
fn yaml_schemas_nested_120_deep_load_on_a_test_thread() {
    // One YAML level per schema level: the YAML parser and the conversion to JSON run on the
    // caller's thread, so they must fit a 2 MiB stack too.
    for wrap in [
        "{type: array, items: X}",
        "{type: object, additionalProperties: X}",
    ] {
        let mut schema = String::from("{type: string}");
        for _ in 0..120 {
            schema = wrap.replace('X', &schema);
        }
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  \
             schemas:\n    Deep: {schema}\n"
        );
        on_stack(TEST_THREAD_STACK, || {
            let loaded = run("deep.yaml", &text).unwrap_or_else(|f| panic!("{wrap}: {f}"));
            no_warnings(&loaded);
        });
    }
}

// ---------------------------------------------------------------------------------------
// Schema repairs

#[test]
fn integer_bounds_beyond_64_bits_are_clamped() {
    let text = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
        "components": {"schemas": {"S": {"type": "integer", "format": "int64",
        "minimum": -9223372036854776000, "maximum": 18446744073709551615}}}}"#;
    let loaded = loads("bounds.json", text);
    let d = warning_at(&loaded, &format!("{S}/minimum"));
    assert_mentions(
        d,
        &["does not fit the 64-bit integers", "-9223372036854775808"],
    );
    let d = warning_at(&loaded, &format!("{S}/maximum"));
    assert_mentions(
        d,
        &["18446744073709551615", "clamped to 9223372036854775807"],
    );
    let SchemaKind::Type(Type::Integer(integer)) = kind_of(&loaded, "S") else {
        panic!("the schema lost its integer type");
    };
    assert_eq!(integer.minimum, Some(i64::MIN));
    assert_eq!(integer.maximum, Some(i64::MAX));
}

#[test]
fn fractional_integer_bounds_are_rounded_inwards() {
    let loaded = loads(
        "round.json",
        &with_schema(
            json!({"type": "integer", "minimum": 1.5, "exclusiveMinimum": true,
                            "maximum": 9.5, "multipleOf": 0.5}),
        ),
    );
    assert_mentions(
        warning_at(&loaded, &format!("{S}/minimum")),
        &["rounded to 2"],
    );
    assert_mentions(
        warning_at(&loaded, &format!("{S}/maximum")),
        &["rounded to 9"],
    );
    assert_mentions(
        warning_at(&loaded, &format!("{S}/multipleOf")),
        &["holds for every integer"],
    );
    let SchemaKind::Type(Type::Integer(integer)) = kind_of(&loaded, "S") else {
        panic!("the schema lost its integer type");
    };
    assert_eq!((integer.minimum, integer.maximum), (Some(2), Some(9)));
    assert!(!integer.exclusive_minimum);
    assert_eq!(integer.multiple_of, None);
}

#[test]
fn integral_floats_in_integer_schemas_are_read_silently() {
    let loaded = loads(
        "floats.json",
        &with_schema(json!({"type": "integer", "minimum": 1.0, "maximum": 10.0,
                            "enum": [1.0, 2.0], "default": 1.0})),
    );
    no_warnings(&loaded);
    let SchemaKind::Type(Type::Integer(integer)) = kind_of(&loaded, "S") else {
        panic!("the schema lost its integer type");
    };
    assert_eq!((integer.minimum, integer.maximum), (Some(1), Some(10)));
    assert_eq!(integer.enumeration, [Some(1), Some(2)]);
}

#[test]
fn required_true_in_a_schema_is_dropped() {
    let loaded = loads(
        "required.json",
        &with_schema(json!({"type": "object", "required": true})),
    );
    let d = warning_at(&loaded, &format!("{S}/required"));
    assert_mentions(d, &["`required: true`", "list of property names"]);
    assert!(matches!(
        kind_of(&loaded, "S"),
        SchemaKind::Type(Type::Object(_))
    ));
}

#[test]
fn required_true_on_a_property_moves_to_the_parent() {
    let loaded = loads(
        "required.json",
        &with_schema(json!({"type": "object", "required": ["a"], "properties": {
            "a": {"type": "string"},
            "b": {"type": "string", "required": true},
            "c": {"type": "string", "required": false}}})),
    );
    assert_mentions(
        warning_at(&loaded, &format!("{S}/properties/b/required")),
        &["`b` is added to the parent's `required`"],
    );
    assert_mentions(
        warning_at(&loaded, &format!("{S}/properties/c/required")),
        &["`required: false`"],
    );
    let SchemaKind::Type(Type::Object(object)) = kind_of(&loaded, "S") else {
        panic!("not an object");
    };
    assert_eq!(object.required, ["a", "b"]);
}

#[test]
fn ref_siblings_that_add_meaning_become_all_of() {
    let loaded = loads(
        "siblings.json",
        &document(
            json!({}),
            json!({
                "T": {"type": "string"},
                "S": {"$ref": "#/components/schemas/T", "nullable": true, "readOnly": true,
                      "description": "kept"}
            }),
        )
        .to_string(),
    );
    let d = warning_at(&loaded, S);
    assert_mentions(d, &["`nullable`, `readOnly`", "allOf"]);
    let s = item(schema(&loaded, "S"));
    assert!(s.schema_data.nullable && s.schema_data.read_only);
    assert_eq!(s.schema_data.description.as_deref(), Some("kept"));
    let SchemaKind::AllOf { all_of } = &s.schema_kind else {
        panic!("not an allOf: {s:?}");
    };
    assert_eq!(
        all_of.as_slice(),
        [ReferenceOr::ref_("#/components/schemas/T")]
    );
}

#[test]
fn a_ref_with_only_a_description_keeps_it_without_a_warning() {
    let loaded = loads(
        "description.json",
        &document(
            json!({}),
            json!({
                "T": {"type": "string"},
                "S": {"$ref": "#/components/schemas/T", "description": "kept"}
            }),
        )
        .to_string(),
    );
    no_warnings(&loaded);
    let s = item(schema(&loaded, "S"));
    assert_eq!(s.schema_data.description.as_deref(), Some("kept"));
    assert_eq!(loaded.repairs.get(&Repair::RefSiblings), Some(&1));
}

#[test]
fn a_ref_with_only_a_type_or_extensions_stays_a_plain_reference() {
    let loaded = loads(
        "type.json",
        &document(
            json!({}),
            json!({
                "T": {"type": "string"},
                "S": {"$ref": "#/components/schemas/T", "type": "string"},
                "X": {"$ref": "#/components/schemas/T", "x-display": 1}
            }),
        )
        .to_string(),
    );
    no_warnings(&loaded);
    for name in ["S", "X"] {
        assert_eq!(
            schema(&loaded, name),
            &ReferenceOr::ref_("#/components/schemas/T")
        );
    }
}

#[test]
fn enum_values_of_the_wrong_type_are_converted_or_the_enum_dropped() {
    let loaded = loads(
        "enums.json",
        &document(
            json!({}),
            json!({
                "Str": {"type": "string", "enum": [1, true, "x", null]},
                "Int": {"type": "integer", "enum": ["a", 1]},
                "Bool": {"type": "boolean", "enum": ["true"]}
            }),
        )
        .to_string(),
    );
    let d = warning_at(&loaded, "#/components/schemas/Str/enum");
    assert_mentions(d, &["1, true", "not of type string"]);
    let SchemaKind::Type(Type::String(s)) = kind_of(&loaded, "Str") else {
        panic!("not a string");
    };
    let values: Vec<Option<&str>> = s.enumeration.iter().map(Option::as_deref).collect();
    assert_eq!(values, [Some("1"), Some("true"), Some("x"), None]);
    let d = warning_at(&loaded, "#/components/schemas/Int/enum");
    assert_mentions(d, &["\"a\" is not a integer", "dropped"]);
    let SchemaKind::Type(Type::Integer(i)) = kind_of(&loaded, "Int") else {
        panic!("not an integer");
    };
    assert!(i.enumeration.is_empty());
    let SchemaKind::Type(Type::Boolean(b)) = kind_of(&loaded, "Bool") else {
        panic!("not a boolean");
    };
    assert_eq!(b.enumeration, [Some(true)]);
}

#[test]
fn const_becomes_a_one_value_enum() {
    let loaded = loads(
        "const.json",
        &with_schema(json!({"type": "string", "const": "only"})),
    );
    assert_mentions(
        warning_at(&loaded, &format!("{S}/const")),
        &["`const: \"only\"`", "enum"],
    );
    let SchemaKind::Type(Type::String(s)) = kind_of(&loaded, "S") else {
        panic!("not a string");
    };
    assert_eq!(s.enumeration, [Some(String::from("only"))]);
}

#[test]
fn a_default_of_the_wrong_type_is_converted() {
    let loaded = loads(
        "default.json",
        &with_schema(json!({"type": "boolean", "default": "false"})),
    );
    assert_mentions(
        warning_at(&loaded, &format!("{S}/default")),
        &["`default: \"false\"` is not of type boolean"],
    );
    assert_eq!(
        item(schema(&loaded, "S")).schema_data.default,
        Some(json!(false))
    );
}

#[test]
fn odd_types_are_normalised() {
    let cases = [
        (json!("String"), "string", false, Some("read as `string`")),
        (json!("file"), "string", false, Some("read as `string`")),
        (
            json!(["integer", "null"]),
            "integer",
            true,
            Some("OpenAPI 3.1 style"),
        ),
    ];
    for (typ, expected, nullable, words) in cases {
        let loaded = loads("type.json", &with_schema(json!({ "type": typ })));
        let s = item(schema(&loaded, "S"));
        assert_eq!(s.schema_data.nullable, nullable, "{typ}");
        let found = match &s.schema_kind {
            SchemaKind::Type(Type::String(_)) => "string",
            SchemaKind::Type(Type::Integer(_)) => "integer",
            other => panic!("{typ}: {other:?}"),
        };
        assert_eq!(found, expected, "{typ}");
        if let Some(words) = words {
            assert_mentions(warning_at(&loaded, &format!("{S}/type")), &[words]);
        }
    }
    let loaded = loads("file.json", &with_schema(json!({ "type": "file" })));
    let SchemaKind::Type(Type::String(s)) = kind_of(&loaded, "S") else {
        panic!("not a string");
    };
    assert_eq!(
        s.format,
        openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
    );
    for typ in [json!("strnig"), json!(5), json!(["string", "integer"])] {
        let loaded = loads("type.json", &with_schema(json!({ "type": typ })));
        assert_mentions(
            warning_at(&loaded, &format!("{S}/type")),
            &["the type is dropped"],
        );
        assert!(matches!(kind_of(&loaded, "S"), SchemaKind::Any(_)), "{typ}");
    }
}

#[test]
fn an_array_without_items_gets_items_of_any_type() {
    let loaded = loads("items.json", &with_schema(json!({"type": "array"})));
    assert_mentions(warning_at(&loaded, S), &["without `items`"]);
    let SchemaKind::Type(Type::Array(array)) = kind_of(&loaded, "S") else {
        panic!("not an array");
    };
    assert!(array.items.is_some());
}

#[test]
fn keywords_of_another_type_are_dropped_so_the_type_is_kept() {
    let loaded = loads(
        "inapplicable.json",
        &with_schema(json!({"type": "integer", "minLength": 4, "maxLength": 4, "minimum": 1})),
    );
    assert_mentions(
        warning_at(&loaded, S),
        &["`minLength`, `maxLength` do not apply to `type: integer`"],
    );
    let SchemaKind::Type(Type::Integer(integer)) = kind_of(&loaded, "S") else {
        panic!("the schema lost its integer type");
    };
    assert_eq!(integer.minimum, Some(1));
}

#[test]
fn a_schema_with_a_combinator_keeps_its_keywords() {
    let loaded = loads(
        "combinator.json",
        &with_schema(json!({"type": "object", "maxLength": 3, "oneOf": [{}]})),
    );
    no_warnings(&loaded);
}

#[test]
fn odd_formats_are_repaired_only_where_the_model_needs_it() {
    let loaded = loads(
        "formats.json",
        &document(
            json!({}),
            json!({
                "Unknown": {"type": "string", "format": "uuid"},
                "Number": {"type": "string", "format": 123},
                "Bool": {"type": "boolean", "format": "yes-no"}
            }),
        )
        .to_string(),
    );
    assert_eq!(loaded.warnings.len(), 2, "{:#?}", loaded.warnings);
    assert_mentions(
        warning_at(&loaded, "#/components/schemas/Number/format"),
        &["must be a string", "read as \"123\""],
    );
    assert_mentions(
        warning_at(&loaded, "#/components/schemas/Bool"),
        &["`format` does not apply to `type: boolean`"],
    );
    assert!(matches!(
        kind_of(&loaded, "Bool"),
        SchemaKind::Type(Type::Boolean(_))
    ));
}

#[test]
fn numeric_exclusive_bounds_are_read_as_3_0_bounds() {
    let loaded = loads(
        "exclusive.json",
        &with_schema(json!({"type": "number", "exclusiveMinimum": 0})),
    );
    assert_mentions(
        warning_at(&loaded, &format!("{S}/exclusiveMinimum")),
        &["OpenAPI 3.1 style", "`minimum: 0, exclusiveMinimum: true`"],
    );
    let SchemaKind::Type(Type::Number(number)) = kind_of(&loaded, "S") else {
        panic!("not a number");
    };
    assert_eq!(number.minimum, Some(0.0));
    assert!(number.exclusive_minimum);
}

#[test]
fn scalars_of_the_wrong_type_are_converted() {
    let loaded = loads(
        "scalars.json",
        &document(
            json!({}),
            json!({"S": {"type": "string", "description": 42, "nullable": "true",
                         "maxLength": "10"}}),
        )
        .to_string(),
    );
    for (field, words) in [
        ("description", "read as \"42\""),
        ("nullable", "read as true"),
        ("maxLength", "read as 10"),
    ] {
        assert_mentions(warning_at(&loaded, &format!("{S}/{field}")), &[words]);
    }
    let s = item(schema(&loaded, "S"));
    assert_eq!(s.schema_data.description.as_deref(), Some("42"));
    assert!(s.schema_data.nullable);
}

#[test]
fn non_object_schemas_are_read_as_schemas() {
    let loaded = loads(
        "bool.json",
        &with_schema(
            json!({"type": "object", "properties": {"any": true, "none": false,
                            "named": "string"}}),
        ),
    );
    for (name, words) in [
        ("any", "read as `{}`"),
        ("none", "read as `not: {}`"),
        ("named", "read as `type: string`"),
    ] {
        assert_mentions(
            warning_at(&loaded, &format!("{S}/properties/{name}")),
            &[words],
        );
    }
}

#[test]
fn a_discriminator_without_property_name_is_dropped() {
    let loaded = loads(
        "discriminator.json",
        &with_schema(json!({"oneOf": [{}], "discriminator": {"mapping": {}}})),
    );
    assert_mentions(
        warning_at(&loaded, &format!("{S}/discriminator")),
        &["no `propertyName`"],
    );
}

// ---------------------------------------------------------------------------------------
// Other objects

#[test]
fn empty_responses_load() {
    no_warnings(&loads(
        "empty-responses.json",
        &with_operation(json!({"responses": {}})),
    ));
}

#[test]
fn a_response_without_description_gets_an_empty_one() {
    let loaded = loads(
        "response.json",
        &with_operation(json!({"responses": {"200": {}, "201": "Created"}})),
    );
    assert_mentions(
        warning_at(&loaded, "#/paths/~1p/get/responses/200"),
        &["no `description`"],
    );
    assert_mentions(
        warning_at(&loaded, "#/paths/~1p/get/responses/201"),
        &["is a string"],
    );
}

#[test]
fn a_response_key_that_is_not_a_status_code_is_reported() {
    let loaded = loads(
        "codes.json",
        &with_operation(json!({"responses": {"2000": {"description": "x"},
                                             "2xx": {"description": "y"}}})),
    );
    assert_mentions(
        warning_at(&loaded, "#/paths/~1p/get/responses/2000"),
        &["not a status code"],
    );
    assert_eq!(loaded.warnings.len(), 1, "{:#?}", loaded.warnings);
}

#[test]
fn unknown_fields_are_reported() {
    let loaded = loads(
        "unknown.json",
        &with_operation(json!({"operationID": "x", "responses": {
            "200": {"description": "ok", "type": "string"}}})),
    );
    assert_mentions(
        warning_at(&loaded, "#/paths/~1p/get/operationID"),
        &["`operationID` is not a field of an operation"],
    );
    assert_mentions(
        warning_at(&loaded, "#/paths/~1p/get/responses/200/type"),
        &["`type` is not a field of a response"],
    );
}

#[test]
fn a_missing_info_title_version_or_paths_is_filled_in() {
    let loaded = loads("bare.yaml", "openapi: 3.0.3\n");
    let pointers: Vec<&str> = loaded.warnings.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        ["#/info", "#/info/title", "#/info/version", "#/paths"]
    );
}

#[test]
fn a_numeric_info_version_becomes_a_string() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: 1.10}\npaths: {}\n";
    let loaded = loads("version.yaml", text);
    assert_mentions(
        warning_at(&loaded, "#/info/version"),
        &["must be a string", "1.1"],
    );
    assert_eq!(loaded.document.info.version, "1.1");
}

#[test]
fn a_required_string_that_is_a_map_is_one_error() {
    let text = "openapi: 3.0.3\ninfo: {title: {a: b}, version: '1'}\npaths: {}\n";
    let d = single_error("title.yaml", text);
    assert_eq!(d.pointer, "#/info/title");
    assert_mentions(
        &d,
        &["`title` of an info object must be a string, found a map"],
    );
}

#[test]
fn parameters_are_repaired() {
    let loaded = loads(
        "parameters.json",
        &document(
            json!({"/p/{id}": {"get": {"responses": {}, "parameters": [
                {"name": "id", "in": "path"},
                {"name": "q", "in": "Query", "schema": {"type": "string"}, "style": "simple"}
            ]}}}),
            json!({}),
        )
        .to_string(),
    );
    let at = "#/paths/~1p~1{id}/get/parameters";
    assert_mentions(
        warning_at(&loaded, &format!("{at}/0")),
        &["neither `schema` nor `content`"],
    );
    assert_mentions(
        warning_at(&loaded, &format!("{at}/0/required")),
        &["always required"],
    );
    assert_mentions(
        warning_at(&loaded, &format!("{at}/1/in")),
        &["read as `in: query`"],
    );
    assert_mentions(
        warning_at(&loaded, &format!("{at}/1/style")),
        &["`style: \"simple\"` is not valid"],
    );
}

#[test]
fn swagger_style_parameters_get_a_schema() {
    let loaded = loads(
        "swagger-params.json",
        &with_operation(json!({"responses": {}, "parameters": [
            {"name": "ids", "in": "query", "type": "array", "items": {"type": "integer"},
             "collectionFormat": "csv"}]})),
    );
    let at = "#/paths/~1p/get/parameters/0";
    assert_mentions(
        warning_at(&loaded, at),
        &["`type`, `items` on the parameter itself is Swagger 2.0; moved into its `schema`"],
    );
    assert_mentions(
        warning_at(&loaded, &format!("{at}/collectionFormat")),
        &["read as `style: form, explode: false`"],
    );
    let (_, _, op) = loaded.document.operations().next().expect("an operation");
    let Some(ReferenceOr::Item(openapiv3::Parameter::Query {
        parameter_data,
        style,
        ..
    })) = op.parameters.first()
    else {
        panic!("not a query parameter");
    };
    assert_eq!(*style, openapiv3::QueryStyle::Form);
    assert_eq!(parameter_data.explode, Some(false));
    let openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) =
        &parameter_data.format
    else {
        panic!("no schema");
    };
    assert!(matches!(
        schema.schema_kind,
        SchemaKind::Type(Type::Array(_))
    ));
}

#[test]
fn a_swagger_body_parameter_is_an_error() {
    let d = single_error(
        "body.json",
        &with_operation(json!({"responses": {}, "parameters": [
            {"name": "b", "in": "body", "schema": {}}]})),
    );
    assert_eq!(d.pointer, "#/paths/~1p/get/parameters/0/in");
    assert_mentions(&d, &["`in: body` is Swagger 2.0", "requestBody"]);
}

#[test]
fn bare_examples_are_wrapped() {
    let loaded = loads(
        "examples.json",
        &with_operation(
            json!({"responses": {"200": {"description": "ok", "content": {
            "application/json": {"examples": {"one": {"id": 1}}}},
            "headers": {"X": {"schema": {}, "examples": [1, 2]}}}}}),
        ),
    );
    let at = "#/paths/~1p/get/responses/200";
    assert_mentions(
        warning_at(
            &loaded,
            &format!("{at}/content/application~1json/examples/one"),
        ),
        &["bare value"],
    );
    assert_mentions(
        warning_at(&loaded, &format!("{at}/headers/X/examples")),
        &["is a list"],
    );
}

#[test]
fn security_written_loosely_is_repaired() {
    let text = json!({
        "openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
        "security": {"key": null},
        "components": {"securitySchemes": {
            "key": {"type": "apiKey", "in": "Header", "name": "X-Key"},
            "oauth": {"type": "oauth2", "flows": {"clientCredentials": {
                "tokenUrl": "https://t", "scopes": ["read", "write"]}}}
        }}
    })
    .to_string();
    let loaded = loads("security.json", &text);
    assert_mentions(warning_at(&loaded, "#/security"), &["is a map"]);
    assert_mentions(
        warning_at(&loaded, "#/security/0/key"),
        &["list of strings"],
    );
    assert_mentions(
        warning_at(&loaded, "#/components/securitySchemes/key/in"),
        &["read as `in: header`"],
    );
    assert_mentions(
        warning_at(
            &loaded,
            "#/components/securitySchemes/oauth/flows/clientCredentials/scopes",
        ),
        &["`scopes` is a list"],
    );
}

#[test]
fn referenced_path_items_and_callbacks_are_inlined() {
    let text = json!({
        "openapi": "3.0.3", "info": {"title": "T", "version": "1"},
        "paths": {
            "/a": {"get": {"responses": {}, "callbacks": {
                "cb": {"$ref": "#/components/callbacks/Cb"}}}},
            "/b": {"$ref": "#/paths/~1a"}
        },
        "components": {"callbacks": {"Cb": {"{$request.body#/url}": {
            "$ref": "#/x-items/hook"}}}},
        "x-items": {"hook": {"post": {"responses": {}}}}
    })
    .to_string();
    let loaded = loads("inline.json", &text);
    no_warnings(&loaded);
    let operations: Vec<(&str, &str)> = loaded
        .document
        .operations()
        .map(|(path, method, _)| (path, method))
        .collect();
    assert_eq!(operations, [("/a", "get"), ("/b", "get")]);
    let (_, _, op) = loaded.document.operations().next().expect("an operation");
    let callback = op.callbacks.get("cb").expect("the callback");
    let path_item = callback.get("{$request.body#/url}").expect("its path item");
    assert!(path_item.post.is_some());
}

#[test]
fn a_ref_where_openapi_forbids_one_is_inlined_with_a_warning() {
    let text = json!({
        "openapi": "3.0.3", "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": {"$ref": "#/x-ops/get"}}},
        "x-ops": {"get": {"responses": {}}}
    })
    .to_string();
    let loaded = loads("op-ref.json", &text);
    assert_mentions(
        warning_at(&loaded, "#/paths/~1a/get"),
        &["does not allow a `$ref` for an operation", "#/x-ops/get"],
    );
    assert_eq!(loaded.document.operations().count(), 1);
}

// ---------------------------------------------------------------------------------------
// References

fn three_dangling() -> String {
    document(
        json!({"/p": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Nope"}}}}},
            "parameters": [{"$ref": "#/components/parameters/Gone"}]}}}),
        json!({"S": {"type": "object", "properties": {
            "a": {"$ref": "#/components/schemas/Missing"},
            "b": {"$ref": "#/components/schemas/S"}}}}),
    )
    .to_string()
}

#[test]
fn every_dangling_ref_is_an_error_at_its_site() {
    let errors = fails("dangling.json", &three_dangling());
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "#/paths/~1p/get/responses/200/content/application~1json/schema",
                "`$ref` target `#/components/schemas/Nope` does not exist: \
                 `#/components/schemas` has no `Nope`"
            ),
            (
                "#/paths/~1p/get/parameters/0",
                "`$ref` target `#/components/parameters/Gone` does not exist: `#/components` \
                 has no `parameters`"
            ),
            (
                "#/components/schemas/S/properties/a",
                "`$ref` target `#/components/schemas/Missing` does not exist: \
                 `#/components/schemas` has no `Missing`"
            ),
        ]
    );
}

#[test]
fn a_ref_to_the_wrong_kind_of_object_is_an_error() {
    let d = single_error(
        "kind.json",
        &document(
            json!({"/p": {"get": {"responses": {},
                                  "parameters": [{"$ref": "#/components/schemas/Id"}]}}}),
            json!({"Id": {"type": "string"}}),
        )
        .to_string(),
    );
    assert_eq!(d.pointer, "#/paths/~1p/get/parameters/0");
    assert_mentions(
        &d,
        &[
            "#/components/schemas/Id",
            "stands for a parameter, but points to a schema",
        ],
    );
    // Targets under extensions are not judged.
    let text = json!({
        "openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
        "components": {"schemas": {"S": {"$ref": "#/x-shared/S"}}},
        "x-shared": {"S": {"type": "string"}}
    });
    no_warnings(&loads("extension.json", &text.to_string()));
}

#[test]
fn external_refs_are_not_supported() {
    let d = single_error(
        "external.json",
        &with_schema(json!({"type": "object", "properties": {
            "a": {"$ref": "other.yaml#/components/schemas/A"}}})),
    );
    assert_eq!(d.pointer, format!("{S}/properties/a"));
    assert_mentions(
        &d,
        &[
            "other.yaml#/components/schemas/A",
            "external references are not supported",
        ],
    );
}

#[test]
fn a_ref_that_is_not_a_pointer_or_not_a_string_is_an_error() {
    let d = single_error(
        "pointer.json",
        &with_schema(json!({"items": {"$ref": "#components/schemas/S"}, "type": "array"})),
    );
    assert_eq!(d.pointer, format!("{S}/items"));
    assert_mentions(&d, &["not a local reference", "#components/schemas/S"]);
    let d = single_error(
        "number.json",
        &with_schema(json!({"items": {"$ref": 5}, "type": "array"})),
    );
    assert_eq!(d.pointer, format!("{S}/items/$ref"));
    assert_mentions(&d, &["must be a string", "a number"]);
}

#[test]
fn a_property_named_ref_is_not_a_reference() {
    let loaded = loads(
        "property.json",
        &with_schema(json!({"type": "object", "properties": {"$ref": {"type": "string"}}})),
    );
    no_warnings(&loaded);
}

#[test]
fn percent_encoded_refs_resolve() {
    let loaded = loads(
        "percent.json",
        &document(
            json!({}),
            json!({"A B": {"type": "string"}, "S": {"$ref": "#/components/schemas/A%20B"}}),
        )
        .to_string(),
    );
    no_warnings(&loaded);
}

#[test]
fn a_schema_that_refers_to_itself_is_an_error() {
    let d = single_error(
        "self.json",
        &with_schema(json!({"$ref": "#/components/schemas/S"})),
    );
    assert_eq!(d.pointer, S);
    assert_mentions(&d, &["`$ref` to itself", S]);
}

#[test]
fn a_cycle_of_bare_refs_is_one_error_naming_both() {
    let d = single_error(
        "cycle.json",
        &document(
            json!({}),
            json!({"A": {"$ref": "#/components/schemas/B"},
                   "B": {"$ref": "#/components/schemas/A"},
                   "C": {"$ref": "#/components/schemas/A"}}),
        )
        .to_string(),
    );
    assert_eq!(d.pointer, "#/components/schemas/A");
    assert_mentions(
        &d,
        &["#/components/schemas/A → #/components/schemas/B → #/components/schemas/A"],
    );
}

#[test]
fn recursive_schemas_through_properties_load() {
    let loaded = loads(
        "tree.json",
        &document(
            json!({}),
            json!({"Node": {"type": "object", "properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "parent": {"$ref": "#/components/schemas/Node"}}}}),
        )
        .to_string(),
    );
    no_warnings(&loaded);
}

/// A mapping only says which member a value stands for: one that names no schema of the
/// document (dangling, or in another file) can never be chosen, so it is dropped with a warning
/// and the members decide.
#[test]
fn a_discriminator_mapping_that_cannot_be_followed_is_dropped() {
    let loaded = loads(
        "mapping.json",
        &document(
            json!({}),
            json!({"Cat": {"type": "object"},
                   "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}],
                           "discriminator": {"propertyName": "kind", "mapping": {
                               "cat": "Cat", "dog": "#/components/schemas/Dog",
                               "fox": "models/pets.yml#/fox"}}}}),
        )
        .to_string(),
    );
    let dog = warning_at(
        &loaded,
        "#/components/schemas/Pet/discriminator/mapping/dog",
    );
    assert_mentions(
        dog,
        &["#/components/schemas/Dog", "does not exist", "dropped"],
    );
    let fox = warning_at(
        &loaded,
        "#/components/schemas/Pet/discriminator/mapping/fox",
    );
    assert_mentions(
        fox,
        &["models/pets.yml#/fox", "another document", "dropped"],
    );
    assert_eq!(loaded.warnings.len(), 2, "{:#?}", loaded.warnings);
    let ReferenceOr::Item(pet) = &loaded
        .document
        .components
        .as_ref()
        .expect("components")
        .schemas["Pet"]
    else {
        panic!("Pet is a schema");
    };
    let mapping = &pet
        .schema_data
        .discriminator
        .as_ref()
        .expect("kept")
        .mapping;
    assert_eq!(
        mapping.keys().map(String::as_str).collect::<Vec<_>>(),
        ["cat"]
    );
}

/// A reference that points to an object of another kind, where that object says what was
/// meant (as bundlers and Swagger 2.0 converters write them).
#[test]
fn a_reference_to_another_kind_is_read_by_what_it_holds() {
    let text = json!({
        "openapi": "3.0.3", "info": {"title": "T", "version": "1"},
        "paths": {"/a/{id}": {"get": {
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "f", "in": "query",
                 "schema": {"type": "array", "items": {"$ref": "#/paths/~1a~1%7Bid%7D/get/parameters/0"}}}
            ],
            "responses": {
                "200": {"description": "ok", "content": {
                    "text/plain": {"schema": {"$ref": "#/components/responses/Text"}},
                    "application/json": {"schema": {"$ref": "#/components/responses/Bare"}}}},
                "400": {"$ref": "#/components/schemas/Problem"}
            }
        }}},
        "components": {
            "schemas": {"Problem": {"description": "Bad request", "type": "object"}},
            "responses": {
                "Text": {"description": "t", "content": {
                    "application/json": {"schema": {"type": "integer"}},
                    "text/plain": {"schema": {"type": "string"}}}},
                "Bare": {"description": "no body"}
            }
        }
    })
    .to_string();
    let loaded = loads("kinds.json", &text);
    let at = "#/paths/~1a~1{id}/get";
    let param = warning_at(&loaded, &format!("{at}/parameters/1/schema/items"));
    assert_mentions(param, &["points to a parameter", "parameters/0/schema"]);
    let text_body = warning_at(
        &loaded,
        &format!("{at}/responses/200/content/text~1plain/schema"),
    );
    // The response's schema for the site's own media type, not the first one.
    assert_mentions(
        text_body,
        &[
            "points to a response",
            "#/components/responses/Text/content/text~1plain/schema",
        ],
    );
    let bare = warning_at(
        &loaded,
        &format!("{at}/responses/200/content/application~1json/schema"),
    );
    assert_mentions(bare, &["holds none", "any value"]);
    let problem = warning_at(&loaded, &format!("{at}/responses/400"));
    assert_mentions(problem, &["points to a schema", "`application/json` body"]);
    assert_eq!(loaded.warnings.len(), 4, "{:#?}", loaded.warnings);

    let operation = loaded.document.paths.paths["/a/{id}"]
        .as_item()
        .and_then(|item| item.get.as_ref())
        .expect("GET /a/{id}");
    let ReferenceOr::Item(bad) = &operation.responses.responses[&openapiv3::StatusCode::Code(400)]
    else {
        panic!("400 is a response now");
    };
    let body = bad.content["application/json"]
        .schema
        .as_ref()
        .expect("a body");
    assert_eq!(
        body,
        &ReferenceOr::Reference {
            reference: String::from("#/components/schemas/Problem")
        }
    );
}

/// Another kind that says nothing about a schema is still an error.
#[test]
fn a_schema_reference_to_a_path_item_is_an_error() {
    let text = json!({
        "openapi": "3.0.3", "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"$ref": "#/paths/~1a"}}}}}}}}
    })
    .to_string();
    let d = single_error("path-item.json", &text);
    assert_mentions(&d, &["stands for a schema", "points to a path item"]);
}

/// A pointer that passes through a reference continues in its target (bundlers write them):
/// `…/schema/allOf/1/properties/x` where `…/schema` is `{$ref: Base, allOf: {…}}`.
#[test]
fn a_pointer_through_a_reference_continues_in_its_target() {
    let text = json!({
        "openapi": "3.0.3", "info": {"title": "T", "version": "1"},
        "paths": {"/m": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {
                "$ref": "#/components/schemas/Base",
                "allOf": {"1": {"properties": {"x": {}}}}}}}}}}}},
        "components": {"schemas": {
            "Base": {"allOf": [{"type": "object"}, {"properties": {"x": {"type": "integer"}}}]},
            "Uses": {"type": "object", "properties": {"x": {
                "$ref": "#/paths/~1m/get/responses/200/content/application~1json/schema/allOf/1/properties/x"}}},
            "Nowhere": {"$ref": "#/paths/~1m/get/responses/200/content/application~1json/schema/allOf/1/properties/y"}
        }}
    })
    .to_string();
    let errors = fails("through.json", &text);
    // `x` is found through `Base`; `y` is nowhere, there or in `Base`.
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].pointer, "#/components/schemas/Nowhere");
    assert_mentions(&errors[0], &["does not exist"]);
}

#[test]
fn a_dangling_or_cyclic_path_item_ref_is_an_error() {
    let text = json!({
        "openapi": "3.0.3", "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"$ref": "#/paths/~1b"}, "/b": {"$ref": "#/paths/~1a"},
                  "/c": {"$ref": "#/x-nowhere"}}
    })
    .to_string();
    let errors = fails("paths.json", &text);
    let pointers: Vec<&str> = errors.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(pointers, ["#/paths/~1a", "#/paths/~1b", "#/paths/~1c"]);
    assert_mentions(&errors[0], &["cycle", "#/paths/~1a", "#/paths/~1b"]);
    assert_mentions(&errors[2], &["#/x-nowhere", "does not exist"]);
}

#[test]
fn long_chains_of_references_take_linear_time() {
    let n = 4_000;
    let schemas: String = (0..n)
        .map(|i| format!("    S{i}: {{$ref: '#/components/schemas/S{}'}}\n", i + 1))
        .collect();
    let paths: String = (0..n)
        .map(|i| format!("  /p{i}: {{$ref: '#/paths/~1p{}'}}\n", i + 1))
        .collect();
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{paths}  /p{n}: {{get: \
         {{responses: {{}}}}}}\ncomponents:\n  schemas:\n{schemas}    S{n}: {{type: string}}\n"
    );
    let started = std::time::Instant::now();
    let loaded = loads("chains.yaml", &text);
    assert_eq!(loaded.document.operations().count(), n + 1);
    // Quadratic work would take minutes here, even optimised.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// Errors from the model

#[test]
fn paths_as_a_list_is_an_error_at_paths() {
    let d = single_error(
        "list.yaml",
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: [/a]\n",
    );
    assert_eq!(d.pointer, "#/paths");
    assert_mentions(&d, &["expected a map"]);
    assert!(!d.message.contains("struct"), "{d}");
}

#[test]
fn every_broken_object_is_reported_at_its_own_pointer() {
    let text = json!({
        "openapi": "3.0.3", "info": {"title": "T", "version": "1"},
        "paths": {
            "/a": {"get": {"responses": {}, "parameters": [{"name": "x", "in": "nowhere",
                                                            "schema": {}}]}},
            "/b": {"post": {"responses": {}, "requestBody": {"content": []}}}
        },
        "components": {"securitySchemes": {"bad": {"type": "magic"}}}
    })
    .to_string();
    let errors = fails("broken.json", &text);
    let found: Vec<&str> = errors.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        found,
        [
            "#/paths/~1a/get/parameters/0",
            "#/components/securitySchemes/bad"
        ]
    );
    assert_mentions(
        &errors[0],
        &["invalid parameter", "unknown variant `nowhere`"],
    );
    assert_mentions(&errors[1], &["invalid security scheme", "`magic`"]);
    // The request body whose content is a list was repaired (content dropped), not failed.
    let text = text
        .replace("\"nowhere\"", "\"query\"")
        .replace("magic", "http");
    let errors = fails("broken.json", &text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].pointer, "#/components/securitySchemes/bad");
    assert_mentions(&errors[0], &["missing field `scheme`"]);
}

#[test]
fn errors_of_every_stage_are_reported_together() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  \
                schemas:\n    S:\n      type: number\n      maximum: .inf\n    R:\n      \
                $ref: '#/components/schemas/Gone'\n  securitySchemes:\n    bad: {type: magic}\n";
    let errors = fails("all.yaml", text);
    let found: Vec<&str> = errors.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        found,
        [
            "#/components/schemas/S/maximum",
            "#/components/schemas/R",
            "#/components/securitySchemes/bad"
        ]
    );
    // An error at the root is not mistaken for one of those.
    let text = text.replace("info: {title: T, version: '1'}", "info: [T]");
    let errors = fails("all.yaml", &text);
    assert!(errors.iter().any(|d| d.pointer == "#/info"), "{errors:#?}");
}

#[test]
fn long_values_are_cut_short_in_messages() {
    let long = "x".repeat(100_000);
    let loaded = loads(
        "long.json",
        &with_schema(json!({"type": "integer", "enum": [1], "default": long})),
    );
    let d = warning_at(&loaded, &format!("{S}/default"));
    assert!(d.message.len() < 200, "{}", d.message.len());
    assert_mentions(d, &["xxx…", "not of type integer"]);
}

#[test]
fn yaml_alias_bombs_are_rejected() {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nx-a0: &a0 [l, l, l, l, l, l, \
         l, l, l]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        text.push_str(&format!(
            "x-a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let d = single_error("laughs.yaml", &text);
    assert_mentions(&d, &["invalid YAML", "too many values"]);
}

#[test]
fn truncated_documents_never_panic() {
    let text = std::fs::read_to_string(corpus_dir().join("oai-petstore-expanded.yaml"))
        .expect("the corpus");
    let json =
        serde_json::to_string(&serde_yaml::from_str::<Value>(&text).expect("yaml")).expect("json");
    for document in [&text, &json] {
        for cut in (0..document.len()).step_by(13) {
            let Some(prefix) = document.get(..cut) else {
                continue;
            };
            let outcome = std::panic::catch_unwind(|| run("cut", prefix));
            assert!(outcome.is_ok(), "panicked on a prefix of {cut} bytes");
        }
    }
}

// ---------------------------------------------------------------------------------------
// The corpus

fn corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// The repairs each corpus document needs, by repair name. A change here is a change in
/// what the loader does to real documents: review it.
const CORPUS_REPAIRS: &[(&str, &[(&str, usize)])] = &[
    ("ably-control.yaml", &[]),
    ("box-platform.json", &[("inapplicable-keyword", 8)]),
    (
        "github-rest.json",
        &[("inapplicable-keyword", 5), ("array-items-missing", 8)],
    ),
    ("googlehome-local.json", &[]),
    (
        "linode-api.yaml",
        &[("ref-siblings", 27), ("inapplicable-keyword", 8)],
    ),
    ("mercure-hub.yaml", &[]),
    ("oai-api-with-examples.yaml", &[]),
    ("oai-callback-example.yaml", &[]),
    ("oai-link-example.yaml", &[]),
    ("oai-petstore-expanded.yaml", &[]),
    ("oai-petstore.yaml", &[]),
    ("oai-uspto.yaml", &[]),
    ("oxide-buildomat.json", &[]),
    ("oxide-cli-gen.json", &[]),
    ("oxide-keeper.json", &[]),
    ("oxide-nexus.json", &[]),
    ("oxide-param-collision.json", &[("unknown-field", 1)]),
    ("oxide-param-overrides.yaml", &[("unknown-field", 1)]),
    ("oxide-propolis-server.json", &[]),
    ("swagger-petstore3.yaml", &[]),
    ("twilio-lookups-v1.json", &[("inapplicable-keyword", 1)]),
    ("vonage-number-insight.yaml", &[]),
    (
        "xero-accounting.yaml",
        &[
            ("ref-siblings", 28),
            ("inapplicable-keyword", 1),
            ("default-value", 23),
        ],
    ),
];

#[test]
fn every_corpus_document_loads() {
    let mut files: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("the corpus beside the repository, at ../shared/corpus")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json") || name.ends_with(".yaml"))
        .filter(|name| name != "oai-webhook-example.yaml")
        .collect();
    files.sort();
    let expected: Vec<&str> = CORPUS_REPAIRS.iter().map(|(name, _)| *name).collect();
    assert_eq!(files, expected, "the corpus changed");
    let mut report = Vec::new();
    let mut wrong = Vec::new();
    for (name, repairs) in CORPUS_REPAIRS {
        let text = std::fs::read_to_string(corpus_dir().join(name)).expect("readable");
        let loaded = loads(name, &text);
        let found: BTreeMap<&str, usize> = loaded
            .repairs
            .iter()
            .map(|(repair, count)| (repair.name(), *count))
            .collect();
        let wanted: BTreeMap<&str, usize> = repairs.iter().copied().collect();
        report.push(format!("{name}: {found:?}"));
        if found != wanted {
            wrong.push(format!("{name}: expected {wanted:?}, found {found:?}"));
        }
        // Every warning names the file and points into it.
        for d in &loaded.warnings {
            assert_eq!(d.file, *name);
            assert!(d.pointer.starts_with("#/"), "{d}");
        }
    }
    assert!(
        wrong.is_empty(),
        "{}\n\nall:\n{}",
        wrong.join("\n"),
        report.join("\n")
    );
}

#[test]
fn the_openapi_3_1_corpus_document_loads_with_a_note_on_its_webhooks() {
    let text =
        std::fs::read_to_string(corpus_dir().join("oai-webhook-example.yaml")).expect("readable");
    let loaded = loads("oai-webhook-example.yaml", &text);
    let d = warning_at(&loaded, "#/webhooks");
    assert_mentions(d, &["`newPet`"]);
    assert_eq!(loaded.warnings.len(), 1, "{:#?}", loaded.warnings);
}

/// Runs `work` on a thread with the loader's stack, as `load` does.
fn on_load_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    crate::stack::on_stack(typed::STACK_SIZE, "test-load", work)
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Reads `text` as the loader does up to the model, then into the model both in parts (as the
/// loader does) and whole, and checks the two are the same.
#[track_caller]
fn assert_reads_the_same_in_parts(name: &str, text: &str) -> OpenAPI {
    let (value, _) = prepare(text, &mut Log::new(name), &mut PointerMap::default())
        .unwrap_or_else(|d| panic!("`{name}` must be prepared: {d}"));
    let whole = OpenAPI::deserialize(value.clone())
        .unwrap_or_else(|e| panic!("`{name}` must fit the model: {e}"));
    let parts = on_load_stack(|| typed::deserialize(value, name))
        .unwrap_or_else(|errors| panic!("`{name}` must be read in parts: {errors:#?}"));
    // Maps compare equal whatever their order, so the order is compared as written out.
    let written = |model: &OpenAPI| serde_json::to_string(model).expect("the model is JSON");
    assert!(
        parts == whole && written(&parts) == written(&whole),
        "`{name}`: the model read in parts differs"
    );
    parts
}

/// The model read in parts on all cores (`typed::deserialize`) is the model `openapiv3` reads
/// from the whole value in one call, on every corpus document.
#[test]
fn reading_in_parts_gives_the_model_read_whole_on_every_corpus_document() {
    let mut names: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("the corpus beside the repository, at ../shared/corpus")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json") || name.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() > 20, "the corpus is missing: {names:?}");
    for name in names {
        let text = std::fs::read_to_string(corpus_dir().join(&name)).expect("readable");
        assert_reads_the_same_in_parts(&name, &text);
    }
}

/// The same on a document with everything the parts are cut around: extensions before and
/// after `paths` and `components`, a `paths` key that is neither a path nor an extension,
/// more entries than one part holds, and every `components` map.
#[test]
fn reading_in_parts_keeps_every_entry_and_extension_in_order() {
    let schemas: serde_json::Map<String, Value> = (0..40)
        .rev()
        .map(|i| (format!("S{i}"), json!({"type": "object", "x-at": i})))
        .collect();
    let paths: serde_json::Map<String, Value> = (0..40)
        .map(|i| (format!("/p{i}"), json!({"get": {"responses": {}}})))
        .chain([
            (String::from("x-in-paths"), json!([1, 2.5, "three"])),
            (String::from("not-a-path"), json!({})),
            (String::from("/last"), json!({"$ref": "#/paths/~1p0"})),
        ])
        .collect();
    let document = json!({
        "x-first": {"nested": [true, null]},
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1", "x-info": 1},
        "paths": paths,
        "x-middle": 2,
        "components": {
            "x-components-first": 3,
            "schemas": schemas,
            "responses": {"R": {"description": "r"}},
            "parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "string"}}},
            "examples": {
                "E": {"value": {"a": [1, 2]}},
                "Ref": {"$ref": "#/components/examples/E", "summary": "ignored"},
                "NotRef": {"$ref": 7, "summary": "read as an example"},
                "Nulls": {"summary": null, "value": null, "externalValue": "https://e.x"},
                "Extended": {"description": "d", "x-a": {"b": 1}, "other": 2, "value": [null]},
                "Empty": {}
            },
            "requestBodies": {"B": {"content": {}}},
            "headers": {"H": {"schema": {"type": "integer"}}},
            "securitySchemes": {"K": {"type": "apiKey", "name": "k", "in": "header"}},
            "links": {"L": {"operationId": "op"}},
            "callbacks": {"C": {"{$request.body#/url}": {"post": {"responses": {}}}}},
            "x-components-last": 4
        },
        "x-last": "end"
    });
    let value = assert_reads_the_same_in_parts("parts.json", &document.to_string());
    let keys: Vec<&String> = value.extensions.keys().collect();
    assert_eq!(keys, ["x-first", "x-middle", "x-last"]);
    let components = value.components.expect("components");
    let names: Vec<&String> = components.schemas.keys().collect();
    assert_eq!(names.first().map(|n| n.as_str()), Some("S39"));
    assert_eq!(names.len(), 40);
    assert_eq!(components.extensions.len(), 2);
    assert_eq!(value.paths.paths.len(), 41);
    assert_eq!(
        value.paths.paths.keys().last().map(|k| k.as_str()),
        Some("/last")
    );
    assert_eq!(value.paths.extensions.len(), 1);
}

/// A document that does not fit the model fails in parts too, whichever part holds the fault.
#[test]
fn reading_in_parts_fails_where_reading_whole_fails() {
    for (at, key, broken) in [
        ("/paths/~1p3/get", "responses", json!("none")),
        ("/components/schemas/S18", "properties", json!([])),
        ("/components/examples/E", "externalValue", json!(7)),
        ("/info", "title", json!(["t"])),
    ] {
        let mut document = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": (0..20).map(|i| (format!("/p{i}"), json!({"get": {"responses": {}}})))
                .collect::<serde_json::Map<String, Value>>(),
            "components": {
                "schemas": (0..20).map(|i| (format!("S{i}"), json!({"type": "object"})))
                    .collect::<serde_json::Map<String, Value>>(),
                "examples": {"E": {"value": 1}}
            }
        });
        let Some(Value::Object(parent)) = document.pointer_mut(at) else {
            panic!("{at} is an object of the document");
        };
        parent.insert(key.to_owned(), broken);
        let whole = OpenAPI::deserialize(document.clone());
        let parts = on_load_stack(|| typed::deserialize(document, "parts.json"));
        assert!(
            whole.is_err(),
            "{at}/{key}: the fault must break the document"
        );
        assert!(
            matches!(&parts, Err(errors) if errors.is_empty()),
            "{at}/{key}: {:?}",
            parts.map(drop)
        );
    }
}
