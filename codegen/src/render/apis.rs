//! `src/apis/*.rs`: one module per operation group, one async method per operation, plus the
//! operation's own types (parameter structs, and response enums where statuses differ).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::{ident, type_tokens};
use crate::model::types::Field;
use crate::model::{
    Api, BodyKind, CursorPaging, Group, Operation, Pagination, PagingKind, Param, ParamLocation,
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

pub fn render_group(api: &Api, group: &Group) -> TokenStream {
    let ty = ident(&group.type_name);
    let doc = format!(" Operations tagged `{}`.", group.tag.replace('`', "'"));
    let description = doc_attrs([group.description.as_deref()]);
    let mut methods = Vec::new();
    let mut items = Vec::new();
    for &index in &group.operations {
        let op = &api.operations[index];
        let rendered = render_operation(api, op);
        methods.push(rendered.method);
        items.extend(rendered.items);
    }
    // Deprecated operations are still callable; the group's own wrappers must not warn.
    let allow_deprecated = group
        .operations
        .iter()
        .any(|&i| api.operations[i].deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let module_doc = format!(
        " Operations tagged `{}`: the [`{}`] group and the operations' own parameter and response types.",
        group.tag.replace('`', "'"),
        group.type_name
    );
    quote! {
        #![doc = #module_doc]

        #[doc = #doc]
        #description
        #[derive(Debug, Clone, Copy)]
        pub struct #ty<'a> {
            client: &'a crate::Client,
        }

        #allow_deprecated
        impl<'a> #ty<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                #ty { client }
            }

            #(#methods)*
        }

        #(#items)*
    }
}

struct RenderedOperation {
    method: TokenStream,
    items: Vec<TokenStream>,
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

fn body_type(api: &Api, body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(ty) => type_tokens(&api.types, ty),
        ResponseBody::Text => quote!(String),
        ResponseBody::Bytes => quote!(Vec<u8>),
    }
}

