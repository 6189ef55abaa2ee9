//! Repairs of schema objects.
//!
//! `openapiv3` reads a schema into a typed variant (`Type::String`, `Type::Integer`…) only
//! when every keyword present fits that type exactly; otherwise it falls back to an untyped
//! `AnySchema`, losing the type without a word. So besides fixing what it rejects outright
//! (`required: true`, `type: [string, "null"]`, a `$ref` that is not a string…), these
//! repairs remove what would make a typed schema untyped: keywords that do not apply to the
//! type (JSON Schema ignores them anyway), `enum` values of the wrong type, and integer
//! bounds that are not 64-bit integers.

use serde_json::{Map, Number, Value};

use super::log::{Log, Repair};
use super::lookup::Lookup;
use super::refs::RefSite;
use super::repair::{scalar_text, Fields};
use super::shape::Kind;
use super::{describe, shown};
use crate::Pointer;

/// The keywords that decide which typed variant `openapiv3` picks.
const TYPED_KEYWORDS: [&str; 18] = [
    "pattern",
    "multipleOf",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minimum",
    "maximum",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "format",
    "minLength",
    "maxLength",
];

const COMBINATORS: [&str; 4] = ["allOf", "oneOf", "anyOf", "not"];

/// Keywords that only annotate: a `$ref` with only these beside it needs no warning.
const ANNOTATIONS: [&str; 4] = ["description", "title", "example", "externalDocs"];

/// 2^53: floats at least this large may not be the integer that was written.
const EXACT_FLOAT_LIMIT: f64 = 9_007_199_254_740_992.0;

/// Makes a schema of a value that is not an object: JSON Schema's `true`/`false`, a bare type
/// name (`schema: string`), or anything else (read as "any value").
pub(super) fn make_object(value: &mut Value, at: &Pointer, log: &mut Log) {
    let (schema, message) = match &*value {
        Value::Object(_) => return,
        Value::Bool(true) | Value::Null => (
            Map::new(),
            format!(
                "the schema is {}; read as `{{}}` (any value)",
                describe(value)
            ),
        ),
        Value::Bool(false) => {
            let mut schema = Map::new();
            schema.insert(String::from("not"), Value::Object(Map::new()));
            (
                schema,
                String::from("the schema is `false`; read as `not: {}` (no value)"),
            )
        }
        Value::String(name) if type_alias(name).is_some() => {
            let mut schema = Map::new();
            schema.insert(String::from("type"), Value::String(name.clone()));
            (
                schema,
                format!("the schema is the string \"{name}\"; read as `type: {name}`"),
            )
        }
        other => (
            Map::new(),
            format!(
                "the schema is {}, not a schema object; read as `{{}}` (any value)",
                describe(other)
            ),
        ),
    };
    log.repaired(Repair::SchemaNotAnObject, at, message);
    *value = Value::Object(schema);
}

/// `{$ref: X, nullable: true, description: …}` → `{allOf: [{$ref: X}], nullable: true,
/// description: …}`: in OpenAPI 3.0 the siblings of `$ref` are ignored, and so does the model,
/// but authors write them to mean something (and linters accept it).
///
/// Siblings that add nothing are dropped instead, keeping the plain reference (which the
/// model turns into a named type, where an `allOf` wrapper would hide it): a `type` (the
/// target has its own, which this one repeats or contradicts) and extensions, unless the
/// rewrite happens anyway. Returns whether the schema was rewritten.
pub(super) fn ref_with_siblings(
    object: &mut Map<String, Value>,
    at: &Pointer,
    log: &mut Log,
) -> bool {
    object.remove("type");
    let rewrite = object.keys().any(|k| k != "$ref" && !k.starts_with("x-"));
    if !rewrite {
        object.retain(|k, _| k == "$ref");
        log.silent(Repair::RefSiblings);
        return false;
    }
    let old = std::mem::take(object);
    let mut all_of = Vec::new();
    let mut siblings = Map::new();
    for (key, value) in old {
        if key == "$ref" {
            let mut reference = Map::new();
            reference.insert(key, value);
            all_of.insert(0, Value::Object(reference));
        } else {
            siblings.insert(key, value);
        }
    }
    // A sibling `allOf` joins the new one.
    if let Some(Value::Array(more)) = siblings.remove("allOf") {
        all_of.extend(more);
    }
    let meaningful: Vec<&str> = siblings
        .keys()
        .map(String::as_str)
        .filter(|k| !ANNOTATIONS.contains(k) && !k.starts_with("x-"))
        .collect();
    if meaningful.is_empty() {
        log.silent(Repair::RefSiblings);
    } else {
        let listed = meaningful
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        log.repaired(
            Repair::RefSiblings,
            at,
            format!(
                "{listed} beside `$ref` would be ignored (OpenAPI 3.0); rewritten as `allOf: \
                 [{{$ref}}]` so they apply"
            ),
        );
    }
    object.insert(String::from("allOf"), Value::Array(all_of));
    object.extend(siblings);
    true
}

