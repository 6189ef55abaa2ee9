//! `src/mock/mod.rs`: typed stubs for every operation, behind the `mock` feature, written as
//! formatted text (see `source`).

use quote::format_ident;

use super::apis::{outcome, Outcome};
use super::source::{string_literal, Item, Within, WIDEST_AS_WRITTEN};
use super::types::type_path;
use crate::model::{Api, BodyKind, Operation, ResponseBody};

/// `src/mock/mod.rs`, formatted (see `source`).
pub fn render(api: &Api) -> String {
    let mut out = String::from(
        "//! Typed stubs for tests, on a local `wiremock` server (feature `mock`).\n\
         //!\n\
         //! Each operation has a function in the module of its group, returning an\n\
         //! [`OperationMock`] that matches the operation's method and path; `with_body` also\n\
         //! matches the exact JSON body, and `respond` / `respond_error` answer with typed bodies.\n\
         mod support;\n\
         pub use support::OperationMock;\n",
    );
    for group in &api.groups {
        let mut item = Item::new();
        item.doc(
            0,
            &format!(
                " Stubs for the operations tagged `{}`.",
                group.tag.replace('`', "'")
            ),
        );
        item.line(0, format_args!("pub mod {} {{", group.module));
        for &i in &group.operations {
            item.unit(Within::ModuleItems, |item| {
                stub(item, api, &api.operations[i])
            });
        }
        item.line(0, "}");
        item.finish(&mut out);
    }
    out
}

/// One operation's stub: `pub fn name() -> OperationMock<Body, Ok, Err>`.
fn stub(item: &mut Item, api: &Api, op: &Operation) {
    let body = match &op.body {
        Some(body) if matches!(body.kind, BodyKind::Json | BodyKind::Form) => {
            type_path(&api.types, &body.ty)
        }
        _ => String::from("()"),
    };
    let side = |cases, name| match outcome(cases, format_ident!("{}", name)) {
        Outcome::Unit => String::from("()"),
        Outcome::Single(ResponseBody::Json(ty)) => type_path(&api.types, &ty),
        _ => String::from("serde_json::Value"),
    };
    let ok = side(&op.success, "Ok");
    let err = side(&op.errors, "Err");
    item.doc(1, &format!(" A stub for `{} {}`.", op.method, op.path));
    let head = format!("pub fn {}() -> super::OperationMock<", op.fn_name);
    let one_line = format!("{head}{body}, {ok}, {err}> {{");
    if 4 + one_line.len() <= WIDEST_AS_WRITTEN {
        item.line(1, one_line);
    } else {
        // `prettyplease` puts the type arguments one per line.
        item.line(1, head);
        item.type_list(2, &[&body, &ok, &err]);
        item.line(1, "> {");
    }
    let method = string_literal(&op.method);
    let path = string_literal(&path_regex(&op.path));
    item.call(2, "super::OperationMock::new", &[&method, &path], "");
    item.line(1, "}");
}

/// An anchored regular expression for a path template: literal parts escaped, parameters as
/// one non-empty segment.
fn path_regex(template: &str) -> String {
    let mut out = String::from("^");
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&escape(&rest[..start]));
        out.push_str("[^/]+");
        rest = &rest[start + len + 1..];
    }
    out.push_str(&escape(rest));
    out.push('$');
    out
}

fn escape(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len());
    for c in literal.chars() {
        if "\\.+*?()|[]{}^$#&-~ ".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::path_regex;

    #[test]
    fn templates_become_anchored_patterns() {
        assert_eq!(path_regex("/users/{id}/keys"), "^/users/[^/]+/keys$");
        assert_eq!(path_regex("/v1.0/a+b"), "^/v1\\.0/a\\+b$");
    }
}
