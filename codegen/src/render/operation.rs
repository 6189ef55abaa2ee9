//! One operation's two methods (`name` and `name_with_options`), written as text in a layout
//! of their own (see `source::push_call`).
//!
//! On a large API these methods are most of the generated code; going through `syn` and
//! `prettyplease` made them most of the generator's time as well. They are made of a few
//! fixed shapes (a signature, a request built statement by statement, a `match` on the
//! status), so they are written line by line, long calls broken one argument per line the way
//! rustfmt breaks them. The code leans on the runtime (`Call::get`, `json_error`, …) so that
//! each statement stays one short line.

use std::fmt::Write as _;

use super::apis::Outcome;
use super::docs::doc_lines;
use super::source::{push_call, push_doc, push_line, string_literal, WIDTH};
use super::types::type_path;
use crate::model::{
    Api, BodyKind, Operation, Param, ParamLocation, ResponseBody, ResponseCase, StatusMatch,
    TypeRef,
};

/// The methods' indentation: inside the group's `impl` block.
const METHOD: usize = 1;
/// A method body's indentation.
const BODY: usize = 2;

/// Appends the operation's two methods to `out`.
/// `ok` and `err` are how its successful and error responses are typed.
pub fn write_methods(api: &Api, op: &Operation, ok: &Outcome, err: &Outcome, out: &mut String) {
    let base = &op.type_base;
    let ok_ty = outcome_text(api, ok);
    let err_ty = outcome_text(api, err);

    // Path parameters are arguments; the other parameters are fields of one struct.
    let mut args: Vec<(String, String)> = op
        .path_params()
        .map(|p| (p.ident.clone(), super::apis::arg_type_text(api, &p.ty)))
        .collect();
    let others: Vec<&Param> = op.other_params().collect();
    if !others.is_empty() {
        args.push((String::from("params"), format!("&{base}Params")));
    }
    if let Some(body) = &op.body {
        let ty = match body.kind {
            BodyKind::Bytes => String::from("Vec<u8>"),
            BodyKind::Text => String::from("&str"),
            _ => format!("&{}", type_path(&api.types, &body.ty)),
        };
        let ty = if body.required {
            ty
        } else {
            format!("Option<{ty}>")
        };
        args.push((String::from("body"), ty));
    }
    let decls: Vec<String> = args
        .iter()
        .map(|(name, ty)| format!("{name}: {ty}"))
        .collect();

    // `name`: the body alone.
    for line in operation_docs(op) {
        push_doc(out, METHOD, "///", &line);
    }
    if let Some(line) = server_doc(api, op) {
        push_doc(out, METHOD, "///", "");
        push_doc(out, METHOD, "///", &line);
    }
    let ok_result = format!("Result<{ok_ty}, crate::Error<{err_ty}>>");
    method_head(out, op.deprecated, &op.fn_name, &decls, &[], &ok_result);
    let mut call_args: Vec<&str> = args.iter().map(|(name, _)| name.as_str()).collect();
    call_args.push("&crate::RequestOptions::default()");
    push_call(
        out,
        BODY,
        &format!("self.{}(", op.fn_with_options),
        &call_args,
        ")",
    );
    push_line(out, BODY + 1, ".await");
    push_line(out, BODY + 1, ".map(crate::ResponseValue::into_inner)");
    push_line(out, METHOD, "}");

    // `name_with_options`: the whole call.
    push_doc(
        out,
        METHOD,
        "///",
        &format!(
            " [`{}`](Self::{}) with per-request options (timeout, retries, headers, idempotency key), returning the status and headers with the body.",
            op.fn_name.trim_start_matches("r#"),
            op.fn_name
        ),
    );
    let value_result = format!("Result<crate::ResponseValue<{ok_ty}>, crate::Error<{err_ty}>>");
    let options = ["options: &crate::RequestOptions"];
    method_head(
        out,
        op.deprecated,
        &op.fn_with_options,
        &decls,
        &options,
        &value_result,
    );
    write_request(api, op, &others, out);
    push_line(
        out,
        BODY,
        "let response = self.client.send(request, &call, options).await?;",
    );
    push_line(out, BODY, "let status = response.status();");
    push_line(out, BODY, "let headers = response.headers().clone();");
    write_decode(op, ok, err, out);
    push_line(out, METHOD, "}");
}

