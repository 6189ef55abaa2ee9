//! Swagger 2.0 → OpenAPI 3.0.
//!
//! - `definitions`, `parameters`, `responses`, `securityDefinitions` move under
//!   `components` (and every `$ref` into them follows);
//! - a `body` parameter becomes the operation's `requestBody`, with a media type for each of
//!   its `consumes` (the operation's, else the document's, else `application/json`);
//!   `formData` parameters become one object schema in a form `requestBody`
//!   (`multipart/form-data` when a parameter is a file or `consumes` says so, else
//!   `application/x-www-form-urlencoded`);
//! - other parameters and headers get a `schema` of their type keywords, and
//!   `collectionFormat` becomes `style`/`explode`;
//! - a response's `schema` becomes its `content`, keyed by `produces`;
//! - `host`, `basePath` and `schemes` become `servers`;
//! - schemas: `type: file` → `type: string, format: binary`, `x-nullable` → `nullable`, a
//!   `discriminator` property name → a discriminator object.
//!
//! Every moved subtree is recorded in the [`PointerMap`], so diagnostics point at the
//! Swagger document.

use serde_json::{Map, Value};

use super::super::log::Log;
use super::super::schema;
use super::super::shape::{Kind, METHODS};
use super::{for_each_schema, rewrite_refs, PointerMap, TARGET_VERSION};
use crate::{Diagnostic, Pointer};

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// The keywords of a non-body parameter (or header, or items object) that describe its
/// values: they move into its `schema`.
const SCHEMA_KEYWORDS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
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
    "enum",
    "multipleOf",
    "x-nullable",
];

pub(super) fn normalise(root: &mut Map<String, Value>, log: &mut Log, origins: &mut PointerMap) {
    let old = std::mem::take(root);
    let media = |key: &str| -> Vec<String> {
        match old.get(key) {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(one)) => vec![one.clone()],
            _ => Vec::new(),
        }
    };
    let global_params = match old.get("parameters") {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    };
    let mut convert = Convert {
        log,
        origins,
        consumes: media("consumes"),
        produces: media("produces"),
        global_params,
    };
    let mut out = Map::new();
    out.insert(
        String::from("openapi"),
        Value::String(TARGET_VERSION.to_owned()),
    );
    convert.origins.record("#/openapi", "#/swagger");
    if let Some(info) = old.get("info") {
        out.insert(String::from("info"), info.clone());
    }
    if let Some(servers) = convert.servers(&old) {
        out.insert(String::from("servers"), servers);
    }
    let mut components = Map::new();
    let mut rest = Map::new();
    for (key, value) in old {
        match key.as_str() {
            "swagger" | "info" | "host" | "basePath" | "schemes" | "consumes" | "produces" => {}
            "paths" => {
                let paths = match value {
                    Value::Object(paths) => Value::Object(convert.paths(paths)),
                    other => other,
                };
                out.insert(key, paths);
            }
            "definitions" => {
                convert
                    .origins
                    .record("#/components/schemas", "#/definitions");
                components.insert(String::from("schemas"), value);
            }
            "parameters" => {
                if let Value::Object(params) = value {
                    let converted = convert.global_parameters(params);
                    if !converted.is_empty() {
                        convert
                            .origins
                            .record("#/components/parameters", "#/parameters");
                        components.insert(String::from("parameters"), Value::Object(converted));
                    }
                }
            }
            "responses" => {
                convert
                    .origins
                    .record("#/components/responses", "#/responses");
                let at = Pointer::root().push("components").push("responses");
                let produces = convert.produces.clone();
                let converted = match value {
                    Value::Object(map) => Value::Object(
                        map.into_iter()
                            .map(|(code, r)| {
                                let r = convert.response(r, &at.push(&code), &produces);
                                (code, r)
                            })
                            .collect(),
                    ),
                    other => other,
                };
                components.insert(String::from("responses"), converted);
            }
            "securityDefinitions" => {
                convert
                    .origins
                    .record("#/components/securitySchemes", "#/securityDefinitions");
                let converted = match value {
                    Value::Object(map) => Value::Object(
                        map.into_iter()
                            .map(|(name, scheme)| (name, security_scheme(scheme)))
                            .collect(),
                    ),
                    other => other,
                };
                components.insert(String::from("securitySchemes"), converted);
            }
            _ => {
                rest.insert(key, value);
            }
        }
    }
    if !out.contains_key("paths") {
        out.insert(String::from("paths"), Value::Object(Map::new()));
    }
    if !components.is_empty() {
        out.insert(String::from("components"), Value::Object(components));
    }
    out.extend(rest);
    let mut value = Value::Object(out);
    let prefixes: Vec<(String, String)> = [
        ("#/definitions", "#/components/schemas"),
        ("#/parameters", "#/components/parameters"),
        ("#/responses", "#/components/responses"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    rewrite_refs(&mut value, &prefixes);
    let file = convert.log.file().to_owned();
    for_each_schema(Kind::Document, Pointer::root(), &mut value, &mut |s, at| {
        rewrite_schema(s, at, &file);
    });
    if let Value::Object(object) = value {
        *root = object;
    }
}

struct Convert<'a> {
    log: &'a mut Log,
    origins: &'a mut PointerMap,
    consumes: Vec<String>,
    produces: Vec<String>,
    /// The document's `parameters`, as written.
    global_params: Map<String, Value>,
}

