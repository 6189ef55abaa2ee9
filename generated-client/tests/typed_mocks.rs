//! The typed stubs of feature `mock` (`walletkit_client::mock::<group>::<op>()`): each one,
//! mounted on a `wiremock` server, answers the generated client's call with the typed value it
//! was given, matches the operation's method and path (and, with `with_body`, the exact JSON
//! body), and leaves everything else unmatched (wiremock's 404).
//!
//! Run with `cargo test -p walletkit-client --all-features` (as `cargo xtask test` does).
#![cfg(feature = "mock")]

use chrono::{TimeZone, Utc};
use futures_util::StreamExt;
use walletkit_client::apis::{activity, policies};
use walletkit_client::mock;
use walletkit_client::types::{
    ArgumentRule, CreateRequest2, ErrorResponse, ListWalletActivityResponseItem,
    ListWalletActivityResponseItemMetadata, ListWalletActivityResponseItemToken,
    LoginWithMagicLinkRequest, Network, Operator, Policy, Session, SessionChallenge,
    VerifyLoginRequest,
};
use walletkit_client::{Client, Error, RetryPolicy, Server};
use wiremock::MockServer;

const PROJECT_ID: &str = "project-id";
const WALLET: &str = "0x1111111111111111111111111111111111111111";

fn client(server: &MockServer) -> Client {
    Client::new(Server::Custom(server.uri()), PROJECT_ID)
        .with_bearer_auth("token")
        .with_retry_policy(RetryPolicy::none())
}

fn magic_link_request(email: &str) -> LoginWithMagicLinkRequest {
    LoginWithMagicLinkRequest {
        email: email.to_owned(),
    }
}

fn challenge(completed: bool) -> SessionChallenge {
    SessionChallenge {
        id: "challenge-1".to_owned(),
        code: "abc123".to_owned(),
        expired: false,
        completed,
    }
}

fn session() -> Session {
    let at = |hour| Utc.with_ymd_and_hms(2024, 5, 1, hour, 0, 0).unwrap();
    Session {
        id: "session-1".to_owned(),
        created_at: at(10),
        project_id: PROJECT_ID.to_owned(),
        user_id: "user-1".to_owned(),
        access_token: "access".to_owned(),
        access_token_expires_at: at(11),
        refresh_token: "refresh".to_owned(),
        refresh_token_expires_at: at(12),
    }
}

fn policy_request() -> CreateRequest2 {
    CreateRequest2 {
        network: Network::Base,
        name: "transfers only".to_owned(),
        wallet_address: WALLET.to_owned(),
        argument_rules: vec![ArgumentRule {
            argument: "decodedInput.function".to_owned(),
            operator: Operator::Eq,
            value: "transfer".to_owned(),
        }],
        expires_at: Some(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()),
        developer_secret: Some("testnet-secret".to_owned()),
        user_pin: None,
    }
}

fn policy() -> Policy {
    let request = policy_request();
    Policy {
        uuid: "policy-1".to_owned(),
        project_id: PROJECT_ID.to_owned(),
        network: request.network,
        name: Some(request.name),
        wallet_address: request.wallet_address,
        argument_rules: request.argument_rules,
        expires_at: request.expires_at,
        created_at: Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).unwrap(),
        updated_at: Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).unwrap(),
    }
}

fn activity_item(uuid: &str) -> ListWalletActivityResponseItem {
    ListWalletActivityResponseItem {
        uuid: uuid.to_owned(),
        network: Network::Ethereum,
        r#type: "transfer".to_owned(),
        timestamp: "2024-05-01T10:00:00Z".to_owned(),
        wallet_address: WALLET.to_owned(),
        transaction_hash: format!("0xhash-{uuid}"),
        metadata: ListWalletActivityResponseItemMetadata {
            amount: "1.5".to_owned(),
        },
        token: ListWalletActivityResponseItemToken {
            uuid: "token-1".to_owned(),
            network: Network::Ethereum,
            contract_address: "0x2222222222222222222222222222222222222222".to_owned(),
            name: "Test Token".to_owned(),
            symbol: "TST".to_owned(),
            decimals: 18,
            display_decimals: 4,
            logo_url: "https://example.com/tst.png".to_owned(),
        },
    }
}

#[tokio::test]
async fn magic_link_login_flow_through_typed_stubs() {
    let server = MockServer::start().await;
    mock::users::login_with_magic_link()
        .with_body(&magic_link_request("alice@example.com"))
        .respond(200, &challenge(false))
        .expect(1)
        .mount(&server)
        .await;
    mock::users::get_session_challenge()
        .respond(200, &challenge(true))
        .expect(1)
        .mount(&server)
        .await;
    let verify = VerifyLoginRequest {
        session_challenge_code: Some("abc123".to_owned()),
        ..VerifyLoginRequest::default()
    };
    mock::users::verify_login()
        .with_body(&verify)
        .respond(200, &session())
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let started = client
        .users()
        .login_with_magic_link(&magic_link_request("alice@example.com"))
        .await
        .expect("the stub answers");
    assert_eq!(started, challenge(false));
    let polled = client
        .users()
        .get_session_challenge(
            &walletkit_client::apis::users::GetSessionChallengeParams::new(started.code.clone()),
        )
        .await
        .expect("the stub answers");
    assert!(polled.completed);
    let got = client
        .users()
        .verify_login(&verify)
        .await
        .expect("the stub answers");
    assert_eq!(got, session());
    // `expect(1)` on each stub is verified when the server is dropped.
}