/// A method's attributes and signature, up to the opening brace: `#[deprecated]` for a
/// deprecated operation, and clippy's limit of 7 arguments (`&self` counted) lifted where the
/// API's parameters pass it.
fn method_head(
    out: &mut String,
    deprecated: bool,
    name: &str,
    decls: &[String],
    extra: &[&str],
    result: &str,
) {
    if deprecated {
        push_line(out, METHOD, "#[deprecated]");
    }
    if decls.len() + extra.len() + 1 > 7 {
        push_line(out, METHOD, "#[allow(clippy::too_many_arguments)]");
    }
    signature(out, &format!("pub async fn {name}("), decls, extra, result);
}

/// `head` + the arguments + `) -> result {`, the arguments on one line when it all fits, else
/// one per line; a result type too long for the closing line has its two halves on lines of
/// their own.
fn signature(out: &mut String, head: &str, decls: &[String], extra: &[&str], result: &str) {
    let mut all: Vec<&str> = vec!["&self"];
    all.extend(decls.iter().map(String::as_str));
    all.extend(extra);
    let tail = format!(") -> {result} {{");
    let inline: usize = all.iter().map(|a| a.len() + 2).sum::<usize>() - 2;
    if METHOD * 4 + head.len() + inline + tail.len() <= WIDTH {
        push_call(out, METHOD, head, &all, &tail);
        return;
    }
    push_line(out, METHOD, head);
    for arg in &all {
        push_line(out, METHOD + 1, &format!("{arg},"));
    }
    if METHOD * 4 + tail.len() <= WIDTH {
        push_line(out, METHOD, &tail);
        return;
    }
    // `Result<A, B>`: A and B on lines of their own.
    let inner = &result["Result<".len()..result.len() - 1];
    let split = top_level_comma(inner).unwrap_or(inner.len());
    push_line(out, METHOD, ") -> Result<");
    push_line(out, METHOD + 1, &format!("{},", &inner[..split]));
    if split < inner.len() {
        push_line(
            out,
            METHOD + 1,
            &format!("{},", inner[split + 1..].trim_start()),
        );
    }
    push_line(out, METHOD, "> {");
}

