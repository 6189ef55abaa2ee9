//! `src/apis/*.rs`: one module per operation group, two async methods per operation (written
//! by `operation`) and a page stream for the paged ones, plus the operations' own types
//! (parameter structs, and response enums where statuses differ).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_lines;
use super::operation;
use super::source::{push_doc, push_line, tokens, Item, Within};
use super::types::{ident, type_path};
use crate::model::types::Field;
use crate::model::{
    Api, CursorPaging, Group, Operation, Pagination, PagingKind, Param, ParamLocation,
    ResponseBody, ResponseCase, StatusMatch, TypeRef,
};

pub fn render_mod(api: &Api) -> TokenStream {
    let modules = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        // Each module documents itself (`//!`), so the declaration carries no doc.
        quote!(pub mod #module;)
    });
    quote! {
        //! The operations, grouped by tag. Reach them through the client, e.g. `client.users()`.
        #(#modules)*
    }
}

/// One group's module, formatted: the group type and its methods, then the operations' own
/// types. All of it is written as text (see `source`) but the page streams, whose closures
/// are laid out by `prettyplease`.
pub fn render_group(api: &Api, group: &Group) -> String {
    let ty = &group.type_name;
    let tag = group.tag.replace('`', "'");
    let mut out = String::with_capacity(4096 * group.operations.len().max(1));
    push_doc(
        &mut out,
        0,
        "//!",
        &format!(
            " Operations tagged `{tag}`: the [`{ty}`] group and the operations' own parameter and response types."
        ),
    );
    push_doc(&mut out, 0, "///", &format!(" Operations tagged `{tag}`."));
    for line in doc_lines([group.description.as_deref()]) {
        push_doc(&mut out, 0, "///", &line);
    }
    push_line(&mut out, 0, "#[derive(Debug, Clone, Copy)]");
    push_line(&mut out, 0, &format!("pub struct {ty}<'a> {{"));
    push_line(&mut out, 1, "client: &'a crate::Client,");
    push_line(&mut out, 0, "}");
    // Deprecated operations are still callable; the group's own wrappers must not warn.
    if group
        .operations
        .iter()
        .any(|&i| api.operations[i].deprecated)
    {
        push_line(&mut out, 0, "#[allow(deprecated)]");
    }
    push_line(&mut out, 0, &format!("impl<'a> {ty}<'a> {{"));
    push_line(
        &mut out,
        1,
        "pub(crate) fn new(client: &'a crate::Client) -> Self {",
    );
    push_line(&mut out, 2, &format!("{ty} {{ client }}"));
    push_line(&mut out, 1, "}");
    let mut items = String::new();
    for &index in &group.operations {
        let op = &api.operations[index];
        let ok = outcome(&op.success, format_ident!("{}Response", op.type_base));
        let err = outcome(&op.errors, format_ident!("{}Error", op.type_base));
        operation::write_methods(api, op, &ok, &err, &mut out);
        if let Some(pagination) = &op.pagination {
            let err_ty = tokens(&operation::outcome_text(api, &err));
            let stream = stream_method(api, op, pagination, &err_ty);
            // A stream (closures and an `async` block) is laid out by `prettyplease`, as a
            // method of an `impl`.
            match Within::ImplItems.lay_out(&stream.to_string()) {
                Ok(laid_out) | Err(laid_out) => out.push_str(&laid_out),
            }
        }
        operation_items(api, op, &ok, &err, &mut items);
    }
    push_line(&mut out, 0, "}");
    out.push_str(&items);
    out
}

/// An operation's own types: its parameter struct and per-status response enums.
fn operation_items(api: &Api, op: &Operation, ok: &Outcome, err: &Outcome, out: &mut String) {
    let others: Vec<&Param> = op.other_params().collect();
    if !others.is_empty() {
        params_struct(api, op, &format!("{}Params", op.type_base), &others, out);
    }
    if let Outcome::PerStatus(name) = ok {
        let name = name.to_string();
        per_status_enum(api, &name, &op.success, "successful responses", out);
    }
    if let Outcome::PerStatus(name) = err {
        let name = name.to_string();
        per_status_enum(api, &name, &op.errors, "documented error responses", out);
    }
}

