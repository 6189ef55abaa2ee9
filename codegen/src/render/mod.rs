//! Rendering: the API model → token streams, one per generated file.
use crate::{model::Api, Config};

/// One generated file before formatting.
pub enum RenderedFile {
    Rust { path: String, tokens: proc_macro2::TokenStream },
    Text { path: String, text: String },
}

pub fn render(_api: &Api, _config: &Config) -> Vec<RenderedFile> {
    Vec::new()
}
