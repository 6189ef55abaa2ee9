//! The repaired value → the typed `openapiv3` model.
//!
//! Three things make this more than one `deserialize` call:
//!
//! - **Cost.** It is read in parts on all cores (see [`Part`]), each entry from a borrowed
//!   value: `openapiv3` reads every schema level through an intermediate copy, and a copy of
//!   borrowed text is a reference where a copy of owned text is a new string (a fifth fewer
//!   instructions on GitHub's description). Each entry is freed once read, so the document
//!   is not held twice. Component schemas, the bulk of a large document, are read by
//!   [`schema`] into what `openapiv3` would make of them, without its copies. On a large
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

use indexmap::IndexMap;
use openapiv3::{Components, Example, OpenAPI, PathItem, ReferenceOr, Schema};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};

mod schema;

use super::shape::{Child, Kind, COMPONENT_MAPS};
use crate::stack::{on_stack, on_workers};
use crate::{Diagnostic, Pointer};

/// The stack for deserialisation: about ten times what the deepest document the parsers let
/// through needs in a debug build. It is reserved address space; only what is used is
/// committed.
pub(super) const STACK_SIZE: usize = 64 << 20;

/// Deepest descent when narrowing errors. Values are at most ~130 levels deep; this keeps the
/// recursion bounded regardless.
const MAX_NARROWING_DEPTH: usize = 512;

/// Reads the repaired value into the model, in [`Part`]s on all cores. The calling thread is
/// one of the readers, so it must run on a stack of [`STACK_SIZE`].
///
/// `Err` is empty when the document does not fit the model: [`locate`] then finds where. It
/// holds a diagnostic when reading panicked.
pub(super) fn deserialize(value: Value, file: &str) -> Result<OpenAPI, Vec<Diagnostic>> {
    let Value::Object(root) = value else {
        return Err(Vec::new());
    };
    match on_workers(STACK_SIZE, "codegen-load", split(root), Part::read) {
        Ok(read) => assemble(read).ok_or_else(Vec::new),
        Err(panic) => Err(vec![panicked(file, &*panic)]),
    }
}

/// How many entries of `paths` or of a `components` map one [`Part`] holds: few enough that
/// the cores finish together, enough that handing out parts costs nothing.
const ENTRIES_PER_PART: usize = 16;

