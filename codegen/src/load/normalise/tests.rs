//! Rule-by-rule tests of normalisation: each rewrites a small document and compares the
//! result (and the warnings, with their pointers) exactly.

use serde_json::{json, Map, Value};

use super::super::log::Log;
use super::super::version::Version;
use super::{normalise, PointerMap};
use crate::{Diagnostic, Source};

struct Out {
    doc: Value,
    warnings: Vec<Diagnostic>,
    origins: PointerMap,
}

fn run(version: Version, doc: Value) -> Out {
    let Value::Object(mut root) = doc else {
        panic!("a map")
    };
    let mut log = Log::new("t.yaml");
    let mut origins = PointerMap::default();
    normalise(&mut root, &version, &mut log, &mut origins);
    Out {
        doc: Value::Object(root),
        warnings: log.diagnostics,
        origins,
    }
}

fn v31(doc: Value) -> Out {
    run(Version::OpenApi31(String::from("3.1.0")), doc)
}

fn v2(doc: Value) -> Out {
    run(Version::Swagger20, doc)
}

/// A 3.1 document whose only schema is `schema`, normalised: the schema and the warnings.
fn schema31(schema: Value) -> (Value, Vec<Diagnostic>) {
    let out = v31(json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "components": {"schemas": {"S": schema}}
    }));
    (out.doc["components"]["schemas"]["S"].clone(), out.warnings)
}

#[track_caller]
fn quiet(schema: Value, expected: Value) {
    let (got, warnings) = schema31(schema);
    assert_eq!(got, expected);
    assert!(warnings.is_empty(), "{warnings:#?}");
}

/// The schema, and the one warning, which must be at `pointer` and mention `words`.
#[track_caller]
fn warned(schema: Value, expected: Value, pointer: &str, words: &[&str]) {
    let (got, warnings) = schema31(schema);
    assert_eq!(got, expected);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].pointer, pointer, "{:#?}", warnings[0]);
    for word in words {
        assert!(warnings[0].message.contains(word), "{}", warnings[0]);
    }
}

const S: &str = "#/components/schemas/S";

// ---------------------------------------------------------------------------------------
// OpenAPI 3.1

#[test]
fn a_3_0_document_is_untouched() {
    let doc = json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
                     "paths": {}, "webhooks": {"a": {}}, "components": {"schemas":
                     {"S": {"type": ["string", "null"], "const": 1}}}});
    let out = run(Version::OpenApi30, doc.clone());
    assert_eq!(out.doc, doc);
    assert!(out.warnings.is_empty() && out.origins.is_empty());
}

#[test]
fn the_version_becomes_3_0_3_and_missing_paths_are_empty() {
    let out = v31(json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}}));
    assert_eq!(out.doc["openapi"], "3.0.3");
    assert_eq!(out.doc["paths"], json!({}));
    assert!(out.warnings.is_empty());
}

#[test]
fn nullable_type_lists() {
    quiet(
        json!({"type": ["string", "null"], "minLength": 1}),
        json!({"type": "string", "minLength": 1, "nullable": true}),
    );
    quiet(json!({"type": ["integer"]}), json!({"type": "integer"}));
    // Only null: left for the repair pass, which reads it as nullable and warns.
    quiet(json!({"type": ["null"]}), json!({"type": "null"}));
}

#[test]
fn several_types_become_any_of_with_their_keywords() {
    let out = v31(
        json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
        "components": {"schemas": {"S": {"type": ["string", "integer", "null"],
                                         "maxLength": 3, "minimum": 0, "description": "d"}}}}),
    );
    assert_eq!(
        out.doc["components"]["schemas"]["S"],
        json!({"description": "d", "nullable": true, "anyOf": [
            {"type": "string", "maxLength": 3},
            {"type": "integer", "minimum": 0}
        ]})
    );
    assert!(out.warnings.is_empty());
    assert_eq!(
        out.origins.translate(&format!("{S}/anyOf/1")),
        format!("{S}/type/1")
    );
    assert_eq!(
        out.origins.translate(&format!("{S}/anyOf")),
        format!("{S}/type")
    );
}

#[test]
fn const_becomes_a_one_value_enum() {
    quiet(
        json!({"type": "string", "const": "a"}),
        json!({"type": "string", "enum": ["a"]}),
    );
}

#[test]
fn schema_examples_become_the_first_example() {
    quiet(
        json!({"type": "integer", "examples": [3, 4]}),
        json!({"type": "integer", "example": 3}),
    );
}

#[test]
fn numeric_exclusive_bounds() {
    quiet(
        json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5}),
        json!({"type": "number", "exclusiveMinimum": true, "minimum": 0,
               "exclusiveMaximum": false, "maximum": 5}),
    );
}

