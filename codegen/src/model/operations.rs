//! Operations: paths × methods resolved into named methods with typed parameters, bodies,
//! responses and authentication, grouped by tag.

use std::collections::BTreeMap;

use openapiv3::{
    APIKeyLocation, MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr,
    RequestBody, Response, SecurityRequirement, SecurityScheme, StatusCode,
};

use super::names::{self, Scope};
use super::types::{TypeBuilder, TypeId, TypeKind, TypeRef, TypeSpace};
use super::{component, Group};
use crate::{Diagnostic, Pointer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// One parameter of an operation.
#[derive(Debug, Clone)]
pub struct Param {
    pub wire: String,
    /// Argument name (path) or field name in the operation's parameter struct.
    pub ident: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
    /// `explode` (true by default for query and cookie parameters).
    pub explode: bool,
    /// `style: deepObject`.
    pub deep_object: bool,
    /// The schema's `default`: what the server assumes when the parameter is not sent. Only
    /// documented; the client never sends it on its own.
    pub default: Option<serde_json::Value>,
}

/// A header every operation requires with the same schema: set once on the client.
#[derive(Debug, Clone)]
pub struct ClientHeader {
    pub wire: String,
    pub ident: String,
    pub ty: TypeRef,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
    Multipart,
    Bytes,
    Text,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub kind: BodyKind,
    pub content_type: String,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
}

/// Which statuses a documented response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX`: the first digit.
    Range(u16),
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Empty,
    Json(TypeRef),
    Text,
    Bytes,
}

#[derive(Debug, Clone)]
pub struct ResponseCase {
    pub status: StatusMatch,
    pub body: ResponseBody,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityKind {
    /// `http` bearer, `oauth2` and `openIdConnect`: a token in `Authorization: Bearer`.
    Bearer,
    Basic,
    ApiKey {
        location: ParamLocation,
        name: String,
    },
}

/// A security scheme the client can hold a credential for.
#[derive(Debug, Clone)]
pub struct Security {
    /// The scheme's name in `components.securitySchemes`.
    pub name: String,
    /// The client setter, e.g. `with_bearer_auth`.
    pub setter: String,
    pub kind: SecurityKind,
    pub description: Option<String>,
}

/// Which credentials an operation sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Auth {
    /// Alternatives, each a set of indices into [`super::Api::security`]. The first alternative
    /// whose credentials are all configured is used. Empty: the operation is never authenticated.
    pub alternatives: Vec<Vec<usize>>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or `METHOD /path` when the document gives none.
    pub id: String,
    pub pointer: Pointer,
    /// Upper-case HTTP method.
    pub method: String,
    pub path: String,
    pub fn_name: String,
    /// The twin taking `RequestOptions` and returning a `ResponseValue`.
    pub fn_with_options: String,
    /// `UpperCamelCase` base for the operation's own types (`{base}Params`, `{base}Response`).
    pub type_base: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// 1xx, 2xx and 3xx responses (and `default` when nothing else is a success).
    pub success: Vec<ResponseCase>,
    /// 4xx, 5xx and `default`.
    pub errors: Vec<ResponseCase>,
    pub auth: Auth,
    /// Set for list operations whose pages can be walked as one stream of items.
    pub pagination: Option<Pagination>,
    /// The operation's own server (its `servers`, or its path's, when they name none of the
    /// document's): an index into [`super::Api::operation_servers`].
    pub server: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingKind {
    /// `page=1, 2, …`
    Number,
    /// `offset=0, n, …`
    Offset,
    /// `cursor=<the next cursor the previous page returned>`, for as long as there is one.
    Cursor(CursorPaging),
}

/// Where the page a cursor-paged operation returns keeps its items and the next cursor. Each
/// step is a field of a struct: the struct's id and the field's index in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorPaging {
    /// The page's field holding the items.
    pub items: (TypeId, usize),
    /// The fields leading to the next cursor, outermost first (one, or two when the cursor is
    /// in an object such as `meta`).
    pub next: Vec<(TypeId, usize)>,
    /// The next cursor is a number while the parameter is text, so it is written out.
    pub next_to_text: bool,
}

/// How a list operation is paged: which parameter moves, which sets the page size, and the
/// item type of the items each page returns.
#[derive(Debug, Clone)]
pub struct Pagination {
    pub kind: PagingKind,
    /// Field of the parameter struct holding the page number, offset or cursor.
    pub param: String,
    pub param_required: bool,
    /// Field holding the page size, if the operation has one.
    pub size_param: Option<String>,
    pub item: TypeRef,
    /// The method returning the stream.
    pub fn_name: String,
}

