//! A recording reverse proxy for contract tests, std only.
//!
//! ```ignore
//! mod support;
//! let prism = support::prism::PrismServer::start("spec/walletkit.yaml");
//! let proxy = support::recorder::RecordingProxy::start(&prism.base_url);
//! // send requests to proxy.base_url instead of prism.base_url, then
//! for exchange in proxy.take() {
//!     assert_eq!(exchange.violations, None, "{exchange}");
//! }
//! ```
//!
//! Prism reports what is wrong with a request (and with its own mocked response) only in the
//! `sl-violations` response header, and a violation does not always turn into an error status
//! (warnings still get the success response). The generated client does not expose response
//! headers, so the proxy sits between the client and Prism: it forwards every request unchanged
//! (one request per connection, `Connection: close`), passes Prism's response back byte for
//! byte, and records method, target, status and `sl-violations` of each exchange *before* the
//! response reaches the client, so the record is complete once a call returns.

use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How long the proxy waits for a read or write on either side before giving up on an exchange.
const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// Request headers that describe one connection rather than the request; the proxy sets its own.
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
];

/// What the proxy answers when it cannot read the request or reach Prism.
const BAD_GATEWAY: &[u8] =
    b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/// One request that went through the proxy and what Prism answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// E.g. `POST`.
    pub method: String,
    /// The request target as sent: path and query, e.g. `/wallets?page=1`.
    pub target: String,
    /// The request's `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The request body's length in bytes.
    pub body_len: usize,
    /// Prism's status code, if a response arrived.
    pub status: Option<u16>,
    /// Prism's `sl-violations` header (a JSON array), if it sent one.
    pub violations: Option<String>,
    /// Why the proxy could not complete the exchange, if it could not.
    pub error: Option<String>,
}

impl Exchange {
    /// The target without its query string.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

impl fmt::Display for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.target)?;
        match self.status {
            Some(status) => write!(f, " -> {status}")?,
            None => write!(f, " -> no response")?,
        }
        if let Some(violations) = &self.violations {
            write!(f, ", sl-violations: {violations}")?;
        }
        if let Some(error) = &self.error {
            write!(f, ", proxy error: {error}")?;
        }
        Ok(())
    }
}

/// A proxy listening on a free port of 127.0.0.1 that forwards to one upstream; stopped on drop.
pub struct RecordingProxy {
    /// E.g. `http://127.0.0.1:40124`, without a trailing slash.
    pub base_url: String,
    address: SocketAddr,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl RecordingProxy {
    /// Starts a proxy in front of `upstream`, a base URL such as `http://127.0.0.1:40123`
    /// (plain HTTP, no path). Panics (this is test support) when it cannot listen.
    pub fn start(upstream: &str) -> RecordingProxy {
        let authority = upstream
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("the recording proxy only forwards to http:// ({upstream})"))
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap_or_else(|e| panic!("cannot bind a port on 127.0.0.1: {e}"));
        let address = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("cannot read the bound port: {e}"));
        let exchanges = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let exchanges = Arc::clone(&exchanges);
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                for connection in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(connection) = connection else { continue };
                    let exchanges = Arc::clone(&exchanges);
                    let authority = authority.clone();
                    thread::spawn(move || forward(connection, &authority, &exchanges));
                }
            })
        };
        RecordingProxy {
            base_url: format!("http://{address}"),
            address,
            exchanges,
            stop,
            acceptor: Some(acceptor),
        }
    }

    /// The exchanges recorded since the last call, oldest first.
    pub fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut *lock(&self.exchanges))
    }
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor so that it sees the flag.
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn lock(exchanges: &Mutex<Vec<Exchange>>) -> std::sync::MutexGuard<'_, Vec<Exchange>> {
    exchanges
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Handles one connection: reads one request, forwards it to `authority` and relays Prism's
/// response byte for byte. The exchange is recorded before anything is written back, so it is
/// in the record by the time the client has its response. A connection that closes without
/// sending a request is not recorded.
fn forward(client: TcpStream, authority: &str, exchanges: &Mutex<Vec<Exchange>>) {
    let _ = client.set_read_timeout(Some(IO_TIMEOUT));
    let _ = client.set_write_timeout(Some(IO_TIMEOUT));
    let mut client = client;
    let reply = |client: &mut TcpStream, exchange: Exchange, bytes: &[u8]| {
        lock(exchanges).push(exchange);
        let _ = client.write_all(bytes);
        let _ = client.flush();
        let _ = client.shutdown(Shutdown::Both);
    };
    let request = match client
        .try_clone()
        .and_then(|stream| read_request(&mut BufReader::new(stream)))
    {
        Ok(Some(request)) => request,
        Ok(None) => return,
        Err(e) => {
            let exchange = failed(format!("cannot read the request: {e}"));
            return reply(&mut client, exchange, BAD_GATEWAY);
        }
    };
    let mut exchange = Exchange {
        method: request.method.clone(),
        target: request.target.clone(),
        content_type: request.header("content-type").map(str::to_owned),
        body_len: request.body.len(),
        status: None,
        violations: None,
        error: None,
    };
    match round_trip(&request, authority) {
        Ok(response) => {
            let (status, violations) = parse_response_head(&response);
            exchange.status = status;
            exchange.violations = violations;
            if status.is_none() {
                exchange.error = Some("Prism's response has no valid status line".to_owned());
            }
            reply(&mut client, exchange, &response);
        }
        Err(e) => {
            exchange.error = Some(format!("cannot reach Prism at {authority}: {e}"));
            reply(&mut client, exchange, BAD_GATEWAY);
        }
    }
}

