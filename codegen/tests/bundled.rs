//! What bundlers and Swagger 2.0 converters write (`fixtures/bundled.yaml`), found by the
//! external sweep (`cargo xtask sweep --external`) in APIs.guru's directory: references to an
//! object of another kind, percent-encoded pointers through other references, discriminator
//! mappings into files that were bundled away. Each once made the generator refuse a whole
//! document; each is now read the way a reader would, with a warning at its spot, and the crate
//! is linted with warnings denied (prose with a Markdown quote continued lazily once failed
//! `clippy::doc_lazy_continuation`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const FIXTURE: &str = include_str!("fixtures/bundled.yaml");

fn generation() -> &'static codegen::Generation {
    static GENERATION: OnceLock<codegen::Generation> = OnceLock::new();
    GENERATION.get_or_init(|| {
        let config = codegen::Config {
            standalone: true,
            ..codegen::Config::new("bundled-client")
        };
        let source = codegen::Source {
            name: "tests/fixtures/bundled.yaml",
            text: FIXTURE,
        };
        codegen::generate(source, &config)
            .unwrap_or_else(|failure| panic!("the fixture must generate:\n{failure}"))
    })
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
    assert_eq!(stats.operations_total, 6);
    assert_eq!(stats.operations_generated, 6);
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

fn write_crate(dir: &Path, files: &BTreeMap<String, String>) {
    let src = dir.join("src");
    if src.exists() {
        fs::remove_dir_all(&src).expect("remove the old src/");
    }
    for (path, contents) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("a generated path has a parent"))
            .expect("create the directory of a generated file");
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

#[test]
fn the_crate_lints_without_warnings() {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.join("bundled").join("bundled-client");
    // Shared with `compile_seed.rs` and `hostile.rs`: the dependencies are the same.
    let target_dir = tmp.join("compile-seed").join("target");
    fs::create_dir_all(&dir).expect("create the crate directory");
    write_crate(&dir, &generation().files);
    let workspace_lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    fs::copy(&workspace_lock, dir.join("Cargo.lock")).expect("copy the workspace Cargo.lock");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .output()
        .expect("run cargo clippy");
    assert!(
        output.status.success(),
        "cargo clippy of the crate in {} failed ({}):\n{}{}",
        dir.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}
