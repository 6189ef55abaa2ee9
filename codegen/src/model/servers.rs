//! Servers: the base URLs the API is published on, and the variables in them.
//!
//! A server URL such as `https://{region}.api.example.com/{version}` becomes a `Server` variant
//! carrying a variables struct (one field per variable, in the order the URL uses them); a
//! variable with an `enum` list gets a Rust enum of its values, shared by every server whose
//! variable of the same name lists the same values. Values the caller chooses are escaped
//! according to where they stand in the URL (see [`UrlPart`]).

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

use super::names::{self, Scope};
use crate::{Diagnostic, Pointer};

/// One server the client can talk to.
#[derive(Debug, Clone)]
pub struct Server {
    /// Variant name in the generated `Server` enum.
    pub ident: String,
    /// URL with server variables replaced by their defaults, without a trailing `/`.
    pub url: String,
    /// The URL as the document writes it, variables included.
    pub template: String,
    pub description: Option<String>,
    /// The variables the URL uses, in order of first use. Empty: the URL is fixed.
    pub variables: Vec<ServerVariable>,
    /// The URL split into literal text and variables, without a trailing `/`.
    pub pieces: Vec<UrlPiece>,
    /// Name of the generated variables struct; empty when there are no variables.
    pub variables_type: String,
    /// For an operation server: the document's servers (indices into [`Servers::servers`])
    /// its operations also name. A client talking to one of them keeps its own base URL for
    /// them.
    pub serves: Vec<usize>,
    /// For an operation server that is one of the document's servers (the first its
    /// operations name): that server's index. Its variables struct is the document server's.
    pub same_as: Option<usize>,
}

/// A piece of a server URL template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlPiece {
    Literal(String),
    /// A variable (index into [`Server::variables`]) and how its value is escaped there.
    Variable {
        index: usize,
        part: UrlPart,
    },
}

/// Where a value stands in a URL, which decides the characters kept as they are; every other
/// byte is percent-encoded, so a value cannot end the host, start a query or a fragment, or
/// otherwise change what the rest of the URL means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlPart {
    /// Before `://`: unreserved characters and `+`.
    Scheme,
    /// The host and port: unreserved characters, `:` (a port) and `[`/`]` (IPv6 literals).
    Authority,
    /// The path (also a URL without `://`, or a variable that is the whole URL): path
    /// characters and `/`, never `?`, `#` or `%`.
    Path,
    /// Anything printable: used only when the document's own default needs more than the
    /// place allows, so the default URL stays what the document says.
    Verbatim,
}

impl UrlPart {
    /// The characters kept besides ASCII letters, digits and `-._~`. The generated runtime's
    /// `encode_url_value` keeps the same ones (a test compares the two).
    pub fn kept(self) -> &'static str {
        match self {
            UrlPart::Scheme => "+",
            UrlPart::Authority => ":[]",
            UrlPart::Path => "/:@!$&'()*+,;=",
            UrlPart::Verbatim => "!\"#$%&'()*+,/:;<=>?@[\\]^`{|}",
        }
    }

    /// The variant's name in the generated runtime.
    pub fn variant(self) -> &'static str {
        match self {
            UrlPart::Scheme => "Scheme",
            UrlPart::Authority => "Authority",
            UrlPart::Path => "Path",
            UrlPart::Verbatim => "Verbatim",
        }
    }

    /// Whether `value` is inserted unchanged at this place.
    pub fn keeps(self, value: &str) -> bool {
        value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c) || self.kept().contains(c))
    }
}

/// One variable of a server URL.
#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// The name in the URL, e.g. `region`.
    pub wire: String,
    /// The field of the variables struct.
    pub field: String,
    /// The builder method setting the field, e.g. `with_region`.
    pub setter: String,
    pub description: Option<String>,
    /// The document's default; empty for a variable the document does not define.
    pub default: String,
    /// `false` for a variable the URL uses but `variables` does not define.
    pub defined: bool,
    pub kind: VariableKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariableKind {
    /// Any text, escaped where it is inserted.
    Text,
    /// One of the listed values: an index into [`Servers::enums`], and the variant of the default.
    Enum { index: usize, default: String },
}

