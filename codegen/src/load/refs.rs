//! `$ref` checks: every local reference must lead to a node of the document, external ones
//! cannot be followed, and chains of references must end in a definition.
//!
//! Before the checks, [`retarget`] gives a meaning to what bundlers and converters write and a
//! reader understands: a schema given by a parameter or a response (its schema), a response
//! given by a schema (its body), a discriminator mapping that leads nowhere (dropped); and
//! [`resolve`] follows a pointer through the references it passes.
//!
//! The repair pass records every reference site it meets (it knows where `$ref` is a
//! reference and where it is, say, a property name); this module checks them all and reports
//! every problem, not just the first.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use super::log::{Log, Repair};
use super::shape::{self, Kind};
use crate::Pointer;

/// A `$ref` found by the repair pass.
#[derive(Debug, Clone)]
pub(super) struct RefSite {
    /// The object holding the `$ref` (or, for a discriminator mapping, the mapping entry), as
    /// a pointer into the user's document.
    pub(super) at: Pointer,
    /// The reference as written.
    pub(super) target: String,
    /// What the reference stands for.
    pub(super) kind: Kind,
}

/// Why a reference cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Problem {
    External,
    NotAPointer,
    /// The target does not exist; `found` is the deepest part of its pointer that does.
    Missing {
        found: Pointer,
        missing: String,
    },
}

impl Problem {
    pub(super) fn message(&self, target: &str) -> String {
        match self {
            Problem::External => format!(
                "`$ref: {target}` points into another document; external references are not \
                 supported (bundle the document into one file first)"
            ),
            Problem::NotAPointer => format!(
                "`$ref: {target}` is not a local reference; expected a JSON pointer such as \
                 `#/components/schemas/Name`"
            ),
            Problem::Missing { found, missing } => {
                format!("`$ref` target `{target}` does not exist: `{found}` has no `{missing}`")
            }
        }
    }
}

/// How many references a pointer may be followed through (see [`resolve`]), in all: bundlers'
/// pointers pass one or two, and a dangling pointer costs a walk per attempt.
const THROUGH_BUDGET: usize = 4;

/// The node `target` points to, in canonical pointer form, or why there is none.
///
/// A pointer that does not exist as written but passes through a reference continues in the
/// reference's target, as JSON Schema resolvers read it: `#/a/schema/properties/x` where
/// `#/a/schema` is `{$ref: '#/components/schemas/S'}` (or, once its siblings were rewritten,
/// `{allOf: [{$ref: …}, …]}`) leads to `#/components/schemas/S/properties/x`. Bundlers write
/// such pointers.
pub(super) fn resolve<'v>(root: &'v Value, target: &str) -> Result<(Pointer, &'v Value), Problem> {
    let mut budget = THROUGH_BUDGET;
    resolve_within(root, target, &mut budget)
}

fn resolve_within<'v>(
    root: &'v Value,
    target: &str,
    budget: &mut usize,
) -> Result<(Pointer, &'v Value), Problem> {
    if !target.starts_with('#') {
        return Err(Problem::External);
    }
    if let Some(node) = resolve_plain(root, target) {
        return Ok((Pointer::from_ref(target).ok_or(Problem::NotAPointer)?, node));
    }
    let pointer = Pointer::from_ref(target).ok_or(Problem::NotAPointer)?;
    let segments: Vec<String> = pointer.segments().collect();
    let mut node = root;
    let mut found = Pointer::root();
    // The nodes passed, each with the index of the segment taken from it.
    let mut passed: Vec<&'v Value> = Vec::new();
    for segment in &segments {
        let next = step(node, segment).or_else(|| {
            // `$ref` is a URI fragment, so `Foo%20Bar` may mean `Foo Bar`.
            let decoded = percent_decode(segment)?;
            step(node, &decoded)
        });
        match next {
            Some((child, key)) => {
                passed.push(node);
                node = child;
                found = found.push(key);
            }
            None => {
                passed.push(node);
                let missing = Problem::Missing {
                    found,
                    missing: segment.clone(),
                };
                // Through the nearest reference passed on the way, then the next one up.
                for (from, here) in passed.iter().enumerate().rev() {
                    let Some(through) = through_ref(here) else {
                        continue;
                    };
                    if *budget == 0 {
                        break;
                    }
                    *budget -= 1;
                    if !through.starts_with('#') {
                        continue;
                    }
                    // The rest of the pointer as written (still escaped), after the target.
                    let rest: Vec<&str> = target.split('/').skip(1 + from).collect();
                    let rest = format!("{}/{}", through.trim_end_matches('/'), rest.join("/"));
                    if let Ok(resolved) = resolve_within(root, &rest, budget) {
                        return Ok(resolved);
                    }
                }
                return Err(missing);
            }
        }
    }
    Ok((found, node))
}

