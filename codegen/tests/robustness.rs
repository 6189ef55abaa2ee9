//! No input makes the generator panic or overflow its stack: every document, however broken,
//! deep, cyclic or huge, ends in `Ok` or in `Err` with a diagnostic that names the problem.
//!
//! Each case runs `codegen::generate` under `catch_unwind` on a thread with a 2 MiB stack (what
//! `cargo test` gives a test, a quarter of a main thread's). A stack overflow aborts the whole
//! process, which `catch_unwind` cannot stop, so each case runs in a child process (this test
//! binary again, filtered to that one case): a case that overflows or hangs fails alone, with
//! the child's output and how it died in the message, instead of taking the others down.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The stack of the thread that runs the generator.
const STACK_SIZE: usize = 2 << 20;

/// How long one case may run before it counts as a hang.
const TIME_LIMIT: Duration = Duration::from_secs(180);

/// Set in the child process to the name of the case it runs.
const CHILD_ENV: &str = "CODEGEN_ROBUSTNESS_CASE";

/// Runs case `name`: in a child process, unless this is that child.
fn run_case(name: &str, input: fn() -> String, problem_words: &[&str], limit: Duration) {
    if std::env::var(CHILD_ENV).as_deref() == Ok(name) {
        check_in_process(name, &input(), problem_words);
    } else {
        check_in_child(name, limit);
    }
}

fn check_in_child(name: &str, limit: Duration) {
    let exe = std::env::current_exe().expect("the path of this test binary");
    let mut child = Command::new(exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, name)
        .env("RUST_BACKTRACE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run this test binary as a child");
    // Read the output on other threads so a chatty child cannot block on a full pipe.
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out = std::thread::spawn(move || read_all(&mut stdout));
    let err = std::thread::spawn(move || read_all(&mut stderr));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = format!(
        "{}{}",
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default()
    );
    let output = tail(&output, 6000);
    match status {
        None => panic!(
            "case `{name}`: the generator did not finish within {}s (a hang or a blow-up)\n\
             --- child output ---\n{output}",
            limit.as_secs()
        ),
        Some(status) if !status.success() => {
            let how = if output.contains("has overflowed its stack") {
                "the generator overflowed its 2 MiB stack".to_owned()
            } else {
                describe_exit(status)
            };
            panic!("case `{name}`: {how}\n--- child output ---\n{output}");
        }
        Some(_) => {
            // `--exact` with a name that matches nothing also exits 0: make sure it ran.
            assert!(
                output.contains("1 passed"),
                "case `{name}`: the child ran no test\n{output}"
            );
        }
    }
}

fn read_all(reader: &mut impl std::io::Read) -> String {
    let mut bytes = Vec::new();
    let _ = reader.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

fn tail(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

fn describe_exit(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                6 => "SIGABRT",
                9 => "SIGKILL",
                11 => "SIGSEGV",
                _ => "a signal",
            };
            return format!("the child process died of {name} ({signal})");
        }
    }
    format!("the child process failed ({status})")
}

/// The check proper: no panic on a small stack; `Ok`, or `Err` naming the problem.
fn check_in_process(name: &str, text: &str, problem_words: &[&str]) {
    let text = text.to_owned();
    let file = format!("{name}.yaml");
    let worker = std::thread::Builder::new()
        .name(format!("generate-{name}"))
        .stack_size(STACK_SIZE)
        .spawn(move || {
            let source = codegen::Source {
                name: &file,
                text: &text,
            };
            let config = codegen::Config::new("robustness-client");
            catch_unwind(AssertUnwindSafe(|| codegen::generate(source, &config)))
                .map(|result| result.map(|generation| generation.files.len()))
                .map_err(|_| ())
        })
        .expect("spawn a thread with a 2 MiB stack");
    let outcome = worker
        .join()
        .unwrap_or_else(|_| panic!("case `{name}`: the generator thread died"));
    let result =
        outcome.unwrap_or_else(|()| panic!("case `{name}`: the generator panicked (see above)"));
    match result {
        Ok(files) => assert!(files > 0, "case `{name}`: Ok with no files"),
        Err(failure) => {
            assert!(
                !failure.diagnostics.is_empty(),
                "case `{name}`: Err without a diagnostic"
            );
            for d in &failure.diagnostics {
                assert!(
                    !d.message.trim().is_empty(),
                    "case `{name}`: a diagnostic with an empty message: {d:?}"
                );
            }
            let shown = failure.to_string();
            let lower = shown.to_lowercase();
            assert!(
                problem_words
                    .iter()
                    .any(|w| lower.contains(&w.to_lowercase())),
                "case `{name}`: the diagnostics do not name the problem (expected one of \
                 {problem_words:?}):\n{}",
                tail(&shown, 2000)
            );
        }
    }
}

