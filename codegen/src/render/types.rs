//! `src/types.rs`: one Rust item per named type of the type space.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use crate::model::types::{
    DefaultValue, Field, Filled, FormatNote, IntegerValue, StructDef, UnionDef,
};
use crate::model::{Api, TypeDef, TypeKind, TypeRef, TypeSpace};

/// Where a type expression is written: inside `types.rs` or elsewhere in the crate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Context {
    TypesModule,
    Elsewhere,
}

/// An identifier from a name the model already made valid (possibly raw, `r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type for a use of a schema.
pub fn type_tokens(space: &TypeSpace, ty: &TypeRef, cx: Context) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = ident(&space.defs[id.0].name);
            match cx {
                Context::TypesModule => quote!(#name),
                Context::Elsewhere => quote!(crate::types::#name),
            }
        }
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Upload => quote!(crate::Upload),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::List(inner) => {
            let inner = type_tokens(space, inner, cx);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(space, inner, cx);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(space, inner, cx);
            quote!(Option<#inner>)
        }
    }
}

pub fn render(api: &Api) -> TokenStream {
    let items = api.types.defs.iter().map(|def| render_def(&api.types, def));
    quote! {
        //! The API's data types: one item per schema, named after the schema or after where
        //! an inline schema stands.
        #(#items)*
    }
}

/// Above this many types, `types` is split into one file per initial letter, so no single
/// file is too large to read, format or compile comfortably.
pub const SPLIT_ABOVE: usize = 400;