/// All repairs of one schema object (not a bare reference).
/// What a schema keyword's value must be.
#[derive(Clone, Copy)]
enum KeywordType {
    Boolean,
    String,
    /// A non-negative integer.
    Count,
    Number,
    Map,
}

/// The schema keywords whose value must be of one type, in the order they are checked.
const KEYWORD_TYPES: [(&str, KeywordType); 21] = [
    ("nullable", KeywordType::Boolean),
    ("readOnly", KeywordType::Boolean),
    ("writeOnly", KeywordType::Boolean),
    ("deprecated", KeywordType::Boolean),
    ("uniqueItems", KeywordType::Boolean),
    ("exclusiveMinimum", KeywordType::Boolean),
    ("exclusiveMaximum", KeywordType::Boolean),
    ("title", KeywordType::String),
    ("description", KeywordType::String),
    ("pattern", KeywordType::String),
    ("format", KeywordType::String),
    ("minLength", KeywordType::Count),
    ("maxLength", KeywordType::Count),
    ("minItems", KeywordType::Count),
    ("maxItems", KeywordType::Count),
    ("minProperties", KeywordType::Count),
    ("maxProperties", KeywordType::Count),
    ("minimum", KeywordType::Number),
    ("maximum", KeywordType::Number),
    ("multipleOf", KeywordType::Number),
    ("properties", KeywordType::Map),
];

pub(super) fn repair(
    object: &mut Map<String, Value>,
    at: &Pointer,
    log: &mut Log,
    refs: &mut Vec<RefSite>,
) {
    schema_type(object, at, log);
    constant(object, at, log);
    exclusive_bounds(object, at, log);
    {
        // Which of these keywords the schema has, found in one pass over its keys: most
        // schemas have two or three of the twenty-one, and looking each one up costs a hash
        // of the keyword (a large document has tens of thousands of schemas). Each check
        // changes only its own keyword, so the set stays true while they run.
        let mut present = [false; KEYWORD_TYPES.len()];
        for key in object.keys() {
            if let Some(i) = KEYWORD_TYPES.iter().position(|(k, _)| *k == key.as_str()) {
                present[i] = true;
            }
        }
        let mut fix = Fields {
            object: &mut *object,
            at,
            log: &mut *log,
            kind: Kind::Schema,
        };
        for (&(key, value_type), _) in KEYWORD_TYPES.iter().zip(present).filter(|(_, p)| *p) {
            match value_type {
                KeywordType::Boolean => fix.boolean(key),
                KeywordType::String => fix.string(key),
                KeywordType::Count => fix.count(key),
                KeywordType::Number => fix.number(key),
                KeywordType::Map => fix.map(key),
            }
        }
    }
    lift_property_required(object, at, log);
    required(object, at, log);
    combinators(object, at, log);
    items(object, at, log);
    additional_properties(object, at, log);
    enum_list(object, at, log);
    discriminator(object, at, log, refs);
    external_docs(object, at, log);
    let typ = object
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if typ.as_deref() == Some("integer") {
        integer_bounds(object, at, log);
    }
    multiple_of(object, at, log);
    if let Some(typ) = typ {
        enum_values(object, &typ, at, log);
        default_value(object, &typ, at, log);
        if !COMBINATORS.iter().any(|k| object.has(k)) {
            inapplicable(object, &typ, at, log);
            if typ == "array" && !object.has("items") {
                object.insert(String::from("items"), Value::Object(Map::new()));
                log.repaired(
                    Repair::ArrayItemsMissing,
                    at,
                    "an array schema without `items` (required in OpenAPI 3.0); its items can be \
                     anything",
                );
            }
        }
    }
}