/// The common case of [`resolve_within`], without building anything: a pointer with nothing
/// escaped or percent-encoded, whose every segment exists as written. It is then its own
/// canonical form. Anything else (`None`) takes the general path, which also explains
/// what is missing.
fn resolve_plain<'v>(root: &'v Value, target: &str) -> Option<&'v Value> {
    let path = target.strip_prefix("#/")?;
    if path.contains(['~', '%']) {
        return None;
    }
    path.split('/').try_fold(root, child)
}

/// The reference a pointer may pass through at `node`: its `$ref`, or the one a `$ref` with
/// siblings became (`allOf: [{$ref}, …]`).
fn through_ref(node: &Value) -> Option<&str> {
    ref_of(node).or_else(|| {
        node.get("allOf")
            .and_then(|all| all.get(0))
            .and_then(ref_of)
    })
}

fn step<'v>(node: &'v Value, segment: &str) -> Option<(&'v Value, String)> {
    Some((child(node, segment)?, segment.to_owned()))
}

/// The member or element of `node` that one unescaped pointer segment names.
fn child<'v>(node: &'v Value, segment: &str) -> Option<&'v Value> {
    match node {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => {
            let index: usize = segment.parse().ok()?;
            // RFC 6901: no leading zeros, no sign.
            if index.to_string() != segment {
                return None;
            }
            items.get(index)
        }
        _ => None,
    }
}