/// The Rust enum for the values of a server variable with an `enum` list.
#[derive(Debug, Clone)]
pub struct ServerEnum {
    pub name: String,
    /// The variable's name in the URL.
    pub wire: String,
    /// Variant identifier and value, in document order (the default appended when the list
    /// lacks it).
    pub values: Vec<(String, String)>,
}

/// Every server and the enums of their variables.
#[derive(Debug, Clone, Default)]
pub struct Servers {
    pub servers: Vec<Server>,
    pub enums: Vec<ServerEnum>,
    /// The servers particular operations are published on instead of the document's (see
    /// [`servers`]), once each, in document order.
    pub operation_servers: Vec<Server>,
    /// The operation server of each operation that has one: (path, upper-case method) → index
    /// into [`Servers::operation_servers`].
    pub by_operation: BTreeMap<(String, String), usize>,
}

impl Servers {
    /// Whether some server URL has variables (then `Server::url` builds an owned `String`).
    pub fn any_variables(&self) -> bool {
        self.servers.iter().any(|s| !s.variables.is_empty())
    }
}

/// Names the generated client module already uses at the crate root.
const ROOT_NAMES: &[&str] = &[
    "Server",
    "OperationServer",
    "Client",
    "Error",
    "RequestOptions",
    "ResponseValue",
    "RetryPolicy",
    "Upload",
];

/// The document's servers, and the servers particular operations are published on, with
/// warnings for variables that do not make sense as written.
///
/// An operation has a server of its own when its `servers` (or else its path's) leave out some
/// of the document's servers: a client talking to one they leave out sends it to the first of
/// them instead (see the generated `Client::operation_url`). Servers naming every one of the
/// document's change nothing.
pub fn servers(doc: &OpenAPI, file: &str, warnings: &mut Vec<Diagnostic>) -> Servers {
    let mut builder = Builder {
        file,
        warnings,
        type_scope: Scope::with_reserved(ROOT_NAMES),
        enums: Vec::new(),
    };
    let mut variant_scope = Scope::with_reserved(&["Custom"]);
    let mut servers = Vec::new();
    for (i, server) in doc.servers.iter().enumerate() {
        let at = Pointer::root().push("servers").push(i);
        servers.push(builder.server(server, &at, i, &mut variant_scope));
    }
    let documented: Vec<&str> = doc
        .servers
        .iter()
        .map(|s| s.url.trim_end_matches('/'))
        .collect();
    let mut operation_scope = Scope::new();
    let mut operation_servers = Vec::new();
    let mut keys: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut by_operation = BTreeMap::new();
    for (path, item) in doc.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let item_at = Pointer::root().push("paths").push(path);
        // In the order the specification lists the methods.
        for (method, op) in item.iter() {
            let (list, at) = if op.servers.is_empty() {
                (&item.servers, item_at.push("servers"))
            } else {
                (&op.servers, item_at.push(method).push("servers"))
            };
            let Some(first) = list.first() else { continue };
            let urls: Vec<&str> = list.iter().map(|s| s.url.trim_end_matches('/')).collect();
            let serves: Vec<usize> = (0..documented.len())
                .filter(|&i| urls.contains(&documented[i]))
                .collect();
            // Named by every server the document has: whichever the client talks to serves it.
            if !documented.is_empty() && serves.len() == documented.len() {
                continue;
            }
            // One variant per list of URLs and variables, however many operations use it.
            let key = format!(
                "{}\n{}",
                urls.join("\n"),
                serde_json::to_string(&first.variables).unwrap_or_default()
            );
            let index = match keys.get(&key) {
                Some(&index) => index,
                None => {
                    let n = operation_servers.len();
                    let same_as = documented.iter().position(|d| *d == urls[0]);
                    let server = match same_as.and_then(|i| servers.get(i)) {
                        // One of the document's servers: its name and its variables.
                        Some(documented) => Server {
                            ident: operation_scope.claim(&documented.ident),
                            ..documented.clone()
                        },
                        None => builder.server(first, &at.push(0), n, &mut operation_scope),
                    };
                    operation_servers.push(Server {
                        serves,
                        same_as,
                        ..server
                    });
                    keys.insert(key, n);
                    n
                }
            };
            by_operation.insert((path.clone(), method.to_uppercase()), index);
        }
    }
    // Struct names are claimed after every enum, so a variable called `variables` cannot take
    // a struct's name; enum names come first since they are shared.
    for server in servers.iter_mut().chain(operation_servers.iter_mut()) {
        if !server.variables.is_empty() && server.same_as.is_none() {
            let wanted = format!("{}Variables", server.ident.trim_start_matches("r#"));
            server.variables_type = builder.type_scope.claim(&names::type_name(&wanted));
        }
    }
    for server in &mut operation_servers {
        if let Some(documented) = server.same_as.and_then(|i| servers.get(i)) {
            server.variables_type = documented.variables_type.clone();
        }
    }
    Servers {
        servers,
        enums: builder.enums,
        operation_servers,
        by_operation,
    }
}