/// A piece of the document that is read on its own.
///
/// `openapiv3` reads an object with extensions (the document, `paths`, `components`) by first
/// copying all of it into an intermediate form, because the extensions are a
/// `#[serde(flatten)]` field; and `paths` and `components` are most of a document. So those
/// objects are taken apart here, the way `openapiv3` reads them, and only their entries go
/// through `openapiv3`: a run of path items, or a run of one `components` map. What is left
/// (the document without them, `components` without its maps) is small and read whole. The
/// model is the same as reading the document in one piece, which a test checks on every
/// corpus document.
enum Part {
    /// The document without `paths`' entries, `components` and extensions.
    Document(Map<String, Value>),
    /// The document's extensions (`x-…` keys), in their order: nothing to read.
    Extensions(Map<String, Value>),
    /// A run of `paths` entries.
    Paths(Vec<(String, Value)>),
    /// `components` without its maps: its extensions, and any field that is not a map.
    Components(Map<String, Value>),
    /// A run of entries of the `components` map with this key.
    ComponentMap(&'static str, Vec<(String, Value)>),
}

/// A [`Part`] read into the model. Runs of path items and of schemas, most of a large
/// document, stay lists until they are put together: each key is then hashed into its map
/// once, into a map made large enough for all of them at the start.
enum Read {
    Document(Box<OpenAPI>),
    Extensions(Map<String, Value>),
    Paths(PathRun),
    Schemas(Vec<(String, ReferenceOr<Schema>)>),
    Components(Box<Components>),
}

/// A run of `paths` entries read: path items, and extensions.
struct PathRun {
    items: Vec<(String, ReferenceOr<PathItem>)>,
    extensions: Vec<(String, Value)>,
}

/// Takes the document apart into [`Part`]s, in the order they are put back together.
fn split(mut root: Map<String, Value>) -> Vec<Part> {
    let extension_keys: Vec<String> = root
        .keys()
        .filter(|key| key.starts_with("x-"))
        .cloned()
        .collect();
    let mut extensions = Map::new();
    for key in extension_keys {
        if let Some(value) = root.shift_remove(&key) {
            extensions.insert(key, value);
        }
    }
    // `paths` stays in the document (it is required there), emptied.
    let paths = match root.get_mut("paths") {
        Some(Value::Object(paths)) => std::mem::take(paths),
        _ => Map::new(),
    };
    // `components` that is not a map stays in the document, which reports it.
    let components = match root.get("components") {
        Some(Value::Object(_)) => match root.shift_remove("components") {
            Some(Value::Object(components)) => Some(components),
            _ => None,
        },
        _ => None,
    };
    let mut parts = vec![Part::Document(root), Part::Extensions(extensions)];
    push_runs(&mut parts, paths, Part::Paths);
    if let Some(mut components) = components {
        let mut maps = Vec::new();
        for key in COMPONENT_MAPS {
            if let Some(Value::Object(_)) = components.get(key) {
                if let Some(Value::Object(map)) = components.shift_remove(key) {
                    maps.push((key, map));
                }
            }
        }
        parts.push(Part::Components(components));
        for (key, map) in maps {
            push_runs(&mut parts, map, |run| Part::ComponentMap(key, run));
        }
    }
    parts
}

/// Appends the entries of `map` as parts of [`ENTRIES_PER_PART`] entries each.
fn push_runs(
    parts: &mut Vec<Part>,
    map: Map<String, Value>,
    part: impl Fn(Vec<(String, Value)>) -> Part,
) {
    let mut entries = map.into_iter().peekable();
    while entries.peek().is_some() {
        parts.push(part(entries.by_ref().take(ENTRIES_PER_PART).collect()));
    }
}

impl Part {
    /// Reads the part; `None` when it does not fit the model.
    fn read(self) -> Option<Read> {
        match self {
            Part::Document(root) => OpenAPI::deserialize(&Value::Object(root))
                .ok()
                .map(|document| Read::Document(Box::new(document))),
            Part::Extensions(extensions) => Some(Read::Extensions(extensions)),
            Part::Paths(run) => {
                // As `openapiv3` reads `paths`: a key starting with `/` is a path item, one
                // starting with `x-` an extension, and any other key is ignored.
                let mut paths = PathRun {
                    items: Vec::with_capacity(run.len()),
                    extensions: Vec::new(),
                };
                for (key, value) in run {
                    if key.starts_with('/') {
                        let item = ReferenceOr::deserialize(&value).ok()?;
                        paths.items.push((key, item));
                    } else if key.starts_with("x-") {
                        paths.extensions.push((key, value));
                    }
                }
                Some(Read::Paths(paths))
            }
            Part::Components(rest) => Components::deserialize(&Value::Object(rest))
                .ok()
                .map(|components| Read::Components(Box::new(components))),
            Part::ComponentMap("schemas", run) => run
                .into_iter()
                .map(|(key, value)| Some((key, schema::schema_or_reference(&value)?)))
                .collect::<Option<_>>()
                .map(Read::Schemas),
            Part::ComponentMap(key, run) => {
                let mut components = Components::default();
                match key {
                    "responses" => components.responses = entries(run)?,
                    "parameters" => components.parameters = entries(run)?,
                    "examples" => components.examples = examples(run)?,
                    "requestBodies" => components.request_bodies = entries(run)?,
                    "headers" => components.headers = entries(run)?,
                    "securitySchemes" => components.security_schemes = entries(run)?,
                    "links" => components.links = entries(run)?,
                    "callbacks" => components.callbacks = entries(run)?,
                    _ => return None,
                }
                Some(Read::Components(Box::new(components)))
            }
        }
    }
}

/// Reads a run of `components.examples`. An example's value is arbitrary JSON that the model
/// never looks at, and `openapiv3` would copy it twice on the way (into serde's intermediate
/// form and back): the common shape (a `$ref`, or the four fields and extensions, each of the
/// right type) is built here by moving the value in, and anything else is read by
/// `openapiv3`. The corpus test holds the two to the same model.
fn examples(run: Vec<(String, Value)>) -> Option<IndexMap<String, ReferenceOr<Example>>> {
    run.into_iter()
        .map(|(key, value)| {
            let example = match value {
                Value::Object(object) => match example(object) {
                    Ok(example) => example,
                    Err(object) => ReferenceOr::deserialize(&Value::Object(object)).ok()?,
                },
                other => ReferenceOr::deserialize(&other).ok()?,
            };
            Some((key, example))
        })
        .collect()
}

/// An example object read as `openapiv3` reads it, or the object back when it is not in the
/// common shape.
fn example(mut object: Map<String, Value>) -> Result<ReferenceOr<Example>, Map<String, Value>> {
    // `ReferenceOr` tries a reference first: any object with a string `$ref` is one.
    match object.get("$ref") {
        Some(Value::String(_)) => {
            return match object.shift_remove("$ref") {
                Some(Value::String(reference)) => Ok(ReferenceOr::Reference { reference }),
                _ => Err(object),
            };
        }
        Some(_) => return Err(object),
        None => {}
    }
    // `null` is an absent field, as for any `Option`.
    let text = |value: Option<&Value>| match value {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(text)) => Some(Some(text.clone())),
        Some(_) => None,
    };
    let (Some(summary), Some(description), Some(external_value)) = (
        text(object.get("summary")),
        text(object.get("description")),
        text(object.get("externalValue")),
    ) else {
        return Err(object);
    };
    let mut example = Example {
        summary,
        description,
        external_value,
        ..Example::default()
    };
    for (key, value) in object {
        if key == "value" {
            example.value = Some(value).filter(|value| !value.is_null());
        } else if key.starts_with("x-") {
            example.extensions.insert(key, value);
        }
    }
    Ok(ReferenceOr::Item(example))
}

