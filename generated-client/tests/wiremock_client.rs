//! The generated client against an in-process `wiremock` server: what goes on the wire
//! (method, path, query, headers, JSON and multipart bodies, credentials) and how every kind
//! of response is turned into a value or an [`Error`].
//!
//! No WalletKit operation has path parameters (the spec has no `in: path` parameter), so
//! path tests check the fixed paths and how the base URL is joined with them.

use walletkit_client::apis::{addresses, nfts, policies, transactions, users, wallets};
use walletkit_client::types::{
    ArgumentRule, ChangeUserPinRequest, CreateRequest2, CreateWalletRequest, ErrorResponse,
    LoginWithMagicLinkRequest, MintNftRequest, MintNftRequestMetadata, Network,
    NftImageUploadRequest, Operator, SignRequest, UnsignedTransaction, WalletControlMode,
    WalletType,
};
use walletkit_client::{Client, Error, RetryPolicy, Server, Upload};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PROJECT_ID: &str = "project-id";
const TOKEN: &str = "token";
const PROJECT_HEADER: &str = "X-WalletKit-Project-ID";

/// A client for `server` authenticated with [`TOKEN`].
fn client(server: &MockServer) -> Client {
    Client::new(Server::Custom(server.uri()), PROJECT_ID).with_bearer_auth(TOKEN)
}

/// A client for `server` without any credentials.
fn anonymous_client(server: &MockServer) -> Client {
    Client::new(Server::Custom(server.uri()), PROJECT_ID)
}

/// The one request `server` received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is enabled");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request: {requests:?}"
    );
    requests.remove(0)
}

/// All values of header `name` on `request`, as text.
fn header_values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|value| value.to_str().expect("header is ASCII").to_owned())
        .collect()
}

/// The query pairs of `request`, decoded and sorted.
fn sorted_query(request: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    pairs.sort();
    pairs
}

fn wallet_json() -> serde_json::Value {
    serde_json::json!({
        "id": "wallet-1",
        "created_at": "2024-05-01T10:00:00Z",
        "network": "Ethereum",
        "name": "main",
        "address": "0x976Cf57B7EE1D84E73BE9115457889d49a8A1335"
    })
}

fn session_challenge_json() -> serde_json::Value {
    serde_json::json!({ "id": "challenge-1", "code": "123456", "expired": false, "completed": false })
}

fn submission_json() -> serde_json::Value {
    serde_json::json!({ "transaction_id": "tx-1", "network": "Polygon", "status": "submitted" })
}

fn policy_json() -> serde_json::Value {
    serde_json::json!({
        "uuid": "policy-1",
        "project_id": PROJECT_ID,
        "network": "Base",
        "name": "transfers only",
        "wallet_address": "0xabc",
        "argument_rules": [
            { "argument": "decodedInput.function", "operator": "eq", "value": "transfer" }
        ],
        "created_at": "2024-05-01T10:00:00Z",
        "updated_at": "2024-05-01T10:00:00Z"
    })
}

// ---------------------------------------------------------------------------------------------
// Method and path
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_operation_uses_get_and_its_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wallets/get-by-network"))
        .respond_with(ResponseTemplate::new(200).set_body_json(wallet_json()))
        .expect(1)
        .mount(&server)
        .await;

    let wallet = client(&server)
        .wallets()
        .get_by_network(&wallets::GetByNetworkParams::new(Network::Ethereum))
        .await
        .expect("GET /wallets/get-by-network succeeds");

    assert_eq!(wallet.id, "wallet-1");
    assert_eq!(wallet.network, Network::Ethereum);
    assert_eq!(wallet.name.as_deref(), Some("main"));
    assert_eq!(wallet.owner_id, None);
    assert_eq!(wallet.address, "0x976Cf57B7EE1D84E73BE9115457889d49a8A1335");
    server.verify().await;
}

#[tokio::test]
async fn post_operations_use_post_and_their_paths() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/create-session-challenge"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_challenge_json()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/users/passkey/begin-registration"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"rp": {"id": "x"}})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let challenge = client
        .users()
        .create_session_challenge()
        .await
        .expect("POST /users/create-session-challenge succeeds");
    assert_eq!(challenge.code, "123456");
    assert!(!challenge.expired && !challenge.completed);

    let options = client
        .users()
        .begin_passkey_registration()
        .await
        .expect("POST /users/passkey/begin-registration succeeds");
    assert_eq!(options, serde_json::json!({"rp": {"id": "x"}}));

    let requests = server.received_requests().await.unwrap();
    let seen: Vec<(String, String)> = requests
        .iter()
        .map(|r| (r.method.to_string(), r.url.path().to_owned()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "POST".to_owned(),
                "/users/create-session-challenge".to_owned()
            ),
            (
                "POST".to_owned(),
                "/users/passkey/begin-registration".to_owned()
            ),
        ]
    );
    // A body-less POST has no body.
    assert!(requests.iter().all(|r| r.body.is_empty()));
    server.verify().await;
}