fn failed(error: String) -> Exchange {
    Exchange {
        method: "?".to_owned(),
        target: "?".to_owned(),
        content_type: None,
        body_len: 0,
        status: None,
        violations: None,
        error: Some(error),
    }
}

/// An HTTP/1.1 request as read from the client, with its body de-chunked.
struct Request {
    method: String,
    target: String,
    /// Name as sent, value.
    headers: Vec<(String, String)>,
    /// Whether the client framed a body (`Content-Length` or chunked), even an empty one.
    has_body: bool,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn invalid(message: impl Into<String>) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message.into())
}

/// Reads one line ending in CRLF (or LF) without the line end; `None` at end of stream.
fn read_line(reader: &mut impl BufRead) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    if reader.read_until(b'\n', &mut line)? == 0 {
        return Ok(None);
    }
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| invalid("a request line or header is not UTF-8"))
}

fn read_request(reader: &mut impl BufRead) -> std::io::Result<Option<Request>> {
    let Some(request_line) = read_line(reader)? else {
        return Ok(None);
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(_version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid(format!("malformed request line `{request_line}`")));
    };
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or_else(|| invalid("the request head is cut short"))?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| invalid(format!("malformed header line `{line}`")))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let mut request = Request {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        has_body: false,
        body: Vec::new(),
    };
    let chunked = request
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        request.has_body = true;
        request.body = read_chunked(reader)?;
    } else if let Some(length) = request.header("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| invalid(format!("bad Content-Length `{length}`")))?;
        request.has_body = true;
        request.body = vec![0; length];
        reader.read_exact(&mut request.body)?;
    }
    Ok(Some(request))
}

fn read_chunked(reader: &mut impl BufRead) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or_else(|| invalid("a chunked body is cut short"))?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size, 16)
            .map_err(|_| invalid(format!("bad chunk size `{line}`")))?;
        if size == 0 {
            // Trailers, up to an empty line.
            while let Some(trailer) = read_line(reader)? {
                if trailer.is_empty() {
                    break;
                }
            }
            return Ok(body);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        read_line(reader)?;
    }
}

/// Sends `request` to `authority` with `Connection: close` and reads the whole response.
fn round_trip(request: &Request, authority: &str) -> std::io::Result<Vec<u8>> {
    let mut upstream = TcpStream::connect(authority)?;
    upstream.set_read_timeout(Some(IO_TIMEOUT))?;
    upstream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut head = format!(
        "{} {} HTTP/1.1\r\nhost: {authority}\r\n",
        request.method, request.target
    );
    for (name, value) in &request.headers {
        let lower = name.to_ascii_lowercase();
        if lower == "host" || HOP_BY_HOP.contains(&lower.as_str()) {
            continue;
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if request.has_body {
        head.push_str(&format!("content-length: {}\r\n", request.body.len()));
    }
    head.push_str("connection: close\r\n\r\n");
    upstream.write_all(head.as_bytes())?;
    upstream.write_all(&request.body)?;
    upstream.flush()?;
    let mut response = Vec::new();
    upstream.read_to_end(&mut response)?;
    Ok(response)
}

/// The status code and the `sl-violations` header of a raw response.
fn parse_response_head(response: &[u8]) -> (Option<u16>, Option<String>) {
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..end]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok());
    let violations = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("sl-violations"))
        .map(|(_, value)| value.trim().to_owned());
    (status, violations)
}