fn percent_decode(segment: &str) -> Option<String> {
    if !segment.contains('%') {
        return None;
    }
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The string `$ref` of an object that is a reference.
pub(super) fn ref_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// How many bare references [`definition`] follows before giving up (a cycle is reported by
/// [`check`]).
const MAX_CHAIN: usize = 64;

/// Gives a meaning to references that point to an object of another kind than they stand
/// for, where the object says what was meant, rewriting the document and the sites (each with
/// a warning at its site):
///
/// - a schema given by a parameter, header, media type, request body or response: the schema
///   that object holds (for a body, the one of the site's own media type when it has one);
///   when it holds none (a response with only a `description`), any value;
/// - a response or request body given by a schema: one whose `application/json` body is that
///   schema.
///
/// Other mismatches are left for [`check`], which reports them.
pub(super) fn retarget(root: &mut Value, sites: &mut Vec<RefSite>, log: &mut Log) {
    let mut kept = Vec::with_capacity(sites.len());
    // Targets already found to lead to a definition of the kind their sites stand for: most
    // references of a large document repeat a few hundred targets. Only valid while nothing
    // is rewritten, so it is emptied before every rewrite.
    // (A target has one definition, so one kind it is fine for.)
    let mut fine: HashMap<String, Kind> = HashMap::new();
    for mut site in std::mem::take(sites) {
        if fine.get(site.target.as_str()) == Some(&site.kind) {
            kept.push(site);
            continue;
        }
        if let Err(problem) = resolve(root, &site.target) {
            fine.clear();
            if !drop_mapping_entry(root, &site.at, log, &problem.message(&site.target)) {
                kept.push(site);
            }
            continue;
        }
        let Some((found, kind)) = definition(root, &site.target) else {
            kept.push(site);
            continue;
        };
        if kind == site.kind {
            fine.insert(site.target.clone(), site.kind);
            kept.push(site);
            continue;
        }
        fine.clear();
        match (site.kind, kind) {
            (Kind::Schema, Kind::Parameter | Kind::Header | Kind::MediaType)
            | (Kind::Schema, Kind::RequestBody | Kind::Response) => {
                let held = held_schema(root, &found, kind, media_of(&site.at).as_deref());
                let Some(slot) = ref_slot(root, &site.at, &site.target) else {
                    kept.push(site);
                    continue;
                };
                match held {
                    Some(schema) => {
                        let target = schema.as_str().to_owned();
                        log.repaired(
                            Repair::RefKind,
                            &site.at,
                            format!(
                                "`$ref: {}` stands for a schema, but points to {}; read as its \
                                 schema, `{target}`",
                                site.target,
                                kind.a_name()
                            ),
                        );
                        *slot = Value::String(target.clone());
                        site.target = target;
                        kept.push(site);
                    }
                    None => {
                        log.repaired(
                            Repair::RefKind,
                            &site.at,
                            format!(
                                "`$ref: {}` stands for a schema, but points to {} that holds \
                                 none; read as any value",
                                site.target,
                                kind.a_name()
                            ),
                        );
                        remove_ref(root, &site.at, &site.target);
                    }
                }
            }
            (Kind::Response | Kind::RequestBody, Kind::Schema) => {
                let Some(Value::Object(object)) = get_mut(root, &site.at) else {
                    kept.push(site);
                    continue;
                };
                let mut body = serde_json::Map::new();
                let description = object.remove("description");
                body.insert(String::from("$ref"), Value::String(site.target.clone()));
                let mut media = serde_json::Map::new();
                media.insert(String::from("schema"), Value::Object(body));
                let mut content = serde_json::Map::new();
                content.insert(String::from("application/json"), Value::Object(media));
                object.clear();
                if site.kind == Kind::Response {
                    let description = description.unwrap_or_else(|| Value::String(String::new()));
                    object.insert(String::from("description"), description);
                } else if let Some(description) = description {
                    object.insert(String::from("description"), description);
                }
                object.insert(String::from("content"), Value::Object(content));
                log.repaired(
                    Repair::RefKind,
                    &site.at,
                    format!(
                        "`$ref: {}` stands for {}, but points to a schema; read as {} whose \
                         `application/json` body is that schema",
                        site.target,
                        site.kind.a_name(),
                        site.kind.a_name()
                    ),
                );
                site.at = site
                    .at
                    .push("content")
                    .push("application/json")
                    .push("schema");
                site.kind = Kind::Schema;
                kept.push(site);
            }
            _ => kept.push(site),
        }
    }
    *sites = kept;
}

/// Writes every reference that resolves in its canonical form (`#/paths/~1a~1{id}` for
/// `#/paths/~1a~1%7Bid%7D`, a pointer through a reference as the pointer into its target), so
/// the model, which looks references up by their text, finds what the loader found. Nothing
/// is reported: each still points to the same node.
pub(super) fn canonicalise(root: &mut Value, sites: &mut [RefSite]) {
    for site in sites.iter_mut() {
        let Ok((found, _)) = resolve(root, &site.target) else {
            continue;
        };
        if found.as_str() == site.target {
            continue;
        }
        let canonical = found.as_str().to_owned();
        if let Some(slot) = ref_slot(root, &site.at, &site.target) {
            *slot = Value::String(canonical.clone());
            site.target = canonical;
        }
    }
}

/// How many JSON values [`inline_foreign`] may copy in all: a bound on what a document with
/// thousands of references to one large object can cost.
const COPY_BUDGET: usize = 2_000_000;

/// The section of `components` where the model finds the objects of `kind` a `$ref` names.
fn section(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Parameter => Some("parameters"),
        Kind::Response => Some("responses"),
        Kind::RequestBody => Some("requestBodies"),
        Kind::Header => Some("headers"),
        _ => None,
    }
}

/// Whether `pointer` names an entry of `components.<section>` itself.
fn is_component(pointer: &str, section: &str) -> bool {
    let mut segments = Pointer::from_ref(pointer)
        .map(|p| p.segments().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter();
    segments.next().as_deref() == Some("components")
        && segments.next().as_deref() == Some(section)
        && segments.next().is_some()
        && segments.next().is_none()
}

/// Copies in the parameters, responses, request bodies and headers that a `$ref` takes from
/// elsewhere than `components` (another operation's, as bundlers write them): the model looks
/// such references up among the components only. Silent: the meaning does not change. Sites
/// copied in are no longer references and leave `sites`.
pub(super) fn inline_foreign(root: &mut Value, sites: &mut Vec<RefSite>, log: &mut Log) {
    let mut budget = COPY_BUDGET;
    let mut kept = Vec::with_capacity(sites.len());
    for site in std::mem::take(sites) {
        let Some(section) = section(site.kind) else {
            kept.push(site);
            continue;
        };
        if is_component(&site.target, section) {
            kept.push(site);
            continue;
        }
        let Some((found, kind)) = definition(root, &site.target) else {
            kept.push(site);
            continue;
        };
        if kind != site.kind {
            kept.push(site);
            continue;
        }
        if is_component(found.as_str(), section) {
            // Through another object's reference to a component: to the component.
            if let Some(slot) = ref_slot(root, &site.at, &site.target) {
                *slot = Value::String(found.as_str().to_owned());
            }
            kept.push(site);
            continue;
        }
        let copy = match resolve(root, found.as_str()) {
            Ok((_, node)) => {
                let size = count_values(node);
                if size > budget {
                    kept.push(site);
                    continue;
                }
                budget -= size;
                node.clone()
            }
            Err(_) => {
                kept.push(site);
                continue;
            }
        };
        match get_mut(root, &site.at) {
            Some(slot) if slot.get("$ref").and_then(Value::as_str) == Some(&site.target) => {
                *slot = copy;
                log.silent(Repair::RefInlined);
            }
            _ => kept.push(site),
        }
    }
    *sites = kept;
}

/// The number of values in `value`, counted without recursion.
fn count_values(value: &Value) -> usize {
    let mut count = 0;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        count += 1;
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => pending.extend(map.values()),
            _ => {}
        }
    }
    count
}

