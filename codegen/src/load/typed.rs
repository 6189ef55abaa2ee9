//! The repaired value → the typed `openapiv3` model.
//!
//! Three things make this more than one `deserialize` call:
//!
//! - **Cost.** The value is consumed (strings move into the model, and each part is freed as
//!   it is read), and `components` is read on a second thread beside the rest: on a large
//!   document this is most of the loader's time.
//!
//! - **Stack.** `openapiv3` reads schemas through `#[serde(untagged)]` and `flatten`, which
//!   buffer and re-read each level: in a debug build one level of schema nesting takes tens
//!   of kilobytes of stack, so a schema nested 40 deep (80 JSON levels) overflows the 2 MiB
//!   stack of a test thread. The parsers cap nesting at 128 levels, so a fixed, generous
//!   stack suffices: deserialisation runs on scoped threads with [`STACK_SIZE`]. (If
//!   threads cannot be spawned, it runs on the caller's thread.) A panic inside `openapiv3`
//!   becomes an error diagnostic instead of unwinding into the caller.
//!
//! - **Locating errors.** The untagged enums also hide the path of an error below them, and
//!   serde stops at the first error. So when the document fails, [`locate`] checks each
//!   object of (a fresh copy of) the value on its own, along `shape`, descending into the
//!   failing ones: every broken object is reported, each at the deepest failing node. No
//!   subtree reaches it unrepaired (see `repair`): `openapiv3` reads a failing schema twice
//!   per level, so an unrepaired deep chain would take exponential time.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::sync::Mutex;

use serde_json::Value;

use super::shape::{Child, Kind};
use crate::stack::on_stack;
use crate::{Diagnostic, Pointer};

/// The stack for deserialisation: about ten times what the deepest document the parsers let
/// through needs in a debug build. It is reserved address space; only what is used is
/// committed.
const STACK_SIZE: usize = 64 << 20;

/// Deepest descent when narrowing errors. Values are at most ~130 levels deep; this keeps the
/// recursion bounded regardless.
const MAX_NARROWING_DEPTH: usize = 512;

/// Reads the repaired value into the model, consuming it: strings move into the model instead
/// of being copied, and each part is freed as it is read, so the document is never held twice.
/// `components` (most of a large document) is read on a second thread while the rest is read
/// on the first.
///
/// `Err` is empty when the document does not fit the model: [`locate`] then finds where. It
/// holds a diagnostic when reading panicked.
pub(super) fn deserialize(
    mut value: Value,
    file: &str,
) -> Result<openapiv3::OpenAPI, Vec<Diagnostic>> {
    let components = match &mut value {
        Value::Object(root) => root.remove("components"),
        _ => None,
    };
    let (rest, components) = both(
        || openapiv3::OpenAPI::deserialize(value).ok(),
        || match components {
            Some(components) => openapiv3::Components::deserialize(components).map(Some),
            None => Ok(None),
        },
    );
    match (rest, components) {
        (Ok(Some(mut document)), Ok(Ok(components))) => {
            document.components = components;
            Ok(document)
        }
        (Err(panic), _) | (_, Err(panic)) => Err(vec![panicked(file, &*panic)]),
        _ => Err(Vec::new()),
    }
}

/// Runs `first` and `second` at the same time, each on a thread with [`STACK_SIZE`] of stack
/// (or one after the other on fewer threads if threads cannot be started).
fn both<A: Send, B: Send>(
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B + Send,
) -> (std::thread::Result<A>, std::thread::Result<B>) {
    let slot = Mutex::new(Some(second));
    let take = || slot.lock().ok().and_then(|mut work| work.take());
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name(String::from("codegen-load"))
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, || take().map(|work| work()))
            .ok();
        let first = on_large_stack(first);
        let second = match handle.map(|handle| handle.join()) {
            Some(Ok(Some(done))) => Ok(done),
            Some(Err(panic)) => Err(panic),
            // Not started (or it found nothing to do, which cannot happen): run it here.
            _ => on_large_stack(|| take().map(|work| work()))
                .and_then(|done| done.ok_or_else(|| Box::new("lost work") as _)),
        };
        (first, second)
    })
}

/// Runs `work` on a thread with [`STACK_SIZE`] of stack (see [`on_stack`]).
fn on_large_stack<T: Send>(work: impl FnOnce() -> T + Send) -> std::thread::Result<T> {
    on_stack(STACK_SIZE, "codegen-load", work)
}

fn panicked(file: &str, panic: &(dyn std::any::Any + Send)) -> Diagnostic {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    Diagnostic::error(
        file,
        "",
        format!("internal error: the OpenAPI model panicked while reading the document: {what}"),
    )
}

/// Finds where a document that does not fit the model goes wrong: every broken object, each
/// at its deepest failing node.
pub(super) fn locate(value: &Value, file: &str) -> Vec<Diagnostic> {
    let outcome = on_large_stack(|| {
        let mut found = Vec::new();
        narrow(Kind::Document, &Pointer::root(), value, 0, file, &mut found);
        if found.is_empty() {
            // Narrowing found nothing (it should not happen): report the error as is.
            if let Err(error) = try_as::<openapiv3::OpenAPI>(value) {
                found.push(diagnostic(file, Kind::Document, &Pointer::root(), &error));
            }
        }
        found
    });
    outcome.unwrap_or_else(|panic| vec![panicked(file, &*panic)])
}

type Error = serde_path_to_error::Error<serde_json::Error>;

