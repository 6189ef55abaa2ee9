//! `src/types.rs`: one Rust item per named type of the type space, written as formatted text
//! (see `source`: half of a large crate, and the cheapest half to lay out).

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::docs::doc_lines;
use super::source::{string_literal, Item, Within};
use crate::model::types::{
    DefaultValue, EnumValue, Field, Filled, FormatNote, IntegerValue, StructDef, UnionDef,
};
use crate::model::{Api, TypeDef, TypeKind, TypeRef, TypeSpace};

/// An identifier from a name the model already made valid (possibly raw, `r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `src/types.rs`, formatted (see `source`).
pub fn render(api: &Api) -> String {
    let mut out = String::from(
        "//! The API's data types: one item per schema, named after the schema or after where\n\
         //! an inline schema stands.\n",
    );
    for def in &api.types.defs {
        render_def(&api.types, def).finish(&mut out);
    }
    out
}

/// Above this many types, `types` is split into one file per initial letter, so no single
/// file is too large to read, format or compile comfortably.
pub const SPLIT_ABOVE: usize = 400;

/// The part a type goes to when `types` is split: its name's initial, lower-cased.
pub fn part_of(def: &TypeDef) -> char {
    let mut name = def.name.as_str();
    while let Some(rest) = name.strip_prefix("r#") {
        name = rest;
    }
    name.chars()
        .next()
        .filter(char::is_ascii_alphabetic)
        .map_or('_', |c| c.to_ascii_lowercase())
}

/// The parts of a split `types` module, in order.
pub fn parts(api: &Api) -> Vec<char> {
    let mut parts: Vec<char> = api.types.defs.iter().map(part_of).collect();
    parts.sort_unstable();
    parts.dedup();
    parts
}

/// Module name of a part (`a`, …, `z`, and `other` for names not starting with a letter).
pub fn part_module(part: char) -> String {
    if part == '_' {
        "other".to_owned()
    } else {
        // Single letters are never keywords; `r#` is not needed.
        part.to_string()
    }
}

/// `src/types/mod.rs` of a split `types` module.
pub fn render_split_mod(api: &Api) -> TokenStream {
    let modules = parts(api).into_iter().map(|part| {
        let module = ident(&part_module(part));
        quote! {
            mod #module;
            pub use #module::*;
        }
    });
    quote! {
        //! The API's data types: one item per schema, named after the schema or after where
        //! an inline schema stands; in one file per initial letter, all re-exported here.
        #(#modules)*
    }
}

/// One part of a split `types` module, formatted (see `source`).
pub fn render_part(api: &Api, part: char) -> String {
    let mut out = format!(
        "//! Types whose names start with `{}`.\n#[allow(unused_imports)]\nuse super::*;\n",
        part_module(part)
    );
    for def in api.types.defs.iter().filter(|def| part_of(def) == part) {
        render_def(&api.types, def).finish(&mut out);
    }
    out
}

fn render_def(space: &TypeSpace, def: &TypeDef) -> Item {
    let mut item = Item::new();
    let name = def.name.as_str();
    let mut docs = doc_lines([
        def.docs.title.as_deref().filter(|t| *t != def.name),
        def.docs.description.as_deref(),
    ]);
    if docs.is_empty() {
        docs.push(match def.pointer.strip_prefix("#/components/schemas/") {
            Some(name) => format!(
                " The `{}` schema.",
                name.replace("~1", "/").replace("~0", "~").replace('`', "'")
            ),
            None => format!(" Defined inline at `{}`.", def.pointer.replace('`', "'")),
        });
    }
    item.docs(0, &docs);
    match &def.kind {
        TypeKind::Struct(s) => render_struct(&mut item, space, name, s),
        TypeKind::Enum(values) => render_enum(&mut item, name, values),
        TypeKind::IntegerEnum { values, repr } => {
            render_integer_enum(&mut item, space, name, values, repr)
        }
        TypeKind::Union(u) => render_union(&mut item, space, name, u),
        TypeKind::Alias(ty) => {
            let ty = type_text(space, ty);
            let line = format!("pub type {name} = {ty};");
            // A plain path has no generic arguments to break between.
            if ty.contains('<') {
                item.line(0, line);
            } else {
                item.unbreakable_line(0, line);
            }
        }
        TypeKind::Pending => return Item::new(),
    }
    item
}

