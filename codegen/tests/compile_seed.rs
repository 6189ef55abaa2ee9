//! The seed crate compiles: the generated files of `fixtures/seed.yaml` (standalone) are
//! written under cargo's temp dir for integration tests and checked with `-D warnings`.
//!
//! The crate is written and checked as `tests/support` does for every generated crate.

mod support;

const SEED: &str = include_str!("fixtures/seed.yaml");

#[test]
fn the_seed_crate_compiles_without_warnings() {
    let config = codegen::Config {
        standalone: true,
        ..codegen::Config::new("seed-client")
    };
    let source = codegen::Source {
        name: "tests/fixtures/seed.yaml",
        text: SEED,
    };
    let generation = codegen::generate(source, &config)
        .unwrap_or_else(|failure| panic!("the seed document must generate:\n{failure}"));
    let manifest = &generation.files["Cargo.toml"];
    assert!(
        manifest.contains("[workspace]"),
        "a standalone crate must be its own workspace root:\n{manifest}"
    );

    let generated = support::write_crate("seed-client", &generation.files, &[]);
    generated.cargo_ok(&["check", "--quiet"]);
}