#[tokio::test]
async fn a_body_with_nested_values_dates_and_nulls_matches_and_the_answer_is_typed() {
    let server = MockServer::start().await;
    mock::policies::create()
        .with_body(&policy_request())
        .respond(200, &policy())
        .expect(1)
        .mount(&server)
        .await;

    let got = client(&server)
        .policies()
        .create(&policy_request())
        .await
        .expect("the stub matches the body the client sends");
    assert_eq!(got, policy());
}

#[tokio::test]
async fn a_different_body_is_not_matched() {
    let server = MockServer::start().await;
    mock::users::login_with_magic_link()
        .with_body(&magic_link_request("alice@example.com"))
        .respond(200, &challenge(false))
        .mount(&server)
        .await;
    let client = client(&server);

    let error = client
        .users()
        .login_with_magic_link(&magic_link_request("mallory@example.com"))
        .await
        .expect_err("the body differs, so no stub answers");
    match &error {
        Error::UnexpectedStatus { status, .. } => assert_eq!(status.as_u16(), 404),
        other => panic!("expected Error::UnexpectedStatus(404), got {other:?}"),
    }

    // A policy that differs in one nested field is not matched either.
    mock::policies::create()
        .with_body(&policy_request())
        .respond(200, &policy())
        .mount(&server)
        .await;
    let mut other = policy_request();
    other.argument_rules[0].value = "approve".to_owned();
    let error = client
        .policies()
        .create(&other)
        .await
        .expect_err("one rule differs");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");

    // The matching body still gets its answer.
    let got = client
        .users()
        .login_with_magic_link(&magic_link_request("alice@example.com"))
        .await
        .expect("the body matches");
    assert_eq!(got, challenge(false));
}

#[tokio::test]
async fn a_stub_matches_only_its_own_method_and_path() {
    let server = MockServer::start().await;
    // `GET /policies` and `POST /policies` share a path.
    mock::policies::list()
        .respond(200, &vec![policy()])
        .mount(&server)
        .await;
    let client = client(&server);

    let error = client
        .policies()
        .create(&policy_request())
        .await
        .expect_err("POST /policies has no stub");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let error = client
        .policies()
        .revoke(&walletkit_client::types::RevokeRequest {
            uuid: "policy-1".to_owned(),
            developer_secret: None,
            user_pin: None,
        })
        .await
        .expect_err("POST /policies/revoke has no stub");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));

    let got = client
        .policies()
        .list(&policies::ListParams::new(Network::Base))
        .await
        .expect("GET /policies has a stub");
    assert_eq!(got, vec![policy()]);
}

#[tokio::test]
async fn respond_error_gives_a_typed_api_error() {
    let server = MockServer::start().await;
    let body = ErrorResponse {
        code: Some("forbidden".to_owned()),
        error: "this key may not create policies".to_owned(),
    };
    mock::policies::create()
        .respond_error(403, &body)
        .mount(&server)
        .await;

    let error = client(&server)
        .policies()
        .create(&policy_request())
        .await
        .expect_err("403");
    match error {
        Error::Api { status, body: got } => {
            assert_eq!(status.as_u16(), 403);
            assert_eq!(got, body);
        }
        other => panic!("expected Error::Api(403), got {other:?}"),
    }
}

#[tokio::test]
async fn respond_status_answers_without_a_body() {
    let server = MockServer::start().await;
    mock::users::logout()
        .respond_status(204)
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .users()
        .logout()
        .await
        .expect("204 is the documented success");
}

#[tokio::test]
async fn a_list_stub_feeds_the_page_stream() {
    let server = MockServer::start().await;
    let items = vec![
        activity_item("a1"),
        activity_item("a2"),
        activity_item("a3"),
    ];
    // The stub ignores the query, so a page size above the item count makes one short page.
    mock::activity::list()
        .respond(200, &items)
        .expect(1)
        .mount(&server)
        .await;

    let mut params = activity::ListParams::new(Network::Ethereum, WALLET.to_owned());
    params.page_size = Some(10);
    let client = client(&server);
    let got: Vec<_> = client
        .activity()
        .list_stream(&params)
        .map(|item| item.expect("the stub answers"))
        .collect()
        .await;
    assert_eq!(got, items);
}
