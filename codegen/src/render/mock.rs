//! `src/mock/mod.rs`: typed stubs for every operation, behind the `mock` feature.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::apis::{outcome, Outcome};
use super::types::{ident, type_tokens};
use crate::model::{Api, BodyKind, Operation, ResponseBody};

pub fn render(api: &Api) -> TokenStream {
    let groups = api.groups.iter().map(|group| {
        let module = ident(&group.module);
        let doc = format!(
            " Stubs for the operations tagged `{}`.",
            group.tag.replace('`', "'")
        );
        let fns = group
            .operations
            .iter()
            .map(|&i| stub(api, &api.operations[i]));
        quote! {
            #[doc = #doc]
            pub mod #module {
                #(#fns)*
            }
        }
    });
    quote! {
        //! Typed stubs for tests, on a local `wiremock` server (feature `mock`).
        //!
        //! Each operation has a function in the module of its group, returning an
        //! [`OperationMock`] that matches the operation's method and path; `with_body` also
        //! matches the exact JSON body, and `respond` / `respond_error` answer with typed bodies.

        mod support;

        pub use support::OperationMock;

        #(#groups)*
    }
}

fn stub(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.fn_name);
    let body = match &op.body {
        Some(body) if matches!(body.kind, BodyKind::Json | BodyKind::Form) => {
            type_tokens(&api.types, &body.ty)
        }
        _ => quote!(()),
    };
    let side = |cases, name| match outcome(cases, format_ident!("{}", name)) {
        Outcome::Unit => quote!(()),
        Outcome::Single(ResponseBody::Json(ty)) => type_tokens(&api.types, &ty),
        _ => quote!(serde_json::Value),
    };
    let ok = side(&op.success, "Ok");
    let err = side(&op.errors, "Err");
    let method = &op.method;
    let path = path_regex(&op.path);
    let doc = format!(" A stub for `{} {}`.", op.method, op.path);
    quote! {
        #[doc = #doc]
        pub fn #name() -> super::OperationMock<#body, #ok, #err> {
            super::OperationMock::new(#method, #path)
        }
    }
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
