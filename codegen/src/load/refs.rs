//! `$ref` checks: every local reference must lead to a node of the document, external ones
//! cannot be followed, and chains of references must end in a definition.
//!
//! The repair pass records every reference site it meets (it knows where `$ref` is a
//! reference and where it is, say, a property name); this module checks them all and reports
//! every problem, not just the first.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::Value;

use super::log::Log;
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

/// The node `target` points to, in canonical pointer form, or why there is none.
pub(super) fn resolve<'v>(root: &'v Value, target: &str) -> Result<(Pointer, &'v Value), Problem> {
    if !target.starts_with('#') {
        return Err(Problem::External);
    }
    let pointer = Pointer::from_ref(target).ok_or(Problem::NotAPointer)?;
    let mut node = root;
    let mut found = Pointer::root();
    for segment in pointer.segments() {
        let next = step(node, &segment).or_else(|| {
            // `$ref` is a URI fragment, so `Foo%20Bar` may mean `Foo Bar`.
            let decoded = percent_decode(&segment)?;
            step(node, &decoded)
        });
        match next {
            Some((child, key)) => {
                node = child;
                found = found.push(key);
            }
            None => {
                return Err(Problem::Missing {
                    found,
                    missing: segment,
                })
            }
        }
    }
    Ok((found, node))
}

fn step<'v>(node: &'v Value, segment: &str) -> Option<(&'v Value, String)> {
    let child = match node {
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
    }?;
    Some((child, segment.to_owned()))
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
    for site in sites {
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
