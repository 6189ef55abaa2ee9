//! OpenAPI 3 document in, a typed, documented async Rust client crate out.
//!
//! The pipeline is pure and visible in the module layout:
//!
//! 1. [`load`]: text (YAML or JSON, detected) → a tolerant repair pass on the raw JSON value →
//!    the typed `openapiv3` model, with every problem reported as a [`Diagnostic`] carrying a
//!    JSON pointer into the user's file;
//! 2. [`model`]: the `openapiv3` document → a resolved API model: a type space (every named
//!    and inline schema, with unique Rust names) and the operations that use it;
//! 3. [`render`]: the model → token streams for each generated file (the data types are
//!    written as formatted text directly);
//! 4. [`emit`]: tokens → formatted source text with a header, keyed by relative path.
//!
//! No file, network or clock access happens here: the same input always yields the same bytes.
//! Reading and writing files is the caller's job (see the `xtask` crate).

pub mod diagnostics;
pub mod emit;
pub mod load;
pub mod model;
pub mod render;
mod stack;

use std::collections::BTreeMap;

pub use diagnostics::{Diagnostic, Pointer, Severity};

/// Settings for one generation run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The package name of the generated crate, e.g. `walletkit-client`.
    pub crate_name: String,
    /// The command that regenerates the output, quoted in every file header.
    pub regenerate_command: String,
    /// `true` when the crate is built on its own, outside any workspace: its `Cargo.toml` then
    /// carries an empty `[workspace]` table so cargo treats it as its own root.
    pub standalone: bool,
    /// Treat every warning as an error.
    pub strict: bool,
}

impl Config {
    pub fn new(crate_name: impl Into<String>) -> Self {
        Config {
            crate_name: crate_name.into(),
            regenerate_command: String::from("cargo xtask codegen"),
            standalone: false,
            strict: false,
        }
    }
}

/// The input document: its name (for diagnostics) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// Counts reported in the one-line run summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Operations in the document.
    pub operations_total: usize,
    /// Operations that became client methods.
    pub operations_generated: usize,
    /// Rust types generated (structs, enums, aliases).
    pub types: usize,
}

/// The result of a successful run: the files of a crate, and warnings.
#[derive(Debug, Clone)]
pub struct Generation {
    /// Relative path (with `/` separators) → file contents. Sorted, so iteration is deterministic.
    pub files: BTreeMap<String, String>,
    pub warnings: Vec<Diagnostic>,
    pub stats: Stats,
}

impl Generation {
    /// The machine-readable summary line printed at the end of every run.
    pub fn summary_line(&self) -> String {
        format!(
            "generated: {} of {} operations, {} types, {} warnings",
            self.stats.operations_generated,
            self.stats.operations_total,
            self.stats.types,
            self.warnings.len()
        )
    }
}

/// A failed run: every problem found, not just the first.
#[derive(Debug, Clone)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

/// Stack for the model and rendering stages (and each formatting worker).
pub(crate) const STACK_SIZE: usize = 256 << 20;

/// Runs `work` on a thread with [`STACK_SIZE`] of stack (see [`stack::on_stack`]); a panic
/// is re-raised here.
fn with_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    stack::on_stack(STACK_SIZE, "codegen", work)
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Generates a client crate from one document.
pub fn generate(source: Source<'_>, config: &Config) -> Result<Generation, Failure> {
    // Every stage runs on one thread with a stack of its own size (the loader's deserialiser
    // and the model recurse through nested schemas; a level of a debug build takes tens of
    // kilobytes), rather than whatever stack the caller happens to have. One thread for all
    // of them, rather than one each, because memory a thread frees is memory it can reuse at
    // once: the model and the files are built in the pages the parsed document leaves.
    let (origins, mut warnings, from_model, api, files) = with_stack(|| {
        let loaded = load::load_here(source)?;
        let mut warnings = loaded.warnings;
        // Where the model's warnings start: their pointers are into the normalised document.
        let from_model = warnings.len();
        let document = loaded.document;
        let api = model::build(&document, source.name, &mut warnings);
        // The model holds what it needs: the document (a large part of the peak memory of a
        // large run) is freed while the files are rendered, on a thread of its own (freeing
        // GitHub's takes tens of milliseconds). If that thread cannot be started, the failed
        // spawn drops its closure, and the document with it, right here.
        let files = std::thread::scope(|scope| {
            let _freeing = std::thread::Builder::new()
                .name(String::from("codegen-free"))
                .spawn_scoped(scope, move || drop(document));
            emit::emit_here(&api, config)
        });
        Ok::<_, Failure>((loaded.origins, warnings, from_model, api, files))
    })?;
    if let Some(model_warnings) = warnings.get_mut(from_model..) {
        origins.translate_all(model_warnings);
    }
    if config.strict && !warnings.is_empty() {
        let diagnostics = warnings
            .into_iter()
            .map(|mut w| {
                w.severity = Severity::Error;
                w
            })
            .collect();
        return Err(Failure { diagnostics });
    }
    Ok(Generation {
        files,
        warnings,
        stats: api.stats(),
    })
}
