//! Loading: document text → the typed `openapiv3` model.
//!
//! Real published documents are often invalid, so loading is tolerant and precise:
//!
//! 1. **parse** (`json` or `yaml`, detected from the first non-blank character) into a
//!    `serde_json::Value`, reporting syntax errors with line and column;
//! 2. **version** (`version`) detection, then **normalisation** (`normalise`): OpenAPI
//!    3.1 and Swagger 2.0 documents are rewritten into 3.0 shape, recording where moved
//!    subtrees came from so that every later diagnostic points into the user's document;
//! 3. **repair** (`repair`, `schema`) the raw value in place, with a warning for each
//!    change that could matter, walking it by the document's `shape` (which key holds
//!    which kind of object);
//! 4. **check references** (`refs`): a `$ref` to an object of another kind that says what was
//!    meant (a schema given by a parameter or response) is read by what it holds, a
//!    discriminator mapping that cannot be followed is dropped, both with a warning; dangling,
//!    external and cyclic `$ref`s are errors;
//! 5. **deserialise** (`typed`) into the model, reporting every broken object at its
//!    pointer.
//!
//! Every stage reports into one a `Log`: a failed load lists all its errors.
//!
//! Nesting depth is bounded throughout: the parsers stop at 128 levels (a guard in `yaml`
//! keeps libyaml from spending minutes on 100 000 `[`), the walks of this module are
//! iterative or depth-limited, and the model's deserialiser, which needs far more stack per
//! level, runs on a thread of its own with a large stack.

mod json;
mod log;
mod lookup;
mod normalise;
mod refs;
mod repair;
mod schema;
mod shape;
mod typed;
mod version;
mod yaml;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde_json::Value;

use self::log::Log;
pub use self::log::Repair;
pub use self::normalise::PointerMap;
use crate::{Diagnostic, Failure, Severity, Source};

/// A document that was read and understood, with the oddities met on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub document: openapiv3::OpenAPI,
    pub warnings: Vec<Diagnostic>,
    /// How many times each repair was made, including those too harmless to warn about.
    pub repairs: BTreeMap<Repair, usize>,
    /// Where the subtrees moved by normalisation (Swagger 2.0, OpenAPI 3.1) were written:
    /// diagnostics about [`Loaded::document`] are mapped back through it. Empty for 3.0.
    pub origins: PointerMap,
}

/// Reads a YAML or JSON document (detected from its first non-blank character).
///
/// On failure, the [`Failure`] holds every error found (warnings are dropped: the run
/// failed anyway).
pub fn load(source: Source<'_>) -> Result<Loaded, Failure> {
    // On a thread of its own with the model's deserialiser's stack (see `typed`).
    crate::stack::on_stack(typed::STACK_SIZE, "codegen-load", || load_here(source))
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// [`load`] on the calling thread, which must run on a stack of at least `typed::STACK_SIZE`:
/// the document is parsed and repaired here, then read into the model by this thread and one
/// per other core.
pub(crate) fn load_here(source: Source<'_>) -> Result<Loaded, Failure> {
    let mut log = Log::new(source.name);
    let mut origins = PointerMap::default();
    let document = match read(source.text, &mut log, &mut origins) {
        Ok(document) => document,
        Err(diagnostic) => {
            log.push(diagnostic);
            None
        }
    };
    match document {
        Some(document) if !log.has_errors() => Ok(Loaded {
            document,
            warnings: log.diagnostics,
            repairs: log.repairs,
            origins,
        }),
        _ => {
            let mut diagnostics: Vec<Diagnostic> = log
                .diagnostics
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            if diagnostics.is_empty() {
                diagnostics.push(Diagnostic::error(
                    source.name,
                    "",
                    "internal error: the document was not read, but no error was reported",
                ));
            }
            Err(Failure { diagnostics })
        }
    }
}

/// The pipeline. `Err` is a problem that stops it; problems it goes on after are in `log`.
fn read(
    text: &str,
    log: &mut Log,
    origins: &mut PointerMap,
) -> Result<Option<openapiv3::OpenAPI>, Diagnostic> {
    let (value, normalised_from) = prepare(text, log, origins)?;
    let file = log.file().to_owned();
    let document = match typed::deserialize(value, &file) {
        Ok(document) => Some(document),
        Err(errors) if !errors.is_empty() => {
            log.add_new_errors(errors);
            None
        }
        Err(_) => {
            // The model consumed the value, so it is prepared again (the same steps give the
            // same value; their reports are already in `log`) for the errors to be located.
            let (again, _) = prepare(text, &mut Log::new(&file), &mut PointerMap::default())?;
            // The earlier stages may have reported some of these in their own words.
            log.add_new_errors(typed::locate(&again, &file));
            None
        }
    };
    if let Some(later) = log.diagnostics.get_mut(normalised_from..) {
        origins.translate_all(later);
    }
    Ok(document)
}

/// Every stage before the model: the repaired value, and where in `log` the diagnostics with
/// pointers into the normalised document start (they are mapped back at the end).
fn prepare(
    text: &str,
    log: &mut Log,
    origins: &mut PointerMap,
) -> Result<(Value, usize), Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = log.file().to_owned();
    if text.trim().is_empty() {
        return Err(Diagnostic::error(&file, "", "the document is empty"));
    }
    let value = if text.trim_start().starts_with('{') {
        json::parse(&file, text)?
    } else {
        yaml::parse(text, log)?
    };
    let mut root = match value {
        Value::Object(root) => root,
        Value::Null => {
            return Err(Diagnostic::error(
                &file,
                "",
                "the document is empty (it holds only comments or `null`)",
            ))
        }
        other => {
            return Err(Diagnostic::error(
                &file,
                "#",
                format!(
                    "the document must be a map with `openapi`, `info` and `paths` at the top \
                     level, found {}",
                    describe(&other)
                ),
            ))
        }
    };
    let version = version::detect(&mut root, log)?;
    normalise::normalise(&mut root, &version, log, origins);
    // From here on, pointers are into the normalised document: mapped back at the end.
    let normalised_from = log.diagnostics.len();
    let mut value = Value::Object(root);
    let mut sites = repair::repair(&mut value, log);
    refs::retarget(&mut value, &mut sites, log);
    refs::canonicalise(&mut value, &mut sites);
    refs::check(&value, &sites, log);
    refs::inline_foreign(&mut value, &mut sites, log);
    Ok((value, normalised_from))
}

/// A value as JSON, cut short for a message: a 100 kB enum value is not worth quoting whole.
fn shown(value: &Value) -> String {
    cut(&value.to_string())
}

/// Text cut short for a message.
fn cut(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or_default()),
        None => text.to_owned(),
    }
}

/// "a string", "a list"…: a value's type in the document's terms, for messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}
