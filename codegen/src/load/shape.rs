//! The shape of an OpenAPI 3.0 document: which kind of object sits under which key.
//!
//! The repair pass needs it to know that `required` under a schema is a list of names while
//! `required` under a parameter is a boolean, that `properties` maps names to schemas (so a
//! property called `$ref` is not a reference), and where `$ref` may appear at all. The typed
//! stage uses the same table to narrow a deserialisation error down to the deepest failing
//! object. Extension (`x-`) values, examples and defaults are opaque: never walked.

use serde_json::Value;

/// The maps of `components`, by their keys in the document (its only fields).
pub(super) const COMPONENT_MAPS: [&str; 9] = [
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];

/// A kind of object in an OpenAPI 3.0 document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    Document,
    Info,
    Server,
    Tag,
    ExternalDocs,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Encoding,
    Header,
    Schema,
    Callback,
    Components,
    SecurityScheme,
    SecurityRequirement,
    Link,
    Example,
}

/// What the model does with a `$ref` in place of an object of some kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RefUse {
    /// The model holds the reference (`ReferenceOr<T>`); the generator resolves it.
    Keep,
    /// The model cannot hold a reference here (or skips it, as `OpenAPI::operations` does for
    /// path items), so the loader copies the target in. `allowed` tells whether OpenAPI 3.0
    /// allows the `$ref` at all (it does for path items and callbacks).
    Inline { allowed: bool },
}

/// The objects under one key of an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Child {
    /// The value itself.
    One(Kind),
    /// Every value of a map.
    Map(Kind),
    /// Every element of a list.
    List(Kind),
}

impl Child {
    /// Pushes the nodes this shape finds in `value` (at `at`), in order, onto `nodes`, leaving
    /// out the first `skip` items of a list. A map or list of the wrong type holds none (the
    /// typed stage reports it).
    pub(super) fn push_nodes<'v>(
        self,
        at: crate::Pointer,
        value: &'v mut Value,
        skip: usize,
        nodes: &mut Vec<(Kind, crate::Pointer, &'v mut Value)>,
    ) {
        match (self, value) {
            (Child::One(kind), value) => nodes.push((kind, at, value)),
            (Child::Map(kind), Value::Object(map)) => {
                for (name, child) in map.iter_mut() {
                    nodes.push((kind, at.push(name), child));
                }
            }
            (Child::List(kind), Value::Array(items)) => {
                for (index, child) in items.iter_mut().enumerate().skip(skip) {
                    nodes.push((kind, at.push(index), child));
                }
            }
            _ => {}
        }
    }
}