impl Operation {
    pub fn path_params(&self) -> impl Iterator<Item = &Param> {
        self.params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
    }

    /// Query, header and cookie parameters: the fields of the parameter struct.
    pub fn other_params(&self) -> impl Iterator<Item = &Param> {
        self.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
    }
}

/// Client methods that group accessors must not shadow.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "base_url",
    "server",
    "http_client",
    "with_http_client",
    "with_connect_timeout",
    "with_timeout",
    "with_retry_policy",
    "with_operation_server",
    "operation_url",
    "request",
    "request_on",
    "send",
    "authorize",
];

/// An operation before grouping, with its raw parameter list (client headers not yet removed).
struct Draft {
    op: Operation,
    tag: Option<String>,
    raw_name: String,
}

pub struct OperationBuilder<'a> {
    doc: &'a OpenAPI,
    file: &'a str,
    types: TypeBuilder<'a>,
    security: Vec<Security>,
    drafts: Vec<Draft>,
    warnings: Vec<Diagnostic>,
    total: usize,
}

type Finished<'a> = (
    Vec<Operation>,
    Vec<Group>,
    Vec<ClientHeader>,
    Vec<Security>,
    TypeBuilder<'a>,
    Vec<Diagnostic>,
    usize,
);

impl<'a> OperationBuilder<'a> {
    pub fn new(doc: &'a OpenAPI, file: &'a str, types: TypeBuilder<'a>) -> Self {
        let mut builder = OperationBuilder {
            doc,
            file,
            types,
            security: Vec::new(),
            drafts: Vec::new(),
            warnings: Vec::new(),
            total: 0,
        };
        builder.security = builder.security_schemes();
        builder
    }

    fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings
            .push(Diagnostic::warning(self.file, pointer.as_str(), message));
    }

    fn security_schemes(&mut self) -> Vec<Security> {
        let mut scope = Scope::new();
        let mut out = Vec::new();
        let schemes = self.doc.components.as_ref().map(|c| &c.security_schemes);
        for (name, scheme) in schemes.into_iter().flatten() {
            let pointer = Pointer::root()
                .push("components")
                .push("securitySchemes")
                .push(name);
            let scheme = match scheme {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { reference } => {
                    match component(schemes, "#/components/securitySchemes/", reference) {
                        Some((s, _)) => s,
                        None => {
                            self.warn(
                                &pointer,
                                format!("unresolvable `$ref: {reference}`; scheme ignored"),
                            );
                            continue;
                        }
                    }
                }
            };
            let (kind, description) = match scheme {
                SecurityScheme::HTTP {
                    scheme,
                    description,
                    ..
                } => match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => (SecurityKind::Bearer, description),
                    "basic" => (SecurityKind::Basic, description),
                    other => {
                        self.warn(
                            &pointer,
                            format!("HTTP authentication scheme `{other}` is not supported; sending its credential as a bearer token"),
                        );
                        (SecurityKind::Bearer, description)
                    }
                },
                SecurityScheme::OAuth2 { description, .. }
                | SecurityScheme::OpenIDConnect { description, .. } => {
                    (SecurityKind::Bearer, description)
                }
                SecurityScheme::APIKey {
                    location,
                    name: key,
                    description,
                    ..
                } => {
                    let location = match location {
                        APIKeyLocation::Query => ParamLocation::Query,
                        APIKeyLocation::Header => ParamLocation::Header,
                        APIKeyLocation::Cookie => ParamLocation::Cookie,
                    };
                    (
                        SecurityKind::ApiKey {
                            location,
                            name: key.clone(),
                        },
                        description,
                    )
                }
            };
            out.push(Security {
                name: name.clone(),
                setter: format!(
                    "with_{}",
                    scope.claim(&names::snake(name)).trim_start_matches("r#")
                ),
                kind,
                description: description.clone(),
            });
        }
        out
    }

    pub fn build_all(&mut self) {
        let doc = self.doc;
        for (path, item) in &doc.paths.paths {
            let item_pointer = Pointer::root().push("paths").push(path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    // Count the operations we cannot see as unknown: none.
                    self.warn(
                        &item_pointer,
                        format!("path item `$ref: {reference}` could not be resolved; skipped"),
                    );
                    continue;
                }
            };
            // In the order the specification lists the methods.
            for (method, op) in item.iter() {
                self.total += 1;
                let pointer = item_pointer.push(method);
                self.operation(path, method, (&item.parameters, &item_pointer), op, pointer);
            }
        }
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        (path_params, item_pointer): (&[ReferenceOr<Parameter>], &Pointer),
        op: &openapiv3::Operation,
        pointer: Pointer,
    ) {
        let tag = op.tags.first().cloned();
        let raw_name = raw_name(op, method, path);
        let type_base = names::camel(&raw_name);
        let mut params = Vec::new();
        let mut seen = BTreeMap::new();
        // Operation-level parameters override path-level ones with the same name and location.
        let all = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, pointer.push("parameters").push(i)))
            .chain(
                path_params
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, item_pointer.push("parameters").push(i))),
            );
        let mut arg_scope = Scope::with_reserved(&["body", "params", "options", "call", "self_"]);
        let mut field_scope = Scope::new();
        for (param, at) in all {
            let Some((param, at)) = self.resolve_param(param, at) else {
                continue;
            };
            let (location, data, explode, deep_object) = match param {
                Parameter::Path { parameter_data, .. } => {
                    (ParamLocation::Path, parameter_data, false, false)
                }
                Parameter::Query {
                    parameter_data,
                    style,
                    ..
                } => (
                    ParamLocation::Query,
                    parameter_data,
                    parameter_data.explode.unwrap_or(true),
                    matches!(style, openapiv3::QueryStyle::DeepObject),
                ),
                Parameter::Header { parameter_data, .. } => {
                    (ParamLocation::Header, parameter_data, false, false)
                }
                Parameter::Cookie { parameter_data, .. } => (
                    ParamLocation::Cookie,
                    parameter_data,
                    parameter_data.explode.unwrap_or(true),
                    false,
                ),
            };
            let key = (location, data.name.to_ascii_lowercase());
            if seen.insert(key, ()).is_some() {
                continue;
            }
            let hint = format!("{type_base}{}", names::camel(&data.name));
            let default = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => self.types.schema_default(schema),
                ParameterSchemaOrContent::Content(_) => None,
            };
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    self.types.resolve(schema, &hint, &at.push("schema"))
                }
                ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                    Some((
                        media,
                        MediaType {
                            schema: Some(schema),
                            ..
                        },
                    )) => self.types.resolve(
                        schema,
                        &hint,
                        &at.push("content").push(media).push("schema"),
                    ),
                    _ => TypeRef::String,
                },
            };
            let wanted = names::snake(&data.name);
            let ident = if location == ParamLocation::Path {
                arg_scope.claim(&wanted)
            } else {
                field_scope.claim(&wanted)
            };
            params.push(Param {
                wire: data.name.clone(),
                ident,
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                description: data.description.clone(),
                explode,
                deep_object,
                default,
            });
        }
        // Path parameters the template uses but the document never declares still need a value.
        for name in template_names(path) {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire == name)
            {
                self.warn(
                    &pointer,
                    format!("path parameter `{name}` is not declared; taking it as a string"),
                );
                params.push(Param {
                    ident: arg_scope.claim(&names::snake(&name)),
                    wire: name,
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    description: None,
                    explode: false,
                    deep_object: false,
                    default: None,
                });
            }
        }
        let body = op
            .request_body
            .as_ref()
            .and_then(|b| self.body(b, &type_base, pointer.push("requestBody")));
        let (success, errors) =
            self.responses(&op.responses, &type_base, &pointer.push("responses"));
        let auth = self.auth(
            op.security.as_ref().or(self.doc.security.as_ref()),
            &pointer,
        );
        self.drafts.push(Draft {
            op: Operation {
                id: op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| format!("{} {path}", method.to_uppercase())),
                pointer,
                method: method.to_uppercase(),
                path: path.to_owned(),
                fn_name: String::new(),
                fn_with_options: String::new(),
                type_base,
                summary: op.summary.clone(),
                description: op.description.clone(),
                deprecated: op.deprecated,
                params,
                body,
                success,
                errors,
                auth,
                pagination: None,
                server: None,
            },
            tag,
            raw_name,
        });
    }

    fn resolve_param<'p>(
        &mut self,
        param: &'p ReferenceOr<Parameter>,
        at: Pointer,
    ) -> Option<(&'p Parameter, Pointer)>
    where
        'a: 'p,
    {
        match param {
            ReferenceOr::Item(p) => Some((p, at)),
            ReferenceOr::Reference { reference } => {
                let found = component(
                    self.doc.components.as_ref().map(|c| &c.parameters),
                    "#/components/parameters/",
                    reference,
                );
                if found.is_none() {
                    self.warn(
                        &at,
                        format!("parameter `$ref: {reference}` could not be resolved; skipped"),
                    );
                }
                found
            }
        }
    }

    fn body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        type_base: &str,
        pointer: Pointer,
    ) -> Option<Body> {
        let (body, pointer) = match body {
            ReferenceOr::Item(b) => (b, pointer),
            ReferenceOr::Reference { reference } => {
                match component(
                    self.doc.components.as_ref().map(|c| &c.request_bodies),
                    "#/components/requestBodies/",
                    reference,
                ) {
                    Some(found) => found,
                    None => {
                        self.warn(&pointer, format!("request body `$ref: {reference}` could not be resolved; sent without a body"));
                        return None;
                    }
                }
            }
        };
        let (media, content, kind) = pick_media(&body.content, request_kind)?;
        let at = pointer.push("content").push(media).push("schema");
        let hint = format!("{type_base}Request");
        let ty = match (kind, &content.schema) {
            // Raw bodies are rendered from their kind; the schema adds nothing to the Rust type.
            (BodyKind::Bytes | BodyKind::Text, _) => TypeRef::String,
            (_, Some(schema)) => self.types.resolve(schema, &hint, &at),
            (_, None) => TypeRef::Any,
        };
        Some(Body {
            kind,
            content_type: media.to_owned(),
            ty,
            required: body.required,
            description: body.description.clone(),
        })
    }

    fn responses(
        &mut self,
        responses: &openapiv3::Responses,
        type_base: &str,
        pointer: &Pointer,
    ) -> (Vec<ResponseCase>, Vec<ResponseCase>) {
        let mut success = Vec::new();
        let mut errors = Vec::new();
        for (code, response) in &responses.responses {
            let (status, key) = match code {
                StatusCode::Code(n) => (StatusMatch::Code(*n), n.to_string()),
                StatusCode::Range(n) => (StatusMatch::Range(*n), format!("{n}XX")),
            };
            let is_error = match status {
                StatusMatch::Code(n) => n >= 400,
                StatusMatch::Range(n) => n >= 4,
                StatusMatch::Default => true,
            };
            let hint = if is_error {
                format!("{type_base}Error{key}")
            } else {
                format!("{type_base}Response")
            };
            let case = self.response(response, status, &hint, pointer.push(&key));
            if is_error {
                errors.push(case)
            } else {
                success.push(case)
            }
        }
        if let Some(default) = &responses.default {
            let has_success = !success.is_empty();
            let hint = if has_success {
                format!("{type_base}ErrorDefault")
            } else {
                format!("{type_base}Response")
            };
            let case = self.response(
                default,
                StatusMatch::Default,
                &hint,
                pointer.push("default"),
            );
            if has_success {
                errors.push(case)
            } else {
                success.push(case)
            }
        }
        (success, errors)
    }

    fn response(
        &mut self,
        response: &ReferenceOr<Response>,
        status: StatusMatch,
        hint: &str,
        pointer: Pointer,
    ) -> ResponseCase {
        let (response, pointer) = match response {
            ReferenceOr::Item(r) => (r, pointer),
            ReferenceOr::Reference { reference } => {
                match component(
                    self.doc.components.as_ref().map(|c| &c.responses),
                    "#/components/responses/",
                    reference,
                ) {
                    Some(found) => found,
                    None => {
                        self.warn(&pointer, format!("response `$ref: {reference}` could not be resolved; its body is kept as text"));
                        return ResponseCase {
                            status,
                            body: ResponseBody::Text,
                            description: None,
                        };
                    }
                }
            }
        };
        let body = match pick_media(&response.content, response_kind) {
            None => ResponseBody::Empty,
            Some((media, content, kind)) => match (kind, &content.schema) {
                (BodyKind::Json, Some(schema)) => ResponseBody::Json(self.types.resolve(
                    schema,
                    hint,
                    &pointer.push("content").push(media).push("schema"),
                )),
                (BodyKind::Json, None) => ResponseBody::Json(TypeRef::Any),
                (BodyKind::Text, _) => ResponseBody::Text,
                _ => ResponseBody::Bytes,
            },
        };
        ResponseCase {
            status,
            body,
            description: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
        }
    }

    fn auth(&mut self, requirements: Option<&Vec<SecurityRequirement>>, pointer: &Pointer) -> Auth {
        let mut alternatives = Vec::new();
        for requirement in requirements.into_iter().flatten() {
            let mut set = Vec::new();
            for name in requirement.keys() {
                match self.security.iter().position(|s| &s.name == name) {
                    Some(i) => set.push(i),
                    None => self.warn(pointer, format!("security scheme `{name}` is not defined in `#/components/securitySchemes`; ignored")),
                }
            }
            if !set.is_empty() {
                alternatives.push(set);
            }
        }
        Auth { alternatives }
    }

    /// Groups operations by tag, names methods uniquely per group, and lifts headers every
    /// operation requires with the same schema into client configuration.
    pub fn finish(mut self) -> Finished<'a> {
        let client_headers = self.lift_client_headers();
        let mut groups: Vec<Group> = Vec::new();
        let mut group_scope = Scope::with_reserved(CLIENT_METHODS);
        let mut type_scope = Scope::with_reserved(&["Client"]);
        let mut fn_scopes: Vec<Scope> = Vec::new();
        let tag_docs: BTreeMap<&str, Option<String>> = self
            .doc
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t.description.clone()))
            .collect();
        let mut operations = Vec::with_capacity(self.drafts.len());
        for (index, draft) in self.drafts.into_iter().enumerate() {
            let tag = draft.tag.unwrap_or_else(|| "default".to_owned());
            let g = match groups.iter().position(|g| g.tag == tag) {
                Some(g) => g,
                None => {
                    // A module is also a file name and an accessor: never a raw identifier.
                    let module = group_scope.claim(&names::module_name(&tag));
                    groups.push(Group {
                        type_name: type_scope.claim(&names::group_type_name(&module)),
                        module,
                        description: tag_docs.get(tag.as_str()).cloned().flatten(),
                        tag,
                        operations: Vec::new(),
                    });
                    fn_scopes.push(Scope::with_reserved(&["new", "client"]));
                    groups.len() - 1
                }
            };
            let mut op = draft.op;
            let wanted = names::snake(&draft.raw_name);
            op.fn_name = fn_scopes[g].claim(&wanted);
            // `self_` + `_with_options` would read `self__with_options` (not snake case).
            let base = op.fn_name.trim_start_matches("r#").trim_end_matches('_');
            let with = format!("{base}_with_options");
            op.fn_with_options = fn_scopes[g].claim(&with);
            op.pagination = pagination(&op, &self.types.space).map(|mut pagination| {
                let stream = format!("{base}_stream");
                pagination.fn_name = fn_scopes[g].claim(&stream);
                pagination
            });
            op.type_base = names::camel(op.fn_name.trim_start_matches("r#"));
            groups[g].operations.push(index);
            operations.push(op);
        }
        (
            operations,
            groups,
            client_headers,
            self.security,
            self.types,
            self.warnings,
            self.total,
        )
    }

    fn lift_client_headers(&mut self) -> Vec<ClientHeader> {
        let Some(first) = self.drafts.first() else {
            return Vec::new();
        };
        let candidates: Vec<Param> = first
            .op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Header && p.required)
            .cloned()
            .collect();
        let mut lifted = Vec::new();
        let mut scope = Scope::with_reserved(&["server", "http_client", "base_url"]);
        for candidate in candidates {
            let everywhere = self.drafts.iter().all(|d| {
                d.op.params.iter().any(|p| {
                    p.location == ParamLocation::Header
                        && p.required
                        && p.wire.eq_ignore_ascii_case(&candidate.wire)
                        && p.ty == candidate.ty
                })
            });
            if !everywhere {
                continue;
            }
            for draft in &mut self.drafts {
                draft.op.params.retain(|p| {
                    !(p.location == ParamLocation::Header
                        && p.wire.eq_ignore_ascii_case(&candidate.wire))
                });
            }
            let base = candidate
                .wire
                .strip_prefix("X-")
                .or_else(|| candidate.wire.strip_prefix("x-"))
                .unwrap_or(&candidate.wire);
            lifted.push(ClientHeader {
                ident: scope.claim(&names::snake(base)),
                wire: candidate.wire,
                ty: candidate.ty,
                description: candidate.description,
            });
        }
        lifted
    }
}