#[tokio::test]
async fn same_path_different_methods_are_different_operations() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wallets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([wallet_json()])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/wallets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(wallet_json()))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let listed = client
        .wallets()
        .list(&wallets::ListParams::default())
        .await
        .expect("GET /wallets succeeds");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, "wallet-1");

    let created = client
        .wallets()
        .create(&CreateWalletRequest {
            network: Network::Ethereum,
            name: "main".to_owned(),
            owner_id: None,
            control_mode: WalletControlMode::Developer,
            r#type: None,
            developer_secret: Some("testnet-secret".to_owned()),
            user_pin: None,
        })
        .await
        .expect("POST /wallets succeeds");
    assert_eq!(created.id, "wallet-1");
    server.verify().await;
}

#[tokio::test]
async fn base_url_trailing_slash_and_prefix_are_joined_with_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/logout"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users/logout"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let with_slash = Client::new(Server::Custom(format!("{}/", server.uri())), PROJECT_ID);
    assert_eq!(with_slash.base_url(), server.uri());
    with_slash
        .users()
        .logout()
        .await
        .expect("no double slash in the URL");

    let with_prefix = Client::new(
        Server::Custom(format!("{}/api/v1/", server.uri())),
        PROJECT_ID,
    );
    with_prefix
        .users()
        .logout()
        .await
        .expect("the base URL's path is kept");
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// Query parameters
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn required_query_params_only_when_optionals_are_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/nfts/collections"))
        .and(query_param("network", "Ethereum"))
        .and(query_param("wallet_address", "0xabc"))
        .and(query_param_is_missing("page"))
        .and(query_param_is_missing("page_size"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;

    let collections = client(&server)
        .nfts()
        .list_nft_collections(&nfts::ListNftCollectionsParams::new(
            Network::Ethereum,
            "0xabc".to_owned(),
        ))
        .await
        .expect("the request matches");
    assert!(collections.is_empty());

    let request = only_request(&server).await;
    assert_eq!(
        sorted_query(&request),
        pairs(&[("network", "Ethereum"), ("wallet_address", "0xabc")])
    );
    server.verify().await;
}

#[tokio::test]
async fn optional_query_params_are_sent_when_some() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/nfts"))
        .and(query_param("network", "Polygon"))
        .and(query_param("contract_address", "0xc0ffee"))
        .and(query_param("page", "2"))
        .and(query_param("page_size", "50"))
        .and(query_param_is_missing("wallet_address"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
            { "owner_wallet_address": "0xabc", "contract_address": "0xc0ffee", "token_id": "7" }
        ])))
        .expect(1)
        .mount(&server)
        .await;

    let mut params = nfts::ListNftsParams::new(Network::Polygon);
    params.contract_address = Some("0xc0ffee".to_owned());
    params.page = Some(2);
    params.page_size = Some(50);
    let listed = client(&server)
        .nfts()
        .list_nfts(&params)
        .await
        .expect("the request matches");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].token_id, "7");
    assert_eq!(listed[0].metadata, None);

    let request = only_request(&server).await;
    assert_eq!(
        sorted_query(&request),
        pairs(&[
            ("network", "Polygon"),
            ("contract_address", "0xc0ffee"),
            ("page", "2"),
            ("page_size", "50"),
        ])
    );
    server.verify().await;
}

#[tokio::test]
async fn all_optional_query_params_none_leaves_no_query_string() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wallets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .wallets()
        .list(&wallets::ListParams::default())
        .await
        .expect("GET /wallets succeeds");

    let request = only_request(&server).await;
    assert!(
        request.url.query().unwrap_or("").is_empty(),
        "no query expected, got {:?}",
        request.url.query()
    );
    server.verify().await;
}

#[tokio::test]
async fn optional_enum_and_string_query_params_use_wire_spelling() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wallets"))
        .and(query_param("network", "Avalanche"))
        .and(query_param("page", "3"))
        .and(query_param("page_size", "25"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;

    let params = wallets::ListParams {
        network: Some(Network::Avalanche),
        page: Some(3),
        page_size: Some("25".to_owned()),
    };
    client(&server)
        .wallets()
        .list(&params)
        .await
        .expect("the request matches");
    server.verify().await;
}

#[tokio::test]
async fn optional_enum_query_param_absent_when_none_present_when_some() {
    let server = MockServer::start().await;
    let collection = serde_json::json!({
        "network": "Vara", "contract_address": "0xc0ffee", "name": "Cats", "image_url": "https://x/cat.png"
    });
    Mock::given(method("GET"))
        .and(path("/nfts/collection-by-address"))
        .and(query_param("contract_address", "0xc0ffee"))
        .respond_with(ResponseTemplate::new(200).set_body_json(collection))
        .expect(2)
        .mount(&server)
        .await;

    let client = client(&server);
    let mut params = nfts::GetNftCollectionParams::new("0xc0ffee".to_owned());
    let got = client.nfts().get_nft_collection(&params).await.unwrap();
    assert_eq!(got.network, Network::Vara);
    assert_eq!(got.symbol, None);
    params.network = Some(Network::Vara);
    client.nfts().get_nft_collection(&params).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        sorted_query(&requests[0]),
        pairs(&[("contract_address", "0xc0ffee")])
    );
    assert_eq!(
        sorted_query(&requests[1]),
        pairs(&[("contract_address", "0xc0ffee"), ("network", "Vara")])
    );
    server.verify().await;
}

