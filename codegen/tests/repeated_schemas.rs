//! An inline schema written out again elsewhere in a document is generated once: the repeat
//! keeps its own name, as an alias of the first definition, and nested repeats collapse with
//! it. Schemas that differ in anything that is rendered (a property, a `required`, a
//! description) stay separate types.

use std::collections::BTreeMap;

const DOCUMENT: &str = r#"
openapi: 3.0.3
info: {title: Repeats, version: '1'}
paths:
  /a:
    post:
      operationId: postA
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [owner]
              properties:
                owner:
                  type: object
                  properties:
                    login: {type: string}
                    plan: {type: object, properties: {seats: {type: integer}}}
      responses: {'204': {description: done}}
  /b:
    post:
      operationId: postB
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [owner]
              properties:
                owner:
                  type: object
                  properties:
                    login: {type: string}
                    plan: {type: object, properties: {seats: {type: integer}}}
      responses: {'204': {description: done}}
  /c:
    post:
      operationId: postC
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                owner:
                  type: object
                  description: Not the same schema, only the same properties.
                  properties:
                    login: {type: string}
                    plan: {type: object, properties: {seats: {type: integer}}}
      responses: {'204': {description: done}}
"#;

fn generate() -> BTreeMap<String, String> {
    let config = codegen::Config::new("repeats-client");
    codegen::generate(
        codegen::Source {
            name: "repeats.yaml",
            text: DOCUMENT,
        },
        &config,
    )
    .unwrap_or_else(|failure| panic!("the document must generate:\n{failure}"))
    .files
}

/// The text of the item that declares `what` (e.g. `pub struct PostARequest`), up to the
/// next blank line.
fn item<'a>(types: &'a str, what: &str) -> &'a str {
    let at = types
        .find(&format!("{what} "))
        .unwrap_or_else(|| panic!("`{what}` is not declared in types.rs:\n{types}"));
    let end = types[at..].find("\n\n").map_or(types.len(), |end| at + end);
    &types[at..end]
}

#[test]
fn a_repeated_inline_schema_is_an_alias_of_the_first_and_keeps_its_name() {
    let files = generate();
    let types = &files["src/types.rs"];
    assert!(item(types, "pub struct PostARequest").contains("pub owner: PostARequestOwner,"));
    assert!(item(types, "pub struct PostARequestOwner").contains("PostARequestOwnerPlan"));
    assert!(item(types, "pub struct PostARequestOwnerPlan").contains("seats"));

    // The whole repeated tree collapses: the body, its nested object and the one inside it.
    assert_eq!(
        item(types, "pub type PostBRequest"),
        "pub type PostBRequest = PostARequest;"
    );
    assert_eq!(
        item(types, "pub type PostBRequestOwner"),
        "pub type PostBRequestOwner = PostARequestOwner;"
    );
    assert_eq!(
        item(types, "pub type PostBRequestOwnerPlan"),
        "pub type PostBRequestOwnerPlan = PostARequestOwnerPlan;"
    );
    assert!(
        types.contains(
            "/// Defined inline at `#/paths/~1b/post/requestBody/content/application~1json/schema`: \
             the same schema as [`PostARequest`].\npub type PostBRequest"
        ),
        "the alias says where it stands and what it repeats:\n{types}"
    );
    // Signatures read as the document places each body.
    let apis = files
        .iter()
        .filter(|(path, _)| path.starts_with("src/apis"))
        .map(|(_, text)| text.as_str())
        .collect::<String>();
    assert!(
        apis.contains("body: Option<&crate::types::PostBRequest>,"),
        "{apis}"
    );
}

#[test]
fn schemas_that_differ_in_what_is_rendered_stay_separate_types() {
    let files = generate();
    let types = &files["src/types.rs"];
    // A different description and a different `required` list: its own struct, whose
    // nested plan (the same as before) is still shared.
    let owner = item(types, "pub struct PostCRequestOwner");
    assert!(
        owner.contains("pub plan: Option<PostCRequestOwnerPlan>"),
        "{owner}"
    );
    assert!(item(types, "pub struct PostCRequest").contains("Option<PostCRequestOwner>"));
    assert_eq!(
        item(types, "pub type PostCRequestOwnerPlan"),
        "pub type PostCRequestOwnerPlan = PostARequestOwnerPlan;"
    );
}