/// Recognises list operations paged by number (`page`) or offset (`offset`) that return an
/// array, and those paged by cursor that return an object with the items and the next cursor.
fn pagination(op: &Operation, space: &TypeSpace) -> Option<Pagination> {
    let first = op.success.first()?;
    if !op.success.iter().all(|c| c.body == first.body) {
        return None;
    }
    let ResponseBody::Json(body) = &first.body else {
        return None;
    };
    let query = |names: &[&str]| {
        op.params.iter().find(|p| {
            p.location == ParamLocation::Query
                && names.iter().any(|n| p.wire.eq_ignore_ascii_case(n))
        })
    };
    let size = query(&[
        "page_size",
        "per_page",
        "pageSize",
        "perPage",
        "limit",
        "size",
    ]);
    let is_integer = |p: &&Param| matches!(p.ty.non_null(), TypeRef::I32 | TypeRef::I64);
    let (kind, param, item) = match body {
        TypeRef::List(item) => {
            let (kind, param) = match query(&["page"]).filter(is_integer) {
                Some(page) => (PagingKind::Number, page),
                None => (PagingKind::Offset, query(&["offset"]).filter(is_integer)?),
            };
            (kind, param, (**item).clone())
        }
        TypeRef::Named(page) => {
            // A call that also takes a page number or an offset may be paged either way,
            // depending on its arguments: the stream could not tell which the server chose.
            if query(&["page", "offset"]).is_some() {
                return None;
            }
            let (cursor, param, item) = cursor_paging(op, space, *page)?;
            (PagingKind::Cursor(cursor), param, item)
        }
        _ => return None,
    };
    Some(Pagination {
        kind,
        param: param.ident.clone(),
        param_required: param.required && !param.ty.is_nullable(),
        size_param: size.map(|p| p.ident.clone()),
        item,
        fn_name: String::new(),
    })
}