/// Checks `value` as a `kind`; if it fails, looks for failing children and reports those,
/// or this node if none fails. Returns whether `value` failed.
fn narrow(
    kind: Kind,
    at: &Pointer,
    value: &Value,
    depth: usize,
    file: &str,
    found: &mut Vec<Diagnostic>,
) -> bool {
    let Err(error) = check(kind, value) else {
        return false;
    };
    let mut child_failed = false;
    let is_reference = value.get("$ref").is_some();
    if let (Value::Object(object), false, true) = (value, is_reference, depth < MAX_NARROWING_DEPTH)
    {
        for (key, child) in object {
            let Some(shape) = kind.child(key, child) else {
                continue;
            };
            let here = at.push(key);
            match (shape, child) {
                (Child::One(kind), child) => {
                    child_failed |= narrow(kind, &here, child, depth + 1, file, found);
                }
                (Child::Map(kind), Value::Object(map)) => {
                    for (name, child) in map {
                        let here = here.push(name);
                        child_failed |= narrow(kind, &here, child, depth + 1, file, found);
                    }
                }
                (Child::List(kind), Value::Array(items)) => {
                    for (index, child) in items.iter().enumerate() {
                        let here = here.push(index);
                        child_failed |= narrow(kind, &here, child, depth + 1, file, found);
                    }
                }
                _ => {}
            }
        }
    }
    if !child_failed {
        found.push(diagnostic(file, kind, at, &error));
    }
    true
}

fn diagnostic(file: &str, kind: Kind, at: &Pointer, error: &Error) -> Diagnostic {
    let mut pointer = at.clone();
    for segment in error.path().iter() {
        pointer = match segment {
            serde_path_to_error::Segment::Seq { index } => pointer.push(index),
            serde_path_to_error::Segment::Map { key } => pointer.push(key),
            serde_path_to_error::Segment::Enum { variant } => pointer.push(variant),
            serde_path_to_error::Segment::Unknown => continue,
        };
    }
    let message = humanise(&error.inner().to_string());
    Diagnostic::error(
        file,
        pointer.as_str(),
        format!("invalid {}: {message}", kind.name()),
    )
}

fn check(kind: Kind, value: &Value) -> Result<(), Error> {
    use o::ReferenceOr as R;
    use openapiv3 as o;
    match kind {
        Kind::Document => try_as::<o::OpenAPI>(value),
        Kind::Info => try_as::<o::Info>(value),
        Kind::Server => try_as::<o::Server>(value),
        Kind::Tag => try_as::<o::Tag>(value),
        Kind::ExternalDocs => try_as::<o::ExternalDocumentation>(value),
        Kind::Paths => try_as::<o::Paths>(value),
        Kind::PathItem => try_as::<R<o::PathItem>>(value),
        Kind::Operation => try_as::<o::Operation>(value),
        Kind::Parameter => try_as::<R<o::Parameter>>(value),
        Kind::RequestBody => try_as::<R<o::RequestBody>>(value),
        Kind::Responses => try_as::<o::Responses>(value),
        Kind::Response => try_as::<R<o::Response>>(value),
        Kind::MediaType => try_as::<o::MediaType>(value),
        Kind::Encoding => try_as::<o::Encoding>(value),
        Kind::Header => try_as::<R<o::Header>>(value),
        Kind::Schema => try_as::<R<o::Schema>>(value),
        Kind::Callback => try_as::<R<o::Callback>>(value),
        Kind::Components => try_as::<o::Components>(value),
        Kind::SecurityScheme => try_as::<R<o::SecurityScheme>>(value),
        Kind::SecurityRequirement => try_as::<o::SecurityRequirement>(value),
        Kind::Link => try_as::<R<o::Link>>(value),
        Kind::Example => try_as::<R<o::Example>>(value),
    }
}

fn try_as<T: DeserializeOwned>(value: &Value) -> Result<(), Error> {
    serde_path_to_error::deserialize::<_, T>(value).map(drop)
}

/// Rewrites serde's wording into the document's terms: no Rust type names.
fn humanise(message: &str) -> String {
    let mut out = message
        .replace("a sequence", "a list")
        .replace("sequence", "list")
        .replace("invalid type: map", "invalid type: a map")
        .replace("expected usize", "expected a non-negative integer")
        .replace("expected u64", "expected a non-negative integer")
        .replace("expected i64", "expected an integer")
        .replace("expected f64", "expected a number")
        .replace("expected u16", "expected a number")
        .replace(
            "no variant of enum ParameterSchemaOrContent found in flattened data",
            "it needs `schema` or `content`",
        )
        .replace(
            "no variant of enum LinkOperation found in flattened data",
            "it needs `operationId` or `operationRef`",
        );
    // "expected struct Paths" → "expected a map"; "enum Foo" → "one of the allowed values".
    for (phrase, replacement) in [
        ("struct ", "a map"),
        ("untagged enum ", "one of the allowed forms"),
        ("internally tagged enum ", "a map"),
        ("enum ", "one of the allowed values"),
    ] {
        while let Some(start) = out.find(phrase) {
            let name_start = start + phrase.len();
            let name_len = out
                .get(name_start..)
                .unwrap_or_default()
                .find(|c: char| !c.is_alphanumeric() && c != '_')
                .unwrap_or(out.len() - name_start);
            out.replace_range(start..name_start + name_len, replacement);
        }
    }
    out
}