/// One test per case: `case!(name, problem words, || input)`, optionally with a time limit in
/// seconds other than [`TIME_LIMIT`].
macro_rules! case {
    ($name:ident, $words:expr, $input:expr) => {
        #[test]
        fn $name() {
            run_case(stringify!($name), $input, $words, TIME_LIMIT);
        }
    };
    ($name:ident, $words:expr, $input:expr, $seconds:expr) => {
        #[test]
        fn $name() {
            run_case(
                stringify!($name),
                $input,
                $words,
                Duration::from_secs($seconds),
            );
        }
    };
}

/// Words that say a document is not an OpenAPI document.
const NOT_A_DOCUMENT: &[&str] = &[
    "empty", "openapi", "document", "expected", "mapping", "map", "object", "missing",
];
const TOO_DEEP: &[&str] = &["deep", "nest", "recursion", "depth"];
const REFERENCE: &[&str] = &[
    "$ref",
    "reference",
    "cycle",
    "cyclic",
    "recursive",
    "itself",
];
const NAME: &[&str] = &["name", "long", "identifier", "operationid"];
const VERSION: &[&str] = &["version", "openapi", "swagger"];
const SYNTAX: &[&str] = &[
    "invalid",
    "utf",
    "character",
    "control",
    "expected",
    "yaml",
    "json",
];

const DEPTH: usize = 100_000;

/// The head of a valid document, to which a case adds `paths` and `components`.
const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: Robustness\n  version: '1'\n";

fn with_schemas(schemas: &str) -> String {
    format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n{schemas}")
}

/// A document whose one operation, `GET /x`, responds with `schema_ref`, and whose
/// `components.schemas` are `schemas` (YAML lines indented by four spaces).
fn used_by_an_operation(schemas: &str, schema_ref: &str) -> String {
    [
        HEAD,
        "paths:\n",
        "  /x:\n",
        "    get:\n",
        "      operationId: getX\n",
        "      responses:\n",
        "        '200':\n",
        "          description: ok\n",
        "          content:\n",
        "            application/json:\n",
        &format!("              schema: {{ $ref: '{schema_ref}' }}\n"),
        "components:\n",
        "  schemas:\n",
        schemas,
    ]
    .concat()
}

// Not documents at all.
case!(empty_file, NOT_A_DOCUMENT, String::new);
case!(whitespace_only, NOT_A_DOCUMENT, || " \n\t\r\n   \n".into());
case!(yaml_null, NOT_A_DOCUMENT, || "null".into());
case!(yaml_tilde, NOT_A_DOCUMENT, || "~\n".into());
case!(yaml_scalar, NOT_A_DOCUMENT, || "just some words".into());
case!(yaml_number, NOT_A_DOCUMENT, || "42".into());
case!(yaml_list, NOT_A_DOCUMENT, || "- openapi\n- 3.0.3\n".into());
case!(json_list, NOT_A_DOCUMENT, || "[1, 2, 3]".into());
case!(json_string, NOT_A_DOCUMENT, || "\"openapi\"".into());
case!(json_object_empty, NOT_A_DOCUMENT, || "{}".into());
case!(comment_only, NOT_A_DOCUMENT, || "# nothing here\n".into());
case!(yaml_document_markers, NOT_A_DOCUMENT, || "---\n...\n---\n"
    .into());

// Bytes that are not quite text. `Source::text` is a `&str`, so invalid UTF-8 arrives as
// U+FFFD (what a lossy read gives), and control characters arrive as they are.
case!(invalid_utf8_lossy, SYNTAX, || {
    String::from_utf8_lossy(b"\xff\xfe\x00o\x00p\x00e\x00n\xc3\x28api: \xa0\xa1 3.0.0\n")
        .into_owned()
});
case!(nul_bytes, SYNTAX, || "openapi: 3.0.3\0\ninfo: \0\0\0\n"
    .into());
