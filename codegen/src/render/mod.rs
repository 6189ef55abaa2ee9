//! Rendering: the API model → the generated crate's files, as token streams (Rust) or text.

mod apis;
mod client;
pub mod docs;
mod guide;
mod mock;
mod operation;
mod source;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, TypeDef, TypeKind};
use crate::Config;

/// One generated file before formatting.
pub enum RenderedFile {
    Rust {
        tokens: TokenStream,
    },
    /// Rust already laid out as `prettyplease` would (see `source`).
    Formatted {
        text: String,
    },
    Text {
        text: String,
    },
}

const RUNTIME: &str = include_str!("templates/runtime.rs");
const UPLOAD: &str = include_str!("templates/upload.rs");
const PAGINATION: &str = include_str!("templates/pagination.rs");
const MOCK_SUPPORT: &str = include_str!("templates/mock.rs");

/// One file of the generated crate, rendered on demand so files can be rendered and formatted
/// in parallel, each dropped as soon as it is written out.
#[derive(Debug, Clone, Copy)]
pub enum FileKind {
    Manifest,
    Lib,
    Client,
    Types,
    /// `src/types/mod.rs` when the types are split by initial letter.
    TypesMod,
    /// `src/types/<letter>.rs`.
    TypesPart(char),
    Runtime,
    ApisMod,
    Upload,
    Pagination,
    MockMod,
    MockSupport,
    /// The module of `api.groups[i]`.
    Group(usize),
}

/// Every file the crate consists of, with its relative path.
pub fn plan(api: &Api) -> Vec<(String, FileKind)> {
    let mut files = vec![
        ("Cargo.toml".to_owned(), FileKind::Manifest),
        ("src/lib.rs".to_owned(), FileKind::Lib),
        ("src/client.rs".to_owned(), FileKind::Client),
        ("src/runtime.rs".to_owned(), FileKind::Runtime),
        ("src/apis/mod.rs".to_owned(), FileKind::ApisMod),
        ("src/mock/mod.rs".to_owned(), FileKind::MockMod),
        ("src/mock/support.rs".to_owned(), FileKind::MockSupport),
    ];
    if api.types.defs.len() > types::SPLIT_ABOVE {
        files.push(("src/types/mod.rs".to_owned(), FileKind::TypesMod));
        for part in types::parts(api) {
            let path = format!("src/types/{}.rs", types::part_module(part));
            files.push((path, FileKind::TypesPart(part)));
        }
    } else {
        files.push(("src/types.rs".to_owned(), FileKind::Types));
    }
    if api.features.multipart {
        files.push(("src/upload.rs".to_owned(), FileKind::Upload));
    }
    if api.features.pagination {
        files.push(("src/pagination.rs".to_owned(), FileKind::Pagination));
    }
    for (i, group) in api.groups.iter().enumerate() {
        let path = format!("src/apis/{}.rs", group.module.trim_start_matches("r#"));
        files.push((path, FileKind::Group(i)));
    }
    files
}

/// A rough measure of the work of rendering and formatting a file, in lines of output.
///
/// Files are formatted on a few threads taking the next file as they finish one; taking the
/// biggest first keeps one large file (GitHub's webhook types are a sixth of its crate) from
/// starting last and leaving the other threads idle at the end.
pub fn estimated_lines(api: &Api, kind: FileKind) -> usize {
    let type_lines = |def: &TypeDef| match &def.kind {
        TypeKind::Struct(s) => 6 + 5 * s.fields.len(),
        TypeKind::Enum(values) => 20 + 3 * values.len(),
        TypeKind::IntegerEnum { values, .. } => 50 + 4 * values.len(),
        TypeKind::Union(u) => 10 + 2 * u.variants.len(),
        TypeKind::Alias(_) | TypeKind::Pending => 3,
    };
    match kind {
        FileKind::Types => api.types.defs.iter().map(type_lines).sum(),
        FileKind::TypesPart(part) => api
            .types
            .defs
            .iter()
            .filter(|def| types::part_of(def) == part)
            .map(type_lines)
            .sum(),
        FileKind::Group(i) => api.groups.get(i).map_or(0, |g| 120 * g.operations.len()),
        FileKind::MockMod => 12 * api.operations.len(),
        FileKind::Client => 40 * api.groups.len() + 300,
        FileKind::Manifest
        | FileKind::Lib
        | FileKind::TypesMod
        | FileKind::Runtime
        | FileKind::ApisMod
        | FileKind::Upload
        | FileKind::Pagination
        | FileKind::MockSupport => 100,
    }
}

