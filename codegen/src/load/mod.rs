//! Loading: document text → the typed `openapiv3` model.

mod yaml;

use crate::{Diagnostic, Failure, Source};

/// A document that was read and understood, with the oddities met on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub document: openapiv3::OpenAPI,
    pub warnings: Vec<Diagnostic>,
}

/// Reads a YAML or JSON document (detected from its first non-blank character).
pub fn load(source: Source<'_>) -> Result<Loaded, Failure> {
    let value = parse_text(source)?;
    let document = serde_path_to_error::deserialize(value).map_err(|e| {
        let mut pointer = crate::Pointer::root();
        for segment in e.path().iter() {
            pointer = pointer.push(segment);
        }
        Failure {
            diagnostics: vec![Diagnostic::error(source.name, pointer.as_str(), e.inner().to_string())],
        }
    })?;
    Ok(Loaded {
        document,
        warnings: Vec::new(),
    })
}

fn parse_text(source: Source<'_>) -> Result<serde_json::Value, Failure> {
    let looks_like_json = source.text.trim_start().starts_with('{');
    if looks_like_json {
        serde_json::from_str(source.text).map_err(|e| Failure {
            diagnostics: vec![Diagnostic::error(source.name, "", format!("invalid JSON: {e}"))
                .at_line(e.line(), e.column())],
        })
    } else {
        yaml::parse(source)
    }
}
