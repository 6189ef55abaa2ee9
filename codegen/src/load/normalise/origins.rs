//! Where the nodes of a normalised document came from.
//!
//! Normalisation moves subtrees (`#/definitions/Pet` becomes `#/components/schemas/Pet`, a
//! Swagger 2.0 body parameter becomes a `requestBody`), but every diagnostic must point into
//! the document the user wrote. A [`PointerMap`] records, for each moved subtree, its new
//! pointer and its original one; [`PointerMap::translate`] maps any pointer of the rewritten
//! document back by its longest recorded prefix (segment-aligned).

use std::collections::BTreeMap;

use crate::Diagnostic;

/// Rewritten-document pointer prefixes → original-document pointers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PointerMap {
    moved: BTreeMap<String, String>,
}

impl PointerMap {
    /// Records that the subtree now at `new` was written at `original`. A later record for
    /// the same `new` replaces the earlier one.
    pub fn record(&mut self, new: impl Into<String>, original: impl Into<String>) {
        let (new, original) = (new.into(), original.into());
        if new != original {
            self.moved.insert(new, original);
        } else {
            self.moved.remove(&new);
        }
    }

    /// Whether nothing was moved (an OpenAPI 3.0 document).
    pub fn is_empty(&self) -> bool {
        self.moved.is_empty()
    }

    /// The original pointer of `pointer` (a pointer of the rewritten document): its longest
    /// recorded prefix replaced by where that subtree was written. Unmoved pointers are
    /// returned as they are.
    pub fn translate(&self, pointer: &str) -> String {
        if self.moved.is_empty() {
            return pointer.to_owned();
        }
        let mut end = pointer.len();
        loop {
            let prefix = pointer.get(..end).unwrap_or_default();
            if let Some(original) = self.moved.get(prefix) {
                return format!("{original}{}", pointer.get(end..).unwrap_or_default());
            }
            match prefix.rfind('/') {
                Some(slash) => end = slash,
                None => return pointer.to_owned(),
            }
        }
    }

    /// The diagnostic with its pointer, and every pointer quoted in its message (as in
    /// "`$ref` target `#/components/schemas/Nope` does not exist"), mapped back.
    pub fn translate_diagnostic(&self, diagnostic: &mut Diagnostic) {
        if self.moved.is_empty() {
            return;
        }
        diagnostic.pointer = self.translate(&diagnostic.pointer);
        diagnostic.message = self.translate_text(&diagnostic.message);
    }

    /// Every diagnostic of `diagnostics`, mapped back.
    pub fn translate_all(&self, diagnostics: &mut [Diagnostic]) {
        for d in diagnostics {
            self.translate_diagnostic(d);
        }
    }

    /// `text` with each pointer in it (a `#/…` word starting after a backquote, a space or
    /// the start, ending before a backquote, a space or a comma) mapped back.
    fn translate_text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("#/") {
            let before = rest.get(..start).unwrap_or_default();
            out.push_str(before);
            let starts_word = before
                .chars()
                .next_back()
                .is_none_or(|c| c == '`' || c == ' ');
            let after = rest.get(start..).unwrap_or_default();
            let len = after.find(['`', ' ', ',']).unwrap_or(after.len());
            let word = after.get(..len).unwrap_or_default();
            if starts_word {
                out.push_str(&self.translate(word));
            } else {
                out.push_str(word);
            }
            rest = after.get(len..).unwrap_or_default();
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_recorded_prefix_wins_and_only_whole_segments_match() {
        let mut map = PointerMap::default();
        map.record("#/components/schemas", "#/definitions");
        map.record(
            "#/paths/~1a/get/parameters/0/schema",
            "#/paths/~1a/get/parameters/1",
        );
        map.record(
            "#/paths/~1a/get/parameters/0",
            "#/paths/~1a/get/parameters/1",
        );
        assert_eq!(
            map.translate("#/components/schemas/Pet/properties/id"),
            "#/definitions/Pet/properties/id"
        );
        assert_eq!(
            map.translate("#/components/schemasX/Pet"),
            "#/components/schemasX/Pet"
        );
        assert_eq!(
            map.translate("#/paths/~1a/get/parameters/0/schema/items"),
            "#/paths/~1a/get/parameters/1/items"
        );
        assert_eq!(
            map.translate("#/paths/~1a/get/parameters/0/name"),
            "#/paths/~1a/get/parameters/1/name"
        );
        assert_eq!(map.translate("#/info"), "#/info");
        assert_eq!(map.translate(""), "");
    }

    #[test]
    fn pointers_quoted_in_messages_are_mapped_back() {
        let mut map = PointerMap::default();
        map.record("#/components/schemas", "#/definitions");
        let mut d = Diagnostic::error(
            "a.json",
            "#/components/schemas/A/properties/b",
            "`$ref` target `#/components/schemas/Nope` does not exist: `#/components/schemas` \
             has no `Nope`; `$ref: #/components/schemas/X`, and a#/components/schemas",
        );
        map.translate_diagnostic(&mut d);
        assert_eq!(d.pointer, "#/definitions/A/properties/b");
        assert_eq!(
            d.message,
            "`$ref` target `#/definitions/Nope` does not exist: `#/definitions` has no `Nope`; \
             `$ref: #/definitions/X`, and a#/components/schemas"
        );
    }
}
