//! Contract test: every operation of the generated client against a Prism mock of
//! `spec/walletkit.yaml`.
//!
//! One Prism serves the whole file: a single test function starts it and runs everything in
//! sequence. The client reaches Prism through a recording proxy (`support::recorder`), because
//! Prism reports a spec violation in the `sl-violations` response header, which the client
//! cannot see, and does not always answer it with an error status (warnings still get the
//! success response; `--errors` only affects violations of Prism's own mocked *response*).
//! A call passes when
//! - it returns `Ok`, i.e. a documented success status whose body decodes into the success type;
//! - it made exactly one HTTP request, with the method and path the spec gives its operationId;
//! - Prism answered 2xx without an `sl-violations` header (no request or response violation).
//!
//! Failures are collected and listed together at the end, after checking that the operations
//! called are exactly the spec's operationIds (found with a line scan of the YAML).
//!
//! Prism answers with the spec's examples (or schema-shaped stand-ins); set
//! `WALLETKIT_CONTRACT_PRISM_ARGS="--dynamic --seed 7"` to check decoding against
//! schema-generated responses instead.
//!
//! Before the contract run the harness checks itself: deliberately invalid requests, sent with
//! plain reqwest and with the client, must be rejected by the same Prism and be recorded with
//! their violations; otherwise a passing run would prove nothing.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::future::Future;
use std::path::Path;

use support::prism::PrismServer;
use support::recorder::{Exchange, RecordingProxy};
use walletkit_client::apis::{
    activity, addresses, nfts, policies, tokens, transactions, users, wallets,
};
use walletkit_client::types::{
    ArgumentRule, BatchSignAndSendRequest, BatchTransferRequest,
    BatchTransferTokenRequestTransfersItem, ChangeUserPinRequest, CreateRequest, CreateRequest2,
    CreateRequest3, CreateWalletRequest, ExportWalletRequest, ImportWalletRequest,
    LoginWithEmailRequest, LoginWithMagicLinkRequest, LoginWithPasskeyRequest,
    LoginWithWalletRequest, MintNftRequest, MintNftRequestMetadata, MintRequest, Network,
    NftImageUploadRequest, Operator, PreviewBundleRequest, PreviewRequest, PreviewRequest2,
    RefreshTokenRequest, RevokeRequest, SignAndSendRequest, SignMessageMessageType,
    SignMessageRequest, SignRequest, TransferNftRequest, TransferRequest, UnsignedTransaction,
    VerifyLoginRequest, WalletControlMode, WalletType,
};
use walletkit_client::{Client, Error, Server, Upload};

/// The OpenAPI document, relative to the workspace root.
const SPEC: &str = "spec/walletkit.yaml";
/// Extra `prism mock` arguments, split at whitespace; e.g. `--dynamic --seed 7` runs the
/// contract against schema-generated responses (nulls, empty arrays, other enum values) instead
/// of the spec's examples.
const EXTRA_ARGS_VAR: &str = "WALLETKIT_CONTRACT_PRISM_ARGS";
/// How many operations the spec declares; a changed spec must update this test.
const EXPECTED_OPERATIONS: usize = 49;

const PROJECT_ID: &str = "project-id";
const TOKEN: &str = "token";
const WALLET: &str = "0x976Cf57B7EE1D84E73BE9115457889d49a8A1335";
const RECIPIENT: &str = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const CONTRACT: &str = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
const TX_HASH: &str = "0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b";
const WALLET_ID: &str = "5884bd1d-ecb3-41ea-bcc7-e9e3d229618f";
const DEVELOPER_SECRET: &str = "testnet-secret";
const USER_PIN: &str = "123456";
/// A PNG signature and an IEND chunk: a tiny stand-in for an image file.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\0IEND\xaeB`\x82";

#[tokio::test]
async fn every_operation_round_trips_through_prism() {
    let spec = spec_operations();
    let extra_args = std::env::var(EXTRA_ARGS_VAR).unwrap_or_default();
    let extra_args: Vec<&str> = extra_args.split_whitespace().collect();
    let prism = PrismServer::start_with_args(SPEC, &extra_args);
    let proxy = RecordingProxy::start(&prism.base_url);

    harness_detects_violations(&prism, &proxy).await;

    let client =
        Client::new(Server::Custom(proxy.base_url.clone()), PROJECT_ID).with_bearer_auth(TOKEN);
    let mut run = Run::new(&proxy, &spec);
    call_every_operation(&client, &mut run).await;
    run.finish();
}