case!(control_characters, SYNTAX, || {
    (0u8..32)
        .map(char::from)
        .chain("openapi: 3.0.3\n\u{7f}\u{85}\u{2028}\u{feff}".chars())
        .collect()
});
case!(byte_order_mark, NOT_A_DOCUMENT, || {
    format!("\u{feff}{HEAD}paths: {{}}\n")
});
case!(json_lone_surrogate, SYNTAX, || {
    r#"{"openapi": "3.0.3", "info": {"title": "\ud800", "version": "\udfff"}, "paths": {}}"#.into()
});
case!(replacement_characters, NOT_A_DOCUMENT, || "\u{fffd}"
    .repeat(10_000));

// Deep nesting, 100 000 levels, in each syntax.
case!(yaml_flow_sequences_100k_deep, TOO_DEEP, || {
    format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH))
});
case!(yaml_flow_mappings_100k_deep, TOO_DEEP, || {
    format!("{HEAD}x: {}1{}", "{a: ".repeat(DEPTH), "}".repeat(DEPTH))
});
case!(yaml_block_sequences_100k_deep, TOO_DEEP, || {
    format!("{}x\n", "- ".repeat(DEPTH))
});
case!(yaml_block_mappings_deep, TOO_DEEP, || {
    // Block mappings need one more column per level; 2 000 levels is already 2 MB of text.
    (0..2_000)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect()
});
case!(yaml_unclosed_flow_100k_deep, TOO_DEEP, || "[".repeat(DEPTH));
case!(json_arrays_100k_deep, TOO_DEEP, || {
    format!("{{\"x\": {}{}}}", "[".repeat(DEPTH), "]".repeat(DEPTH))
});
case!(json_objects_100k_deep, TOO_DEEP, || {
    format!("{}1{}", "{\"a\": ".repeat(DEPTH), "}".repeat(DEPTH))
});
case!(json_unclosed_100k_deep, TOO_DEEP, || "{\"a\": "
    .repeat(DEPTH));
case!(
    yaml_aliases_billion_laughs,
    &["alias", "recursion", "limit", "repetition", "large"],
    || {
        // Each level refers to the previous one nine times: 9^9 nodes if expanded.
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        text
    }
);

// Deep but within every parser's limit: the model and the renderer recurse over it.
case!(arrays_of_arrays_120_deep, TOO_DEEP, || {
    let mut schema = String::from("{type: string}");
    for _ in 0..120 {
        schema = format!("{{type: array, items: {schema}}}");
    }
    used_by_an_operation(
        &format!("    Deep: {schema}\n"),
        "#/components/schemas/Deep",
    )
});
case!(nested_inline_objects_120_deep, TOO_DEEP, || {
    let mut schema = String::from("{type: string}");
    for _ in 0..60 {
        schema = format!("{{type: object, properties: {{inner: {schema}}}}}");
    }
    used_by_an_operation(
        &format!("    Deep: {schema}\n"),
        "#/components/schemas/Deep",
    )
});
case!(all_of_chain_120_deep, TOO_DEEP, || {
    let mut schema = String::from("{type: object, properties: {leaf: {type: string}}}");
    for i in 0..120 {
        schema = format!("{{allOf: [{schema}, {{properties: {{p{i}: {{type: integer}}}}}}]}}");
    }
    used_by_an_operation(
        &format!("    Deep: {schema}\n"),
        "#/components/schemas/Deep",
    )
});
case!(maps_of_maps_120_deep, TOO_DEEP, || {
    let mut schema = String::from("{type: integer}");
    for _ in 0..120 {
        schema = format!("{{type: object, additionalProperties: {schema}}}");
    }
    used_by_an_operation(
        &format!("    Deep: {schema}\n"),
        "#/components/schemas/Deep",
    )
});
case!(ref_chain_2000_long, REFERENCE, || {
    // Alias chains once took time worse than quadratic in their length (2 000: ~15 s in a
    // release build); since the linear-time reference checks, 4 000 take under 0.1 s.
    let schemas: String = (0..2_000)
        .map(|i| format!("    S{i}: {{ $ref: '#/components/schemas/S{}' }}\n", i + 1))
        .chain(std::iter::once(String::from("    S2000: {type: string}\n")))
        .collect();
    used_by_an_operation(&schemas, "#/components/schemas/S0")
});