/// Query parameters that carry a cursor (compared by [`plain`]).
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "after",
    "aftercursor",
    "pagecursor",
    "startcursor",
    "pagetoken",
    "nextpagetoken",
    "nexttoken",
    "nextcursor",
    "startingafter",
    "marker",
    "continuation",
    "continuationtoken",
];

/// Response fields that are the next cursor by their name alone, in order of preference.
const NEXT_FIELDS: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "nextmarker",
    "nextpagecursor",
    "nextcontinuationtoken",
    "continuationtoken",
    "cursor",
];

/// Names that are a next *page*, which is as often a URL or a page number as a cursor: a
/// text field so named counts only when its documentation calls it a token, cursor or marker
/// and does not call it a URL or link.
const NEXT_FIELDS_IF_DOCUMENTED: &[&str] = &["nextpage", "next"];

/// Objects of a page that may hold the next cursor.
const CURSOR_CONTAINERS: &[&str] = &[
    "meta",
    "metadata",
    "pagination",
    "paging",
    "pageinfo",
    "responsemetadata",
    "links",
];

/// Array fields that are the items of a page, when a page has several arrays.
const ITEM_FIELDS: &[&str] = &[
    "data", "items", "entries", "results", "records", "values", "elements", "nodes", "objects",
    "list", "rows",
];