/// The contract run: which operations were called and what went wrong.
struct Run<'a> {
    proxy: &'a RecordingProxy,
    /// operationId -> (METHOD, path template), from the spec.
    spec: &'a BTreeMap<String, (String, String)>,
    /// The operations called, in order (a repeat is a mistake in this file).
    called: Vec<&'static str>,
    failures: Vec<String>,
}

impl<'a> Run<'a> {
    fn new(proxy: &'a RecordingProxy, spec: &'a BTreeMap<String, (String, String)>) -> Self {
        Run {
            proxy,
            spec,
            called: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// Awaits one operation call and checks the result and the HTTP exchange behind it.
    async fn check<T: Debug, E: Debug>(
        &mut self,
        operation: &'static str,
        call: impl Future<Output = Result<T, Error<E>>>,
    ) {
        if self.called.contains(&operation) {
            self.failures.push(format!(
                "{operation}: called twice by this test (a copy-paste mistake?)"
            ));
        }
        self.called.push(operation);
        let stray = self.proxy.take();
        if !stray.is_empty() {
            self.failures.push(format!(
                "{operation}: requests before the call: {}",
                list(&stray)
            ));
        }

        let result = call.await;
        let exchanges = self.proxy.take();

        let mut problems = Vec::new();
        match &result {
            Ok(value) => println!("ok    {operation:<40} {}", excerpt(&format!("{value:?}"))),
            Err(error) => {
                println!("FAIL  {operation:<40} {error}");
                problems.push(format!("returned Err: {error}"));
            }
        }
        match exchanges.as_slice() {
            [exchange] => {
                match self.spec.get(operation) {
                    Some((method, template)) => {
                        if exchange.method != *method || !path_matches(template, exchange.path()) {
                            problems.push(format!(
                                "sent {} {} but the spec declares {operation} as {method} {template}",
                                exchange.method,
                                exchange.path()
                            ));
                        }
                    }
                    None => problems.push("the spec declares no such operationId".to_owned()),
                }
                if let Some(violations) = &exchange.violations {
                    problems.push(format!("Prism reported violations: {violations}"));
                }
                match exchange.status {
                    Some(status) if (200..300).contains(&status) => {}
                    Some(status) => problems.push(format!("Prism answered {status}, not 2xx")),
                    None => problems.push("no response from Prism".to_owned()),
                }
                if let Some(error) = &exchange.error {
                    problems.push(format!("proxy error: {error}"));
                }
            }
            other => problems.push(format!(
                "expected exactly one HTTP request, saw {}: {}",
                other.len(),
                list(other)
            )),
        }
        if !problems.is_empty() {
            let request = exchanges
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            self.failures.push(format!(
                "{operation} ({request}):\n      - {}",
                problems.join("\n      - ")
            ));
        }
    }

    /// Compares the operations called with the spec, then panics with every failure, if any.
    fn finish(mut self) {
        let called: BTreeSet<&str> = self.called.iter().copied().collect();
        let declared: BTreeSet<&str> = self.spec.keys().map(String::as_str).collect();
        let missing: Vec<&str> = declared.difference(&called).copied().collect();
        let unknown: Vec<&str> = called.difference(&declared).copied().collect();
        if !missing.is_empty() {
            self.failures.push(format!(
                "operations of the spec this test never called: {missing:?}"
            ));
        }
        if !unknown.is_empty() {
            self.failures.push(format!(
                "operations called that the spec does not declare: {unknown:?}"
            ));
        }
        if called.len() != EXPECTED_OPERATIONS || declared.len() != EXPECTED_OPERATIONS {
            self.failures.push(format!(
                "expected {EXPECTED_OPERATIONS} operations; called {} distinct, the spec declares {}",
                called.len(),
                declared.len()
            ));
        }
        println!(
            "\n{} of {} distinct operations called, {} failure(s)",
            called.len(),
            declared.len(),
            self.failures.len()
        );
        if !self.failures.is_empty() {
            panic!(
                "{} contract failure(s) against Prism:\n  - {}",
                self.failures.len(),
                self.failures.join("\n  - ")
            );
        }
    }
}

/// Calls all operations of the client with valid arguments, in spec order.
async fn call_every_operation(client: &Client, run: &mut Run<'_>) {
    let network = Network::Ethereum;

    // Activity
    run.check(
        "activity_list",
        client.activity().list(&activity::ListParams {
            page: Some(1),
            page_size: Some(20),
            ..activity::ListParams::new(network.clone(), WALLET.to_owned())
        }),
    )
    .await;

    // Addresses
    run.check(
        "addresses_list-metadata",
        client
            .addresses()
            .list_metadata(&addresses::ListMetadataParams::new(
                network.clone(),
                format!("{WALLET},{CONTRACT}"),
            )),
    )
    .await;

    // Checkout
    run.check(
        "checkout_preview",
        client.checkout().preview(&PreviewRequest {
            network: network.clone(),
            unsigned_transaction: token_transfer_call(),
        }),
    )
    .await;

    // Nfts
    run.check(
        "nfts_create",
        client.nfts().create(&CreateRequest {
            network: network.clone(),
            name: "Test Collection".to_owned(),
            symbol: "TST".to_owned(),
            image_url: "https://example.com/collection.png".to_owned(),
            base_uri: Some("https://example.com/metadata/".to_owned()),
            developer_secret: Some(DEVELOPER_SECRET.to_owned()),
            user_pin: None,
        }),
    )
    .await;
    run.check(
        "nfts_list-nft-collections",
        client
            .nfts()
            .list_nft_collections(&nfts::ListNftCollectionsParams {
                page: Some(1),
                page_size: Some(10),
                ..nfts::ListNftCollectionsParams::new(network.clone(), WALLET.to_owned())
            }),
    )
    .await;
    run.check(
        "nfts_mint-nft",
        client.nfts().mint_nft(&MintNftRequest {
            network: network.clone(),
            contract_address: CONTRACT.to_owned(),
            recipient: Some(RECIPIENT.to_owned()),
            metadata: Some(MintNftRequestMetadata {
                name: "Token #1".to_owned(),
                description: "The first token of the test collection.".to_owned(),
                image: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
                    .to_owned(),
            }),
            uri: None,
            developer_secret: Some(DEVELOPER_SECRET.to_owned()),
            user_pin: None,
        }),
    )
    .await;
    run.check(
        "nfts_transfer-nft",
        client.nfts().transfer_nft(&TransferNftRequest {
            network: network.clone(),
            from: WALLET.to_owned(),
            contract_address: CONTRACT.to_owned(),
            recipient: RECIPIENT.to_owned(),
            token_id: Some("1".to_owned()),
            developer_secret: Some(DEVELOPER_SECRET.to_owned()),
            user_pin: None,
        }),
    )
    .await;
    run.check(
        "nfts_list-nfts",
        client.nfts().list_nfts(&nfts::ListNftsParams {
            wallet_address: Some(WALLET.to_owned()),
            page: Some(1),
            page_size: Some(10),
            ..nfts::ListNftsParams::new(network.clone())
        }),
    )
    .await;
    run.check(
        "nfts_get-nft-collection",
        client
            .nfts()
            .get_nft_collection(&nfts::GetNftCollectionParams {
                network: Some(network.clone()),
                ..nfts::GetNftCollectionParams::new(CONTRACT.to_owned())
            }),
    )
    .await;
    run.check(
        "nfts_nft-image-upload",
        client.nfts().nft_image_upload(&NftImageUploadRequest {
            file: Upload::new(PNG)
                .with_file_name("artwork.png")
                .with_content_type("image/png"),
        }),
    )
    .await;

    // Policies
    run.check(
        "policies_create",
        client.policies().create(&CreateRequest2 {
            network: network.clone(),
            name: "Allow token transfers".to_owned(),
            wallet_address: WALLET.to_owned(),
            argument_rules: vec![
                ArgumentRule {
                    argument: "decodedInput.function".to_owned(),
                    operator: Operator::Eq,
                    value: "transfer".to_owned(),
                },
                ArgumentRule {
                    argument: "decodedInput.to".to_owned(),
                    operator: Operator::Ne,
                    value: RECIPIENT.to_owned(),
                },
            ],
            expires_at: Some(
                "2030-01-01T00:00:00Z"
                    .parse()
                    .expect("a valid RFC 3339 timestamp"),
            ),
            // Both are required but nullable: a developer-controlled wallet has no user PIN.
            developer_secret: Some(DEVELOPER_SECRET.to_owned()),
            user_pin: None,
        }),
    )
    .await;
    run.check(
        "policies_list",
        client.policies().list(&policies::ListParams {
            wallet_address: Some(WALLET.to_owned()),
            ..policies::ListParams::new(network.clone())
        }),
    )
    .await;
    run.check(
        "policies_revoke",
        client.policies().revoke(&RevokeRequest {
            uuid: WALLET_ID.to_owned(),
            developer_secret: Some(DEVELOPER_SECRET.to_owned()),
            user_pin: None,
        }),
    )
    .await;

    // Tokens
    run.check(
        "tokens_get",
        client.tokens().get(&tokens::GetParams::new(
            network.clone(),
            CONTRACT.to_owned(),
        )),
    )
    .await;
    run.check(
        "tokens_create",
        client.tokens().create(&CreateRequest3 {
            network: network.clone(),
            name: "Test Token".to_owned(),
            symbol: "TT".to_owned(),
            decimals: "18".to_owned(),
            display_decimals: Some("2".to_owned()),
            logo_url: Some("https://example.com/token.png".to_owned()),
            initial_supply: "1000000".to_owned(),
            developer_secret: Some(DEVELOPER_SECRET.to_owned()),
            user_pin: None,
        }),
    )
    .await;
    run.check(
        "tokens_transfer",
        client.tokens().transfer(&TransferRequest {
            network: network.clone(),
            from: WALLET.to_owned(),
            token: CONTRACT.to_owned(),
            recipient: RECIPIENT.to_owned(),
            amount: "1.5".to_owned(),
            developer_secret: None,
            user_pin: Some(USER_PIN.to_owned()),
        }),
    )
    .await;
    run.check(
        "tokens_mint",
        client.tokens().mint(&MintRequest {
            network: network.clone(),
            contract_address: CONTRACT.to_owned(),
            recipient: RECIPIENT.to_owned(),
            amount: "100".to_owned(),
            developer_secret: Some(DEVELOPER_SECRET.to_owned()),
            user_pin: None,
        }),
    )
    .await;
    run.check(
        "tokens_list-balances",
        client
            .tokens()
            .list_balances(&tokens::ListBalancesParams::new(
                network.clone(),
                WALLET.to_owned(),
            )),
    )
    .await;
    run.check(
        "tokens_batch-transfer",
        client.tokens().batch_transfer(&BatchTransferRequest {
            network: network.clone(),
            from: WALLET.to_owned(),
            token: "ETH".to_owned(),
            transfers: vec![
                BatchTransferTokenRequestTransfersItem {
                    recipient: RECIPIENT.to_owned(),
                    amount: "0.1".to_owned(),
                },
                BatchTransferTokenRequestTransfersItem {
                    recipient: CONTRACT.to_owned(),
                    amount: "0.2".to_owned(),
                },
            ],
            developer_secret: Some(DEVELOPER_SECRET.to_owned()),
            user_pin: None,
        }),
    )
    .await;

    // Transactions
    run.check(
        "transactions_get-status",
        client
            .transactions()
            .get_status(&transactions::GetStatusParams::new(
                network.clone(),
                TX_HASH.to_owned(),
            )),
    )
    .await;
    run.check(
        "transactions_sign-and-send",
        client.transactions().sign_and_send(&SignAndSendRequest {
            network: network.clone(),
            signer_wallet_address: WALLET.to_owned(),
            unsigned_transaction: token_transfer_call(),
            developer_secret: Some(DEVELOPER_SECRET.to_owned()),
            user_pin: None,
        }),
    )
    .await;
    run.check(
        "transactions_sign",
        client.transactions().sign(&SignRequest {
            network: network.clone(),
            signer_wallet_address: WALLET.to_owned(),
            unsigned_transaction: token_transfer_call(),
            developer_secret: Some(DEVELOPER_SECRET.to_owned()),
            user_pin: None,
        }),
    )
    .await;
    run.check(
        "transactions_batch-sign-and-send",
        client
            .transactions()
            .batch_sign_and_send(&BatchSignAndSendRequest {
                network: network.clone(),
                signer_wallet_address: WALLET.to_owned(),
                unsigned_transactions: vec![token_transfer_call(), plain_value_transfer()],
                developer_secret: None,
                user_pin: Some(USER_PIN.to_owned()),
            }),
    )
    .await;
    run.check(
        "transactions_sign-message",
        client.transactions().sign_message(&SignMessageRequest {
            network: network.clone(),
            message_type: Some(SignMessageMessageType::String),
            signer_wallet_address: WALLET.to_owned(),
            message: "Sign in to Example".to_owned(),
            developer_secret: Some(DEVELOPER_SECRET.to_owned()),
            user_pin: None,
        }),
    )
    .await;
    run.check(
        "transactions_status-by-id",
        client
            .transactions()
            .status_by_id(&transactions::StatusByIdParams {
                id: Some(WALLET_ID.to_owned()),
            }),
    )
    .await;
    run.check(
        "transactions_preview",
        client.transactions().preview(&PreviewRequest2 {
            network: network.clone(),
            from: WALLET.to_owned(),
            unsigned_transaction: token_transfer_call(),
        }),
    )
    .await;
    run.check(
        "transactions_preview-bundle",
        client.transactions().preview_bundle(&PreviewBundleRequest {
            network: network.clone(),
            from: WALLET.to_owned(),
            unsigned_transactions: vec![plain_value_transfer(), token_transfer_call()],
        }),
    )
    .await;

    // Users
    run.check(
        "users_begin-passkey-registration",
        client.users().begin_passkey_registration(),
    )
    .await;
    run.check(
        "users_finish-passkey-registration",
        client
            .users()
            .finish_passkey_registration(&serde_json::json!({
                "id": "AYNe4CBKc8H30FuAb8uaht6JbEQfbSBnS0SX7B6MFg8",
                "rawId": "AYNe4CBKc8H30FuAb8uaht6JbEQfbSBnS0SX7B6MFg8",
                "type": "public-key",
                "response": {
                    "clientDataJSON": "eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0",
                    "attestationObject": "o2NmbXRkbm9uZQ"
                }
            })),
    )
    .await;
    run.check(
        "users_login-with-discoverable-passkey",
        client.users().login_with_discoverable_passkey(),
    )
    .await;
    run.check(
        "users_login-with-passkey",
        client.users().login_with_passkey(&LoginWithPasskeyRequest {
            email: Some("ada@example.com".to_owned()),
            sign_in_wallet: None,
        }),
    )
    .await;
    run.check(
        "users_create-session-challenge",
        client.users().create_session_challenge(),
    )
    .await;
    run.check(
        "users_get-session-challenge",
        client
            .users()
            .get_session_challenge(&users::GetSessionChallengeParams::new(
                "a1b2c3d4".to_owned(),
            )),
    )
    .await;
    run.check(
        "users_login-anonymously",
        client.users().login_anonymously(),
    )
    .await;
    run.check(
        "users_login-with-wallet",
        client.users().login_with_wallet(&LoginWithWalletRequest {
            sign_in_wallet: WALLET.to_owned(),
        }),
    )
    .await;
    run.check(
        "users_login-with-email",
        client.users().login_with_email(&LoginWithEmailRequest {
            email: "ada@example.com".to_owned(),
        }),
    )
    .await;
    run.check(
        "users_login-with-magic-link",
        client
            .users()
            .login_with_magic_link(&LoginWithMagicLinkRequest {
                email: "ada@example.com".to_owned(),
            }),
    )
    .await;
    run.check(
        "users_verify-login",
        client.users().verify_login(&VerifyLoginRequest {
            user_id: Some(WALLET_ID.to_owned()),
            verification_code: Some("482913".to_owned()),
            ..VerifyLoginRequest::default()
        }),
    )
    .await;
    run.check(
        "users_refresh-token",
        client.users().refresh_token(&RefreshTokenRequest {
            session_id: WALLET_ID.to_owned(),
            refresh_token: "rt_0123456789abcdef".to_owned(),
        }),
    )
    .await;
    run.check("users_logout", client.users().logout()).await;

    // Wallets
    run.check(
        "wallets_get-by-network",
        client
            .wallets()
            .get_by_network(&wallets::GetByNetworkParams::new(network.clone())),
    )
    .await;
    run.check(
        "wallets_get-by-id",
        client.wallets().get_by_id(&wallets::GetByIdParams::new(
            network.clone(),
            WALLET_ID.to_owned(),
        )),
    )
    .await;
    run.check(
        "wallets_get-by-address",
        client
            .wallets()
            .get_by_address(&wallets::GetByAddressParams::new(
                network.clone(),
                WALLET.to_owned(),
            )),
    )
    .await;
    run.check(
        "wallets_get-by-owner-id",
        client
            .wallets()
            .get_by_owner_id(&wallets::GetByOwnerIdParams::new(
                network.clone(),
                "user-42".to_owned(),
            )),
    )
    .await;
    run.check(
        "wallets_create",
        client.wallets().create(&CreateWalletRequest {
            network: network.clone(),
            name: "My Wallet".to_owned(),
            owner_id: Some("user-42".to_owned()),
            control_mode: WalletControlMode::User,
            r#type: Some(WalletType::Eoa),
            developer_secret: None,
            user_pin: Some(USER_PIN.to_owned()),
        }),
    )
    .await;
    run.check(
        "wallets_list",
        client.wallets().list(&wallets::ListParams {
            network: Some(network.clone()),
            page: Some(1),
            page_size: Some("10".to_owned()),
        }),
    )
    .await;
    run.check(
        "wallets_change-user-pin",
        client.wallets().change_user_pin(&ChangeUserPinRequest {
            network: network.clone(),
            address: WALLET.to_owned(),
            old_user_pin: Some(USER_PIN.to_owned()),
            new_user_pin: Some("654321".to_owned()),
        }),
    )
    .await;
    run.check(
        "wallets_export",
        client.wallets().export(&ExportWalletRequest {
            network: network.clone(),
            address: WALLET.to_owned(),
            user_pin: Some(USER_PIN.to_owned()),
        }),
    )
    .await;
    run.check(
        "wallets_import",
        client.wallets().import(&ImportWalletRequest {
            network: network.clone(),
            name: "Imported Wallet".to_owned(),
            owner_id: None,
            control_mode: WalletControlMode::Developer,
            r#type: Some(WalletType::Contract),
            private_key: Some(
                "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318".to_owned(),
            ),
            mnemonic_phrase: None,
            developer_secret: Some(DEVELOPER_SECRET.to_owned()),
            user_pin: None,
        }),
    )
    .await;
}

/// An ERC-20 `transfer` call with every optional field set (so the camelCase names are sent).
fn token_transfer_call() -> UnsignedTransaction {
    UnsignedTransaction {
        to: CONTRACT.to_owned(),
        value: Some("0x0".to_owned()),
        input: Some(format!(
            "0xa9059cbb000000000000000000000000{}0000000000000000000000000000000000000000000000000de0b6b3a7640000",
            &RECIPIENT[2..]
        )),
        gas_limit: Some("0x186a0".to_owned()),
        max_priority_fee_per_gas: Some("0x3b9aca00".to_owned()),
        max_fee_per_gas: Some("0x77359400".to_owned()),
        nonce: Some("0x7".to_owned()),
    }
}

/// A plain transfer of native token: only the required field and a value.
fn plain_value_transfer() -> UnsignedTransaction {
    UnsignedTransaction {
        to: RECIPIENT.to_owned(),
        value: Some("0x2386f26fc10000".to_owned()),
        input: None,
        gas_limit: None,
        max_priority_fee_per_gas: None,
        max_fee_per_gas: None,
        nonce: None,
    }
}

/// Sends requests that violate the spec and checks that Prism rejects them and that the proxy
/// records the violations. Panics at once when not: the contract run would prove nothing.
async fn harness_detects_violations(prism: &PrismServer, proxy: &RecordingProxy) {
    let mut failures = Vec::new();
    proxy.take();

    // 1. Plain reqwest, straight to Prism: a body without its required `email`.
    let http = reqwest::Client::new();
    let missing_email = |base: &str| {
        http.post(format!("{base}/users/login-with-email"))
            .header("X-WalletKit-Project-ID", PROJECT_ID)
            .json(&serde_json::json!({ "emial": "ada@example.com" }))
            .send()
    };
    match missing_email(&prism.base_url).await {
        Ok(response) => {
            let status = response.status();
            let violations = response
                .headers()
                .get("sl-violations")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            println!("negative: POST /users/login-with-email without `email` -> {status}, sl-violations: {violations:?}");
            if status.is_success() {
                failures.push(format!("a body without `email` was accepted: {status}"));
            }
            if !violations.is_some_and(|v| v.contains("email")) {
                failures.push("a body without `email` got no sl-violations naming it".to_owned());
            }
        }
        Err(e) => failures.push(format!("cannot reach Prism: {e}")),
    }

    // 2. The same request through the proxy: recorded with its violations.
    match missing_email(&proxy.base_url).await {
        Ok(response) if response.status().is_success() => failures.push(format!(
            "through the proxy, a body without `email` was accepted: {}",
            response.status()
        )),
        Ok(_) => {}
        Err(e) => failures.push(format!("cannot reach the proxy: {e}")),
    }
    expect_recorded_violation(proxy, "missing `email` via the proxy", &mut failures);

    // 3. The client without credentials on a secured operation: `Err`, recorded.
    let anonymous = Client::new(Server::Custom(proxy.base_url.clone()), PROJECT_ID);
    let result = anonymous
        .wallets()
        .get_by_network(&wallets::GetByNetworkParams::new(Network::Ethereum))
        .await;
    println!("negative: get_by_network without bearer -> {result:?}");
    if result.is_ok() {
        failures.push("a secured operation without credentials returned Ok".to_owned());
    }
    expect_recorded_violation(proxy, "missing bearer token", &mut failures);

    // 4. The client with a value outside an enum: `Err`, recorded.
    let client =
        Client::new(Server::Custom(proxy.base_url.clone()), PROJECT_ID).with_bearer_auth(TOKEN);
    let result = client
        .tokens()
        .list_balances(&tokens::ListBalancesParams::new(
            Network::Unknown("Solana".to_owned()),
            WALLET.to_owned(),
        ))
        .await;
    println!("negative: list_balances with network=Solana -> {result:?}");
    if result.is_ok() {
        failures.push("a network outside the enum returned Ok".to_owned());
    }
    expect_recorded_violation(proxy, "network outside the enum", &mut failures);

    if !failures.is_empty() {
        panic!(
            "the harness does not detect spec violations, so the contract run would prove nothing:\n  - {}",
            failures.join("\n  - ")
        );
    }
}

fn expect_recorded_violation(proxy: &RecordingProxy, case: &str, failures: &mut Vec<String>) {
    match proxy.take().as_slice() {
        [exchange] if exchange.violations.is_some() => {}
        other => failures.push(format!(
            "{case}: expected one recorded exchange with sl-violations, got {}",
            list(other)
        )),
    }
}

/// operationId -> (METHOD, path template), by a line scan of the spec's `paths` section:
/// a path key at indent 2, a method key at indent 4, and `operationId:` below it.
fn spec_operations() -> BTreeMap<String, (String, String)> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = manifest_dir.parent().unwrap_or(manifest_dir).join(SPEC);
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let unquote = |s: &str| s.trim().trim_matches(|c| c == '\'' || c == '"').to_owned();

    let mut operations = BTreeMap::new();
    let (mut in_paths, mut path, mut method) = (false, None::<String>, None::<String>);
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            in_paths = trimmed == "paths:";
            continue;
        }
        if !in_paths {
            continue;
        }
        let key = trimmed.strip_suffix(':');
        if indent == 2 && key.is_some() {
            path = key.map(unquote);
            method = None;
        } else if indent == 4 && key.is_some_and(|k| METHODS.contains(&k)) {
            method = key.map(str::to_uppercase);
        } else if let Some(id) = trimmed.strip_prefix("operationId:") {
            let (Some(path), Some(method)) = (&path, &method) else {
                panic!(
                    "operationId outside an operation in {}: {line}",
                    file.display()
                );
            };
            let previous = operations.insert(unquote(id), (method.clone(), path.clone()));
            assert!(
                previous.is_none(),
                "duplicate operationId in the spec: {line}"
            );
        }
    }
    let lines = text
        .lines()
        .filter(|l| l.trim_start().starts_with("operationId:"))
        .count();
    assert_eq!(
        operations.len(),
        lines,
        "every `operationId:` line of the spec should be an operation under `paths`"
    );
    operations
}

/// Whether a request path matches a spec path template (`{name}` matches one segment).
fn path_matches(template: &str, path: &str) -> bool {
    let (template, path): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), path.split('/').collect());
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

fn list(exchanges: &[Exchange]) -> String {
    if exchanges.is_empty() {
        return "none".to_owned();
    }
    exchanges
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The start of a long text, for the progress lines.
fn excerpt(text: &str) -> String {
    const LIMIT: usize = 110;
    match text.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