/// The position of the first comma outside angle brackets.
fn top_level_comma(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// The statements that build the request: its path, parameters, body and credentials.
fn write_request(api: &Api, op: &Operation, others: &[&Param], out: &mut String) {
    push_line(
        out,
        BODY,
        &format!(
            "let call = crate::runtime::Call::{}({});",
            op.method.to_ascii_lowercase(),
            string_literal(&op.path)
        ),
    );
    let path = match path_format(op) {
        Some((format, args)) => {
            let mut all = vec![string_literal(&format)];
            all.extend(args);
            push_call(out, BODY, "let path = format!(", &all, ");");
            "&path"
        }
        None => "call.path",
    };
    let has_cookies = others.iter().any(|p| p.location == ParamLocation::Cookie);
    let needs_mut = !others.is_empty() || op.body.is_some() || !op.auth.alternatives.is_empty();
    let binding = if needs_mut {
        "let mut request"
    } else {
        "let request"
    };
    match op.server.and_then(|i| api.operation_servers.get(i)) {
        Some(server) => push_call(
            out,
            BODY,
            &format!("{binding} = self.client.request_on("),
            &[
                format!("crate::OperationServer::{}", server.ident),
                String::from("&call"),
                String::from(path),
            ],
            ");",
        ),
        None => push_line(
            out,
            BODY,
            &format!("{binding} = self.client.request(&call, {path});"),
        ),
    }
    if has_cookies {
        push_line(out, BODY, "let mut cookies: Vec<String> = Vec::new();");
    }
    for p in others {
        write_param(api, p, out);
    }
    if has_cookies {
        push_line(out, BODY, "if !cookies.is_empty() {");
        push_line(
            out,
            BODY + 1,
            "request = request.header(reqwest::header::COOKIE, cookies.join(\"; \"));",
        );
        push_line(out, BODY, "}");
    }
    if let Some(body) = &op.body {
        let indent = if body.required {
            BODY
        } else {
            push_line(out, BODY, "if let Some(body) = body {");
            BODY + 1
        };
        match body.kind {
            BodyKind::Json => push_line(out, indent, "request = request.json(body);"),
            BodyKind::Form => push_line(out, indent, "request = request.form(body);"),
            BodyKind::Multipart => {
                // With file parts the body type builds its own form; without, every property
                // is a text part.
                let form = if has_file_parts(api, &body.ty) {
                    "body.to_multipart()"
                } else {
                    "crate::upload::text_form(body)"
                };
                push_line(
                    out,
                    indent,
                    &format!("let form = {form}.map_err(crate::Error::InvalidRequest)?;"),
                );
                push_line(out, indent, "request = request.multipart(form);");
            }
            BodyKind::Bytes | BodyKind::Text => {
                push_line(out, indent, "request = request");
                push_call(
                    out,
                    indent + 1,
                    ".header(",
                    &[
                        String::from("reqwest::header::CONTENT_TYPE"),
                        string_literal(&body.content_type),
                    ],
                    ")",
                );
                push_line(out, indent + 1, ".body(body.to_owned());");
            }
        }
        if !body.required {
            push_line(out, BODY, "}");
        }
    }
    if !op.auth.alternatives.is_empty() {
        let mut alternatives = String::from("&[");
        for (i, set) in op.auth.alternatives.iter().enumerate() {
            if i > 0 {
                alternatives.push_str(", ");
            }
            alternatives.push_str("&[");
            for (j, scheme) in set.iter().enumerate() {
                if j > 0 {
                    alternatives.push_str(", ");
                }
                let _ = write!(alternatives, "{scheme}");
            }
            alternatives.push(']');
        }
        alternatives.push(']');
        push_call(
            out,
            BODY,
            "request = self.client.authorize(",
            &[String::from("request"), alternatives],
            ");",
        );
    }
}

/// The `format!` string and arguments of a path with parameters (`None` without).
fn path_format(op: &Operation) -> Option<(String, Vec<String>)> {
    format_path(&op.path, |name| {
        op.path_params()
            .find(|p| p.wire == name)
            .map(|p| p.ident.as_str())
    })
}

/// The template's literal parts (braces doubled) with `{}` for each placeholder whose
/// argument `ident_of` names; `None` when no placeholder has one.
fn format_path<'a>(
    template: &str,
    ident_of: impl Fn(&str) -> Option<&'a str>,
) -> Option<(String, Vec<String>)> {
    let mut format = String::new();
    let mut args = Vec::new();
    let mut rest = template;
    let literal = |format: &mut String, text: &str| {
        format.push_str(&text.replace('{', "{{").replace('}', "}}"));
    };
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        literal(&mut format, &rest[..start]);
        // A placeholder no parameter fills is left out (the model has warned about it).
        if let Some(ident) = ident_of(&rest[start + 1..start + len]) {
            format.push_str("{}");
            args.push(format!("crate::runtime::path_param(&{ident})"));
        }
        rest = &rest[start + len + 1..];
    }
    if args.is_empty() {
        return None;
    }
    literal(&mut format, rest);
    Some((format, args))
}

/// Adds one query, header or cookie parameter to `request`.
fn write_param(api: &Api, p: &Param, out: &mut String) {
    let optional = !p.required || p.ty.is_nullable();
    let (indent, value) = if optional {
        push_line(
            out,
            BODY,
            &format!("if let Some(value) = &params.{} {{", p.ident),
        );
        (BODY + 1, String::from("value"))
    } else {
        (BODY, format!("&params.{}", p.ident))
    };
    let wire = string_literal(&p.wire);
    let object = super::apis::is_object(api, p.ty.non_null());
    match (p.location, p.ty.non_null()) {
        // Objects in the query: `key=value` per property (form, exploded), `name[key]=value`
        // (deepObject), or `name=k1,v1,k2,v2` (form, not exploded).
        (ParamLocation::Query, _) if object => {
            let style = if p.deep_object {
                "Deep"
            } else if p.explode {
                "Exploded"
            } else {
                "Flat"
            };
            push_call(
                out,
                indent,
                "request = request.query(&crate::runtime::object_pairs(",
                &[wire, value, format!("crate::runtime::ObjectStyle::{style}")],
                "));",
            );
        }
        (ParamLocation::Query, TypeRef::List(_)) if p.explode => {
            push_line(out, indent, &format!("for item in {value} {{"));
            push_call(
                out,
                indent + 1,
                "request = request.query(&[(",
                &[wire, String::from("crate::runtime::to_param(item)")],
                ")]);",
            );
            push_line(out, indent, "}");
        }
        (ParamLocation::Query, ty) => push_call(
            out,
            indent,
            "request = request.query(&[(",
            &[wire, as_text(ty, &value)],
            ")]);",
        ),
        (ParamLocation::Header, ty) => push_call(
            out,
            indent,
            "request = request.header(",
            &[wire, as_text(ty, &value)],
            ");",
        ),
        // All cookies travel in one `Cookie` header, assembled after the parameters.
        (ParamLocation::Cookie, _) | (ParamLocation::Path, _) => push_call(
            out,
            indent,
            "cookies.push(format!(",
            &[
                String::from("\"{}={}\""),
                wire,
                format!("crate::runtime::to_param({value})"),
            ],
            "));",
        ),
    }
    if optional {
        push_line(out, BODY, "}");
    }
}

