//! Rust identifiers from arbitrary spec names: case conversion, keyword and prelude escapes,
//! and per-scope uniqueness.
//!
//! Every function here is total (never panics, always yields a valid identifier) and
//! deterministic: the same inputs in the same order always give the same names.

use foldhash::{HashMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers even as raw identifiers (`r#self` is invalid).
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "extern", "_"];

/// Strict and reserved keywords of Rust 2021 (and 2024's `gen`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names that would shadow the prelude or the names generated code relies on.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "ToString",
    "ToOwned",
    "Into",
    "From",
    "Iterator",
    "IntoIterator",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "Serialize",
    "Deserialize",
    "Self",
    "Client",
    "Error",
    "Server",
    "Upload",
    "ResponseValue",
    "ClientBuilder",
    "BTreeMap",
    "Value",
    "Map",
];

/// Replaces everything that cannot appear in an identifier by word breaks, keeping letters
/// (including non-ASCII ones, which Rust accepts when they are XID characters) and digits.
/// Symbols that carry meaning in enum values get a spelled-out word, so `+1` and `-1` differ.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '+' => out.push_str(" plus "),
            '-' if out.trim().is_empty() => out.push_str(" minus "),
            '<' => out.push_str(" lt "),
            '>' => out.push_str(" gt "),
            '=' => out.push_str(" eq "),
            '*' => out.push_str(" star "),
            '@' => out.push_str(" at "),
            c if c.is_alphanumeric() && unicode_ident_char(c) => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// Whether `c` may continue an identifier. Rust uses Unicode XID; `char::is_alphanumeric`
/// is a close superset, so non-ASCII letters outside XID (rare) are dropped to be safe.
fn unicode_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphabetic())
}

fn fix_start(mut ident: String, fallback: &str) -> String {
    if ident.is_empty() {
        return fallback.to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(
            0,
            if fallback.starts_with(char::is_uppercase) {
                'V'
            } else {
                '_'
            },
        );
    }
    ident
}

/// `snake_case` identifier for fields, methods, modules and arguments.
pub fn snake(raw: &str) -> String {
    escape_keyword(fix_start(cased(raw, Case::Snake), "value"))
}

/// `raw` in `case`: plain names straight through [`ascii_case`], others split into [`words`]
/// first (and cased by `heck` when they are not ASCII).
fn cased(raw: &str, case: Case) -> String {
    if is_plain(raw) {
        return ascii_case(raw, case);
    }
    let words = words(raw);
    match case {
        _ if words.is_ascii() => ascii_case(&words, case),
        Case::Snake => words.to_snake_case(),
        Case::UpperCamel => words.to_upper_camel_case(),
    }
}

/// Whether `raw` is plain ASCII words ([`words`] would only turn its separators into spaces,
/// which [`ascii_case`] splits on anyway): letters and digits, separated by `_`, `-`, `.` or
/// spaces, starting with a letter or digit (a leading `-` is a sign). Most names are.
fn is_plain(raw: &str) -> bool {
    raw.starts_with(|c: char| c.is_ascii_alphanumeric())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' '))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Snake,
    UpperCamel,
}

/// `heck`'s case conversion, for ASCII text: the same words, found the same way, without
/// its per-character formatting (names are a large part of the model's work on a big API).
/// Other text goes to `heck`; a test holds the two to the same results.
fn ascii_case(text: &str, case: Case) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(text.len() + 8);
    let mut push_word = |word: &[u8]| {
        let Some((&first, rest)) = word.split_first() else {
            return;
        };
        match case {
            Case::Snake => {
                if !out.is_empty() {
                    out.push(b'_');
                }
                out.push(first.to_ascii_lowercase());
            }
            Case::UpperCamel => out.push(first.to_ascii_uppercase()),
        }
        out.extend(rest.iter().map(u8::to_ascii_lowercase));
    };
    for part in text.as_bytes().split(|b| !b.is_ascii_alphanumeric()) {
        // A word ends after a lower-case letter (or a digit after one) followed by an
        // upper-case letter (`fooBar`), and before the last capital of a run followed by a
        // lower-case letter (`HTTPServer`). Digits continue whatever case came before them.
        let mut start = 0;
        let mut last_case: Option<bool> = None; // Some(true): the last letter was upper case
        for (i, pair) in part.windows(2).enumerate() {
            let &[c, next] = pair else { continue };
            let case_here = if c.is_ascii_lowercase() {
                Some(false)
            } else if c.is_ascii_uppercase() {
                Some(true)
            } else {
                last_case
            };
            if case_here == Some(false) && next.is_ascii_uppercase() {
                push_word(part.get(start..=i).unwrap_or_default());
                start = i + 1;
                last_case = None;
            } else if last_case == Some(true) && c.is_ascii_uppercase() && next.is_ascii_lowercase()
            {
                push_word(part.get(start..i).unwrap_or_default());
                start = i;
                last_case = None;
            } else {
                last_case = case_here;
            }
        }
        push_word(part.get(start..).unwrap_or_default());
    }
    // Only ASCII letters, digits and `_` were written.
    String::from_utf8(out).unwrap_or_default()
}

