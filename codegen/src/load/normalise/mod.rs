//! Normalisation: OpenAPI 3.1 and Swagger 2.0 documents rewritten into OpenAPI 3.0 shape, on
//! the raw JSON value, between version detection and repair.
//!
//! - [`v31`]: OpenAPI 3.1 → 3.0, meaning-preserving where 3.0 can say the same thing
//!   (`type: [string, "null"]` → `nullable: true`, `const` → `enum`…), with a precise
//!   warning and the closest sound reading where it cannot (`if`/`then`/`else`,
//!   `prefixItems`…);
//! - [`swagger2`]: Swagger 2.0 → 3.0 (definitions, body and form parameters, responses,
//!   servers, security definitions);
//! - [`origins`]: where each moved subtree was written, so every diagnostic, including those
//!   of the later stages and of the model, points into the user's document.
//!
//! An OpenAPI 3.0 document passes through untouched.

mod origins;
mod swagger2;
mod v31;

#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

pub use self::origins::PointerMap;
use super::log::Log;
use super::shape::{Child, Kind};
use super::version::Version;
use crate::Pointer;

/// The OpenAPI version every normalised document declares.
const TARGET_VERSION: &str = "3.0.3";

/// Rewrites `root` into OpenAPI 3.0 shape. Warnings go to `log` with pointers into the
/// original document; `origins` records where moved subtrees came from, for the diagnostics
/// of later stages.
pub(super) fn normalise(
    root: &mut Map<String, Value>,
    version: &Version,
    log: &mut Log,
    origins: &mut PointerMap,
) {
    match version {
        Version::OpenApi30 => {}
        Version::OpenApi31(_) => v31::normalise(root, log, origins),
        Version::Swagger20 => swagger2::normalise(root, log, origins),
    }
}

/// Calls `visit` on every schema of a document in OpenAPI 3.0 shape (at `at`, of `kind`),
/// parents before children; the children are found after the visit, so a visit may add or
/// remove them. Besides the 3.0 structure, schemas under a schema's `$defs` are visited.
/// Iterative: no depth can overflow the stack.
fn for_each_schema(
    kind: Kind,
    at: Pointer,
    value: &mut Value,
    visit: &mut dyn FnMut(&mut Value, &Pointer),
) {
    let mut stack = vec![(kind, at, value)];
    while let Some((kind, at, value)) = stack.pop() {
        if kind == Kind::Schema {
            visit(value, &at);
        }
        let Value::Object(object) = value else {
            continue;
        };
        let mut children = Vec::new();
        for (key, child) in object.iter_mut() {
            let shape = match (kind, key.as_str()) {
                (Kind::Schema, "$defs" | "definitions") => Some(Child::Map(Kind::Schema)),
                _ => kind.child(key, child),
            };
            let Some(shape) = shape else { continue };
            shape.push_nodes(at.push(key), child, 0, &mut children);
        }
        stack.extend(children.into_iter().rev());
    }
}

/// Rewrites every local `$ref` string of the document whose target starts with one of the
/// `(old, new)` prefixes (segment-aligned). Examples, defaults, enums and extensions are
/// values, not structure: they are left alone.
fn rewrite_refs(root: &mut Value, prefixes: &[(String, String)]) {
    if prefixes.is_empty() {
        return;
    }
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(object) => {
                for (key, child) in object.iter_mut() {
                    match (key.as_str(), child) {
                        ("$ref", Value::String(target)) => {
                            if let Some(new) = rewritten(target, prefixes) {
                                *target = new;
                            }
                        }
                        ("example" | "examples" | "default" | "enum" | "const", _) => {}
                        (key, _) if key.starts_with("x-") => {}
                        (_, child) => stack.push(child),
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// `target` with its longest matching `old` prefix replaced by `new`.
fn rewritten(target: &str, prefixes: &[(String, String)]) -> Option<String> {
    prefixes
        .iter()
        .filter(|(old, _)| {
            target == old
                || target
                    .strip_prefix(old.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|(old, _)| old.len())
        .map(|(old, new)| format!("{new}{}", target.get(old.len()..).unwrap_or_default()))
}

/// The object under `key`, inserted empty if missing (or replaced if not an object).
fn object_at<'m>(map: &'m mut Map<String, Value>, key: &str) -> &'m mut Map<String, Value> {
    let slot = map
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    match slot {
        Value::Object(object) => object,
        _ => unreachable!("just made an object"),
    }
}

/// `name`, or `name2`, `name3`… : the first that `taken` does not hold.
fn unique_name(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_owned();
    }
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| name.to_owned())
}