/// The six types, and common misspellings of them (with the format they imply).
fn type_alias(name: &str) -> Option<(&'static str, Option<&'static str>)> {
    let alias = match name.trim().to_ascii_lowercase().as_str() {
        "string" | "str" | "text" => ("string", None),
        "number" | "float" | "double" | "decimal" => ("number", None),
        "integer" | "int" | "long" | "int32" | "int64" => ("integer", None),
        "boolean" | "bool" => ("boolean", None),
        "object" | "map" | "dict" => ("object", None),
        "array" | "list" => ("array", None),
        // Swagger 2.0's file upload.
        "file" | "binary" => ("string", Some("binary")),
        "date" => ("string", Some("date")),
        "datetime" | "date-time" => ("string", Some("date-time")),
        _ => return None,
    };
    Some(alias)
}

/// `type` must be one of the six type names.
fn schema_type(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let Some(value) = object.field("type") else {
        return;
    };
    // The common case, before anything is allocated for a message.
    if let Value::String(name) = value {
        if matches!(
            name.as_str(),
            "string" | "number" | "integer" | "boolean" | "object" | "array"
        ) {
            return;
        }
    }
    let at = at.push("type");
    let mut nullable = false;
    let written = shown(value);
    let (fixed, message) =
        match value {
            Value::String(s) if type_alias(s).is_some_and(|(t, f)| t == s && f.is_none()) => return,
            Value::Null => {
                object.remove("type");
                return;
            }
            Value::String(s) if s == "null" => {
                nullable = true;
                (
                    None,
                    String::from(
                        "`type: \"null\"` cannot be said in OpenAPI 3.0; read as `nullable: true` \
                     with any type",
                    ),
                )
            }
            Value::String(s) => match type_alias(s) {
                Some(alias) => (
                    Some(alias),
                    format!(
                        "`type: {written}` is not a type name; read as `{}`",
                        alias.0
                    ),
                ),
                None => (
                    None,
                    format!(
                    "`type: {written}` is not one of string, number, integer, boolean, object, \
                     array; the type is dropped (any value)"
                ),
                ),
            },
            Value::Array(types) => {
                nullable = types.iter().any(|t| t.as_str() == Some("null"));
                let mut named: Vec<(&str, Option<&str>)> = types
                    .iter()
                    .filter(|t| t.as_str() != Some("null"))
                    .map(|t| t.as_str().and_then(type_alias).unwrap_or(("?", None)))
                    .collect();
                named.dedup();
                match named.as_slice() {
                    [] => (
                        None,
                        format!("`type: {written}` is a list; read as `nullable: true`"),
                    ),
                    [one] if one.0 != "?" => {
                        (
                            Some(*one),
                            format!(
                        "`type: {written}` is a list (OpenAPI 3.1 style); read as `type: {}`{}",
                        one.0,
                        if nullable { " with `nullable: true`" } else { "" }
                    ),
                        )
                    }
                    _ => (
                        None,
                        format!(
                        "`type: {written}` is a list of several types, which OpenAPI 3.0 cannot \
                         say; the type is dropped (any value)"
                    ),
                    ),
                }
            }
            other => (
                None,
                format!(
                    "`type` must be a type name, found {}; the type is dropped (any value)",
                    describe(other)
                ),
            ),
        };
    match fixed {
        Some((typ, format)) => {
            object.insert(String::from("type"), Value::String(typ.to_owned()));
            if let Some(format) = format {
                if !object.has("format") {
                    object.insert(String::from("format"), Value::String(format.to_owned()));
                }
            }
        }
        None => {
            object.remove("type");
        }
    }
    if nullable {
        object.insert(String::from("nullable"), Value::Bool(true));
    }
    log.repaired(Repair::SchemaType, &at, message);
}

/// `const: x` (JSON Schema, OpenAPI 3.1) is `enum: [x]` in OpenAPI 3.0.
fn constant(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    if object.has("enum") {
        return;
    }
    let Some(value) = object.remove("const") else {
        return;
    };
    let value_shown = shown(&value);
    let message =
        format!("`const: {value_shown}` is not OpenAPI 3.0; read as `enum: [{value_shown}]`");
    object.insert(String::from("enum"), Value::Array(vec![value]));
    log.repaired(Repair::EnumValues, &at.push("const"), message);
}