/// The part a type goes to when `types` is split: its name's initial, lower-cased.
pub fn part_of(def: &TypeDef) -> char {
    def.name
        .trim_start_matches("r#")
        .chars()
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

/// One part of a split `types` module.
pub fn render_part(api: &Api, part: char) -> TokenStream {
    let items = api
        .types
        .defs
        .iter()
        .filter(|def| part_of(def) == part)
        .map(|def| render_def(&api.types, def));
    let doc = format!(" Types whose names start with `{}`.", part_module(part));
    quote! {
        #![doc = #doc]
        #[allow(unused_imports)]
        use super::*;
        #(#items)*
    }
}

fn render_def(space: &TypeSpace, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs([
        def.docs.title.as_deref().filter(|t| *t != def.name),
        def.docs.description.as_deref(),
    ]);
    let docs = if docs.is_empty() {
        let line = match def.pointer.strip_prefix("#/components/schemas/") {
            Some(name) => format!(
                " The `{}` schema.",
                name.replace("~1", "/").replace("~0", "~").replace('`', "'")
            ),
            None => format!(" Defined inline at `{}`.", def.pointer.replace('`', "'")),
        };
        quote!(#[doc = #line])
    } else {
        docs
    };
    match &def.kind {
        TypeKind::Struct(s) => render_struct(space, &name, docs, s),
        TypeKind::Enum(values) => {
            let variants = values.iter().map(|v| {
                let variant = ident(&v.ident);
                let wire = &v.wire;
                // The wire value is spelled out only where the variant name differs from it.
                if v.ident == *wire {
                    quote!(#variant,)
                } else {
                    let doc = format!(" `{}`", wire.replace('`', "'"));
                    quote! {
                        #[doc = #doc]
                        #[serde(rename = #wire)]
                        #variant,
                    }
                }
            });
            let arms = values.iter().map(|v| {
                let variant = ident(&v.ident);
                let wire = &v.wire;
                quote!(#name::#variant => #wire,)
            });
            quote! {
                #docs
                ///
                /// Values this version of the API does not list decode into `Unknown`.
                #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
                pub enum #name {
                    #(#variants)*
                    /// A value this version of the API did not list.
                    #[serde(untagged)]
                    Unknown(String),
                }

                impl #name {
                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(#arms)*
                            #name::Unknown(value) => value,
                        }
                    }
                }

                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
            }
        }
        TypeKind::IntegerEnum { values, repr } => {
            render_integer_enum(space, &name, docs, values, repr)
        }
        TypeKind::Union(u) => render_union(space, &name, docs, u),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(space, ty, Context::TypesModule);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
        TypeKind::Pending => quote!(),
    }
}

/// An integer enum: a variant per listed value and `Unknown(repr)` for the rest, like the
/// string enums, with serde written out by hand so the wire value is the bare integer (serde's
/// derive can only tag variants by name).
fn render_integer_enum(
    space: &TypeSpace,
    name: &Ident,
    docs: TokenStream,
    values: &[IntegerValue],
    repr: &TypeRef,
) -> TokenStream {
    let int32 = *repr == TypeRef::I32;
    let repr_ty = type_tokens(space, repr, Context::TypesModule);
    let (accessor, serialize) = if int32 {
        (quote!(as_i32), quote!(serialize_i32))
    } else {
        (quote!(as_i64), quote!(serialize_i64))
    };
    let literal = |value: i64| {
        // The model keeps `I32` only when every value fits.
        if int32 {
            proc_macro2::Literal::i32_unsuffixed(value as i32)
        } else {
            proc_macro2::Literal::i64_unsuffixed(value)
        }
    };
    let variants = values.iter().map(|v| {
        let variant = ident(&v.ident);
        let doc = format!(" `{}`", v.value);
        quote! {
            #[doc = #doc]
            #variant,
        }
    });
    let to_value = values.iter().map(|v| {
        let variant = ident(&v.ident);
        let value = literal(v.value);
        quote!(#name::#variant => #value,)
    });
    let from_value = values.iter().map(|v| {
        let variant = ident(&v.ident);
        let value = literal(v.value);
        quote!(#value => #name::#variant,)
    });
    quote! {
        #docs
        ///
        /// Sent as the bare integer. Values this version of the API does not list decode into
        /// `Unknown`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the API did not list.
            Unknown(#repr_ty),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn #accessor(self) -> #repr_ty {
                match self {
                    #(#to_value)*
                    #name::Unknown(value) => value,
                }
            }
        }

        impl From<#repr_ty> for #name {
            /// The listed variant for a wire value, or `Unknown` with the value.
            fn from(value: #repr_ty) -> Self {
                match value {
                    #(#from_value)*
                    other => #name::Unknown(other),
                }
            }
        }

        impl From<#name> for #repr_ty {
            fn from(value: #name) -> Self {
                value.#accessor()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.#accessor(), f)
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.#serialize(self.#accessor())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <#repr_ty as serde::Deserialize>::deserialize(deserializer).map(#name::from)
            }
        }
    }
}