fn outcome_type(api: &Api, outcome: &Outcome) -> TokenStream {
    match outcome {
        Outcome::Unit => quote!(()),
        Outcome::Single(body) => body_type(api, body),
        Outcome::PerStatus(name) => quote!(#name),
    }
}

/// The expression reading one response body; `?` returns decode and transport errors.
fn read_body(api: &Api, body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(ty) => {
            let ty = type_tokens(&api.types, ty);
            quote!(crate::runtime::json::<#ty, _>(response).await?)
        }
        ResponseBody::Text => quote!(crate::runtime::text(response).await?),
        ResponseBody::Bytes => quote!(crate::runtime::bytes(response).await?),
    }
}

fn variant_name(status: StatusMatch) -> proc_macro2::Ident {
    match status {
        StatusMatch::Code(n) => format_ident!("Status{}", n),
        StatusMatch::Range(n) => format_ident!("Status{}xx", n),
        StatusMatch::Default => format_ident!("Other"),
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

/// The per-status enum for one side of an operation.
fn per_status_enum(
    api: &Api,
    name: &proc_macro2::Ident,
    cases: &[ResponseCase],
    what: &str,
) -> TokenStream {
    let variants = cases.iter().map(|case| {
        let variant = variant_name(case.status);
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
        match &case.body {
            ResponseBody::Empty => quote!(#[doc = #line] #variant,),
            body => {
                let ty = body_type(api, body);
                quote!(#[doc = #line] #variant(#ty),)
            }
        }
    });
    let doc = format!(" The {what} of this operation, by status.");
    quote! {
        #[doc = #doc]
        // A response is moved once, into the caller's hands; boxing the larger bodies would cost
        // an allocation per call for nothing.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
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

fn render_operation(api: &Api, op: &Operation) -> RenderedOperation {
    let mut items = Vec::new();
    let fn_name = ident(&op.fn_name);
    let base = &op.type_base;

    // Parameters: path parameters are arguments; the rest live in a parameter struct.
    let path_args: Vec<&Param> = op.path_params().collect();
    let others: Vec<&Param> = op.other_params().collect();
    let params_struct = (!others.is_empty()).then(|| format_ident!("{}Params", base));
    if let Some(name) = &params_struct {
        items.push(render_params_struct(api, op, name, &others));
    }

    // Responses.
    let ok = outcome(&op.success, format_ident!("{}Response", base));
    let err = outcome(&op.errors, format_ident!("{}Error", base));
    if let Outcome::PerStatus(name) = &ok {
        items.push(per_status_enum(
            api,
            name,
            &op.success,
            "successful responses",
        ));
    }
    if let Outcome::PerStatus(name) = &err {
        items.push(per_status_enum(
            api,
            name,
            &op.errors,
            "documented error responses",
        ));
    }
    let ok_ty = outcome_type(api, &ok);
    let err_ty = outcome_type(api, &err);

    // Arguments.
    let mut args: Vec<(TokenStream, TokenStream)> = Vec::new();
    for p in &path_args {
        let name = ident(&p.ident);
        let ty = arg_type(api, &p.ty);
        args.push((quote!(#name), ty));
    }
    if let Some(name) = &params_struct {
        args.push((quote!(params), quote!(&#name)));
    }
    if let Some(body) = &op.body {
        let ty = match body.kind {
            BodyKind::Bytes => quote!(Vec<u8>),
            BodyKind::Text => quote!(&str),
            _ => {
                let ty = type_tokens(&api.types, &body.ty);
                quote!(&#ty)
            }
        };
        if body.required {
            args.push((quote!(body), ty));
        } else {
            args.push((quote!(body), quote!(Option<#ty>)));
        }
    }

    // The request.
    let path = path_expression(op);
    let method = format_ident!("{}", op.method);
    let mut build = Vec::new();
    let has_cookies = others.iter().any(|p| p.location == ParamLocation::Cookie);
    if has_cookies {
        build.push(quote!(let mut cookies: Vec<String> = Vec::new();));
    }
    for p in &others {
        build.push(add_param(api, p));
    }
    if has_cookies {
        build.push(quote! {
            if !cookies.is_empty() {
                request = request.header(reqwest::header::COOKIE, cookies.join("; "));
            }
        });
    }
    if let Some(body) = &op.body {
        let content_type = &body.content_type;
        let attach = match body.kind {
            BodyKind::Json => quote!(request = request.json(body);),
            BodyKind::Form => quote!(request = request.form(body);),
            BodyKind::Multipart if has_file_parts(api, &body.ty) => quote! {
                request = request.multipart(body.to_multipart().map_err(crate::Error::InvalidRequest)?);
            },
            // Without file parts, every property is a text part.
            BodyKind::Multipart => quote! {
                request = request.multipart(crate::upload::text_form(body).map_err(crate::Error::InvalidRequest)?);
            },
            BodyKind::Bytes | BodyKind::Text => quote! {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, #content_type)
                    .body(body.to_owned());
            },
        };
        if body.required {
            build.push(attach);
        } else {
            build.push(quote!(if let Some(body) = body { #attach }));
        }
    }
    if !op.auth.alternatives.is_empty() {
        let alternatives = op.auth.alternatives.iter().map(|set| {
            let set = set
                .iter()
                .map(|i| proc_macro2::Literal::usize_unsuffixed(*i));
            quote!(&[#(#set),*])
        });
        build.push(quote!(request = self.client.authorize(request, &[#(#alternatives),*]);));
    }
    let needs_mut = !build.is_empty();
    let binding = if needs_mut {
        quote!(let mut request)
    } else {
        quote!(let request)
    };

    // The response: exact codes first, then ranges, then `default`.
    let mut arms: Vec<((u16, u16), TokenStream)> = Vec::new();
    let mut default_error = None;
    let mut fallback = quote!(_ => return Err(crate::runtime::unexpected(response).await),);
    let mut only_default = None;
    if op.success.is_empty() {
        // Nothing documented as a success (e.g. `responses: {}`): any 2xx is one, without a body.
        arms.push(((200, 299), quote!(drop(response))));
    }
    for case in ordered(&op.success) {
        let value = match &ok {
            Outcome::Unit => quote!(drop(response)),
            Outcome::Single(_) => read_body(api, &case.body),
            Outcome::PerStatus(name) => {
                let variant = variant_name(case.status);
                match case.body {
                    ResponseBody::Empty => quote!({ drop(response); #name::#variant }),
                    _ => {
                        let read = read_body(api, &case.body);
                        quote!(#name::#variant(#read))
                    }
                }
            }
        };
        match case.status {
            // `default` as the only success: every status not listed otherwise.
            StatusMatch::Default => {
                fallback = quote!(_ => #value,);
                only_default = Some(value);
            }
            status => arms.push((status_range(status), value)),
        }
    }
    for case in ordered(&op.errors) {
        let body = match &err {
            Outcome::Unit => quote!({
                drop(response);
            }),
            Outcome::Single(_) => read_body(api, &case.body),
            Outcome::PerStatus(name) => {
                let variant = variant_name(case.status);
                match case.body {
                    ResponseBody::Empty => quote!({ drop(response); #name::#variant }),
                    _ => {
                        let read = read_body(api, &case.body);
                        quote!(#name::#variant(#read))
                    }
                }
            }
        };
        let value = quote!(return Err(crate::Error::Api { status, body: #body }));
        match case.status {
            StatusMatch::Default => {
                default_error = Some(quote!(_ if !status.is_success() => #value,))
            }
            status => arms.push((status_range(status), value)),
        }
    }
    let arms = merge_arms(arms);

    let docs = operation_docs(op);
    let (request, server_doc) = match op.server.and_then(|i| api.operation_servers.get(i)) {
        Some(server) => {
            let variant = ident(&server.ident);
            let name = server.ident.trim_start_matches("r#");
            let when = if api.servers.is_empty() {
                ""
            } else {
                ", where it is sent when the client talks to one of the document's servers that does not serve it"
            };
            let line = format!(
                " Published on its own server, [`OperationServer::{name}`](crate::OperationServer::{name}) (by default `{}`){when}; see [`Client::operation_url`](crate::Client::operation_url).",
                server.url.replace('`', "'")
            );
            (
                quote!(self.client.request_on(crate::OperationServer::#variant, call.method.clone(), #path)),
                Some(quote!(#[doc = ""] #[doc = #line])),
            )
        }
        None => (
            quote!(self.client.request(call.method.clone(), #path)),
            None,
        ),
    };
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let fn_with = ident(&op.fn_with_options);
    let arg_names: Vec<&TokenStream> = args.iter().map(|(name, _)| name).collect();
    let arg_decls: Vec<TokenStream> = args.iter().map(|(name, ty)| quote!(#name: #ty)).collect();
    let template = &op.path;
    let with_doc = format!(
        " [`{}`](Self::{}) with per-request options (timeout, retries, headers, idempotency key), returning the status and headers with the body.",
        op.fn_name.trim_start_matches("r#"),
        op.fn_name
    );
    // With nothing but `default` documented, every status decodes the same way: no `match`.
    let decode = match (&only_default, arms.is_empty() && default_error.is_none()) {
        (Some(value), true) => quote!(#value),
        _ => quote! {
            match status.as_u16() {
                #(#arms)*
                #default_error
                #fallback
            }
        },
    };
    // Path parameters are positional, as the API defines them; many of them make a long list.
    let many_args = (args.len() + 2 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let many_args_plain =
        (args.len() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // A unit body is not bound to a name (clippy: let_unit_value).
    let (bind_body, body_field) = match ok {
        Outcome::Unit => (quote!(), quote!(body: ())),
        _ => (quote!(let body =), quote!(body)),
    };
    let method_tokens = quote! {
        #docs
        #server_doc
        #deprecated
        #many_args_plain
        pub async fn #fn_name(&self, #(#arg_decls),*) -> Result<#ok_ty, crate::Error<#err_ty>> {
            self.#fn_with(#(#arg_names,)* &crate::RequestOptions::default())
                .await
                .map(crate::ResponseValue::into_inner)
        }

        #[doc = #with_doc]
        #deprecated
        #many_args
        pub async fn #fn_with(
            &self,
            #(#arg_decls,)*
            options: &crate::RequestOptions,
        ) -> Result<crate::ResponseValue<#ok_ty>, crate::Error<#err_ty>> {
            let call = crate::runtime::Call { method: reqwest::Method::#method, path: #template };
            #binding = #request;
            #(#build)*
            let response = self.client.send(request, &call, options).await?;
            let status = response.status();
            let headers = response.headers().clone();
            #bind_body #decode;
            Ok(crate::ResponseValue { status, headers, #body_field })
        }
    };
    let stream = op
        .pagination
        .as_ref()
        .map(|p| stream_method(api, op, p, &err_ty));
    let method_tokens = quote!(#method_tokens #stream);
    RenderedOperation {
        method: method_tokens,
        items,
    }
}

/// An operation's docs: its summary (else the first sentence of its description, else its
/// method and path) as the first line, then the description, then the method and path.
fn operation_docs(op: &Operation) -> TokenStream {
    let endpoint = format!("`{} {}`", op.method, op.path);
    let summary = op.summary.as_deref().filter(|s| !s.trim().is_empty());
    let description = op.description.as_deref().filter(|d| !d.trim().is_empty());
    let (first, rest) = match (summary, description.and_then(super::docs::first_sentence)) {
        (Some(summary), _) => (summary.to_owned(), description.map(str::to_owned)),
        (None, Some((sentence, rest))) => (sentence, Some(rest)),
        // The method and path are the summary; they are not repeated below.
        (None, None) => return doc_attrs([Some(endpoint.as_str()), description]),
    };
    doc_attrs([
        Some(first.as_str()),
        rest.as_deref(),
        Some(endpoint.as_str()),
    ])
}

/// Joins arms with the same handling into one, keeping first-seen order, and writes adjacent
/// statuses as one range (`400..=403 | 500..=599 => …`).
fn merge_arms(arms: Vec<((u16, u16), TokenStream)>) -> Vec<TokenStream> {
    /// Statuses handled by one arm, and the handling (with its text, to compare).
    struct Arm {
        ranges: Vec<(u16, u16)>,
        value: TokenStream,
        key: String,
    }
    let mut merged: Vec<Arm> = Vec::new();
    for (range, value) in arms {
        let key = value.to_string();
        match merged.iter_mut().find(|arm| arm.key == key) {
            Some(arm) => arm.ranges.push(range),
            None => merged.push(Arm {
                ranges: vec![range],
                value,
                key,
            }),
        }
    }
    merged
        .into_iter()
        .map(|Arm { ranges, value, .. }| {
            let patterns = coalesce(ranges).into_iter().map(|(low, high)| {
                let low_lit = proc_macro2::Literal::u16_unsuffixed(low);
                if low == high {
                    quote!(#low_lit)
                } else {
                    let high_lit = proc_macro2::Literal::u16_unsuffixed(high);
                    quote!(#low_lit..=#high_lit)
                }
            });
            quote!(#(#patterns)|* => #value,)
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

/// `<op>_stream`: the items of every page, requested one page after another.
fn stream_method(
    api: &Api,
    op: &Operation,
    pagination: &Pagination,
    err_ty: &TokenStream,
) -> TokenStream {
    let name = ident(&pagination.fn_name);
    let list = ident(&op.fn_name);
    let item = type_tokens(&api.types, &pagination.item);
    // Path arguments are owned by the stream, so it borrows only the client.
    let mut decls = Vec::new();
    let mut owned = Vec::new();
    let mut per_call = Vec::new();
    let mut call_args = Vec::new();
    for p in op.path_params() {
        let arg = ident(&p.ident);
        let ty = arg_type(api, &p.ty);
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

/// Path arguments are taken by value for `Copy`-like scalars and by reference otherwise.
fn arg_type(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty.non_null() {
        TypeRef::String => quote!(&str),
        other if is_copy_scalar(api, other) => type_tokens(&api.types, other),
        other => {
            let ty = type_tokens(&api.types, other);
            quote!(&#ty)
        }
    }
}

/// `format!("/users/{}", encode_path(&to_param(&id)))`, or a literal when there are no parameters.
fn path_expression(op: &Operation) -> TokenStream {
    // Built by concatenation rather than `format!`, whose arguments the formatter cannot lay out.
    let mut pieces = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let literal = &rest[..start];
        if !literal.is_empty() {
            pieces.push(quote!(#literal));
        }
        let name = &rest[start + 1..start + len];
        if let Some(p) = op.path_params().find(|p| p.wire == name) {
            let arg = ident(&p.ident);
            pieces.push(quote!(&crate::runtime::encode_path(&crate::runtime::to_param(&#arg))));
        }
        rest = &rest[start + len + 1..];
    }
    if pieces.is_empty() {
        let literal = op.path.clone();
        return quote!(#literal);
    }
    if !rest.is_empty() {
        pieces.push(quote!(#rest));
    }
    quote!(&[#(#pieces),*].concat())
}

/// Adds one query, header or cookie parameter to `request`.
fn add_param(api: &Api, p: &Param) -> TokenStream {
    let field = ident(&p.ident);
    let wire = &p.wire;
    let optional = !p.required || p.ty.is_nullable();
    let value = quote!(value);
    let object = is_object(api, p.ty.non_null());
    let set = match (p.location, p.ty.non_null()) {
        // Objects in the query: `key=value` per property (form, exploded), `name[key]=value`
        // (deepObject), or `name=k1,v1,k2,v2` (form, not exploded).
        (ParamLocation::Query, _) if object => {
            let style = if p.deep_object {
                quote!(Deep)
            } else if p.explode {
                quote!(Exploded)
            } else {
                quote!(Flat)
            };
            quote! {
                request = request.query(&crate::runtime::object_pairs(#wire, #value, crate::runtime::ObjectStyle::#style));
            }
        }
        (ParamLocation::Query, TypeRef::List(_)) if p.explode => quote! {
            for item in #value {
                request = request.query(&[(#wire, crate::runtime::to_param(item))]);
            }
        },
        (ParamLocation::Query, TypeRef::List(_)) => {
            quote!(request = request.query(&[(#wire, crate::runtime::to_csv(#value))]);)
        }
        (ParamLocation::Query, _) => {
            quote!(request = request.query(&[(#wire, crate::runtime::to_param(#value))]);)
        }
        (ParamLocation::Header, TypeRef::List(_)) => {
            quote!(request = request.header(#wire, crate::runtime::to_csv(#value));)
        }
        (ParamLocation::Header, _) => {
            quote!(request = request.header(#wire, crate::runtime::to_param(#value));)
        }
        // All cookies travel in one `Cookie` header, assembled after the parameters.
        (ParamLocation::Cookie, _) | (ParamLocation::Path, _) => {
            quote!(cookies.push(format!("{}={}", #wire, crate::runtime::to_param(#value)));)
        }
    };
    if optional {
        quote!(if let Some(value) = &params.#field { #set })
    } else {
        quote!({ let value = &params.#field; #set })
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

/// Whether a parameter's type is an object (a struct or a map) rather than a scalar or list.
fn is_object(api: &Api, ty: &TypeRef) -> bool {
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

fn render_params_struct(
    api: &Api,
    op: &Operation,
    name: &proc_macro2::Ident,
    params: &[&Param],
) -> TokenStream {
    let fields = params.iter().map(|p| {
        let field = ident(&p.ident);
        let inner = type_tokens(&api.types, p.ty.non_null());
        let ty = if p.required && !p.ty.is_nullable() {
            inner
        } else {
            quote!(Option<#inner>)
        };
        let place = match p.location {
            ParamLocation::Query => "query parameter",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
            ParamLocation::Path => "path parameter",
        };
        let line = format!(
            " The `{}` {place}{}.",
            p.wire,
            if p.required { "" } else { " (optional)" }
        );
        let docs = doc_attrs([p.description.as_deref()]);
        // The server applies a parameter's default when it is absent; the client never sends
        // it on its own, so `None` (or `Default`) leaves the choice to the server.
        let default = p.default.as_ref().map(|json| {
            let line = if p.required {
                format!(" The API's default: `{}`.", super::types::default_doc(json))
            } else {
                format!(
                    " The server's default when it is not sent (`None`): `{}`.",
                    super::types::default_doc(json)
                )
            };
            quote!(#[doc = ""] #[doc = #line])
        });
        quote! {
            #[doc = #line]
            #docs
            #default
            pub #field: #ty,
        }
    });
    let required: Vec<&&Param> = params
        .iter()
        .filter(|p| p.required && !p.ty.is_nullable())
        .collect();
    let doc = format!(" Parameters of `{} {}`.", op.method, op.path);
    let constructor = if required.is_empty() {
        quote!()
    } else {
        let args = required.iter().map(|p| {
            let field = ident(&p.ident);
            let ty = type_tokens(&api.types, p.ty.non_null());
            quote!(#field: #ty)
        });
        let inits = params.iter().map(|p| {
            let field = ident(&p.ident);
            if p.required && !p.ty.is_nullable() {
                quote!(#field,)
            } else {
                quote!(#field: None,)
            }
        });
        // Clippy's limit is 7 arguments; an operation may require more parameters.
        let many_args = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            impl #name {
                /// The required parameters; optional ones start as `None`.
                #many_args
                pub fn new(#(#args),*) -> Self {
                    #name { #(#inits)* }
                }
            }
        }
    };
    let default = required.is_empty().then(|| quote!(Default,));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
        }
        #constructor
    }
}

#[cfg(test)]
mod tests {
    use super::coalesce;

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
