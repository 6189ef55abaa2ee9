//! A hostile document (`fixtures/hostile.yaml`) still gives a crate that compiles without
//! warnings, keeps the meaning of every name, and keeps all spec prose inert.
//!
//! The document is full of names that are Rust keywords or collide with generated items (and
//! with each other after case conversion), and of prose that tries to escape its doc comment:
//! `*/`, `#![deny(warnings)]`, code fences, indented code blocks, bidi controls, bare CRs and
//! control characters. Words starting with `zqx` mark the prose: they may only ever appear
//! inside doc attributes or string literals of the generated code.
//!
//! The crate is written and checked as `tests/support` does for every generated crate, then
//! linted with clippy, its doc tests are run and its docs built, all with warnings denied.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;
use std::sync::OnceLock;

use proc_macro2::{TokenStream, TokenTree};

const HOSTILE: &str = include_str!("fixtures/hostile.yaml");

/// The generated files, generated once for all the tests of this file.
fn files() -> &'static BTreeMap<String, String> {
    static FILES: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    FILES.get_or_init(|| {
        let config = codegen::Config {
            standalone: true,
            ..codegen::Config::new("hostile-client")
        };
        let source = codegen::Source {
            name: "tests/fixtures/hostile.yaml",
            text: HOSTILE,
        };
        match codegen::generate(source, &config) {
            Ok(generation) => {
                for warning in &generation.warnings {
                    eprintln!("{warning}");
                }
                generation.files
            }
            Err(failure) => panic!("the hostile document must generate:\n{failure}"),
        }
    })
}

/// The generated Rust sources: path → text.
fn rust_files() -> impl Iterator<Item = (&'static String, &'static String)> {
    files().iter().filter(|(path, _)| path.ends_with(".rs"))
}

fn all_rust() -> String {
    rust_files()
        .map(|(path, text)| format!("// ==== {path}\n{text}"))
        .collect()
}