/// Drops the discriminator mapping entry at `at` (a string: other sites are objects), whose
/// target cannot be followed, with a warning; `false` if `at` is no mapping entry. A mapping
/// only tells which member a value of the property stands for; one that names no schema of
/// the document can never be chosen, so the members decide as if it were not there.
fn drop_mapping_entry(root: &mut Value, at: &Pointer, log: &mut Log, problem: &str) -> bool {
    let mut segments: Vec<String> = at.segments().collect();
    let Some(key) = segments.pop() else {
        return false;
    };
    if segments.last().map(String::as_str) != Some("mapping") {
        return false;
    }
    let parent = segments
        .iter()
        .fold(Pointer::root(), |pointer, segment| pointer.push(segment));
    let Some(Value::Object(mapping)) = get_mut(root, &parent) else {
        return false;
    };
    if !matches!(mapping.get(&key), Some(Value::String(_))) {
        return false;
    }
    mapping.shift_remove(&key);
    log.repaired(
        Repair::Discriminator,
        at,
        format!("{problem}; the mapping of `{key}` is dropped, so the members decide"),
    );
    true
}

/// Where `target` leads through any chain of bare references, with the kind of object there.
fn definition(root: &Value, target: &str) -> Option<(Pointer, Kind)> {
    let (mut found, mut node) = resolve(root, target).ok()?;
    for _ in 0..MAX_CHAIN {
        let Some(next) = ref_of(node) else {
            let kind = shape::kind_at(root, &found)?;
            return Some((found, kind));
        };
        (found, node) = resolve(root, next).ok()?;
    }
    None
}

/// The media type of a schema site at `…/content/<media type>/schema`.
fn media_of(at: &Pointer) -> Option<String> {
    let segments: Vec<String> = at.segments().collect();
    match segments.as_slice() {
        [.., content, media, schema] if content == "content" && schema == "schema" => {
            Some(media.clone())
        }
        _ => None,
    }
}

/// The schema that the object at `found` (of kind `kind`) holds: its `schema`, or the schema
/// of its content for `media` (else its only media type, else `application/json`, else the
/// first that has one).
fn held_schema(root: &Value, found: &Pointer, kind: Kind, media: Option<&str>) -> Option<Pointer> {
    let (_, node) = resolve(root, found.as_str()).ok()?;
    if matches!(kind, Kind::Parameter | Kind::Header | Kind::MediaType)
        && node.get("schema").is_some()
    {
        return Some(found.push("schema"));
    }
    if kind == Kind::MediaType {
        return None;
    }
    let content = node.get("content")?.as_object()?;
    let with_schema = |name: &str| {
        content
            .get(name)
            .and_then(|m| m.get("schema"))
            .map(|_| found.push("content").push(name).push("schema"))
    };
    media
        .and_then(with_schema)
        .or_else(|| {
            (content.len() == 1)
                .then(|| content.keys().next().and_then(|name| with_schema(name)))
                .flatten()
        })
        .or_else(|| with_schema("application/json"))
        .or_else(|| content.keys().find_map(|name| with_schema(name)))
}

/// The `$ref` string of the site at `at` whose reference is `target`: the object's own, or,
/// for a `$ref` with siblings rewritten as `allOf: [{$ref}, …]`, the first `allOf` entry's.
fn ref_slot<'v>(root: &'v mut Value, at: &Pointer, target: &str) -> Option<&'v mut Value> {
    let node = get_mut(root, at)?;
    let own = node.get("$ref").and_then(Value::as_str) == Some(target);
    if own {
        return node.get_mut("$ref");
    }
    let first = node.get_mut("allOf")?.get_mut(0)?;
    (first.get("$ref").and_then(Value::as_str) == Some(target))
        .then(|| first.get_mut("$ref"))
        .flatten()
}