/// A parameter as an operation lists it: where it is listed, where its definition is
/// written (the same place, or `#/parameters/X` for a reference), and the definition.
struct Param {
    site: Pointer,
    written: Pointer,
    /// The `$ref` as written, for a reference to a non-body global parameter.
    reference: Option<Value>,
    definition: Map<String, Value>,
}

impl Param {
    fn location(&self) -> &str {
        self.definition
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    fn name(&self) -> &str {
        self.definition
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    fn is_body(&self) -> bool {
        matches!(self.location(), "body" | "formData")
    }
}

impl Convert<'_> {
    fn warn(&mut self, at: &Pointer, message: impl Into<String>) {
        let d = Diagnostic::warning(self.log.file(), at.as_str(), message);
        self.log.push(d);
    }

    /// `host` + `basePath` + `schemes` → `servers`.
    fn servers(&mut self, old: &Map<String, Value>) -> Option<Value> {
        let host = old.get("host").and_then(Value::as_str);
        let base = old.get("basePath").and_then(Value::as_str).unwrap_or("");
        let written = ["host", "basePath", "schemes"]
            .into_iter()
            .find(|k| old.contains_key(*k))?;
        self.origins
            .record("#/servers", Pointer::root().push(written).to_string());
        let mut schemes: Vec<&str> = match old.get("schemes") {
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        // A client has no use for a WebSocket scheme; `https` first, as the better default.
        schemes.retain(|s| matches!(*s, "http" | "https"));
        schemes.sort_by_key(|s| *s != "https");
        if schemes.is_empty() {
            schemes.push("https");
        }
        let base = if base.is_empty() || base.starts_with('/') {
            base.to_owned()
        } else {
            format!("/{base}")
        };
        let urls: Vec<String> = match host {
            Some(host) => schemes
                .iter()
                .map(|scheme| format!("{scheme}://{host}{base}"))
                .collect(),
            None if base.is_empty() => vec![String::from("/")],
            None => vec![base],
        };
        let servers = urls
            .into_iter()
            .map(|url| {
                let mut server = Map::new();
                server.insert(String::from("url"), Value::String(url));
                Value::Object(server)
            })
            .collect();
        Some(Value::Array(servers))
    }

    /// The document's `parameters`, but for body and form ones (those become request bodies
    /// where they are used).
    fn global_parameters(&mut self, params: Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        for (name, param) in params {
            let Value::Object(param) = param else {
                out.insert(name, param);
                continue;
            };
            if matches!(
                param.get("in").and_then(Value::as_str),
                Some("body" | "formData")
            ) {
                continue;
            }
            let new = Pointer::root()
                .push("components")
                .push("parameters")
                .push(&name);
            let written = Pointer::root().push("parameters").push(&name);
            let converted = self.parameter(param, &written);
            self.origins
                .record(new.push("schema").to_string(), written.to_string());
            out.insert(name, Value::Object(converted));
        }
        out
    }

    fn paths(&mut self, paths: Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        for (path, item) in paths {
            let Value::Object(item) = item else {
                out.insert(path, item);
                continue;
            };
            let at = Pointer::root().push("paths").push(&path);
            let shared = self.listed(item.get("parameters"), &at.push("parameters"));
            let mut new_item = Map::new();
            for (key, value) in item {
                match (key.as_str(), value) {
                    ("parameters", Value::Array(_)) => {
                        let kept: Vec<&Param> = shared.iter().filter(|p| !p.is_body()).collect();
                        let list = self.plain_parameters(&kept, &at.push("parameters"));
                        new_item.insert(key, Value::Array(list));
                    }
                    (method, Value::Object(op)) if METHODS.contains(&method) => {
                        let op = self.operation(op, &at.push(method), &shared);
                        new_item.insert(key, Value::Object(op));
                    }
                    (_, value) => {
                        new_item.insert(key, value);
                    }
                }
            }
            out.insert(path, Value::Object(new_item));
        }
        out
    }

    /// The parameters of a `parameters` list, references to global ones followed.
    fn listed(&self, list: Option<&Value>, at: &Pointer) -> Vec<Param> {
        let Some(Value::Array(list)) = list else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (index, param) in list.iter().enumerate() {
            let site = at.push(index);
            let Value::Object(param) = param else {
                continue;
            };
            let target = param
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/parameters/"))
                .map(|name| name.replace("~1", "/").replace("~0", "~"));
            match target.and_then(|name| Some((self.global_params.get(&name)?, name))) {
                Some((Value::Object(definition), name)) => out.push(Param {
                    written: Pointer::root().push("parameters").push(name),
                    site,
                    reference: Some(Value::Object(param.clone())),
                    definition: definition.clone(),
                }),
                _ => out.push(Param {
                    written: site.clone(),
                    site,
                    reference: param
                        .contains_key("$ref")
                        .then(|| Value::Object(param.clone())),
                    definition: param.clone(),
                }),
            }
        }
        out
    }

    /// Non-body parameters, converted (references kept as references), at `at`.
    fn plain_parameters(&mut self, params: &[&Param], at: &Pointer) -> Vec<Value> {
        let mut list = Vec::new();
        for (index, param) in params.iter().enumerate() {
            let new = at.push(index);
            self.origins.record(new.to_string(), param.site.to_string());
            match &param.reference {
                Some(reference) => list.push(reference.clone()),
                None => {
                    let converted = self.parameter(param.definition.clone(), &param.written);
                    self.origins
                        .record(new.push("schema").to_string(), param.written.to_string());
                    list.push(Value::Object(converted));
                }
            }
        }
        list
    }

    fn operation(
        &mut self,
        op: Map<String, Value>,
        at: &Pointer,
        shared: &[Param],
    ) -> Map<String, Value> {
        let list_of = |key: &str, fallback: &[String]| -> Vec<String> {
            let own: Vec<String> = match op.get(key) {
                Some(Value::Array(list)) => list
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                _ => Vec::new(),
            };
            match (own.is_empty(), fallback.is_empty()) {
                (false, _) => own,
                (true, false) => fallback.to_vec(),
                (true, true) => vec![JSON.to_owned()],
            }
        };
        let consumes = list_of("consumes", &self.consumes);
        let produces = list_of("produces", &self.produces);
        let own = self.listed(op.get("parameters"), &at.push("parameters"));
        // Path-level body and form parameters apply unless the operation redefines them.
        let inherited = shared.iter().filter(|p| {
            p.is_body()
                && !own
                    .iter()
                    .any(|o| o.name() == p.name() && o.location() == p.location())
        });
        let bodies: Vec<&Param> = own
            .iter()
            .chain(inherited)
            .filter(|p| p.is_body())
            .collect();
        let plain: Vec<&Param> = own.iter().filter(|p| !p.is_body()).collect();
        let mut out = Map::new();
        for (key, value) in op.clone() {
            match key.as_str() {
                "consumes" | "produces" | "schemes" => {}
                "parameters" => {
                    let list = self.plain_parameters(&plain, &at.push("parameters"));
                    if !list.is_empty() {
                        out.insert(key, Value::Array(list));
                    }
                    if let Some(body) = self.request_body(&bodies, &consumes, at) {
                        out.insert(String::from("requestBody"), body);
                    }
                }
                "responses" => {
                    let at = at.push("responses");
                    let converted = match value {
                        Value::Object(map) => Value::Object(
                            map.into_iter()
                                .map(|(code, r)| {
                                    let r = self.response(r, &at.push(&code), &produces);
                                    (code, r)
                                })
                                .collect(),
                        ),
                        other => other,
                    };
                    out.insert(key, converted);
                }
                _ => {
                    out.insert(key, value);
                }
            }
        }
        if !op.contains_key("parameters") {
            if let Some(body) = self.request_body(&bodies, &consumes, at) {
                out.insert(String::from("requestBody"), body);
            }
        }
        out
    }

    /// The request body of an operation, from its body or form parameters.
    fn request_body(
        &mut self,
        params: &[&Param],
        consumes: &[String],
        at: &Pointer,
    ) -> Option<Value> {
        let first = params.first()?;
        let new = at.push("requestBody");
        self.origins.record(new.to_string(), first.site.to_string());
        let mut body = Map::new();
        let bodies: Vec<&&Param> = params.iter().filter(|p| p.location() == "body").collect();
        let forms: Vec<&&Param> = params
            .iter()
            .filter(|p| p.location() == "formData")
            .collect();
        if let Some(param) = bodies.first() {
            if bodies.len() > 1 || !forms.is_empty() {
                let extra = params
                    .iter()
                    .find(|p| p.site != param.site)
                    .unwrap_or(param);
                self.warn(
                    &extra.site,
                    "an operation has one request body; only its first `in: body` parameter \
                     is used (form parameters are ignored beside it)",
                );
            }
            let d = &param.definition;
            if let Some(description) = d.get("description") {
                body.insert(String::from("description"), description.clone());
            }
            if let Some(required) = d.get("required") {
                body.insert(String::from("required"), required.clone());
            }
            let schema = d
                .get("schema")
                .cloned()
                .unwrap_or(Value::Object(Map::new()));
            let mut content = Map::new();
            for media in consumes {
                let here = new.push("content").push(media).push("schema");
                self.origins
                    .record(here.to_string(), param.written.push("schema").to_string());
                let mut media_type = Map::new();
                media_type.insert(String::from("schema"), schema.clone());
                content.insert(media.clone(), Value::Object(media_type));
            }
            body.insert(String::from("content"), Value::Object(content));
            return Some(Value::Object(body));
        }
        let multipart = consumes.iter().any(|c| c.starts_with(MULTIPART))
            || forms
                .iter()
                .any(|p| p.definition.get("type").and_then(Value::as_str) == Some("file"));
        let media = if multipart {
            consumes
                .iter()
                .find(|c| c.starts_with(MULTIPART))
                .cloned()
                .unwrap_or_else(|| MULTIPART.to_owned())
        } else {
            consumes
                .iter()
                .find(|c| c.starts_with(FORM))
                .cloned()
                .unwrap_or_else(|| FORM.to_owned())
        };
        let schema_at = new.push("content").push(&media).push("schema");
        let mut properties = Map::new();
        let mut required = Vec::new();
        for param in &forms {
            let name = param.name().to_owned();
            let mut property = param_schema(&param.definition);
            if let Some(description) = param.definition.get("description") {
                property.insert(String::from("description"), description.clone());
            }
            if param.definition.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::String(name.clone()));
            }
            self.origins.record(
                schema_at.push("properties").push(&name).to_string(),
                param.written.to_string(),
            );
            properties.insert(name, Value::Object(property));
        }
        let mut schema = Map::new();
        schema.insert(String::from("type"), Value::String(String::from("object")));
        schema.insert(String::from("properties"), Value::Object(properties));
        if !required.is_empty() {
            schema.insert(String::from("required"), Value::Array(required));
            body.insert(String::from("required"), Value::Bool(true));
        }
        let mut media_type = Map::new();
        media_type.insert(String::from("schema"), Value::Object(schema));
        let mut content = Map::new();
        content.insert(media, Value::Object(media_type));
        body.insert(String::from("content"), Value::Object(content));
        Some(Value::Object(body))
    }