/// A query or header value as text: a list comma-separated, anything else as it is sent.
fn as_text(ty: &TypeRef, value: &str) -> String {
    if matches!(ty, TypeRef::List(_)) {
        format!("crate::runtime::to_csv({value})")
    } else {
        format!("crate::runtime::to_param({value})")
    }
}

/// Whether a body type is a struct with file parts (and so has its own `to_multipart`).
fn has_file_parts(api: &Api, ty: &TypeRef) -> bool {
    match ty.non_null() {
        TypeRef::Named(id) => match &api.types.defs[id.0].kind {
            crate::model::TypeKind::Struct(s) => s.multipart,
            _ => false,
        },
        _ => false,
    }
}

/// The statements that turn the response into the result: a `match` on the status (exact
/// codes first, then ranges, then `default`), or the one decoding every status shares.
fn write_decode(op: &Operation, ok: &Outcome, err: &Outcome, out: &mut String) {
    let mut arms: Vec<((u16, u16), String)> = Vec::new();
    let mut default_error = None;
    let mut fallback = String::from("return Err(crate::runtime::unexpected(response).await)");
    let mut only_default = None;
    if op.success.is_empty() {
        // Nothing documented as a success (e.g. `responses: {}`): any 2xx is one, without a body.
        arms.push(((200, 299), String::from("{}")));
    }
    for case in ordered(&op.success) {
        let value = success_value(ok, case);
        match case.status {
            // `default` as the only success: every status not listed otherwise.
            StatusMatch::Default => {
                fallback = value.clone();
                only_default = Some(value);
            }
            status => arms.push((status_range(status), value)),
        }
    }
    for case in ordered(&op.errors) {
        let value = error_value(err, case);
        match case.status {
            StatusMatch::Default => default_error = Some(value),
            status => arms.push((status_range(status), value)),
        }
    }
    let unit = matches!(ok, Outcome::Unit);
    let (bind, field) = if unit {
        ("", "body: ()")
    } else {
        ("let body = ", "body")
    };
    match only_default {
        // With nothing but `default` documented, every status decodes the same way.
        Some(value) if arms.is_empty() && default_error.is_none() => {
            if !unit {
                push_line(out, BODY, &format!("{bind}{value};"));
            }
        }
        _ => {
            push_line(out, BODY, &format!("{bind}match status.as_u16() {{"));
            for (patterns, value) in merge_arms(arms) {
                arm(out, &patterns, &value);
            }
            if let Some(value) = default_error {
                arm(out, "_ if !status.is_success()", &value);
            }
            arm(out, "_", &fallback);
            push_line(out, BODY, if unit { "}" } else { "};" });
        }
    }
    push_line(
        out,
        BODY,
        &format!("Ok(crate::ResponseValue {{ status, headers, {field} }})"),
    );
}

/// One `match` arm: on one line when it fits, else the value alone in a block.
fn arm(out: &mut String, patterns: &str, value: &str) {
    let indent = BODY + 1;
    if value == "{}" {
        push_line(out, indent, &format!("{patterns} => {{}}"));
    } else if indent * 4 + patterns.len() + value.len() + 5 <= WIDTH {
        push_line(out, indent, &format!("{patterns} => {value},"));
    } else {
        push_line(out, indent, &format!("{patterns} => {{"));
        // A `return` is a statement in the block; any other value is the block's value.
        let end = if value.starts_with("return ") {
            ";"
        } else {
            ""
        };
        push_line(out, indent + 1, &format!("{value}{end}"));
        push_line(out, indent, "}");
    }
}

/// The value of a success arm; `?` returns decode and transport errors.
fn success_value(ok: &Outcome, case: &ResponseCase) -> String {
    match ok {
        Outcome::Unit => String::from("{}"),
        Outcome::Single(_) => read_body(&case.body),
        Outcome::PerStatus(name) => {
            let variant = variant_name(case.status);
            match case.body {
                ResponseBody::Empty => format!("{name}::{variant}"),
                _ => format!("{name}::{variant}({})", read_body(&case.body)),
            }
        }
    }
}

