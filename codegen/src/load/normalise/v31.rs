//! OpenAPI 3.1 → 3.0.
//!
//! What 3.0 can say the same way is rewritten without a word: `type: [string, "null"]` →
//! `type: string, nullable: true`, `const` → `enum`, `examples: [..]` → `example`, numeric
//! exclusive bounds, `$ref` with siblings → `allOf`, `contentEncoding`/`contentMediaType` →
//! `format`, boolean schemas, `anyOf: [X, {type: "null"}]` → nullable `X`, `$defs` hoisted
//! into `components/schemas`, `components/pathItems` copied in where referenced.
//!
//! What it cannot say (`if`/`then`/`else`, `prefixItems`, `unevaluatedProperties`,
//! `dependentSchemas`, `patternProperties`, `propertyNames`, `contains`…) is replaced by the
//! closest reading that accepts every value the original accepts, with a warning at the
//! keyword saying what was dropped. Webhooks are dropped with a warning: a client does not
//! receive requests.

use serde_json::{Map, Value};

use super::super::log::Log;
use super::super::schema;
use super::super::shape::Kind;
use super::{for_each_schema, object_at, rewrite_refs, unique_name, PointerMap, TARGET_VERSION};
use crate::{Diagnostic, Pointer};

/// Schema keywords dropped without a word: identifiers and comments with no bearing on
/// the values a schema accepts.
const QUIET: [&str; 6] = [
    "$schema",
    "$id",
    "$comment",
    "$anchor",
    "$dynamicAnchor",
    "contentSchema",
];

pub(super) fn normalise(root: &mut Map<String, Value>, log: &mut Log, origins: &mut PointerMap) {
    root.insert(
        String::from("openapi"),
        Value::String(TARGET_VERSION.to_owned()),
    );
    root.remove("jsonSchemaDialect");
    webhooks(root, log);
    if !root.contains_key("paths") {
        // Legal in 3.1: a document of only components (or webhooks).
        root.insert(String::from("paths"), Value::Object(Map::new()));
    }
    if let Some(Value::Object(info)) = root.get_mut("info") {
        info.remove("summary");
        if let Some(Value::Object(license)) = info.get_mut("license") {
            license.remove("identifier");
        }
    }
    path_items(root);
    let mut value = Value::Object(std::mem::take(root));
    for_each_schema(
        Kind::Document,
        Pointer::root(),
        &mut value,
        &mut |schema, at| {
            rewrite_schema(schema, at, log, origins);
        },
    );
    hoist_definitions(&mut value, origins);
    if let Value::Object(object) = value {
        *root = object;
    }
}

fn warn(log: &mut Log, at: &Pointer, message: impl Into<String>) {
    let d = Diagnostic::warning(log.file(), at.as_str(), message);
    log.push(d);
}

/// Webhooks are requests the API makes, not ones a client sends: nothing to generate.
fn webhooks(root: &mut Map<String, Value>, log: &mut Log) {
    let Some(webhooks) = root.remove("webhooks") else {
        return;
    };
    let names: Vec<String> = match &webhooks {
        Value::Object(map) => map.keys().map(|k| format!("`{k}`")).collect(),
        _ => Vec::new(),
    };
    if names.is_empty() {
        return;
    }
    warn(
        log,
        &Pointer::root().push("webhooks"),
        format!(
            "webhooks ({}) are requests the API sends, not ones a client makes, and OpenAPI 3.0 \
             has none: no code is generated for them",
            names.join(", ")
        ),
    );
}

/// `components/pathItems` (3.1 only): copied in wherever a path item refers to one, then
/// dropped.
fn path_items(root: &mut Map<String, Value>) {
    let Some(Value::Object(components)) = root.get_mut("components") else {
        return;
    };
    let Some(Value::Object(items)) = components.remove("pathItems") else {
        return;
    };
    let prefix = "#/components/pathItems/";
    let mut stack: Vec<&mut Value> = Vec::new();
    for (key, value) in root.iter_mut() {
        match (key.as_str(), value) {
            ("paths", paths) => stack.push(paths),
            ("components", Value::Object(components)) => {
                if let Some(callbacks) = components.get_mut("callbacks") {
                    stack.push(callbacks);
                }
            }
            _ => {}
        }
    }
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(object) => {
                let target = object
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix(prefix))
                    .and_then(|name| Pointer::from_ref(&format!("#/{name}")))
                    .and_then(|p| p.segments().next());
                if let Some(Value::Object(item)) = target.and_then(|name| items.get(&name)) {
                    object.remove("$ref");
                    for (key, field) in item {
                        object.entry(key.clone()).or_insert_with(|| field.clone());
                    }
                }
                for (key, child) in object.iter_mut() {
                    if !key.starts_with("x-") {
                        stack.push(child);
                    }
                }
            }
            Value::Array(list) => stack.extend(list.iter_mut()),
            _ => {}
        }
    }
}