/// A use of a schema inside the `types` module, as Rust source.
fn type_text(space: &TypeSpace, ty: &TypeRef) -> String {
    let mut out = String::new();
    write_type(&mut out, space, ty, "");
    out
}

/// A use of a schema outside the `types` module, as Rust source: named types behind their
/// module path. Token streams that need a type lex this text (`source::tokens`).
pub fn type_path(space: &TypeSpace, ty: &TypeRef) -> String {
    let mut out = String::new();
    write_type(&mut out, space, ty, "crate::types::");
    out
}

/// Writes the type, with named types behind `module` (empty, or a path ending in `::`).
fn write_type(out: &mut String, space: &TypeSpace, ty: &TypeRef, module: &str) {
    let (outer, inner) = match ty {
        TypeRef::Named(id) => {
            out.push_str(module);
            return out.push_str(&space.defs[id.0].name);
        }
        TypeRef::String => return out.push_str("String"),
        TypeRef::Bool => return out.push_str("bool"),
        TypeRef::I32 => return out.push_str("i32"),
        TypeRef::I64 => return out.push_str("i64"),
        TypeRef::F32 => return out.push_str("f32"),
        TypeRef::F64 => return out.push_str("f64"),
        TypeRef::DateTime => return out.push_str("chrono::DateTime<chrono::Utc>"),
        TypeRef::Date => return out.push_str("chrono::NaiveDate"),
        TypeRef::Uuid => return out.push_str("uuid::Uuid"),
        TypeRef::Upload => return out.push_str("crate::Upload"),
        TypeRef::Any => return out.push_str("serde_json::Value"),
        TypeRef::List(inner) => ("Vec<", inner),
        TypeRef::Map(inner) => ("std::collections::BTreeMap<String, ", inner),
        TypeRef::Nullable(inner) => ("Option<", inner),
    };
    out.push_str(outer);
    write_type(out, space, inner, module);
    out.push('>');
}

/// A string enum: a variant per listed value and `Unknown(String)` for the rest.
fn render_enum(item: &mut Item, name: &str, values: &[EnumValue]) {
    item.docs(
        0,
        &[
            "",
            " Values this version of the API does not list decode into `Unknown`.",
        ],
    );
    item.line(
        0,
        "#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]",
    );
    item.unbreakable_line(0, format_args!("pub enum {name} {{"));
    for v in values {
        item.unit(Within::Variants, |item| {
            // The wire value is spelled out only where the variant name differs from it.
            if v.ident != v.wire {
                item.doc(1, &format!(" `{}`", v.wire.replace('`', "'")));
                let rename = format!("rename = {}", string_literal(&v.wire));
                item.attribute(1, "serde", &[&rename]);
            }
            item.line(1, format_args!("{},", v.ident));
        });
    }
    item.doc(1, " A value this version of the API did not list.");
    item.line(1, "#[serde(untagged)]");
    item.line(1, "Unknown(String),");
    item.line(0, "}");
    item.unbreakable_line(0, format_args!("impl {name} {{"));
    item.doc(1, " The value as sent on the wire.");
    let arms = values
        .iter()
        .map(|v| (format!("{name}::{}", v.ident), string_literal(&v.wire)));
    let last = (format!("{name}::Unknown(value)"), String::from("value"));
    match_method(item, "pub fn as_str(&self) -> &str", "self", arms, last);
    item.line(0, "}");
    display_impl(item, name, "f.write_str(self.as_str())");
}

/// A method (`signature {`) whose body is one `match` on `scrutinee`: the listed arms, then
/// `last`, each a pattern and its value.
fn match_method(
    item: &mut Item,
    signature: &str,
    scrutinee: &str,
    arms: impl Iterator<Item = (String, String)>,
    last: (String, String),
) {
    item.line(1, format_args!("{signature} {{"));
    item.line(2, format_args!("match {scrutinee} {{"));
    for (pattern, value) in arms.chain(std::iter::once(last)) {
        item.unit(Within::MatchArms, |item| item.arm(3, &pattern, &value));
    }
    item.line(2, "}");
    item.line(1, "}");
}

