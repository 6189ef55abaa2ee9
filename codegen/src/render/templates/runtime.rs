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

/// A decoded response body together with the status and headers it came with.
#[derive(Debug, Clone)]
pub struct ResponseValue<T> {
    /// The response's HTTP status.
    pub status: reqwest::StatusCode,
    /// The response's headers (request ids, rate limits, …).
    pub headers: reqwest::header::HeaderMap,
    /// The decoded body.
    pub body: T,
}

impl<T> ResponseValue<T> {
    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.body
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// When and how often a failed request is sent again.
///
/// A request is retried after a connection error, a timeout, or a `408`, `429` or `5xx`
/// answer, waiting with exponential backoff and jitter, or as long as `Retry-After` asks
/// (bounded by [`RetryPolicy::max_retry_after`]). By default only idempotent methods (`GET`,
/// `HEAD`, `PUT`, `DELETE`, `OPTIONS`) and requests with an idempotency key are retried, so a
/// payment or a transaction is never sent twice by accident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; `1` disables retries.
    pub max_attempts: u32,
    /// The wait before the first retry; it doubles with each further retry.
    pub initial_backoff: std::time::Duration,
    /// The longest wait between attempts computed by backoff.
    pub max_backoff: std::time::Duration,
    /// The longest `Retry-After` that is honoured; a longer one ends the retries.
    pub max_retry_after: std::time::Duration,
    /// Also retry methods that are not idempotent (`POST`, `PATCH`).
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Two retries, starting at 500 ms, never more than 8 s apart; `Retry-After` up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: std::time::Duration::from_millis(500),
            max_backoff: std::time::Duration::from_secs(8),
            max_retry_after: std::time::Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts in all (at least one).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the wait before the first retry.
    pub fn with_initial_backoff(mut self, initial_backoff: std::time::Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Sets the longest wait computed by backoff.
    pub fn with_max_backoff(mut self, max_backoff: std::time::Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Sets the longest `Retry-After` that is honoured.
    pub fn with_max_retry_after(mut self, max_retry_after: std::time::Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }

    /// Allows retrying `POST` and `PATCH` requests too.
    pub fn with_retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }

    /// The wait before retry number `retry` (1-based): exponential, with equal jitter.
    fn backoff(&self, retry: u32) -> std::time::Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)))
            .min(self.max_backoff);
        let half = exponential / 2;
        half + half.mul_f64(jitter())
    }
}

/// A number in `[0, 1)` that differs between calls; jitter needs no stronger randomness.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Settings for one call, overriding the client's.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<std::time::Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) idempotency_key: Option<String>,
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Limits each attempt of this call to `timeout`.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Uses `retry` instead of the client's retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Adds a header to this request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends `Idempotency-Key: key`, so the server can recognise a repeated request; with a key,
    /// a non-idempotent request may be retried.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}

/// Header values may be credentials (a user's token for one call), so `Debug` shows only
/// their names.
impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, _)| (name.as_str(), "<redacted>"))
            .collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &headers)
            .field("idempotency_key", &self.idempotency_key)
            .finish()
    }
}

/// The client-wide defaults that [`RequestOptions`] can override.
#[derive(Debug, Clone, Default)]
pub(crate) struct Settings {
    pub(crate) timeout: Option<std::time::Duration>,
    pub(crate) retry: RetryPolicy,
}

/// What the runtime needs to know about the operation being called.
pub(crate) struct Call {
    pub(crate) method: reqwest::Method,
    /// The path template, for traces.
    pub(crate) path: &'static str,
}

impl Call {
    /// A `GET` of the path template `path`.
    pub(crate) fn get(path: &'static str) -> Self {
        Call { method: reqwest::Method::GET, path }
    }

    /// A `PUT` of the path template `path`.
    pub(crate) fn put(path: &'static str) -> Self {
        Call { method: reqwest::Method::PUT, path }
    }

    /// A `POST` to the path template `path`.
    pub(crate) fn post(path: &'static str) -> Self {
        Call { method: reqwest::Method::POST, path }
    }

    /// A `DELETE` of the path template `path`.
    pub(crate) fn delete(path: &'static str) -> Self {
        Call { method: reqwest::Method::DELETE, path }
    }

    /// An `OPTIONS` request to the path template `path`.
    pub(crate) fn options(path: &'static str) -> Self {
        Call { method: reqwest::Method::OPTIONS, path }
    }

    /// A `HEAD` of the path template `path`.
    pub(crate) fn head(path: &'static str) -> Self {
        Call { method: reqwest::Method::HEAD, path }
    }

