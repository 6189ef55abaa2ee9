//! `$ref`s into the schemas of operations, parameters, headers and bodies (not only into
//! `components.schemas`), as bundlers write them (`fixtures/interior_refs.yaml`): each leads to
//! the type the schema has where it stands, named as its operation names it, whether the
//! `$ref` or the operation is met first, also as an `allOf` member to merge; none falls back to
//! an untyped value.

mod support;

use std::sync::OnceLock;

const FIXTURE: &str = include_str!("fixtures/interior_refs.yaml");

fn generation() -> &'static codegen::Generation {
    static GENERATION: OnceLock<codegen::Generation> = OnceLock::new();
    GENERATION.get_or_init(|| {
        support::generate_fixture("interior-refs-client", "interior_refs.yaml", FIXTURE)
    })
}

fn apis() -> String {
    generation()
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("src/apis/"))
        .map(|(_, text)| text.as_str())
        .collect()
}

#[test]
fn every_reference_is_followed_without_warnings() {
    let generation = generation();
    let warnings: Vec<String> = generation
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(generation.stats.operations_generated, 3);
    assert_eq!(generation.stats.operations_total, 3);
    assert!(!apis().contains("serde_json::Value"), "{}", apis());
}

#[test]
fn a_reference_shares_the_type_of_the_schema_it_leads_to() {
    let apis = apis();
    let types = &generation().files["src/types.rs"];
    // A parameter typed by a property of another operation's request body (met before it).
    assert!(
        apis.contains("pub filter: Option<crate::types::CreateBRequestFilter>"),
        "{apis}"
    );
    assert!(
        types.contains("pub filter: Option<CreateBRequestFilter>,"),
        "{types}"
    );
    // A response typed by another operation's response body: one type for both.
    assert_eq!(
        apis.matches("crate::ResponseValue<crate::types::CreateBResponse>")
            .count(),
        2
    );
    assert_eq!(
        types.matches("pub struct CreateBResponse ").count(),
        1,
        "{types}"
    );
}

#[test]
fn an_all_of_member_behind_such_a_reference_is_merged() {
    let types = &generation().files["src/types.rs"];
    let at = types
        .find("pub struct ReplaceCRequest ")
        .unwrap_or_else(|| panic!("no merged request body:\n{types}"));
    let merged = &types[at..at + types[at..].find("\n}").unwrap_or(0)];
    assert!(merged.contains("pub id: Option<i64>,"), "{merged}");
    assert!(merged.contains("pub note: String,"), "{merged}");
}

#[test]
fn the_crate_lints_without_warnings() {
    let generated = support::write_crate("interior-refs-client", &generation().files, &[]);
    generated.clippy(&[]).unwrap_or_else(|e| panic!("{e}"));
}
