//! The only module that touches `serde_yaml` (archived upstream), so it can be swapped.

use crate::{Diagnostic, Failure, Source};

pub(super) fn parse(source: Source<'_>) -> Result<serde_json::Value, Failure> {
    serde_yaml::from_str(source.text).map_err(|e| {
        let mut d = Diagnostic::error(source.name, "", format!("invalid YAML: {e}"));
        if let Some(loc) = e.location() {
            d = d.at_line(loc.line(), loc.column());
        }
        Failure { diagnostics: vec![d] }
    })
}