/// Renders one file of the plan.
pub fn render_file(api: &Api, config: &Config, kind: FileKind) -> RenderedFile {
    let text = |text: &str| RenderedFile::Text {
        text: text.to_owned(),
    };
    let rust = |tokens| RenderedFile::Rust { tokens };
    match kind {
        FileKind::Manifest => RenderedFile::Text {
            text: manifest(api, config),
        },
        FileKind::Lib => rust(lib_rs(api, config)),
        FileKind::Client => rust(client::render(api)),
        FileKind::Types => RenderedFile::Formatted {
            text: types::render(api),
        },
        FileKind::TypesMod => rust(types::render_split_mod(api)),
        FileKind::TypesPart(part) => RenderedFile::Formatted {
            text: types::render_part(api, part),
        },
        FileKind::Runtime => text(RUNTIME),
        FileKind::ApisMod => rust(apis::render_mod(api)),
        FileKind::Upload => text(UPLOAD),
        FileKind::Pagination => text(PAGINATION),
        FileKind::MockMod => RenderedFile::Formatted {
            text: mock::render(api),
        },
        FileKind::MockSupport => text(MOCK_SUPPORT),
        FileKind::Group(i) => match api.groups.get(i) {
            Some(group) => RenderedFile::Formatted {
                text: apis::render_group(api, group),
            },
            None => rust(TokenStream::new()),
        },
    }
}

fn lib_rs(api: &Api, config: &Config) -> TokenStream {
    let title = format!(" # {}", api.title.trim());
    let intro = format!(
        " A typed async client for the {} API (version {}), generated from its OpenAPI document.",
        api.title.trim(),
        api.version.trim()
    );
    let description = docs::inner_doc_attrs([api.description.as_deref()]);
    let example = usage_example(api, config);
    let skip = quote!(#[rustfmt::skip]);
    let upload_mod = api.features.multipart.then(|| quote!(#skip mod upload;));
    let pagination_mod = api
        .features
        .pagination
        .then(|| quote!(#skip mod pagination;));
    let upload_use = api.features.multipart.then(|| {
        quote!(
            pub use upload::Upload;
        )
    });
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = #intro]
        #![doc = ""]
        #description
        #example
        // Prose from the API description is not written for rustdoc; links and HTML-like text in
        // it must not fail a documentation build.
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

        // The generator formats its files itself, the same way on every machine; rustfmt's output
        // changes between versions, so it leaves them alone.
        #[rustfmt::skip]
        pub mod apis;
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod runtime;
        #[rustfmt::skip]
        pub mod types;
        #upload_mod
        #pagination_mod
        #[cfg(feature = "mock")]
        #skip
        pub mod mock;

        pub use client::*;
        pub use runtime::{Error, RequestOptions, ResponseValue, RetryPolicy};
        #upload_use
    }
}

/// The crate-level guide as inner doc attributes.
fn usage_example(api: &Api, config: &Config) -> TokenStream {
    let text = guide::guide(api, config);
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    quote!(#![doc = ""] #(#lines)*)
}

/// The generated crate's `Cargo.toml`: only the dependencies its code uses.
fn manifest(api: &Api, config: &Config) -> String {
    let features = if api.features.multipart {
        r#"["json", "multipart", "rustls-tls"]"#
    } else {
        r#"["json", "rustls-tls"]"#
    };
    // tokio is already in the tree through reqwest; the client needs its timer for backoff.
    let mut deps = format!(
        "reqwest = {{ version = \"0.12\", default-features = false, features = {features} }}\n\
         serde = {{ version = \"1.0.181\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n\
         tokio = {{ version = \"1\", features = [\"time\"] }}\n\
         tracing = {{ version = \"0.1\", optional = true }}\n\
         wiremock = {{ version = \"0.6\", optional = true }}\n"
    );
    if api.features.pagination {
        deps.push_str("futures-util = { version = \"0.3\", default-features = false }\n");
    }
    if api.features.chrono {
        deps.push_str("chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }\n");
    }
    if api.features.uuid {
        deps.push_str("uuid = { version = \"1\", features = [\"serde\"] }\n");
    }
    let description = format!(
        "Typed async client for the {} API, generated from its OpenAPI document.",
        api.title.trim()
    )
    .replace('\\', "\\\\")
    .replace('"', "\\\"")
    .replace(['\n', '\r'], " ");
    let workspace = if config.standalone {
        "\n[workspace]\n"
    } else {
        ""
    };
    format!(
        "{header}\
         [package]\n\
         name = \"{name}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         description = \"{description}\"\n\
         publish = false\n\
         \n\
         [features]\n\
         # Spans per request attempt (method, path template, attempt, status).\n\
         tracing = [\"dep:tracing\"]\n\
         # Typed stubs of every operation on a local wiremock server, for tests.\n\
         mock = [\"dep:wiremock\"]\n\
         \n\
         [dependencies]\n\
         {deps}\
         \n\
         [dev-dependencies]\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
         wiremock = \"0.6\"\n\
         {workspace}",
        header = crate::emit::header("#", api, config),
        name = config.crate_name,
    )
}
