//! Shared code of the fuzz targets: running `codegen::generate` the way the targets do, and a
//! structure-aware mutator that edits OpenAPI documents as JSON values.
//!
//! The mutator is what the `structured` target plugs into libFuzzer (`fuzz_mutator!`): each
//! corpus entry is a whole document (YAML or JSON); a mutation parses it, makes a few edits
//! that keep it a document (delete a key, change a node's type, duplicate or deepen a subtree,
//! point a `$ref` somewhere odd, grow a string, rename a key to a hostile name, add an OpenAPI
//! keyword) and writes it back as JSON or YAML. libFuzzer keeps the results that reach new
//! code, so the corpus evolves from real specs into odd-but-parseable ones, which is where the
//! model and the renderer are reached (random bytes rarely get past the parser).

use serde_json::{json, Map, Value};

/// The stack of the thread `generate` runs on: what `cargo test` gives each test, and less than
/// a main thread's 8 MiB, so deep recursion shows up here as it would in a test.
pub const STACK_SIZE: usize = 2 << 20;

/// [`STACK_SIZE`], or `$CODEGEN_FUZZ_STACK_KB` KiB. Fuzz targets are optimised builds, whose
/// frames are far smaller than a debug build's: with 256 KiB, an optimised build overflows
/// about where a debug build (what `cargo test` runs) overflows its 2 MiB test thread.
fn stack_size() -> usize {
    static SIZE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *SIZE.get_or_init(|| {
        std::env::var("CODEGEN_FUZZ_STACK_KB")
            .ok()
            .and_then(|kb| kb.parse::<usize>().ok())
            .map_or(STACK_SIZE, |kb| kb.max(64) << 10)
    })
}

/// Runs `codegen::generate` on `text` on a thread with a [`STACK_SIZE`] stack (see
/// [`stack_size`]).
///
/// `Err(Failure)` is a fine outcome (but must name the problem); a panic is a crash. Under
/// libFuzzer its panic hook aborts the process as soon as anything panics, on any thread; in
/// other drivers the panic is propagated to the caller.
pub fn generate(text: &str) {
    let text = text.to_owned();
    let worker = std::thread::Builder::new()
        .name(String::from("generate"))
        .stack_size(stack_size())
        .spawn(move || check(&text))
        .expect("spawn the generate thread");
    if let Err(panic) = worker.join() {
        std::panic::resume_unwind(panic);
    }
}

fn check(text: &str) {
    let config = codegen::Config::new("fuzzed-client");
    let source = codegen::Source {
        name: "fuzz.yaml",
        text,
    };
    match codegen::generate(source, &config) {
        Ok(generation) => {
            assert!(
                generation.files.contains_key("Cargo.toml"),
                "a generated crate without a Cargo.toml"
            );
            // Most of a crate is written as text (`render::source`, `render::operation`), so
            // nothing checked its syntax on the way: every Rust file must parse, and none may
            // carry the marker of tokens that did not.
            for (path, text) in generation.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
                assert!(
                    !text.contains("codegen produced invalid Rust"),
                    "{path}: the generator produced tokens that do not parse"
                );
                if let Err(error) = syn::parse_file(text) {
                    panic!("{path} is not valid Rust: {error}");
                }
            }
        }
        Err(failure) => {
            assert!(
                !failure.diagnostics.is_empty(),
                "generate failed without a diagnostic"
            );
            for diagnostic in &failure.diagnostics {
                assert!(
                    !diagnostic.to_string().trim().is_empty(),
                    "an empty diagnostic"
                );
            }
        }
    }
}

/// A small deterministic generator (SplitMix64): mutations must be reproducible from the seed
/// libFuzzer passes in.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One step from a node to a child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Nodes deeper than this are not descended into or made deeper: the loaders stop at 128
/// levels, and serialising a deeper value would only test `serde_json`.
const MAX_DEPTH: usize = 140;

/// Visiting every node of a large document on every mutation is slow; a sample is enough.
const MAX_PATHS: usize = 20_000;

/// Reads a corpus entry: JSON if it looks like JSON, YAML otherwise.
pub fn parse(bytes: &[u8]) -> Option<Value> {
    let text = std::str::from_utf8(bytes).ok()?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        serde_json::from_str(text).ok()
    } else {
        serde_yaml::from_str(text).ok()
    }
}