/// `impl Display` writing the value with `body`.
fn display_impl(item: &mut Item, name: &str, body: &str) {
    item.impl_header("std::fmt::Display", name);
    item.line(
        1,
        "fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {",
    );
    item.line(2, body);
    item.line(1, "}");
    item.line(0, "}");
}

/// An integer enum: a variant per listed value and `Unknown(repr)` for the rest, like the
/// string enums, with serde written out by hand so the wire value is the bare integer (serde's
/// derive can only tag variants by name).
fn render_integer_enum(
    item: &mut Item,
    space: &TypeSpace,
    name: &str,
    values: &[IntegerValue],
    repr: &TypeRef,
) {
    let int32 = *repr == TypeRef::I32;
    let repr = type_text(space, repr);
    let (accessor, serialize) = if int32 {
        ("as_i32", "serialize_i32")
    } else {
        ("as_i64", "serialize_i64")
    };
    item.docs(
        0,
        &[
            "",
            " Sent as the bare integer. Values this version of the API does not list decode into",
            " `Unknown`.",
        ],
    );
    item.line(0, "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]");
    item.unbreakable_line(0, format_args!("pub enum {name} {{"));
    for v in values {
        item.doc(1, &format!(" `{}`", v.value));
        item.line(1, format_args!("{},", v.ident));
    }
    item.doc(1, " A value this version of the API did not list.");
    item.line(1, format_args!("Unknown({repr}),"));
    item.line(0, "}");
    item.unbreakable_line(0, format_args!("impl {name} {{"));
    item.doc(1, " The value as sent on the wire.");
    let arms = values
        .iter()
        .map(|v| (format!("{name}::{}", v.ident), v.value.to_string()));
    let last = (format!("{name}::Unknown(value)"), String::from("value"));
    let signature = format!("pub fn {accessor}(self) -> {repr}");
    match_method(item, &signature, "self", arms, last);
    item.line(0, "}");
    item.impl_header(&format!("From<{repr}>"), name);
    item.doc(
        1,
        " The listed variant for a wire value, or `Unknown` with the value.",
    );
    let arms = values
        .iter()
        .map(|v| (v.value.to_string(), format!("{name}::{}", v.ident)));
    let last = (String::from("other"), format!("{name}::Unknown(other)"));
    let signature = format!("fn from(value: {repr}) -> Self");
    match_method(item, &signature, "value", arms, last);
    item.line(0, "}");
    item.impl_header(&format!("From<{name}>"), &repr);
    item.line(1, format_args!("fn from(value: {name}) -> Self {{"));
    item.line(2, format_args!("value.{accessor}()"));
    item.line(1, "}");
    item.line(0, "}");
    display_impl(
        item,
        name,
        &format!("std::fmt::Display::fmt(&self.{accessor}(), f)"),
    );
    item.impl_header("serde::Serialize", name);
    item.line(
        1,
        "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {",
    );
    item.line(2, format_args!("serializer.{serialize}(self.{accessor}())"));
    item.line(1, "}");
    item.line(0, "}");
    item.line(
        0,
        format_args!("impl<'de> serde::Deserialize<'de> for {name} {{"),
    );
    item.line(
        1,
        "fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {",
    );
    item.line(
        2,
        format_args!("<{repr} as serde::Deserialize>::deserialize(deserializer).map({name}::from)"),
    );
    item.line(1, "}");
    item.line(0, "}");
}

/// The expression building a field's default value.
fn default_expr(space: &TypeSpace, value: &DefaultValue, ty: &TypeRef) -> String {
    match value {
        DefaultValue::String(text) => format!("String::from({})", string_literal(text)),
        DefaultValue::Bool(b) => b.to_string(),
        DefaultValue::Integer(n) => n.to_string(),
        // The literal has the width of the field's type, so it reads as written.
        DefaultValue::Number(n) if is_f32(space, ty, 0) => {
            proc_macro2::Literal::f32_unsuffixed(*n as f32).to_string()
        }
        DefaultValue::Number(n) => proc_macro2::Literal::f64_unsuffixed(*n).to_string(),
        DefaultValue::Variant(id, variant) => format!("{}::{variant}", space.defs[id.0].name),
    }
}