/// The expression building a field's default value.
fn default_expr(space: &TypeSpace, value: &DefaultValue, ty: &TypeRef) -> TokenStream {
    match value {
        DefaultValue::String(text) => quote!(String::from(#text)),
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::Integer(n) => {
            let n = proc_macro2::Literal::i64_unsuffixed(*n);
            quote!(#n)
        }
        DefaultValue::Number(n) => {
            // The literal has the width of the field's type, so it reads as written.
            let n = if is_f32(space, ty, 0) {
                proc_macro2::Literal::f32_unsuffixed(*n as f32)
            } else {
                proc_macro2::Literal::f64_unsuffixed(*n)
            };
            quote!(#n)
        }
        DefaultValue::Variant(id, variant) => {
            let name = ident(&space.defs[id.0].name);
            let variant = ident(variant);
            quote!(#name::#variant)
        }
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
fn default_fn_name(field: &Field) -> Ident {
    ident(&format!("default_{}", field.ident.trim_start_matches("r#")))
}

/// The private function serde calls for an absent field that stays an `Option`.
fn decoded_default_fn_name(field: &Field) -> Ident {
    ident(&format!(
        "decoded_default_{}",
        field.ident.trim_start_matches("r#")
    ))
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
fn value_type(space: &TypeSpace, field: &Field) -> TokenStream {
    let ty = type_tokens(space, field.ty.non_null(), Context::TypesModule);
    if field.boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

fn field_type(space: &TypeSpace, field: &Field) -> TokenStream {
    let ty = value_type(space, field);
    if field.is_option() {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

fn render_struct(space: &TypeSpace, name: &Ident, docs: TokenStream, s: &StructDef) -> TokenStream {
    let all_optional = s.fields.iter().all(|f| !f.required || f.ty.is_nullable());
    // Multipart bodies are not serialised with serde, so they carry no serde attributes.
    let serde = !s.multipart;
    let fields = s.fields.iter().map(|field| {
        let ident = ident(&field.ident);
        let ty = field_type(space, field);
        let plain = field.ident.trim_start_matches("r#");
        let rename = (serde && plain != field.wire).then(|| {
            let wire = &field.wire;
            quote!(#[serde(rename = #wire)])
        });
        let filled = field.filled();
        let skip = match filled {
            // Always sent: a value equal to the default is still a value the caller set.
            Some(Filled::Plain) => {
                let path = format!("{}::{}", name, default_fn_name(field));
                Some(quote!(#[serde(default = #path)]))
            }
            Some(Filled::Some) => {
                let path = format!("{}::{}", name, decoded_default_fn_name(field));
                Some(quote!(#[serde(default = #path, skip_serializing_if = "Option::is_none")]))
            }
            None => (serde && !field.required)
                .then(|| quote!(#[serde(default, skip_serializing_if = "Option::is_none")])),
        };
        let mut docs = doc_attrs([
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
            let line = format!(" `{}`: {presence}.", field.wire.replace('`', "'"));
            docs = quote!(#[doc = #line]);
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
            docs = quote! {
                #docs
                ///
                #[doc = #line]
            };
        }
        if let Some(default) = &field.default {
            let shown = default_doc(&default.json);
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
            docs = quote! {
                #docs
                ///
                #[doc = #line]
            };
        }
        let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #docs
            #deprecated
            #rename
            #skip
            pub #ident: #ty,
        }
    });
    let additional = s.additional.as_ref().map(|ty| {
        let ty = type_tokens(space, ty, Context::TypesModule);
        quote! {
            /// Properties beyond the declared ones.
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    if s.multipart {
        let fields: Vec<_> = fields.collect();
        let form = multipart_form(name, s);
        return quote! {
            #docs
            ///
            /// Sent as `multipart/form-data`.
            #[derive(Debug, Clone, PartialEq)]
            pub struct #name {
                #(#fields)*
            }
            #form
        };
    }
    let allow_deprecated = s
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let filled_fields: Vec<(&Field, &DefaultValue)> = s
        .fields
        .iter()
        .filter_map(|f| Some((f, f.default.as_ref()?.value.as_ref()?)))
        .collect();
    let default_fns = filled_fields.iter().map(|(field, value)| {
        let fn_name = default_fn_name(field);
        let ty = value_type(space, field);
        let expr = default_expr(space, value, &field.ty);
        let doc = format!(
            " The API's default for `{}`, used when it is absent.",
            field.wire.replace('`', "'")
        );
        // A spec's `3.14` is its own value, not an approximation of π (the lint looks at
        // literals of three digits or more).
        let allow = (matches!(value, DefaultValue::Number(_))
            && expr.to_string().bytes().filter(u8::is_ascii_digit).count() >= 3)
            .then(|| quote!(#[allow(clippy::approx_constant)]));
        // Serde's `default` must return the field's type, here `Option`.
        let decoded = (field.filled() == Some(Filled::Some)).then(|| {
            let decoded_name = decoded_default_fn_name(field);
            quote! {
                fn #decoded_name() -> Option<#ty> {
                    Some(#name::#fn_name())
                }
            }
        });
        quote! {
            #[doc = #doc]
            #allow
            pub fn #fn_name() -> #ty {
                #expr
            }
            #decoded
        }
    });
    let default_fns = (!filled_fields.is_empty()).then(|| {
        quote! {
            impl #name {
                #(#default_fns)*
            }
        }
    });
    // With plain defaulted fields, `Default` is written out so it gives the API's defaults
    // (a derive would give `0`, `""` or fail on enums). Optional ones default to `None`.
    let any_plain = s.fields.iter().any(|f| f.filled() == Some(Filled::Plain));
    let derived_default = (all_optional && !any_plain).then(|| quote!(Default,));
    let default_impl = (all_optional && any_plain).then(|| {
        let inits = s.fields.iter().map(|field| {
            let ident = ident(&field.ident);
            if field.filled() == Some(Filled::Plain) {
                let fn_name = default_fn_name(field);
                quote!(#ident: #name::#fn_name(),)
            } else {
                quote!(#ident: None,)
            }
        });
        let additional = s
            .additional
            .as_ref()
            .map(|_| quote!(additional_properties: std::collections::BTreeMap::new(),));
        quote! {
            #allow_deprecated
            impl Default for #name {
                fn default() -> Self {
                    #name {
                        #(#inits)*
                        #additional
                    }
                }
            }
        }
    });
    quote! {
        #docs
        #allow_deprecated
        #[derive(Debug, Clone, PartialEq, #derived_default serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #default_fns
        #default_impl
    }
}

/// `fn to_multipart`: each field becomes one part; files as file parts, other values as text.
fn multipart_form(name: &Ident, s: &StructDef) -> TokenStream {
    let parts = s.fields.iter().map(|field| {
        let ident = ident(&field.ident);
        let wire = &field.wire;
        // `place` names the value (for method calls), `reference` borrows it.
        let add = |place: TokenStream, reference: TokenStream| match field.ty.non_null() {
            TypeRef::Upload => quote!(form = form.part(#wire, #place.to_part()?);),
            TypeRef::List(inner) if **inner == TypeRef::Upload => {
                quote!(for item in #reference { form = form.part(#wire, item.to_part()?); })
            }
            _ => quote!(form = form.text(#wire, crate::runtime::to_param(#reference));),
        };
        if field.required && !field.ty.is_nullable() {
            add(quote!(self.#ident), quote!(&self.#ident))
        } else {
            let body = add(quote!(value), quote!(value));
            quote!(if let Some(value) = &self.#ident { #body })
        }
    });
    quote! {
        impl #name {
            /// The multipart form holding this body's parts.
            pub(crate) fn to_multipart(&self) -> Result<reqwest::multipart::Form, String> {
                let mut form = reqwest::multipart::Form::new();
                #(#parts)*
                Ok(form)
            }
        }
    }
}

fn render_union(space: &TypeSpace, name: &Ident, docs: TokenStream, u: &UnionDef) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let mut ty = type_tokens(space, &v.ty, Context::TypesModule);
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        quote!(#variant(#ty),)
    });
    let Some(discriminator) = &u.discriminator else {
        return quote! {
            #docs
            ///
            /// Decoded as the first variant the value matches.
            #[allow(clippy::large_enum_variant)] // a value is moved whole; boxing would only add allocations
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }
        };
    };
    let property = &discriminator.property;
    let arms = discriminator.mapping.iter().filter_map(|(wire, index)| {
        let variant = ident(&u.variants.get(*index)?.ident);
        let wrap = if u.variants.get(*index)?.boxed {
            quote!(|v| #name::#variant(Box::new(v)))
        } else {
            quote!(#name::#variant)
        };
        Some(quote!(#wire => serde_json::from_value(value).map(#wrap),))
    });
    let doc = format!(" The variant is chosen by the `{property}` property.");
    quote! {
        #docs
        ///
        #[doc = #doc]
        #[allow(clippy::large_enum_variant)] // a value is moved whole; boxing would only add allocations
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
                match tag.as_str() {
                    #(#arms)*
                    other => return Err(serde::de::Error::custom(format_args!(
                        "unknown `{}` value `{}`", #property, other
                    ))),
                }
                .map_err(serde::de::Error::custom)
            }
        }
    }
}