#[tokio::test]
async fn unknown_enum_value_in_a_query_is_sent_verbatim() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wallets/get-by-network"))
        .and(query_param("network", "Solana"))
        .respond_with(ResponseTemplate::new(200).set_body_json(wallet_json()))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .wallets()
        .get_by_network(&wallets::GetByNetworkParams::new(Network::Unknown(
            "Solana".to_owned(),
        )))
        .await
        .expect("the request matches");
    server.verify().await;
}

#[tokio::test]
async fn query_values_with_reserved_characters_are_percent_encoded() {
    let server = MockServer::start().await;
    let addresses = "0xaaa,0xbbb&evil=1 +#";
    Mock::given(method("GET"))
        .and(path("/addresses/metadata"))
        .and(query_param("network", "Base"))
        .and(query_param("addresses", addresses))
        .and(query_param_is_missing("evil"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "0xaaa": { "network": "Base", "address": "0xaaa", "type": "token", "name": "USDC" },
            "0xbbb": null
        })))
        .expect(1)
        .mount(&server)
        .await;

    let metadata = client(&server)
        .addresses()
        .list_metadata(&addresses::ListMetadataParams::new(
            Network::Base,
            addresses.to_owned(),
        ))
        .await
        .expect("the request matches");
    assert_eq!(metadata.len(), 2);
    let known = metadata["0xaaa"].as_ref().expect("0xaaa is known");
    assert_eq!(known.r#type, walletkit_client::types::AddressType::Token);
    assert_eq!(known.name.as_deref(), Some("USDC"));
    assert_eq!(metadata["0xbbb"], None);

    let request = only_request(&server).await;
    assert_eq!(
        sorted_query(&request),
        pairs(&[("network", "Base"), ("addresses", addresses)])
    );
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// JSON request bodies
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn json_body_omits_optional_fields_that_are_none() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/wallets"))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({
            "network": "Polygon",
            "name": "alice",
            "control_mode": "user",
            "type": "eoa",
            "user_pin": "123456"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(wallet_json()))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .wallets()
        .create(&CreateWalletRequest {
            network: Network::Polygon,
            name: "alice".to_owned(),
            owner_id: None,
            control_mode: WalletControlMode::User,
            r#type: Some(WalletType::Eoa),
            developer_secret: None,
            user_pin: Some("123456".to_owned()),
        })
        .await
        .expect("the body matches exactly");

    // Belt and braces: the raw body has no `null`s and none of the omitted keys.
    let request = only_request(&server).await;
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    let object = sent.as_object().unwrap();
    assert!(!object.contains_key("owner_id"));
    assert!(!object.contains_key("developer_secret"));
    assert!(!String::from_utf8(request.body.clone())
        .unwrap()
        .contains("null"));
    server.verify().await;
}

#[tokio::test]
async fn json_body_sends_required_nullable_fields_as_null() {
    // `POST /policies` requires `developer_secret` and `user_pin`, both nullable
    // (DeveloperSecret / UserPin are `nullable: true`); `expires_at` is optional.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/policies"))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({
            "network": "Base",
            "name": "transfers only",
            "wallet_address": "0xabc",
            "argument_rules": [
                { "argument": "decodedInput.function", "operator": "eq", "value": "transfer" },
                { "argument": "decodedInput.amount", "operator": "le", "value": "100" }
            ],
            "developer_secret": "testnet-secret",
            "user_pin": null
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(policy_json()))
        .expect(1)
        .mount(&server)
        .await;

    let policy = client(&server)
        .policies()
        .create(&CreateRequest2 {
            network: Network::Base,
            name: "transfers only".to_owned(),
            wallet_address: "0xabc".to_owned(),
            argument_rules: vec![
                ArgumentRule {
                    argument: "decodedInput.function".to_owned(),
                    operator: Operator::Eq,
                    value: "transfer".to_owned(),
                },
                ArgumentRule {
                    argument: "decodedInput.amount".to_owned(),
                    operator: Operator::Le,
                    value: "100".to_owned(),
                },
            ],
            expires_at: None,
            developer_secret: Some("testnet-secret".to_owned()),
            user_pin: None,
        })
        .await
        .expect("the body matches exactly");
    assert_eq!(policy.uuid, "policy-1");
    assert_eq!(policy.argument_rules[0].operator, Operator::Eq);
    assert_eq!(policy.expires_at, None);

    let request = only_request(&server).await;
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    let object = sent.as_object().unwrap();
    assert_eq!(object.get("user_pin"), Some(&serde_json::Value::Null));
    assert!(!object.contains_key("expires_at"));
    server.verify().await;
}