/// How the responses of one side (success or error) are typed.
pub(super) enum Outcome {
    /// No body on any documented status.
    Unit,
    /// The same body on every documented status.
    Single(ResponseBody),
    /// Bodies differ by status: a per-operation enum.
    PerStatus(proc_macro2::Ident),
}

pub(super) fn outcome(cases: &[ResponseCase], enum_name: proc_macro2::Ident) -> Outcome {
    let Some(first) = cases.first() else {
        return Outcome::Unit;
    };
    if cases.iter().all(|c| c.body == first.body) {
        if first.body == ResponseBody::Empty {
            Outcome::Unit
        } else {
            Outcome::Single(first.body.clone())
        }
    } else {
        Outcome::PerStatus(enum_name)
    }
}

/// The per-status enum for one side of an operation.
fn per_status_enum(api: &Api, name: &str, cases: &[ResponseCase], what: &str, out: &mut String) {
    let mut item = Item::new();
    item.doc(0, &format!(" The {what} of this operation, by status."));
    // A response is moved once, into the caller's hands; boxing the larger bodies would cost
    // an allocation per call for nothing.
    item.line(0, "#[allow(clippy::large_enum_variant)]");
    item.line(0, "#[derive(Debug, Clone, PartialEq)]");
    item.unbreakable_line(0, format_args!("pub enum {name} {{"));
    for case in cases {
        let variant = operation::variant_name(case.status);
        let status = match case.status {
            StatusMatch::Code(n) => format!("`{n}`"),
            StatusMatch::Range(n) => format!("`{n}XX`"),
            StatusMatch::Default => "any other status".to_owned(),
        };
        let line = format!(
            " {status}{}",
            case.description
                .as_deref()
                .map(|d| format!(": {}", super::docs::sanitize(d).replace('\n', " ")))
                .unwrap_or_default()
        );
        item.unit(Within::Variants, |item| {
            item.doc(1, &line);
            match &case.body {
                ResponseBody::Empty => item.line(1, format_args!("{variant},")),
                body => {
                    item.tuple_variant(1, &variant.to_string(), &operation::body_text(api, body))
                }
            }
        });
    }
    item.line(0, "}");
    item.finish(out);
}

