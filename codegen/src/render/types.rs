//! `src/types.rs`: one Rust item per named type of the type space.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use crate::model::types::{Field, StructDef, UnionDef};
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
            let repr = type_tokens(space, repr, Context::TypesModule);
            let listed = values
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join("`, `");
            let line = format!(" Allowed values: `{listed}`.");
            quote! {
                #docs
                ///
                #[doc = #line]
                pub type #name = #repr;
            }
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

fn field_type(space: &TypeSpace, field: &Field) -> TokenStream {
    let inner = field.ty.non_null();
    let mut ty = type_tokens(space, inner, Context::TypesModule);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    if field.required && !field.ty.is_nullable() {
        ty
    } else {
        quote!(Option<#ty>)
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
        let skip = (serde && !field.required)
            .then(|| quote!(#[serde(default, skip_serializing_if = "Option::is_none")]));
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
    let default = all_optional.then(|| quote!(Default,));
    let allow_deprecated = s
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #docs
        #allow_deprecated
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
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