/// All rewrites of one schema; its children are visited afterwards.
pub(super) fn rewrite_schema(
    value: &mut Value,
    at: &Pointer,
    log: &mut Log,
    origins: &mut PointerMap,
) {
    match value {
        Value::Bool(true) => *value = Value::Object(Map::new()),
        Value::Bool(false) => {
            let mut never = Map::new();
            never.insert(String::from("not"), Value::Object(Map::new()));
            *value = Value::Object(never);
        }
        _ => {}
    }
    let Value::Object(object) = value else {
        return;
    };
    for key in QUIET {
        object.remove(key);
    }
    null_branches(object, at, origins);
    types(object, at, origins);
    constant(object, at, log);
    if let Some(examples) = object.remove("examples") {
        match examples {
            Value::Array(list) => {
                if let Some(first) = list.into_iter().next() {
                    object.entry("example").or_insert(first);
                }
            }
            other => {
                object.insert(String::from("examples"), other);
            }
        }
    }
    exclusive_bounds(object);
    content(object);
    no_equivalent(object, at, log);
    // In 3.1 the siblings of a schema's `$ref` apply, as the `allOf` rewrite makes them do.
    if object.contains_key("$ref") && object.len() > 1 {
        let mut scratch = Log::new(log.file());
        schema::ref_with_siblings(object, at, &mut scratch);
    }
}

/// Whether a schema accepts only `null`.
fn is_null_schema(value: &Value) -> bool {
    let Value::Object(object) = value else {
        return false;
    };
    let only_null = |v: &Value| match v {
        Value::String(t) => t == "null",
        Value::Array(ts) => !ts.is_empty() && ts.iter().all(|t| t.as_str() == Some("null")),
        _ => false,
    };
    object.keys().all(|k| {
        ["type", "const", "enum", "description", "title"].contains(&k.as_str())
            || k.starts_with("x-")
    }) && (object.get("type").is_some_and(only_null)
        || object.get("const").is_some_and(Value::is_null)
        || object
            .get("enum")
            .is_some_and(|e| e.as_array().is_some_and(|l| l.len() == 1 && l[0].is_null())))
}

/// `anyOf`/`oneOf: [X, {type: "null"}]` → `X` with `nullable: true`.
fn null_branches(object: &mut Map<String, Value>, at: &Pointer, origins: &mut PointerMap) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = object.get(key) else {
            continue;
        };
        if !branches.iter().any(is_null_schema) {
            continue;
        }
        let kept: Vec<(usize, Value)> = branches
            .iter()
            .enumerate()
            .filter(|(_, b)| !is_null_schema(b))
            .map(|(i, b)| (i, b.clone()))
            .collect();
        object.remove(key);
        object.insert(String::from("nullable"), Value::Bool(true));
        match kept.as_slice() {
            [] => {}
            [(index, Value::Object(only))] if !only.contains_key("$ref") => {
                let mergeable = only.keys().all(|k| !object.contains_key(k));
                if mergeable {
                    for (k, v) in only {
                        origins.record(
                            at.push(k).to_string(),
                            at.push(key).push(index).push(k).to_string(),
                        );
                        object.insert(k.clone(), v.clone());
                    }
                } else {
                    all_of(
                        object,
                        at,
                        key,
                        *index,
                        Value::Object(only.clone()),
                        origins,
                    );
                }
            }
            [(index, only)] => all_of(object, at, key, *index, only.clone(), origins),
            several => {
                for (new, (old, _)) in several.iter().enumerate() {
                    origins.record(
                        at.push(key).push(new).to_string(),
                        at.push(key).push(old).to_string(),
                    );
                }
                let list = several.iter().map(|(_, b)| b.clone()).collect();
                object.insert(key.to_owned(), Value::Array(list));
            }
        }
    }
}

/// Appends `branch` (written at `at/key/index`) to the schema's `allOf`.
fn all_of(
    object: &mut Map<String, Value>,
    at: &Pointer,
    key: &str,
    index: usize,
    branch: Value,
    origins: &mut PointerMap,
) {
    let list = match object
        .entry("allOf")
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(list) => list,
        other => {
            *other = Value::Array(Vec::new());
            match other {
                Value::Array(list) => list,
                _ => return,
            }
        }
    };
    origins.record(
        at.push("allOf").push(list.len()).to_string(),
        at.push(key).push(index).to_string(),
    );
    list.push(branch);
}