// Cycles through `$ref`.
case!(schema_is_a_ref_to_itself, REFERENCE, || {
    used_by_an_operation(
        "    A: { $ref: '#/components/schemas/A' }\n",
        "#/components/schemas/A",
    )
});
case!(unused_schema_is_a_ref_to_itself, REFERENCE, || {
    with_schemas("    A: { $ref: '#/components/schemas/A' }\n")
});
case!(refs_cycle_a_b_a, REFERENCE, || {
    used_by_an_operation(
        "    A: { $ref: '#/components/schemas/B' }\n    B: { $ref: '#/components/schemas/A' }\n",
        "#/components/schemas/A",
    )
});
case!(refs_cycle_through_all_of, REFERENCE, || {
    used_by_an_operation(
        "    A: { allOf: [ { $ref: '#/components/schemas/B' } ] }\n    \
         B: { allOf: [ { $ref: '#/components/schemas/A' } ] }\n",
        "#/components/schemas/A",
    )
});
case!(refs_cycle_through_one_of_and_items, REFERENCE, || {
    used_by_an_operation(
        "    A: { oneOf: [ { $ref: '#/components/schemas/B' }, { type: string } ] }\n    \
         B: { type: array, items: { $ref: '#/components/schemas/A' } }\n",
        "#/components/schemas/A",
    )
});
case!(properties_reference_their_parent, REFERENCE, || {
    used_by_an_operation(
        "    Node:\n      type: object\n      required: [child, this]\n      properties:\n        \
         child: { $ref: '#/components/schemas/Node' }\n        \
         this: { allOf: [ { $ref: '#/components/schemas/Node' } ] }\n        \
         children: { type: array, items: { $ref: '#/components/schemas/Node' } }\n        \
         byName: { type: object, additionalProperties: { $ref: '#/components/schemas/Node' } }\n        \
         maybe: { nullable: true, oneOf: [ { $ref: '#/components/schemas/Node' } ] }\n        \
         inner:\n          type: object\n          properties:\n            \
         up: { $ref: '#/components/schemas/Node/properties/inner' }\n            \
         root: { $ref: '#' }\n",
        "#/components/schemas/Node",
    )
});
case!(ref_to_own_property_pointer, REFERENCE, || {
    used_by_an_operation(
        "    A:\n      type: object\n      properties:\n        \
         a: { $ref: '#/components/schemas/A/properties/a' }\n",
        "#/components/schemas/A",
    )
});
case!(parameter_and_response_refs_cycle, REFERENCE, || {
    format!(
        "{HEAD}paths:\n  /x:\n    get:\n      parameters:\n        - $ref: \
         '#/components/parameters/P'\n      responses:\n        '200': {{ $ref: \
         '#/components/responses/R' }}\ncomponents:\n  parameters:\n    P: {{ $ref: \
         '#/components/parameters/Q' }}\n    Q: {{ $ref: '#/components/parameters/P' }}\n  \
         responses:\n    R: {{ $ref: '#/components/responses/R' }}\n"
    )
});
case!(path_item_ref_to_itself, REFERENCE, || {
    format!("{HEAD}paths:\n  /x: {{ $ref: '#/paths/~1x' }}\n")
});

// Found by `fuzz/run.sh structured` (minimised): the model's schema reader takes time
// exponential in the depth of a failing nesting (openapiv3 reads a failing `ReferenceOr`
// twice, to word its error), so no subtree may reach it unrepaired. Here the subtree sat
// under an object whose `$ref` could not be followed (the `$ref` in `components`), which
// the repairs used to skip: 22 levels took 40 s. The fuzzer's input had 79 levels.
case!(
    untyped_items_chain_under_an_unfollowed_ref,
    REFERENCE,
    || {
        let depth = 40;
        format!(
            "openapi: 3.0.2\ncomponents:\n  $ref: '0'\n  schemas:\n    S: {}{{format: {{}}}}{}\n",
            "{items: ".repeat(depth),
            "}".repeat(depth)
        )
    },
    30
);

// The same chain beside a `$ref` that is not a string, in a schema and in a property.
case!(
    untyped_items_chain_beside_a_ref_that_is_not_a_string,
    REFERENCE,
    || {
        let depth = 40;
        let chain = format!(
            "{}{{format: {{}}}}{}",
            "{items: ".repeat(depth),
            "}".repeat(depth)
        );
        format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    S: {{$ref: 5, items: {chain}}}\n    \
             T: {{properties: {{a: {{$ref: [], items: {chain}}}}}}}\n"
        )
    },
    30
);

