//! Rust written directly as formatted text, for the simple, regular items that make up most
//! of a large crate (data types, parameter structs, response enums, mock stubs).
//!
//! Going tokens → `syn` → `prettyplease` was most of the generator's time on a large API. A
//! struct or an enum of short lines has only one layout `prettyplease` could give it, so it
//! is written in that layout straight away. The shapes whose long lines are common (a field's
//! type, a `#[serde(…)]` attribute, a tuple variant, a match arm, a call of literals) are
//! broken by `Item`'s layout helpers with `prettyplease`'s own rules, which a test holds to
//! `prettyplease` at every length. Anything else too long to be sure of, or text a `///`
//! comment cannot carry, is re-read with `syn` and printed by `prettyplease`: only the unit
//! holding it (see [`Item::unit`]), or the whole item. The output is the same either way,
//! only the cost differs.

use std::fmt::Write as _;

/// The widest code line written as is: `prettyplease` breaks lines longer than this.
pub const WIDEST_AS_WRITTEN: usize = 89;

/// One item (or a few items that belong together) being written.
#[derive(Default)]
pub struct Item {
    text: String,
    /// Set when the text may not be laid out the way `prettyplease` would lay it out.
    reformat: bool,
    /// Where the open unit (see [`Item::unit`]) starts in `text`, and whether it has a line
    /// too long to be sure of.
    unit: Option<(usize, bool)>,
}

/// What a unit stands in when it is laid out by `prettyplease` on its own: the lines that
/// open and close it, as deep as the unit is indented (`prettyplease` breaks by width, so the
/// unit must sit at its real depth).
#[derive(Clone, Copy)]
pub enum Within {
    /// A field (indent 1): `struct S { … }`.
    Fields,
    /// A variant (indent 1): `enum S { … }`.
    Variants,
    /// An item in a module (indent 1): `mod m { … }`.
    ModuleItems,
    /// An arm of a `match` in a method (indent 3): `impl S { fn f() { match x { … } } }`.
    MatchArms,
    /// A method (indent 1): `impl S { … }`.
    ImplItems,
}

impl Within {
    fn wrapper(self) -> (&'static str, &'static str, usize) {
        match self {
            Within::Fields => ("struct S {\n", "}\n", 1),
            Within::Variants => ("enum S {\n", "}\n", 1),
            Within::ModuleItems => ("mod m {\n", "}\n", 1),
            Within::MatchArms => ("impl S {\nfn f() {\nmatch x {\n", "}\n}\n}\n", 3),
            Within::ImplItems => ("impl S {\n", "}\n", 1),
        }
    }

    /// `code` as `prettyplease` lays it out at the depth this frame gives it, without the
    /// frame. `Err` holds what it printed instead when the code does not parse (its report).
    pub fn lay_out(self, code: &str) -> Result<String, String> {
        let (open, close, depth) = self.wrapper();
        let formatted = crate::emit::unparse(syn::parse_file(&format!("{open}{code}{close}")));
        let lines: Vec<&str> = formatted.lines().collect();
        match lines.get(depth..lines.len().saturating_sub(depth)) {
            Some(inner) if lines.len() >= 2 * depth => {
                let mut out = String::with_capacity(formatted.len());
                for line in inner {
                    out.push_str(line);
                    out.push('\n');
                }
                Ok(out)
            }
            _ => Err(formatted),
        }
    }
}

impl Item {
    pub fn new() -> Self {
        Item::default()
    }

    /// Appends a line of code at `indent` levels (four spaces each).
    pub fn line(&mut self, indent: usize, code: impl std::fmt::Display) {
        let start = self.text.len();
        push_indent(&mut self.text, indent);
        let _ = write!(self.text, "{code}");
        if self.text.len() - start > WIDEST_AS_WRITTEN {
            match &mut self.unit {
                Some((_, long)) => *long = true,
                None => self.reformat = true,
            }
        }
        self.text.push('\n');
    }

