//! The crate-level guide of a generated client: configure, call, handle errors, retries and
//! timeouts, raw responses, pagination and mocks. Its examples are compiled as doc tests
//! (`no_run`: they need a server), so the guide cannot drift from the code.

use std::fmt::Write;

use crate::model::{Api, Operation, SecurityKind, TypeRef, VariableKind};
use crate::Config;

/// The guide as Markdown lines (without the leading `//!`).
pub fn guide(api: &Api, config: &Config) -> String {
    let krate = config.crate_name.replace('-', "_");
    let mut out = String::new();
    let constructor = constructor(api, &krate);
    let auth = api
        .operations
        .iter()
        .any(|op| !op.auth.alternatives.is_empty())
        .then(|| api.security.first())
        .flatten()
        .map(|s| match s.kind {
            SecurityKind::Basic => format!("\n    .{}(\"user\", \"password\")", s.setter),
            _ => format!("\n    .{}(\"token\")", s.setter),
        })
        .unwrap_or_default();
    let groups = api
        .groups
        .iter()
        .map(|g| format!("`client.{}()`", g.module.trim_start_matches("r#")))
        .collect::<Vec<_>>()
        .join(", ");

    let _ = writeln!(out, "## Configure\n");
    let _ = writeln!(out, "```no_run");
    let _ = writeln!(out, "use std::time::Duration;\n");
    let _ = writeln!(out, "let client = {constructor}{auth}");
    let _ = writeln!(out, "    .with_timeout(Duration::from_secs(30))");
    let _ = writeln!(
        out,
        "    .with_retry_policy({krate}::RetryPolicy::default().with_max_attempts(4));"
    );
    let _ = writeln!(out, "# let _ = client;");
    let _ = writeln!(out, "```\n");
    if !api.servers.is_empty() {
        let _ = writeln!(
            out,
            "[`Server`] lists the servers the API is published on; `Server::Custom(url)` points the \
             client anywhere else, such as a mock server in tests.\n"
        );
    }
    if let Some(example) = server_variables_example(api, &krate) {
        out.push_str(&example);
    }
    if !api.operation_servers.is_empty() {
        let whereto = if api.servers.is_empty() {
            "They are sent to their own (a relative URL resolved against the client's base URL)."
        } else {
            "While the client talks to one of the document's servers that does not serve them, \
             they are sent to their own (a relative URL resolved against the client's base URL); \
             with a server that serves them, or any other base URL such as a mock server, to the \
             client's base URL like every other call."
        };
        let _ = writeln!(
            out,
            "Some operations are published on servers of their own, listed in [`OperationServer`]. \
             {whereto} [`Client::with_operation_server`] sends them anywhere, and \
             [`Client::operation_url`] tells where they go.\n"
        );
    }

    let _ = writeln!(out, "## Call\n");
    let _ = writeln!(
        out,
        "Operations are grouped by tag: {groups}. Each is an `async fn` returning \
         `Result<T, Error<E>>`, where `T` is the documented success body and `E` the documented \
         error body. Path parameters are arguments; query, header and cookie parameters are the \
         fields of the operation's `…Params` struct; the request body comes last.\n"
    );
    if let Some(op) = simplest_operation(api) {
        let group = &api.groups[group_of(api, op)];
        let _ = writeln!(out, "```no_run");
        let _ = writeln!(
            out,
            "# async fn run(client: {krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{"
        );
        let _ = writeln!(
            out,
            "let answer = client.{}().{}().await?;",
            group.module.trim_start_matches("r#"),
            op.fn_name.trim_start_matches("r#")
        );
        let _ = writeln!(out, "# let _ = answer;\n# Ok(())\n# }}");
        let _ = writeln!(out, "```\n");
    }

    let _ = writeln!(out, "## Errors\n");
    let _ = writeln!(
        out,
        "[`Error`] tells apart a documented error status with its parsed body, a status the API \
         does not document (with the raw body), a transport failure, a body that does not match \
         its schema (with the text, for debugging), and a request that could not be built.\n"
    );
    let _ = writeln!(out, "```no_run");
    let _ = writeln!(
        out,
        "fn explain<E: std::fmt::Debug>(error: &{krate}::Error<E>) -> String {{"
    );
    let _ = writeln!(out, "    use {krate}::Error;");
    let _ = writeln!(out, "    match error {{");
    let _ = writeln!(
        out,
        "        Error::Api {{ status, body }} => format!(\"{{status}}: {{body:?}}\"),"
    );
    let _ = writeln!(
        out,
        "        Error::UnexpectedStatus {{ status, body }} => format!(\"{{status}}: {{body}}\"),"
    );
    let _ = writeln!(
        out,
        "        Error::Transport(e) if e.is_timeout() => \"timed out\".to_owned(),"
    );
    let _ = writeln!(
        out,
        "        Error::Decode {{ body, .. }} => format!(\"unexpected body: {{body}}\"),"
    );
    let _ = writeln!(out, "        other => other.to_string(),");
    let _ = writeln!(out, "    }}");
    let _ = writeln!(out, "}}");
    let _ = writeln!(out, "```\n");

    let _ = writeln!(out, "## Retries, timeouts and per-request options\n");
    let _ = writeln!(
        out,
        "By default a call is retried twice after a connection error, a timeout, `408`, `429` or \
         `5xx`, with exponential backoff and jitter, honouring `Retry-After`; only idempotent \
         methods are retried unless the request carries an idempotency key or the policy allows \
         it. Every operation has a twin, `…_with_options`, that takes [`RequestOptions`] and \
         returns a [`ResponseValue`] with the status and headers.\n"
    );
    let _ = writeln!(out, "```no_run");
    let _ = writeln!(out, "use std::time::Duration;");
    let _ = writeln!(out, "use {krate}::{{RequestOptions, RetryPolicy}};\n");
    let _ = writeln!(out, "let options = RequestOptions::new()");
    let _ = writeln!(out, "    .timeout(Duration::from_secs(5))");
    let _ = writeln!(out, "    .retry(RetryPolicy::none())");
    let _ = writeln!(out, "    .header(\"x-trace\", \"1\")");
    let _ = writeln!(out, "    .idempotency_key(\"order-42\");");
    let _ = writeln!(out, "# let _ = options;");
    let _ = writeln!(out, "```\n");

    if api.operations.iter().any(|op| op.pagination.is_some()) {
        let names = api
            .groups
            .iter()
            .flat_map(|g| g.operations.iter().map(move |&i| (g, &api.operations[i])))
            .filter_map(|(g, op)| {
                let p = op.pagination.as_ref()?;
                Some(format!(
                    "`{}().{}`",
                    g.module.trim_start_matches("r#"),
                    p.fn_name.trim_start_matches("r#")
                ))
            })
            .take(3)
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(out, "## Pagination\n");
        let _ = writeln!(
            out,
            "List operations paged by page number, offset or cursor also have a `…_stream` method \
             ({names}, …) that yields every item, requesting one page after another (with a \
             cursor, the one the page before returned).\n"
        );
    }

    let _ = writeln!(out, "## Mocks\n");
    let _ = writeln!(
        out,
        "With the `mock` feature, `mock::<group>::<operation>()` stubs any operation on a local \
         `wiremock` server with typed bodies, for your own tests.\n"
    );
    let _ = writeln!(out, "## Features\n");
    let _ = writeln!(out, "- `mock`: typed stubs for tests (adds `wiremock`).");
    let _ = writeln!(
        out,
        "- `tracing`: a span per request attempt (method, path template, attempt, status)."
    );
    out
}

