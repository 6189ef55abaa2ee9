//! `src/client.rs`: the `Server` choice, the `Client` with its configuration, and one accessor
//! per operation group.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::source::tokens;
use super::types::{ident, type_path};
use crate::model::{
    Api, ParamLocation, SecurityKind, Server, ServerEnum, ServerVariable, TypeRef, UrlPiece,
    VariableKind,
};

pub fn render(api: &Api) -> TokenStream {
    let server = render_server(api);
    let operation_servers = render_operation_servers(api);
    let has_servers = !api.servers.is_empty();
    let n_operation_servers = proc_macro2::Literal::usize_unsuffixed(api.operation_servers.len());
    let has_operation_servers = !api.operation_servers.is_empty();

    let header_fields = api.client_headers.iter().map(|h| {
        let name = ident(&h.ident);
        quote!(#name: String,)
    });
    let header_args = api.client_headers.iter().map(|h| {
        let name = ident(&h.ident);
        if h.ty == TypeRef::String {
            quote!(#name: impl Into<String>)
        } else {
            let ty = tokens(&type_path(&api.types, &h.ty));
            quote!(#name: #ty)
        }
    });
    let header_inits = api.client_headers.iter().map(|h| {
        let name = ident(&h.ident);
        if h.ty == TypeRef::String {
            quote!(#name: #name.into(),)
        } else {
            quote!(#name: crate::runtime::to_param(&#name),)
        }
    });
    let header_sets: Vec<TokenStream> = api
        .client_headers
        .iter()
        .map(|h| {
            let name = ident(&h.ident);
            let wire = &h.wire;
            quote!(.header(#wire, &self.#name))
        })
        .collect();
    let header_docs = api.client_headers.iter().map(|h| {
        let line = format!(
            " - `{}`: sent as the `{}` header with every request.{}",
            h.ident.trim_start_matches("r#"),
            h.wire,
            h.description
                .as_deref()
                .map(|d| format!(" {}", super::docs::sanitize(d).replace('\n', " ")))
                .unwrap_or_default()
        );
        quote!(#[doc = #line])
    });

    let n_schemes = proc_macro2::Literal::usize_unsuffixed(api.security.len());
    let schemes = api.security.iter().map(|s| match &s.kind {
        SecurityKind::Bearer => quote!(crate::runtime::Scheme::Bearer),
        SecurityKind::Basic => quote!(crate::runtime::Scheme::Basic),
        SecurityKind::ApiKey { location, name } => match location {
            ParamLocation::Query => quote!(crate::runtime::Scheme::ApiKeyQuery(#name)),
            ParamLocation::Cookie => quote!(crate::runtime::Scheme::ApiKeyCookie(#name)),
            _ => quote!(crate::runtime::Scheme::ApiKeyHeader(#name)),
        },
    });
    let setters = api.security.iter().enumerate().map(|(i, s)| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let setter = ident(&s.setter);
        let what = match &s.kind {
            SecurityKind::Bearer => "a bearer token, sent as `Authorization: Bearer …`".to_owned(),
            SecurityKind::Basic => "HTTP basic credentials".to_owned(),
            SecurityKind::ApiKey { location, name } => {
                let place = match location {
                    ParamLocation::Query => "query parameter",
                    ParamLocation::Cookie => "cookie",
                    _ => "header",
                };
                format!("an API key, sent as the `{name}` {place}")
            }
        };
        let line = format!(
            " Authenticates with {what} on the operations whose security names `{}`. It never appears in `Debug` output.",
            s.name
        );
        let description = doc_attrs([s.description.as_deref()]);
        match s.kind {
            SecurityKind::Basic => quote! {
                #[doc = #line]
                #description
                pub fn #setter(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                    self.credentials[#i] = Some(crate::runtime::Credential::Basic {
                        username: username.into(),
                        password: password.into(),
                    });
                    self
                }
            },
            _ => quote! {
                #[doc = #line]
                #description
                pub fn #setter(mut self, token: impl Into<String>) -> Self {
                    self.credentials[#i] = Some(crate::runtime::Credential::Token(token.into()));
                    self
                }
            },
        }
    });

    let accessors = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        let ty = ident(&g.type_name);
        let line = format!(" Operations tagged `{}`.", g.tag.replace('`', "'"));
        let description = doc_attrs([g.description.as_deref()]);
        quote! {
            #[doc = #line]
            #description
            pub fn #module(&self) -> crate::apis::#module::#ty<'_> {
                crate::apis::#module::#ty::new(self)
            }
        }
    });

    let (server_arg, server_init, server_doc) = if has_servers {
        (
            quote!(server: Server,),
            quote!(server.url().trim_end_matches('/').to_owned()),
            " Connects to `server`",
        )
    } else {
        (
            quote!(base_url: impl Into<String>,),
            quote!(base_url.into().trim_end_matches('/').to_owned()),
            " Connects to `base_url` (for example `https://api.example.com`)",
        )
    };
    // Operations with servers of their own follow the client to the document's servers only.
    let (operation_fields, operation_inits, operation_debug, operation_methods) =
        if has_operation_servers {
            let index = if has_servers {
                let arms = api.servers.iter().enumerate().map(|(i, s)| {
                    let name = ident(&s.ident);
                    let i = proc_macro2::Literal::usize_unsuffixed(i);
                    if s.variables.is_empty() {
                        quote!(Server::#name => Some(#i),)
                    } else {
                        quote!(Server::#name(_) => Some(#i),)
                    }
                });
                quote!(match &server { #(#arms)* Server::Custom(_) => None })
            } else {
                // Without servers in the document, the base URL stands for its server.
                quote!(Some(0))
            };
            let operation_url_doc = if has_servers {
                " The base URL the operations published on `server` are sent to, without a trailing `/`: the one set with [`Client::with_operation_server`]; else, when the client talks to one of the document's servers that does not serve them, `server`'s own URL (a relative one resolved against [`Client::base_url`]); else (a server that serves them, or `Server::Custom`, e.g. a mock server) the base URL, like every other call."
            } else {
                " The base URL the operations published on `server` are sent to, without a trailing `/`: the one set with [`Client::with_operation_server`] (e.g. a mock server), else `server`'s own URL, a relative one resolved against [`Client::base_url`]."
            };
            (
                quote! {
                    /// Which of the document's servers `base_url` is; `None` for another base URL
                    /// (`Server::Custom`).
                    server: Option<usize>,
                    operation_urls: [Option<String>; #n_operation_servers],
                },
                quote! {
                    server: #index,
                    operation_urls: std::array::from_fn(|_| None),
                },
                quote!(.field("operation_urls", &self.operation_urls)),
                quote! {
                    /// Sends the operations published on `server` to `url` (a relative URL is
                    /// resolved against the base URL), whichever server the client talks to.
                    pub fn with_operation_server(mut self, server: OperationServer, url: impl Into<String>) -> Self {
                        self.operation_urls[server as usize] = Some(url.into());
                        self
                    }

                    #[doc = #operation_url_doc]
                    pub fn operation_url(&self, server: OperationServer) -> String {
                        match (&self.operation_urls[server as usize], self.server) {
                            (Some(url), _) => crate::runtime::resolve_url(&self.base_url, url),
                            (None, Some(current)) if !server.serves().contains(&current) => {
                                crate::runtime::resolve_url(&self.base_url, server.url())
                            }
                            (None, _) => self.base_url.clone(),
                        }
                    }
                },
            )
        } else {
            (quote!(), quote!(), quote!(), quote!())
        };
    let request_on_fn = has_operation_servers.then(|| {
        let header_sets = &header_sets;
        quote! {
            /// A request for `call` to `path` (already encoded) on the base URL of `server`'s
            /// operations (see [`Client::operation_url`]), with the client-level headers set.
            pub(crate) fn request_on(&self, server: OperationServer, call: &crate::runtime::Call, path: &str) -> reqwest::RequestBuilder {
                self.http
                    .request(call.method.clone(), format!("{}{}", self.operation_url(server), path))
                    #(#header_sets)*
            }
        }
    });
    let new_doc = format!(
        "{server_doc}{}",
        if api.client_headers.is_empty() {
            "."
        } else {
            " with the API's required client settings:"
        }
    );
    let debug_headers = api.client_headers.iter().map(|h| {
        let name = ident(&h.ident);
        let label = h.ident.trim_start_matches("r#");
        quote!(.field(#label, &self.#name))
    });

    let uses_auth = api
        .operations
        .iter()
        .any(|op| !op.auth.alternatives.is_empty());
    let authorize_fn = uses_auth.then(|| {
        quote! {
            /// Adds the credentials of the first alternative the client is configured for.
            pub(crate) fn authorize(
                &self,
                request: reqwest::RequestBuilder,
                alternatives: &[&[usize]],
            ) -> reqwest::RequestBuilder {
                crate::runtime::authorize(request, &SCHEMES, &self.credentials, alternatives)
            }
        }
    });
    let schemes_const = uses_auth.then(|| {
        quote! {
            /// The security schemes, in the order of `Client::credentials`.
            const SCHEMES: [crate::runtime::Scheme; #n_schemes] = [#(#schemes),*];
        }
    });
    // Every operation may have a server of its own; then nothing requests the base URL.
    let request_fn = api.operations.iter().any(|op| op.server.is_none()).then(|| {
        quote! {
            /// A request for `call` to `path` (already encoded) with the client-level headers set.
            pub(crate) fn request(&self, call: &crate::runtime::Call, path: &str) -> reqwest::RequestBuilder {
                self.http
                    .request(call.method.clone(), format!("{}{}", self.base_url, path))
                    #(#header_sets)*
            }
        }
    });
    let request_fns = (!api.operations.is_empty()).then(|| {
        quote! {
            #request_fn

            /// Sends a request with the client's settings and the call's options.
            pub(crate) async fn send<E>(
                &self,
                request: reqwest::RequestBuilder,
                call: &crate::runtime::Call,
                options: &crate::RequestOptions,
            ) -> Result<reqwest::Response, crate::Error<E>> {
                crate::runtime::send(&self.settings, request, call, options).await
            }

            #request_on_fn

            #authorize_fn
        }
    });

    quote! {
        //! The client: where to connect, how to authenticate, and the operation groups.

        #server

        #operation_servers

        /// A client for the API. Cheap to clone: clones share one connection pool.
        #[derive(Clone)]
        pub struct Client {
            base_url: String,
            #operation_fields
            http: reqwest::Client,
            settings: crate::runtime::Settings,
            #(#header_fields)*
            credentials: [Option<crate::runtime::Credential>; #n_schemes],
        }

        #schemes_const

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url)
                    #operation_debug
                    .field("settings", &self.settings)
                    #(#debug_headers)*
                    .field("credentials", &self.credentials)
                    .finish_non_exhaustive()
            }
        }

        impl Client {
            #[doc = #new_doc]
            #(#header_docs)*
            pub fn new(#server_arg #(#header_args),*) -> Self {
                Client {
                    #operation_inits
                    base_url: #server_init,
                    http: reqwest::Client::new(),
                    settings: crate::runtime::Settings::default(),
                    #(#header_inits)*
                    credentials: std::array::from_fn(|_| None),
                }
            }

            /// Uses a preconfigured `reqwest` client (proxies, TLS roots, connection pool, …).
            pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
                self.http = http;
                self
            }

            /// Limits how long connecting to the server may take. This replaces the `reqwest`
            /// client, so call it before [`Client::with_http_client`], not after.
            pub fn with_connect_timeout(mut self, timeout: std::time::Duration) -> Self {
                if let Ok(http) = reqwest::Client::builder().connect_timeout(timeout).build() {
                    self.http = http;
                }
                self
            }

            /// Limits each attempt of every call to `timeout` (a call can override it with
            /// [`RequestOptions::timeout`](crate::RequestOptions::timeout)).
            pub fn with_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.settings.timeout = Some(timeout);
                self
            }

            /// Sets when failed calls are retried; see [`RetryPolicy`](crate::RetryPolicy).
            /// The default retries idempotent calls twice.
            pub fn with_retry_policy(mut self, retry: crate::RetryPolicy) -> Self {
                self.settings.retry = retry;
                self
            }

            #(#setters)*

            /// The base URL requests are sent to, without a trailing `/`.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            #operation_methods

            #(#accessors)*

            #request_fns
        }
    }
}

fn render_server(api: &Api) -> TokenStream {
    if api.servers.is_empty() {
        // Enums of operation servers' variables, when the document lists no servers itself.
        let enums = api.server_enums.iter().map(render_server_enum);
        return quote!(#(#enums)*);
    }
    let owned = api.servers.iter().any(|s| !s.variables.is_empty());
    let variants = api.servers.iter().enumerate().map(|(i, s)| {
        let name = ident(&s.ident);
        let description = doc_attrs([s.description.as_deref()]);
        if s.variables.is_empty() {
            let line = format!(" {}", code(&s.url));
            // `#[default]` only goes on a unit variant; one with variables gets its own impl.
            let default = (i == 0).then(|| quote!(#[default]));
            quote! {
                #description
                #[doc = #line]
                #default
                #name,
            }
        } else {
            let ty = ident(&s.variables_type);
            let line = format!(
                " {}, by default {}; [`{}`] chooses the variables.",
                code(&s.template),
                code(&s.url),
                s.variables_type.trim_start_matches("r#")
            );
            let gap = (!description.is_empty()).then(|| quote!(#[doc = ""]));
            quote! {
                #description
                #gap
                #[doc = #line]
                #name(#ty),
            }
        }
    });
    let arms = api.servers.iter().map(|s| {
        let name = ident(&s.ident);
        let url = &s.url;
        match (s.variables.is_empty(), owned) {
            (true, false) => quote!(Server::#name => #url,),
            (true, true) => quote!(Server::#name => #url.to_owned(),),
            (false, _) => quote!(Server::#name(variables) => variables.url(),),
        }
    });
    let (url_ty, custom_arm, url_doc) = if owned {
        (
            quote!(String),
            quote!(Server::Custom(url) => url.clone(),),
            " The base URL, with the chosen values of the server's variables.",
        )
    } else {
        (
            quote!(&str),
            quote!(Server::Custom(url) => url,),
            " The base URL.",
        )
    };
    let (derive_default, default_impl) = match api.servers.first() {
        Some(first) if !first.variables.is_empty() => {
            let name = ident(&first.ident);
            let ty = ident(&first.variables_type);
            let doc = format!(
                " The first server, {}, with the document's default variables.",
                code(&first.url)
            );
            (
                quote!(),
                quote! {
                    impl Default for Server {
                        #[doc = #doc]
                        fn default() -> Self {
                            Server::#name(#ty::default())
                        }
                    }
                },
            )
        }
        _ => (quote!(Default,), quote!()),
    };
    let variables = api
        .servers
        .iter()
        .filter(|s| !s.variables.is_empty())
        .map(|s| render_variables(api, s, false));
    let enums = api.server_enums.iter().map(render_server_enum);
    quote! {
        /// The servers the API is published on, or any other base URL.
        #[derive(Debug, Clone, PartialEq, Eq, #derive_default)]
        pub enum Server {
            #(#variants)*
            /// Any other base URL, e.g. a mock server in tests.
            Custom(String),
        }

        #default_impl

        impl Server {
            #[doc = #url_doc]
            pub fn url(&self) -> #url_ty {
                match self {
                    #(#arms)*
                    #custom_arm
                }
            }
        }

        #(#variables)*
        #(#enums)*
    }
}

/// `OperationServer`: the servers particular operations are published on instead of the
/// document's, with the variables structs of those whose URLs have variables.
fn render_operation_servers(api: &Api) -> TokenStream {
    if api.operation_servers.is_empty() {
        return quote!();
    }
    let variants = api.operation_servers.iter().map(|s| {
        let name = ident(&s.ident);
        let description = doc_attrs([s.description.as_deref()]);
        let gap = (!description.is_empty()).then(|| quote!(#[doc = ""]));
        let served = s
            .serves
            .iter()
            .filter_map(|i| api.servers.get(*i))
            .map(|d| format!("[`Server::{0}`]", d.ident.trim_start_matches("r#")))
            .collect::<Vec<_>>();
        let served = (!served.is_empty()).then(|| {
            let line = match s.same_as {
                Some(_) if served.len() == 1 => format!(
                    " The document's {}: a client talking to it keeps its base URL for these operations.",
                    served.join("")
                ),
                _ => format!(
                    " These operations are also published on the document's {}: a client talking to one of them keeps its base URL for them.",
                    served.join(", ")
                ),
            };
            quote!(#[doc = ""] #[doc = #line])
        });
        let line = if s.variables.is_empty() {
            format!(" {}", code(&s.url))
        } else {
            format!(
                " {}, by default {}; [`{}`] builds it with other values.",
                code(&s.template),
                code(&s.url),
                s.variables_type.trim_start_matches("r#")
            )
        };
        quote! {
            #description
            #gap
            #[doc = #line]
            #served
            #name,
        }
    });
    let arms = api.operation_servers.iter().map(|s| {
        let name = ident(&s.ident);
        let url = &s.url;
        quote!(OperationServer::#name => #url,)
    });
    let serves = api.operation_servers.iter().map(|s| {
        let name = ident(&s.ident);
        let indices = s
            .serves
            .iter()
            .map(|i| proc_macro2::Literal::usize_unsuffixed(*i));
        quote!(OperationServer::#name => &[#(#indices),*],)
    });
    // A document server's variables struct already exists.
    let variables = api
        .operation_servers
        .iter()
        .filter(|s| !s.variables.is_empty() && s.same_as.is_none())
        .map(|s| render_variables(api, s, true));
    let doc = if api.servers.is_empty() {
        " The servers particular operations are published on instead of the client's base URL. Such an operation is sent to its server (a relative one resolved against the base URL); [`Client::with_operation_server`] sends it anywhere, such as a mock server. See [`Client::operation_url`]."
    } else {
        " The servers particular operations are published on, when not on every one of the API's. Such an operation is sent to its server when the client talks to one of the document's servers that does not serve it, and to the client's base URL otherwise (a server that serves it, or `Server::Custom`, e.g. a mock server); [`Client::with_operation_server`] sends it anywhere. See [`Client::operation_url`]."
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum OperationServer {
            #(#variants)*
        }

        impl OperationServer {
            /// The URL the document gives, with its variables' defaults, without a trailing `/`.
            /// A relative one is resolved against the client's base URL.
            pub fn url(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }

            /// The document's servers (by position) that also serve these operations.
            pub(crate) fn serves(self) -> &'static [usize] {
                match self {
                    #(#serves)*
                }
            }
        }

        #(#variables)*
    }
}

/// Text shown as inline code in docs: backticks and line breaks from the document cannot end
/// it, and invisible or direction-changing characters are shown escaped.
fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('`');
    for c in text.chars() {
        match c {
            '`' => out.push('\''),
            '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2060}'
            | '\u{FEFF}' => out.extend(c.escape_unicode()),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('`');
    out
}

/// The variables struct of one server: fields, defaults, setters and the URL they make. For
/// an operation server (`operation`), the URL goes to `Client::with_operation_server`.
fn render_variables(api: &Api, server: &Server, operation: bool) -> TokenStream {
    let ty = ident(&server.variables_type);
    let variant = ident(&server.ident);
    let field_ty = |v: &ServerVariable| match &v.kind {
        VariableKind::Text => quote!(String),
        VariableKind::Enum { index, .. } => {
            let name = api
                .server_enums
                .get(*index)
                .map_or("String", |e| e.name.as_str());
            let name = ident(name);
            quote!(#name)
        }
    };
    let fields = server.variables.iter().map(|v| {
        let field = ident(&v.field);
        let ty = field_ty(v);
        let line = format!(" `{{{}}}`{}", v.wire.replace('`', "'"), default_note(v));
        let description = doc_attrs([v.description.as_deref()]);
        let description = (!description.is_empty()).then(|| quote!(#[doc = ""] #description));
        let escaped = matches!(v.kind, VariableKind::Text).then(|| {
            quote! {
                ///
                /// Percent-encoded where it would change the structure of the URL: `?`, `#` and
                /// `%` anywhere, and `/` or `@` in a host.
            }
        });
        quote! {
            #[doc = #line]
            #description
            #escaped
            pub #field: #ty,
        }
    });
    let defaults = server.variables.iter().map(|v| {
        let field = ident(&v.field);
        match &v.kind {
            VariableKind::Text if v.default.is_empty() => quote!(#field: String::new(),),
            VariableKind::Text => {
                let value = &v.default;
                quote!(#field: #value.to_owned(),)
            }
            VariableKind::Enum { index, default } => {
                let name = ident(
                    api.server_enums
                        .get(*index)
                        .map_or("String", |e| e.name.as_str()),
                );
                let variant = ident(default);
                quote!(#field: #name::#variant,)
            }
        }
    });
    let setters = server.variables.iter().map(|v| {
        let field = ident(&v.field);
        let setter = ident(&v.setter);
        let doc = format!(" Sets `{{{}}}`.", v.wire.replace('`', "'"));
        match &v.kind {
            VariableKind::Text => quote! {
                #[doc = #doc]
                pub fn #setter(mut self, value: impl Into<String>) -> Self {
                    self.#field = value.into();
                    self
                }
            },
            VariableKind::Enum { .. } => {
                let ty = field_ty(v);
                quote! {
                    #[doc = #doc]
                    pub fn #setter(mut self, value: #ty) -> Self {
                        self.#field = value;
                        self
                    }
                }
            }
        }
    });
    let pieces = server.pieces.iter().map(|piece| match piece {
        UrlPiece::Literal(text) => quote!(#text),
        UrlPiece::Variable { index, part } => {
            let Some(v) = server.variables.get(*index) else {
                return quote!("");
            };
            let field = ident(&v.field);
            match v.kind {
                VariableKind::Enum { .. } => quote!(self.#field.as_str()),
                VariableKind::Text => {
                    let part = format_ident!("{}", part.variant());
                    quote!(crate::runtime::encode_url_value(&self.#field, crate::runtime::UrlPart::#part).as_str())
                }
            }
        }
    });
    let doc = if operation {
        format!(
            " The variables of [`OperationServer::{}`]'s URL, {}. `Default` gives the document's defaults; pass [`url`](Self::url) to [`Client::with_operation_server`].",
            server.ident.trim_start_matches("r#"),
            code(&server.template)
        )
    } else {
        format!(
            " The variables of [`Server::{}`]'s URL, {}. `Default` gives the document's defaults.",
            server.ident.trim_start_matches("r#"),
            code(&server.template)
        )
    };
    let into_server = (!operation).then(|| {
        quote! {
            impl From<#ty> for Server {
                fn from(variables: #ty) -> Self {
                    Server::#variant(variables)
                }
            }
        }
    });
    let url_doc = format!(
        " The URL with these values, without a trailing `/`: by default {}.",
        code(&server.url)
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct #ty {
            #(#fields)*
        }

        impl Default for #ty {
            fn default() -> Self {
                #ty {
                    #(#defaults)*
                }
            }
        }

        impl #ty {
            #(#setters)*

            #[doc = #url_doc]
            pub fn url(&self) -> String {
                let url = [#(#pieces),*].concat();
                url.trim_end_matches('/').to_owned()
            }
        }

        #into_server
    }
}

fn default_note(v: &ServerVariable) -> String {
    if !v.defined {
        " is used in the URL but not defined by the document: empty unless set.".to_owned()
    } else {
        format!(": by default {}.", code(&v.default))
    }
}

/// The values of a server variable with an `enum` list.
fn render_server_enum(e: &ServerEnum) -> TokenStream {
    let name = ident(&e.name);
    let variants = e.values.iter().map(|(variant, value)| {
        let variant = ident(variant);
        let line = format!(" {}", code(value));
        quote!(#[doc = #line] #variant,)
    });
    let arms = e.values.iter().map(|(variant, value)| {
        let variant = ident(variant);
        quote!(#name::#variant => #value,)
    });
    let doc = format!(
        " The values the server variable `{{{}}}` may take.",
        e.wire.replace('`', "'")
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The value as it appears in the URL.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::code;

    #[test]
    fn inline_code_cannot_be_ended_or_disguised() {
        assert_eq!(code("https://{region}.x"), "`https://{region}.x`");
        assert_eq!(code("a`b\nc"), "`a'b c`");
        assert_eq!(code("x\u{202E}y"), "`x\\u{202e}y`");
    }
}