    /// Writes one unit with `write`: a field or variant, or a `match` arm, whose layout does
    /// not depend on its neighbours. When one of its lines is too long to be sure of, only the
    /// unit is laid out by `prettyplease` (in the frame `within` gives it), not the whole item:
    /// one long field must not cost a hundred-field struct its fast path.
    pub fn unit(&mut self, within: Within, write: impl FnOnce(&mut Item)) {
        if self.unit.is_some() {
            return write(self);
        }
        let start = self.text.len();
        self.unit = Some((start, false));
        write(self);
        let Some((_, long)) = self.unit.take() else {
            return;
        };
        if !long || self.reformat {
            return;
        }
        match within.lay_out(&self.text[start..]) {
            Ok(laid_out) => {
                self.text.truncate(start);
                self.text.push_str(&laid_out);
            }
            // The unit did not parse: the whole item goes through `prettyplease`, which
            // reports it in place.
            Err(_) => self.reformat = true,
        }
    }

    /// Appends a line `prettyplease` has no place to break (such as `pub type A = B;` with
    /// plain paths), so it is kept as written at any length.
    pub fn unbreakable_line(&mut self, indent: usize, code: impl std::fmt::Display) {
        push_indent(&mut self.text, indent);
        let _ = writeln!(self.text, "{code}");
    }

    /// Appends `{lead}{ty}{tail}` as `prettyplease` lays out a type: on one line when it
    /// fits, else with the type's generic arguments one per line (each with a comma, each laid
    /// out the same way one level deeper). A type that is not a path with generic arguments
    /// is written as is and, when too long, left to `prettyplease`.
    pub fn typed(&mut self, indent: usize, lead: &str, ty: &str, tail: &str) {
        self.typed_in_list(indent, lead, ty, tail, false);
    }

    /// [`Item::typed`] for the last element of a broken list, whose `tail` is its trailing
    /// comma: `prettyplease` writes that comma only because the list is broken, and does not
    /// count it when deciding whether the element fits.
    fn typed_in_list(&mut self, indent: usize, lead: &str, ty: &str, tail: &str, trailing: bool) {
        let counted = if trailing { 0 } else { tail.len() };
        if indent * 4 + lead.len() + ty.len() + counted <= WIDEST_AS_WRITTEN {
            return self.exact_line(indent, &[lead, ty, tail]);
        }
        match type_shape(ty) {
            TypeShape::Path => self.exact_line(indent, &[lead, ty, tail]),
            TypeShape::Generic(head, args) => {
                self.exact_line(indent, &[lead, head, "<"]);
                self.type_list(indent + 1, &args);
                self.exact_line(indent, &[">", tail]);
            }
            TypeShape::Other => self.line(indent, format_args!("{lead}{ty}{tail}")),
        }
    }

    /// Appends types one per line, each followed by a comma (the last one's a trailing
    /// comma), as `prettyplease` breaks a list of generic arguments.
    pub fn type_list(&mut self, indent: usize, types: &[&str]) {
        for (i, ty) in types.iter().enumerate() {
            self.typed_in_list(indent, "", ty, ",", i + 1 == types.len());
        }
    }

    /// Appends `#[{path}({args})]`; when too long, `prettyplease`'s layout: one argument per
    /// line, with commas between them.
    pub fn attribute(&mut self, indent: usize, path: &str, args: &[&str]) {
        let inline = joined_len(args);
        if indent * 4 + path.len() + inline + 5 <= WIDEST_AS_WRITTEN {
            return self.exact_line(indent, &["#[", path, "(", &args.join(", "), ")]"]);
        }
        self.exact_line(indent, &["#[", path, "("]);
        for (i, arg) in args.iter().enumerate() {
            let comma = if i + 1 < args.len() { "," } else { "" };
            self.exact_line(indent + 1, &[arg, comma]);
        }
        self.exact_line(indent, &[")]"]);
    }

    /// Appends `{callee}({args}){tail}`; when too long, `prettyplease`'s layout: one argument
    /// per line, each with a comma. The arguments must be ones it cannot break further.
    pub fn call(&mut self, indent: usize, callee: &str, args: &[&str], tail: &str) {
        let inline = joined_len(args);
        if indent * 4 + callee.len() + inline + 2 + tail.len() <= WIDEST_AS_WRITTEN {
            return self.exact_line(indent, &[callee, "(", &args.join(", "), ")", tail]);
        }
        self.exact_line(indent, &[callee, "("]);
        for arg in args {
            self.exact_line(indent + 1, &[arg, ","]);
        }
        self.exact_line(indent, &[")", tail]);
    }