/// Reads a run of a map's entries, each into a `T`.
fn entries<T: DeserializeOwned>(run: Vec<(String, Value)>) -> Option<IndexMap<String, T>> {
    run.into_iter()
        .map(|(key, value)| Some((key, T::deserialize(&value).ok()?)))
        .collect()
}

/// Puts the parts back together, in their order; `None` if any of them did not fit the model.
fn assemble(read: Vec<Option<Read>>) -> Option<OpenAPI> {
    let (mut path_count, mut schema_count) = (0, 0);
    for part in read.iter().flatten() {
        match part {
            Read::Paths(run) => path_count += run.items.len(),
            Read::Schemas(run) => schema_count += run.len(),
            _ => {}
        }
    }
    let mut read = read.into_iter();
    let Some(Some(Read::Document(document))) = read.next() else {
        return None;
    };
    let mut document = *document;
    document.paths.paths.reserve(path_count);
    let mut schemas = IndexMap::with_capacity(schema_count);
    for part in read {
        match part? {
            Read::Document(_) => return None,
            Read::Extensions(extensions) => document.extensions.extend(extensions),
            Read::Paths(run) => {
                document.paths.paths.extend(run.items);
                document.paths.extensions.extend(run.extensions);
            }
            Read::Schemas(run) => schemas.extend(run),
            Read::Components(more) => match &mut document.components {
                None => document.components = Some(*more),
                Some(components) => extend(components, *more),
            },
        }
    }
    if !schemas.is_empty() {
        let components = document.components.get_or_insert_with(Components::default);
        if components.schemas.is_empty() {
            components.schemas = schemas;
        } else {
            components.schemas.extend(schemas);
        }
    }
    Some(document)
}

/// Adds the entries of `more` after those of `components`.
fn extend(components: &mut Components, more: Components) {
    let Components {
        schemas,
        responses,
        parameters,
        examples,
        request_bodies,
        headers,
        security_schemes,
        links,
        callbacks,
        extensions,
    } = more;
    components.schemas.extend(schemas);
    components.responses.extend(responses);
    components.parameters.extend(parameters);
    components.examples.extend(examples);
    components.request_bodies.extend(request_bodies);
    components.headers.extend(headers);
    components.security_schemes.extend(security_schemes);
    components.links.extend(links);
    components.callbacks.extend(callbacks);
    components.extensions.extend(extensions);
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