fn is_f32(space: &TypeSpace, ty: &TypeRef, depth: usize) -> bool {
    match ty {
        TypeRef::F32 => true,
        TypeRef::Named(id) if depth < 64 => match &space.defs[id.0].kind {
            TypeKind::Alias(inner) => is_f32(space, inner, depth + 1),
            _ => false,
        },
        _ => false,
    }
}

/// `default_<field>`: the associated function serde calls for an absent field, public so a
/// caller building the struct can name the API's default too.
fn default_fn_name(field: &Field) -> String {
    format!("default_{}", field.ident.trim_start_matches("r#"))
}

/// The private function serde calls for an absent field that stays an `Option`.
fn decoded_default_fn_name(field: &Field) -> String {
    format!("decoded_default_{}", field.ident.trim_start_matches("r#"))
}

/// A short, inert rendering of a default for docs.
pub(super) fn default_doc(json: &serde_json::Value) -> String {
    let mut text = json.to_string();
    const LIMIT: usize = 80;
    if text.chars().count() > LIMIT {
        text = text.chars().take(LIMIT).collect::<String>() + "…";
    }
    // A backtick would end the code span early; `sanitize` escapes invisible and
    // direction-changing characters, as in all spec text.
    super::docs::sanitize(&text.replace('`', "'"))
}

/// The type of a field's value, without the `Option` of an optional field.
fn value_type(space: &TypeSpace, field: &Field) -> String {
    let ty = type_text(space, field.ty.non_null());
    if field.boxed {
        format!("Box<{ty}>")
    } else {
        ty
    }
}