    /// Appends the match arm `{pattern} => {body},`, whose body is a literal, a path or a
    /// call; when too long, `prettyplease`'s layout: the body in a block of its own, or, for
    /// a `Path(binding)` pattern too long to open the block after, the binding on a line of
    /// its own. Other shapes that break further are left to `prettyplease`.
    pub fn arm(&mut self, indent: usize, pattern: &str, body: &str) {
        // The comma is not counted: `prettyplease` writes it only when the arm is not broken.
        if indent * 4 + pattern.len() + 4 + body.len() <= WIDEST_AS_WRITTEN {
            return self.exact_line(indent, &[pattern, " => ", body, ","]);
        }
        let pattern_breaks =
            pattern.contains('(') && indent * 4 + pattern.len() + 4 > WIDEST_AS_WRITTEN;
        let body_breaks = body.contains('(') && (indent + 1) * 4 + body.len() > WIDEST_AS_WRITTEN;
        if pattern_breaks && !body_breaks {
            // `Path(binding)`: the binding goes on a line of its own.
            let parts = pattern
                .strip_suffix(')')
                .and_then(|rest| rest.split_once('('))
                .filter(|(path, binding)| !path.contains('(') && !binding.contains([',', '(']));
            if let Some((path, binding)) = parts {
                self.exact_line(indent, &[path, "("]);
                self.exact_line(indent + 1, &[binding, ","]);
                return self.exact_line(indent, &[") => ", body, ","]);
            }
        }
        if pattern_breaks || body_breaks {
            return self.line(indent, format_args!("{pattern} => {body},"));
        }
        self.exact_line(indent, &[pattern, " => {"]);
        self.exact_line(indent + 1, &[body]);
        self.exact_line(indent, &["}"]);
    }

    /// Appends the tuple variant `{ident}({ty}),`; when too long, `prettyplease`'s layout:
    /// the type on a line of its own (laid out by [`Item::typed`]).
    pub fn tuple_variant(&mut self, indent: usize, ident: &str, ty: &str) {
        if indent * 4 + ident.len() + ty.len() + 3 <= WIDEST_AS_WRITTEN {
            return self.exact_line(indent, &[ident, "(", ty, "),"]);
        }
        self.exact_line(indent, &[ident, "("]);
        self.type_list(indent + 1, &[ty]);
        self.exact_line(indent, &["),"]);
    }

    /// Appends `impl {trait_} for {ty} {`; when too long, `prettyplease`'s layout: `for …`
    /// on a line of its own. A trait too long for its own line is left to `prettyplease`.
    pub fn impl_header(&mut self, trait_: &str, ty: &str) {
        if 5 + trait_.len() + 5 + ty.len() + 2 <= WIDEST_AS_WRITTEN {
            return self.exact_line(0, &["impl ", trait_, " for ", ty, " {"]);
        }
        if trait_.contains('<') && 5 + trait_.len() > WIDEST_AS_WRITTEN {
            return self.line(0, format_args!("impl {trait_} for {ty} {{"));
        }
        self.exact_line(0, &["impl ", trait_]);
        self.exact_line(0, &["for ", ty, " {"]);
    }

    /// Appends a line that is already laid out as `prettyplease` would, at any length.
    fn exact_line(&mut self, indent: usize, parts: &[&str]) {
        push_indent(&mut self.text, indent);
        for part in parts {
            self.text.push_str(part);
        }
        self.text.push('\n');
    }

    /// Appends doc lines (each starting with the space that follows `///`, or empty).
    pub fn docs<S: AsRef<str>>(&mut self, indent: usize, lines: &[S]) {
        for line in lines {
            self.doc(indent, line.as_ref());
        }
    }

