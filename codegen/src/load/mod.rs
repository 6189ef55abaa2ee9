//! Loading: document text → the typed `openapiv3` model.
//!
//! Real published documents are often invalid, so loading is tolerant and precise:
//!
//! 1. **parse** (`json` or `yaml`, detected from the first non-blank character) into a
//!    `serde_json::Value`, reporting syntax errors with line and column;
//! 2. **version** (`version`): only OpenAPI 3.0.x is read for now (a normalisation step
//!    for Swagger 2.0 and OpenAPI 3.1 will slot in right after detection);
//! 3. **repair** (`repair`, `schema`) the raw value in place, with a warning for each
//!    change that could matter, walking it by the document's `shape` (which key holds
//!    which kind of object);
//! 4. **check references** (`refs`): dangling, external and cyclic `$ref`s are errors;
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
use crate::{Diagnostic, Failure, Severity, Source};

/// A document that was read and understood, with the oddities met on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub document: openapiv3::OpenAPI,
    pub warnings: Vec<Diagnostic>,
    /// How many times each repair was made, including those too harmless to warn about.
    pub repairs: BTreeMap<Repair, usize>,
}

/// Reads a YAML or JSON document (detected from its first non-blank character).
///
/// On failure, the [`Failure`] holds every error found (warnings are dropped: the run
/// failed anyway).
pub fn load(source: Source<'_>) -> Result<Loaded, Failure> {
    let mut log = Log::new(source.name);
    let document = match read(source.text, &mut log) {
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
fn read(text: &str, log: &mut Log) -> Result<Option<openapiv3::OpenAPI>, Diagnostic> {
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
    // Normalisation of Swagger 2.0 and OpenAPI 3.1 into 3.0 shape goes here.
    version::require_supported(&version, &file)?;
    let mut value = Value::Object(root);
    let sites = repair::repair(&mut value, log);
    refs::check(&value, &sites, log);
    match typed::deserialize(value, &file) {
        Ok(document) => Ok(Some(document)),
        Err(errors) => {
            // The earlier stages may have reported some of these in their own words.
            log.add_new_errors(errors);
            Ok(None)
        }
    }
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