// Dangling pointers are tried through every reference they pass (as bundlers' pointers must
// be), within a budget: 5 000 of them, 60 segments deep, through a ring of references, must
// not take quadratic or exponential time.
case!(
    dangling_pointers_through_a_ring_of_references,
    REFERENCE,
    || {
        let deep = "/properties/p".repeat(30);
        let mut schemas = String::from(
            "    A: {$ref: '#/components/schemas/B'}\n    B: {allOf: [{$ref: '#/components/schemas/A'}]}\n",
        );
        for i in 0..5_000 {
            schemas.push_str(&format!(
                "    S{i}: {{$ref: '#/components/schemas/A{deep}/missing{i}'}}\n"
            ));
        }
        with_schemas(&schemas)
    },
    60
);

// Huge names.
case!(schema_name_100kb, NAME, || {
    let name = "A".repeat(100_000);
    used_by_an_operation(
        &format!("    {name}: {{type: object, properties: {{id: {{type: string}}}}}}\n"),
        &format!("#/components/schemas/{name}"),
    )
});
case!(property_name_100kb, NAME, || {
    let name = "p".repeat(100_000);
    used_by_an_operation(
        &format!("    A: {{type: object, required: [{name}], properties: {{{name}: {{type: string}}}}}}\n"),
        "#/components/schemas/A",
    )
});
case!(enum_value_100kb, NAME, || {
    let value = "V".repeat(100_000);
    used_by_an_operation(
        &format!("    E: {{type: string, enum: [{value}, short]}}\n"),
        "#/components/schemas/E",
    )
});
case!(operation_id_10k_chars, NAME, || {
    let id = "op".repeat(5_000);
    format!(
        "{HEAD}paths:\n  /x:\n    get:\n      operationId: {id}\n      responses:\n        \
         '204': {{description: none}}\n"
    )
});
case!(same_operation_id_5000_times, NAME, || {
    let mut text = format!("{HEAD}paths:\n");
    for i in 0..5_000 {
        text.push_str(&format!(
            "  /p{i}:\n    get:\n      operationId: same\n      responses:\n        '204': \
             {{description: none}}\n"
        ));
    }
    text
});
case!(path_100kb_long, NAME, || {
    let path = "/a".repeat(50_000);
    format!(
        "{HEAD}paths:\n  {path}:\n    get:\n      responses:\n        '204': {{description: \
         none}}\n"
    )
});

// Versions.
case!(openapi_4, VERSION, || format!(
    "openapi: 4.0.0\n{}",
    &HEAD[15..]
) + "paths: {}\n");
case!(openapi_2, VERSION, || format!(
    "openapi: 2.0\n{}",
    &HEAD[15..]
) + "paths: {}\n");
case!(swagger_2, VERSION, || format!(
    "swagger: '2.0'\n{}",
    &HEAD[15..]
) + "paths: {}\n");
case!(swagger_3, VERSION, || format!(
    "swagger: '3.0'\n{}",
    &HEAD[15..]
) + "paths: {}\n");
case!(openapi_3_1, VERSION, || format!(
    "openapi: 3.1.0\n{}",
    &HEAD[15..]
) + "paths: {}\n");
case!(openapi_3_99, VERSION, || format!(
    "openapi: 3.99.99\n{}",
    &HEAD[15..]
) + "paths: {}\n");
case!(openapi_word, VERSION, || format!(
    "openapi: banana\n{}",
    &HEAD[15..]
) + "paths: {}\n");
case!(openapi_empty, VERSION, || format!(
    "openapi: ''\n{}",
    &HEAD[15..]
) + "paths: {}\n");
case!(openapi_list, VERSION, || format!(
    "openapi: [3, 0]\n{}",
    &HEAD[15..]
) + "paths: {}\n");
case!(openapi_null, VERSION, || format!(
    "openapi: null\n{}",
    &HEAD[15..]
) + "paths: {}\n");
case!(openapi_number, VERSION, || format!(
    "openapi: 3\n{}",
    &HEAD[15..]
) + "paths: {}\n");
case!(openapi_missing, VERSION, || format!(
    "{}paths: {{}}\n",
    &HEAD[15..]
));

#[test]
fn the_head_is_what_the_version_cases_cut() {
    assert_eq!(&HEAD[..15], "openapi: 3.0.3\n");
}