/// Writes a document back, as JSON (compact or pretty) or YAML, whichever the generator picks.
pub fn serialize(value: &Value, rng: &mut Rng) -> Option<Vec<u8>> {
    match rng.below(4) {
        0 => serde_json::to_vec(value).ok(),
        1 | 2 => serde_json::to_vec_pretty(value).ok(),
        _ => serde_yaml::to_string(value).ok().map(String::into_bytes),
    }
}

/// Applies one to four random mutations to `doc`. `budget` bounds the bytes a mutation may add
/// (long strings, duplicated subtrees).
pub fn mutate(doc: &mut Value, rng: &mut Rng, budget: usize) {
    let count = 1 + rng.below(4);
    for _ in 0..count {
        mutate_once(doc, rng, budget);
    }
}

/// Grafts a random subtree of `other` into a random place of `doc` (libFuzzer's crossover).
pub fn crossover(doc: &mut Value, other: &Value, rng: &mut Rng) {
    let others = paths(other, rng);
    let donor_path: &Vec<Step> = rng.pick(&others);
    let donor = get(other, donor_path).cloned().unwrap_or(Value::Null);
    let targets = paths(doc, rng);
    let target = rng.pick(&targets).clone();
    if let Some(node) = get_mut(doc, &target) {
        put(node, donor, rng);
    }
}