    /// A non-body parameter: its type keywords move into `schema`, `collectionFormat`
    /// becomes `style` and `explode`.
    fn parameter(&mut self, param: Map<String, Value>, written: &Pointer) -> Map<String, Value> {
        if param.contains_key("$ref") {
            return param;
        }
        let location = param
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let schema = param_schema(&param);
        let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
        let mut out = Map::new();
        for (key, value) in &param {
            if SCHEMA_KEYWORDS.contains(&key.as_str()) || key == "collectionFormat" {
                continue;
            }
            if key == "x-example" {
                out.insert(String::from("example"), value.clone());
                continue;
            }
            if key == "allowEmptyValue" && location != "query" {
                continue;
            }
            out.insert(key.clone(), value.clone());
        }
        if is_array {
            let format = param
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            let style = match (format, location.as_str()) {
                // The 3.0 defaults for paths and headers (`simple`) are `csv`.
                ("csv", "path" | "header") => None,
                ("csv", _) => Some(("form", false)),
                ("multi", "query" | "formData") => Some(("form", true)),
                ("ssv", "query") => Some(("spaceDelimited", false)),
                ("pipes", "query") => Some(("pipeDelimited", false)),
                _ => {
                    self.warn(
                        &written.push("collectionFormat"),
                        format!(
                            "`collectionFormat: {format}` has no OpenAPI 3.0 equivalent for \
                             `in: {location}`; the values are sent comma-separated"
                        ),
                    );
                    (location == "query").then_some(("form", false))
                }
            };
            if let Some((style, explode)) = style {
                out.insert(String::from("style"), Value::String(style.to_owned()));
                out.insert(String::from("explode"), Value::Bool(explode));
            }
        }
        out.insert(String::from("schema"), Value::Object(schema));
        out
    }