/// `krate::Client::new(server, "…")` with a placeholder for each client-level header.
fn constructor(api: &Api, krate: &str) -> String {
    let server = match api.servers.first() {
        Some(server) if !server.variables.is_empty() => format!(
            "{krate}::Server::{}({krate}::{}::default())",
            server.ident, server.variables_type
        ),
        Some(server) => format!("{krate}::Server::{}", server.ident),
        None => "\"https://api.example.com\"".to_owned(),
    };
    let headers: String = api
        .client_headers
        .iter()
        .map(|h| {
            if h.ty == TypeRef::String {
                ", \"…\"".to_owned()
            } else {
                ", Default::default()".to_owned()
            }
        })
        .collect();
    format!("{krate}::Client::new({server}{headers})")
}

/// How to choose the variables of the first server URL that has some, as a guide paragraph.
fn server_variables_example(api: &Api, krate: &str) -> Option<String> {
    let server = api.servers.iter().find(|s| !s.variables.is_empty())?;
    let variable = server.variables.first()?;
    let value = match &variable.kind {
        VariableKind::Text => format!("{:?}", variable.default),
        VariableKind::Enum { index, default } => {
            let e = api.server_enums.get(*index)?;
            // Another value than the default, when there is one, to show a choice.
            let (variant, _) = e
                .values
                .iter()
                .find(|(v, _)| v != default)
                .or_else(|| e.values.first())?;
            format!("{krate}::{}::{variant}", e.name)
        }
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "A server URL with variables, such as `{}`, is a variant carrying a [`{}`]: its \
         `Default` gives the document's defaults, its `with_…` methods choose other values (an \
         enum where the document lists them), and free text is percent-encoded where it would \
         change the URL's structure.\n",
        server
            .template
            .replace('`', "'")
            .replace(char::is_control, " "),
        server.variables_type
    );
    let _ = writeln!(out, "```no_run");
    let _ = writeln!(
        out,
        "let server = {krate}::Server::{}({krate}::{}::default().{}({value}));",
        server.ident, server.variables_type, variable.setter
    );
    let _ = writeln!(out, "# let _ = server;");
    let _ = writeln!(out, "```\n");
    Some(out)
}

/// An operation that takes no arguments at all, for the call example.
fn simplest_operation(api: &Api) -> Option<&Operation> {
    api.operations
        .iter()
        .find(|op| op.params.is_empty() && op.body.is_none() && !op.deprecated)
}

fn group_of(api: &Api, op: &Operation) -> usize {
    api.groups
        .iter()
        .position(|g| {
            g.operations
                .iter()
                .any(|&i| std::ptr::eq(&api.operations[i], op))
        })
        .unwrap_or(0)
}