    /// Appends one doc line, as `prettyplease` prints a `#[doc = "..."]` attribute: `///` and
    /// the text without trailing spaces. Text a line comment cannot hold exactly (a line
    /// break, a control character, a leading `/`) is written as the attribute instead, for
    /// `prettyplease` to decide.
    pub fn doc(&mut self, indent: usize, text: &str) {
        push_indent(&mut self.text, indent);
        if !fits_line_comment(text) {
            let literal = proc_macro2::Literal::string(text);
            let _ = writeln!(self.text, "#[doc = {literal}]");
            self.reformat = true;
        } else {
            self.text.push_str("///");
            self.text.push_str(text.trim_end_matches(' '));
            self.text.push('\n');
        }
    }

    /// Marks the item for `prettyplease` whatever its lines (for shapes not worth laying out
    /// by hand, such as long expressions).
    pub fn reformat(&mut self) {
        self.reformat = true;
    }

    /// The item's formatted text, appended to `out`.
    pub fn finish(self, out: &mut String) {
        if self.reformat {
            out.push_str(&crate::emit::unparse(syn::parse_file(&self.text)));
        } else {
            out.push_str(&self.text);
        }
    }
}

/// How [`Item::typed`] can lay out a type written as text.
enum TypeShape<'t> {
    /// A path without generic arguments (`crate::types::Pet`): nowhere to break it.
    Path,
    /// `head<args>` (`Option<Vec<Pet>>`, `BTreeMap<String, Pet>`), split at its top level.
    Generic(&'t str, Vec<&'t str>),
    /// Anything else (a tuple, a reference…): left to `prettyplease`.
    Other,
}

fn type_shape(ty: &str) -> TypeShape<'_> {
    let is_path = |text: &str| {
        !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
    };
    if is_path(ty) {
        return TypeShape::Path;
    }
    let Some((head, rest)) = ty.split_once('<') else {
        return TypeShape::Other;
    };
    let Some(inner) = rest.strip_suffix('>') else {
        return TypeShape::Other;
    };
    if !is_path(head) {
        return TypeShape::Other;
    }
    let mut args = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, b) in inner.bytes().enumerate() {
        match b {
            b'<' => depth += 1,
            b'>' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return TypeShape::Other,
            },
            b',' if depth == 0 => {
                args.push(inner.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            b if b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b' ') => {}
            _ => return TypeShape::Other,
        }
    }
    args.push(inner.get(start..).unwrap_or_default());
    let args: Vec<&str> = args.into_iter().map(str::trim).collect();
    if depth != 0 || args.iter().any(|a| a.is_empty()) {
        return TypeShape::Other;
    }
    TypeShape::Generic(head, args)
}

/// Whether `///` (or `//!`) followed by `text` reads back as exactly that doc text: a leading
/// `/` would make it a different comment, a line break would end it.
fn fits_line_comment(text: &str) -> bool {
    !text.starts_with('/') && !text.chars().any(char::is_control)
}

/// The widest line the operation writer aims for (rustfmt's default). Unlike [`Item`], what
/// it writes is never handed to `prettyplease`: it has a layout of its own, rustfmt's for the
/// few shapes an operation method is made of.
pub const WIDTH: usize = 100;

/// Appends `code` as one line at `indent` levels.
pub fn push_line(out: &mut String, indent: usize, code: &str) {
    push_indent(out, indent);
    out.push_str(code);
    out.push('\n');
}

/// Appends `head` + the arguments + `tail` (`head` ends with the opening bracket, `tail`
/// starts with the closing one): on one line when it fits in [`WIDTH`] columns, else with one
/// argument per line and a trailing comma, as rustfmt breaks a long call.
pub fn push_call<S: AsRef<str>>(
    out: &mut String,
    indent: usize,
    head: &str,
    args: &[S],
    tail: &str,
) {
    if indent * 4 + head.len() + joined_len(args) + tail.len() <= WIDTH {
        push_indent(out, indent);
        out.push_str(head);
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(arg.as_ref());
        }
        out.push_str(tail);
        out.push('\n');
        return;
    }
    push_line(out, indent, head);
    for arg in args {
        push_indent(out, indent + 1);
        out.push_str(arg.as_ref());
        out.push_str(",\n");
    }
    push_line(out, indent, tail);
}