    /// A response: `schema` → `content` keyed by `produces`; headers get schemas.
    fn response(&mut self, response: Value, at: &Pointer, produces: &[String]) -> Value {
        let Value::Object(response) = response else {
            return response;
        };
        if response.contains_key("$ref") {
            return Value::Object(response);
        }
        let examples = match response.get("examples") {
            Some(Value::Object(examples)) => examples.clone(),
            _ => Map::new(),
        };
        let mut out = Map::new();
        for (key, value) in response {
            match (key.as_str(), value) {
                ("examples", _) => {}
                ("schema", schema) => {
                    let mut content = Map::new();
                    for media in produces {
                        let here = at.push("content").push(media).push("schema");
                        self.origins
                            .record(here.to_string(), at.push("schema").to_string());
                        let mut media_type = Map::new();
                        media_type.insert(String::from("schema"), schema.clone());
                        if let Some(example) = examples.get(media) {
                            media_type.insert(String::from("example"), example.clone());
                        }
                        content.insert(media.clone(), Value::Object(media_type));
                    }
                    out.insert(String::from("content"), Value::Object(content));
                }
                ("headers", Value::Object(headers)) => {
                    let mut converted = Map::new();
                    for (name, header) in headers {
                        let header = match header {
                            Value::Object(h) if !h.contains_key("$ref") => {
                                let here = at.push("headers").push(&name);
                                self.origins
                                    .record(here.push("schema").to_string(), here.to_string());
                                let mut new = Map::new();
                                for (k, v) in &h {
                                    if !SCHEMA_KEYWORDS.contains(&k.as_str())
                                        && k != "collectionFormat"
                                    {
                                        new.insert(k.clone(), v.clone());
                                    }
                                }
                                new.insert(String::from("schema"), Value::Object(param_schema(&h)));
                                Value::Object(new)
                            }
                            other => other,
                        };
                        converted.insert(name, header);
                    }
                    out.insert(key, Value::Object(converted));
                }
                (_, value) => {
                    out.insert(key, value);
                }
            }
        }
        Value::Object(out)
    }
}