/// A name without case, `_`, `-` or other punctuation: `page_token`, `pageToken` → `pagetoken`.
fn plain(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Cursor paging: exactly one cursor query parameter, and a page struct with one list of items
/// and a field holding the next cursor, of a type the parameter can take.
fn cursor_paging<'o>(
    op: &'o Operation,
    space: &TypeSpace,
    page: TypeId,
) -> Option<(CursorPaging, &'o Param, TypeRef)> {
    let mut cursors = op.params.iter().filter(|p| {
        p.location == ParamLocation::Query && CURSOR_PARAMS.contains(&plain(&p.wire).as_str())
    });
    let param = cursors.next()?;
    if cursors.next().is_some() {
        return None;
    }
    let param_ty = param.ty.non_null();
    if !matches!(param_ty, TypeRef::String | TypeRef::I32 | TypeRef::I64) {
        return None;
    }
    let fields = struct_fields(space, page)?;
    let lists: Vec<usize> = fields
        .iter()
        .enumerate()
        // Reading a deprecated field would warn in the generated stream.
        .filter(|(_, f)| !f.deprecated && matches!(f.ty.non_null(), TypeRef::List(_)))
        .map(|(i, _)| i)
        .collect();
    let items = match lists.as_slice() {
        [only] => *only,
        _ => {
            let mut named = lists
                .iter()
                .filter(|&&i| ITEM_FIELDS.contains(&plain(&fields[i].wire).as_str()));
            let first = *named.next()?;
            if named.next().is_some() {
                return None;
            }
            first
        }
    };
    let TypeRef::List(item) = fields.get(items)?.ty.non_null() else {
        return None;
    };
    let (next, next_to_text) = next_cursor(space, page, param_ty)?;
    Some((
        CursorPaging {
            items: (page, items),
            next,
            next_to_text,
        },
        param,
        (**item).clone(),
    ))
}