/// Appends one doc line (`marker` is `///` or `//!`; `text` starts with the space that
/// follows it, or is empty), as the attribute when a line comment cannot carry the text.
pub fn push_doc(out: &mut String, indent: usize, marker: &str, text: &str) {
    push_indent(out, indent);
    if fits_line_comment(text) {
        out.push_str(marker);
        out.push_str(text.trim_end_matches(' '));
    } else {
        let bang = if marker == "//!" { "!" } else { "" };
        let _ = write!(out, "#{bang}[doc = {}]", string_literal(text));
    }
    out.push('\n');
}

/// The length of `parts` joined with `", "`, without joining them.
fn joined_len<S: AsRef<str>>(parts: &[S]) -> usize {
    let commas = 2 * parts.len().saturating_sub(1);
    parts.iter().map(|part| part.as_ref().len()).sum::<usize>() + commas
}

fn push_indent(text: &mut String, indent: usize) {
    for _ in 0..indent {
        text.push_str("    ");
    }
}

/// Rust source as tokens, for the few places that still build a token stream around a type
/// or an expression written as text. Text that does not lex (a generator bug) becomes a
/// `compile_error!`, so the build fails loudly at that spot.
pub fn tokens(code: &str) -> proc_macro2::TokenStream {
    code.parse().unwrap_or_else(|error| {
        let message = format!("codegen produced invalid Rust here: {error}");
        quote::quote!(compile_error!(#message))
    })
}

/// A Rust string literal for `text`, escaped as a token stream would print it.
pub fn string_literal(text: &str) -> String {
    // Printable ASCII other than `"` and `\\` is written as it is: most text (every doc line
    // of a large API passes through here) is quoted without going through `proc_macro2`'s
    // character-by-character escaping and its second copy.
    if text
        .bytes()
        .all(|b| matches!(b, b' '..=b'~') && b != b'"' && b != b'\\')
    {
        let mut literal = String::with_capacity(text.len() + 2);
        literal.push('"');
        literal.push_str(text);
        literal.push('"');
        return literal;
    }
    proc_macro2::Literal::string(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::{push_call, push_doc, string_literal, Item, Within, WIDEST_AS_WRITTEN, WIDTH};

    #[test]
    fn string_literals_are_escaped_as_a_token_stream_prints_them() {
        for text in [
            "",
            "plain text, with 'quotes' and ~ {braces} `ticks`",
            "a \"quoted\" word",
            "back\\slash",
            "tab\tnew\nline\r",
            "nul\0 then 7\u{0}7",
            "caf\u{e9} \u{301}combining \u{200b}zero-width \u{1f600}",
            "\u{7f} delete",
        ] {
            let expected = proc_macro2::Literal::string(text).to_string();
            assert_eq!(string_literal(text), expected, "{text:?}");
        }
    }

    #[test]
    fn a_call_that_fits_is_one_line_and_a_long_one_has_an_argument_per_line() {
        let mut out = String::new();
        push_call(
            &mut out,
            2,
            "let path = format!(",
            &["\"/a/{}\"", "id"],
            ");",
        );
        assert_eq!(out, "        let path = format!(\"/a/{}\", id);\n");
        let long = "x".repeat(WIDTH);
        let mut out = String::new();
        push_call(&mut out, 1, "f(", &[long.as_str(), "y"], ");");
        assert_eq!(
            out,
            format!("    f(\n        {long},\n        y,\n    );\n")
        );
    }

    #[test]
    fn doc_text_a_line_comment_cannot_hold_is_written_as_the_attribute() {
        let mut out = String::new();
        push_doc(&mut out, 0, "///", " plain  ");
        push_doc(&mut out, 1, "///", "/slash");
        push_doc(&mut out, 0, "//!", " a\nb");
        assert_eq!(
            out,
            "/// plain\n    #[doc = \"/slash\"]\n#![doc = \" a\\nb\"]\n"
        );
    }

    /// What `prettyplease` makes of the same text.
    fn pretty(text: &str) -> String {
        crate::emit::unparse(syn::parse_file(text))
    }

    fn finished(item: Item) -> String {
        let mut out = String::new();
        item.finish(&mut out);
        out
    }

    #[test]
    fn short_items_are_written_as_prettyplease_prints_them() {
        let mut item = Item::new();
        item.doc(0, " A pet.");
        item.doc(0, "");
        item.doc(0, " Trailing spaces go.   ");
        item.line(0, "#[derive(Debug, Clone)]");
        item.line(0, "pub struct Pet {");
        item.doc(1, " The name.");
        item.line(1, "pub name: Option<String>,");
        item.line(0, "}");
        assert!(!item.reformat);
        let text = item.text.clone();
        assert_eq!(finished(item), pretty(&text));
        assert!(text.contains("    /// The name.\n"));
        assert!(text.contains("/// Trailing spaces go.\n"));
    }

    #[test]
    fn long_lines_are_laid_out_by_prettyplease() {
        let long = format!(
            "pub field: Option<std::collections::BTreeMap<String, Vec<{}>>>,",
            "A".repeat(60)
        );
        let mut item = Item::new();
        item.line(0, "pub struct Wide {");
        item.line(1, &long);
        item.line(0, "}");
        assert!(item.reformat);
        let text = item.text.clone();
        let out = finished(item);
        assert_eq!(out, pretty(&text));
        assert!(out.lines().all(|line| line.len() <= 89), "{out}");
    }

    #[test]
    fn a_long_unit_alone_is_laid_out_by_prettyplease() {
        let long = format!(
            "pub field: Option<std::collections::BTreeMap<String, Vec<{}>>>,",
            "A".repeat(60)
        );
        let arm = format!("Self::{} => \"{}\",", "B".repeat(40), "c".repeat(50));
        let mut item = Item::new();
        item.line(0, "pub struct Wide {");
        item.unit(Within::Fields, |item| item.line(1, "pub short: i64,"));
        item.unit(Within::Fields, |item| {
            item.doc(1, " A long one.");
            item.line(1, &long);
        });
        item.line(0, "}");
        item.line(0, "impl Wide {");
        item.line(1, "pub fn f(&self) -> &str {");
        item.line(2, "match self {");
        item.unit(Within::MatchArms, |item| item.line(3, &arm));
        item.line(2, "}");
        item.line(1, "}");
        item.line(0, "}");
        assert!(!item.reformat, "only the units were laid out again");
        let text = item.text.clone();
        assert!(text.contains("    pub short: i64,\n"));
        assert_eq!(pretty(&text), text);
        let out = finished(item);
        assert!(out.lines().all(|line| line.len() <= 89), "{out}");
    }

    #[test]
    fn doc_text_a_line_comment_cannot_hold_goes_through_the_attribute() {
        let mut item = Item::new();
        item.doc(0, "/starts with a slash");
        item.doc(0, " a\u{7}bell");
        item.line(0, "pub struct Odd;");
        assert!(item.reformat);
        let out = finished(item);
        assert_eq!(
            out,
            pretty("#[doc = \"/starts with a slash\"]\n#[doc = \" a\\u{7}bell\"]\npub struct Odd;")
        );
    }

    #[test]
    fn unbreakable_lines_never_reformat() {
        let mut item = Item::new();
        let line = format!("pub type {} = Short;", "Long".repeat(30));
        item.unbreakable_line(0, &line);
        assert!(!item.reformat);
        let text = item.text.clone();
        assert_eq!(finished(item), pretty(&text));
    }

    /// One unit written by a layout helper, and the same unit on one line as `prettyplease`
    /// lays it out: the two must be the same text.
    #[track_caller]
    fn same_as_prettyplease(within: Within, one_line: &str, write: impl FnOnce(&mut Item)) {
        let mut item = Item::new();
        item.unit(within, write);
        let written = finished(item);
        let expected = within.lay_out(one_line).expect("the unit parses");
        assert_eq!(
            written, expected,
            "laid out by hand:\n{written}\nby prettyplease:\n{expected}"
        );
    }

    /// The layouts written by hand (`typed`, `attribute`, `call`, `arm`, `tuple_variant`) are
    /// `prettyplease`'s, for names of every length on both sides of the margin.
    #[test]
    fn hand_layouts_are_prettypleases_at_every_length() {
        for n in 1..100 {
            let name = "N".repeat(n);
            for ty in [
                format!("Option<{name}>"),
                format!("Option<Vec<crate::types::{name}>>"),
                format!("std::collections::BTreeMap<String, Option<{name}>>"),
                format!("crate::types::{name}"),
                format!("Vec<std::collections::BTreeMap<String, Vec<{name}>>>"),
            ] {
                same_as_prettyplease(Within::Fields, &format!("pub x: {ty},"), |item| {
                    item.typed(1, "pub x: ", &ty, ",");
                });
                same_as_prettyplease(Within::Variants, &format!("V({ty}),"), |item| {
                    item.tuple_variant(1, "V", &ty);
                });
                for position in 0..3 {
                    let mut args = ["()", "()", "()"];
                    args[position] = &ty;
                    let generics = args.join(", ");
                    let stub = format!("pub fn f() -> M<{generics}> {{ () }}");
                    same_as_prettyplease(Within::ModuleItems, &stub, |item| {
                        let signature = format!("pub fn f() -> M<{generics}> {{");
                        if 4 + signature.len() <= WIDEST_AS_WRITTEN {
                            item.line(1, signature);
                        } else {
                            item.line(1, "pub fn f() -> M<");
                            item.type_list(2, &args);
                            item.line(1, "> {");
                        }
                        item.line(2, "()");
                        item.line(1, "}");
                    });
                }
            }
            let rename = format!("rename = \"{name}\"");
            let default = format!("default = \"S::{name}\"");
            let skip = "skip_serializing_if = \"Option::is_none\"";
            for args in [
                vec![rename.as_str()],
                vec![default.as_str(), skip],
                vec!["default", skip, &rename],
            ] {
                let one_line = format!("#[serde({})] pub x: u8,", args.join(", "));
                same_as_prettyplease(Within::Fields, &one_line, |item| {
                    item.attribute(1, "serde", &args);
                    item.typed(1, "pub x: ", "u8", ",");
                });
                let one_line = format!("#[serde({})] V,", args.join(", "));
                same_as_prettyplease(Within::Variants, &one_line, |item| {
                    item.attribute(1, "serde", &args);
                    item.line(1, "V,");
                });
            }
            let literal = format!("\"{name}\"");
            let path = format!("S{name}::A");
            for (pattern, body) in [
                (path.as_str(), "\"a\""),
                ("S::A", literal.as_str()),
                (&format!("S{name}::Unknown(value)"), "value"),
                ("5", path.as_str()),
                ("other", &format!("S{name}::Unknown(other)")),
            ] {
                let one_line = format!("{pattern} => {body},");
                same_as_prettyplease(Within::MatchArms, &one_line, |item| {
                    item.arm(3, pattern, body)
                });
            }
            let stub = format!("pub fn f() -> X {{ super::M::new(\"GET\", {literal}) }}");
            same_as_prettyplease(Within::ModuleItems, &stub, |item| {
                item.line(1, "pub fn f() -> X {");
                item.call(2, "super::M::new", &["\"GET\"", &literal], "");
                item.line(1, "}");
            });
        }
    }

    /// Item headers: `impl Trait for Type` is broken before `for`; the others never are.
    #[test]
    fn item_headers_are_prettypleases_at_every_length() {
        for n in 1..100 {
            let name = "N".repeat(n);
            for trait_ in [
                "std::fmt::Display",
                "From<i64>",
                "serde::Serialize",
                "Default",
            ] {
                let mut item = Item::new();
                item.impl_header(trait_, &name);
                item.line(1, "fn f() {}");
                item.line(0, "}");
                let text = format!("impl {trait_} for {name} {{ fn f() {{}} }}");
                assert_eq!(finished(item), pretty(&text), "{text}");
            }
            let heads = [
                (format!("pub struct {name} {{"), "a: u8,"),
                (format!("pub enum {name} {{"), "A,"),
                (format!("impl {name} {{"), "fn f() {}"),
            ];
            for (head, inner) in heads {
                let mut item = Item::new();
                item.unbreakable_line(0, &head);
                item.line(1, inner);
                item.line(0, "}");
                let text = format!("{head} {inner} }}");
                assert_eq!(finished(item), pretty(&text), "{text}");
            }
        }
    }
}