/// OpenAPI 3.1 (JSON Schema 2019+) writes `exclusiveMinimum: 5`; 3.0 writes `minimum: 5,
/// exclusiveMinimum: true`.
fn exclusive_bounds(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    for (exclusive, bound, stricter) in [
        ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
        ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
    ] {
        let Some(Value::Number(limit)) = object.field(exclusive) else {
            continue;
        };
        let limit = limit.clone();
        let limit_f = limit.as_f64().unwrap_or(0.0);
        let keep_exclusive = match object.field(bound).and_then(Value::as_f64) {
            // The exclusive limit is at least as strict as the inclusive one: it wins.
            Some(current) => match limit_f.partial_cmp(&current) {
                Some(o) => o == stricter || o == std::cmp::Ordering::Equal,
                None => true,
            },
            None => true,
        };
        if keep_exclusive {
            object.insert(bound.to_owned(), Value::Number(limit.clone()));
        }
        object.insert(exclusive.to_owned(), Value::Bool(keep_exclusive));
        let reading = if keep_exclusive {
            format!("`{bound}: {limit}, {exclusive}: true`")
        } else {
            format!("nothing: the `{bound}` beside it is stricter")
        };
        log.repaired(
            Repair::ExclusiveBound,
            &at.push(exclusive),
            format!("`{exclusive}: {limit}` is OpenAPI 3.1 style; read as {reading}"),
        );
    }
}

/// `required: true` on a property (JSON Schema draft 3 style) means the property is required
/// in its parent: the name moves to the parent's `required` list.
fn lift_property_required(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let Some(Value::Object(properties)) = object.field_mut("properties") else {
        return;
    };
    let mut lifted = Vec::new();
    for (name, property) in properties.iter_mut() {
        let Value::Object(property) = property else {
            continue;
        };
        let flag = match property.field("required") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s == "true" || s == "false" => s == "true",
            _ => continue,
        };
        property.remove("required");
        let here = at.push("properties").push(name).push("required");
        if flag {
            lifted.push(name.clone());
            log.repaired(
                Repair::SchemaRequiredNotAList,
                &here,
                format!(
                    "`required: true` inside a property is not OpenAPI; `{name}` is added to the \
                     parent's `required` list instead"
                ),
            );
        } else {
            log.repaired(
                Repair::SchemaRequiredNotAList,
                &here,
                "`required: false` inside a property is not OpenAPI (properties are optional \
                 unless listed in the parent's `required`); dropped",
            );
        }
    }
    if lifted.is_empty() {
        return;
    }
    let list = object
        .entry("required")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !list.is_array() {
        *list = Value::Array(Vec::new());
    }
    if let Value::Array(list) = list {
        let mut listed: std::collections::HashSet<String> = list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        for name in lifted {
            if listed.insert(name.clone()) {
                list.push(Value::String(name));
            }
        }
    }
}

/// A schema's `required` is a list of property names.
fn required(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let Some(value) = object.field_mut("required") else {
        return;
    };
    let at = at.push("required");
    match value {
        Value::Array(names) if names.iter().all(Value::is_string) => {}
        Value::Array(names) => {
            let fixed: Vec<Value> = names
                .iter()
                .filter_map(scalar_text)
                .map(Value::String)
                .collect();
            *names = fixed;
            log.repaired(
                Repair::SchemaRequiredNotAList,
                &at,
                "`required` must list property names (strings); other entries converted or \
                 dropped",
            );
        }
        Value::String(name) => {
            let name = std::mem::take(name);
            log.repaired(
                Repair::SchemaRequiredNotAList,
                &at,
                format!("`required` must be a list; read `{name}` as a list of one"),
            );
            *value = Value::Array(vec![Value::String(name)]);
        }
        other => {
            let message = format!(
                "`required: {}` in a schema: it must be a list of property names; dropped",
                shown(other)
            );
            object.remove("required");
            log.repaired(Repair::SchemaRequiredNotAList, &at, message);
        }
    }
}

