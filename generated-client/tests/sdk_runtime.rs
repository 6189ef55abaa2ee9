//! The SDK runtime of the generated client against real servers (an in-process `wiremock`
//! server, or a tiny hand-written TCP server where wiremock cannot misbehave enough): timeouts,
//! retries with backoff and `Retry-After`, which methods are retried, per-request options, raw
//! responses, decode errors, credentials kept out of messages, and the page streams.
//!
//! Backoffs are set to a few milliseconds so the retry tests stay fast; the one test that
//! waits for `Retry-After: 1` takes about a second.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use walletkit_client::apis::{activity, users};
use walletkit_client::types::{
    ErrorResponse, ListWalletActivityResponseItem, LoginWithMagicLinkRequest, Network,
    SessionChallenge,
};
use walletkit_client::{Client, Error, RequestOptions, RetryPolicy, Server};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PROJECT_ID: &str = "project-id";
/// A distinctive token, so a leak cannot hide behind a common word.
const TOKEN: &str = "sk_test_Z9q7SecretBearerValue";
const WALLET: &str = "0x1111111111111111111111111111111111111111";

/// A short backoff: retries happen, but the tests do not wait for them.
const TINY: Duration = Duration::from_millis(10);

/// A retry policy with `max_attempts` and backoffs of a few milliseconds.
fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(max_attempts)
        .with_initial_backoff(TINY)
        .with_max_backoff(Duration::from_millis(50))
}

/// A client for `base_url` with the bearer token and fast retries (3 attempts).
fn client_for(base_url: &str) -> Client {
    Client::new(Server::Custom(base_url.to_owned()), PROJECT_ID)
        .with_bearer_auth(TOKEN)
        .with_retry_policy(fast_retries(3))
}

fn client(server: &MockServer) -> Client {
    client_for(&server.uri())
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is enabled")
}

fn challenge_json() -> serde_json::Value {
    serde_json::json!({"id": "challenge-1", "code": "abc123", "expired": false, "completed": true})
}

fn challenge() -> SessionChallenge {
    SessionChallenge {
        id: "challenge-1".to_owned(),
        code: "abc123".to_owned(),
        expired: false,
        completed: true,
    }
}

fn error_json(message: &str) -> serde_json::Value {
    serde_json::json!({"code": "internal", "error": message})
}

fn get_challenge_params() -> users::GetSessionChallengeParams {
    users::GetSessionChallengeParams::new("abc123".to_owned())
}

fn magic_link_body() -> LoginWithMagicLinkRequest {
    LoginWithMagicLinkRequest {
        email: "alice@example.com".to_owned(),
    }
}

/// `GET /users/session-challenge` (security: none), answered by `template`.
fn challenge_mock(template: ResponseTemplate) -> Mock {
    Mock::given(method("GET"))
        .and(path("/users/session-challenge"))
        .respond_with(template)
}

/// `POST /users/login-with-magic-link` (not idempotent), answered by `template`.
fn magic_link_mock(template: ResponseTemplate) -> Mock {
    Mock::given(method("POST"))
        .and(path("/users/login-with-magic-link"))
        .respond_with(template)
}

/// One item of `GET /activity`, told apart by `uuid`, on `network` (wire spelling).
fn activity_json(uuid: &str, network: &str) -> serde_json::Value {
    serde_json::json!({
        "uuid": uuid,
        "network": network,
        "type": "transfer",
        "timestamp": "2024-05-01T10:00:00Z",
        "wallet_address": WALLET,
        "transaction_hash": format!("0xhash-{uuid}"),
        "metadata": {"amount": "1.5"},
        "token": {
            "uuid": "token-1",
            "network": network,
            "contract_address": "0x2222222222222222222222222222222222222222",
            "name": "Test Token",
            "symbol": "TST",
            "decimals": 18,
            "display_decimals": 4,
            "logo_url": "https://example.com/tst.png"
        }
    })
}

fn activity_params(page_size: Option<i64>) -> activity::ListParams {
    let mut params = activity::ListParams::new(Network::Ethereum, WALLET.to_owned());
    params.page_size = page_size;
    params
}

/// The `page` query values of `GET /activity` requests, in the order received.
fn pages_requested(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r.url.path() == "/activity")
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_else(|| "<none>".to_owned())
        })
        .collect()
}

fn uuids(items: &[ListWalletActivityResponseItem]) -> Vec<&str> {
    items.iter().map(|item| item.uuid.as_str()).collect()
}

