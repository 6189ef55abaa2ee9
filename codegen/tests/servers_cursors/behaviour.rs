//! Behaviour of the client generated from `fixtures/servers_cursors.yaml`, against a real
//! HTTP server (`wiremock`): URLs built from server variables, and streams walking cursor
//! pages. Copied into the generated crate as `tests/behaviour.rs` by `servers_cursors.rs`.

use futures_util::StreamExt;
use serde_json::json;
use servers_cursors_client::apis::things::{ListFilesParams, ListPinsParams, ListThingsParams};
use servers_cursors_client::types::Thing;
use servers_cursors_client::{
    Client, Error, LocalVariables, OddVariables, OperationServer, ProductionVariables, Region,
    SandboxVariables, Scheme, Server, UploadsExampleComVariables, Zone,
};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn ids(items: &[Thing]) -> Vec<&str> {
    items.iter().map(|t| t.id.as_str()).collect()
}

/// Every item of a stream, stopping at (and returning) the first error.
async fn drain<S, E>(stream: S) -> (Vec<Thing>, Option<Error<E>>)
where
    S: futures_util::Stream<Item = Result<Thing, Error<E>>>,
{
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => items.push(item),
            Err(error) => {
                assert!(stream.next().await.is_none(), "an error is the last item");
                return (items, Some(error));
            }
        }
    }
    (items, None)
}

#[test]
fn the_defaults_give_the_documents_urls() {
    assert_eq!(Server::default().url(), "https://eu.api.example.com/v1");
    assert_eq!(
        Server::default(),
        Server::Production(ProductionVariables::default())
    );
    assert_eq!(Server::Staging.url(), "https://staging.example.com");
    assert_eq!(
        LocalVariables::default().url(),
        "https://localhost:8080/api/v1"
    );
    // Same variable name and values as Production's: one shared enum, its own default.
    assert_eq!(SandboxVariables::default().region, Region::Us);
    assert_eq!(
        SandboxVariables::default().url(),
        "https://us.sandbox.example.com"
    );
    // The default missing from the enum is one more value; the undefined variable is empty.
    assert_eq!(OddVariables::default().zone, Zone::C);
    assert_eq!(
        OddVariables::default().url(),
        "https://2024.c.z.example.com"
    );
    assert_eq!(Region::Eu.as_str(), "eu");
    assert_eq!(Scheme::Http.to_string(), "http");
    assert_eq!(Server::Custom("http://x".to_owned()).url(), "http://x");
}

#[test]
fn chosen_values_build_the_url() {
    let production = ProductionVariables::default()
        .with_region(Region::Us)
        .with_version("v2");
    assert_eq!(production.url(), "https://us.api.example.com/v2");
    assert_eq!(
        Server::from(production.clone()),
        Server::Production(production)
    );
    let odd = OddVariables::default()
        .with_api_version("2025")
        .with_zone(Zone::A)
        .with_zone2("q")
        .with_undeclared("t1");
    assert_eq!(odd.url(), "https://2025.a.q.example.com/t1");
    let client = Client::new(Server::Sandbox(
        SandboxVariables::default().with_tenant("acme"),
    ));
    assert_eq!(client.base_url(), "https://us.sandbox.example.com/acme");
}

#[test]
fn free_text_is_escaped_where_it_would_change_the_url() {
    // In the host, `/`, `?`, `#` and `@` would move the request elsewhere: all encoded.
    let host = LocalVariables::default().with_host("evil.com/x?y#z@w");
    assert_eq!(host.url(), "https://evil.com%2Fx%3Fy%23z%40w:8080/api/v1");
    // In the path, `/` is a path separator and kept; `?`, `#`, `%` and spaces are encoded.
    let path = LocalVariables::default().with_base_path("a b/c?d#e%f");
    assert_eq!(path.url(), "https://localhost:8080/a%20b/c%3Fd%23e%25f");
    // A host name in another script is encoded as UTF-8, which URL parsers decode again.
    let idn = LocalVariables::default().with_host("bücher.example");
    assert_eq!(idn.url(), "https://b%C3%BCcher.example:8080/api/v1");
    // A trailing `/` of a value at the end does not double the one before each path.
    let trailing = LocalVariables::default().with_base_path("v2/");
    assert_eq!(trailing.url(), "https://localhost:8080/v2");
}