#[tokio::test]
async fn json_body_sends_both_nullable_pins_as_null_and_date_time_as_rfc3339() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/wallets/change-user-pin"))
        .and(body_json(serde_json::json!({
            "network": "Ethereum",
            "address": "0xabc",
            "old_user_pin": null,
            "new_user_pin": "654321"
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"success": true})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/policies"))
        .and(body_json(serde_json::json!({
            "network": "Base",
            "name": "expiring",
            "wallet_address": "0xabc",
            "argument_rules": [],
            "expires_at": "2030-01-02T03:04:05Z",
            "developer_secret": null,
            "user_pin": null
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(policy_json()))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let changed = client
        .wallets()
        .change_user_pin(&ChangeUserPinRequest {
            network: Network::Ethereum,
            address: "0xabc".to_owned(),
            old_user_pin: None,
            new_user_pin: Some("654321".to_owned()),
        })
        .await
        .expect("the body matches exactly");
    assert!(changed.success);

    let expires_at = "2030-01-02T03:04:05Z"
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap();
    client
        .policies()
        .create(&CreateRequest2 {
            network: Network::Base,
            name: "expiring".to_owned(),
            wallet_address: "0xabc".to_owned(),
            argument_rules: vec![],
            expires_at: Some(expires_at),
            developer_secret: None,
            user_pin: None,
        })
        .await
        .expect("the body matches exactly");
    server.verify().await;
}

#[tokio::test]
async fn json_body_nested_objects_and_renamed_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/nfts/mint"))
        .and(body_json(serde_json::json!({
            "network": "Polygon",
            "contract_address": "0xc0ffee",
            "metadata": { "name": "Cat", "description": "A cat", "image": "ipfs://cat" },
            "developer_secret": "testnet-secret"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(submission_json()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/transactions/sign"))
        .and(body_json(serde_json::json!({
            "network": "Ethereum",
            "signer_wallet_address": "0xabc",
            "unsigned_transaction": {
                "to": "0xdef",
                "input": "0xa9059cbb",
                "gasLimit": "0x5208",
                "maxFeePerGas": "0x1"
            },
            "user_pin": "123456"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json("0xsigned"))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let submitted = client
        .nfts()
        .mint_nft(&MintNftRequest {
            network: Network::Polygon,
            contract_address: "0xc0ffee".to_owned(),
            recipient: None,
            metadata: Some(MintNftRequestMetadata {
                name: "Cat".to_owned(),
                description: "A cat".to_owned(),
                image: "ipfs://cat".to_owned(),
            }),
            uri: None,
            developer_secret: Some("testnet-secret".to_owned()),
            user_pin: None,
        })
        .await
        .expect("the body matches exactly");
    assert_eq!(submitted.transaction_id, "tx-1");
    assert_eq!(submitted.network, Network::Polygon);

    let signed = client
        .transactions()
        .sign(&SignRequest {
            network: Network::Ethereum,
            signer_wallet_address: "0xabc".to_owned(),
            unsigned_transaction: UnsignedTransaction {
                to: "0xdef".to_owned(),
                value: None,
                input: Some("0xa9059cbb".to_owned()),
                gas_limit: Some("0x5208".to_owned()),
                max_priority_fee_per_gas: None,
                max_fee_per_gas: Some("0x1".to_owned()),
                nonce: None,
            },
            developer_secret: None,
            user_pin: Some("123456".to_owned()),
        })
        .await
        .expect("the body matches exactly");
    assert_eq!(signed, "0xsigned");
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// Multipart
// ---------------------------------------------------------------------------------------------

/// One part of a multipart body: lower-cased header names with their values, and the content.
#[derive(Debug)]
struct Part {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Part {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The boundary of a `multipart/form-data` Content-Type, checking the media type.
fn multipart_boundary(content_type: &str) -> String {
    let (media_type, parameters) = content_type
        .split_once(';')
        .unwrap_or_else(|| panic!("no parameters in Content-Type {content_type:?}"));
    assert_eq!(media_type.trim(), "multipart/form-data");
    let boundary = parameters
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .unwrap_or_else(|| panic!("no boundary in Content-Type {content_type:?}"))
        .trim_matches('"')
        .to_owned();
    assert!(!boundary.is_empty());
    boundary
}

/// Splits a multipart body (RFC 7578 / RFC 2046) strictly: it must start with the first
/// delimiter and end with the close delimiter.
fn parse_multipart(body: &[u8], boundary: &str) -> Vec<Part> {
    let delimiter = format!("--{boundary}").into_bytes();
    let next_delimiter = [b"\r\n".as_slice(), &delimiter].concat();
    let mut rest = body
        .strip_prefix(delimiter.as_slice())
        .expect("the body starts with the first delimiter");
    let mut parts = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix(b"--") {
            assert!(
                after.is_empty() || after == b"\r\n",
                "trailing bytes after the close delimiter: {after:?}"
            );
            break;
        }
        rest = rest.strip_prefix(b"\r\n").expect("CRLF after a delimiter");
        let end = find(rest, &next_delimiter).expect("every part is followed by a delimiter");
        let part = &rest[..end];
        rest = &rest[end + next_delimiter.len()..];
        let header_end = find(part, b"\r\n\r\n").expect("a blank line ends the part headers");
        let headers = std::str::from_utf8(&part[..header_end])
            .expect("part headers are text")
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(':').expect("a header line has a colon");
                (name.trim().to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect();
        parts.push(Part {
            headers,
            body: part[header_end + 4..].to_vec(),
        });
    }
    parts
}

/// Bytes that are not UTF-8 and contain CR, LF, NUL and `--`, to catch any re-encoding.
fn image_bytes() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR--not-a-boundary\r\n--".to_vec();
    bytes.extend(0u8..=255);
    bytes.extend_from_slice(b"\r\n");
    bytes
}

#[tokio::test]
async fn nft_image_upload_sends_multipart_with_the_file_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/nfts/upload"))
        .and(header(PROJECT_HEADER, PROJECT_ID))
        .and(header("authorization", "Bearer token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "ipfs_url": "ipfs://bafy-cat" })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let bytes = image_bytes();
    let uploaded = client(&server)
        .nfts()
        .nft_image_upload(&NftImageUploadRequest {
            file: Upload::new(bytes.clone())
                .with_file_name("cat.png")
                .with_content_type("image/png"),
        })
        .await
        .expect("the upload succeeds");
    assert_eq!(uploaded.ipfs_url, "ipfs://bafy-cat");

    let request = only_request(&server).await;
    let content_type = header_values(&request, "content-type");
    assert_eq!(content_type.len(), 1, "one Content-Type: {content_type:?}");
    let boundary = multipart_boundary(&content_type[0]);
    assert!(
        find(&bytes, boundary.as_bytes()).is_none(),
        "the boundary must not occur in the content"
    );

    let parts = parse_multipart(&request.body, &boundary);
    assert_eq!(parts.len(), 1, "only the `file` part: {parts:?}");
    let file = &parts[0];
    assert_eq!(
        file.header("content-disposition"),
        Some(r#"form-data; name="file"; filename="cat.png""#)
    );
    assert_eq!(file.header("content-type"), Some("image/png"));
    assert_eq!(
        file.body, bytes,
        "the part holds exactly the uploaded bytes"
    );

    // When a Content-Length is sent it is the exact body size.
    if let Some(length) = header_values(&request, "content-length").first() {
        assert_eq!(length.parse::<usize>().unwrap(), request.body.len());
    }
    server.verify().await;
}

#[tokio::test]
async fn nft_image_upload_without_content_type_labels_the_part_octet_stream() {
    // `Upload::content_type` is documented as "`application/octet-stream` when unset".
    // (RFC 7578 §4.4: a part without Content-Type defaults to text/plain, so the label must be
    // sent explicitly.)
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/nfts/upload"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({ "ipfs_url": "ipfs://x" })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let bytes = image_bytes();
    client(&server)
        .nfts()
        .nft_image_upload(&NftImageUploadRequest {
            file: Upload::new(bytes.clone()).with_file_name("blob.bin"),
        })
        .await
        .expect("the upload succeeds");

    let request = only_request(&server).await;
    let boundary = multipart_boundary(&header_values(&request, "content-type")[0]);
    let parts = parse_multipart(&request.body, &boundary);
    assert_eq!(parts.len(), 1);
    assert_eq!(
        parts[0].header("content-disposition"),
        Some(r#"form-data; name="file"; filename="blob.bin""#)
    );
    assert_eq!(parts[0].body, bytes);
    assert_eq!(
        parts[0].header("content-type"),
        Some("application/octet-stream"),
        "an Upload without a media type should be labelled application/octet-stream, as documented; part headers: {:?}",
        parts[0].headers
    );
    server.verify().await;
}

#[tokio::test]
async fn nft_image_upload_with_invalid_media_type_is_an_invalid_request_and_sends_nothing() {
    let server = MockServer::start().await;

    let error = client(&server)
        .nfts()
        .nft_image_upload(&NftImageUploadRequest {
            file: Upload::new(vec![1, 2, 3]).with_content_type("not a media type"),
        })
        .await
        .expect_err("an invalid media type is rejected");
    match &error {
        Error::InvalidRequest(message) => assert!(
            message.contains("not a media type"),
            "message names the value: {message}"
        ),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_eq!(error.status(), None);
    let shown = error.to_string();
    assert!(shown.contains("could not be built"), "{shown}");
    assert!(shown.contains("not a media type"), "{shown}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Project id header and bearer token
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn project_id_header_is_sent_on_authenticated_and_unauthenticated_operations() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wallets/get-by-network"))
        .and(header(PROJECT_HEADER, "proj-42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(wallet_json()))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/users/login-with-magic-link"))
        .and(header(PROJECT_HEADER, "proj-42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_challenge_json()))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/users/session-challenge"))
        .and(header(PROJECT_HEADER, "proj-42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_challenge_json()))
        .expect(1)
        .mount(&server)
        .await;

    let with_token = Client::new(Server::Custom(server.uri()), "proj-42").with_bearer_auth(TOKEN);
    let without_token = Client::new(Server::Custom(server.uri()), "proj-42");
    let magic_link = LoginWithMagicLinkRequest {
        email: "a@example.com".to_owned(),
    };
    for client in [&with_token, &without_token] {
        client
            .wallets()
            .get_by_network(&wallets::GetByNetworkParams::new(Network::Base))
            .await
            .unwrap();
        client
            .users()
            .login_with_magic_link(&magic_link)
            .await
            .unwrap();
    }
    without_token
        .users()
        .get_session_challenge(&users::GetSessionChallengeParams::new("123456".to_owned()))
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 5);
    for request in &requests {
        assert_eq!(
            header_values(request, PROJECT_HEADER),
            vec!["proj-42".to_owned()],
            "exactly one project id header on {} {}",
            request.method,
            request.url
        );
    }
    server.verify().await;
}

#[tokio::test]
async fn bearer_token_is_sent_on_a_bearer_auth_operation() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wallets/get-by-network"))
        .and(header("authorization", "Bearer token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(wallet_json()))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .wallets()
        .get_by_network(&wallets::GetByNetworkParams::new(Network::Ethereum))
        .await
        .expect("the Authorization header matches");

    let request = only_request(&server).await;
    assert_eq!(
        header_values(&request, "authorization"),
        vec!["Bearer token".to_owned()]
    );
    server.verify().await;
}

#[tokio::test]
async fn bearer_token_is_not_sent_on_a_security_none_operation() {
    // `/users/login-with-magic-link` has no `security`, so it inherits the top-level `security: []`.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/login-with-magic-link"))
        .and(header(PROJECT_HEADER, PROJECT_ID))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({ "email": "a@example.com" })))
        .respond_with(ResponseTemplate::new(200).set_body_json(session_challenge_json()))
        .expect(1)
        .mount(&server)
        .await;

    let challenge = client(&server)
        .users()
        .login_with_magic_link(&LoginWithMagicLinkRequest {
            email: "a@example.com".to_owned(),
        })
        .await
        .expect("the request matches");
    assert_eq!(challenge.id, "challenge-1");

    let request = only_request(&server).await;
    assert!(
        header_values(&request, "authorization").is_empty(),
        "no Authorization on a `security: []` operation, got {:?}",
        header_values(&request, "authorization")
    );
    server.verify().await;
}

#[tokio::test]
async fn bearer_token_is_not_sent_when_the_client_has_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wallets/get-by-network"))
        .and(header(PROJECT_HEADER, PROJECT_ID))
        .respond_with(ResponseTemplate::new(200).set_body_json(wallet_json()))
        .expect(1)
        .mount(&server)
        .await;

    anonymous_client(&server)
        .wallets()
        .get_by_network(&wallets::GetByNetworkParams::new(Network::Ethereum))
        .await
        .expect("the request is sent without credentials");

    let request = only_request(&server).await;
    assert!(header_values(&request, "authorization").is_empty());
    server.verify().await;
}

#[tokio::test]
async fn invalid_project_id_is_an_invalid_request_error() {
    // `Error::InvalidRequest` is documented as "The request could not be built, e.g. a value is
    // not valid in an HTTP header", and `Error::Transport` as "No response was received:
    // connecting, TLS, a timeout, or reading the body failed".
    let server = MockServer::start().await;
    let client = Client::new(Server::Custom(server.uri()), "bad\nproject");

    let error = client
        .users()
        .logout()
        .await
        .expect_err("a project id with a newline cannot be sent");
    assert!(server.received_requests().await.unwrap().is_empty());
    assert!(
        matches!(error, Error::InvalidRequest(_)),
        "an invalid header value should be Error::InvalidRequest, got {error:?}"
    );
}

#[tokio::test]
async fn token_never_appears_in_debug_output() {
    let secret = "sk_live_S3cr3t-T0ken-value";
    let client = Client::new(Server::Custom("http://127.0.0.1:1".to_owned()), PROJECT_ID)
        .with_bearer_auth(secret);
    let debug = format!("{client:?}");
    assert!(!debug.contains(secret), "token leaked: {debug}");
    assert!(!debug.contains("S3cr3t"), "token leaked: {debug}");
    assert!(debug.contains("redacted"), "{debug}");
    assert!(debug.contains(PROJECT_ID), "{debug}");
    let pretty = format!("{client:#?}");
    assert!(!pretty.contains(secret), "token leaked: {pretty}");
    // Also through an operation group, which holds a reference to the client.
    let group = format!("{:?}", client.wallets());
    assert!(!group.contains(secret), "token leaked: {group}");

    // And the default `Client` (no token) still reads sensibly.
    let plain = format!("{:?}", Client::new(Server::Testnet, PROJECT_ID));
    assert!(plain.contains("https://testnet.walletkit.com"), "{plain}");
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn logout_204_returns_unit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/logout"))
        .and(header(PROJECT_HEADER, PROJECT_ID))
        .and(header("authorization", "Bearer token"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let result = client(&server).users().logout().await;
    assert!(matches!(result, Ok(())), "got {result:?}");
    server.verify().await;
}

#[tokio::test]
async fn documented_error_status_is_api_error_with_parsed_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wallets/get-by-network"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "code": "invalid_network",
            "error": "network is not supported"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server)
        .wallets()
        .get_by_network(&wallets::GetByNetworkParams::new(Network::Ethereum))
        .await
        .expect_err("400 is an error");
    match &error {
        Error::Api { status, body } => {
            assert_eq!(status.as_u16(), 400);
            assert_eq!(
                body,
                &ErrorResponse {
                    code: Some("invalid_network".to_owned()),
                    error: "network is not supported".to_owned(),
                }
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(
        error.body().map(|b| b.error.as_str()),
        Some("network is not supported")
    );
    let shown = error.to_string();
    assert!(shown.contains("400"), "{shown}");
    assert!(shown.contains("network is not supported"), "{shown}");
    assert!(shown.contains("invalid_network"), "{shown}");
    server.verify().await;
}

#[tokio::test]
async fn documented_error_with_null_code_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/logout"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({ "code": null, "error": "unauthorized" })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server).users().logout().await.unwrap_err();
    match error {
        Error::Api { status, body } => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(body.code, None);
            assert_eq!(body.error, "unauthorized");
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    server.verify().await;
}

#[tokio::test]
async fn undocumented_status_is_unexpected_status_with_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/logout"))
        .respond_with(ResponseTemplate::new(418).set_body_string("I'm a teapot, short and stout"))
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server).users().logout().await.unwrap_err();
    match &error {
        Error::UnexpectedStatus { status, body } => {
            assert_eq!(status.as_u16(), 418);
            assert_eq!(body, "I'm a teapot, short and stout");
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(error.status().map(|s| s.as_u16()), Some(418));
    assert!(error.body().is_none());
    let shown = error.to_string();
    assert!(shown.contains("418"), "{shown}");
    assert!(shown.contains("does not document"), "{shown}");
    assert!(shown.contains("I'm a teapot, short and stout"), "{shown}");
    server.verify().await;
}

#[tokio::test]
async fn undocumented_success_status_is_unexpected_status() {
    // Logout documents 204, not 200.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/logout"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;

    match client(&server).users().logout().await {
        Err(Error::UnexpectedStatus { status, body }) => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, "{}");
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
    server.verify().await;
}

#[tokio::test]
async fn long_unexpected_body_is_kept_whole_but_shortened_in_display() {
    let server = MockServer::start().await;
    let body = "é".repeat(2000); // 4000 bytes of two-byte characters
    Mock::given(method("GET"))
        .and(path("/wallets/get-by-network"))
        .respond_with(ResponseTemplate::new(502).set_body_string(body.clone()))
        .expect(1)
        .mount(&server)
        .await;

    // 502 is retryable; this test is about the error, so the client does not retry.
    let error = client(&server)
        .with_retry_policy(RetryPolicy::none())
        .wallets()
        .get_by_network(&wallets::GetByNetworkParams::new(Network::Ethereum))
        .await
        .unwrap_err();
    match &error {
        Error::UnexpectedStatus { status, body: got } => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(got, &body);
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
    let shown = error.to_string();
    assert!(shown.contains("502"), "{shown}");
    assert!(shown.len() < body.len(), "Display shortens the body");
    server.verify().await;
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::new(
        Server::Custom(format!("http://127.0.0.1:{port}")),
        PROJECT_ID,
    )
    .with_bearer_auth(TOKEN);

    let error = client
        .wallets()
        .get_by_network(&wallets::GetByNetworkParams::new(Network::Ethereum))
        .await
        .expect_err("nothing listens on the port");
    match &error {
        Error::Transport(inner) => {
            assert!(inner.is_connect(), "a connect error: {inner:?}");
            assert!(inner.status().is_none());
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert_eq!(error.status(), None);
    assert!(std::error::Error::source(&error).is_some());
    let shown = error.to_string();
    assert!(shown.contains("before a response arrived"), "{shown}");
    assert!(
        shown.contains(&port.to_string()),
        "names the address: {shown}"
    );
}

#[tokio::test]
async fn success_body_not_matching_schema_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wallets/get-by-network"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "nope": 1 })))
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server)
        .wallets()
        .get_by_network(&wallets::GetByNetworkParams::new(Network::Ethereum))
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            status,
            body,
            source,
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, r#"{"nope":1}"#);
            assert!(
                source.is_data(),
                "a schema mismatch, not a syntax error: {source}"
            );
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert!(std::error::Error::source(&error).is_some());
    let shown = error.to_string();
    assert!(shown.contains("200"), "{shown}");
    assert!(
        shown.contains("does not match the documented schema"),
        "{shown}"
    );
    assert!(
        shown.contains("missing field"),
        "names the problem: {shown}"
    );
    assert!(shown.contains(r#"{"nope":1}"#), "{shown}");
    server.verify().await;
}

#[tokio::test]
async fn invalid_json_is_a_decode_error_keeping_the_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/login-with-magic-link"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string("<html>not json</html>"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server)
        .users()
        .login_with_magic_link(&LoginWithMagicLinkRequest {
            email: "a@example.com".to_owned(),
        })
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            status,
            body,
            source,
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, "<html>not json</html>");
            assert!(source.is_syntax(), "{source}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    let shown = error.to_string();
    assert!(
        shown.contains("does not match the documented schema"),
        "{shown}"
    );
    assert!(shown.contains("<html>not json</html>"), "{shown}");
    server.verify().await;
}

#[tokio::test]
async fn documented_error_with_malformed_body_is_a_decode_error_with_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/users/logout"))
        .respond_with(ResponseTemplate::new(500).set_body_string("Internal Server Error"))
        .expect(1)
        .mount(&server)
        .await;

    match client(&server).users().logout().await {
        Err(Error::Decode { status, body, .. }) => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(body, "Internal Server Error");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    server.verify().await;
}

#[tokio::test]
async fn unknown_enum_value_decodes_into_unknown_and_extra_fields_are_ignored() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/wallets/get-by-network"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "wallet-9",
            "created_at": "2024-05-01T10:00:00Z",
            "network": "Solana",
            "address": "So1ana",
            "colour": "blue",
            "nested_extra": { "a": [1, 2, 3] }
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/nfts/transfer"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "transaction_id": "tx-2",
            "network": "Ethereum",
            "status": "queued",
            "eta_seconds": 12
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let wallet = client
        .wallets()
        .get_by_network(&wallets::GetByNetworkParams::new(Network::Ethereum))
        .await
        .expect("unknown enum values and extra fields are accepted");
    assert_eq!(wallet.network, Network::Unknown("Solana".to_owned()));
    assert_eq!(wallet.network.as_str(), "Solana");
    assert_eq!(wallet.network.to_string(), "Solana");
    assert_eq!(wallet.id, "wallet-9");
    assert_eq!(wallet.name, None);

    // A known value still decodes into its own variant, not `Unknown`.
    let submitted = client
        .nfts()
        .transfer_nft(&walletkit_client::types::TransferNftRequest {
            network: Network::Ethereum,
            from: "0xabc".to_owned(),
            contract_address: "0xc0ffee".to_owned(),
            recipient: "0xdef".to_owned(),
            token_id: Some("7".to_owned()),
            developer_secret: Some("testnet-secret".to_owned()),
            user_pin: None,
        })
        .await
        .expect("extra fields are ignored");
    assert_eq!(submitted.network, Network::Ethereum);
    assert_eq!(submitted.status, "queued");
    server.verify().await;
}

#[tokio::test]
async fn unknown_enum_value_nested_in_a_list_decodes_into_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/policies"))
        .and(query_param("network", "Base"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!([{
                "uuid": "policy-2",
                "project_id": PROJECT_ID,
                "network": "Base",
                "wallet_address": "0xabc",
                "argument_rules": [
                    { "argument": "decodedInput.to", "operator": "in", "value": "0x1,0x2" }
                ],
                "created_at": "2024-05-01T10:00:00Z",
                "updated_at": "2024-05-02T10:00:00+02:00",
                "revoked": false
            }])),
        )
        .expect(1)
        .mount(&server)
        .await;

    let policies = client(&server)
        .policies()
        .list(&policies::ListParams::new(Network::Base))
        .await
        .expect("decodes");
    assert_eq!(policies.len(), 1);
    assert_eq!(
        policies[0].argument_rules[0].operator,
        Operator::Unknown("in".to_owned())
    );
    assert_eq!(
        policies[0].updated_at,
        "2024-05-02T08:00:00Z"
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    );
    server.verify().await;
}

#[tokio::test]
async fn transactions_status_by_id_optional_query_param() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/transactions/status-by-id"))
        .and(query_param("id", "tx-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "transaction_id": "tx-1",
            "network": "Polygon",
            "status": "success",
            "contract_address": "0xnew"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let params = transactions::StatusByIdParams {
        id: Some("tx-1".to_owned()),
    };
    let status = client(&server)
        .transactions()
        .status_by_id(&params)
        .await
        .expect("the request matches");
    assert_eq!(status.transaction_hash, None);
    assert_eq!(status.contract_address.as_deref(), Some("0xnew"));
    server.verify().await;
}
