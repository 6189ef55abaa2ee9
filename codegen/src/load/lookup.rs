//! Looking up keys in the small JSON objects a document is made of.
//!
//! `serde_json`'s map (an `IndexMap`, to keep the document's order) hashes the key with SipHash
//! on every lookup. Most objects of a document have a handful of keys, and the repair pass
//! asks every schema about twenty keywords, so on a small object comparing the keys one by one
//! is several times cheaper. Large objects are still looked up by hash.

use serde_json::{Map, Value};

/// Objects with at most this many keys are scanned instead of hashed.
const SCAN_UP_TO: usize = 12;

/// Key lookups that scan small objects (see the module's documentation).
pub(super) trait Lookup {
    /// The value of `key`, like `Map::get`.
    fn field(&self, key: &str) -> Option<&Value>;
    /// The value of `key`, like `Map::get_mut`.
    fn field_mut(&mut self, key: &str) -> Option<&mut Value>;
    /// Whether `key` is present, like `Map::contains_key`.
    fn has(&self, key: &str) -> bool {
        self.field(key).is_some()
    }
}

impl Lookup for Map<String, Value> {
    fn field(&self, key: &str) -> Option<&Value> {
        if self.len() <= SCAN_UP_TO {
            self.iter().find_map(|(k, v)| (k == key).then_some(v))
        } else {
            self.get(key)
        }
    }

    fn field_mut(&mut self, key: &str) -> Option<&mut Value> {
        if self.len() <= SCAN_UP_TO {
            self.iter_mut().find_map(|(k, v)| (k == key).then_some(v))
        } else {
            self.get_mut(key)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map, Value};

    use super::{Lookup, SCAN_UP_TO};

    /// Scanned or hashed, a lookup finds what `Map` finds.
    #[test]
    fn lookups_agree_with_the_map_on_small_and_large_objects() {
        for size in [0, 1, SCAN_UP_TO, SCAN_UP_TO + 1, 40] {
            let mut object: Map<String, Value> =
                (0..size).map(|i| (format!("k{i}"), json!(i))).collect();
            for key in ["k0", "k5", "k12", "k13", "k39", "absent", ""] {
                assert_eq!(object.field(key), object.get(key), "{key} of {size}");
                assert_eq!(object.has(key), object.contains_key(key), "{key} of {size}");
                let expected = object.get(key).cloned();
                if let Some(value) = object.field_mut(key) {
                    *value = json!("changed");
                }
                let changed = expected.map(|_| json!("changed"));
                assert_eq!(object.get(key).cloned(), changed, "{key} of {size}");
            }
        }
    }
}