fn field_type(space: &TypeSpace, field: &Field) -> String {
    let ty = value_type(space, field);
    if field.is_option() {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

/// A field's doc lines: its own docs (or where it stands), and notes on its format and
/// default.
fn field_docs(field: &Field) -> Vec<String> {
    let mut docs = doc_lines([
        field.docs.title.as_deref(),
        field.docs.description.as_deref(),
    ]);
    if docs.is_empty() {
        let presence = match (field.required, field.ty.is_nullable()) {
            (true, false) => "required",
            (true, true) => "required, may be `null`",
            (false, false) => "optional",
            (false, true) => "optional, may be `null`",
        };
        docs.push(format!(" `{}`: {presence}.", field.wire.replace('`', "'")));
    }
    if let Some(note) = field.format_note {
        let line = match note {
            FormatNote::Base64 => {
                " Binary data, base64-encoded (`format: byte`): the encoded text, as sent and received."
            }
            FormatNote::BinaryText => {
                " Binary data (`format: binary`) carried as text, where JSON has no raw bytes: the string as sent and received, unchanged."
            }
        };
        docs.push(String::new());
        docs.push(line.to_owned());
    }
    if let Some(default) = &field.default {
        let shown = default_doc(&default.json);
        let filled = field.filled();
        let line = if filled == Some(Filled::Plain) {
            format!(" Defaults to `{shown}` when absent.")
        } else if filled == Some(Filled::Some) {
            format!(
                " Defaults to `{shown}`. An absent property decodes as `Some` of that value; \
                 `None` is left out of what is sent, so the server applies the default."
            )
        } else if field.required && !field.ty.is_nullable() {
            format!(" The API's default: `{shown}`.")
        } else {
            format!(" The API's default: `{shown}` (not filled in: an absent value is `None`).")
        };
        docs.push(String::new());
        docs.push(line);
    }
    docs
}

fn render_struct(item: &mut Item, space: &TypeSpace, name: &str, s: &StructDef) {
    let all_optional = s.fields.iter().all(|f| !f.required || f.ty.is_nullable());
    // Multipart bodies are not serialised with serde, so they carry no serde attributes.
    let serde = !s.multipart;
    let any_deprecated = s.fields.iter().any(|f| f.deprecated);
    // With plain defaulted fields, `Default` is written out so it gives the API's defaults
    // (a derive would give `0`, `""` or fail on enums). Optional ones default to `None`.
    let any_plain = s.fields.iter().any(|f| f.filled() == Some(Filled::Plain));
    if s.multipart {
        item.docs(0, &["", " Sent as `multipart/form-data`."]);
        item.line(0, "#[derive(Debug, Clone, PartialEq)]");
    } else {
        if any_deprecated {
            item.line(0, "#[allow(deprecated)]");
        }
        let default = if all_optional && !any_plain {
            "Default, "
        } else {
            ""
        };
        item.line(
            0,
            format_args!(
                "#[derive(Debug, Clone, PartialEq, {default}serde::Serialize, serde::Deserialize)]"
            ),
        );
    }
    if s.fields.is_empty() && (s.multipart || s.additional.is_none()) {
        item.unbreakable_line(0, format_args!("pub struct {name} {{}}"));
    } else {
        item.unbreakable_line(0, format_args!("pub struct {name} {{"));
        for field in &s.fields {
            item.unit(Within::Fields, |item| {
                write_field(item, space, name, field, serde)
            });
        }
        if let Some(ty) = s.additional.as_ref().filter(|_| !s.multipart) {
            item.unit(Within::Fields, |item| {
                item.doc(1, " Properties beyond the declared ones.");
                item.line(1, "#[serde(flatten)]");
                let map = format!(
                    "std::collections::BTreeMap<String, {}>",
                    type_text(space, ty)
                );
                item.typed(1, "pub additional_properties: ", &map, ",");
            });
        }
        item.line(0, "}");
    }
    if s.multipart {
        multipart_form(item, name, s);
        return;
    }
    default_fns(item, space, name, s);
    if all_optional && any_plain {
        if any_deprecated {
            item.line(0, "#[allow(deprecated)]");
        }
        item.impl_header("Default", name);
        item.line(1, "fn default() -> Self {");
        let mut inits: Vec<String> = s
            .fields
            .iter()
            .map(|field| {
                if field.filled() == Some(Filled::Plain) {
                    format!("{}: {name}::{}()", field.ident, default_fn_name(field))
                } else {
                    format!("{}: None", field.ident)
                }
            })
            .collect();
        if s.additional.is_some() {
            inits.push(String::from(
                "additional_properties: std::collections::BTreeMap::new()",
            ));
        }
        // `prettyplease` keeps a struct expression on one line only when it is very short:
        // the layout is left to it.
        item.reformat();
        item.line(2, format_args!("{name} {{ {} }}", inits.join(", ")));
        item.line(1, "}");
        item.line(0, "}");
    }
}

/// One field of a struct: its docs, attributes and declaration.
fn write_field(item: &mut Item, space: &TypeSpace, name: &str, field: &Field, serde: bool) {
    item.docs(1, &field_docs(field));
    if field.deprecated {
        item.line(1, "#[deprecated]");
    }
    if serde && field.ident.trim_start_matches("r#") != field.wire {
        let rename = format!("rename = {}", string_literal(&field.wire));
        item.attribute(1, "serde", &[&rename]);
    }
    let skip_none = "skip_serializing_if = \"Option::is_none\"";
    match field.filled() {
        // Always sent: a value equal to the default is still a value the caller set.
        Some(Filled::Plain) => {
            let path = format!("{name}::{}", default_fn_name(field));
            let default = format!("default = {}", string_literal(&path));
            item.attribute(1, "serde", &[&default]);
        }
        Some(Filled::Some) => {
            let path = format!("{name}::{}", decoded_default_fn_name(field));
            let default = format!("default = {}", string_literal(&path));
            item.attribute(1, "serde", &[&default, skip_none]);
        }
        None if serde && !field.required => item.attribute(1, "serde", &["default", skip_none]),
        None => {}
    }
    let lead = format!("pub {}: ", field.ident);
    item.typed(1, &lead, &field_type(space, field), ",");
}

/// `impl` with the API's default of each field decoding fills in.
fn default_fns(item: &mut Item, space: &TypeSpace, name: &str, s: &StructDef) {
    let filled: Vec<(&Field, &DefaultValue)> = s
        .fields
        .iter()
        .filter_map(|f| Some((f, f.default.as_ref()?.value.as_ref()?)))
        .collect();
    if filled.is_empty() {
        return;
    }
    item.unbreakable_line(0, format_args!("impl {name} {{"));
    for (field, value) in filled {
        let fn_name = default_fn_name(field);
        let ty = value_type(space, field);
        let expr = default_expr(space, value, &field.ty);
        item.doc(
            1,
            &format!(
                " The API's default for `{}`, used when it is absent.",
                field.wire.replace('`', "'")
            ),
        );
        // A spec's `3.14` is its own value, not an approximation of π (the lint looks at
        // literals of three digits or more).
        if matches!(value, DefaultValue::Number(_))
            && expr.bytes().filter(u8::is_ascii_digit).count() >= 3
        {
            item.line(1, "#[allow(clippy::approx_constant)]");
        }
        item.line(1, format_args!("pub fn {fn_name}() -> {ty} {{"));
        item.line(2, &expr);
        item.line(1, "}");
        // Serde's `default` must return the field's type, here `Option`.
        if field.filled() == Some(Filled::Some) {
            let decoded = decoded_default_fn_name(field);
            item.line(1, format_args!("fn {decoded}() -> Option<{ty}> {{"));
            item.line(2, format_args!("Some({name}::{fn_name}())"));
            item.line(1, "}");
        }
    }
    item.line(0, "}");
}

/// `fn to_multipart`: each field becomes one part; files as file parts, other values as text.
/// Laid out by `prettyplease` (statements of any length; multipart bodies are few).
fn multipart_form(item: &mut Item, name: &str, s: &StructDef) {
    item.reformat();
    item.unbreakable_line(0, format_args!("impl {name} {{"));
    item.doc(1, " The multipart form holding this body's parts.");
    item.line(
        1,
        "pub(crate) fn to_multipart(&self) -> Result<reqwest::multipart::Form, String> {",
    );
    item.line(2, "let mut form = reqwest::multipart::Form::new();");
    for field in &s.fields {
        let ident = &field.ident;
        let wire = string_literal(&field.wire);
        // `place` names the value (for method calls), `reference` borrows it.
        let add = |place: &str, reference: &str| match field.ty.non_null() {
            TypeRef::Upload => format!("form = form.part({wire}, {place}.to_part()?);"),
            TypeRef::List(inner) if **inner == TypeRef::Upload => {
                format!("for item in {reference} {{ form = form.part({wire}, item.to_part()?); }}")
            }
            _ => format!("form = form.text({wire}, crate::runtime::to_param({reference}));"),
        };
        if field.required && !field.ty.is_nullable() {
            item.line(2, add(&format!("self.{ident}"), &format!("&self.{ident}")));
        } else {
            let body = add("value", "value");
            item.line(
                2,
                format_args!("if let Some(value) = &self.{ident} {{ {body} }}"),
            );
        }
    }
    item.line(2, "Ok(form)");
    item.line(1, "}");
    item.line(0, "}");
}

fn render_union(item: &mut Item, space: &TypeSpace, name: &str, u: &UnionDef) {
    let variants = |item: &mut Item| {
        item.unbreakable_line(0, format_args!("pub enum {name} {{"));
        for v in &u.variants {
            let ty = type_text(space, &v.ty);
            item.unit(Within::Variants, |item| {
                if v.boxed {
                    item.tuple_variant(1, &v.ident, &format!("Box<{ty}>"));
                } else {
                    item.tuple_variant(1, &v.ident, &ty);
                }
            });
        }
        item.line(0, "}");
    };
    // A value is moved whole; boxing the large variants would only add allocations.
    let allow = "#[allow(clippy::large_enum_variant)]";
    let Some(discriminator) = &u.discriminator else {
        item.docs(0, &["", " Decoded as the first variant the value matches."]);
        item.line(0, allow);
        item.line(
            0,
            "#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]",
        );
        item.line(0, "#[serde(untagged)]");
        variants(item);
        return;
    };
    // The dispatching `Deserialize` has long expressions: laid out by `prettyplease`.
    item.reformat();
    let property = string_literal(&discriminator.property);
    item.docs(
        0,
        &[
            String::new(),
            format!(
                " The variant is chosen by the `{}` property.",
                discriminator.property
            ),
        ],
    );
    item.line(0, allow);
    item.line(0, "#[derive(Debug, Clone, PartialEq, serde::Serialize)]");
    item.line(0, "#[serde(untagged)]");
    variants(item);
    item.line(
        0,
        format_args!("impl<'de> serde::Deserialize<'de> for {name} {{"),
    );
    item.line(
        1,
        "fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {",
    );
    item.line(
        2,
        "let value = serde_json::Value::deserialize(deserializer)?;",
    );
    item.line(
        2,
        format_args!(
            "let tag = value.get({property}).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();"
        ),
    );
    item.line(2, "match tag.as_str() {");
    for (wire, index) in &discriminator.mapping {
        let Some(variant) = u.variants.get(*index) else {
            continue;
        };
        let wrap = if variant.boxed {
            format!("|v| {name}::{}(Box::new(v))", variant.ident)
        } else {
            format!("{name}::{}", variant.ident)
        };
        item.line(
            3,
            format_args!(
                "{} => serde_json::from_value(value).map({wrap}),",
                string_literal(wire)
            ),
        );
    }
    item.line(
        3,
        format_args!(
            "other => return Err(serde::de::Error::custom(format_args!(\"unknown `{{}}` value `{{}}`\", {property}, other))),"
        ),
    );
    item.line(2, "}");
    item.line(2, ".map_err(serde::de::Error::custom)");
    item.line(1, "}");
    item.line(0, "}");
}

#[cfg(test)]
mod tests {
    use super::{type_path, type_text};
    use crate::model::types::{Docs, TypeId};
    use crate::model::{TypeDef, TypeKind, TypeRef, TypeSpace};

    /// A type use is spelled by one table, inside `types` without a module path and
    /// elsewhere with it; token streams lex the text (`source::tokens`). Every spelling must be
    /// a Rust type, the two naming the same one.
    #[test]
    fn type_text_and_type_path_are_rust_types_naming_the_same_type() {
        let mut space = TypeSpace::default();
        space.defs.push(TypeDef {
            name: String::from("Pet"),
            docs: Docs::default(),
            pointer: String::from("#/components/schemas/Pet"),
            kind: TypeKind::Pending,
            nullable: false,
        });
        let boxed = |ty: TypeRef| Box::new(ty);
        let leaves = [
            TypeRef::Named(TypeId(0)),
            TypeRef::String,
            TypeRef::Bool,
            TypeRef::I32,
            TypeRef::I64,
            TypeRef::F32,
            TypeRef::F64,
            TypeRef::DateTime,
            TypeRef::Date,
            TypeRef::Uuid,
            TypeRef::Upload,
            TypeRef::Any,
        ];
        for leaf in leaves {
            let nested = [
                leaf.clone(),
                TypeRef::List(boxed(leaf.clone())),
                TypeRef::Map(boxed(leaf.clone())),
                TypeRef::Nullable(boxed(TypeRef::List(boxed(TypeRef::Map(boxed(leaf)))))),
            ];
            for ty in nested {
                let as_type = |text: String| {
                    let parsed: syn::Type = syn::parse_str(&text)
                        .unwrap_or_else(|e| panic!("`{text}` is not a type: {e}"));
                    quote::ToTokens::to_token_stream(&parsed)
                        .to_string()
                        .replace(' ', "")
                };
                let outside = as_type(type_path(&space, &ty));
                let inside = as_type(type_text(&space, &ty));
                assert_eq!(outside.replace("crate::types::", ""), inside, "{ty:?}");
                let named = matches!(ty, TypeRef::Named(_));
                assert_eq!(
                    outside.contains("crate::types::Pet"),
                    named || inside.contains("Pet")
                );
            }
        }
    }
}