/// `allOf`, `oneOf` and `anyOf` are lists of schemas; a single schema is a list of one.
fn combinators(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    for key in ["allOf", "oneOf", "anyOf"] {
        let Some(value) = object.field_mut(key) else {
            continue;
        };
        match value {
            Value::Array(_) => {}
            Value::Object(_) => {
                let single = std::mem::take(value);
                *value = Value::Array(vec![single]);
                log.repaired(
                    Repair::FieldDropped,
                    &at.push(key),
                    format!("`{key}` must be a list of schemas; read as a list of one"),
                );
            }
            _ => {
                let message = format!(
                    "`{key}` must be a list of schemas, found {}; dropped",
                    describe(value)
                );
                object.remove(key);
                log.repaired(Repair::FieldDropped, &at.push(key), message);
            }
        }
    }
}

/// `items` is one schema; a list (a JSON Schema tuple) has no OpenAPI 3.0 equivalent.
fn items(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let Some(Value::Array(list)) = object.field_mut("items") else {
        return;
    };
    let (schema, message) = match list.as_mut_slice() {
        [one] => (
            std::mem::take(one),
            "`items` is a list of one schema; read as that schema",
        ),
        _ => (
            Value::Object(Map::new()),
            "`items` is a list of schemas (a tuple), which OpenAPI 3.0 cannot say; items can be \
             anything",
        ),
    };
    object.insert(String::from("items"), schema);
    log.repaired(Repair::SchemaNotAnObject, &at.push("items"), message);
}

/// `additionalProperties` is a boolean or a schema.
fn additional_properties(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let mut fix = Fields {
        object,
        at,
        log,
        kind: Kind::Schema,
    };
    match fix.object.field("additionalProperties") {
        None | Some(Value::Bool(_) | Value::Object(_)) => {}
        Some(Value::String(_)) => fix.boolean("additionalProperties"),
        Some(Value::Null) => {
            fix.object.remove("additionalProperties");
        }
        Some(_) => fix.dropped("additionalProperties", "a boolean or a schema"),
    }
}

/// `enum` is a list; a single value is a list of one.
fn enum_list(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let Some(value) = object.field_mut("enum") else {
        return;
    };
    match value {
        Value::Array(_) => {}
        Value::Null => {
            object.remove("enum");
        }
        _ => {
            let single = std::mem::take(value);
            let message = format!(
                "`enum: {}` is not a list; read as a list of one",
                shown(&single)
            );
            *value = Value::Array(vec![single]);
            log.repaired(Repair::EnumValues, &at.push("enum"), message);
        }
    }
}

/// How a value fits a schema's type.
enum Fit {
    /// It has the type.
    Yes,
    /// It is the same number written differently (`3.0` for the integer 3).
    Renumbered(Value),
    /// It clearly means a value of the type (`1` in a string enum means `"1"`).
    Converted(Value),
    /// It cannot be a value of the type.
    No,
}

/// How `value` fits `typ` (one of the four scalar types; anything fits the others).
fn fit(typ: &str, value: &Value) -> Fit {
    let converted = |v: Option<Value>| v.map_or(Fit::No, Fit::Converted);
    match (typ, value) {
        (_, Value::Null) => Fit::Yes,
        ("string", Value::String(_)) => Fit::Yes,
        ("string", Value::Number(_) | Value::Bool(_)) => {
            converted(scalar_text(value).map(Value::String))
        }
        ("integer", Value::Number(n)) if n.is_i64() => Fit::Yes,
        ("integer", Value::Number(n)) => n
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < EXACT_FLOAT_LIMIT)
            .map_or(Fit::No, |f| Fit::Renumbered(Value::from(f as i64))),
        ("integer", Value::String(s)) => converted(s.trim().parse::<i64>().ok().map(Value::from)),
        ("number", Value::Number(_)) => Fit::Yes,
        ("number", Value::String(s)) => converted(
            s.trim()
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number),
        ),
        ("boolean", Value::Bool(_)) => Fit::Yes,
        ("boolean", Value::String(s)) if s == "true" || s == "false" => {
            Fit::Converted(Value::Bool(s == "true"))
        }
        ("string" | "integer" | "number" | "boolean", _) => Fit::No,
        _ => Fit::Yes,
    }
}