/// Takes the `$ref` at the site out, leaving the schema it sits in (`{}`: any value).
fn remove_ref(root: &mut Value, at: &Pointer, target: &str) {
    let Some(node) = get_mut(root, at) else {
        return;
    };
    if node.get("$ref").and_then(Value::as_str) == Some(target) {
        if let Value::Object(object) = node {
            object.remove("$ref");
        }
    } else if let Some(Value::Object(first)) = node.get_mut("allOf").and_then(|a| a.get_mut(0)) {
        first.remove("$ref");
    }
}

/// The node at `pointer` (canonical form, as built by the walk), mutably.
pub(super) fn get_mut<'v>(root: &'v mut Value, pointer: &Pointer) -> Option<&'v mut Value> {
    let mut node = root;
    for segment in pointer.segments() {
        node = match node {
            Value::Object(map) => map.get_mut(&segment)?,
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Reports every reference that cannot be followed, and every cycle of references that never
/// reaches a definition (`A: {$ref: A}`, or `A → B → A`). Schemas recursive through their
/// properties are fine: their nodes are definitions, not bare references.
///
/// Each node is followed once whatever the number of sites leading to it, so a chain of
/// thousands of aliases costs time in proportion to its length.
pub(super) fn check(root: &Value, sites: &[RefSite], log: &mut Log) {
    // Nodes whose chain has been followed to its end (a definition, or a reported cycle).
    let mut settled: HashSet<String> = HashSet::new();
    let mut cycles: BTreeSet<Vec<String>> = BTreeSet::new();
    // Targets already checked without a problem for sites of a kind: the same answer again.
    let mut fine: HashSet<(&str, Kind)> = HashSet::new();
    for site in sites {
        if fine.contains(&(site.target.as_str(), site.kind)) {
            continue;
        }
        let (start, _) = match resolve(root, &site.target) {
            Ok(found) => found,
            Err(problem) => {
                log.error(&site.at, problem.message(&site.target));
                continue;
            }
        };
        // A parameter that refers to a schema, say: the model would not find a parameter.
        // Targets outside the document's structure (under an extension) are not judged.
        if let Some(found) = shape::kind_at(root, &start) {
            if found != site.kind {
                log.error(
                    &site.at,
                    format!(
                        "`$ref: {}` stands for {}, but points to {}",
                        site.target,
                        site.kind.a_name(),
                        found.a_name()
                    ),
                );
                continue;
            }
        }
        // Follow the chain of bare references from this site's target.
        let mut chain: Vec<String> = Vec::new();
        let mut on_chain: HashMap<String, usize> = HashMap::new();
        let mut current = Some(start.as_str().to_owned());
        while let Some(here) = current.take() {
            if settled.contains(&here) {
                break;
            }
            if let Some(&position) = on_chain.get(&here) {
                cycles.insert(canonical_cycle(chain.get(position..).unwrap_or_default()));
                break;
            }
            // The next node if this one is a bare reference that resolves; a broken one is
            // reported at its own site.
            current = resolve(root, &here)
                .ok()
                .and_then(|(_, node)| ref_of(node))
                .and_then(|target| resolve(root, target).ok())
                .map(|(next, _)| next.as_str().to_owned());
            on_chain.insert(here.clone(), chain.len());
            chain.push(here);
        }
        settled.extend(chain);
        // A cycle found from this site is reported once, whichever site finds it.
        fine.insert((site.target.as_str(), site.kind));
    }
    for cycle in cycles {
        let Some(first) = cycle.first() else { continue };
        let Some(at) = Pointer::from_ref(first) else {
            continue;
        };
        let shown: Vec<&str> = cycle
            .iter()
            .chain(std::iter::once(first))
            .map(String::as_str)
            .collect();
        let message = if cycle.len() == 1 {
            format!("`{first}` is a `$ref` to itself, so it never reaches a definition")
        } else {
            format!(
                "`$ref` cycle {}: these references only point at each other and never reach \
                 a definition",
                shown.join(" → ")
            )
        };
        log.error(&at, message);
    }
}

/// The cycle rotated to start at its smallest pointer, so each cycle is reported once.
fn canonical_cycle(cycle: &[String]) -> Vec<String> {
    let start = cycle
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.cmp(b.1))
        .map_or(0, |(i, _)| i);
    let mut out: Vec<String> = cycle.get(start..).unwrap_or_default().to_vec();
    out.extend(cycle.get(..start).unwrap_or_default().iter().cloned());
    out
}