/// What building servers shares: the names taken at the crate root and the variable enums.
struct Builder<'w> {
    file: &'w str,
    warnings: &'w mut Vec<Diagnostic>,
    type_scope: Scope,
    enums: Vec<ServerEnum>,
}

impl Builder<'_> {
    /// One server at `at` (the `i`-th of its list, for a fallback name), named in `variant_scope`.
    fn server(
        &mut self,
        server: &openapiv3::Server,
        at: &Pointer,
        i: usize,
        variant_scope: &mut Scope,
    ) -> Server {
        let template = parse_template(&server.url);
        let mut variables: Vec<ServerVariable> = Vec::new();
        let mut field_scope = Scope::new();
        let mut pieces = Vec::new();
        let mut url = String::new();
        for piece in template {
            let (name, part) = match piece {
                RawPiece::Literal(text) => {
                    url.push_str(&text);
                    pieces.push(UrlPiece::Literal(text));
                    continue;
                }
                RawPiece::Variable { name, part } => (name, part),
            };
            // A variable used twice is one field, inserted at both places.
            if let Some(index) = variables.iter().position(|v| v.wire == name) {
                let part = widen(part, &variables[index].default);
                url.push_str(&variables[index].default);
                pieces.push(UrlPiece::Variable { index, part });
                continue;
            }
            let definition = server.variables.as_ref().and_then(|v| v.get(&name));
            let field = field_scope.claim(&names::snake(&name));
            let setter = format!(
                "with_{}",
                field.trim_start_matches("r#").trim_end_matches('_')
            );
            let variable = match definition {
                None => {
                    self.warnings.push(Diagnostic::warning(
                        self.file,
                        at.push("url").as_str(),
                        format!("server variable `{name}` is used in the URL but not defined in `variables`; it is free text, empty unless set"),
                    ));
                    ServerVariable {
                        wire: name,
                        field,
                        setter,
                        description: None,
                        default: String::new(),
                        defined: false,
                        kind: VariableKind::Text,
                    }
                }
                Some(definition) => {
                    let var_at = at.push("variables").push(&name);
                    let mut values: Vec<String> = Vec::new();
                    for value in &definition.enumeration {
                        if !values.contains(value) {
                            values.push(value.clone());
                        }
                    }
                    if !values.is_empty() && !values.contains(&definition.default) {
                        self.warnings.push(Diagnostic::warning(
                            self.file,
                            var_at.push("default").as_str(),
                            format!(
                                "the default `{}` of server variable `{name}` is not one of its `enum` values; it is kept as one more value",
                                definition.default
                            ),
                        ));
                        values.push(definition.default.clone());
                    }
                    let kind = if values.is_empty() {
                        VariableKind::Text
                    } else {
                        let index = enum_for(&mut self.enums, &mut self.type_scope, &name, &values);
                        let default = self.enums[index]
                            .values
                            .iter()
                            .find(|(_, value)| *value == definition.default)
                            .map(|(ident, _)| ident.clone())
                            .unwrap_or_default();
                        VariableKind::Enum { index, default }
                    };
                    ServerVariable {
                        wire: name,
                        field,
                        setter,
                        description: definition.description.clone(),
                        default: definition.default.clone(),
                        defined: true,
                        kind,
                    }
                }
            };
            let part = widen(part, &variable.default);
            url.push_str(&variable.default);
            pieces.push(UrlPiece::Variable {
                index: variables.len(),
                part,
            });
            variables.push(variable);
        }
        trim_trailing_slash(&mut pieces);
        let url = url.trim_end_matches('/').to_owned();
        let wanted = server
            .description
            .as_deref()
            .filter(|d| d.len() <= 40 && !d.trim().is_empty())
            .map(names::camel)
            .or_else(|| host_name(&url).map(names::camel))
            .unwrap_or_else(|| format!("Server{}", i + 1));
        Server {
            ident: variant_scope.claim(&wanted),
            url,
            template: server.url.clone(),
            description: server.description.clone(),
            variables,
            pieces,
            variables_type: String::new(),
            serves: Vec::new(),
            same_as: None,
        }
    }
}

