//! Emitting: rendered tokens → formatted text with a header, keyed by relative path.
use std::collections::BTreeMap;

use crate::{render::RenderedFile, Config};

pub fn emit(files: &[RenderedFile], _config: &Config) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for f in files {
        match f {
            RenderedFile::Rust { path, tokens } => {
                out.insert(path.clone(), tokens.to_string());
            }
            RenderedFile::Text { path, text } => {
                out.insert(path.clone(), text.clone());
            }
        }
    }
    out
}
