//! Reading JSON documents. JSON is parsed by `serde_json` itself (never by the YAML parser,
//! which would accept and silently reinterpret some invalid JSON), keeping key order.

use serde_json::Value;

use crate::Diagnostic;

/// Parses JSON text. `serde_json` stops at 128 levels of nesting with an error (not a stack
/// overflow), so the value is at most that deep.
pub(super) fn parse(file: &str, text: &str) -> Result<Value, Diagnostic> {
    serde_json::from_str(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let shown = e.to_string();
        // serde_json appends the location to its message; it goes in `line_column` instead.
        let message = shown
            .strip_suffix(&format!(" at line {line} column {column}"))
            .unwrap_or(&shown);
        let message = if message == "recursion limit exceeded" {
            String::from("nested more than 128 levels deep")
        } else {
            message.to_owned()
        };
        Diagnostic::error(file, "", format!("invalid JSON: {message}")).at_line(line, column)
    })
}