/// `<op>_stream`: the items of every page, requested one page after another.
fn stream_method(
    api: &Api,
    op: &Operation,
    pagination: &Pagination,
    err_ty: &TokenStream,
) -> TokenStream {
    let name = ident(&pagination.fn_name);
    let list = ident(&op.fn_name);
    let item = tokens(&type_path(&api.types, &pagination.item));
    // Path arguments are owned by the stream, so it borrows only the client.
    let mut decls = Vec::new();
    let mut owned = Vec::new();
    let mut per_call = Vec::new();
    let mut call_args = Vec::new();
    for p in op.path_params() {
        let arg = ident(&p.ident);
        let ty = tokens(&arg_type_text(api, &p.ty));
        decls.push(quote!(#arg: #ty));
        if passes_by_reference(api, &p.ty) && is_copy_type(&p.ty) {
            // Copied into the stream; a clone per call would be one clippy calls needless.
            owned.push(quote!(let #arg = *#arg;));
            call_args.push(quote!(&#arg));
        } else if passes_by_reference(api, &p.ty) {
            owned.push(quote!(let #arg = #arg.to_owned();));
            per_call.push(quote!(let #arg = #arg.clone();));
            call_args.push(quote!(&#arg));
        } else {
            call_args.push(quote!(#arg));
        }
    }
    let params_ty = format_ident!("{}Params", op.type_base);
    let list_link = format!(
        "[`{}`](Self::{})",
        op.fn_name.trim_start_matches("r#"),
        op.fn_name
    );
    let (doc, body) = match &pagination.kind {
        PagingKind::Cursor(cursor) => (
            format!(
                " Every item of {list_link}, requesting one page after another from the cursor `params` names (the first page by default), each with the cursor the page before returned; stops when a page returns no next cursor (absent, `null` or empty) or the cursor it was requested with, or after an error (which is yielded last)."
            ),
            cursor_stream_body(api, op, pagination, cursor, &list, &per_call, &call_args),
        ),
        _ => (
            format!(
                " Every item of {list_link}, requesting one page after another from the one `params` names; stops after an empty or short page, or an error (which is yielded last)."
            ),
            numbered_stream_body(op, pagination, &list, &per_call, &call_args),
        ),
    };
    quote! {
        #[doc = #doc]
        pub fn #name(
            &self,
            #(#decls,)*
            params: &#params_ty,
        ) -> impl futures_util::Stream<Item = Result<#item, crate::Error<#err_ty>>> + 'a {
            // The group is a copy of a reference, so the stream may outlive this borrow of it.
            let group = *self;
            let params = params.clone();
            #(#owned)*
            #body
        }
    }
}

/// The stream of an operation paged by number or offset.
fn numbered_stream_body(
    op: &Operation,
    pagination: &Pagination,
    list: &proc_macro2::Ident,
    per_call: &[TokenStream],
    call_args: &[TokenStream],
) -> TokenStream {
    let page = ident(&pagination.param);
    let page_ty = op
        .params
        .iter()
        .find(|p| p.ident == pagination.param)
        .map(|p| p.ty.non_null().clone())
        .unwrap_or(TypeRef::I64);
    let (paging, start) = match pagination.kind {
        PagingKind::Offset => (quote!(Offset), proc_macro2::Literal::i64_unsuffixed(0)),
        _ => (quote!(Number), proc_macro2::Literal::i64_unsuffixed(1)),
    };
    let widen = (page_ty == TypeRef::I32).then(|| quote!(.map(i64::from)));
    let first = match (pagination.param_required, page_ty == TypeRef::I32) {
        (true, true) => quote!(i64::from(params.#page)),
        (true, false) => quote!(params.#page),
        (false, _) => quote!(params.#page #widen .unwrap_or(#start)),
    };
    let convert = match page_ty {
        TypeRef::I32 => quote!(i32::try_from(page).unwrap_or(i32::MAX)),
        _ => quote!(page),
    };
    let assign = if pagination.param_required {
        quote!(params.#page = #convert;)
    } else {
        quote!(params.#page = Some(#convert);)
    };
    let page_size = match &pagination.size_param {
        Some(size_field) => {
            let size = ident(size_field);
            let required = op
                .params
                .iter()
                .any(|p| p.ident == *size_field && p.required && !p.ty.is_nullable());
            if required {
                quote!(crate::runtime::to_param(&params.#size).parse().ok())
            } else {
                quote!(params.#size.as_ref().and_then(|size| crate::runtime::to_param(size).parse().ok()))
            }
        }
        None => quote!(None),
    };
    quote! {
        let first = #first;
        let page_size = #page_size;
        crate::pagination::items(crate::pagination::Paging::#paging, first, page_size, move |page| {
            let mut params = params.clone();
            #assign
            #(#per_call)*
            async move { group.#list(#(#call_args,)* &params).await }
        })
    }
}

/// The stream of an operation paged by cursor: each request carries the cursor the page
/// before returned, read from the field the model found.
fn cursor_stream_body(
    api: &Api,
    op: &Operation,
    pagination: &Pagination,
    cursor: &CursorPaging,
    list: &proc_macro2::Ident,
    per_call: &[TokenStream],
    call_args: &[TokenStream],
) -> TokenStream {
    let param = ident(&pagination.param);
    let param_ty = op
        .params
        .iter()
        .find(|p| p.ident == pagination.param)
        .map(|p| p.ty.non_null().clone())
        .unwrap_or(TypeRef::String);
    let text = param_ty == TypeRef::String;
    // Text is cloned; numbers are `Copy` (and clippy would call a clone of them needless).
    let take = |place: TokenStream| if text { quote!(#place.clone()) } else { place };
    let current = take(quote!(params.#param));
    let (first, assign) = if pagination.param_required {
        (
            quote!(Some(#current)),
            quote!(if let Some(cursor) = cursor { params.#param = cursor; }),
        )
    } else {
        (current, quote!(params.#param = cursor;))
    };
    let next = next_cursor_expression(api, cursor, text);
    let items = match field_at(api, cursor.items) {
        Some(field) => {
            let name = ident(&field.ident);
            if field.is_option() {
                quote!(page.#name.unwrap_or_default())
            } else {
                quote!(page.#name)
            }
        }
        None => quote!(Vec::new()),
    };
    quote! {
        let first = #first;
        crate::pagination::cursor_items(first, move |cursor| {
            let mut params = params.clone();
            #assign
            #(#per_call)*
            async move {
                group.#list(#(#call_args,)* &params).await.map(|page| {
                    let next = #next;
                    (#items, next)
                })
            }
        })
    }
}

/// The field at one step of a cursor path.
fn field_at(api: &Api, (id, index): (crate::model::TypeId, usize)) -> Option<&Field> {
    match &api.types.defs.get(id.0)?.kind {
        crate::model::TypeKind::Struct(s) => s.fields.get(index),
        _ => None,
    }
}

/// An `Option` of the next cursor, as the parameter's type, read from `page`: `None` when any
/// object on the way is absent, and (for text) when the cursor is empty.
fn next_cursor_expression(api: &Api, cursor: &CursorPaging, text: bool) -> TokenStream {
    // Either a place of the current struct (`page.meta`) or an `Option<&_>` of it.
    enum At {
        Place(TokenStream),
        Maybe(TokenStream),
    }
    let mut at = At::Place(quote!(page));
    let Some((last, path)) = cursor.next.split_last() else {
        return quote!(None);
    };
    for step in path {
        let Some(field) = field_at(api, *step) else {
            return quote!(None);
        };
        let name = ident(&field.ident);
        let optional = field.is_option();
        at = match (at, optional) {
            (At::Place(e), true) => At::Maybe(quote!(#e.#name.as_ref())),
            (At::Place(e), false) => At::Place(quote!(#e.#name)),
            (At::Maybe(e), true) => At::Maybe(quote!(#e.and_then(|at| at.#name.as_ref()))),
            (At::Maybe(e), false) => At::Maybe(quote!(#e.map(|at| &at.#name))),
        };
    }
    let Some(field) = field_at(api, *last) else {
        return quote!(None);
    };
    let name = ident(&field.ident);
    let optional = field.is_option();
    // Numbers are `Copy`; text (and a number that becomes text) is cloned or written out.
    let is_text_field = field.ty.non_null() == &TypeRef::String;
    let read = |place: TokenStream| {
        if is_text_field {
            quote!(#place.clone())
        } else {
            place
        }
    };
    let mut expression = match (at, optional) {
        (At::Place(e), true) => read(quote!(#e.#name)),
        (At::Place(e), false) => {
            let value = read(quote!(#e.#name));
            quote!(Some(#value))
        }
        (At::Maybe(e), true) => {
            let value = read(quote!(at.#name));
            quote!(#e.and_then(|at| #value))
        }
        (At::Maybe(e), false) => {
            let value = read(quote!(at.#name));
            quote!(#e.map(|at| #value))
        }
    };
    if cursor.next_to_text {
        expression = quote!(#expression.map(|cursor| cursor.to_string()));
    }
    if text {
        expression = quote!(#expression.filter(|cursor| !cursor.is_empty()));
    }
    expression
}

/// Types passed by reference that are nonetheless `Copy` (UUIDs, dates and times).
fn is_copy_type(ty: &TypeRef) -> bool {
    matches!(
        ty.non_null(),
        TypeRef::Uuid | TypeRef::Date | TypeRef::DateTime
    )
}

fn passes_by_reference(api: &Api, ty: &TypeRef) -> bool {
    !is_copy_scalar(api, ty)
}

/// Numbers and booleans, also behind aliases: passed by value.
fn is_copy_scalar(api: &Api, ty: &TypeRef) -> bool {
    match ty.non_null() {
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => true,
        TypeRef::Named(id) => match &api.types.defs[id.0].kind {
            crate::model::TypeKind::Alias(inner) => is_copy_scalar(api, inner),
            crate::model::TypeKind::IntegerEnum { .. } => true,
            _ => false,
        },
        _ => false,
    }
}

/// A path argument's type: by value for `Copy`-like scalars, by reference otherwise.
pub(super) fn arg_type_text(api: &Api, ty: &TypeRef) -> String {
    match ty.non_null() {
        TypeRef::String => String::from("&str"),
        other if is_copy_scalar(api, other) => type_path(&api.types, other),
        other => format!("&{}", type_path(&api.types, other)),
    }
}

/// Whether a parameter's type is an object (a struct or a map) rather than a scalar or list.
pub(super) fn is_object(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Map(_) => true,
        TypeRef::Named(id) => match &api.types.defs[id.0].kind {
            crate::model::TypeKind::Struct(_) => true,
            crate::model::TypeKind::Alias(inner) => is_object(api, inner.non_null()),
            _ => false,
        },
        _ => false,
    }
}

/// An operation's parameter struct (the query, header and cookie parameters), with `new`
/// taking the required ones when there are any.
fn params_struct(api: &Api, op: &Operation, name: &str, params: &[&Param], out: &mut String) {
    let is_required = |p: &Param| p.required && !p.ty.is_nullable();
    let any_required = params.iter().any(|p| is_required(p));
    let mut item = Item::new();
    item.doc(0, &format!(" Parameters of `{} {}`.", op.method, op.path));
    let default = if any_required { "" } else { ", Default" };
    item.line(
        0,
        format_args!("#[derive(Debug, Clone, PartialEq{default})]"),
    );
    item.unbreakable_line(0, format_args!("pub struct {name} {{"));
    for p in params {
        let inner = type_path(&api.types, p.ty.non_null());
        let place = match p.location {
            ParamLocation::Query => "query parameter",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
            ParamLocation::Path => "path parameter",
        };
        item.unit(Within::Fields, |item| {
            let optional = if p.required { "" } else { " (optional)" };
            item.doc(1, &format!(" The `{}` {place}{optional}.", p.wire));
            item.docs(1, &doc_lines([p.description.as_deref()]));
            // The server applies a parameter's default when it is absent; the client never
            // sends it on its own, so `None` (or `Default`) leaves the choice to the server.
            if let Some(json) = &p.default {
                let shown = super::types::default_doc(json);
                item.doc(1, "");
                if p.required {
                    item.doc(1, &format!(" The API's default: `{shown}`."));
                } else {
                    item.doc(
                        1,
                        &format!(" The server's default when it is not sent (`None`): `{shown}`."),
                    );
                }
            }
            let lead = format!("pub {}: ", p.ident);
            if is_required(p) {
                item.typed(1, &lead, &inner, ",");
            } else {
                item.typed(1, &lead, &format!("Option<{inner}>"), ",");
            }
        });
    }
    item.line(0, "}");
    item.finish(out);
    if !any_required {
        return;
    }
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in params {
        if is_required(p) {
            args.push(format!(
                "{}: {}",
                p.ident,
                type_path(&api.types, p.ty.non_null())
            ));
            inits.push(p.ident.clone());
        } else {
            inits.push(format!("{}: None", p.ident));
        }
    }
    // The struct expression's layout (`prettyplease` keeps one on a line only when it is
    // very short) and the signature's are left to it.
    let mut item = Item::new();
    item.reformat();
    item.unbreakable_line(0, format_args!("impl {name} {{"));
    item.doc(
        1,
        " The required parameters; optional ones start as `None`.",
    );
    // Clippy's limit is 7 arguments; an operation may require more parameters.
    if args.len() > 7 {
        item.line(1, "#[allow(clippy::too_many_arguments)]");
    }
    item.line(
        1,
        format_args!("pub fn new({}) -> Self {{", args.join(", ")),
    );
    item.line(2, format_args!("{name} {{ {} }}", inits.join(", ")));
    item.line(1, "}");
    item.line(0, "}");
    item.finish(out);
}