/// The enum for a variable's values: an existing one for the same name and values, or a new one.
fn enum_for(
    enums: &mut Vec<ServerEnum>,
    scope: &mut Scope,
    name: &str,
    values: &[String],
) -> usize {
    let same = enums
        .iter()
        .position(|e| e.wire == name && e.values.iter().map(|(_, v)| v).eq(values.iter()));
    if let Some(index) = same {
        return index;
    }
    let mut variants = Scope::new();
    enums.push(ServerEnum {
        name: scope.claim(&names::type_name(name)),
        wire: name.to_owned(),
        values: values
            .iter()
            .map(|value| (variants.claim(&names::camel(value)), value.clone()))
            .collect(),
    });
    enums.len() - 1
}

/// The narrowest escaping that leaves the document's default as it is written.
fn widen(part: UrlPart, default: &str) -> UrlPart {
    [part, UrlPart::Path, UrlPart::Verbatim]
        .into_iter()
        .find(|p| p.keeps(default))
        .unwrap_or(UrlPart::Verbatim)
}

/// A template piece before variables are resolved.
#[derive(Debug, PartialEq, Eq)]
enum RawPiece {
    Literal(String),
    Variable { name: String, part: UrlPart },
}

/// Splits `https://{region}.example.com/{version}` into literals and variables, each variable
/// with the part of the URL it stands in (judged from the literal text around it).
fn parse_template(url: &str) -> Vec<RawPiece> {
    let has_scheme = url.contains("://");
    let mut part = if has_scheme {
        UrlPart::Scheme
    } else {
        UrlPart::Path
    };
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = url;
    loop {
        let Some(start) = rest.find('{') else {
            literal.push_str(rest);
            break;
        };
        let Some(len) = rest[start..].find('}') else {
            literal.push_str(rest);
            break;
        };
        literal.push_str(&rest[..start]);
        part = advance(part, &literal);
        if !literal.is_empty() {
            pieces.push(RawPiece::Literal(std::mem::take(&mut literal)));
        }
        pieces.push(RawPiece::Variable {
            name: rest[start + 1..start + len].to_owned(),
            part,
        });
        rest = &rest[start + len + 1..];
    }
    if !literal.is_empty() {
        pieces.push(RawPiece::Literal(literal));
    }
    pieces
}

/// The part of the URL after `literal`, starting in `part`.
fn advance(mut part: UrlPart, literal: &str) -> UrlPart {
    let mut rest = literal;
    if part == UrlPart::Scheme {
        match rest.split_once("://") {
            Some((_, after)) => {
                part = UrlPart::Authority;
                rest = after;
            }
            None => return part,
        }
    }
    if part == UrlPart::Authority && rest.contains(['/', '?', '#']) {
        part = UrlPart::Path;
    }
    part
}

fn trim_trailing_slash(pieces: &mut Vec<UrlPiece>) {
    if let Some(UrlPiece::Literal(text)) = pieces.last_mut() {
        let trimmed = text.trim_end_matches('/').len();
        text.truncate(trimmed);
        if text.is_empty() {
            pieces.pop();
        }
    }
}