#[test]
fn ref_siblings_apply() {
    quiet(
        json!({"$ref": "#/components/schemas/T", "description": "d", "readOnly": true}),
        json!({"allOf": [{"$ref": "#/components/schemas/T"}], "description": "d",
               "readOnly": true}),
    );
}

#[test]
fn content_encoding_and_media_type_become_formats() {
    quiet(
        json!({"type": "string", "contentEncoding": "base64"}),
        json!({"type": "string", "format": "byte"}),
    );
    quiet(
        json!({"type": "string", "contentMediaType": "application/octet-stream"}),
        json!({"type": "string", "format": "binary"}),
    );
    quiet(
        json!({"type": "string", "contentMediaType": "application/json"}),
        json!({"type": "string"}),
    );
}

#[test]
fn boolean_schemas_and_identifiers() {
    let out = v31(json!({"openapi": "3.1.0", "jsonSchemaDialect": "x",
        "info": {"title": "T", "version": "1", "summary": "s",
                 "license": {"name": "MIT", "identifier": "MIT"}},
        "components": {"schemas": {"S": {"$schema": "x", "$id": "y", "$comment": "c",
            "type": "object", "properties": {"a": true, "b": false}}}}}));
    assert_eq!(
        out.doc,
        json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1",
               "license": {"name": "MIT"}}, "paths": {},
               "components": {"schemas": {"S": {"type": "object",
                   "properties": {"a": {}, "b": {"not": {}}}}}}})
    );
    assert!(out.warnings.is_empty());
}

#[test]
fn null_branches_of_any_of_make_the_schema_nullable() {
    quiet(
        json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}),
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]}),
    );
    quiet(
        json!({"oneOf": [{"type": "string"}, {"type": "null"}]}),
        json!({"nullable": true, "type": "string"}),
    );
}

#[test]
fn webhooks_are_dropped_with_a_note() {
    let out = v31(
        json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
                         "webhooks": {"newPet": {"post": {}}}}),
    );
    assert!(out.doc.get("webhooks").is_none());
    assert_eq!(out.warnings.len(), 1);
    assert_eq!(out.warnings[0].pointer, "#/webhooks");
    assert!(out.warnings[0].message.contains("`newPet`"));
}

#[test]
fn defs_are_hoisted_into_components() {
    let out = v31(
        json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
        "components": {"schemas": {
            "S": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/S/$defs/Colour"}},
                  "$defs": {"Colour": {"type": "string", "enum": ["red"]}}}}}}),
    );
    let schemas = &out.doc["components"]["schemas"];
    assert_eq!(
        schemas["S"]["properties"]["c"]["$ref"],
        "#/components/schemas/Colour"
    );
    assert_eq!(
        schemas["Colour"],
        json!({"type": "string", "enum": ["red"]})
    );
    assert!(schemas["S"].get("$defs").is_none());
    assert_eq!(
        out.origins.translate("#/components/schemas/Colour/enum"),
        "#/components/schemas/S/$defs/Colour/enum"
    );
}

#[test]
fn path_items_in_components_are_copied_in() {
    let out = v31(
        json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
        "components": {"pathItems": {"A": {"get": {"responses": {}}}}}}),
    );
    assert_eq!(out.doc["paths"]["/a"], json!({"get": {"responses": {}}}));
    assert!(out.doc["components"].get("pathItems").is_none());
}

#[test]
fn conditionals_are_dropped_with_a_warning() {
    warned(
        json!({"type": "object", "if": {}, "then": {}, "else": {}}),
        json!({"type": "object"}),
        &format!("{S}/if"),
        &["`if`/`then`/`else`", "no OpenAPI 3.0 equivalent"],
    );
}

#[test]
fn prefix_items() {
    // All alike and closed: exact.
    quiet(
        json!({"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}],
               "items": false}),
        json!({"type": "array", "items": {"type": "number"}, "maxItems": 2}),
    );
    // Different: any items.
    warned(
        json!({"type": "array", "prefixItems": [{"type": "number"}, {"type": "string"}]}),
        json!({"type": "array", "items": {}}),
        &format!("{S}/prefixItems"),
        &["can be anything"],
    );
    // Alike but open: the prefix schema, with a note that later items must match it.
    warned(
        json!({"prefixItems": [{"type": "number"}]}),
        json!({"items": {"type": "number"}, "type": "array"}),
        &format!("{S}/prefixItems"),
        &["share one schema"],
    );
}

#[test]
fn unevaluated_properties() {
    quiet(
        json!({"type": "object", "unevaluatedProperties": false}),
        json!({"type": "object", "additionalProperties": false}),
    );
    warned(
        json!({"allOf": [{"type": "object"}], "unevaluatedProperties": false}),
        json!({"allOf": [{"type": "object"}]}),
        &format!("{S}/unevaluatedProperties"),
        &["beyond those declared are accepted"],
    );
}