    /// A `PATCH` of the path template `path`.
    pub(crate) fn patch(path: &'static str) -> Self {
        Call { method: reqwest::Method::PATCH, path }
    }

    /// A `TRACE` of the path template `path`.
    pub(crate) fn trace(path: &'static str) -> Self {
        Call { method: reqwest::Method::TRACE, path }
    }
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

/// How an object-valued query parameter is spelled.
pub(crate) enum ObjectStyle {
    /// `style: form, explode: true`: one `key=value` pair per property.
    Exploded,
    /// `style: form, explode: false`: `name=k1,v1,k2,v2`.
    Flat,
    /// `style: deepObject`: `name[key]=value`.
    Deep,
}

/// The query pairs of an object-valued parameter; `null` properties are left out.
pub(crate) fn object_pairs<T: serde::Serialize>(
    name: &str,
    value: &T,
    style: ObjectStyle,
) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(value) else {
        return vec![(name.to_owned(), to_param(value))];
    };
    let present = map.iter().filter(|(_, v)| !v.is_null());
    match style {
        ObjectStyle::Exploded => present.map(|(k, v)| (k.clone(), to_param(v))).collect(),
        ObjectStyle::Deep => present
            .map(|(k, v)| (format!("{name}[{k}]"), to_param(v)))
            .collect(),
        ObjectStyle::Flat => {
            let joined = present
                .flat_map(|(k, v)| [k.clone(), to_param(v)])
                .collect::<Vec<_>>()
                .join(",");
            vec![(name.to_owned(), joined)]
        }
    }
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

/// Where a server variable's value stands in the URL.
pub(crate) enum UrlPart {
    Scheme,
    Authority,
    Path,
    /// Only where the document's own default needs more than its place allows.
    Verbatim,
}

impl UrlPart {
    /// The characters kept besides ASCII letters, digits and `-._~`.
    fn kept(&self) -> &'static str {
        match self {
            UrlPart::Scheme => "+",
            UrlPart::Authority => ":[]",
            UrlPart::Path => "/:@!$&'()*+,;=",
            UrlPart::Verbatim => "!\"#$%&'()*+,/:;<=>?@[\\]^`{|}",
        }
    }
}