fn mutate_once(doc: &mut Value, rng: &mut Rng, budget: usize) {
    let all = paths(doc, rng);
    let path = rng.pick(&all).clone();
    match rng.below(13) {
        // Delete a key or an item.
        0 | 1 => remove(doc, &path),
        // Replace a node with a value of another type.
        2 => set(doc, &path, interesting_value(rng)),
        // Copy a subtree somewhere else (shared schemas, repeated operations).
        3 => {
            let donor_path: &Vec<Step> = rng.pick(&all);
            let donor = get(doc, donor_path).cloned().unwrap_or(Value::Null);
            if serde_json::to_vec(&donor).map_or(0, |v| v.len()) <= budget {
                let target = rng.pick(&all).clone();
                if let Some(node) = get_mut(doc, &target) {
                    put(node, donor, rng);
                }
            }
        }
        // Wrap a node in one more level, or in many (up to past the parsers' limit of 128).
        4 => {
            // Half of the deep wraps stay within 64 levels, so that a whole schema still fits
            // in the parsers' 128 (each `items` or `properties` level is two JSON levels).
            let levels = match rng.below(8) {
                0 => 1 + rng.below(MAX_DEPTH),
                1 => 1 + rng.below(64),
                _ => 1,
            };
            let levels = levels.min(MAX_DEPTH.saturating_sub(path.len()));
            // The same wrapper all the way down (`Vec<Vec<…>>`) or a mix.
            let same = rng.chance(2).then(|| rng.below(9));
            if let Some(node) = get_mut(doc, &path) {
                let mut inner = node.take();
                for _ in 0..levels {
                    let kind = same.unwrap_or_else(|| rng.below(9));
                    inner = deepen(inner, kind);
                }
                *node = inner;
            }
        }
        // A `$ref` to somewhere: an existing node, the node itself, an ancestor, nowhere.
        5 | 6 => {
            let target = match rng.below(6) {
                0 => path.clone(),
                1 => path[..rng.below(path.len() + 1)].to_vec(),
                2 => return set(doc, &path, Value::String(rng.pick(ODD_REFS).to_string())),
                _ => rng.pick(&all).clone(),
            };
            let reference = json!({ "$ref": pointer(&target) });
            if rng.chance(3) {
                // As a schema with siblings.
                if let Some(Value::Object(map)) = get_mut(doc, &path) {
                    map.insert(String::from("$ref"), Value::String(pointer(&target)));
                    return;
                }
            }
            set(doc, &path, reference);
        }
        // A long string.
        7 => {
            let unit = rng.pick(STRING_UNITS);
            let len = 1 + rng.below(budget.min(100_000));
            let repeat = len / unit.len().max(1) + 1;
            set(doc, &path, Value::String(unit.repeat(repeat)));
        }
        // Rename a key to something hostile.
        8 => rename(doc, &path, rng),
        // Add an OpenAPI keyword with a plausible value.
        9 | 10 => {
            let (key, value) = keyword(rng);
            match get_mut(doc, &path) {
                Some(Value::Object(map)) => {
                    map.insert(key.to_owned(), value);
                }
                Some(node) => *node = json!({ key: value }),
                None => {}
            }
        }
        // Give every `operationId` (or `name`, or `title`) the same value.
        11 => {
            let key = *rng.pick(&["operationId", "name", "title", "type", "in", "$ref"]);
            let value = interesting_string(rng);
            set_all(doc, key, &value, rng.below(3), 0);
        }
        // Reverse a list or the keys of a map (order-dependent naming, first-wins logic).
        _ => {
            if let Some(node) = get_mut(doc, &path) {
                match node {
                    Value::Array(items) => items.reverse(),
                    Value::Object(map) => {
                        let entries: Vec<(String, Value)> =
                            std::mem::take(map).into_iter().collect();
                        map.extend(entries.into_iter().rev());
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Every path in `doc` (up to [`MAX_PATHS`] of them, sampled), the root included.
fn paths(doc: &Value, rng: &mut Rng) -> Vec<Vec<Step>> {
    let mut out = vec![Vec::new()];
    let mut stack: Vec<(Vec<Step>, &Value)> = vec![(Vec::new(), doc)];
    // Keep each node with a probability that makes the sample about MAX_PATHS long.
    let total = count(doc);
    let keep_one_in = (total / MAX_PATHS).max(1);
    while let Some((path, node)) = stack.pop() {
        if path.len() >= MAX_DEPTH {
            continue;
        }
        let children: Vec<(Step, &Value)> = match node {
            Value::Object(map) => map.iter().map(|(k, v)| (Step::Key(k.clone()), v)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Step::Index(i), v))
                .collect(),
            _ => continue,
        };
        for (step, child) in children {
            let mut child_path = path.clone();
            child_path.push(step);
            if keep_one_in == 1 || rng.chance(keep_one_in) {
                out.push(child_path.clone());
            }
            stack.push((child_path, child));
        }
    }
    out
}

fn count(doc: &Value) -> usize {
    let mut n = 0;
    let mut stack = vec![doc];
    while let Some(node) = stack.pop() {
        n += 1;
        match node {
            Value::Object(map) => stack.extend(map.values()),
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    n
}

fn get<'a>(doc: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(map), Step::Key(k)) => map.get(k),
        (Value::Array(items), Step::Index(i)) => items.get(*i),
        _ => None,
    })
}

fn get_mut<'a>(doc: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(map), Step::Key(k)) => map.get_mut(k),
        (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
        _ => None,
    })
}

fn set(doc: &mut Value, path: &[Step], value: Value) {
    if let Some(node) = get_mut(doc, path) {
        *node = value;
    }
}

fn remove(doc: &mut Value, path: &[Step]) {
    let Some((last, parent)) = path.split_last() else {
        *doc = Value::Null;
        return;
    };
    match (get_mut(doc, parent), last) {
        (Some(Value::Object(map)), Step::Key(k)) => {
            map.shift_remove(k);
        }
        (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

fn rename(doc: &mut Value, path: &[Step], rng: &mut Rng) {
    let Some((Step::Key(old), parent)) = path.split_last() else {
        return;
    };
    let new = interesting_string(rng);
    if let Some(Value::Object(map)) = get_mut(doc, parent) {
        if let Some(value) = map.shift_remove(old) {
            map.insert(new, value);
        }
    }
}

/// Puts `value` into `node`: as a new key of a map, a new item of a list, or in its place.
fn put(node: &mut Value, value: Value, rng: &mut Rng) {
    match node {
        Value::Object(map) => {
            let key = if rng.chance(2) {
                // Another entry under a similar name: `Pet` → `Pet2`, `pet`, `PET`…
                map.keys()
                    .nth(rng.below(map.len()))
                    .map(|k| near_name(k, rng))
                    .unwrap_or_else(|| interesting_string(rng))
            } else {
                interesting_string(rng)
            };
            map.insert(key, value);
        }
        Value::Array(items) => items.push(value),
        other => *other = value,
    }
}

fn near_name(name: &str, rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => name.to_lowercase(),
        1 => name.to_uppercase(),
        2 => format!("{name}2"),
        3 => format!("{name}_"),
        4 => name.replace(['_', '-'], " "),
        _ => format!("_{name}"),
    }
}

/// Wraps `inner` in one level of kind `kind` (0 to 8): a list, `allOf`, an array schema…
fn deepen(inner: Value, kind: usize) -> Value {
    match kind {
        0 => json!([inner]),
        1 => json!({ "allOf": [inner] }),
        2 => json!({ "oneOf": [inner, { "type": "string" }] }),
        3 => json!({ "anyOf": [inner, { "type": "null" }] }),
        4 => json!({ "type": "array", "items": inner }),
        5 => json!({ "type": "object", "properties": { "inner": inner }, "required": ["inner"] }),
        6 => json!({ "type": "object", "additionalProperties": inner }),
        7 => json!({ "not": inner }),
        _ => json!({ "schema": inner }),
    }
}

/// `$ref` strings that point nowhere or nowhere sensible.
const ODD_REFS: &[&str] = &[
    "",
    "#",
    "#/",
    "#/components",
    "#/components/schemas",
    "#/components/schemas/",
    "#/components/schemas/Missing",
    "#/components/schemas/a~1b",
    "#/components/schemas/a~2b",
    "#/components/schemas/%7Bx%7D",
    "#/paths/~1pets/get",
    "#/paths/~1pets~1{petId}/get/parameters/0",
    "#/components/responses/NotFound",
    "#/components/parameters/limit",
    "#/info",
    "#/openapi",
    "other.yaml#/components/schemas/Pet",
    "https://example.com/spec.json#/components/schemas/Pet",
    "#components/schemas/Pet",
    "#/components/schemas/Pet/properties/name",
    "#/components/schemas/Pet/items",
    "#/components/schemas/Pet/allOf/0",
    "#/components/schemas/Pet/allOf/-1",
    "#/components/schemas/Pet/allOf/99999999999999999999",
];

const STRING_UNITS: &[&str] = &[
    "a",
    "A_",
    "9",
    " ",
    "-",
    "é",
    "😀",
    "\u{202E}",
    "*/",
    "\"",
    "\\",
    "{",
    "}",
    "\n",
    "\r",
    "#![deny(warnings)]",
    "```rust\n",
    "$",
];

/// Names that are awkward in Rust or collide with what the generator emits.
const NAMES: &[&str] = &[
    "",
    " ",
    "_",
    "__",
    "0",
    "1abc",
    "+1",
    "-1",
    "type",
    "r#type",
    "self",
    "Self",
    "super",
    "crate",
    "ref",
    "move",
    "match",
    "in",
    "use",
    "static",
    "async",
    "await",
    "dyn",
    "gen",
    "try",
    "union",
    "macro_rules",
    "Client",
    "Error",
    "Option",
    "Result",
    "String",
    "Box",
    "Vec",
    "ResponseValue",
    "RequestOptions",
    "RetryPolicy",
    "Upload",
    "Value",
    "additional_properties",
    "additionalProperties",
    "$ref",
    "$id",
    "@timestamp",
    "dc:creator",
    "files[0]",
    "x5t#S256",
    "a/b",
    "a~b",
    "{id}",
    "é",
    "日本",
    "😀",
    "\u{202E}x",
    "a\u{0}b",
    "a\nb",
    "Pet",
    "pet",
    "PET",
    "pet_id",
    "petId",
    "PetId",
    "pet-id",
    "200",
    "default",
    "2XX",
    "x-extension",
];

fn interesting_string(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => {
            let unit = rng.pick(STRING_UNITS);
            unit.repeat(1 + rng.below(300))
        }
        1 => format!("{}{}", rng.pick(NAMES), rng.pick(NAMES)),
        _ => rng.pick(NAMES).to_string(),
    }
}

fn interesting_value(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(2)),
        2 => json!(*rng.pick(&[0i64, -1, 1, i64::MIN, i64::MAX, 200, 404, 599, 1000])),
        3 => json!(*rng.pick(&[u64::MAX, 1 << 53])),
        4 => json!(*rng.pick(&[0.5f64, -0.0, 1e308, -1e308, 3.0, 1e-300])),
        5 => Value::Array(Vec::new()),
        6 => Value::Object(Map::new()),
        7 => json!([interesting_string(rng), interesting_string(rng)]),
        8 => json!({ interesting_string(rng): interesting_string(rng) }),
        9 => json!({ "$ref": *rng.pick(ODD_REFS) }),
        _ => Value::String(interesting_string(rng)),
    }
}

/// An OpenAPI keyword and a value that may or may not make sense where it lands.
fn keyword(rng: &mut Rng) -> (&'static str, Value) {
    let types = [
        "string", "integer", "number", "boolean", "array", "object", "null", "file", "String", "",
    ];
    let formats = [
        "int32",
        "int64",
        "uint8",
        "float",
        "double",
        "date",
        "date-time",
        "time",
        "uuid",
        "binary",
        "byte",
        "password",
        "email",
        "uri",
        "ipv4",
        "decimal",
        "",
    ];
    match rng.below(24) {
        0 => ("type", json!(*rng.pick(&types))),
        1 => ("type", json!([*rng.pick(&types), "null"])),
        2 => ("format", json!(*rng.pick(&formats))),
        3 => (
            "enum",
            json!([
                interesting_string(rng),
                interesting_string(rng),
                "",
                "+1",
                "-1"
            ]),
        ),
        4 => ("enum", json!([1, -1, 0, 1.5, null, true, "1"])),
        5 => ("nullable", json!(true)),
        6 => ("required", json!([interesting_string(rng), "id", "name"])),
        7 => ("required", json!(rng.chance(2))),
        8 => ("additionalProperties", interesting_value(rng)),
        9 => (
            "discriminator",
            json!({ "propertyName": interesting_string(rng), "mapping": { "a": "#/components/schemas/Pet", "b": "Missing" } }),
        ),
        10 => (
            "allOf",
            json!([{ "type": "object" }, { "$ref": *rng.pick(ODD_REFS) }]),
        ),
        11 => (
            "oneOf",
            json!([{ "type": "string" }, { "type": "integer" }, {}]),
        ),
        12 => ("items", interesting_value(rng)),
        13 => (
            "properties",
            json!({ interesting_string(rng): { "type": *rng.pick(&types) } }),
        ),
        14 => (
            "in",
            json!(*rng.pick(&["path", "query", "header", "cookie", "body", "formData"])),
        ),
        15 => (
            "style",
            json!(*rng.pick(&[
                "form",
                "simple",
                "deepObject",
                "pipeDelimited",
                "matrix",
                "label"
            ])),
        ),
        16 => ("explode", json!(rng.chance(2))),
        17 => ("default", interesting_value(rng)),
        18 => ("minimum", interesting_value(rng)),
        19 => ("maxLength", interesting_value(rng)),
        20 => ("operationId", Value::String(interesting_string(rng))),
        21 => (
            "parameters",
            json!([{ "name": interesting_string(rng), "in": *rng.pick(&["path", "query", "header", "cookie"]), "required": true, "schema": { "type": *rng.pick(&types) } }]),
        ),
        22 => (
            "content",
            json!({ *rng.pick(&["application/json", "multipart/form-data", "application/x-www-form-urlencoded", "application/octet-stream", "text/plain", "*/*", "application/problem+json"]): { "schema": { "type": *rng.pick(&types) } } }),
        ),
        _ => (
            "responses",
            json!({ *rng.pick(&["200", "201", "204", "2XX", "default", "404", "101", "301"]): { "description": "", "content": { "application/json": { "schema": { "$ref": *rng.pick(ODD_REFS) } } } } }),
        ),
    }
}

/// Sets `key` to `value` in every map of the document that has it (`mode` 0), or only adds it
/// to maps that lack it at the operation level (`mode` 1), or both (`mode` 2).
fn set_all(node: &mut Value, key: &str, value: &str, mode: usize, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match node {
        Value::Object(map) => {
            let is_operation = map.contains_key("responses");
            if map.contains_key(key) && mode != 1 || is_operation && mode != 0 {
                map.insert(key.to_owned(), Value::String(value.to_owned()));
            }
            for child in map.values_mut() {
                set_all(child, key, value, mode, depth + 1);
            }
        }
        Value::Array(items) => {
            for child in items {
                set_all(child, key, value, mode, depth + 1);
            }
        }
        _ => {}
    }
}

/// The JSON pointer (`#/...`) of a path.
fn pointer(path: &[Step]) -> String {
    let mut out = String::from("#");
    for step in path {
        out.push('/');
        match step {
            Step::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_keep_a_document_that_serialises() {
        let seed = include_str!("../../spec/walletkit.yaml");
        let doc = parse(seed.as_bytes()).expect("the WalletKit spec parses");
        for i in 0..200 {
            let mut rng = Rng::new(i);
            let mut mutated = doc.clone();
            mutate(&mut mutated, &mut rng, 4096);
            let bytes = serialize(&mutated, &mut rng).expect("serialises");
            assert!(!bytes.is_empty());
        }
    }

    #[test]
    fn pointers_escape_keys() {
        let path = vec![Step::Key("a/b~c".into()), Step::Index(3)];
        assert_eq!(pointer(&path), "#/a~1b~0c/3");
    }
}
