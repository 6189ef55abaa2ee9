//! What bundlers and Swagger 2.0 converters write (`fixtures/bundled.yaml`), found by the
//! external sweep (`cargo xtask sweep --external`) in APIs.guru's directory: references to an
//! object of another kind, percent-encoded pointers through other references, discriminator
//! mappings into files that were bundled away. Each once made the generator refuse a whole
//! document; each is now read the way a reader would, with a warning at its spot, and the crate
//! is linted with warnings denied (prose with a Markdown quote continued lazily once failed
//! `clippy::doc_lazy_continuation`).

mod support;

use std::sync::OnceLock;

const FIXTURE: &str = include_str!("fixtures/bundled.yaml");

fn generation() -> &'static codegen::Generation {
    static GENERATION: OnceLock<codegen::Generation> = OnceLock::new();
    GENERATION.get_or_init(|| support::generate_fixture("bundled-client", "bundled.yaml", FIXTURE))
}

fn file(path: &str) -> &'static str {
    generation()
        .files
        .get(path)
        .unwrap_or_else(|| panic!("{path} is generated"))
}

#[test]
fn every_operation_is_generated() {
    let stats = generation().stats;
    assert_eq!(stats.operations_total, 8);
    assert_eq!(stats.operations_generated, 8);
}

#[test]
fn each_reading_is_warned_about_where_it_stands() {
    let warnings: Vec<(&str, &str)> = generation()
        .warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    let expected: [(&str, &[&str]); 6] = [
        (
            "#/paths/~1vehicles/get/parameters/1/schema",
            &["points to a parameter", "read as its schema"],
        ),
        (
            "#/paths/~1vehicles/get/responses/400",
            &["points to a schema", "`application/json` body"],
        ),
        (
            "#/paths/~1captions/get/responses/200/content/text~1vtt/schema",
            &[
                "points to a response",
                "#/components/responses/Captions/content/text~1vtt/schema",
            ],
        ),
        (
            "#/paths/~1captions/get/responses/200/content/application~1x-subrip/schema",
            &["holds none", "any value"],
        ),
        (
            "#/components/schemas/Action/discriminator/mapping/assign",
            &["another document", "dropped"],
        ),
        (
            "#/components/schemas/Action/discriminator/mapping/unassign",
            &["does not exist", "dropped"],
        ),
    ];
    assert_eq!(warnings.len(), expected.len(), "{warnings:#?}");
    for ((pointer, message), (want_pointer, words)) in warnings.iter().zip(expected) {
        assert_eq!(*pointer, want_pointer, "{warnings:#?}");
        for word in words {
            assert!(message.contains(word), "`{word}` not in {message}");
        }
    }
}

#[test]
fn references_keep_their_types() {
    let types = file("src/types.rs");
    // The quote's lazy continuation carries its marker.
    assert!(
        types.contains("/// >Permitted values: any text.\n    /// > For more information"),
        "{types}"
    );
    // Through the `$ref` of the bundler's leftover: `Monster`'s own `damage`.
    assert!(
        types.contains("pub struct Attack {") && types.contains("pub damage: Option<Damage>,"),
        "{types}"
    );
    let apis = file("src/apis/default.rs");
    for expected in [
        // A parameter's schema, by a percent-encoded pointer into another path.
        "pub field: Option<Vec<crate::types::GetVehicleFieldItem>>,",
        "pub sort: Option<String>,",
        // The schema given as a response is the error body.
        "crate::Error<crate::types::BadRequest>",
        "pub async fn get_captions(&self) -> Result<String, crate::Error<()>>",
        // Another operation's parameter and response, copied in.
        "pub struct GetFleetParams {\n    /// The `field` query parameter (optional).\n    pub field: Option<Vec<",
        "-> Result<crate::types::Vehicle, crate::Error<()>>",
    ] {
        assert!(apis.contains(expected), "missing `{expected}`:\n{apis}");
    }
}

#[test]
fn a_group_named_result_does_not_shadow_result() {
    let group = file("src/apis/result.rs");
    assert!(group.contains("pub struct ResultApi<'a>"), "{group}");
    assert!(
        group.contains(") -> Result<(), crate::Error<()>>"),
        "{group}"
    );
}

#[test]
fn a_constructor_of_more_than_seven_parameters_is_allowed_by_clippy() {
    let apis = file("src/apis/default.rs");
    let at = apis
        .find("impl SearchParams {")
        .unwrap_or_else(|| panic!("SearchParams has a constructor:\n{apis}"));
    let constructor = &apis[at..];
    let allow = constructor
        .find("#[allow(clippy::too_many_arguments)]")
        .expect("the allow");
    let new = constructor.find("pub fn new(").expect("new");
    assert!(allow < new, "{constructor}");
}

#[test]
fn the_crate_lints_without_warnings() {
    let generated = support::write_crate("bundled-client", &generation().files, &[]);
    generated.clippy(&[]).unwrap_or_else(|e| panic!("{e}"));
}