impl Kind {
    /// The name of the kind in messages, in the specification's words.
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Info => "info object",
            Kind::Server => "server",
            Kind::Tag => "tag",
            Kind::ExternalDocs => "external documentation object",
            Kind::Paths => "paths object",
            Kind::PathItem => "path item",
            Kind::Operation => "operation",
            Kind::Parameter => "parameter",
            Kind::RequestBody => "request body",
            Kind::Responses => "responses object",
            Kind::Response => "response",
            Kind::MediaType => "media type object",
            Kind::Encoding => "encoding object",
            Kind::Header => "header",
            Kind::Schema => "schema",
            Kind::Callback => "callback",
            Kind::Components => "components object",
            Kind::SecurityScheme => "security scheme",
            Kind::SecurityRequirement => "security requirement",
            Kind::Link => "link",
            Kind::Example => "example",
        }
    }

    /// The fields OpenAPI 3.0 defines for this kind of object, or `None` for the kinds whose
    /// keys are names (paths, status codes, expressions, schemes).
    pub(super) fn fields(self) -> Option<&'static [&'static str]> {
        let fields: &'static [&'static str] = match self {
            Kind::Document => &[
                "openapi",
                "info",
                "servers",
                "paths",
                "components",
                "security",
                "tags",
                "externalDocs",
            ],
            Kind::Info => &[
                "title",
                "description",
                "termsOfService",
                "contact",
                "license",
                "version",
            ],
            Kind::Server => &["url", "description", "variables"],
            Kind::Tag => &["name", "description", "externalDocs"],
            Kind::ExternalDocs => &["description", "url"],
            Kind::PathItem => &[
                "$ref",
                "summary",
                "description",
                "get",
                "put",
                "post",
                "delete",
                "options",
                "head",
                "patch",
                "trace",
                "servers",
                "parameters",
            ],
            Kind::Operation => &[
                "tags",
                "summary",
                "description",
                "externalDocs",
                "operationId",
                "parameters",
                "requestBody",
                "responses",
                "callbacks",
                "deprecated",
                "security",
                "servers",
            ],
            Kind::Parameter => &[
                "name",
                "in",
                "description",
                "required",
                "deprecated",
                "allowEmptyValue",
                "style",
                "explode",
                "allowReserved",
                "schema",
                "example",
                "examples",
                "content",
            ],
            Kind::Header => &[
                "description",
                "required",
                "deprecated",
                "allowEmptyValue",
                "style",
                "explode",
                "allowReserved",
                "schema",
                "example",
                "examples",
                "content",
            ],
            Kind::RequestBody => &["description", "content", "required"],
            Kind::Response => &["description", "headers", "content", "links"],
            Kind::MediaType => &["schema", "example", "examples", "encoding"],
            Kind::Encoding => &[
                "contentType",
                "headers",
                "style",
                "explode",
                "allowReserved",
            ],
            Kind::Components => &COMPONENT_MAPS,
            Kind::SecurityScheme => &[
                "type",
                "description",
                "name",
                "in",
                "scheme",
                "bearerFormat",
                "flows",
                "openIdConnectUrl",
            ],
            Kind::Link => &[
                "operationRef",
                "operationId",
                "parameters",
                "requestBody",
                "description",
                "server",
            ],
            Kind::Example => &["summary", "description", "value", "externalValue"],
            Kind::Schema => &[
                "title",
                "multipleOf",
                "maximum",
                "exclusiveMaximum",
                "minimum",
                "exclusiveMinimum",
                "maxLength",
                "minLength",
                "pattern",
                "maxItems",
                "minItems",
                "uniqueItems",
                "maxProperties",
                "minProperties",
                "required",
                "enum",
                "type",
                "allOf",
                "oneOf",
                "anyOf",
                "not",
                "items",
                "properties",
                "additionalProperties",
                "description",
                "format",
                "default",
                "nullable",
                "discriminator",
                "readOnly",
                "writeOnly",
                "xml",
                "externalDocs",
                "example",
                "deprecated",
            ],
            Kind::Paths | Kind::Responses | Kind::Callback | Kind::SecurityRequirement => {
                return None
            }
        };
        Some(fields)
    }

    pub(super) fn ref_use(self) -> RefUse {
        match self {
            Kind::Parameter
            | Kind::RequestBody
            | Kind::Response
            | Kind::Header
            | Kind::Schema
            | Kind::SecurityScheme
            | Kind::Link
            | Kind::Example => RefUse::Keep,
            Kind::PathItem | Kind::Callback => RefUse::Inline { allowed: true },
            _ => RefUse::Inline { allowed: false },
        }
    }

    /// The name with its indefinite article: "an operation", "a schema".
    pub(super) fn a_name(self) -> String {
        let name = self.name();
        let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {name}")
    }

    /// The objects under `key` in an object of this kind; `value` is the value under `key`
    /// (`additionalProperties` is a schema only when it is not a boolean).
    pub(super) fn child(self, key: &str, value: &Value) -> Option<Child> {
        use Child::{List, Map, One};
        let child = match (self, key) {
            (Kind::Document, "info") => One(Kind::Info),
            (Kind::Document, "servers") => List(Kind::Server),
            (Kind::Document, "paths") => One(Kind::Paths),
            (Kind::Document, "components") => One(Kind::Components),
            (Kind::Document, "tags") => List(Kind::Tag),
            (Kind::Document, "externalDocs") => One(Kind::ExternalDocs),
            (Kind::Document, "security") => List(Kind::SecurityRequirement),
            (Kind::Tag, "externalDocs") => One(Kind::ExternalDocs),
            (Kind::Paths, path) if path.starts_with('/') => One(Kind::PathItem),
            (Kind::PathItem, method) if is_method(method) => One(Kind::Operation),
            (Kind::PathItem, "parameters") => List(Kind::Parameter),
            (Kind::PathItem, "servers") => List(Kind::Server),
            (Kind::Operation, "parameters") => List(Kind::Parameter),
            (Kind::Operation, "requestBody") => One(Kind::RequestBody),
            (Kind::Operation, "responses") => One(Kind::Responses),
            (Kind::Operation, "callbacks") => Map(Kind::Callback),
            (Kind::Operation, "servers") => List(Kind::Server),
            (Kind::Operation, "externalDocs") => One(Kind::ExternalDocs),
            (Kind::Operation, "security") => List(Kind::SecurityRequirement),
            // The model's callback is a plain map of expressions to path items.
            (Kind::Callback, _) => One(Kind::PathItem),
            (Kind::Responses, code) if code == "default" || is_status_code(code) => {
                One(Kind::Response)
            }
            (Kind::Response, "headers") => Map(Kind::Header),
            (Kind::Response, "content") => Map(Kind::MediaType),
            (Kind::Response, "links") => Map(Kind::Link),
            (Kind::MediaType, "schema") => One(Kind::Schema),
            (Kind::MediaType, "examples") => Map(Kind::Example),
            (Kind::MediaType, "encoding") => Map(Kind::Encoding),
            (Kind::Encoding, "headers") => Map(Kind::Header),
            (Kind::Parameter | Kind::Header, "schema") => One(Kind::Schema),
            (Kind::Parameter | Kind::Header, "content") => Map(Kind::MediaType),
            (Kind::Parameter | Kind::Header, "examples") => Map(Kind::Example),
            (Kind::RequestBody, "content") => Map(Kind::MediaType),
            (Kind::Components, "schemas") => Map(Kind::Schema),
            (Kind::Components, "responses") => Map(Kind::Response),
            (Kind::Components, "parameters") => Map(Kind::Parameter),
            (Kind::Components, "examples") => Map(Kind::Example),
            (Kind::Components, "requestBodies") => Map(Kind::RequestBody),
            (Kind::Components, "headers") => Map(Kind::Header),
            (Kind::Components, "securitySchemes") => Map(Kind::SecurityScheme),
            (Kind::Components, "links") => Map(Kind::Link),
            (Kind::Components, "callbacks") => Map(Kind::Callback),
            (Kind::Schema, "properties") => Map(Kind::Schema),
            (Kind::Schema, "items" | "not") => One(Kind::Schema),
            (Kind::Schema, "additionalProperties") if !value.is_boolean() => One(Kind::Schema),
            (Kind::Schema, "allOf" | "oneOf" | "anyOf") => List(Kind::Schema),
            (Kind::Schema, "externalDocs") => One(Kind::ExternalDocs),
            _ => return None,
        };
        Some(child)
    }
}

