//! Shared request plumbing and the error type. Every operation method is a few calls into here,
//! so the per-operation code stays small.

// The same helpers serve every API; one that uses no API keys or no path parameters leaves
// some of them unused, which is not a defect of the generated code.
#![allow(dead_code)]

use std::fmt;

/// Everything that can go wrong with a call. `E` is the operation's documented error body.
#[derive(Debug)]
pub enum Error<E = ()> {
    /// The server answered with a status the API documents as an error; `body` is its parsed body.
    Api {
        status: reqwest::StatusCode,
        body: E,
    },
    /// The server answered with a status the API does not document; `body` is the raw text.
    UnexpectedStatus {
        status: reqwest::StatusCode,
        body: String,
    },
    /// No response was received: connecting, TLS, a timeout, or reading the body failed.
    Transport(reqwest::Error),
    /// The response body does not match the schema the API documents for its status.
    /// `body` keeps the text for debugging.
    Decode {
        status: reqwest::StatusCode,
        body: String,
        source: serde_json::Error,
    },
    /// The request could not be built, e.g. a value is not valid in an HTTP header.
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Transport(error) => error.status(),
            Error::InvalidRequest(_) => None,
        }
    }

    /// The documented error body, if the server sent one.
    pub fn body(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, body } => write!(f, "the server answered {status}: {body:?}"),
            Error::UnexpectedStatus { status, body } => write!(
                f,
                "the server answered {status}, which the API does not document for this operation; body: {}",
                excerpt(body)
            ),
            Error::Transport(error) => {
                write!(f, "the request failed before a response arrived: {error}")?;
                let mut source = std::error::Error::source(error);
                while let Some(cause) = source {
                    write!(f, ": {cause}")?;
                    source = cause.source();
                }
                Ok(())
            }
            Error::Decode { status, body, source } => write!(
                f,
                "the {status} response does not match the documented schema ({source}); body: {}",
                excerpt(body)
            ),
            Error::InvalidRequest(message) => write!(f, "the request could not be built: {message}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(error),
            Error::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The start of a body, for messages.
fn excerpt(body: &str) -> &str {
    const LIMIT: usize = 512;
    if body.len() <= LIMIT {
        return body;
    }
    let mut end = LIMIT;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    &body[..end]
}

/// A credential, kept out of `Debug` output.
#[derive(Clone)]
pub(crate) enum Credential {
    Token(String),
    Basic { username: String, password: String },
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credential(<redacted>)")
    }
}

/// Where a security scheme puts its credential.
pub(crate) enum Scheme {
    Bearer,
    Basic,
    ApiKeyHeader(&'static str),
    ApiKeyQuery(&'static str),
    ApiKeyCookie(&'static str),
}

/// Adds the credentials of the first alternative whose schemes are all configured.
pub(crate) fn authorize(
    mut request: reqwest::RequestBuilder,
    schemes: &[Scheme],
    credentials: &[Option<Credential>],
    alternatives: &[&[usize]],
) -> reqwest::RequestBuilder {
    let configured = |i: &usize| credentials.get(*i).is_some_and(Option::is_some);
    let Some(chosen) = alternatives.iter().find(|set| set.iter().all(configured)) else {
        return request;
    };
    for &i in chosen.iter() {
        let (Some(scheme), Some(Some(credential))) = (schemes.get(i), credentials.get(i)) else {
            continue;
        };
        request = match (scheme, credential) {
            (Scheme::Basic, Credential::Basic { username, password }) => {
                request.basic_auth(username, Some(password))
            }
            (Scheme::Bearer, Credential::Token(token)) => request.bearer_auth(token),
            (Scheme::ApiKeyHeader(name), Credential::Token(key)) => request.header(*name, key),
            (Scheme::ApiKeyQuery(name), Credential::Token(key)) => request.query(&[(*name, key)]),
            (Scheme::ApiKeyCookie(name), Credential::Token(key)) => {
                request.header(reqwest::header::COOKIE, format!("{name}={key}"))
            }
            _ => request,
        };
    }
    request
}

/// The text form of a parameter value: strings as they are, numbers and booleans in JSON
/// notation, arrays and objects as JSON text.
pub(crate) fn to_param<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(serde_json::Value::Null) => String::new(),
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Comma-separated values (`style: form, explode: false`).
pub(crate) fn to_csv<T: serde::Serialize>(values: &[T]) -> String {
    values.iter().map(|v| to_param(v)).collect::<Vec<_>>().join(",")
}

/// Percent-encodes one path segment (everything but RFC 3986 unreserved characters).
pub(crate) fn encode_path(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte))
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Sends a request. A request that could not be built (e.g. a header value with a line break)
/// is [`Error::InvalidRequest`]; any other failure is [`Error::Transport`].
pub(crate) async fn send<E>(request: reqwest::RequestBuilder) -> Result<reqwest::Response, Error<E>> {
    request.send().await.map_err(|error| {
        if error.is_builder() {
            Error::InvalidRequest(error.to_string())
        } else {
            Error::Transport(error)
        }
    })
}

/// Reads the whole body as text.
pub(crate) async fn text<E>(response: reqwest::Response) -> Result<String, Error<E>> {
    response.text().await.map_err(Error::Transport)
}

/// Reads the whole body as bytes.
pub(crate) async fn bytes<E>(response: reqwest::Response) -> Result<Vec<u8>, Error<E>> {
    Ok(response.bytes().await.map_err(Error::Transport)?.to_vec())
}

/// Reads and decodes a JSON body, keeping the text when it does not match `T`.
pub(crate) async fn json<T: serde::de::DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<T, Error<E>> {
    let status = response.status();
    let body = text(response).await?;
    serde_json::from_str(&body).map_err(|source| Error::Decode { status, body, source })
}

/// The error for a status the operation does not document.
pub(crate) async fn unexpected<E>(response: reqwest::Response) -> Error<E> {
    let status = response.status();
    match response.text().await {
        Ok(body) => Error::UnexpectedStatus { status, body },
        Err(error) => Error::Transport(error),
    }
}