#[test]
fn pattern_properties() {
    warned(
        json!({"type": "object", "additionalProperties": false,
               "patternProperties": {"^x": {"type": "string"}}}),
        json!({"type": "object", "additionalProperties": {"type": "string"}}),
        &format!("{S}/patternProperties"),
        &["additionalProperties"],
    );
    warned(
        json!({"type": "object", "additionalProperties": false,
               "patternProperties": {"^x": {"type": "string"}, "^y": {"type": "integer"}}}),
        json!({"type": "object"}),
        &format!("{S}/patternProperties"),
        &["dropped"],
    );
}

#[test]
fn other_keywords_without_equivalent() {
    for key in [
        "dependentSchemas",
        "propertyNames",
        "contains",
        "unevaluatedItems",
    ] {
        let mut schema = Map::new();
        schema.insert(String::from("type"), json!("object"));
        schema.insert(key.to_owned(), json!({"type": "string"}));
        warned(
            Value::Object(schema),
            json!({"type": "object"}),
            &format!("{S}/{key}"),
            &[key, "no OpenAPI 3.0 equivalent"],
        );
    }
}

// ---------------------------------------------------------------------------------------
// Swagger 2.0

fn swagger(extra: Value) -> Value {
    let mut doc = json!({"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}});
    if let (Value::Object(doc), Value::Object(extra)) = (&mut doc, extra) {
        doc.extend(extra);
    }
    doc
}

#[test]
fn definitions_move_to_components_and_refs_follow() {
    let out = v2(swagger(json!({"definitions": {
        "A": {"type": "object", "properties": {"b": {"$ref": "#/definitions/B"}}},
        "B": {"type": "string", "x-nullable": true}}})));
    assert_eq!(out.doc["openapi"], "3.0.3");
    assert!(out.doc.get("swagger").is_none());
    let schemas = &out.doc["components"]["schemas"];
    assert_eq!(
        schemas["A"]["properties"]["b"]["$ref"],
        "#/components/schemas/B"
    );
    assert_eq!(schemas["B"], json!({"type": "string", "nullable": true}));
    assert_eq!(
        out.origins.translate("#/components/schemas/A/properties/b"),
        "#/definitions/A/properties/b"
    );
    assert_eq!(out.origins.translate("#/openapi"), "#/swagger");
}

#[test]
fn servers_from_host_base_path_and_schemes() {
    let out = v2(swagger(
        json!({"host": "api.example.com", "basePath": "/v1",
                                "schemes": ["http", "https"]}),
    ));
    assert_eq!(
        out.doc["servers"],
        json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])
    );
    let out = v2(swagger(json!({"host": "api.example.com"})));
    assert_eq!(
        out.doc["servers"],
        json!([{"url": "https://api.example.com"}])
    );
    let out = v2(swagger(json!({})));
    assert!(out.doc.get("servers").is_none());
}

#[test]
fn body_parameters_become_request_bodies() {
    let out = v2(swagger(
        json!({"consumes": ["application/json", "application/xml"],
        "paths": {"/p": {"post": {
            "parameters": [
                {"name": "q", "in": "query", "type": "string"},
                {"name": "body", "in": "body", "required": true, "description": "d",
                 "schema": {"$ref": "#/definitions/P"}}],
            "responses": {"204": {"description": "ok"}}}}}}),
    ));
    let op = &out.doc["paths"]["/p"]["post"];
    assert_eq!(
        op["requestBody"],
        json!({"description": "d", "required": true, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/P"}},
            "application/xml": {"schema": {"$ref": "#/components/schemas/P"}}}})
    );
    assert_eq!(
        op["parameters"],
        json!([{"name": "q", "in": "query", "schema": {"type": "string"}}])
    );
    assert_eq!(
        out.origins
            .translate("#/paths/~1p/post/requestBody/content/application~1json/schema"),
        "#/paths/~1p/post/parameters/1/schema"
    );
}

#[test]
fn form_parameters_become_one_object_schema() {
    let out = v2(swagger(json!({"paths": {"/up": {"post": {
        "consumes": ["multipart/form-data"],
        "parameters": [
            {"name": "id", "in": "path", "required": true, "type": "integer"},
            {"name": "note", "in": "formData", "type": "string", "description": "n"},
            {"name": "file", "in": "formData", "type": "file", "required": true}],
        "responses": {"204": {"description": "ok"}}}}}})));
    let op = &out.doc["paths"]["/up"]["post"];
    assert_eq!(
        op["requestBody"],
        json!({"required": true, "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "properties": {"note": {"type": "string", "description": "n"},
                           "file": {"type": "string", "format": "binary"}},
            "required": ["file"]}}}})
    );
    assert_eq!(
        out.origins.translate(
            "#/paths/~1up/post/requestBody/content/multipart~1form-data/schema/properties/file"
        ),
        "#/paths/~1up/post/parameters/2"
    );
    // Without a file, and without `consumes`: URL-encoded.
    let out = v2(swagger(json!({"paths": {"/f": {"post": {
        "parameters": [{"name": "a", "in": "formData", "type": "string"}],
        "responses": {}}}}})));
    let content = &out.doc["paths"]["/f"]["post"]["requestBody"]["content"];
    assert!(
        content.get("application/x-www-form-urlencoded").is_some(),
        "{content}"
    );
}