/// A port nothing listens on (bound a moment ago, then released).
fn closed_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("bind a port on 127.0.0.1")
        .port()
}

fn expect_timeout<E: std::fmt::Debug>(error: &Error<E>) {
    match error {
        Error::Transport(inner) => assert!(inner.is_timeout(), "a timeout: {inner:?}"),
        other => panic!("expected Error::Transport (timeout), got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn client_timeout_turns_a_slow_answer_into_a_timeout_error() {
    let server = MockServer::start().await;
    challenge_mock(
        ResponseTemplate::new(200)
            .set_body_json(challenge_json())
            .set_delay(Duration::from_secs(2)),
    )
    .mount(&server)
    .await;
    let client = client(&server)
        .with_retry_policy(RetryPolicy::none())
        .with_timeout(Duration::from_millis(100));

    let started = Instant::now();
    let error = client
        .users()
        .get_session_challenge(&get_challenge_params())
        .await
        .expect_err("the answer comes after the timeout");
    expect_timeout(&error);
    assert_eq!(error.status(), None);
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "gave up at the timeout, not after the delay: {:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn request_timeout_overrides_the_client_timeout_both_ways() {
    let server = MockServer::start().await;
    challenge_mock(
        ResponseTemplate::new(200)
            .set_body_json(challenge_json())
            .set_delay(Duration::from_millis(300)),
    )
    .mount(&server)
    .await;

    // A generous client timeout, a short per-request one: the request one wins.
    let patient = client(&server)
        .with_retry_policy(RetryPolicy::none())
        .with_timeout(Duration::from_secs(10));
    let error = patient
        .users()
        .get_session_challenge_with_options(
            &get_challenge_params(),
            &RequestOptions::new().timeout(Duration::from_millis(50)),
        )
        .await
        .expect_err("the per-request timeout is shorter than the delay");
    expect_timeout(&error);

    // A short client timeout, a generous per-request one: the request one wins again.
    let impatient = client(&server)
        .with_retry_policy(RetryPolicy::none())
        .with_timeout(Duration::from_millis(50));
    let response = impatient
        .users()
        .get_session_challenge_with_options(
            &get_challenge_params(),
            &RequestOptions::new().timeout(Duration::from_secs(10)),
        )
        .await
        .expect("the per-request timeout is longer than the delay");
    assert_eq!(response.body, challenge());

    // Without the override, the short client timeout applies.
    let error = impatient
        .users()
        .get_session_challenge(&get_challenge_params())
        .await
        .expect_err("the client timeout is shorter than the delay");
    expect_timeout(&error);
}

#[tokio::test]
async fn connect_timeout_keeps_the_client_timeout_and_still_connects() {
    let server = MockServer::start().await;
    challenge_mock(
        ResponseTemplate::new(200)
            .set_body_json(challenge_json())
            .set_delay(Duration::from_millis(500)),
    )
    .mount(&server)
    .await;
    // `with_connect_timeout` replaces the HTTP client; the request timeout set before it stays.
    let client = client(&server)
        .with_retry_policy(RetryPolicy::none())
        .with_timeout(Duration::from_millis(100))
        .with_connect_timeout(Duration::from_secs(2));

    let error = client
        .users()
        .get_session_challenge(&get_challenge_params())
        .await
        .expect_err("the client timeout still applies");
    expect_timeout(&error);
    let got = client
        .users()
        .get_session_challenge_with_options(
            &get_challenge_params(),
            &RequestOptions::new().timeout(Duration::from_secs(5)),
        )
        .await
        .expect("the new HTTP client connects");
    assert_eq!(got.body, challenge());
}

#[tokio::test]
async fn a_timed_out_get_is_retried() {
    let server = MockServer::start().await;
    challenge_mock(
        ResponseTemplate::new(200)
            .set_body_json(challenge_json())
            .set_delay(Duration::from_secs(2)),
    )
    .mount(&server)
    .await;
    let client = client(&server)
        .with_retry_policy(fast_retries(2))
        .with_timeout(Duration::from_millis(100));

    let error = client
        .users()
        .get_session_challenge(&get_challenge_params())
        .await
        .expect_err("every attempt times out");
    expect_timeout(&error);
    assert_eq!(requests(&server).await.len(), 2, "two attempts");
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_503_then_200_succeeds_after_exactly_one_retry() {
    let server = MockServer::start().await;
    challenge_mock(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    challenge_mock(ResponseTemplate::new(200).set_body_json(challenge_json()))
        .mount(&server)
        .await;

    let got = client(&server)
        .users()
        .get_session_challenge(&get_challenge_params())
        .await
        .expect("the retry succeeds");
    assert_eq!(got, challenge());
    assert_eq!(requests(&server).await.len(), 2, "one retry, no more");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    challenge_mock(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    challenge_mock(ResponseTemplate::new(200).set_body_json(challenge_json()))
        .mount(&server)
        .await;
    // A backoff of 1 ms: a wait of about a second can only come from Retry-After.
    let client = client(&server).with_retry_policy(
        RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_backoff(Duration::from_millis(1)),
    );

    let started = Instant::now();
    let got = client
        .users()
        .get_session_challenge(&get_challenge_params())
        .await
        .expect("the retry after Retry-After succeeds");
    let elapsed = started.elapsed();
    assert_eq!(got, challenge());
    assert_eq!(requests(&server).await.len(), 2);
    assert!(
        elapsed >= Duration::from_millis(900),
        "waited for Retry-After: 1, but only {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_secs(3),
        "waited far too long: {elapsed:?}"
    );
}

#[tokio::test]
async fn retry_after_above_max_retry_after_ends_the_retries() {
    let server = MockServer::start().await;
    challenge_mock(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "120")
            .set_body_string("slow down"),
    )
    .mount(&server)
    .await;
    let client = client(&server)
        .with_retry_policy(fast_retries(3).with_max_retry_after(Duration::from_secs(5)));

    let started = Instant::now();
    let error = client
        .users()
        .get_session_challenge(&get_challenge_params())
        .await
        .expect_err("the server asks for a wait longer than allowed");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "did not wait: {:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await.len(), 1, "no retry");
    match error {
        Error::UnexpectedStatus { status, body } => {
            assert_eq!(status.as_u16(), 429);
            assert_eq!(body, "slow down");
        }
        other => panic!("expected Error::UnexpectedStatus(429), got {other:?}"),
    }
}

#[tokio::test]
async fn post_503_is_not_retried_by_default() {
    let server = MockServer::start().await;
    magic_link_mock(ResponseTemplate::new(503))
        .mount(&server)
        .await;

    let error = client(&server)
        .users()
        .login_with_magic_link(&magic_link_body())
        .await
        .expect_err("503 is not documented");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    let received = requests(&server).await;
    assert_eq!(received.len(), 1, "a POST is sent once");
    assert!(received[0].headers.get("Idempotency-Key").is_none());
}

#[tokio::test]
async fn post_503_is_retried_when_the_policy_allows_non_idempotent_retries() {
    let server = MockServer::start().await;
    magic_link_mock(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    magic_link_mock(ResponseTemplate::new(200).set_body_json(challenge_json()))
        .mount(&server)
        .await;
    let client = client(&server).with_retry_policy(fast_retries(3).with_retry_non_idempotent(true));

    let got = client
        .users()
        .login_with_magic_link(&magic_link_body())
        .await
        .expect("the retry succeeds");
    assert_eq!(got, challenge());
    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    // The body is replayed on the retry.
    for request in &received {
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body, serde_json::json!({"email": "alice@example.com"}));
    }
}

#[tokio::test]
async fn post_503_is_retried_with_an_idempotency_key_which_is_sent_every_time() {
    let server = MockServer::start().await;
    magic_link_mock(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    magic_link_mock(ResponseTemplate::new(200).set_body_json(challenge_json()))
        .mount(&server)
        .await;

    let response = client(&server)
        .users()
        .login_with_magic_link_with_options(
            &magic_link_body(),
            &RequestOptions::new().idempotency_key("login-7f3a"),
        )
        .await
        .expect("the retry succeeds");
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.body, challenge());
    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    for request in &received {
        let keys: Vec<_> = request.headers.get_all("Idempotency-Key").iter().collect();
        assert_eq!(keys, ["login-7f3a"], "one Idempotency-Key on every attempt");
    }
}

#[tokio::test]
async fn per_request_retry_policy_overrides_the_clients() {
    let server = MockServer::start().await;
    challenge_mock(ResponseTemplate::new(503))
        .mount(&server)
        .await;

    let error = client(&server)
        .users()
        .get_session_challenge_with_options(
            &get_challenge_params(),
            &RequestOptions::new().retry(RetryPolicy::none()),
        )
        .await
        .expect_err("always 503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await.len(), 1, "RetryPolicy::none()");
}

#[tokio::test]
async fn max_attempts_is_respected() {
    let server = MockServer::start().await;
    challenge_mock(ResponseTemplate::new(500).set_body_json(error_json("boom")))
        .mount(&server)
        .await;
    let client = client(&server).with_retry_policy(fast_retries(4));

    let error = client
        .users()
        .get_session_challenge(&get_challenge_params())
        .await
        .expect_err("always 500");
    assert_eq!(requests(&server).await.len(), 4, "exactly max_attempts");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    match error {
        // 500 is documented: the last answer's body is parsed.
        Error::Api { status, body } => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(
                body,
                ErrorResponse {
                    code: Some("internal".to_owned()),
                    error: "boom".to_owned(),
                }
            );
        }
        other => panic!("expected Error::Api(500), got {other:?}"),
    }
}

#[tokio::test]
async fn a_documented_client_error_is_not_retried() {
    let server = MockServer::start().await;
    challenge_mock(ResponseTemplate::new(400).set_body_json(error_json("bad code")))
        .mount(&server)
        .await;

    let error = client(&server)
        .users()
        .get_session_challenge(&get_challenge_params())
        .await
        .expect_err("400");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(requests(&server).await.len(), 1, "4xx other than 408/429");
}

// ---------------------------------------------------------------------------------------------
// A connection that is dropped without an answer (a hand-written server)
// ---------------------------------------------------------------------------------------------

/// A server on 127.0.0.1 that reads each request and drops the first `drop_first`
/// connections without answering, then answers `200` with `body` (JSON) and closes.
/// Returns the base URL and the number of connections accepted so far.
fn flaky_server(drop_first: usize, body: &'static str) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1");
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    // Detached: it blocks in accept() once the test is done with it.
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            read_request(&mut stream);
            if n <= drop_first {
                // Close without a byte of response.
                drop(stream);
                continue;
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
            let _ = stream.flush();
        }
    });
    (base_url, accepted)
}

/// Reads one request: the head up to the blank line, then `content-length` bytes of body.
fn read_request(stream: &mut std::net::TcpStream) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&buffer[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&buffer[..n]),
        }
    }
}