fn host_name(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', ':']).next()?;
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(url: &str) -> Vec<(String, UrlPart)> {
        parse_template(url)
            .into_iter()
            .filter_map(|p| match p {
                RawPiece::Variable { name, part } => Some((name, part)),
                RawPiece::Literal(_) => None,
            })
            .collect()
    }

    #[test]
    fn each_variable_knows_where_it_stands() {
        assert_eq!(
            parts("{scheme}://{host}:{port}/{base}?x={q}"),
            [
                ("scheme".to_owned(), UrlPart::Scheme),
                ("host".to_owned(), UrlPart::Authority),
                ("port".to_owned(), UrlPart::Authority),
                ("base".to_owned(), UrlPart::Path),
                ("q".to_owned(), UrlPart::Path),
            ]
        );
        assert_eq!(parts("{url}"), [("url".to_owned(), UrlPart::Path)]);
        assert_eq!(parts("/api/{v}"), [("v".to_owned(), UrlPart::Path)]);
        assert_eq!(
            parse_template("https://x/{unclosed"),
            [RawPiece::Literal("https://x/{unclosed".to_owned())]
        );
    }

    #[test]
    fn defaults_are_never_changed_by_escaping() {
        assert_eq!(
            widen(UrlPart::Authority, "localhost:8080"),
            UrlPart::Authority
        );
        assert_eq!(widen(UrlPart::Authority, "example.com/v1"), UrlPart::Path);
        assert_eq!(widen(UrlPart::Path, "v1?x=1"), UrlPart::Verbatim);
        assert_eq!(widen(UrlPart::Scheme, "https"), UrlPart::Scheme);
        assert!(!UrlPart::Authority.keeps("evil.com/#"));
        assert!(!UrlPart::Path.keeps("a?b"));
        assert!(!UrlPart::Path.keeps("100%"));
    }

    fn client_rs(spec: &str) -> String {
        let source = crate::Source {
            name: "t.yaml",
            text: spec,
        };
        let generation = crate::generate(source, &crate::Config::new("t"))
            .unwrap_or_else(|failure| panic!("{failure}"));
        generation.files["src/client.rs"].clone()
    }

    #[test]
    fn operation_servers_are_those_leaving_out_a_document_server() {
        let client = client_rs(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://a.example/v1/'}]\npaths:\n  /same:\n    servers: [{url: 'https://b.example'}, {url: 'https://a.example/v1'}]\n    get: {operationId: same, responses: {'204': {description: ok}}}\n  /own:\n    get: {operationId: own, servers: [{url: 'https://b.example/'}], responses: {'204': {description: ok}}}\n    put: {operationId: own2, servers: [{url: 'https://b.example'}], responses: {'204': {description: ok}}}\n",
        );
        // One variant for the two operations naming `https://b.example`; none for `/same`.
        assert_eq!(client.matches("    BExample,\n").count(), 1, "{client}");
        assert!(client.contains("pub(crate) fn request("), "{client}");
        assert!(client.contains("Server::Custom(_) => None"), "{client}");
    }

    #[test]
    fn without_document_servers_operations_use_their_own() {
        let client = client_rs(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /up:\n    post: {operationId: up, servers: [{url: 'https://up.example'}], responses: {'204': {description: ok}}}\n",
        );
        assert!(client.contains("server: Some(0),"), "{client}");
        // Nothing requests the base URL itself, so that helper is not generated (dead code).
        assert!(!client.contains("pub(crate) fn request("), "{client}");
        assert!(client.contains("pub(crate) fn request_on("), "{client}");
    }

    #[test]
    fn the_runtime_keeps_the_same_characters() {
        let runtime = include_str!("../render/templates/runtime.rs");
        for part in [
            UrlPart::Scheme,
            UrlPart::Authority,
            UrlPart::Path,
            UrlPart::Verbatim,
        ] {
            let line = format!("UrlPart::{} => {:?},", part.variant(), part.kept());
            assert!(runtime.contains(&line), "the runtime lacks `{line}`");
        }
    }
}