/// The `return` of an error arm: the documented error with its body.
fn error_value(err: &Outcome, case: &ResponseCase) -> String {
    match (err, &case.body) {
        (Outcome::Unit, _) => String::from("return Err(crate::Error::Api { status, body: () })"),
        (Outcome::Single(_), ResponseBody::Json(_)) => {
            String::from("return Err(crate::runtime::json_error(response).await)")
        }
        (Outcome::Single(_), body) => format!(
            "return Err(crate::Error::Api {{ status, body: {} }})",
            read_body(body)
        ),
        (Outcome::PerStatus(name), body) => {
            let variant = variant_name(case.status);
            match body {
                ResponseBody::Empty => {
                    format!("return Err(crate::Error::Api {{ status, body: {name}::{variant} }})")
                }
                ResponseBody::Json(_) => format!(
                    "return Err(crate::runtime::json_error_as(response, {name}::{variant}).await)"
                ),
                _ => format!(
                    "return Err(crate::Error::Api {{ status, body: {name}::{variant}({}) }})",
                    read_body(body)
                ),
            }
        }
    }
}

/// The expression reading one response body; its type comes from where it goes.
fn read_body(body: &ResponseBody) -> String {
    match body {
        ResponseBody::Empty => String::from("()"),
        ResponseBody::Json(_) => String::from("crate::runtime::json(response).await?"),
        ResponseBody::Text => String::from("crate::runtime::text(response).await?"),
        ResponseBody::Bytes => String::from("crate::runtime::bytes(response).await?"),
    }
}

pub(super) fn variant_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(n) => format!("Status{n}"),
        StatusMatch::Range(n) => format!("Status{n}xx"),
        StatusMatch::Default => String::from("Other"),
    }
}

/// The statuses a documented response covers, as an inclusive range (`default` is handled apart).
fn status_range(status: StatusMatch) -> (u16, u16) {
    match status {
        StatusMatch::Code(n) => (n, n),
        StatusMatch::Range(n) => (n * 100, n * 100 + 99),
        StatusMatch::Default => (0, u16::MAX),
    }
}

/// Sorts cases so exact codes come before ranges and ranges before `default`.
fn ordered(cases: &[ResponseCase]) -> Vec<&ResponseCase> {
    let mut out: Vec<&ResponseCase> = cases.iter().collect();
    out.sort_by_key(|c| match c.status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    out
}

/// Joins arms with the same handling into one, keeping first-seen order, and writes adjacent
/// statuses as one range (`400..=403 | 500..=599`): (patterns, value) pairs.
fn merge_arms(arms: Vec<((u16, u16), String)>) -> Vec<(String, String)> {
    let mut merged: Vec<(Vec<(u16, u16)>, String)> = Vec::new();
    for (range, value) in arms {
        match merged.iter_mut().find(|(_, seen)| *seen == value) {
            Some((ranges, _)) => ranges.push(range),
            None => merged.push((vec![range], value)),
        }
    }
    merged
        .into_iter()
        .map(|(ranges, value)| {
            let mut patterns = String::new();
            for (i, (low, high)) in coalesce(ranges).into_iter().enumerate() {
                if i > 0 {
                    patterns.push_str(" | ");
                }
                if low == high {
                    let _ = write!(patterns, "{low}");
                } else {
                    let _ = write!(patterns, "{low}..={high}");
                }
            }
            (patterns, value)
        })
        .collect()
}

/// Sorted, with overlapping and touching ranges joined.
fn coalesce(mut ranges: Vec<(u16, u16)>) -> Vec<(u16, u16)> {
    ranges.sort_unstable();
    let mut out: Vec<(u16, u16)> = Vec::with_capacity(ranges.len());
    for (low, high) in ranges {
        match out.last_mut() {
            Some(last) if low <= last.1.saturating_add(1) => last.1 = last.1.max(high),
            _ => out.push((low, high)),
        }
    }
    out
}

/// The response type of one side (success or error), as Rust source.
pub(super) fn outcome_text(api: &Api, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Unit => String::from("()"),
        Outcome::Single(body) => body_text(api, body),
        Outcome::PerStatus(name) => name.to_string(),
    }
}

pub(super) fn body_text(api: &Api, body: &ResponseBody) -> String {
    match body {
        ResponseBody::Empty => String::from("()"),
        ResponseBody::Json(ty) => type_path(&api.types, ty),
        ResponseBody::Text => String::from("String"),
        ResponseBody::Bytes => String::from("Vec<u8>"),
    }
}