const CHALLENGE_BODY: &str =
    r#"{"id":"challenge-1","code":"abc123","expired":false,"completed":true}"#;

#[tokio::test]
async fn a_dropped_connection_is_retried_for_a_get() {
    let (base_url, accepted) = flaky_server(1, CHALLENGE_BODY);

    let got = client_for(&base_url)
        .users()
        .get_session_challenge(&get_challenge_params())
        .await
        .expect("the second connection answers");
    assert_eq!(got, challenge());
    assert_eq!(accepted.load(Ordering::SeqCst), 2, "two connections");
}

#[tokio::test]
async fn a_dropped_connection_is_not_retried_for_a_post() {
    let (base_url, accepted) = flaky_server(1, CHALLENGE_BODY);

    let error = client_for(&base_url)
        .users()
        .login_with_magic_link(&magic_link_body())
        .await
        .expect_err("the only attempt gets no answer");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "one connection");
}

// ---------------------------------------------------------------------------------------------
// Responses and per-request options
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn invalid_json_is_a_decode_error_carrying_the_body() {
    let server = MockServer::start().await;
    challenge_mock(
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/json")
            .set_body_string("{\"id\": \"challenge-1\", oops"),
    )
    .mount(&server)
    .await;

    let error = client(&server)
        .users()
        .get_session_challenge(&get_challenge_params())
        .await
        .expect_err("the body is not JSON");
    match &error {
        Error::Decode {
            status,
            body,
            source,
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, "{\"id\": \"challenge-1\", oops");
            assert!(source.is_syntax(), "a JSON syntax error: {source}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(
        requests(&server).await.len(),
        1,
        "a decode error is not retried"
    );
    let shown = error.to_string();
    assert!(shown.contains("oops"), "Display shows the body: {shown}");
}

#[tokio::test]
async fn unknown_enum_value_decodes_into_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/activity"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
            activity_json("a1", "Solana"),
            activity_json("a2", "Polygon"),
        ])))
        .mount(&server)
        .await;

    let items = client(&server)
        .activity()
        .list(&activity_params(None))
        .await
        .expect("an unknown network is accepted");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].network, Network::Unknown("Solana".to_owned()));
    assert_eq!(
        items[0].token.network,
        Network::Unknown("Solana".to_owned())
    );
    assert_eq!(items[1].network, Network::Polygon);
}