/// The `zqx…` markers of a piece of text.
fn markers(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("zqx") {
        let word: String = rest[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        rest = &rest[at + word.len()..];
        out.insert(word);
    }
    out
}

/// The markers of the shared description (`&prose`): it is used for the crate, types,
/// operations, parameters and responses, so each of its markers must survive somewhere.
fn prose_markers() -> BTreeSet<String> {
    let start = HOSTILE.find("&prose").expect("the fixture defines &prose");
    let line_end = HOSTILE[start..]
        .find('\n')
        .map_or(HOSTILE.len(), |i| start + i);
    markers(&HOSTILE[start..line_end])
}

/// Every identifier and every literal of a token stream, recursively.
fn collect_tokens(stream: TokenStream, idents: &mut Vec<String>, literals: &mut Vec<String>) {
    for tree in stream {
        match tree {
            TokenTree::Group(group) => collect_tokens(group.stream(), idents, literals),
            TokenTree::Ident(ident) => idents.push(ident.to_string()),
            TokenTree::Literal(literal) => literals.push(literal.to_string()),
            TokenTree::Punct(_) => {}
        }
    }
}

#[test]
fn spec_prose_appears_only_in_docs_and_string_literals() {
    let mut problems = Vec::new();
    let mut in_literals = BTreeSet::new();
    for (path, text) in rust_files() {
        // Doc comments become `#[doc = "…"]` attributes when tokenised, so a marker inside one
        // is a literal; a marker that escaped into code is an identifier.
        let stream = match TokenStream::from_str(text) {
            Ok(stream) => stream,
            Err(e) => {
                problems.push(format!("{path} does not tokenise as Rust: {e}"));
                continue;
            }
        };
        let (mut idents, mut literals) = (Vec::new(), Vec::new());
        collect_tokens(stream, &mut idents, &mut literals);
        for ident in &idents {
            if ident.contains("zqx") {
                problems.push(format!(
                    "{path}: spec prose became code: identifier `{ident}`"
                ));
            }
        }
        for literal in &literals {
            in_literals.extend(markers(literal));
        }
        // Line by line, for what a reader sees: attribute or code lines made of prose. (Prose in
        // a string literal is fine; the token check above tells them apart.)
        for (number, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") || code.starts_with("#[doc") || code.starts_with("#![doc") {
                continue;
            }
            let hostile_starts = [
                "#![deny",
                "#[cfg(any",
                "fn main",
                "panic!",
                "*/",
                "/*",
                "```",
            ];
            if hostile_starts.iter().any(|s| code.starts_with(s)) {
                problems.push(format!(
                    "{path}:{}: spec text outside a doc comment or string: {line}",
                    number + 1
                ));
            }
        }
    }
    for marker in prose_markers() {
        if !in_literals.contains(&marker) {
            problems.push(format!(
                "the prose marker `{marker}` appears in no doc comment or string literal (the text \
                 around it was lost, or hidden in a comment)"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn code_fences_are_text_and_indented_code_is_not_a_code_block() {
    let mut problems = Vec::new();
    for (path, text) in rust_files() {
        let mut fence_open: Option<String> = None;
        for (number, line) in text.lines().enumerate() {
            let Some(doc) = doc_text(line) else {
                // A doc block ends: any fence in it must have been closed.
                if let Some(opener) = fence_open.take() {
                    problems.push(format!("{path}:{}: unclosed fence `{opener}`", number + 1));
                }
                continue;
            };
            let trimmed = doc.trim_start();
            if let Some(info) = trimmed
                .strip_prefix("```")
                .or_else(|| trimmed.strip_prefix("~~~"))
            {
                if fence_open.take().is_none() {
                    let info = info.trim();
                    // The crate's own examples are `no_run`; everything else must be `text`.
                    let allowed = info == "text" || (info == "no_run" && path == "src/lib.rs");
                    if !allowed {
                        problems.push(format!(
                            "{path}:{}: a fence that rustdoc would compile: {line}",
                            number + 1
                        ));
                    }
                    fence_open = Some(trimmed.to_owned());
                }
                continue;
            }
            if fence_open.is_none() && doc.starts_with("    ") && doc.contains("zqx") {
                problems.push(format!(
                    "{path}:{}: prose indented as a code block (a doc test): {line}",
                    number + 1
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The text of a doc comment line (`/// x` or `//! x`), without the marker and one space.
fn doc_text(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let rest = trimmed
        .strip_prefix("///")
        .or_else(|| trimmed.strip_prefix("//!"))?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

#[test]
fn bidi_controls_bare_crs_and_control_characters_are_escaped() {
    let mut problems = Vec::new();
    for (path, text) in files() {
        for (number, line) in text.split('\n').enumerate() {
            for c in line.chars() {
                let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}');
                let control = c.is_control() && c != '\t';
                if bidi || control {
                    problems.push(format!(
                        "{path}:{}: raw {:?} in: {}",
                        number + 1,
                        c,
                        line.escape_debug()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Escaped, the bidi override is still there for a reader to see.
    let all = all_rust();
    assert!(
        all.contains("u{202e}") || all.contains("u{202E}"),
        "the bidi override was dropped rather than escaped"
    );
    assert!(
        all.contains("🦀"),
        "emoji are ordinary text and must be kept"
    );
}

#[test]
fn line_and_paragraph_separators_are_escaped() {
    // U+2028 and U+2029 are whitespace to rustc, so a `///` comment goes on past them, but many
    // editors and viewers break the line there: the rest of the comment then looks like code.
    // U+FEFF is invisible. Like bidi controls, they make the source read differently from
    // what it is.
    let mut problems = Vec::new();
    for (path, text) in files() {
        for (number, line) in text.split('\n').enumerate() {
            for c in line.chars() {
                if matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}') {
                    problems.push(format!(
                        "{path}:{}: raw {:?} in: {}",
                        number + 1,
                        c,
                        line.escape_debug()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The literal a wire name becomes in the generated code.
fn literal(name: &str) -> String {
    format!("{name:?}")
}

#[test]
fn every_wire_name_is_kept() {
    let types = files().get("src/types.rs").cloned().unwrap_or_default();
    let everything = all_rust();
    let mut missing = Vec::new();
    let property_names = [
        "additional_properties",
        "additionalProperties",
        "self",
        "Self",
        "r#type",
        "type",
        "$ref",
        "@timestamp",
        "+1",
        "-1",
        "dc:creator",
        "files[0]",
        "x5t#S256",
        "",
        "ref",
        "crate",
        "super",
        "move",
        "match",
        "in",
        "use",
        "static",
        "async",
        "await",
        "dyn",
        "gen",
        "emoji🦀",
        "*/",
        "\"quoted\"",
        "back\\slash",
        "#![deny(warnings)]",
        "tricky",
        "client",
    ];
    let enum_values = [
        "",
        "+1",
        "-1",
        "UTC+12",
        "UTC-12",
        "Unknown",
        "unknown",
        "UNKNOWN",
        "self",
        "Self",
        "type",
        "a-b",
        "a_b",
        "A B",
        "🦀",
        "*/",
        "\"",
        "\\",
        "#![deny(warnings)]",
    ];
    for name in property_names.iter().chain(enum_values.iter()) {
        // Fields and variants whose Rust name differs from the wire name carry a rename; the
        // rest are spelled exactly as on the wire.
        let renamed = format!("rename = {}", literal(name));
        // A raw identifier (`r#type`) is its name without `r#` to serde.
        let spelled = [
            format!("pub {name}:"),
            format!("pub r#{name}:"),
            format!("    {name},"),
        ];
        if !types.contains(&renamed) && !spelled.iter().any(|s| types.contains(s)) {
            missing.push(format!("schema name {} (no `{renamed}`)", literal(name)));
        }
    }
    let parameters = [
        "body",
        "params",
        "options",
        "call",
        "request",
        "response",
        "status",
        "headers",
        "client",
        "self",
        "Self",
        "r#type",
        "files[0]",
        "dc:creator",
        "x5t#S256",
        "@timestamp",
        "X-Self-Key",
    ];
    for name in parameters {
        if !everything.contains(&literal(name)) {
            missing.push(format!("parameter or header {}", literal(name)));
        }
    }
    for path in [
        "/things/",
        "/duplicates/one",
        "/duplicates/two",
        "/anonymous",
        "/settings",
    ] {
        if !everything.contains(path) {
            missing.push(format!("path {path}"));
        }
    }
    assert!(
        missing.is_empty(),
        "wire names missing from the generated code:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_generated_file_is_valid_rust() {
    // When its own tokens do not parse (say, a keyword used as an identifier), codegen emits a
    // `compile_error!` in place of the file (of the item, for data types); both that and text
    // syn cannot parse are failures.
    let mut problems = Vec::new();
    for (path, text) in rust_files() {
        if let Err(e) = syn::parse_file(text) {
            problems.push(format!("{path} is not valid Rust: {e}"));
        }
        if let Some(at) = text.find("compile_error!") {
            let line = text[at..].lines().next().unwrap_or_default();
            problems.push(format!("{path}: {line}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_hostile_crate_compiles_lints_and_documents_without_warnings() {
    let generated = support::write_crate("hostile-client", files(), &[]);
    let cargo = |args: &[&str]| generated.cargo(args);
    let mut failures = Vec::new();
    let checked = cargo(&["check", "--quiet", "--all-features"]);
    if let Err(e) = &checked {
        failures.push(e.clone());
    }
    if checked.is_ok() {
        if let Err(e) = generated.clippy(&["--all-features"]) {
            failures.push(e);
        }
        // Doc tests: only the crate's own `no_run` examples may be doc tests; spec prose must
        // never be one. List them, then run them.
        match cargo(&["test", "--doc", "--all-features", "--", "--list"]) {
            Err(e) => failures.push(e),
            Ok(list) => {
                for line in list.lines().filter(|l| l.ends_with(": test")) {
                    if !line.starts_with("src/lib.rs") {
                        failures.push(format!(
                            "a doc test outside the crate's own examples (from spec prose?): \
                             {line}"
                        ));
                    }
                }
            }
        }
        if let Err(e) = cargo(&["test", "--doc", "--all-features"]) {
            failures.push(e);
        }
        // Prose full of `[links]`, `<tags>` and bare URLs must not break `cargo doc`.
        if let Err(e) = cargo(&["doc", "--quiet", "--no-deps", "--all-features"]) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "the crate generated from the hostile document in {} is not clean:\n\n{}",
        generated.dir.display(),
        failures.join("\n\n")
    );
}