/// A `snake_case` module name: like [`snake`], but a keyword gets a trailing `_` instead of
/// `r#`, since the name is also a file name and a method name.
pub fn module_name(raw: &str) -> String {
    let ident = snake(raw);
    match ident.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => ident,
    }
}

/// `UpperCamelCase` identifier for types and enum variants.
pub fn camel(raw: &str) -> String {
    escape_keyword(fix_start(cased(raw, Case::UpperCamel), "Value"))
}

/// `UpperCamelCase` type name that cannot shadow the prelude or the client's own items.
pub fn type_name(raw: &str) -> String {
    let name = camel(raw);
    if is_reserved_type_name(&name) {
        format!("{name}Model")
    } else {
        name
    }
}

/// `UpperCamelCase` name of an operation group's type (from its tag), which the group's module
/// declares beside the methods that return `Result`: a prelude name gets `Api` appended
/// (`Result` → `ResultApi`).
pub fn group_type_name(raw: &str) -> String {
    let name = camel(raw);
    if is_reserved_type_name(&name) {
        format!("{name}Api")
    } else {
        name
    }
}

/// Whether `name` is in [`RESERVED_TYPE_NAMES`] (none is longer than 13 bytes: most type names
/// are ruled out without comparing).
fn is_reserved_type_name(name: &str) -> bool {
    name.len() <= 13 && RESERVED_TYPE_NAMES.contains(&name)
}

fn escape_keyword(ident: String) -> String {
    // No keyword is longer than 8 bytes: most identifiers are ruled out without comparing.
    if ident.len() > 8 {
        return ident;
    }
    if NON_RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// Field identifiers by property name, each with its [`Scope`] key, worked out once: a large
/// API names the same properties (`id`, `url`, `created_at`) thousands of times.
#[derive(Debug, Default)]
pub struct FieldNames {
    known: HashMap<String, (String, String)>,
}

impl FieldNames {
    /// The `snake_case` identifier for the property `wire` (see [`snake`]), and its key.
    pub fn get(&mut self, wire: &str) -> (&str, &str) {
        if !self.known.contains_key(wire) {
            let ident = snake(wire);
            let key = Scope::key(&ident);
            self.known.insert(wire.to_owned(), (ident, key));
        }
        match self.known.get(wire) {
            Some((ident, key)) => (ident, key),
            None => ("", ""),
        }
    }
}

/// Hands out names unique within one scope, suffixing `2`, `3`, … on collisions.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
    /// For a base name that collided before, the suffix to try first: every lower one was
    /// taken when it was last claimed, and names are never released. Without it, the `n`th
    /// claim of a common name (`Items`, `Data`) would try `n` candidates, quadratic in total.
    next_suffix: HashMap<String, usize>,
}