/// The schema of a non-body parameter, header or items object: its type keywords.
fn param_schema(param: &Map<String, Value>) -> Map<String, Value> {
    let mut schema = Map::new();
    for key in SCHEMA_KEYWORDS {
        let Some(value) = param.get(key) else {
            continue;
        };
        let value = match (key, value) {
            ("items", Value::Object(items)) => Value::Object(param_schema(items)),
            ("x-nullable", value) => {
                schema.insert(String::from("nullable"), value.clone());
                continue;
            }
            (_, value) => value.clone(),
        };
        schema.insert(key.to_owned(), value);
    }
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert(String::from("type"), Value::String(String::from("string")));
        schema.insert(
            String::from("format"),
            Value::String(String::from("binary")),
        );
    }
    schema
}

/// A security definition → a security scheme.
fn security_scheme(scheme: Value) -> Value {
    let Value::Object(scheme) = scheme else {
        return scheme;
    };
    let typ = scheme
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut out = Map::new();
    match typ.as_str() {
        "basic" => {
            out.insert(String::from("type"), Value::String(String::from("http")));
            out.insert(String::from("scheme"), Value::String(String::from("basic")));
        }
        "oauth2" => {
            out.insert(String::from("type"), Value::String(typ.clone()));
            let flow = scheme
                .get("flow")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let (name, fields): (&str, &[&str]) = match flow {
                "implicit" => ("implicit", &["authorizationUrl"]),
                "password" => ("password", &["tokenUrl"]),
                "application" => ("clientCredentials", &["tokenUrl"]),
                _ => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
            };
            let mut flow = Map::new();
            for field in fields {
                if let Some(v) = scheme.get(*field) {
                    flow.insert((*field).to_owned(), v.clone());
                }
            }
            let scopes = scheme
                .get("scopes")
                .cloned()
                .unwrap_or(Value::Object(Map::new()));
            flow.insert(String::from("scopes"), scopes);
            let mut flows = Map::new();
            flows.insert(name.to_owned(), Value::Object(flow));
            out.insert(String::from("flows"), Value::Object(flows));
        }
        _ => {
            for key in ["type", "name", "in"] {
                if let Some(v) = scheme.get(key) {
                    out.insert(key.to_owned(), v.clone());
                }
            }
        }
    }
    for (key, value) in scheme {
        if key == "description" || key.starts_with("x-") {
            out.insert(key, value);
        }
    }
    Value::Object(out)
}

/// Schema rewrites: `type: file`, `x-nullable`, a discriminator given by its property name.
fn rewrite_schema(value: &mut Value, at: &Pointer, file: &str) {
    let Value::Object(object) = value else {
        return;
    };
    if object.get("type").and_then(Value::as_str) == Some("file") {
        object.insert(String::from("type"), Value::String(String::from("string")));
        object.insert(
            String::from("format"),
            Value::String(String::from("binary")),
        );
    }
    if let Some(nullable) = object.remove("x-nullable") {
        object.insert(String::from("nullable"), nullable);
        if object.contains_key("$ref") {
            // `x-nullable` beside `$ref` is how 2.0 documents say "this reference, or null".
            let mut scratch = Log::new(file);
            schema::ref_with_siblings(object, at, &mut scratch);
        }
    }
    if let Some(Value::String(property)) = object.get("discriminator") {
        let mut discriminator = Map::new();
        discriminator.insert(
            String::from("propertyName"),
            Value::String(property.clone()),
        );
        object.insert(String::from("discriminator"), Value::Object(discriminator));
    }
}