/// An operation's doc lines: its summary (else the first sentence of its description, else
/// its method and path) first, then the description, then the method and path.
fn operation_docs(op: &Operation) -> Vec<String> {
    let endpoint = format!("`{} {}`", op.method, op.path);
    let summary = op.summary.as_deref().filter(|s| !s.trim().is_empty());
    let description = op.description.as_deref().filter(|d| !d.trim().is_empty());
    let (first, rest) = match (summary, description.and_then(super::docs::first_sentence)) {
        (Some(summary), _) => (summary.to_owned(), description.map(str::to_owned)),
        (None, Some((sentence, rest))) => (sentence, Some(rest)),
        // The method and path are the summary; they are not repeated below.
        (None, None) => return doc_lines([Some(endpoint.as_str()), description]),
    };
    doc_lines([
        Some(first.as_str()),
        rest.as_deref(),
        Some(endpoint.as_str()),
    ])
}

/// The doc line of an operation published on a server of its own.
fn server_doc(api: &Api, op: &Operation) -> Option<String> {
    let server = op.server.and_then(|i| api.operation_servers.get(i))?;
    let name = server.ident.trim_start_matches("r#");
    let when = if api.servers.is_empty() {
        ""
    } else {
        ", where it is sent when the client talks to one of the document's servers that does not serve it"
    };
    Some(format!(
        " Published on its own server, [`OperationServer::{name}`](crate::OperationServer::{name}) (by default `{}`){when}; see [`Client::operation_url`](crate::Client::operation_url).",
        server.url.replace('`', "'")
    ))
}

#[cfg(test)]
mod tests {
    use super::{coalesce, format_path, signature, top_level_comma};

    #[test]
    fn a_path_becomes_a_format_string_with_its_literal_braces_doubled() {
        let ident_of = |name: &str| match name {
            "id" => Some("id"),
            "type" => Some("r#type"),
            _ => None,
        };
        let (format, args) = format_path("/a/{id}/b/{type}/c/{unknown}/d{", ident_of).unwrap();
        assert_eq!(format, "/a/{}/b/{}/c//d{{");
        assert_eq!(
            args,
            [
                "crate::runtime::path_param(&id)",
                "crate::runtime::path_param(&r#type)"
            ]
        );
        assert_eq!(format_path("/plain/{unknown}", ident_of), None);
    }

    fn signature_text(decls: &[&str], result: &str) -> String {
        let decls: Vec<String> = decls.iter().map(|d| d.to_string()).collect();
        let mut out = String::new();
        signature(&mut out, "pub async fn get(", &decls, &[], result);
        out
    }

    #[test]
    fn a_short_signature_is_one_line() {
        assert_eq!(
            signature_text(&["id: i64"], "Result<(), crate::Error<()>>"),
            "    pub async fn get(&self, id: i64) -> Result<(), crate::Error<()>> {\n"
        );
    }

    #[test]
    fn a_long_signature_has_one_argument_per_line() {
        let text = signature_text(
            &["owner: &str", "repository_name: &str", "params: &GetParams"],
            "Result<crate::types::Repository, crate::Error<()>>",
        );
        assert_eq!(
            text,
            "    pub async fn get(\n        &self,\n        owner: &str,\n        repository_name: &str,\n        params: &GetParams,\n    ) -> Result<crate::types::Repository, crate::Error<()>> {\n"
        );
    }

    #[test]
    fn a_result_too_long_for_its_line_is_split_between_its_halves() {
        let ok = format!("crate::ResponseValue<crate::types::{}>", "Long".repeat(12));
        let err = "crate::Error<std::collections::BTreeMap<String, i64>>";
        let text = signature_text(&["id: i64"], &format!("Result<{ok}, {err}>"));
        let expected = format!(
            "    pub async fn get(\n        &self,\n        id: i64,\n    ) -> Result<\n        {ok},\n        {err},\n    > {{\n"
        );
        assert_eq!(text, expected);
        assert_eq!(top_level_comma("A<B, C>, D"), Some(7));
    }

    #[test]
    fn adjacent_and_overlapping_statuses_join() {
        assert_eq!(
            coalesce(vec![(404, 404), (403, 403), (405, 405)]),
            [(403, 405)]
        );
        assert_eq!(coalesce(vec![(500, 599), (400, 499)]), [(400, 599)]);
        assert_eq!(
            coalesce(vec![(200, 200), (204, 204)]),
            [(200, 200), (204, 204)]
        );
        assert_eq!(coalesce(vec![(404, 404), (400, 499)]), [(400, 499)]);
    }
}