impl Scope {
    pub fn new() -> Self {
        Scope::default()
    }

    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| Self::key(s)).collect(),
            next_suffix: HashMap::default(),
        }
    }

    /// Names that differ only in case, underscores or a raw prefix count as the same name.
    fn key(name: &str) -> String {
        let mut name = name;
        while let Some(rest) = name.strip_prefix("r#") {
            name = rest;
        }
        if name.is_ascii() {
            // The same as below without Unicode case tables: most names are ASCII, and every
            // type, field and method name of a crate passes through here.
            let mut key = String::with_capacity(name.len());
            key.extend(
                name.bytes()
                    .filter(|&b| b != b'_')
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
            key
        } else {
            name.replace('_', "").to_lowercase()
        }
    }

    /// Claims `wanted`, or the first free `wanted2`, `wanted3`, … (comparing case-insensitively
    /// without underscores, so `EndTime` and `end_time`-derived names cannot meet in serde or
    /// in file names on case-insensitive file systems).
    pub fn claim(&mut self, wanted: &str) -> String {
        self.claim_keyed(wanted, &Self::key(wanted))
    }

    /// [`Scope::claim`] for a name whose key is known (see [`FieldNames`]).
    pub fn claim_keyed(&mut self, wanted: &str, wanted_key: &str) -> String {
        let key = Self::key;
        if !self.taken.contains(wanted_key) {
            self.taken.insert(wanted_key.to_owned());
            return wanted.to_owned();
        }
        let base = wanted
            .strip_prefix("r#")
            .unwrap_or(wanted)
            .trim_end_matches('_');
        let separator = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let next = self.next_suffix.entry(key(base)).or_insert(2);
        loop {
            let candidate = format!("{base}{separator}{next}");
            *next += 1;
            if self.taken.insert(key(&candidate)) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The length checks that skip the lists must not skip a name in them.
    #[test]
    fn the_lists_fit_the_length_checks() {
        assert!(KEYWORDS
            .iter()
            .chain(NON_RAW_KEYWORDS)
            .all(|k| k.len() <= 8));
        assert!(RESERVED_TYPE_NAMES.iter().all(|k| k.len() <= 13));
    }

    /// Plain names skip `words`; the result is the same as through it.
    #[test]
    fn plain_names_are_cased_as_through_words() {
        for raw in [
            "hook-delivery",
            "end_time",
            "HTTPServer2",
            "a.b c",
            "x-rate-limit",
            "9lives",
            "fooBar_baz-Qux.v2",
            "ID",
            "webhook-pull-request-review-request-removed",
        ] {
            assert!(is_plain(raw), "{raw}");
            let through = words(raw);
            assert_eq!(
                snake(raw),
                escape_keyword(fix_start(ascii_case(&through, Case::Snake), "value"))
            );
            assert_eq!(
                camel(raw),
                escape_keyword(fix_start(ascii_case(&through, Case::UpperCamel), "Value"))
            );
        }
        for raw in ["-1", "+1", "a+b", "a@b", "é", "_x", "", "a/b", "a=b"] {
            assert!(!is_plain(raw), "{raw}");
        }
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("match"), "r#match");
        assert_eq!(snake("self"), "self_");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(snake("crate"), "crate_");
    }

    #[test]
    fn punctuation_and_digits() {
        assert_eq!(snake("$ref"), "ref_".replace("ref_", "r#ref"));
        assert_eq!(snake("@timestamp"), "at_timestamp");
        assert_eq!(snake("dc:creator"), "dc_creator");
        assert_eq!(snake("files[0]"), "files_0");
        assert_eq!(snake("4k_blocked"), "_4k_blocked");
        assert_eq!(camel("144p"), "V144p");
        assert_eq!(camel("+1"), "Plus1");
        assert_eq!(camel("-1"), "Minus1");
        assert_eq!(camel(""), "Value");
        assert_eq!(snake(""), "value");
        assert_eq!(camel("UTC+12"), "UtcPlus12");
        assert_eq!(snake("X-WalletKit-Project-ID"), "x_wallet_kit_project_id");
    }

    #[test]
    fn ascii_case_finds_the_words_heck_finds() {
        let samples = [
            "",
            " ",
            "a",
            "A",
            "ab",
            "AB",
            "aB",
            "Ab",
            "fooBar",
            "FooBar",
            "foo_bar",
            "foo bar",
            "HTTPServer",
            "HTTPServerError",
            "getHTTPResponseCode",
            "IOStream",
            "ABCd",
            "AbCd",
            "v1",
            "V1",
            "v1Beta2",
            "1v",
            "123",
            "4k blocked",
            "X WalletKit Project ID",
            "pull_request_review_comment",
            "ID",
            "Id",
            "iD",
            "IDs",
            "userID2FA",
            "a1B2c3D4",
            "ALL CAPS WORDS",
            "  leading and trailing  ",
            "x  y",
            "mixed_Case-Words.here",
            "UTC plus 12",
            "a_B",
            "A_b",
            "AbcDEFGhi",
            "abcDEF",
            "DEFabc",
            "x9Y",
            "X9y",
            "X9Y",
            "aa1A",
            "AA1a",
            "A1a",
            "a1a",
            "_",
            "__a__",
            "Ab1CD2ef",
        ];
        for sample in samples {
            assert_eq!(
                ascii_case(sample, Case::Snake),
                sample.to_snake_case(),
                "snake case of {sample:?}"
            );
            assert_eq!(
                ascii_case(sample, Case::UpperCamel),
                sample.to_upper_camel_case(),
                "upper camel case of {sample:?}"
            );
        }
        // Every string of up to four characters from a small alphabet of each kind.
        let alphabet = ['a', 'B', '1', ' ', 'c', 'D'];
        let mut strings = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = strings
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(longer);
            strings.dedup();
        }
        for sample in &strings {
            assert_eq!(
                ascii_case(sample, Case::Snake),
                sample.to_snake_case(),
                "{sample:?}"
            );
            assert_eq!(
                ascii_case(sample, Case::UpperCamel),
                sample.to_upper_camel_case(),
                "{sample:?}"
            );
        }
    }

    #[test]
    fn module_names_are_never_raw() {
        assert_eq!(module_name("mod"), "mod_");
        assert_eq!(module_name("type"), "type_");
        assert_eq!(module_name("self"), "self_");
        assert_eq!(module_name("Users"), "users");
    }

    #[test]
    fn prelude_names_are_renamed() {
        assert_eq!(type_name("Option"), "OptionModel");
        assert_eq!(type_name("result"), "ResultModel");
        assert_eq!(type_name("pet"), "Pet");
        assert_eq!(group_type_name("result"), "ResultApi");
        assert_eq!(group_type_name("Vec"), "VecApi");
        assert_eq!(group_type_name("pets"), "Pets");
    }

    #[test]
    fn scope_suffixes_collisions_deterministically() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim("EndTime"), "EndTime");
        assert_eq!(scope.claim("EndTime"), "EndTime2");
        assert_eq!(scope.claim("EndTime"), "EndTime3");
        assert_eq!(scope.claim("r#type"), "r#type");
        assert_eq!(scope.claim("r#type"), "type2");
        assert_eq!(scope.claim("v1"), "v1");
        assert_eq!(scope.claim("v1"), "v1_2");
    }

    #[test]
    fn spellings_that_differ_in_case_or_underscores_collide_in_any_script() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim("end_time"), "end_time");
        assert_eq!(scope.claim("EndTime"), "EndTime2");
        assert_eq!(scope.claim("Ärger_Typ"), "Ärger_Typ");
        assert_eq!(scope.claim("ärgertyp"), "ärgertyp2");
        assert_eq!(Scope::key("r#Über_Größe"), "übergröße");
        assert_eq!(Scope::key("r#Match_Arm"), "matcharm");
    }

    #[test]
    fn suffixes_skip_names_claimed_directly_and_spellings_share_them() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim("Data2"), "Data2");
        assert_eq!(scope.claim("Data"), "Data");
        assert_eq!(scope.claim("Data"), "Data3");
        assert_eq!(scope.claim("data"), "data4");
        assert_eq!(scope.claim("Data5"), "Data5");
        assert_eq!(scope.claim("DATA"), "DATA6");
        let many: Vec<String> = (0..1000).map(|_| scope.claim("Data")).collect();
        assert_eq!(many.first().map(String::as_str), Some("Data7"));
        assert_eq!(many.last().map(String::as_str), Some("Data1006"));
    }

    #[test]
    fn reserved_names_are_compared_like_claimed_ones() {
        let mut scope = Scope::with_reserved(&["Unknown"]);
        assert_eq!(scope.claim("Unknown"), "Unknown2");
        assert_eq!(scope.claim("UNKNOWN"), "UNKNOWN3");
    }
}