/// Percent-encodes a server variable's value, keeping only the characters that cannot change
/// the structure of the URL where it stands: a host cannot be ended by `/`, `@` or `#`, and no
/// value can start a query or a fragment.
pub(crate) fn encode_url_value(value: &str, part: UrlPart) -> String {
    let kept = part.kept();
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_ascii_alphanumeric() || "-._~".contains(c) || kept.contains(c) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// `reference` as a base URL, without a trailing `/`: itself when it has a scheme, else
/// resolved against `base` taken as a directory (`//host/x` keeps the scheme, `/x` the scheme
/// and host, `x` and `../x` are relative to the base's path).
pub(crate) fn resolve_url(base: &str, reference: &str) -> String {
    let rooted = reference.starts_with('/');
    let reference = reference.trim_end_matches('/');
    if reference.contains("://") {
        return reference.to_owned();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("", base));
    if let Some(host_and_path) = reference.strip_prefix("//") {
        return format!("{scheme}://{host_and_path}");
    }
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    let joined = if rooted {
        reference.to_owned()
    } else {
        format!("{}/{reference}", path.trim_end_matches('/'))
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/').skip(1) {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let origin = if scheme.is_empty() {
        authority.to_owned()
    } else {
        format!("{scheme}://{authority}")
    };
    let path = segments.join("/");
    if path.is_empty() {
        origin
    } else {
        format!("{origin}/{path}")
    }
}

/// Sends a request, retrying as the policy allows. A request that could not be built (e.g. a
/// header value with a line break) is [`Error::InvalidRequest`]; a failure to get a response is
/// [`Error::Transport`].
pub(crate) async fn send<E>(
    settings: &Settings,
    mut request: reqwest::RequestBuilder,
    call: &Call,
    options: &RequestOptions,
) -> Result<reqwest::Response, Error<E>> {
    if let Some(timeout) = options.timeout.or(settings.timeout) {
        request = request.timeout(timeout);
    }
    for (name, value) in &options.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    if let Some(key) = &options.idempotency_key {
        request = request.header("Idempotency-Key", key.as_str());
    }
    let policy = options.retry.as_ref().unwrap_or(&settings.retry);
    let idempotent = matches!(
        call.method,
        reqwest::Method::GET
            | reqwest::Method::HEAD
            | reqwest::Method::PUT
            | reqwest::Method::DELETE
            | reqwest::Method::OPTIONS
            | reqwest::Method::TRACE
    );
    let may_retry = idempotent || policy.retry_non_idempotent || options.idempotency_key.is_some();
    let attempts = if may_retry { policy.max_attempts.max(1) } else { 1 };
    let mut attempt = 1;
    loop {
        // A body that cannot be replayed (a stream) gets one attempt.
        let (this, next) = match request.try_clone() {
            Some(copy) if attempt < attempts => (copy, Some(request)),
            _ => (request, None),
        };
        let outcome = attempt_once(this, call, attempt).await;
        let Some(next) = next else {
            return outcome.map_err(into_error);
        };
        let wait = match &outcome {
            Ok(response) if retryable_status(response.status()) => match retry_after(response) {
                Some(wait) if wait > policy.max_retry_after => return outcome.map_err(into_error),
                Some(wait) => wait,
                None => policy.backoff(attempt),
            },
            Err(error) if retryable_error(error) => policy.backoff(attempt),
            _ => return outcome.map_err(into_error),
        };
        tokio::time::sleep(wait).await;
        request = next;
        attempt += 1;
    }
}

#[cfg(not(feature = "tracing"))]
async fn attempt_once(
    request: reqwest::RequestBuilder,
    _call: &Call,
    _attempt: u32,
) -> Result<reqwest::Response, reqwest::Error> {
    request.send().await
}

/// One attempt inside a `request` span carrying method, path template, attempt and status.
#[cfg(feature = "tracing")]
async fn attempt_once(
    request: reqwest::RequestBuilder,
    call: &Call,
    attempt: u32,
) -> Result<reqwest::Response, reqwest::Error> {
    use tracing::Instrument;
    let span = tracing::info_span!(
        "request",
        method = %call.method,
        path = call.path,
        attempt,
        status = tracing::field::Empty,
    );
    let outcome = request.send().instrument(span.clone()).await;
    match &outcome {
        Ok(response) => {
            span.record("status", response.status().as_u16());
        }
        Err(error) => {
            span.in_scope(|| tracing::debug!(error = %error, "request failed"));
        }
    }
    outcome
}

fn retryable_status(status: reqwest::StatusCode) -> bool {
    status == reqwest::StatusCode::REQUEST_TIMEOUT
        || status == reqwest::StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

fn retryable_error(error: &reqwest::Error) -> bool {
    !error.is_builder() && (error.is_connect() || error.is_timeout() || error.is_request())
}

/// `Retry-After` in seconds (the HTTP-date form is not honoured: clocks disagree).
fn retry_after(response: &reqwest::Response) -> Option<std::time::Duration> {
    let value = response.headers().get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| std::time::Duration::from_secs_f64(seconds))
}

/// Classifies a `reqwest` failure. The query string is dropped from the URL it carries, since
/// an API key may travel there.
fn into_error<E>(mut error: reqwest::Error) -> Error<E> {
    if let Some(url) = error.url_mut() {
        url.set_query(None);
    }
    if error.is_builder() {
        Error::InvalidRequest(error.to_string())
    } else {
        Error::Transport(error)
    }
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

/// The error for a documented error status with a JSON body: [`Error::Api`] with the body
/// decoded as `E`, or the error that kept it from being read.
pub(crate) async fn json_error<E: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Error<E> {
    json_error_as(response, |body: E| body).await
}

/// [`json_error`] for an operation whose error bodies differ by status: the body decoded as
/// `T` and wrapped in the operation's error enum by `variant`.
pub(crate) async fn json_error_as<T: serde::de::DeserializeOwned, E>(
    response: reqwest::Response,
    variant: impl FnOnce(T) -> E,
) -> Error<E> {
    let status = response.status();
    match json::<T, E>(response).await {
        Ok(body) => Error::Api { status, body: variant(body) },
        Err(error) => error,
    }
}

/// A path parameter as it goes into the URL: its text, percent-encoded.
pub(crate) fn path_param<T: serde::Serialize + ?Sized>(value: &T) -> String {
    encode_path(&to_param(value))
}

/// The error for a status the operation does not document.
pub(crate) async fn unexpected<E>(response: reqwest::Response) -> Error<E> {
    let status = response.status();
    match response.text().await {
        Ok(body) => Error::UnexpectedStatus { status, body },
        Err(error) => Error::Transport(error),
    }
}