/// Keywords that apply to each type, moved into its branch when a list of types becomes
/// `anyOf`.
fn applicable(typ: &str) -> &'static [&'static str] {
    match typ {
        "string" => &["pattern", "format", "minLength", "maxLength"],
        "number" | "integer" => &[
            "multipleOf",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "format",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        _ => &[],
    }
}

/// `type: [X, "null"]` → `type: X, nullable: true`; `type: [X, Y]` → `anyOf` of the types.
fn types(object: &mut Map<String, Value>, at: &Pointer, origins: &mut PointerMap) {
    let names: Vec<String> = match object.get("type") {
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        Some(Value::Array(list)) if list.iter().all(Value::is_string) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        // A single type, or something the repair pass reports.
        _ => return,
    };
    let nullable = names.iter().any(|t| t == "null");
    let written = names.clone();
    let mut others: Vec<String> = Vec::new();
    for name in names.into_iter().filter(|t| t != "null") {
        if !others.contains(&name) {
            others.push(name);
        }
    }
    if nullable {
        object.insert(String::from("nullable"), Value::Bool(true));
    }
    match others.as_slice() {
        // Only `null`: 3.0 cannot say it; the repair pass reads it as nullable and warns.
        [] => {
            object.insert(String::from("type"), Value::String(String::from("null")));
            object.remove("nullable");
        }
        [one] => {
            object.insert(String::from("type"), Value::String(one.clone()));
        }
        several => {
            object.remove("type");
            let mut branches = Vec::new();
            for typ in several {
                let mut branch = Map::new();
                branch.insert(String::from("type"), Value::String(typ.clone()));
                for key in applicable(typ) {
                    if let Some(v) = object.get(*key) {
                        branch.insert((*key).to_owned(), v.clone());
                    }
                }
                branches.push(Value::Object(branch));
            }
            for typ in several {
                for key in applicable(typ) {
                    object.remove(*key);
                }
            }
            let place = if object.contains_key("anyOf") {
                // Keep the author's `anyOf`; the types join through `allOf`.
                let mut wrapper = Map::new();
                wrapper.insert(String::from("anyOf"), Value::Array(branches));
                let list = object_list(object, "allOf");
                list.push(Value::Object(wrapper));
                at.push("allOf").push(list.len() - 1).push("anyOf")
            } else {
                object.insert(String::from("anyOf"), Value::Array(branches));
                at.push("anyOf")
            };
            // Each branch came from its entry of the type list.
            origins.record(place.to_string(), at.push("type").to_string());
            for (k, typ) in several.iter().enumerate() {
                if let Some(index) = written.iter().position(|t| t == typ) {
                    origins.record(
                        place.push(k).to_string(),
                        at.push("type").push(index).to_string(),
                    );
                }
            }
        }
    }
}

/// The list under `key`, created empty if missing (or not a list).
fn object_list<'m>(object: &'m mut Map<String, Value>, key: &str) -> &'m mut Vec<Value> {
    if !object.get(key).is_some_and(Value::is_array) {
        object.insert(key.to_owned(), Value::Array(Vec::new()));
    }
    match object.get_mut(key) {
        Some(Value::Array(list)) => list,
        _ => unreachable!("just made a list"),
    }
}

/// `const: v` → `enum: [v]`.
fn constant(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let Some(value) = object.remove("const") else {
        return;
    };
    match object.get("enum") {
        Some(Value::Array(values)) if !values.contains(&value) => {
            warn(
                log,
                &at.push("const"),
                "`const` is not one of the `enum` values, so no value is valid; the `const` is \
                 dropped",
            );
        }
        _ => {
            object.insert(String::from("enum"), Value::Array(vec![value]));
        }
    }
}

/// `exclusiveMinimum: 5` → `minimum: 5, exclusiveMinimum: true` (keeping the stricter bound).
fn exclusive_bounds(object: &mut Map<String, Value>) {
    for (exclusive, bound, stricter) in [
        ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
        ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
    ] {
        let Some(Value::Number(limit)) = object.get(exclusive) else {
            continue;
        };
        let limit = limit.clone();
        let wins = match (limit.as_f64(), object.get(bound).and_then(Value::as_f64)) {
            (Some(l), Some(current)) => l
                .partial_cmp(&current)
                .is_none_or(|o| o != stricter.reverse()),
            _ => true,
        };
        if wins {
            object.insert(bound.to_owned(), Value::Number(limit));
        }
        object.insert(exclusive.to_owned(), Value::Bool(wins));
    }
}