/// The values of an `enum` must have the schema's type (or the model drops the type):
/// convert those that clearly mean a value of the type, and drop the `enum` (accepting any
/// value of the type) when some cannot be.
fn enum_values(object: &mut Map<String, Value>, typ: &str, at: &Pointer, log: &mut Log) {
    let Some(Value::Array(values)) = object.field_mut("enum") else {
        return;
    };
    // The common case, checked without copying the values.
    if values
        .iter()
        .all(|value| matches!(fit(typ, value), Fit::Yes))
    {
        return;
    }
    let mut converted = Vec::new();
    let mut renumbered = false;
    let mut impossible = None;
    let mut fixed = Vec::with_capacity(values.len());
    for value in values.iter() {
        match fit(typ, value) {
            Fit::Yes => fixed.push(value.clone()),
            Fit::Renumbered(new) => {
                renumbered = true;
                fixed.push(new);
            }
            Fit::Converted(new) => {
                converted.push(shown(value));
                fixed.push(new);
            }
            Fit::No => {
                impossible = Some(shown(value));
                break;
            }
        }
    }
    let at = at.push("enum");
    if let Some(bad) = impossible {
        object.remove("enum");
        log.repaired(
            Repair::EnumValues,
            &at,
            format!(
                "the enum value {bad} is not a {typ}; the enum is dropped (any {typ} is accepted)"
            ),
        );
        return;
    }
    if !converted.is_empty() {
        *values = fixed;
        log.repaired(
            Repair::EnumValues,
            &at,
            format!(
                "the enum values {} are not of type {typ}; converted",
                converted.join(", ")
            ),
        );
    } else if renumbered {
        *values = fixed;
        log.silent(Repair::EnumValues);
    }
}

/// A `default` must have the schema's type: the generated code may use it.
fn default_value(object: &mut Map<String, Value>, typ: &str, at: &Pointer, log: &mut Log) {
    let Some(value) = object.field_mut("default") else {
        return;
    };
    let at = at.push("default");
    match fit(typ, value) {
        Fit::Yes => {}
        Fit::Renumbered(new) => {
            *value = new;
            log.silent(Repair::DefaultValue);
        }
        Fit::Converted(new) => {
            let message = format!(
                "`default: {}` is not of type {typ}; read as {}",
                shown(value),
                shown(&new)
            );
            *value = new;
            log.repaired(Repair::DefaultValue, &at, message);
        }
        Fit::No => {
            let message = format!("`default: {}` is not of type {typ}; dropped", shown(value));
            object.remove("default");
            log.repaired(Repair::DefaultValue, &at, message);
        }
    }
}

/// The model reads a schema's `discriminator` only with a string `propertyName`, and its
/// `mapping` values (schema names or references) must lead to schemas.
fn discriminator(
    object: &mut Map<String, Value>,
    at: &Pointer,
    log: &mut Log,
    refs: &mut Vec<RefSite>,
) {
    let at = at.push("discriminator");
    let Some(value) = object.field_mut("discriminator") else {
        return;
    };
    let problem = match &*value {
        Value::Object(d) => match d.field("propertyName") {
            Some(Value::String(_)) => None,
            Some(other) => Some(format!(
                "its `propertyName` must be a string, found {}",
                describe(other)
            )),
            None => Some(String::from("it has no `propertyName`")),
        },
        Value::Null => {
            object.remove("discriminator");
            return;
        }
        other => Some(format!("it must be a map, found {}", describe(other))),
    };
    if let Some(problem) = problem {
        object.remove("discriminator");
        log.repaired(
            Repair::Discriminator,
            &at,
            format!("the discriminator is dropped: {problem}"),
        );
        return;
    }
    let Value::Object(d) = value else { return };
    let at = at.push("mapping");
    match d.field_mut("mapping") {
        None | Some(Value::Object(_)) => {}
        Some(other) => {
            let message = format!(
                "`mapping` must be a map, found {}; dropped",
                describe(other)
            );
            d.remove("mapping");
            log.repaired(Repair::Discriminator, &at, message);
        }
    }
    let Some(Value::Object(mapping)) = d.field_mut("mapping") else {
        return;
    };
    mapping.retain(|key, target| {
        let Value::String(target) = target else {
            log.repaired(
                Repair::Discriminator,
                &at.push(key),
                format!(
                    "the mapping of `{key}` must be a schema name or reference, found {}; dropped",
                    describe(target)
                ),
            );
            return false;
        };
        // A bare name means a component schema.
        let reference = if target.starts_with('#') || target.contains('/') {
            target.clone()
        } else {
            Pointer::root()
                .push("components")
                .push("schemas")
                .push(target.as_str())
                .to_string()
        };
        refs.push(RefSite {
            at: at.push(key),
            target: reference,
            kind: Kind::Schema,
        });
        true
    });
}

