//! A Prism mock server for contract tests, std only.
//!
//! ```ignore
//! mod support;
//! let prism = support::prism::PrismServer::start("spec/walletkit.yaml");
//! // send requests to prism.base_url, e.g. "http://127.0.0.1:40123"
//! ```
//!
//! Prism answers each request from the spec: a valid request gets the example (or a
//! schema-shaped stand-in) of its success response; an invalid one gets the spec's 400 (or
//! 401 for missing credentials) response with an `sl-violations` header listing what was
//! wrong, or a 422 `application/problem+json` body when the operation declares no such response.

use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long Prism may take to start listening.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// How much of each of Prism's output streams is kept for error messages.
const OUTPUT_KEPT: usize = 64 * 1024;

/// A running `prism mock` process, killed on drop.
pub struct PrismServer {
    /// E.g. `http://127.0.0.1:40123`, without a trailing slash.
    pub base_url: String,
    pub port: u16,
    child: Child,
}

impl PrismServer {
    /// Starts `prism mock <spec>` on a free port of 127.0.0.1 and waits until it accepts
    /// connections. A relative `spec` is relative to the workspace root.
    ///
    /// Panics (this is test support) when Prism is not installed, cannot start, exits early or
    /// does not listen within 60 seconds.
    pub fn start(spec: impl AsRef<Path>) -> PrismServer {
        PrismServer::start_with_args(spec, &[])
    }

    /// Like [`PrismServer::start`], with extra arguments for `prism mock`, e.g.
    /// `["--dynamic", "--seed", "7"]` for schema-generated instead of example responses, or
    /// `["--errors"]` to turn violations of Prism's own mocked *response* into a 500 (in Prism
    /// 5.14.2 it does not change how invalid *requests* are answered).
    pub fn start_with_args(spec: impl AsRef<Path>, args: &[&str]) -> PrismServer {
        let root = workspace_root();
        let prism = root
            .join("node_modules")
            .join(".bin")
            .join(if cfg!(windows) { "prism.cmd" } else { "prism" });
        if !prism.exists() {
            panic!(
                "Prism is not installed ({} is missing): run `npm ci` in {} \
                 (or `cargo xtask test`, which does it)",
                prism.display(),
                root.display()
            );
        }
        let spec = root.join(spec.as_ref());
        let port = free_port();
        let mut child = Command::new(&prism)
            .arg("mock")
            .arg(&spec)
            .args(["-p", &port.to_string(), "-h", "127.0.0.1"])
            .args(args)
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", prism.display()));
        // Prism reports a fatal start-up error on stdout and its usage and stack trace on
        // stderr; both are drained all the time (so Prism never blocks on a full pipe) and
        // the start of each is kept for the panic message.
        let output = Output::capture(&mut child);

        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let started = Instant::now();
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                break;
            }
            match child.try_wait() {
                Ok(Some(status)) => panic!(
                    "Prism exited before listening ({status}) for {}:\n{}",
                    spec.display(),
                    output.finish()
                ),
                Ok(None) => {}
                Err(e) => panic!("cannot wait for Prism: {e}"),
            }
            if started.elapsed() > STARTUP_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "Prism did not listen on {address} within {}s for {}:\n{}",
                    STARTUP_TIMEOUT.as_secs(),
                    spec.display(),
                    output.finish()
                );
            }
            thread::sleep(Duration::from_millis(100));
        }
        PrismServer {
            base_url: format!("http://{address}"),
            port,
            child,
        }
    }
}

impl Drop for PrismServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// A port that was free a moment ago: bind port 0, read the port, release it.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap_or_else(|e| panic!("cannot bind a port on 127.0.0.1: {e}"));
    listener
        .local_addr()
        .unwrap_or_else(|e| panic!("cannot read the bound port: {e}"))
        .port()
}

/// Prism's stdout and stderr, read by two threads into bounded buffers.
struct Output {
    streams: Vec<Stream>,
}

/// One output stream of Prism: its name, the start of what it printed, and its reader thread.
struct Stream {
    name: &'static str,
    kept: Arc<Mutex<Vec<u8>>>,
    reader: JoinHandle<()>,
}

impl Output {
    fn capture(child: &mut Child) -> Output {
        let mut streams = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            streams.push(Output::drain("stdout", stdout));
        }
        if let Some(stderr) = child.stderr.take() {
            streams.push(Output::drain("stderr", stderr));
        }
        Output { streams }
    }

    fn drain(name: &'static str, mut stream: impl Read + Send + 'static) -> Stream {
        let kept = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&kept);
        let reader = thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(n) = stream.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                if let Ok(mut kept) = sink.lock() {
                    let room = OUTPUT_KEPT.saturating_sub(kept.len());
                    kept.extend_from_slice(&buffer[..n.min(room)]);
                }
            }
        });
        Stream { name, kept, reader }
    }

    /// What Prism printed; call only after it has exited or been killed.
    fn finish(self) -> String {
        let mut text = String::new();
        for Stream { name, kept, reader } in self.streams {
            let _ = reader.join();
            let bytes = kept.lock().map(|k| k.clone()).unwrap_or_default();
            let body = String::from_utf8_lossy(&bytes);
            let body = if body.trim().is_empty() {
                "(nothing)"
            } else {
                body.trim_end()
            };
            text.push_str(&format!("--- Prism's {name} ---\n{body}\n"));
        }
        text
    }
}
