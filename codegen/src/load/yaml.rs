//! Reading YAML documents. This is the only module that touches `serde_yaml` (archived
//! upstream), so it can be swapped for another parser without touching the rest.
//!
//! YAML is parsed into `serde_yaml::Value` and converted to `serde_json::Value` here, because
//! YAML can say things JSON cannot: non-string keys (`200:`), tags (`!foo`), merge keys
//! (`<<: *base`) and non-finite floats (`.nan`). Each is resolved or reported with its pointer.

use serde_json::{Map, Number, Value};
use serde_yaml::Value as Yaml;

use super::log::{Log, Repair};
use crate::{Diagnostic, Pointer};

/// The deepest flow nesting (`[[[…` or `{a: {a: …`) shown to libyaml. libyaml's scanner
/// spends time proportional to the flow depth on every token, so a document of 100 000 `[`
/// takes minutes; serde_yaml rejects anything nested more than 128 levels anyway (after
/// scanning it all). The margin over 128 absorbs the approximations of [`flow_depth_error`].
const FLOW_DEPTH_LIMIT: usize = 160;

/// The deepest value [`convert`] descends into. serde_yaml stops at 128 levels, so this is a
/// second line of defence that keeps the recursion bounded whatever the parser does.
const MAX_DEPTH: usize = 256;

pub(super) fn parse(text: &str, log: &mut Log) -> Result<Value, Diagnostic> {
    if let Some((line, column)) = flow_depth_error(text) {
        return Err(Diagnostic::error(
            log.file(),
            "",
            format!("invalid YAML: nested more than {FLOW_DEPTH_LIMIT} levels deep"),
        )
        .at_line(line, column));
    }
    let mut yaml: Yaml = serde_yaml::from_str(text).map_err(|e| syntax_error(log.file(), &e))?;
    // `<<: *base` copies the keys of `base` into the mapping (keys already there win).
    yaml.apply_merge().map_err(|e| {
        Diagnostic::error(
            log.file(),
            "",
            format!("invalid YAML merge key (`<<`): {e}"),
        )
    })?;
    let mut path = Vec::new();
    Ok(convert(yaml, &mut path, log))
}

fn syntax_error(file: &str, e: &serde_yaml::Error) -> Diagnostic {
    let shown = e.to_string();
    let Some(location) = e.location() else {
        let message = match shown.as_str() {
            "repetition limit exceeded" => {
                "aliases expand to too many values (repetition limit exceeded)"
            }
            other => other,
        };
        return Diagnostic::error(file, "", format!("invalid YAML: {message}"));
    };
    let (line, column) = (location.line(), location.column());
    // The location goes in `line_column`; keep the message free of it.
    let message = shown.replacen(&format!(" at line {line} column {column}"), "", 1);
    let message = match message.as_str() {
        "recursion limit exceeded" => String::from("nested more than 128 levels deep"),
        _ => message,
    };
    Diagnostic::error(file, "", format!("invalid YAML: {message}")).at_line(line, column)
}

/// Converts a YAML value to JSON, recursively but no deeper than [`MAX_DEPTH`]. `path` holds
/// the keys from the root, to build pointers only when something is reported.
fn convert(yaml: Yaml, path: &mut Vec<String>, log: &mut Log) -> Value {
    if path.len() > MAX_DEPTH {
        log.error(
            &pointer(path),
            format!("nested more than {MAX_DEPTH} levels deep"),
        );
        return Value::Null;
    }
    match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::String(s) => Value::String(s),
        Yaml::Number(n) => number(&n, path, log),
        Yaml::Tagged(tagged) => {
            log.silent(Repair::YamlTag);
            convert(tagged.value, path, log)
        }
        Yaml::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                path.push(index.to_string());
                out.push(convert(item, path, log));
                path.pop();
            }
            Value::Array(out)
        }
        Yaml::Mapping(mapping) => {
            let mut out = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                let Some(key) = key_text(key, path, log) else {
                    continue;
                };
                path.push(key);
                let value = convert(value, path, log);
                let Some(key) = path.pop() else { continue };
                if out.contains_key(&key) {
                    log.error(
                        &pointer(path).push(&key),
                        format!(
                            "duplicate key `{key}` (the same key is also written in another \
                             form, e.g. `200` and `'200'`)"
                        ),
                    );
                    continue;
                }
                out.insert(key, value);
            }
            Value::Object(out)
        }
    }
}

