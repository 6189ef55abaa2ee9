//! Which specification a document follows, from its `openapi` (or `swagger`) field.
//!
//! Detection only says which dialect a document is written in: the normalisation step
//! (`normalise`) rewrites Swagger 2.0 and OpenAPI 3.1 documents into 3.0 shape between
//! detection and repair.

use serde_json::{Map, Value};

use super::log::{Log, Repair};
use super::{cut, describe};
use crate::{Diagnostic, Pointer};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Version {
    /// OpenAPI 3.0.x, the model's own version.
    OpenApi30,
    /// OpenAPI 3.1.x, with the version as written.
    OpenApi31(String),
    /// Swagger (OpenAPI) 2.0.
    Swagger20,
}

pub(super) fn detect(root: &mut Map<String, Value>, log: &mut Log) -> Result<Version, Diagnostic> {
    let at = Pointer::root().push("openapi");
    let mut warned = false;
    let written = match root.get("openapi") {
        Some(Value::String(s)) => s.trim().to_owned(),
        // `openapi: 3.0` in YAML is a float.
        Some(Value::Number(n)) => {
            let text = n.to_string();
            log.repaired(
                Repair::VersionFormat,
                &at,
                format!("the version is the number {text}, not a string; quote it"),
            );
            warned = true;
            text
        }
        Some(other) => {
            return Err(Diagnostic::error(
                log.file(),
                at.as_str(),
                format!(
                    "`openapi` must be a version string such as \"3.0.3\", found {}",
                    describe(other)
                ),
            ))
        }
        None => return swagger(root, log),
    };
    let mut parts = written.split('.');
    let version = match (parts.next(), parts.next(), parts.next()) {
        (Some("3"), Some("0"), patch) => {
            if patch.is_none() && !warned {
                log.repaired(
                    Repair::VersionFormat,
                    &at,
                    format!("the version `{written}` has no patch number; read as 3.0.0"),
                );
            }
            Version::OpenApi30
        }
        (Some("3"), Some("1"), _) => Version::OpenApi31(cut(&written)),
        _ => {
            return Err(Diagnostic::error(
                log.file(),
                at.as_str(),
                format!(
                    "unknown OpenAPI version `{}`; expected 3.0.x or 3.1.x",
                    cut(&written)
                ),
            ))
        }
    };
    // The model keeps the version as a string.
    if version == Version::OpenApi30 {
        let normal = if written.matches('.').count() == 1 {
            format!("{written}.0")
        } else {
            written
        };
        root.insert(String::from("openapi"), Value::String(normal));
    }
    Ok(version)
}

fn swagger(root: &Map<String, Value>, log: &Log) -> Result<Version, Diagnostic> {
    let at = Pointer::root().push("swagger");
    let written = match root.get("swagger") {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(Diagnostic::error(
                log.file(),
                Pointer::root().push("openapi").as_str(),
                "missing the `openapi` version field: an OpenAPI 3.0 document starts with \
                 `openapi: 3.0.x`",
            ))
        }
    };
    if written == "2.0" || written == "2" {
        Ok(Version::Swagger20)
    } else {
        Err(Diagnostic::error(
            log.file(),
            at.as_str(),
            format!(
                "unknown Swagger version `{}`; expected Swagger 2.0 or OpenAPI 3.0.x/3.1.x",
                cut(&written)
            ),
        ))
    }
}