fn struct_fields(space: &TypeSpace, id: TypeId) -> Option<&[super::types::Field]> {
    match &space.defs.get(id.0)?.kind {
        TypeKind::Struct(s) if !s.multipart => Some(&s.fields),
        _ => None,
    }
}

/// The field holding the next cursor: on the page itself or in one of its pagination objects,
/// the best-named first. Also whether a number must be written out as the text parameter.
fn next_cursor(
    space: &TypeSpace,
    page: TypeId,
    param_ty: &TypeRef,
) -> Option<(Vec<(TypeId, usize)>, bool)> {
    let fields = struct_fields(space, page)?;
    if let Some((i, to_text)) = cursor_field(fields, param_ty, false) {
        return Some((vec![(page, i)], to_text));
    }
    for (i, field) in fields.iter().enumerate() {
        let container = plain(&field.wire);
        if field.deprecated || !CURSOR_CONTAINERS.contains(&container.as_str()) {
            continue;
        }
        let TypeRef::Named(inner) = field.ty.non_null() else {
            continue;
        };
        let Some(inner_fields) = struct_fields(space, *inner) else {
            continue;
        };
        if let Some((j, to_text)) = cursor_field(inner_fields, param_ty, container == "links") {
            return Some((vec![(page, i), (*inner, j)], to_text));
        }
    }
    None
}

/// The best next-cursor field among `fields`, if any has a type the parameter can take. In a
/// `links` object only the explicit names count: a plain `next` there is a URL.
fn cursor_field(
    fields: &[super::types::Field],
    param_ty: &TypeRef,
    in_links: bool,
) -> Option<(usize, bool)> {
    let fits = |field: &super::types::Field| -> Option<bool> {
        match (param_ty, field.ty.non_null()) {
            (wanted, got) if wanted == got => Some(false),
            (TypeRef::String, TypeRef::I32 | TypeRef::I64) => Some(true),
            _ => None,
        }
    };
    for name in NEXT_FIELDS {
        let found = fields
            .iter()
            .enumerate()
            .find(|(_, f)| !f.deprecated && plain(&f.wire) == *name);
        if let Some((i, field)) = found {
            if let Some(to_text) = fits(field) {
                return Some((i, to_text));
            }
        }
    }
    if in_links {
        return None;
    }
    for name in NEXT_FIELDS_IF_DOCUMENTED {
        let found = fields.iter().enumerate().find(|(_, f)| {
            !f.deprecated && plain(&f.wire) == *name && f.ty.non_null() == &TypeRef::String
        });
        if let Some((i, field)) = found {
            if documented_as_cursor(field) && fits(field).is_some() {
                return Some((i, false));
            }
        }
    }
    None
}

fn documented_as_cursor(field: &super::types::Field) -> bool {
    let text = [&field.docs.title, &field.docs.description]
        .into_iter()
        .flatten()
        .map(|t| t.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let says = |words: &[&str]| words.iter().any(|w| text.contains(w));
    says(&["token", "cursor", "marker"]) && !says(&["url", "uri", "link", "href"])
}

/// `{name}` segments of a path template, in order.
pub fn template_names(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    out
}

/// A method name for an operation without `operationId`: method plus the path's words,
/// parameters as `by_x`, e.g. `GET /users/{id}/keys` → `get_users_by_id_keys`.
/// The operation's name before it is made unique: its `operationId` in snake case without a
/// leading tag, or one derived from the method and path. Its camel case starts the names of
/// the operation's inline types.
pub(super) fn raw_name(op: &openapiv3::Operation, method: &str, path: &str) -> String {
    match op
        .operation_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(id) => {
            let snake = names::snake(id);
            let snake = snake.trim_start_matches("r#");
            let tag_prefix = op.tags.first().map(|t| format!("{}_", names::snake(t)));
            match tag_prefix.as_deref().and_then(|p| snake.strip_prefix(p)) {
                Some(rest) if !rest.is_empty() => rest.to_owned(),
                _ => snake.to_owned(),
            }
        }
        None => derive_name(method, path),
    }
}