#[tokio::test]
async fn request_options_headers_are_sent_and_with_options_returns_status_and_headers() {
    let server = MockServer::start().await;
    challenge_mock(
        ResponseTemplate::new(200)
            .insert_header("x-request-id", "req-42")
            .set_body_json(challenge_json()),
    )
    .mount(&server)
    .await;

    let options = RequestOptions::new()
        .header("X-Trace-Id", "trace-1")
        .header("X-Client-Version", "9.9.9");
    let response = client(&server)
        .users()
        .get_session_challenge_with_options(&get_challenge_params(), &options)
        .await
        .expect("200");
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(
        response
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("req-42")
    );
    assert_eq!(response.body, challenge());
    assert_eq!(response.code, "abc123", "ResponseValue derefs to the body");
    assert_eq!(response.into_inner(), challenge());

    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    let headers = &received[0].headers;
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    assert_eq!(value("x-trace-id"), Some("trace-1"));
    assert_eq!(value("x-client-version"), Some("9.9.9"));
    assert_eq!(value("x-walletkit-project-id"), Some(PROJECT_ID));
    assert!(value("idempotency-key").is_none(), "none was asked for");
}

#[tokio::test]
async fn an_invalid_header_in_request_options_is_an_invalid_request() {
    let server = MockServer::start().await;
    challenge_mock(ResponseTemplate::new(200).set_body_json(challenge_json()))
        .mount(&server)
        .await;

    let error = client(&server)
        .users()
        .get_session_challenge_with_options(
            &get_challenge_params(),
            &RequestOptions::new().header("X-Bad", "line\nbreak"),
        )
        .await
        .expect_err("a line break is not valid in a header value");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

// ---------------------------------------------------------------------------------------------
// The bearer token stays out of every message
// ---------------------------------------------------------------------------------------------

fn assert_no_token(what: &str, text: &str) {
    assert!(
        !text.contains(TOKEN),
        "{what} shows the bearer token: {text}"
    );
    assert!(
        !text.contains("Z9q7Secret"),
        "{what} shows part of the bearer token: {text}"
    );
}

#[tokio::test]
async fn bearer_token_is_sent_but_never_shown() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/activity"))
        .respond_with(ResponseTemplate::new(401).set_body_json(error_json("no")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/users/session-challenge"))
        .respond_with(ResponseTemplate::new(418).set_body_string("teapot"))
        .mount(&server)
        .await;
    let client = client(&server).with_timeout(Duration::from_secs(5));

    // The client.
    assert_no_token("Client Debug", &format!("{client:?}"));
    assert_no_token("Client Debug (pretty)", &format!("{client:#?}"));
    assert_no_token("an operation group", &format!("{:?}", client.activity()));

    // Request options, in the form a call uses them.
    let options = RequestOptions::new()
        .timeout(Duration::from_secs(1))
        .retry(RetryPolicy::none())
        .header("X-Trace-Id", "trace-1")
        .idempotency_key("key-1");
    assert_no_token("RequestOptions Debug", &format!("{options:?}"));

    // A documented error (the token was sent: the server saw it).
    let error = client
        .activity()
        .list_with_options(&activity_params(None), &options)
        .await
        .expect_err("401");
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    let received = requests(&server).await;
    assert_eq!(
        received[0]
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_no_token("Error::Api Display", &error.to_string());
    assert_no_token("Error::Api Debug", &format!("{error:?}"));

    // An undocumented status.
    let error = client
        .users()
        .get_session_challenge(&get_challenge_params())
        .await
        .expect_err("418");
    assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    assert_no_token("Error::UnexpectedStatus Display", &error.to_string());
    assert_no_token("Error::UnexpectedStatus Debug", &format!("{error:?}"));

    // A transport error, with its whole source chain.
    let closed = client_for(&format!("http://127.0.0.1:{}", closed_port()))
        .with_retry_policy(RetryPolicy::none());
    let error = closed
        .activity()
        .list(&activity_params(Some(2)))
        .await
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_no_token("Error::Transport Display", &error.to_string());
    assert_no_token("Error::Transport Debug", &format!("{error:?}"));
    assert_no_token("Error::Transport Debug (pretty)", &format!("{error:#?}"));
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        assert_no_token(
            "a source of Error::Transport",
            &format!("{cause} / {cause:?}"),
        );
        source = cause.source();
    }
}

/// A per-request credential passed as a header through [`RequestOptions::header`] (e.g. a user
/// access token on one call of a client configured with the project key) must not show up in
/// `Debug` output either: options get logged with `{:?}` just like clients.
#[test]
fn an_authorization_header_in_request_options_is_not_shown() {
    let options = RequestOptions::new().header("Authorization", format!("Bearer {TOKEN}"));
    assert_no_token("RequestOptions Debug", &format!("{options:?}"));
    assert_no_token("RequestOptions Debug (pretty)", &format!("{options:#?}"));
}

// ---------------------------------------------------------------------------------------------
// Page streams
// ---------------------------------------------------------------------------------------------

/// Mounts `GET /activity?page=<page>&page_size=2` answering `template`.
async fn mount_page(server: &MockServer, page: &str, template: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/activity"))
        .and(query_param("page", page))
        .and(query_param("page_size", "2"))
        .respond_with(template)
        .mount(server)
        .await;
}

fn page_of(uuids: &[&str]) -> ResponseTemplate {
    let items: Vec<_> = uuids
        .iter()
        .map(|uuid| activity_json(uuid, "Ethereum"))
        .collect();
    ResponseTemplate::new(200).set_body_json(items)
}

#[tokio::test]
async fn the_page_stream_visits_every_page_once_and_yields_every_item_in_order() {
    let server = MockServer::start().await;
    mount_page(&server, "1", page_of(&["a1", "a2"])).await;
    mount_page(&server, "2", page_of(&["a3", "a4"])).await;
    mount_page(&server, "3", page_of(&["a5"])).await;
    let client = client(&server);

    let results: Vec<_> = client
        .activity()
        .list_stream(&activity_params(Some(2)))
        .collect()
        .await;
    let items: Vec<_> = results
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("every page answers 200");
    assert_eq!(uuids(&items), ["a1", "a2", "a3", "a4", "a5"]);

    let received = requests(&server).await;
    assert_eq!(
        pages_requested(&received),
        ["1", "2", "3"],
        "each page once, in order; the short page 3 is the last"
    );
    for request in &received {
        let query: Vec<_> = request.url.query_pairs().collect();
        assert!(
            query.contains(&("network".into(), "Ethereum".into()))
                && query.contains(&("wallet_address".into(), WALLET.into())),
            "the other parameters are kept on every page: {query:?}"
        );
        assert_eq!(
            request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok()),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
}

#[tokio::test]
async fn the_page_stream_is_lazy_and_can_be_held_in_a_variable() {
    let server = MockServer::start().await;
    mount_page(&server, "1", page_of(&["a1", "a2"])).await;
    mount_page(&server, "2", page_of(&["a3", "a4"])).await;
    mount_page(&server, "3", page_of(&[])).await;
    let client = client(&server);
    let group = client.activity();

    let stream = group.list_stream(&activity_params(Some(2)));
    futures_util::pin_mut!(stream);
    assert!(requests(&server).await.is_empty(), "nothing before polling");
    let first = stream.next().await.expect("an item").expect("page 1");
    assert_eq!(first.uuid, "a1");
    assert_eq!(pages_requested(&requests(&server).await), ["1"]);
    let rest: Vec<_> = stream.map(|item| item.expect("ok").uuid).collect().await;
    assert_eq!(rest, ["a2", "a3", "a4"]);
    // A full page 2 asks for page 3, which is empty and ends the stream.
    assert_eq!(pages_requested(&requests(&server).await), ["1", "2", "3"]);
}

#[tokio::test]
async fn the_page_stream_yields_an_error_mid_way_then_ends() {
    let server = MockServer::start().await;
    mount_page(&server, "1", page_of(&["a1", "a2"])).await;
    mount_page(
        &server,
        "2",
        ResponseTemplate::new(500).set_body_json(error_json("page 2 failed")),
    )
    .await;
    mount_page(&server, "3", page_of(&["a5"])).await;
    let client = client(&server).with_retry_policy(RetryPolicy::none());

    let results: Vec<_> = client
        .activity()
        .list_stream(&activity_params(Some(2)))
        .collect()
        .await;
    assert_eq!(results.len(), 3, "two items, then the error, then the end");
    assert_eq!(results[0].as_ref().expect("item 1").uuid, "a1");
    assert_eq!(results[1].as_ref().expect("item 2").uuid, "a2");
    match &results[2] {
        Err(Error::Api { status, body }) => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(body.error, "page 2 failed");
        }
        other => panic!("expected Error::Api(500) for page 2, got {other:?}"),
    }
    assert_eq!(
        pages_requested(&requests(&server).await),
        ["1", "2"],
        "page 3 is never requested"
    );
}

#[tokio::test]
async fn the_page_stream_retries_a_failed_page_per_the_client_policy() {
    let server = MockServer::start().await;
    mount_page(&server, "1", page_of(&["a1", "a2"])).await;
    Mock::given(method("GET"))
        .and(path("/activity"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_page(&server, "2", page_of(&["a3"])).await;
    let client = client(&server);

    let items: Vec<_> = client
        .activity()
        .list_stream(&activity_params(Some(2)))
        .map(|item| item.expect("the retry of page 2 succeeds").uuid)
        .collect()
        .await;
    assert_eq!(items, ["a1", "a2", "a3"], "no item twice, none lost");
    assert_eq!(pages_requested(&requests(&server).await), ["1", "2", "2"]);
}

// ---------------------------------------------------------------------------------------------
// Tracing (feature `tracing`): one span per attempt
// ---------------------------------------------------------------------------------------------

#[cfg(feature = "tracing")]
mod spans {
    use std::collections::BTreeMap;
    use std::fmt;
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// A span's name and its fields as text.
    pub type SpanRecord = (String, BTreeMap<String, String>);

    /// The name and fields of every span created, in order.
    #[derive(Clone, Default)]
    pub struct Recorder {
        pub spans: Arc<Mutex<Vec<SpanRecord>>>,
    }

    struct Fields<'a>(&'a mut BTreeMap<String, String>);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
            self.0.insert(field.name().to_owned(), format!("{value:?}"));
        }

        fn record_str(&mut self, field: &Field, value: &str) {
            self.0.insert(field.name().to_owned(), value.to_owned());
        }
    }

    impl Subscriber for Recorder {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }

        fn new_span(&self, attributes: &Attributes<'_>) -> Id {
            let mut fields = BTreeMap::new();
            attributes.record(&mut Fields(&mut fields));
            let mut spans = self.spans.lock().unwrap();
            spans.push((attributes.metadata().name().to_owned(), fields));
            Id::from_u64(spans.len() as u64)
        }

        fn record(&self, span: &Id, values: &Record<'_>) {
            let mut spans = self.spans.lock().unwrap();
            if let Some((_, fields)) = spans.get_mut(span.into_u64() as usize - 1) {
                values.record(&mut Fields(fields));
            }
        }

        fn record_follows_from(&self, _: &Id, _: &Id) {}

        fn event(&self, _: &Event<'_>) {}

        fn enter(&self, _: &Id) {}

        fn exit(&self, _: &Id) {}
    }
}

#[cfg(feature = "tracing")]
#[tokio::test]
async fn each_attempt_gets_a_request_span_with_method_path_attempt_and_status() {
    use tracing::instrument::WithSubscriber;

    let server = MockServer::start().await;
    challenge_mock(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    challenge_mock(ResponseTemplate::new(200).set_body_json(challenge_json()))
        .mount(&server)
        .await;
    let client = client(&server);
    let recorder = spans::Recorder::default();

    let params = get_challenge_params();
    client
        .users()
        .get_session_challenge(&params)
        .with_subscriber(recorder.clone())
        .await
        .expect("the retry succeeds");

    let spans = recorder.spans.lock().unwrap();
    let requests: Vec<_> = spans
        .iter()
        .filter(|(name, _)| name == "request")
        .map(|(_, fields)| fields.clone())
        .collect();
    assert_eq!(requests.len(), 2, "one span per attempt: {spans:?}");
    for (i, (fields, status)) in requests.iter().zip(["503", "200"]).enumerate() {
        let field = |name: &str| fields.get(name).map(String::as_str);
        assert_eq!(field("method"), Some("GET"), "{fields:?}");
        assert_eq!(
            field("path"),
            Some("/users/session-challenge"),
            "{fields:?}"
        );
        assert_eq!(
            field("attempt"),
            Some((i + 1).to_string().as_str()),
            "{fields:?}"
        );
        assert_eq!(field("status"), Some(status), "{fields:?}");
        assert!(
            !fields.values().any(|v| v.contains(TOKEN)),
            "no span field shows the token: {fields:?}"
        );
    }
}
