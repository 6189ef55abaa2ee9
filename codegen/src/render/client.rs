//! `src/client.rs`: the `Server` choice, the `Client` with its configuration, and one accessor
//! per operation group.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::types::{ident, type_tokens, Context};
use crate::model::{Api, ParamLocation, SecurityKind, TypeRef};

pub fn render(api: &Api) -> TokenStream {
    let server = render_server(api);
    let has_servers = !api.servers.is_empty();

    let header_fields = api.client_headers.iter().map(|h| {
        let name = ident(&h.ident);
        quote!(#name: String,)
    });
    let header_args = api.client_headers.iter().map(|h| {
        let name = ident(&h.ident);
        if h.ty == TypeRef::String {
            quote!(#name: impl Into<String>)
        } else {
            let ty = type_tokens(&api.types, &h.ty, Context::Elsewhere);
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
    let header_sets = api.client_headers.iter().map(|h| {
        let name = ident(&h.ident);
        let wire = &h.wire;
        quote!(.header(#wire, &self.#name))
    });
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
    let request_fns = (!api.operations.is_empty()).then(|| {
        quote! {
            /// A request to `path` (already encoded) with the client-level headers set.
            pub(crate) fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
                self.http
                    .request(method, format!("{}{}", self.base_url, path))
                    #(#header_sets)*
            }

            /// Sends a request with the client's settings and the call's options.
            pub(crate) async fn send<E>(
                &self,
                request: reqwest::RequestBuilder,
                call: &crate::runtime::Call,
                options: &crate::RequestOptions,
            ) -> Result<reqwest::Response, crate::Error<E>> {
                crate::runtime::send(&self.settings, request, call, options).await
            }

            #authorize_fn
        }
    });

    quote! {
        //! The client: where to connect, how to authenticate, and the operation groups.

        #server

        /// A client for the API. Cheap to clone: clones share one connection pool.
        #[derive(Clone)]
        pub struct Client {
            base_url: String,
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

            #(#accessors)*

            #request_fns
        }
    }
}

fn render_server(api: &Api) -> TokenStream {
    if api.servers.is_empty() {
        return quote!();
    }
    let variants = api.servers.iter().enumerate().map(|(i, s)| {
        let name = ident(&s.ident);
        let line = format!(" `{}`", s.url);
        let description = doc_attrs([s.description.as_deref()]);
        let default = (i == 0).then(|| quote!(#[default]));
        quote! {
            #description
            #[doc = #line]
            #default
            #name,
        }
    });
    let arms = api.servers.iter().map(|s| {
        let name = ident(&s.ident);
        let url = &s.url;
        quote!(Server::#name => #url,)
    });
    quote! {
        /// The servers the API is published on, or any other base URL.
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub enum Server {
            #(#variants)*
            /// Any other base URL, e.g. a mock server in tests.
            Custom(String),
        }

        impl Server {
            /// The base URL.
            pub fn url(&self) -> &str {
                match self {
                    #(#arms)*
                    Server::Custom(url) => url,
                }
            }
        }
    }
}
