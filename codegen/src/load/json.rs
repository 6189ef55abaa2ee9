//! Reading JSON documents. JSON is parsed by `serde_json` itself (never by the YAML parser,
//! which would accept and silently reinterpret some invalid JSON), keeping key order.

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::Diagnostic;

/// Parses JSON text. `serde_json` stops at 128 levels of nesting with an error (not a stack
/// overflow), so the value is at most that deep.
pub(super) fn parse(file: &str, text: &str) -> Result<Value, Diagnostic> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut stacks = Stacks::default();
    Tree(&mut stacks)
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value))
        .map_err(|e| {
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

/// Entries and items read so far, of every map and list still open.
///
/// `serde_json`'s own `Value` reader grows each map one insertion at a time, rehashing its
/// index as it goes, and each list likewise. Here each map's entries and each list's items
/// go on one shared stack while they are read, and become a map or list of exactly their
/// size at the end: the same value (a repeated key still keeps its first place and its last
/// value), without the growing, which was a fifth of the parse of a large document.
#[derive(Default)]
struct Stacks {
    entries: Vec<(String, Value)>,
    items: Vec<Value>,
}

/// Reads one JSON value, as `serde_json::Value` does.
struct Tree<'s>(&'s mut Stacks);

impl<'de> DeserializeSeed<'de> for Tree<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tree<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let stacks = self.0;
        let start = stacks.items.len();
        while let Some(item) = seq.next_element_seed(Tree(&mut *stacks))? {
            stacks.items.push(item);
        }
        Ok(Value::Array(stacks.items.drain(start..).collect()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let stacks = self.0;
        let start = stacks.entries.len();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Tree(&mut *stacks))?;
            stacks.entries.push((key, value));
        }
        Ok(Value::Object(
            stacks
                .entries
                .drain(start..)
                .collect::<Map<String, Value>>(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same value as `serde_json` reads, keys in the same order, for every kind of value
    /// and the corner cases of maps: repeated keys, empty maps and lists, deep nesting.
    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#"{"b": 1, "a": [true, false, null], "c": {"z": -1, "y": 2.5, "x": "s\u00e9\n"}}"#,
            r#"{"k": 1, "other": {"k": 2}, "k": 3, "last": [], "empty": {}}"#,
            r#"[1e300, -0, 0.0, 18446744073709551615, 18446744073709551616, -9223372036854775809, 1e-400]"#,
            r#"[[[[{"a": [[{"b": {}}]]}]]], {"c": [1, {"d": [2, 3]}, 4]}]"#,
            r#""just a string""#,
            "  17  ",
        ] {
            let ours = parse("t.json", text).expect("valid JSON");
            let theirs: Value = serde_json::from_str(text).expect("valid JSON");
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
        }
    }

    /// Invalid JSON fails with `serde_json`'s message and place, trailing text included.
    #[test]
    fn fails_where_serde_json_fails() {
        for text in [
            r#"{"a": 1,}"#,
            r#"{"a": 1} x"#,
            "[1, 2",
            r#"{"a" 1}"#,
            "",
            "[1e400]",
        ] {
            let error = parse("t.json", text).expect_err(text);
            let theirs = serde_json::from_str::<Value>(text).expect_err(text);
            let place = format!(" at line {} column {}", theirs.line(), theirs.column());
            let message = theirs.to_string();
            assert_eq!(
                error.message,
                format!(
                    "invalid JSON: {}",
                    message.strip_suffix(&place).unwrap_or(&message)
                ),
                "{text}"
            );
            assert_eq!(
                error.line_column,
                Some((theirs.line(), theirs.column())),
                "{text}"
            );
        }
    }
}
