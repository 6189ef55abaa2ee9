//! Logs a user in with a magic link, using the generated `walletkit-client`:
//!
//! 1. `POST /users/login-with-magic-link` with the user's email: WalletKit emails a link and
//!    answers with a session challenge (`id`, `code`, `expired`, `completed`);
//! 2. `GET /users/session-challenge?code=…`, repeated until the user has opened the link
//!    (`completed`), the challenge has expired, or the wait is over;
//! 3. `POST /users/verify-login` with `session_challenge_code`: the answer is a session with
//!    access and refresh tokens.
//!
//! Configuration, from the environment:
//!
//! | Variable | Meaning | Default |
//! | --- | --- | --- |
//! | `WALLETKIT_BASE_URL` | the API's base URL, e.g. a Prism mock | `https://testnet.walletkit.com` |
//! | `WALLETKIT_PROJECT_ID` | your project id (`X-WalletKit-Project-ID`) | `demo-project` |
//! | `WALLETKIT_EMAIL` | the email address to log in | required |
//! | `WALLETKIT_WAIT_SECONDS` | how long to wait for the link to be opened | `300` |
//!
//! ```sh
//! # against the Prism mock (npm ci first), from the workspace root:
//! node_modules/.bin/prism mock spec/walletkit.yaml -p 4010 -h 127.0.0.1 &
//! WALLETKIT_BASE_URL=http://127.0.0.1:4010 WALLETKIT_EMAIL=alice@example.com \
//!     cargo run -p walletkit-client --example magic_link_login
//!
//! # against the real testnet API:
//! WALLETKIT_PROJECT_ID=<your project id> WALLETKIT_EMAIL=<your email> \
//!     cargo run -p walletkit-client --example magic_link_login
//! ```
//!
//! Exit status: 0 when logged in, 1 when a call fails (the error is printed), 2 when the
//! configuration is incomplete.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use walletkit_client::apis::users::GetSessionChallengeParams;
use walletkit_client::types::{LoginWithMagicLinkRequest, Session, VerifyLoginRequest};
use walletkit_client::{Client, Error, Server};

/// How long to wait between two looks at the challenge.
const POLL_INTERVAL: Duration = Duration::from_secs(2);

#[tokio::main]
async fn main() -> ExitCode {
    let server = match std::env::var("WALLETKIT_BASE_URL") {
        Ok(url) if !url.trim().is_empty() => Server::Custom(url.trim().to_owned()),
        _ => Server::Testnet,
    };
    let project_id =
        std::env::var("WALLETKIT_PROJECT_ID").unwrap_or_else(|_| "demo-project".to_owned());
    let email = match std::env::var("WALLETKIT_EMAIL") {
        Ok(email) if !email.trim().is_empty() => email.trim().to_owned(),
        _ => {
            eprintln!("error: set WALLETKIT_EMAIL to the email address to log in");
            return ExitCode::from(2);
        }
    };
    let wait = match std::env::var("WALLETKIT_WAIT_SECONDS") {
        Err(_) => Duration::from_secs(300),
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(seconds) => Duration::from_secs(seconds),
            Err(_) => {
                eprintln!(
                    "error: WALLETKIT_WAIT_SECONDS must be a number of seconds, not {text:?}"
                );
                return ExitCode::from(2);
            }
        },
    };

    // Every call gets at most 30 s per attempt. GETs (the polling) are retried on connection
    // errors, 408, 429 and 5xx by the default retry policy; the POSTs are not, so the email
    // is never sent twice.
    let client = Client::new(server, project_id.as_str()).with_timeout(Duration::from_secs(30));
    println!("WalletKit at {}, project {project_id}", client.base_url());

    match log_in(&client, &email, wait).await {
        Ok(session) => {
            println!(
                "logged in: user {}, session {}; access token {} valid until {}, refresh token {} valid until {}",
                session.user_id,
                session.id,
                redact(&session.access_token),
                session.access_token_expires_at,
                redact(&session.refresh_token),
                session.refresh_token_expires_at,
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The three steps of the flow; the error is a message for the user.
async fn log_in(client: &Client, email: &str, wait: Duration) -> Result<Session, String> {
    println!("1. asking WalletKit to email a magic link to {email}");
    let challenge = client
        .users()
        .login_with_magic_link(&LoginWithMagicLinkRequest {
            email: email.to_owned(),
        })
        .await
        .map_err(|e| describe("POST /users/login-with-magic-link", &e))?;
    println!(
        "   session challenge {} (code {})",
        challenge.id, challenge.code
    );

    println!(
        "2. waiting up to {}s for the link to be opened",
        wait.as_secs()
    );
    let deadline = Instant::now() + wait;
    let params = GetSessionChallengeParams::new(challenge.code.clone());
    loop {
        let current = client
            .users()
            .get_session_challenge(&params)
            .await
            .map_err(|e| describe("GET /users/session-challenge", &e))?;
        if current.completed {
            println!("   the link was opened");
            break;
        }
        if current.expired {
            return Err(format!(
                "the session challenge {} expired before the link was opened",
                current.id
            ));
        }
        if Instant::now() + POLL_INTERVAL > deadline {
            return Err(format!(
                "the link was not opened within {}s (set WALLETKIT_WAIT_SECONDS to wait longer)",
                wait.as_secs()
            ));
        }
        println!("   not yet; looking again in {}s", POLL_INTERVAL.as_secs());
        tokio::time::sleep(POLL_INTERVAL).await;
    }

    println!("3. exchanging the completed challenge for a session");
    client
        .users()
        .verify_login(&VerifyLoginRequest {
            session_challenge_code: Some(challenge.code),
            ..VerifyLoginRequest::default()
        })
        .await
        .map_err(|e| describe("POST /users/verify-login", &e))
}

/// The call that failed and the error's `Display` (status and body, or why no answer came).
fn describe<E: std::fmt::Debug>(call: &str, error: &Error<E>) -> String {
    format!("{call} failed: {error}")
}

/// The start of a secret, enough to recognise it, never the whole of it.
fn redact(secret: &str) -> String {
    let start: String = secret.chars().take(4).collect();
    format!("{start}…")
}