fn derive_name(method: &str, path: &str) -> String {
    let mut words = vec![method.to_owned()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            words.push(format!("by_{param}"));
        } else {
            words.push(segment.to_owned());
        }
    }
    names::snake(&words.join("_"))
        .trim_start_matches("r#")
        .to_owned()
}

fn is_json(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "text/json"
}

fn request_kind(media: &str) -> Option<(BodyKind, u8)> {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(match essence.as_str() {
        _ if is_json(&essence) => (BodyKind::Json, 0),
        "multipart/form-data" => (BodyKind::Multipart, 1),
        "application/x-www-form-urlencoded" => (BodyKind::Form, 2),
        e if e.starts_with("text/") => (BodyKind::Text, 4),
        _ => (BodyKind::Bytes, 3),
    })
}

fn response_kind(media: &str) -> Option<(BodyKind, u8)> {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(match essence.as_str() {
        _ if is_json(&essence) => (BodyKind::Json, 0),
        e if e.starts_with("text/") => (BodyKind::Text, 1),
        _ => (BodyKind::Bytes, 2),
    })
}

/// The media type to use: the most preferred kind (JSON first), document order among equals.
fn pick_media(
    content: &indexmap::IndexMap<String, MediaType>,
    classify: fn(&str) -> Option<(BodyKind, u8)>,
) -> Option<(&str, &MediaType, BodyKind)> {
    content
        .iter()
        .filter_map(|(media, content)| {
            classify(media).map(|(kind, rank)| (rank, media.as_str(), content, kind))
        })
        .min_by_key(|(rank, ..)| *rank)
        .map(|(_, media, content, kind)| (media, content, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_read_like_the_path() {
        assert_eq!(
            derive_name("get", "/users/{id}/keys"),
            "get_users_by_id_keys"
        );
        assert_eq!(derive_name("post", "/"), "post");
    }

    #[test]
    fn template_names_in_order() {
        assert_eq!(template_names("/a/{x}/b/{y}"), ["x", "y"]);
        assert!(template_names("/a/{unclosed").is_empty());
    }

    #[test]
    fn group_accessors_never_take_a_client_method_name() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://a.example'}]\npaths:\n  /a:\n    get: {operationId: a, tags: [send], responses: {'204': {description: ok}}}\n  /b:\n    get: {operationId: b, tags: [operation_url], servers: [{url: 'https://b.example'}], responses: {'204': {description: ok}}}\n";
        let source = crate::Source {
            name: "t.yaml",
            text: spec,
        };
        let generation = crate::generate(source, &crate::Config::new("t"))
            .unwrap_or_else(|failure| panic!("{failure}"));
        let client = &generation.files["src/client.rs"];
        assert!(client.contains("pub fn send2(&self)"), "{client}");
        assert!(client.contains("pub fn operation_url2(&self)"), "{client}");
    }

    /// Found by the external sweep (twinehealth.com): a group named `Result` shadowed the
    /// `Result` its own methods return.
    #[test]
    fn group_types_never_shadow_the_prelude() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {operationId: a, tags: [result], responses: {'204': {description: ok}}}\n  /b:\n    get: {operationId: b, tags: [Option], responses: {'204': {description: ok}}}\n";
        let source = crate::Source {
            name: "t.yaml",
            text: spec,
        };
        let generation = crate::generate(source, &crate::Config::new("t"))
            .unwrap_or_else(|failure| panic!("{failure}"));
        let result = &generation.files["src/apis/result.rs"];
        assert!(result.contains("pub struct ResultApi<'a>"), "{result}");
        assert!(
            result.contains(") -> Result<(), crate::Error<()>>"),
            "{result}"
        );
        let client = &generation.files["src/client.rs"];
        assert!(
            client.contains("pub fn option(&self) -> crate::apis::option::OptionApi<'_>"),
            "{client}"
        );
    }

    #[test]
    fn json_media_types() {
        assert!(is_json("application/problem+json"));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(!is_json("application/xml"));
    }
}
