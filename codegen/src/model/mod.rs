//! The API model: a resolved view of the document that rendering works from.
use crate::{Diagnostic, Stats};

#[derive(Debug, Clone, Default)]
pub struct Api {}

impl Api {
    pub fn stats(&self) -> Stats {
        Stats::default()
    }
}

pub fn build(_doc: &openapiv3::OpenAPI, _file: &str, _warnings: &mut Vec<Diagnostic>) -> Api {
    Api {}
}