/// The kind of the node at `pointer` (canonical, as [`refs::resolve`](super::refs::resolve)
/// returns it), or `None` where the document's structure does not say (under extensions,
/// inside examples).
pub(super) fn kind_at(root: &Value, pointer: &crate::Pointer) -> Option<Kind> {
    let mut kind = Kind::Document;
    let mut node = root;
    // Inside a map or list of objects: the next segment picks one of this kind.
    let mut element: Option<Kind> = None;
    for segment in pointer.segments() {
        let child = match node {
            Value::Object(map) => map.get(&segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
        match element.take() {
            Some(k) => kind = k,
            None => match kind.child(&segment, child)? {
                Child::One(k) => kind = k,
                Child::Map(k) | Child::List(k) => element = Some(k),
            },
        }
        node = child;
    }
    match element {
        Some(_) => None,
        None => Some(kind),
    }
}

pub(super) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn is_method(key: &str) -> bool {
    METHODS.contains(&key)
}

/// A key the model reads as a status code: `100`–`999`, or a range `1XX`–`5XX` (any case).
pub(super) fn is_status_code(key: &str) -> bool {
    match key.as_bytes() {
        [a, b, c] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() => *a != b'0',
        [a, b'X' | b'x', b'X' | b'x'] => a.is_ascii_digit(),
        _ => false,
    }
}