/// `contentEncoding: base64` → `format: byte`; a binary `contentMediaType` → `format: binary`.
fn content(object: &mut Map<String, Value>) {
    let encoding = object.remove("contentEncoding");
    let media = object.remove("contentMediaType");
    let is_string = object
        .get("type")
        .is_none_or(|t| t.as_str() == Some("string"));
    if !is_string || object.contains_key("format") {
        return;
    }
    let format = match (
        encoding.as_ref().and_then(Value::as_str),
        media.as_ref().and_then(Value::as_str),
    ) {
        (Some(e), _) if e.eq_ignore_ascii_case("base64") => "byte",
        (None, Some(m)) if !is_textual(m) => "binary",
        _ => return,
    };
    object.insert(String::from("format"), Value::String(format.to_owned()));
}

/// Whether values of a media type are text (JSON, XML, `text/*`…), not raw bytes.
fn is_textual(media: &str) -> bool {
    let media = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    media.starts_with("text/")
        || media.ends_with("/json")
        || media.ends_with("+json")
        || media.ends_with("/xml")
        || media.ends_with("+xml")
        || media == "application/x-www-form-urlencoded"
}

/// Keywords 3.0 has no equivalent for: each dropped (or narrowed to what 3.0 can say), with
/// the reading that accepts every value the original accepts.
fn no_equivalent(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let conditional: Vec<&str> = ["if", "then", "else"]
        .into_iter()
        .filter(|k| object.remove(*k).is_some())
        .collect();
    if let Some(first) = conditional.first() {
        let listed = conditional
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>();
        warn(
            log,
            &at.push(first),
            format!(
                "{} (a conditional schema) has no OpenAPI 3.0 equivalent; dropped, so values \
                 are checked against the rest of the schema only",
                listed.join("/")
            ),
        );
    }
    prefix_items(object, at, log);
    unevaluated_properties(object, at, log);
    pattern_properties(object, at, log);
    for (key, reading) in [
        ("unevaluatedItems", "any further items are accepted"),
        (
            "dependentSchemas",
            "the schemas that depend on present properties are not checked",
        ),
        (
            "dependentRequired",
            "properties required by the presence of others stay optional",
        ),
        ("propertyNames", "any property name is accepted"),
        ("contains", "the array need not contain a matching item"),
        ("minContains", "the array need not contain a matching item"),
        ("maxContains", "the array need not contain a matching item"),
        ("$dynamicRef", "the schema accepts any value"),
        ("$recursiveRef", "the schema accepts any value"),
    ] {
        let Some(value) = object.remove(key) else {
            continue;
        };
        // `unevaluatedItems: true` and `{}` say nothing.
        if value == Value::Bool(true) || value == Value::Object(Map::new()) {
            continue;
        }
        if key.ends_with("Contains") && object.contains_key("contains") {
            continue;
        }
        warn(
            log,
            &at.push(key),
            format!("`{key}` has no OpenAPI 3.0 equivalent; dropped: {reading}"),
        );
    }
}

/// `prefixItems` (a tuple): `items` is the prefix schema when all prefix items (and any
/// `items`) agree, otherwise any value.
fn prefix_items(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let Some(prefix) = object.remove("prefixItems") else {
        return;
    };
    let prefix = match prefix {
        Value::Array(list) => list,
        _ => return,
    };
    let closed = object.get("items") == Some(&Value::Bool(false));
    let rest = object.remove("items").filter(|_| !closed);
    let first = prefix.first().cloned();
    let agree = first.as_ref().is_some_and(|first| {
        prefix.iter().all(|p| p == first) && rest.as_ref().is_none_or(|r| r == first)
    });
    let at = at.push("prefixItems");
    match (agree, first) {
        (true, Some(first)) => {
            object.insert(String::from("items"), first);
            if closed && !object.contains_key("maxItems") {
                object.insert(String::from("maxItems"), Value::from(prefix.len()));
            }
            if !closed && rest.is_none() {
                warn(
                    log,
                    &at,
                    format!(
                        "`prefixItems` (a tuple) has no OpenAPI 3.0 equivalent; its {} items \
                         share one schema, read as `items` of that schema (items past the \
                         prefix, unconstrained before, must now match it too)",
                        prefix.len()
                    ),
                );
            }
        }
        _ => {
            object.insert(String::from("items"), Value::Object(Map::new()));
            warn(
                log,
                &at,
                "`prefixItems` (a tuple) has no OpenAPI 3.0 equivalent and its items differ; \
                 read as an array whose items can be anything",
            );
        }
    }
    if !object.contains_key("type") {
        object.insert(String::from("type"), Value::String(String::from("array")));
    }
}