fn number(n: &serde_yaml::Number, path: &[String], log: &mut Log) -> Value {
    if let Some(i) = n.as_i64() {
        return Value::Number(i.into());
    }
    if let Some(u) = n.as_u64() {
        return Value::Number(u.into());
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    match Number::from_f64(f) {
        Some(number) => Value::Number(number),
        None => {
            log.error(
                &pointer(path),
                format!("`{n}` is not a finite number; JSON and OpenAPI have no NaN or infinity"),
            );
            Value::Null
        }
    }
}

/// The text of a mapping key. JSON keys are strings; YAML keys can be anything.
fn key_text(key: Yaml, path: &[String], log: &mut Log) -> Option<String> {
    match key {
        Yaml::String(s) => Some(s),
        Yaml::Number(n) if n.is_i64() || n.is_u64() => {
            // `200:` for a status code: harmless and common.
            log.silent(Repair::YamlIntegerKey);
            Some(n.to_string())
        }
        Yaml::Number(n) if n.as_f64().is_some_and(f64::is_finite) => {
            let text = n.to_string();
            log.repaired(
                Repair::YamlScalarKey,
                &pointer(path).push(&text),
                format!("the key `{text}` is a number; it is read as the string \"{text}\""),
            );
            Some(text)
        }
        Yaml::Bool(b) => {
            let text = b.to_string();
            log.repaired(
                Repair::YamlScalarKey,
                &pointer(path).push(&text),
                format!(
                    "the key `{text}` is a boolean; it is read as the string \"{text}\" \
                     (quote it to say so)"
                ),
            );
            Some(text)
        }
        Yaml::Null => {
            let text = String::from("null");
            log.repaired(
                Repair::YamlScalarKey,
                &pointer(path).push(&text),
                "the key is null (`~` or empty); it is read as the string \"null\"",
            );
            Some(text)
        }
        Yaml::Tagged(tagged) => {
            log.silent(Repair::YamlTag);
            key_text(tagged.value, path, log)
        }
        Yaml::Number(n) => {
            log.error(
                &pointer(path),
                format!("the mapping key `{n}` is not a finite number"),
            );
            None
        }
        Yaml::Sequence(_) | Yaml::Mapping(_) => {
            log.error(
                &pointer(path),
                "a mapping key is itself a list or mapping (`? ` complex key); keys must be \
                 strings",
            );
            None
        }
    }
}

fn pointer(path: &[String]) -> Pointer {
    path.iter()
        .fold(Pointer::root(), |pointer, key| pointer.push(key))
}

/// Finds where the flow nesting of `text` first exceeds [`FLOW_DEPTH_LIMIT`], as a 1-based
/// line and column, with a linear scan.
///
/// This is an approximation of YAML's lexical rules, good enough for a guard: it knows
/// comments, quoted scalars, block scalars (`|`, `>`), and that `[`/`{`/`'`/`"` only open
/// something at the start of a node in block context. Its errors can only make it count a
/// few brackets too many or too few in odd documents, hence the margin in the limit.
fn flow_depth_error(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let at = |i: usize| bytes.get(i).copied();
    let is_blank = |b: Option<u8>| matches!(b, None | Some(b' ' | b'\t' | b'\r' | b'\n'));
    let mut depth = 0usize;
    // Whether a node may start here (so `[`, `'`, `|`… are indicators, not text).
    let mut node_start = true;
    // The column of the innermost block node: block scalar lines must be indented more.
    let mut node_column = 0usize;
    let mut line = 1usize;
    let mut line_start = 0usize;
    let mut i = 0usize;
    while let Some(b) = at(i) {
        let column = i - line_start;
        let after_blank = i == line_start || matches!(at(i.wrapping_sub(1)), Some(b' ' | b'\t'));
        match b {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                if depth == 0 {
                    node_start = true;
                }
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'#' if after_blank => i = skip_line(bytes, i),
            b'\'' | b'"' if node_start => {
                if depth == 0 {
                    node_column = column;
                }
                let (end, lines, last_line_start) = skip_quoted(bytes, i);
                if lines > 0 {
                    line += lines;
                    line_start = last_line_start;
                }
                i = end;
                node_start = false;
            }
            b'[' | b'{' if node_start || depth > 0 => {
                depth += 1;
                if depth > FLOW_DEPTH_LIMIT {
                    let column = text.get(line_start..=i).map_or(1, |s| s.chars().count());
                    return Some((line, column));
                }
                node_start = true;
                i += 1;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                node_start = false;
                i += 1;
            }
            b',' if depth > 0 => {
                node_start = true;
                i += 1;
            }
            b':' if depth > 0 || is_blank(at(i + 1)) => {
                node_start = true;
                i += 1;
            }
            b'-' | b'?' if node_start && depth == 0 && is_blank(at(i + 1)) => {
                node_column = column;
                i += 1;
            }
            b'|' | b'>' if node_start && depth == 0 => {
                // A block scalar: the rest of this line, then every line that is blank or
                // indented more than the node that holds it.
                i = skip_line(bytes, i);
                while i < bytes.len() {
                    let end = skip_line(bytes, i);
                    let content = bytes.get(i..end).unwrap_or_default();
                    let indent = content.iter().take_while(|&&c| c == b' ').count();
                    let blank = content.iter().all(|c| c.is_ascii_whitespace());
                    if !blank && indent <= node_column {
                        break;
                    }
                    line += 1;
                    i = end + 1;
                    line_start = i;
                }
                node_start = true;
            }
            b'&' | b'!' if node_start => {
                // An anchor or a tag: the node proper follows it.
                while !is_blank(at(i)) && !matches!(at(i), Some(b'[' | b'{' | b',')) {
                    i += 1;
                }
            }
            b'%' if depth == 0 && i == line_start => i = skip_line(bytes, i),
            _ => {
                if node_start && depth == 0 {
                    node_column = column;
                }
                node_start = false;
                i += 1;
            }
        }
    }
    None
}

/// The index of the `\n` ending the line that contains `i` (or the end of the text).
fn skip_line(bytes: &[u8], i: usize) -> usize {
    bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |offset| i + offset)
}

/// Skips a quoted scalar starting at `i`: returns the index after it, the number of line
/// breaks inside it and the start of its last line.
fn skip_quoted(bytes: &[u8], i: usize) -> (usize, usize, usize) {
    let quote = bytes.get(i).copied().unwrap_or(b'"');
    let mut j = i + 1;
    let mut lines = 0;
    let mut last_line_start = 0;
    while let Some(&b) = bytes.get(j) {
        match b {
            b'\n' => {
                lines += 1;
                last_line_start = j + 1;
            }
            b'\\' if quote == b'"' => {
                j += 1;
                if bytes.get(j) == Some(&b'\n') {
                    lines += 1;
                    last_line_start = j + 1;
                }
            }
            b'\'' if quote == b'\'' && bytes.get(j + 1) == Some(&b'\'') => j += 1,
            b if b == quote => return (j + 1, lines, last_line_start),
            _ => {}
        }
        j += 1;
    }
    (j, lines, last_line_start)
}