#[test]
fn collection_formats_become_styles() {
    let param = |format: &str| {
        let out = v2(swagger(json!({"paths": {"/a": {"get": {
            "parameters": [{"name": "t", "in": "query", "type": "array",
                            "items": {"type": "string"}, "collectionFormat": format}],
            "responses": {}}}}})));
        out.doc["paths"]["/a"]["get"]["parameters"][0].clone()
    };
    assert_eq!(
        param("csv"),
        json!({"name": "t", "in": "query", "style": "form", "explode": false,
               "schema": {"type": "array", "items": {"type": "string"}}})
    );
    assert_eq!(param("multi")["explode"], true);
    assert_eq!(param("ssv")["style"], "spaceDelimited");
    assert_eq!(param("pipes")["style"], "pipeDelimited");
}

#[test]
fn responses_get_content_by_produces_and_header_schemas() {
    let out = v2(swagger(
        json!({"produces": ["application/json"], "paths": {"/a": {"get": {
        "responses": {"200": {"description": "ok", "schema": {"type": "string"},
            "headers": {"X-Rate": {"type": "integer", "description": "r"}}}}}}}}),
    ));
    assert_eq!(
        out.doc["paths"]["/a"]["get"]["responses"]["200"],
        json!({"description": "ok",
               "content": {"application/json": {"schema": {"type": "string"}}},
               "headers": {"X-Rate": {"description": "r", "schema": {"type": "integer"}}}})
    );
}

#[test]
fn global_parameters_and_responses_move_to_components() {
    let out = v2(swagger(json!({
        "parameters": {"limit": {"name": "limit", "in": "query", "type": "integer"},
                       "body": {"name": "b", "in": "body", "schema": {"type": "string"}}},
        "responses": {"NotFound": {"description": "nf"}},
        "paths": {"/a": {"post": {
            "parameters": [{"$ref": "#/parameters/limit"}, {"$ref": "#/parameters/body"}],
            "responses": {"404": {"$ref": "#/responses/NotFound"}}}}}})));
    let op = &out.doc["paths"]["/a"]["post"];
    assert_eq!(
        op["parameters"],
        json!([{"$ref": "#/components/parameters/limit"}])
    );
    assert_eq!(
        op["requestBody"]["content"]["application/json"]["schema"],
        json!({"type": "string"})
    );
    assert_eq!(
        op["responses"]["404"]["$ref"],
        "#/components/responses/NotFound"
    );
    let components = &out.doc["components"];
    assert_eq!(
        components["parameters"],
        json!({"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}})
    );
    assert_eq!(
        components["responses"]["NotFound"],
        json!({"description": "nf"})
    );
}

#[test]
fn security_definitions_become_schemes() {
    let out = v2(swagger(json!({"securityDefinitions": {
        "basic": {"type": "basic"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t",
                "scopes": {"read": "r"}},
        "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a",
                 "tokenUrl": "https://t", "scopes": {}}}})));
    assert_eq!(
        out.doc["components"]["securitySchemes"],
        json!({
            "basic": {"type": "http", "scheme": "basic"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "app": {"type": "oauth2", "flows": {"clientCredentials":
                {"tokenUrl": "https://t", "scopes": {"read": "r"}}}},
            "code": {"type": "oauth2", "flows": {"authorizationCode":
                {"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {}}}}
        })
    );
}

// ---------------------------------------------------------------------------------------
// Through the whole loader

#[test]
fn a_dangling_definition_ref_is_reported_where_it_was_written() {
    let text = r##"{"swagger": "2.0", "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
            "schema": {"$ref": "#/definitions/Nope"}}}}}},
        "definitions": {"A": {"type": "object", "properties":
            {"b": {"$ref": "#/definitions/Nope"}}}}}"##;
    let failure = crate::load::load(Source {
        name: "old.json",
        text,
    })
    .expect_err("dangling refs");
    let pointers: Vec<&str> = failure
        .diagnostics
        .iter()
        .map(|d| d.pointer.as_str())
        .collect();
    assert!(
        pointers.contains(&"#/definitions/A/properties/b"),
        "{failure}"
    );
    assert!(
        pointers.contains(&"#/paths/~1a/get/responses/200/schema"),
        "{failure}"
    );
    for d in &failure.diagnostics {
        assert!(d.message.contains("#/definitions/Nope"), "{d}");
        assert!(!d.message.contains("components"), "{d}");
    }
}