fn external_docs(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let url = match object.field("externalDocs") {
        None => return,
        Some(Value::Object(docs)) => docs.field("url").cloned(),
        Some(_) => None,
    };
    if url.as_ref().is_some_and(|u| scalar_text(u).is_some()) {
        return;
    }
    object.remove("externalDocs");
    log.repaired(
        Repair::FieldDropped,
        &at.push("externalDocs"),
        "`externalDocs` needs a `url`; dropped",
    );
}

/// The model reads an integer schema's `minimum`, `maximum` and `multipleOf` only as 64-bit
/// integers; anything else makes it drop the type. Fractional bounds are rounded inwards
/// (`minimum: 1.5` admits the same integers as `minimum: 2`), out-of-range ones clamped.
fn integer_bounds(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    for (key, exclusive) in [
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ] {
        let Some(Value::Number(n)) = object.field(key) else {
            continue;
        };
        if n.is_i64() {
            continue;
        }
        let written = n.to_string();
        let f = n.as_f64().unwrap_or(0.0);
        let rounded = if key == "minimum" {
            f.ceil()
        } else {
            f.floor()
        };
        // `as` saturates at the ends of the range.
        let fixed = rounded as i64;
        let message = if n.is_u64() || f.abs() >= EXACT_FLOAT_LIMIT {
            Some(format!(
                "`{key}: {written}` does not fit the 64-bit integers of an integer schema; \
                 clamped to {fixed}"
            ))
        } else if f.fract() != 0.0 {
            // For integers, `x > 1.5` and `x >= 1.5` both mean `x >= 2`.
            object.insert(exclusive.to_owned(), Value::Bool(false));
            Some(format!(
                "`{key}: {written}` is not an integer, in an integer schema; rounded to {fixed}"
            ))
        } else {
            None
        };
        object.insert(key.to_owned(), Value::from(fixed));
        match message {
            Some(message) => log.repaired(Repair::IntegerBound, &at.push(key), message),
            None => log.silent(Repair::IntegerBound),
        }
    }
}

/// `multipleOf` must be positive; for an integer schema, a 64-bit integer.
fn multiple_of(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let Some(Value::Number(n)) = object.field("multipleOf") else {
        return;
    };
    let integer = object.field("type").and_then(Value::as_str) == Some("integer");
    let written = n.to_string();
    let f = n.as_f64().unwrap_or(0.0);
    let problem = if f <= 0.0 {
        Some("must be greater than 0")
    } else if !integer || n.is_i64() {
        None
    } else if f.fract() == 0.0 && f < EXACT_FLOAT_LIMIT {
        object.insert(String::from("multipleOf"), Value::from(f as i64));
        log.silent(Repair::IntegerBound);
        None
    } else if f.fract() != 0.0 && (1.0 / f).fract() == 0.0 {
        Some("holds for every integer")
    } else {
        Some("is not a 64-bit integer, in an integer schema")
    };
    if let Some(problem) = problem {
        object.remove("multipleOf");
        log.repaired(
            Repair::IntegerBound,
            &at.push("multipleOf"),
            format!("`multipleOf: {written}` {problem}; dropped"),
        );
    }
}

/// Drops the keywords that do not apply to the schema's type.
fn inapplicable(object: &mut Map<String, Value>, typ: &str, at: &Pointer, log: &mut Log) {
    let applicable: &[&str] = match typ {
        "string" => &["pattern", "format", "minLength", "maxLength"],
        "number" | "integer" => &[
            "multipleOf",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "minimum",
            "maximum",
            "format",
        ],
        "boolean" => &[],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        _ => return,
    };
    let dropped: Vec<&str> = TYPED_KEYWORDS
        .iter()
        .copied()
        .filter(|k| object.has(k) && !applicable.contains(k))
        .collect();
    if dropped.is_empty() {
        return;
    }
    for key in &dropped {
        object.remove(*key);
    }
    let listed = dropped
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    log.repaired(
        Repair::InapplicableKeyword,
        at,
        format!(
            "{listed} do{} not apply to `type: {typ}` and would hide the type from the model; \
             dropped",
            if dropped.len() == 1 { "es" } else { "" }
        ),
    );
}