#[tokio::test]
async fn requests_go_to_the_url_the_variables_make() {
    let server = MockServer::start().await;
    let address = server.address();
    Mock::given(method("GET"))
        .and(path("/v2/beta/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [{"id": "a"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let variables = LocalVariables::default()
        .with_scheme(Scheme::Http)
        .with_host(address.ip().to_string())
        .with_port(address.port().to_string())
        .with_base_path("v2/beta");
    let client = Client::new(Server::Local(variables));
    assert_eq!(
        client.base_url(),
        format!("http://{address}/v2/beta").as_str()
    );
    let page = client
        .things()
        .list_things(&ListThingsParams::default())
        .await
        .expect("the mock answers");
    assert_eq!(ids(&page.data), ["a"]);
}

#[tokio::test]
async fn a_cursor_stream_follows_next_cursor_until_it_is_null() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: serde_json::Value| {
        let data: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
        ResponseTemplate::new(200).set_body_json(json!({"data": data, "next_cursor": next}))
    };
    // Every request carries the caller's other parameters; only the cursor moves.
    Mock::given(path("/things"))
        .and(query_param("kind", "k"))
        .and(query_param_is_missing("cursor"))
        .respond_with(page(&["a", "b"], json!("c2")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .and(query_param("kind", "k"))
        .and(query_param("cursor", "c2"))
        .respond_with(page(&["c"], json!("c3")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .and(query_param("kind", "k"))
        .and(query_param("cursor", "c3"))
        .respond_with(page(&["d"], serde_json::Value::Null))
        // Once in the walk from the start, once in the walk from `c3` below.
        .expect(2)
        .mount(&server)
        .await;
    let client = Client::new(Server::Custom(server.uri()));
    let params = ListThingsParams {
        kind: Some("k".to_owned()),
        ..ListThingsParams::default()
    };
    let (items, error) = drain(client.things().list_things_stream(&params)).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids(&items), ["a", "b", "c", "d"]);
    assert_eq!(items[0], Thing { id: "a".to_owned() });

    // Starting from a cursor the caller names.
    let from_c3 = ListThingsParams {
        cursor: Some("c3".to_owned()),
        ..params
    };
    let (items, _) = drain(client.things().list_things_stream(&from_c3)).await;
    assert_eq!(ids(&items), ["d"]);
}

#[tokio::test]
async fn a_nested_token_is_followed_and_an_empty_one_ends_the_walk() {
    let server = MockServer::start().await;
    Mock::given(path("/folders/f%2F1/files"))
        .and(query_param_is_missing("pageToken"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [{"id": "a"}], "meta": {"nextPageToken": "t2"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    // An empty page with a new token is not the end.
    Mock::given(path("/folders/f%2F1/files"))
        .and(query_param("pageToken", "t2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"meta": {"nextPageToken": "t3"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/folders/f%2F1/files"))
        .and(query_param("pageToken", "t3"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [{"id": "b"}], "meta": {"nextPageToken": ""}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(Server::Custom(server.uri()));
    let (items, error) = drain(
        client
            .things()
            .list_files_stream("f/1", &ListFilesParams::default()),
    )
    .await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids(&items), ["a", "b"]);
}

#[tokio::test]
async fn a_numeric_marker_is_sent_as_text_and_an_absent_one_ends_the_walk() {
    let server = MockServer::start().await;
    Mock::given(path("/pins"))
        .and(query_param_is_missing("marker"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"entries": [{"id": "a"}], "order": ["x"], "next_marker": 42}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/pins"))
        .and(query_param("marker", "42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"entries": [{"id": "b"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(Server::Custom(server.uri()));
    let (items, error) = drain(client.things().list_pins_stream(&ListPinsParams::default())).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids(&items), ["a", "b"]);
}

#[tokio::test]
async fn a_cursor_returned_again_ends_the_walk_instead_of_looping() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .and(query_param_is_missing("cursor"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": [{"id": "a"}], "next_cursor": "same"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .and(query_param("cursor", "same"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": [{"id": "b"}], "next_cursor": "same"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(Server::Custom(server.uri()));
    let (items, error) = drain(
        client
            .things()
            .list_things_stream(&ListThingsParams::default()),
    )
    .await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids(&items), ["a", "b"]);
}

#[tokio::test]
async fn an_error_is_yielded_last() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .and(query_param_is_missing("cursor"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": [{"id": "a"}], "next_cursor": "c2"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    // A status the operation does not document: not retried, reported as it is.
    Mock::given(path("/things"))
        .and(query_param("cursor", "c2"))
        .respond_with(ResponseTemplate::new(400).set_body_string("bad cursor"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(Server::Custom(server.uri()));
    let (items, error) = drain(
        client
            .things()
            .list_things_stream(&ListThingsParams::default()),
    )
    .await;
    assert_eq!(ids(&items), ["a"]);
    match error {
        Some(Error::UnexpectedStatus { status, body }) => {
            assert_eq!(status.as_u16(), 400);
            assert_eq!(body, "bad cursor");
        }
        other => panic!("expected the 400 as the last item, got {other:?}"),
    }
}

/// A client of the documented `Local` server, reaching `server` (so it counts as one of the
/// document's servers, not `Server::Custom`).
fn local_client(server: &MockServer, base_path: &str) -> Client {
    let address = server.address();
    Client::new(Server::Local(
        LocalVariables::default()
            .with_scheme(Scheme::Http)
            .with_host(address.ip().to_string())
            .with_port(address.port().to_string())
            .with_base_path(base_path),
    ))
}

#[test]
fn operations_with_servers_of_their_own_go_there_from_a_documented_server() {
    let client = Client::new(Server::Staging);
    assert_eq!(
        OperationServer::UploadsExampleCom.url(),
        "https://uploads.example.com"
    );
    assert_eq!(
        client.operation_url(OperationServer::UploadsExampleCom),
        "https://uploads.example.com"
    );
    // A relative server URL is resolved against the base URL.
    assert_eq!(OperationServer::Archive.url(), "/archive-api/v2");
    assert_eq!(
        client.operation_url(OperationServer::Archive),
        "https://staging.example.com/archive-api/v2"
    );
    let production = Client::new(Server::default());
    assert_eq!(
        production.operation_url(OperationServer::Archive),
        "https://eu.api.example.com/archive-api/v2"
    );
    // The typed variables build another URL; a relative one set explicitly is resolved too.
    let variables = UploadsExampleComVariables::default().with_origin("https://up.example.org/v3");
    let client = client
        .with_operation_server(OperationServer::UploadsExampleCom, variables.url())
        .with_operation_server(OperationServer::Archive, "../old/");
    assert_eq!(
        client.operation_url(OperationServer::UploadsExampleCom),
        "https://up.example.org/v3"
    );
    let client = Client::new(Server::Sandbox(
        SandboxVariables::default().with_tenant("t1/sub"),
    ))
    .with_operation_server(OperationServer::Archive, "../old/");
    assert_eq!(
        client.operation_url(OperationServer::Archive),
        "https://us.sandbox.example.com/t1/old"
    );
}

#[test]
fn an_operation_on_one_of_the_documents_servers_keeps_a_client_talking_to_it() {
    // The client talks to the server the operation is published on: its own base URL, with
    // the variables it chose.
    let sandbox = Client::new(Server::Sandbox(
        SandboxVariables::default().with_tenant("acme"),
    ));
    assert_eq!(
        sandbox.operation_url(OperationServer::Sandbox),
        "https://us.sandbox.example.com/acme"
    );
    // Another of the document's servers does not serve it: the operation's server, by default.
    assert_eq!(
        OperationServer::Sandbox.url(),
        "https://us.sandbox.example.com"
    );
    let staging = Client::new(Server::Staging);
    assert_eq!(
        staging.operation_url(OperationServer::Sandbox),
        "https://us.sandbox.example.com"
    );
    let custom = Client::new(Server::Custom("http://127.0.0.1:1".to_owned()));
    assert_eq!(
        custom.operation_url(OperationServer::Sandbox),
        "http://127.0.0.1:1"
    );
}

#[test]
fn a_custom_base_url_receives_every_operation() {
    let client = Client::new(Server::Custom("http://127.0.0.1:1/mock".to_owned()));
    for server in [OperationServer::UploadsExampleCom, OperationServer::Archive] {
        assert_eq!(client.operation_url(server), "http://127.0.0.1:1/mock");
    }
    // Unless one is set explicitly.
    let client = client.with_operation_server(OperationServer::Archive, "/a");
    assert_eq!(
        client.operation_url(OperationServer::Archive),
        "http://127.0.0.1:1/a"
    );
}

#[tokio::test]
async fn requests_go_to_the_operations_servers() {
    let api = MockServer::start().await;
    let uploads = MockServer::start().await;
    // Path-level relative server: resolved against the (documented) base URL `/v1/api`.
    Mock::given(method("GET"))
        .and(path("/archive-api/v2/archive"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "old"}])))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/archive-api/v2/archive"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&api)
        .await;
    // A server naming one of the document's is the client's base URL.
    Mock::given(method("GET"))
        .and(path("/v1/api/status"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(method("POST"))
        .and(path("/up/uploads/a%20b"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "u1"})))
        .expect(1)
        .mount(&uploads)
        .await;
    let origin = UploadsExampleComVariables::default().with_origin(format!("{}/up", uploads.uri()));
    let client = local_client(&api, "v1/api")
        .with_operation_server(OperationServer::UploadsExampleCom, origin.url());
    let archived = client
        .hosts()
        .list_archive()
        .await
        .expect("the archive answers");
    assert_eq!(ids(&archived), ["old"]);
    client.hosts().clear_archive().await.expect("cleared");
    client.hosts().status().await.expect("up");
    let uploaded = client
        .hosts()
        .upload_thing("a b", b"bytes".to_vec())
        .await
        .expect("the upload server answers");
    assert_eq!(uploaded.id, "u1");
}

#[tokio::test]
async fn a_mock_server_as_custom_base_url_sees_operations_with_servers_of_their_own() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/uploads/x"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "u2"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/archive"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(Server::Custom(server.uri()));
    let uploaded = client
        .hosts()
        .upload_thing("x", Vec::new())
        .await
        .expect("the mock answers");
    assert_eq!(uploaded.id, "u2");
    assert!(client
        .hosts()
        .list_archive()
        .await
        .expect("the mock answers")
        .is_empty());
}