/// `unevaluatedProperties` is `additionalProperties` when nothing else evaluates properties.
fn unevaluated_properties(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let Some(value) = object.remove("unevaluatedProperties") else {
        return;
    };
    if value == Value::Bool(true) || value == Value::Object(Map::new()) {
        return;
    }
    let alone = ![
        "allOf",
        "anyOf",
        "oneOf",
        "$ref",
        "additionalProperties",
        "patternProperties",
    ]
    .iter()
    .any(|k| object.contains_key(*k));
    if alone {
        object.insert(String::from("additionalProperties"), value);
        return;
    }
    warn(
        log,
        &at.push("unevaluatedProperties"),
        "`unevaluatedProperties` beside `allOf`/`anyOf`/`oneOf`/`$ref` has no OpenAPI 3.0 \
         equivalent; dropped: properties beyond those declared are accepted",
    );
}

/// `patternProperties`: when the other properties are forbidden and every pattern has the
/// same schema, `additionalProperties` of that schema; otherwise dropped, and extra
/// properties allowed.
fn pattern_properties(object: &mut Map<String, Value>, at: &Pointer, log: &mut Log) {
    let Some(patterns) = object.remove("patternProperties") else {
        return;
    };
    let Value::Object(patterns) = patterns else {
        return;
    };
    let schemas: Vec<&Value> = patterns.values().collect();
    let forbidden = object.get("additionalProperties") == Some(&Value::Bool(false));
    let at = at.push("patternProperties");
    match schemas.first() {
        Some(first) if forbidden && schemas.iter().all(|s| s == first) => {
            object.insert(String::from("additionalProperties"), (*first).clone());
            warn(
                log,
                &at,
                "`patternProperties` has no OpenAPI 3.0 equivalent; read as \
                 `additionalProperties` of its schema (property names are not checked \
                 against the pattern)",
            );
        }
        Some(_) => {
            if forbidden {
                object.remove("additionalProperties");
            }
            warn(
                log,
                &at,
                "`patternProperties` has no OpenAPI 3.0 equivalent; dropped: properties \
                 matching the patterns are accepted with any value",
            );
        }
        None => {}
    }
}

/// Moves every `$defs` (and draft-07 `definitions`) of a schema into `components/schemas`,
/// under the name it had (made unique), and rewrites the references into it.
fn hoist_definitions(root: &mut Value, origins: &mut PointerMap) {
    let mut found: Vec<(Pointer, String, Value)> = Vec::new();
    for_each_schema(Kind::Document, Pointer::root(), root, &mut |schema, at| {
        let Value::Object(object) = schema else {
            return;
        };
        for key in ["$defs", "definitions"] {
            if let Some(Value::Object(defs)) = object.remove(key) {
                for (name, def) in defs {
                    found.push((at.push(key).push(&name), name, def));
                }
            }
        }
    });
    if found.is_empty() {
        return;
    }
    // Definitions nested in those just found.
    let mut index = 0;
    while let Some((at, _, def)) = found.get_mut(index) {
        let at = at.clone();
        let mut nested = Vec::new();
        for_each_schema(Kind::Schema, at, def, &mut |schema, at| {
            if let Value::Object(object) = schema {
                for key in ["$defs", "definitions"] {
                    if let Some(Value::Object(defs)) = object.remove(key) {
                        for (name, def) in defs {
                            nested.push((at.push(key).push(&name), name, def));
                        }
                    }
                }
            }
        });
        found.extend(nested);
        index += 1;
    }
    let Value::Object(document) = root else {
        return;
    };
    let components = object_at(document, "components");
    let schemas = object_at(components, "schemas");
    let mut prefixes = Vec::new();
    for (at, name, def) in found {
        let name = unique_name(&name, |n| schemas.contains_key(n));
        let new = Pointer::root()
            .push("components")
            .push("schemas")
            .push(&name);
        origins.record(new.to_string(), at.to_string());
        prefixes.push((at.to_string(), new.to_string()));
        schemas.insert(name, def);
    }
    rewrite_refs(root, &prefixes);
}
