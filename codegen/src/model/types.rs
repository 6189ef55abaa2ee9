//! The type space: every schema the API uses, as Rust types with unique names.
//!
//! Component schemas are reserved first (so `$ref`s, including recursive ones, resolve to a
//! stable id before anything is defined), then defined one by one; inline object, enum and
//! union schemas become named types called after where they stand (`LoginWithMagicLinkRequest`,
//! `PolicyRulesItem`). Rendering never looks at the `openapiv3` document again.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use openapiv3::{
    AdditionalProperties, AnySchema, MediaType, OpenAPI, ParameterSchemaOrContent, ReferenceOr,
    Response, Schema, SchemaKind, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use foldhash::HashMap;

use super::names::{self, Scope};
use super::operations::raw_name;
use crate::{Diagnostic, Pointer};

/// Index of a [`TypeDef`] in [`TypeSpace::defs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// How a schema is used at one place: a named type or a shape built from standard types.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Named(TypeId),
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// `format: date-time` (RFC 3339), as `chrono::DateTime<Utc>`.
    DateTime,
    /// `format: date`, as `chrono::NaiveDate`.
    Date,
    /// `format: uuid`.
    Uuid,
    /// A file part of a multipart body (`format: binary` inside `multipart/form-data`).
    Upload,
    /// Any JSON value (an empty schema, or a shape Rust cannot express more precisely).
    Any,
    List(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// `nullable: true`: `null` is a valid value.
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// The type without its outer `Nullable`.
    pub fn non_null(&self) -> &TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner.non_null(),
            other => other,
        }
    }

    pub fn is_nullable(&self) -> bool {
        matches!(self, TypeRef::Nullable(_))
    }

    fn nullable(self) -> TypeRef {
        match self {
            already @ TypeRef::Nullable(_) => already,
            TypeRef::Any => TypeRef::Any,
            other => TypeRef::Nullable(Box::new(other)),
        }
    }
}

/// Documentation gathered from `title`, `summary` and `description`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
}

impl Docs {
    pub fn from_schema(data: &openapiv3::SchemaData) -> Docs {
        Docs {
            title: data.title.clone().filter(|t| !t.trim().is_empty()),
            description: data.description.clone().filter(|d| !d.trim().is_empty()),
        }
    }
}

/// A named Rust type to generate.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub docs: Docs,
    /// Where the schema stands in the document.
    pub pointer: String,
    pub kind: TypeKind,
    /// `nullable: true` on the schema itself: every use site accepts `null`.
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// Reserved but not yet defined (only during construction).
    Pending,
    Struct(StructDef),
    /// A string enum. An unknown value decodes into an extra `Unknown(String)` variant.
    Enum(Vec<EnumValue>),
    /// An integer enum: one variant per listed value, and an extra `Unknown(repr)` variant
    /// for the others, like string enums. On the wire it is the bare integer.
    IntegerEnum {
        values: Vec<IntegerValue>,
        /// `I32` when the format is `int32` and every listed value fits, else `I64`.
        repr: TypeRef,
    },
    /// `oneOf` / `anyOf`.
    Union(UnionDef),
    /// A schema that is only another shape, e.g. an array or a plain string.
    Alias(TypeRef),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StructDef {
    pub fields: Vec<Field>,
    /// `additionalProperties` beside declared properties: the map of the remaining keys.
    pub additional: Option<TypeRef>,
    /// Contains a file part, so it is sent as multipart and has no serde derives.
    pub multipart: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    /// The Rust field name.
    pub ident: String,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Docs,
    pub deprecated: bool,
    /// Set when the field's type contains its own struct without indirection.
    pub boxed: bool,
    /// The property's `default`, if it has one.
    pub default: Option<FieldDefault>,
    /// How the field's bytes are written, when it holds binary data in text.
    pub format_note: Option<FormatNote>,
}

/// Binary data a field carries as text, which its docs explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormatNote {
    /// `format: byte`: base64 text, which the caller encodes and decodes.
    Base64,
    /// `format: binary` outside a multipart body's file parts. JSON (and a form or a parameter)
    /// has no raw bytes, so the value is the string the API sends and expects, unchanged.
    BinaryText,
}

/// How decoding fills in a field's default, if it does (see [`Field::filled`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filled {
    /// A plain field holding the default when the property is absent.
    Plain,
    /// An `Option` decoded as `Some(default)` when the property is absent (types the client
    /// sends, where `None` must still leave the property out).
    Some,
}

impl Field {
    /// How decoding fills in the field's default: not at all (`None`) unless the default has
    /// a value Rust can write (see [`FieldDefault::value`]).
    pub fn filled(&self) -> Option<Filled> {
        let default = self.default.as_ref().filter(|d| d.value.is_some())?;
        Some(if default.optional {
            Filled::Some
        } else {
            Filled::Plain
        })
    }

    /// Whether the field is an `Option` in Rust: when it is nullable, or optional unless
    /// decoding fills in its default as a plain value. The one rule every renderer follows
    /// (the struct's field types, and code reading the fields such as cursor streams).
    pub fn is_option(&self) -> bool {
        let plain = self.required || self.filled() == Some(Filled::Plain);
        !plain || self.ty.is_nullable()
    }
}

/// A property's `default` as the document writes it, and the Rust value decoding fills in
/// when the property is absent, if the field takes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldDefault {
    /// The value as written, for the field's docs.
    pub json: serde_json::Value,
    /// Set by [`TypeBuilder::finish`], once every type is known, when the field is optional,
    /// not nullable, serialised with serde and the value is of a simple kind matching the
    /// field's type: decoding then fills it in when the property is absent. Otherwise the
    /// field stays an `Option` and the default is only documented.
    pub value: Option<DefaultValue>,
    /// The struct is sent by the client (a request body or parameter uses it), so a filled-in
    /// field still stays an `Option`: `None` leaves the property out and the server applies
    /// its own default. A plain field would always send a value, and an update (`PATCH`)
    /// built with `..Default::default()` would then overwrite what the caller never meant
    /// to touch. Decoding still fills in `Some(default)`.
    pub optional: bool,
    /// `false` for a `readOnly` or `writeOnly` property: one type serves both directions, so
    /// a value filled in would be sent (or shown) where the property does not belong.
    applicable: bool,
}

/// A default value Rust can write as an expression of the field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    String(String),
    Bool(bool),
    /// An integer of an `i32` or `i64` field.
    Integer(i64),
    /// A finite number of an `f32` or `f64` field.
    Number(f64),
    /// A listed variant of a string or integer enum: the enum and the variant's identifier.
    Variant(TypeId, String),
}

// Numbers are finite (never NaN), so equality is total.
impl Eq for DefaultValue {}

impl std::hash::Hash for DefaultValue {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            DefaultValue::String(text) => text.hash(state),
            DefaultValue::Bool(b) => b.hash(state),
            DefaultValue::Integer(n) => n.hash(state),
            // `0.0 == -0.0`, so both hash alike.
            DefaultValue::Number(n) => (if *n == 0.0 { 0.0f64 } else { *n }).to_bits().hash(state),
            DefaultValue::Variant(id, variant) => (id, variant).hash(state),
        }
    }
}

/// One listed value of an integer enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IntegerValue {
    pub ident: String,
    pub value: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumValue {
    pub ident: String,
    pub wire: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnionDef {
    pub variants: Vec<Variant>,
    /// Property whose value selects the variant; decoding dispatches on it.
    pub discriminator: Option<Discriminator>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    pub ident: String,
    pub ty: TypeRef,
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Discriminator {
    pub property: String,
    /// Wire value → index into [`UnionDef::variants`].
    pub mapping: Vec<(String, usize)>,
}

/// Standard-library and crate features the generated types rely on, so the generated
/// `Cargo.toml` lists only the dependencies its code uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Features {
    pub chrono: bool,
    pub uuid: bool,
    pub multipart: bool,
    /// Some list operation is paged, so the stream helpers (and `futures-util`) are needed.
    pub pagination: bool,
}

/// All named types of an API.
#[derive(Debug, Default)]
pub struct TypeSpace {
    pub defs: Vec<TypeDef>,
    names: Scope,
    components: BTreeMap<String, TypeId>,
}

/// Guards against runaway recursion through `allOf` chains and deeply nested inline schemas.
const MAX_DEPTH: usize = 64;

/// What an inline type is named after, if it turns out to need a name. Most schemas are
/// strings, numbers or references and need none, so the name is put together only then:
/// building it for every property of a large API (its object's name, then the property's in
/// camel case) was a tenth of the model's time.
#[derive(Clone, Copy)]
enum Hint<'h> {
    /// This name.
    Name(&'h str),
    /// An object's hint, then a property's name in `UpperCamelCase`.
    Property(&'h Hint<'h>, &'h str),
    /// A hint, then a word (`Item`, `Value`).
    Suffix(&'h Hint<'h>, &'static str),
    /// A union's hint, then `Variant` and the member's number.
    Variant(&'h Hint<'h>, usize),
}

impl Hint<'_> {
    fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Hint::Name(name) => out.push_str(name),
            Hint::Property(object, property) => {
                object.write(out);
                out.push_str(&names::camel(property));
            }
            Hint::Suffix(hint, word) => {
                hint.write(out);
                out.push_str(word);
            }
            Hint::Variant(hint, number) => {
                hint.write(out);
                let _ = write!(out, "Variant{number}");
            }
        }
    }
}

/// Builds the type space for one document.
pub struct TypeBuilder<'a> {
    doc: &'a OpenAPI,
    file: &'a str,
    /// Inline schemas already typed, by pointer: a `$ref` into the middle of a schema and the
    /// schema's own definition then share one Rust type.
    by_pointer: HashMap<String, TypeRef>,
    /// How many `$ref`s into schema interiors are being followed right now (bounds cycles).
    ref_depth: usize,
    /// Inline types already defined, by everything that is rendered of them except the name
    /// (docs and kind, whose nested types are ids already shared this way): a schema written
    /// out again elsewhere becomes an alias of the first type rather than a second copy.
    by_shape: HashMap<(Docs, TypeKind), TypeId>,
    /// Field identifiers by property name.
    field_names: names::FieldNames,
    /// Each such alias and the first definition it repeats.
    repeats: HashMap<TypeId, TypeId>,
    pub space: TypeSpace,
    pub warnings: Vec<Diagnostic>,
}

impl<'a> TypeBuilder<'a> {
    /// Reserves a name and id for every component schema, then defines each of them.
    pub fn new(doc: &'a OpenAPI, file: &'a str) -> Self {
        let mut builder = TypeBuilder {
            doc,
            file,
            by_pointer: HashMap::default(),
            ref_depth: 0,
            by_shape: HashMap::default(),
            field_names: names::FieldNames::default(),
            repeats: HashMap::default(),
            space: TypeSpace::default(),
            warnings: Vec::new(),
        };
        let schemas = doc.components.as_ref().map(|c| &c.schemas);
        let base = Pointer::root().push("components").push("schemas");
        for (name, schema) in schemas.into_iter().flatten() {
            let nullable = matches!(schema, ReferenceOr::Item(s) if s.schema_data.nullable);
            let id = builder.reserve(
                &names::type_name(name),
                base.push(name).as_str().to_owned(),
                nullable,
            );
            builder.space.components.insert(name.clone(), id);
        }
        for (name, schema) in schemas.into_iter().flatten() {
            let Some(&id) = builder.space.components.get(name) else {
                continue;
            };
            let pointer = base.push(name);
            let kind = match schema {
                ReferenceOr::Reference { reference } => {
                    TypeKind::Alias(builder.resolve_ref(reference, &pointer))
                }
                ReferenceOr::Item(schema) => {
                    builder.space.defs[id.0].docs = Docs::from_schema(&schema.schema_data);
                    let name = builder.space.defs[id.0].name.clone();
                    builder.define_kind(schema, &name, &pointer, 0)
                }
            };
            builder.space.defs[id.0].kind = kind;
        }
        builder
    }

    fn reserve(&mut self, wanted: &str, pointer: String, nullable: bool) -> TypeId {
        let name = self.space.names.claim(wanted);
        let id = TypeId(self.space.defs.len());
        self.space.defs.push(TypeDef {
            name,
            docs: Docs::default(),
            pointer,
            kind: TypeKind::Pending,
            nullable,
        });
        id
    }

    /// Defines an inline type.
    ///
    /// Large documents repeat inline schemas verbatim (GitHub's webhook payloads repeat the
    /// same nested objects hundreds of times). A repeat is an alias of the first definition:
    /// it keeps its own name, so every signature and field reads as the document places it,
    /// but the crate carries one copy of each shape. Nested repeats are compared through the
    /// definitions they repeat, so whole repeated trees collapse, not only their leaves.
    fn add(&mut self, wanted: &str, pointer: &Pointer, docs: Docs, kind: TypeKind) -> TypeId {
        let shape = self.shape_key(&docs, &kind);
        let id = self.reserve(
            &names::type_name(wanted),
            pointer.as_str().to_owned(),
            false,
        );
        if let Some(&first) = self.by_shape.get(&shape) {
            let description = format!(
                "Defined inline at `{}`: the same schema as [`{}`].",
                pointer.as_str().replace('`', "'"),
                self.space.defs[first.0].name,
            );
            self.space.defs[id.0].docs = Docs {
                title: None,
                description: Some(description),
            };
            self.space.defs[id.0].kind = TypeKind::Alias(TypeRef::Named(first));
            self.repeats.insert(id, first);
            return id;
        }
        self.space.defs[id.0].docs = docs;
        self.space.defs[id.0].kind = kind;
        self.by_shape.insert(shape, id);
        id
    }

    /// Everything rendered of an inline type except its name, with the types it uses
    /// replaced by the first definitions they repeat.
    fn shape_key(&self, docs: &Docs, kind: &TypeKind) -> (Docs, TypeKind) {
        let mut kind = kind.clone();
        let first = |ty: &mut TypeRef| first_definition(ty, &self.repeats);
        match &mut kind {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().for_each(|f| first(&mut f.ty));
                s.additional.iter_mut().for_each(first);
            }
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| first(&mut v.ty)),
            TypeKind::Alias(ty) => first(ty),
            TypeKind::Pending | TypeKind::Enum(_) | TypeKind::IntegerEnum { .. } => {}
        }
        (docs.clone(), kind)
    }

    fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings
            .push(Diagnostic::warning(self.file, pointer.as_str(), message));
    }

    /// Resolves a `$ref` to a component schema, or to a schema inside one.
    fn resolve_ref(&mut self, reference: &str, at: &Pointer) -> TypeRef {
        if let Some(name) = reference.strip_prefix("#/components/schemas/") {
            let name = unescape(name);
            if let Some(&id) = self.space.components.get(&*name) {
                let named = TypeRef::Named(id);
                return if self.space.defs[id.0].nullable {
                    named.nullable()
                } else {
                    named
                };
            }
        }
        if let Some(ty) = self.by_pointer.get(reference) {
            return ty.clone();
        }
        if self.ref_depth < 16 {
            if let Some((node, target, hint)) = self.schema_at(reference) {
                self.ref_depth += 1;
                let ty = match node {
                    Node::Schema(schema) => {
                        self.resolve_schema(schema, Hint::Name(&hint), &target, 0)
                    }
                    Node::Ref(next) => self.resolve_ref(next, &target),
                };
                self.ref_depth -= 1;
                return ty;
            }
        }
        self.warn(
            at,
            format!("`$ref: {reference}` does not lead to a schema that can be used here; using any JSON value"),
        );
        TypeRef::Any
    }

    /// The schema a pointer into `components.schemas` leads to, with a type name hint built from
    /// the path (`#/components/schemas/Disk/properties/filesystem` → `DiskFilesystem`).
    fn schema_at(&self, reference: &str) -> Option<(Node<'a>, Pointer, String)> {
        self.schema_at_depth(reference, 0)
    }

    fn schema_at_depth(
        &self,
        reference: &str,
        depth: usize,
    ) -> Option<(Node<'a>, Pointer, String)> {
        if depth > 16 {
            return None;
        }
        let pointer = Pointer::from_ref(reference)?;
        let segments: Vec<String> = pointer.segments().collect();
        let (mut node, mut hint, mut i) = self.schema_root(&segments)?;
        while let Some(segment) = segments.get(i) {
            let current = match node {
                Node::Schema(schema) => schema,
                Node::Ref(reference) => self.deref(reference, depth)?,
            };
            node = match (segment.as_str(), &current.schema_kind) {
                ("properties", SchemaKind::Type(Type::Object(o))) => {
                    let key = segments.get(i + 1)?;
                    i += 1;
                    hint.push_str(&names::camel(key));
                    Node::of_boxed(o.properties.get(key)?)
                }
                ("properties", SchemaKind::Any(any)) => {
                    let key = segments.get(i + 1)?;
                    i += 1;
                    hint.push_str(&names::camel(key));
                    Node::of_boxed(any.properties.get(key)?)
                }
                ("items", SchemaKind::Type(Type::Array(a))) => {
                    hint.push_str("Item");
                    Node::of_boxed(a.items.as_ref()?)
                }
                ("items", SchemaKind::Any(any)) => {
                    hint.push_str("Item");
                    Node::of_boxed(any.items.as_ref()?)
                }
                ("additionalProperties", SchemaKind::Type(Type::Object(o))) => {
                    hint.push_str("Value");
                    match o.additional_properties.as_ref()? {
                        AdditionalProperties::Schema(schema) => Node::of(schema),
                        AdditionalProperties::Any(_) => return None,
                    }
                }
                (list @ ("allOf" | "oneOf" | "anyOf"), kind) => {
                    let index: usize = segments.get(i + 1)?.parse().ok()?;
                    i += 1;
                    let members = match (list, kind) {
                        ("allOf", SchemaKind::AllOf { all_of }) => all_of,
                        ("oneOf", SchemaKind::OneOf { one_of }) => one_of,
                        ("anyOf", SchemaKind::AnyOf { any_of }) => any_of,
                        ("allOf", SchemaKind::Any(any)) => &any.all_of,
                        ("oneOf", SchemaKind::Any(any)) => &any.one_of,
                        ("anyOf", SchemaKind::Any(any)) => &any.any_of,
                        _ => return None,
                    };
                    Node::of(members.get(index)?)
                }
                _ => return None,
            };
            i += 1;
        }
        Some((node, pointer, hint))
    }

    /// Where a pointer enters a schema, with a type name hint and how many segments that took:
    /// a component schema, or the schema of a parameter, a header or a body under `paths` or
    /// `components`. A schema under an operation is hinted as the operation names its inline
    /// types, so the type reads the same whether a `$ref` or the operation reaches it first.
    fn schema_root(&self, segments: &[String]) -> Option<(Node<'a>, String, usize)> {
        let doc = self.doc;
        match (segments.first()?.as_str(), segments.get(1)?.as_str()) {
            ("components", "schemas") => {
                let name = segments.get(2)?;
                let schema = doc.components.as_ref()?.schemas.get(name)?;
                Some((Node::of(schema), name.clone(), 3))
            }
            ("components", kind) => {
                let components = doc.components.as_ref()?;
                let name = segments.get(2)?;
                let rest = segments.get(3..)?;
                let (node, used) = match kind {
                    "parameters" => {
                        let parameter = components.parameters.get(name)?.as_item()?;
                        format_schema(&parameter.parameter_data_ref().format, rest)?
                    }
                    "headers" => {
                        format_schema(&components.headers.get(name)?.as_item()?.format, rest)?
                    }
                    "requestBodies" => content_schema(
                        &components.request_bodies.get(name)?.as_item()?.content,
                        rest,
                    )?,
                    "responses" => {
                        response_schema(components.responses.get(name)?.as_item()?, rest)?
                    }
                    _ => return None,
                };
                Some((node, names::camel(name), 3 + used))
            }
            ("paths", path) => {
                let item = doc.paths.paths.get(path)?.as_item()?;
                let (first, rest) = segments.get(2..)?.split_first()?;
                if first == "parameters" {
                    let index: usize = rest.first()?.parse().ok()?;
                    let data = item.parameters.get(index)?.as_item()?.parameter_data_ref();
                    let (node, used) = format_schema(&data.format, rest.get(1..)?)?;
                    let base = item
                        .iter()
                        .next()
                        .map(|(method, op)| names::camel(&raw_name(op, method, path)))
                        .unwrap_or_default();
                    let hint = format!("{base}{}", names::camel(&data.name));
                    return Some((node, hint, 4 + used));
                }
                let (method, op) = item.iter().find(|(method, _)| method == first)?;
                let base = names::camel(&raw_name(op, method, path));
                let (node, hint, used) = match rest.first()?.as_str() {
                    "parameters" => {
                        let index: usize = rest.get(1)?.parse().ok()?;
                        let data = op.parameters.get(index)?.as_item()?.parameter_data_ref();
                        let (node, used) = format_schema(&data.format, rest.get(2..)?)?;
                        (
                            node,
                            format!("{base}{}", names::camel(&data.name)),
                            2 + used,
                        )
                    }
                    "requestBody" => {
                        let body = op.request_body.as_ref()?.as_item()?;
                        let (node, used) = content_schema(&body.content, rest.get(1..)?)?;
                        (node, format!("{base}Request"), 1 + used)
                    }
                    "responses" => {
                        let key = rest.get(1)?;
                        let responses = &op.responses;
                        let is_error = |code: &StatusCode| match code {
                            StatusCode::Code(n) => *n >= 400,
                            StatusCode::Range(n) => *n >= 4,
                        };
                        let (response, hint) = if key == "default" {
                            let has_success = responses.responses.keys().any(|c| !is_error(c));
                            let hint = if has_success {
                                "ErrorDefault"
                            } else {
                                "Response"
                            };
                            (responses.default.as_ref()?, format!("{base}{hint}"))
                        } else {
                            let (code, response) = responses
                                .responses
                                .iter()
                                .find(|(code, _)| code.to_string() == *key)?;
                            let hint = if is_error(code) {
                                format!("{base}Error{key}")
                            } else {
                                format!("{base}Response")
                            };
                            (response, hint)
                        };
                        let (node, used) = response_schema(response.as_item()?, rest.get(2..)?)?;
                        (node, hint, 2 + used)
                    }
                    _ => return None,
                };
                // `paths`, the path and the method, then what the operation part took.
                Some((node, hint, 3 + used))
            }
            _ => None,
        }
    }

    /// The schema behind a `$ref`, to a component or into one.
    fn deref(&self, reference: &str, depth: usize) -> Option<&'a Schema> {
        self.component_schema(reference)
            .map(|(schema, _)| schema)
            .or_else(|| match self.schema_at_depth(reference, depth + 1)? {
                (Node::Schema(schema), ..) => Some(schema),
                (Node::Ref(next), ..) => self.deref(next, depth + 1),
            })
    }

    /// The schema a local `$ref` leads to, a component or one inside a component, an
    /// operation, a parameter or a body, with where it stands: for `allOf` merging.
    fn schema_behind(&self, reference: &str, depth: usize) -> Option<(&'a Schema, Pointer)> {
        if depth > 16 {
            return None;
        }
        if let Some(found) = self.component_schema(reference) {
            return Some(found);
        }
        match self.schema_at_depth(reference, depth + 1)? {
            (Node::Schema(schema), at, _) => Some((schema, at)),
            (Node::Ref(next), ..) => self.schema_behind(next, depth + 1),
        }
    }

    /// The component schema a local `$ref` names, for `allOf` merging.
    fn component_schema(&self, reference: &str) -> Option<(&'a Schema, Pointer)> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        let name = unescape(name);
        let schema = self.doc.components.as_ref()?.schemas.get(&*name)?;
        let pointer = Pointer::root()
            .push("components")
            .push("schemas")
            .push(&*name);
        match schema {
            ReferenceOr::Item(s) => Some((s, pointer)),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        }
    }

    /// The `format` of a string schema (also behind a `$ref`), e.g. `byte`.
    fn string_format_name(&self, schema: &ReferenceOr<Box<Schema>>) -> Option<String> {
        let schema = match schema {
            ReferenceOr::Item(schema) => schema.as_ref(),
            ReferenceOr::Reference { reference } => self.deref(reference, 0)?,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte".to_owned()),
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary".to_owned()),
                VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
                _ => None,
            },
            SchemaKind::Any(any) if any.typ.as_deref() == Some("string") => any.format.clone(),
            _ => None,
        }
    }

    /// The `default` that applies to a value of `schema`: its own, else that of the schema it
    /// stands for (the target of a `$ref`, or the one shaped member of an `allOf`, or of a
    /// `oneOf`/`anyOf` of one), so a `default` written on a component schema applies wherever
    /// the component is used, as an inline one does.
    pub fn schema_default(&self, schema: &ReferenceOr<Schema>) -> Option<serde_json::Value> {
        match schema {
            ReferenceOr::Item(schema) => self.default_of(schema, 0),
            ReferenceOr::Reference { reference } => self.default_behind(reference, 0),
        }
    }

    fn default_behind(&self, reference: &str, depth: usize) -> Option<serde_json::Value> {
        if depth > 16 {
            return None;
        }
        self.default_of(self.deref(reference, 0)?, depth + 1)
    }

    fn default_of(&self, schema: &Schema, depth: usize) -> Option<serde_json::Value> {
        if let Some(default) = &schema.schema_data.default {
            return Some(default.clone());
        }
        if depth > 16 {
            return None;
        }
        let members: &[ReferenceOr<Schema>] = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members }
                if members.len() == 1 =>
            {
                members
            }
            SchemaKind::Any(any)
                if any.properties.is_empty() && any.one_of.is_empty() && any.any_of.is_empty() =>
            {
                &any.all_of
            }
            _ => return None,
        };
        // A member that only annotates (`allOf: [{$ref: X}, {default: 1}]`) speaks for the
        // whole; else the one member with a shape, when there is exactly one.
        let annotated = members.iter().find_map(|m| match m {
            ReferenceOr::Item(s) if is_annotation_only(m) => s.schema_data.default.clone(),
            _ => None,
        });
        if annotated.is_some() {
            return annotated;
        }
        let mut shaped = members.iter().filter(|m| !is_annotation_only(m));
        let only = shaped.next()?;
        if shaped.next().is_some() {
            return None;
        }
        match only {
            ReferenceOr::Item(schema) => self.default_of(schema, depth + 1),
            ReferenceOr::Reference { reference } => self.default_behind(reference, depth + 1),
        }
    }

    /// The type of a schema used at `pointer`; inline types are named from `hint`.
    pub fn resolve(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        pointer: &Pointer,
    ) -> TypeRef {
        self.resolve_at_depth(Node::of(schema), Hint::Name(hint), pointer, 0)
    }

    /// The type of a schema (or a `$ref` to one) met at `depth` inside another.
    fn resolve_at_depth(
        &mut self,
        node: Node<'_>,
        hint: Hint<'_>,
        pointer: &Pointer,
        depth: usize,
    ) -> TypeRef {
        match node {
            Node::Ref(reference) => self.resolve_ref(reference, pointer),
            Node::Schema(schema) => self.resolve_schema(schema, hint, pointer, depth),
        }
    }

    /// The type of an inline schema: a standard shape, or a new named type.
    fn resolve_schema(
        &mut self,
        schema: &Schema,
        hint: Hint<'_>,
        pointer: &Pointer,
        depth: usize,
    ) -> TypeRef {
        if depth > MAX_DEPTH {
            self.warn(pointer, "schema nested too deeply; using any JSON value");
            return TypeRef::Any;
        }
        if let Some(ty) = self.by_pointer.get(pointer.as_str()) {
            return ty.clone();
        }
        let ty = match self.shape(schema, hint, pointer, depth) {
            Shape::Ready(ty) => ty,
            Shape::NeedsName(kind) => {
                let docs = Docs::from_schema(&schema.schema_data);
                let wanted = match schema.schema_data.title.as_deref() {
                    Some(title) if names::type_name(title) != "Value" && title.len() < 64 => {
                        title.to_owned()
                    }
                    _ => hint.text(),
                };
                TypeRef::Named(self.add(&wanted, pointer, docs, kind))
            }
        };
        let ty = if schema.schema_data.nullable {
            ty.nullable()
        } else {
            ty
        };
        self.by_pointer
            .insert(pointer.as_str().to_owned(), ty.clone());
        ty
    }

    /// Defines a component schema: a named kind even when the shape is a plain one.
    fn define_kind(
        &mut self,
        schema: &Schema,
        name: &str,
        pointer: &Pointer,
        depth: usize,
    ) -> TypeKind {
        match self.shape(schema, Hint::Name(name), pointer, depth) {
            Shape::Ready(ty) => TypeKind::Alias(ty),
            Shape::NeedsName(kind) => kind,
        }
    }

    fn shape(&mut self, schema: &Schema, hint: Hint<'_>, pointer: &Pointer, depth: usize) -> Shape {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                if !values.is_empty() {
                    return Shape::NeedsName(TypeKind::Enum(enum_values(&values)));
                }
                Shape::Ready(self.string_format(&s.format, pointer))
            }
            SchemaKind::Type(Type::Integer(i)) => {
                let int32 = matches!(
                    &i.format,
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32)
                );
                let values: Vec<i64> = i.enumeration.iter().flatten().copied().collect();
                if values.is_empty() {
                    Shape::Ready(if int32 { TypeRef::I32 } else { TypeRef::I64 })
                } else {
                    Shape::NeedsName(integer_enum(&values, int32, &schema.schema_data))
                }
            }
            SchemaKind::Type(Type::Number(n)) => Shape::Ready(match &n.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Ready(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => self.resolve_at_depth(
                        Node::of_boxed(items),
                        Hint::Suffix(&hint, "Item"),
                        &pointer.push("items"),
                        depth + 1,
                    ),
                    None => TypeRef::Any,
                };
                Shape::Ready(TypeRef::List(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(o)) => self.object(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                hint,
                pointer,
                depth,
                &BTreeMap::new(),
            ),
            SchemaKind::OneOf { one_of } => {
                self.union(one_of, schema, hint, pointer.push("oneOf"), depth)
            }
            SchemaKind::AnyOf { any_of } => {
                self.union(any_of, schema, hint, pointer.push("anyOf"), depth)
            }
            SchemaKind::AllOf { all_of } => self.all_of(all_of, hint, pointer, depth),
            SchemaKind::Not { .. } => Shape::Ready(TypeRef::Any),
            SchemaKind::Any(any) => self.any_schema(any, schema, hint, pointer, depth),
        }
    }

    fn string_format(
        &mut self,
        format: &VariantOrUnknownOrEmpty<StringFormat>,
        _pointer: &Pointer,
    ) -> TypeRef {
        match format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
            VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
            VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Upload,
            VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
            _ => TypeRef::String,
        }
    }

    /// Schemas with no single `type` (or with keywords mixed): read what they describe.
    fn any_schema(
        &mut self,
        any: &AnySchema,
        schema: &Schema,
        hint: Hint<'_>,
        pointer: &Pointer,
        depth: usize,
    ) -> Shape {
        if !any.all_of.is_empty()
            && any.properties.is_empty()
            && any.one_of.is_empty()
            && any.any_of.is_empty()
        {
            return self.all_of(&any.all_of, hint, pointer, depth);
        }
        if !any.one_of.is_empty() {
            return self.union(&any.one_of, schema, hint, pointer.push("oneOf"), depth);
        }
        if !any.any_of.is_empty() {
            return self.union(&any.any_of, schema, hint, pointer.push("anyOf"), depth);
        }
        let typ = any.typ.as_deref();
        if !any.properties.is_empty()
            || any.additional_properties.is_some()
            || typ == Some("object")
        {
            let additional = any.additional_properties.as_ref();
            if any.all_of.is_empty() {
                let (properties, required) = (&any.properties, &any.required);
                let origins = BTreeMap::new();
                return self.object(
                    properties, required, additional, hint, pointer, depth, &origins,
                );
            }
            // Objects written with both `properties` and `allOf`: merge the members in.
            let mut properties = any.properties.clone();
            let mut required = any.required.clone();
            let mut origins = BTreeMap::new();
            for (i, member) in any.all_of.iter().enumerate() {
                let at = pointer.push("allOf").push(i);
                self.collect_members(
                    member,
                    &at,
                    &mut properties,
                    &mut required,
                    &mut origins,
                    depth,
                );
            }
            return self.object(
                &properties,
                &required,
                additional,
                hint,
                pointer,
                depth,
                &origins,
            );
        }
        if let Some(items) = &any.items {
            let item = self.resolve_at_depth(
                Node::of_boxed(items),
                Hint::Suffix(&hint, "Item"),
                &pointer.push("items"),
                depth + 1,
            );
            return Shape::Ready(TypeRef::List(Box::new(item)));
        }
        let strings: Vec<String> = any
            .enumeration
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        if !strings.is_empty()
            && strings.len() == any.enumeration.iter().filter(|v| !v.is_null()).count()
        {
            return Shape::NeedsName(TypeKind::Enum(enum_values(&strings)));
        }
        // `enum: [1, 2]` without `type: integer` (or with keywords that kept the schema from
        // parsing as an integer schema) is still an integer enum.
        let integers: Vec<i64> = any
            .enumeration
            .iter()
            .filter_map(serde_json::Value::as_i64)
            .collect();
        if !integers.is_empty()
            && matches!(typ, None | Some("integer"))
            && integers.len() == any.enumeration.iter().filter(|v| !v.is_null()).count()
        {
            let int32 = any.format.as_deref() == Some("int32");
            return Shape::NeedsName(integer_enum(&integers, int32, &schema.schema_data));
        }
        match typ {
            Some("string") => {
                let format = match any.format.as_deref() {
                    Some("date-time") => VariantOrUnknownOrEmpty::Item(StringFormat::DateTime),
                    Some("date") => VariantOrUnknownOrEmpty::Item(StringFormat::Date),
                    Some("binary") => VariantOrUnknownOrEmpty::Item(StringFormat::Binary),
                    Some(other) => VariantOrUnknownOrEmpty::Unknown(other.to_owned()),
                    None => VariantOrUnknownOrEmpty::Empty,
                };
                Shape::Ready(self.string_format(&format, pointer))
            }
            Some("integer") => Shape::Ready(match any.format.as_deref() {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            Some("number") => Shape::Ready(match any.format.as_deref() {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            Some("boolean") => Shape::Ready(TypeRef::Bool),
            Some("array") => Shape::Ready(TypeRef::List(Box::new(TypeRef::Any))),
            _ => Shape::Ready(TypeRef::Any),
        }
    }

    /// An object schema. `origins` gives, for properties merged in from `allOf` members, where
    /// each property is written, so its inline types are the ones generated for that place.
    #[allow(clippy::too_many_arguments)]
    fn object(
        &mut self,
        properties: &Properties,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        hint: Hint<'_>,
        pointer: &Pointer,
        depth: usize,
        origins: &BTreeMap<String, Pointer>,
    ) -> Shape {
        let additional_ty = match additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Schema(schema)) => Some(self.resolve_at_depth(
                Node::of(schema),
                Hint::Suffix(&hint, "Value"),
                &pointer.push("additionalProperties"),
                depth + 1,
            )),
        };
        if properties.is_empty() {
            let value = additional_ty.unwrap_or(TypeRef::Any);
            return Shape::Ready(TypeRef::Map(Box::new(value)));
        }
        // The map of other properties is a field too; no property may take its name.
        let reserved: &[&str] = if additional_ty.is_some() {
            &["additional_properties"]
        } else {
            &[]
        };
        let mut scope = Scope::with_reserved(reserved);
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, property) in properties {
            let at = origins
                .get(wire)
                .cloned()
                .unwrap_or_else(|| pointer.push("properties").push(wire));
            let field_hint = Hint::Property(&hint, wire);
            let ty = self.resolve_at_depth(Node::of_boxed(property), field_hint, &at, depth + 1);
            let (docs, deprecated, one_way) = match property {
                ReferenceOr::Item(s) => (
                    Docs::from_schema(&s.schema_data),
                    s.schema_data.deprecated,
                    s.schema_data.read_only || s.schema_data.write_only,
                ),
                ReferenceOr::Reference { .. } => (Docs::default(), false, false),
            };
            let default = match property {
                ReferenceOr::Item(s) => self.default_of(s, 0),
                ReferenceOr::Reference { reference } => self.default_behind(reference, 0),
            };
            let format_note = (ty.non_null() == &TypeRef::String
                && self.string_format_name(property).as_deref() == Some("byte"))
            .then_some(FormatNote::Base64);
            fields.push(Field {
                ident: {
                    let (ident, key) = self.field_names.get(wire);
                    scope.claim_keyed(ident, key)
                },
                wire: wire.clone(),
                ty,
                // A `readOnly` property is absent from requests and a `writeOnly` one from
                // responses, so one type serving both directions cannot require it.
                required: required.iter().any(|r| r == wire) && !one_way,
                docs,
                deprecated,
                boxed: false,
                format_note,
                default: default.map(|json| FieldDefault {
                    json,
                    value: None,
                    optional: true,
                    applicable: !one_way,
                }),
            });
        }
        let multipart = fields.iter().any(|f| contains_upload(&f.ty));
        let additional = additional_ty;
        Shape::NeedsName(TypeKind::Struct(StructDef {
            fields,
            additional,
            multipart,
        }))
    }

    fn union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        schema: &Schema,
        hint: Hint<'_>,
        pointer: Pointer,
        depth: usize,
    ) -> Shape {
        // `oneOf: [X]` and `oneOf: [X, {nullable}]`-style wrappers are just X.
        if members.len() == 1 {
            if let Some(member) = members.first() {
                return Shape::Ready(self.resolve_at_depth(
                    Node::of(member),
                    hint,
                    &pointer.push(0),
                    depth + 1,
                ));
            }
        }
        let mut scope = Scope::new();
        let mut variants = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let ty = self.resolve_at_depth(
                Node::of(member),
                Hint::Variant(&hint, i + 1),
                &pointer.push(i),
                depth + 1,
            );
            let wanted = self.variant_name(&ty, i);
            variants.push(Variant {
                ident: scope.claim(&wanted),
                ty,
                boxed: false,
            });
        }
        let discriminator = schema.schema_data.discriminator.as_ref().map(|d| {
            let mut mapping = Vec::new();
            for (wire, reference) in &d.mapping {
                let target = if reference.starts_with('#') {
                    reference.clone()
                } else {
                    format!("#/components/schemas/{reference}")
                };
                if let Some(i) = members.iter().position(
                    |m| matches!(m, ReferenceOr::Reference { reference } if *reference == target),
                ) {
                    mapping.push((wire.clone(), i));
                }
            }
            // Without an explicit mapping, the value is the component name of the variant.
            for (i, member) in members.iter().enumerate() {
                if let ReferenceOr::Reference { reference } = member {
                    if let Some(name) = reference.rsplit('/').next() {
                        if !mapping.iter().any(|(_, j)| *j == i) {
                            mapping.push((name.to_owned(), i));
                        }
                    }
                }
            }
            Discriminator {
                property: d.property_name.clone(),
                mapping,
            }
        });
        let discriminator = discriminator.filter(|d| !d.mapping.is_empty());
        Shape::NeedsName(TypeKind::Union(UnionDef {
            variants,
            discriminator,
        }))
    }

    fn variant_name(&self, ty: &TypeRef, index: usize) -> String {
        match ty.non_null() {
            TypeRef::Named(id) => self.space.defs[id.0].name.clone(),
            TypeRef::String => "String".into(),
            TypeRef::Bool => "Bool".into(),
            TypeRef::I32 | TypeRef::I64 => "Integer".into(),
            TypeRef::F32 | TypeRef::F64 => "Number".into(),
            TypeRef::DateTime => "DateTime".into(),
            TypeRef::Date => "Date".into(),
            TypeRef::Uuid => "Uuid".into(),
            TypeRef::List(_) => "List".into(),
            TypeRef::Map(_) => "Map".into(),
            _ => format!("Variant{}", index + 1),
        }
    }

    /// `allOf`: one member plus annotations is that member; objects are merged into one struct.
    fn all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        hint: Hint<'_>,
        pointer: &Pointer,
        depth: usize,
    ) -> Shape {
        let at = pointer.push("allOf");
        // Members that only annotate (`description`, `nullable`, bounds) add no shape.
        let shaped: Vec<(usize, &ReferenceOr<Schema>)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| !is_annotation_only(m))
            .collect();
        let nullable = members
            .iter()
            .any(|m| matches!(m, ReferenceOr::Item(s) if s.schema_data.nullable && is_annotation_only(m)));
        let with_null = |ty: TypeRef| if nullable { ty.nullable() } else { ty };
        match shaped.as_slice() {
            [] => return Shape::Ready(TypeRef::Any),
            [(i, member)] => {
                let ty = self.resolve_at_depth(Node::of(member), hint, &at.push(i), depth + 1);
                return Shape::Ready(with_null(ty));
            }
            _ => {}
        }
        let mut properties = Properties::default();
        let mut required = Vec::new();
        let mut origins = BTreeMap::new();
        let mut all_objects = true;
        for (i, member) in &shaped {
            let member_at = at.push(i);
            all_objects &= self.collect_members(
                member,
                &member_at,
                &mut properties,
                &mut required,
                &mut origins,
                depth,
            );
        }
        if all_objects {
            return self.object(&properties, &required, None, hint, pointer, depth, &origins);
        }
        // Several non-object members: sound only when they all mean the same type.
        let types: Vec<TypeRef> = shaped
            .iter()
            .map(|(i, member)| {
                self.resolve_at_depth(Node::of(member), hint, &at.push(i), depth + 1)
            })
            .collect();
        if types.windows(2).all(|w| w[0] == w[1]) {
            if let Some(first) = types.into_iter().next() {
                return Shape::Ready(with_null(first));
            }
        }
        self.warn(
            pointer,
            "`allOf` combines shapes that no single Rust type holds; using any JSON value",
        );
        Shape::Ready(TypeRef::Any)
    }

    /// Adds the properties of one `allOf` member; `false` when the member is not object-like.
    fn collect_members(
        &mut self,
        member: &ReferenceOr<Schema>,
        pointer: &Pointer,
        properties: &mut Properties,
        required: &mut Vec<String>,
        origins: &mut BTreeMap<String, Pointer>,
        depth: usize,
    ) -> bool {
        if depth > MAX_DEPTH {
            self.warn(pointer, "`allOf` nested too deeply");
            return false;
        }
        let (schema, schema_at) = match member {
            ReferenceOr::Reference { reference } => match self.schema_behind(reference, 0) {
                Some(found) => found,
                None => return false,
            },
            ReferenceOr::Item(schema) => (schema, pointer.clone()),
        };
        let (props, req, nested): (_, &[String], &[ReferenceOr<Schema>]) = match &schema.schema_kind
        {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required, &[]),
            SchemaKind::AllOf { all_of } => (&EMPTY_PROPERTIES, &[], all_of.as_slice()),
            SchemaKind::Any(any)
                if any.typ.as_deref().is_none_or(|t| t == "object")
                    && any.one_of.is_empty()
                    && any.any_of.is_empty() =>
            {
                (&any.properties, &any.required, any.all_of.as_slice())
            }
            _ => return false,
        };
        for (name, property) in props {
            properties.insert(name.clone(), property.clone());
            origins.insert(name.clone(), schema_at.push("properties").push(name));
        }
        for name in req {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
        let mut ok = true;
        for (i, inner) in nested.iter().enumerate() {
            let inner_at = schema_at.push("allOf").push(i);
            ok &= self.collect_members(inner, &inner_at, properties, required, origins, depth + 1);
        }
        ok
    }

    /// Finishes the space: settles where binary data is a file part, marks the fields and
    /// variants that need a `Box` to break cycles, and decides which defaults are filled in.
    /// `multipart_bodies` are the types operations send as `multipart/form-data`;
    /// `used_otherwise` every other type an operation names (parameters, other bodies,
    /// responses).
    pub fn finish(
        mut self,
        multipart_bodies: &[TypeId],
        used_otherwise: &[TypeId],
    ) -> (TypeSpace, Vec<Diagnostic>) {
        for def in &mut self.space.defs {
            if matches!(def.kind, TypeKind::Pending) {
                def.kind = TypeKind::Alias(TypeRef::Any);
            }
        }
        self.settle_uploads(multipart_bodies, used_otherwise);
        box_cycles(&mut self.space);
        let sent = self.sent_types();
        resolve_defaults(&mut self.space, &sent);
        (self.space, self.warnings)
    }
}

impl TypeBuilder<'_> {
    /// `format: binary` is a file part ([`TypeRef::Upload`], without serde) only as a
    /// top-level field (or list of them) of a struct that is a multipart body and nothing
    /// else. Anywhere else the bytes travel inside JSON, a form or a parameter, where they can
    /// only be a string: the type becomes `String`, sent and read unchanged, and the field's
    /// docs say so ([`FormatNote::BinaryText`]). A multipart body that is also used elsewhere
    /// is one serde type; its files are then sent as text parts, with a warning.
    fn settle_uploads(&mut self, multipart_bodies: &[TypeId], used_otherwise: &[TypeId]) {
        let space = &mut self.space;
        let mut referenced = vec![false; space.defs.len()];
        let mut refs: Vec<TypeId> = used_otherwise.to_vec();
        for def in &space.defs {
            match &def.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter().for_each(|f| named_refs(&f.ty, &mut refs));
                    s.additional.iter().for_each(|a| named_refs(a, &mut refs));
                }
                TypeKind::Union(u) => u.variants.iter().for_each(|v| named_refs(&v.ty, &mut refs)),
                TypeKind::Alias(ty) => named_refs(ty, &mut refs),
                _ => {}
            }
        }
        for id in refs {
            if let Some(seen) = referenced.get_mut(id.0) {
                *seen = true;
            }
        }
        let mut is_body = vec![false; space.defs.len()];
        for id in multipart_bodies {
            if let Some(body) = is_body.get_mut(id.0) {
                *body = true;
            }
        }
        let file_part = |ty: &TypeRef| match ty.non_null() {
            TypeRef::Upload => true,
            TypeRef::List(inner) => **inner == TypeRef::Upload,
            _ => false,
        };
        for (i, def) in space.defs.iter_mut().enumerate() {
            let body = is_body[i];
            let files = body && !referenced[i];
            match &mut def.kind {
                TypeKind::Struct(s) => {
                    let mut demoted = false;
                    for field in &mut s.fields {
                        if files && file_part(&field.ty) {
                            continue;
                        }
                        let top = file_part(&field.ty);
                        if uploads_to_text(&mut field.ty) {
                            field.format_note = Some(FormatNote::BinaryText);
                            demoted |= top;
                        }
                    }
                    if let Some(additional) = &mut s.additional {
                        uploads_to_text(additional);
                    }
                    s.multipart = files && s.fields.iter().any(|f| file_part(&f.ty));
                    if demoted && body {
                        self.warnings.push(Diagnostic::warning(
                            self.file,
                            &def.pointer,
                            "this schema is a multipart body and is also used elsewhere, so it is one serde type: its `format: binary` properties are strings, sent as text parts",
                        ));
                    }
                }
                TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| {
                    uploads_to_text(&mut v.ty);
                }),
                TypeKind::Alias(ty) => {
                    uploads_to_text(ty);
                }
                _ => {}
            }
        }
    }

    /// Which types the client sends: those a request body or a parameter uses, directly or
    /// through fields, variants, items and aliases. Every request body and parameter of the
    /// document counts (even one no operation uses), so this errs towards "sent", which only
    /// keeps more defaulted fields an `Option`.
    fn sent_types(&self) -> Vec<bool> {
        let space = &self.space;
        let mut sent = vec![false; space.defs.len()];
        let mut stack: Vec<TypeId> = Vec::new();
        // Inline schemas of request bodies and parameters, named after where they stand.
        for (i, def) in space.defs.iter().enumerate() {
            let p = def.pointer.as_str();
            let inline_in_request = p.starts_with("#/paths/")
                && (p.contains("/requestBody/") || p.contains("/parameters/"));
            if inline_in_request
                || p.starts_with("#/components/requestBodies/")
                || p.starts_with("#/components/parameters/")
            {
                stack.push(TypeId(i));
            }
        }
        // Component schemas a request body or parameter names with `$ref`, at any depth.
        let mut values = Vec::new();
        for (_, item) in self.doc.paths.iter() {
            if let ReferenceOr::Item(item) = item {
                values.extend(serde_json::to_value(&item.parameters).ok());
                for (_, op) in item.iter() {
                    values.extend(serde_json::to_value(&op.parameters).ok());
                    values.extend(serde_json::to_value(&op.request_body).ok());
                }
            }
        }
        if let Some(components) = &self.doc.components {
            values.extend(serde_json::to_value(&components.parameters).ok());
            values.extend(serde_json::to_value(&components.request_bodies).ok());
        }
        let mut pending: Vec<&serde_json::Value> = values.iter().collect();
        while let Some(value) = pending.pop() {
            match value {
                serde_json::Value::Object(map) => {
                    let name = map
                        .get("$ref")
                        .and_then(serde_json::Value::as_str)
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        .and_then(|rest| rest.split('/').next());
                    if let Some(name) = name {
                        stack.extend(space.components.get(&*unescape(name)).copied());
                    }
                    pending.extend(map.values());
                }
                serde_json::Value::Array(items) => pending.extend(items),
                _ => {}
            }
        }
        while let Some(id) = stack.pop() {
            match sent.get_mut(id.0) {
                Some(seen @ false) => *seen = true,
                _ => continue,
            }
            let mut refs = Vec::new();
            match &space.defs[id.0].kind {
                TypeKind::Struct(s) => {
                    s.fields.iter().for_each(|f| named_refs(&f.ty, &mut refs));
                    if let Some(additional) = &s.additional {
                        named_refs(additional, &mut refs);
                    }
                }
                TypeKind::Union(u) => u.variants.iter().for_each(|v| named_refs(&v.ty, &mut refs)),
                TypeKind::Alias(ty) => named_refs(ty, &mut refs),
                _ => {}
            }
            stack.extend(refs);
        }
        sent
    }
}

/// A JSON pointer segment unescaped (`~1` is `/`, `~0` is `~`); most have nothing to unescape.
fn unescape(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains('~') {
        segment.replace("~1", "/").replace("~0", "~").into()
    } else {
        segment.into()
    }
}

/// Replaces every file part in `ty` by `String` (see [`TypeBuilder::finish`]); whether there
/// was one.
pub fn uploads_to_text(ty: &mut TypeRef) -> bool {
    match ty {
        TypeRef::Upload => {
            *ty = TypeRef::String;
            true
        }
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            uploads_to_text(inner)
        }
        _ => false,
    }
}

/// The schema of a parameter or a header (`schema`, or `content/<media type>/schema`) at the
/// start of `rest`, and how many segments of it that took.
fn format_schema<'s>(
    format: &'s ParameterSchemaOrContent,
    rest: &[String],
) -> Option<(Node<'s>, usize)> {
    match (format, rest.first()?.as_str()) {
        (ParameterSchemaOrContent::Schema(schema), "schema") => Some((Node::of(schema), 1)),
        (ParameterSchemaOrContent::Content(content), "content") => content_schema(content, rest),
        _ => None,
    }
}

/// The schema of a body, `content/<media type>/schema` at the start of `rest`.
fn content_schema<'s>(
    content: &'s indexmap::IndexMap<String, MediaType>,
    rest: &[String],
) -> Option<(Node<'s>, usize)> {
    match rest {
        [content_key, media, schema_key, ..]
            if content_key == "content" && schema_key == "schema" =>
        {
            Some((Node::of(content.get(media)?.schema.as_ref()?), 3))
        }
        _ => None,
    }
}

/// The schema of a response's body or of one of its headers, at the start of `rest`.
fn response_schema<'s>(response: &'s Response, rest: &[String]) -> Option<(Node<'s>, usize)> {
    match rest.first()?.as_str() {
        "content" => content_schema(&response.content, rest),
        "headers" => {
            let header = response.headers.get(rest.get(1)?)?.as_item()?;
            let (node, used) = format_schema(&header.format, rest.get(2..)?)?;
            Some((node, 2 + used))
        }
        _ => None,
    }
}

/// Replaces, through `ty`, each inline repeat by the definition it repeats.
fn first_definition(ty: &mut TypeRef, repeats: &HashMap<TypeId, TypeId>) {
    match ty {
        TypeRef::Named(id) => {
            if let Some(first) = repeats.get(id) {
                *id = *first;
            }
        }
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            first_definition(inner, repeats)
        }
        _ => {}
    }
}

/// Every named type a use of a schema mentions, through lists, maps and `Nullable`.
pub(crate) fn named_refs(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            named_refs(inner, out)
        }
        _ => {}
    }
}

/// The map `openapiv3` uses for `properties`.
type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

static EMPTY_PROPERTIES: std::sync::LazyLock<Properties> =
    std::sync::LazyLock::new(Properties::default);

/// A node met while walking a pointer: a schema, or a `$ref` still to follow.
#[derive(Clone, Copy)]
enum Node<'a> {
    Schema(&'a Schema),
    Ref(&'a str),
}

impl<'a> Node<'a> {
    fn of(schema: &'a ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Item(schema) => Node::Schema(schema),
            ReferenceOr::Reference { reference } => Node::Ref(reference),
        }
    }

    fn of_boxed(schema: &'a ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Item(schema) => Node::Schema(schema),
            ReferenceOr::Reference { reference } => Node::Ref(reference),
        }
    }
}

enum Shape {
    /// A standard shape, usable without a name.
    Ready(TypeRef),
    /// A shape that needs a named type.
    NeedsName(TypeKind),
}

fn enum_values(values: &[String]) -> Vec<EnumValue> {
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut seen = std::collections::BTreeSet::new();
    values
        .iter()
        .filter(|v| seen.insert(v.as_str()))
        .map(|wire| EnumValue {
            ident: scope.claim(&names::camel(wire)),
            wire: wire.clone(),
        })
        .collect()
}

/// An integer enum's kind: listed values deduplicated (first one wins), each named after the
/// document's `x-enum-varnames` (or `x-enumNames`) when it gives one name per value, else
/// after the value itself (`1` → `V1`, `-1` → `Minus1`).
fn integer_enum(values: &[i64], int32: bool, data: &openapiv3::SchemaData) -> TypeKind {
    let given: Option<Vec<&str>> = ["x-enum-varnames", "x-enumNames"]
        .iter()
        .filter_map(|key| data.extensions.get(*key)?.as_array())
        .map(|names| names.iter().filter_map(serde_json::Value::as_str).collect())
        .find(|names: &Vec<&str>| names.len() == values.len());
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut seen = std::collections::BTreeSet::new();
    let values: Vec<IntegerValue> = values
        .iter()
        .enumerate()
        .filter(|(_, value)| seen.insert(**value))
        .map(|(i, &value)| {
            let wanted = given
                .as_ref()
                .and_then(|names| names.get(i))
                .map(|name| names::camel(name.trim()))
                // A name that is only punctuation would camel-case to the placeholder `Value`.
                .filter(|name| name != "Value")
                .unwrap_or_else(|| names::camel(&value.to_string()));
            IntegerValue {
                ident: scope.claim(&wanted),
                value,
            }
        })
        .collect();
    let fits = values.iter().all(|v| i32::try_from(v.value).is_ok());
    let repr = if int32 && fits {
        TypeRef::I32
    } else {
        TypeRef::I64
    };
    TypeKind::IntegerEnum { values, repr }
}

/// Decides, for every field with a `default`, whether decoding fills it in (see
/// [`FieldDefault::value`]) and whether it stays an `Option` ([`FieldDefault::optional`]).
/// Runs once all types are defined, since a field's type may be a component defined after
/// the struct that uses it.
fn resolve_defaults(space: &mut TypeSpace, sent: &[bool]) {
    for i in 0..space.defs.len() {
        let optional = sent.get(i).copied().unwrap_or(true);
        let TypeKind::Struct(s) = &space.defs[i].kind else {
            continue;
        };
        // Multipart bodies are only ever sent, field by field, without serde.
        if s.multipart {
            continue;
        }
        let values: Vec<Option<DefaultValue>> = s
            .fields
            .iter()
            .map(|field| {
                let default = field.default.as_ref()?;
                if !default.applicable || field.required || field.ty.is_nullable() {
                    return None;
                }
                default_value(space, &field.ty, &default.json, 0)
            })
            .collect();
        if let TypeKind::Struct(s) = &mut space.defs[i].kind {
            for (field, value) in s.fields.iter_mut().zip(values) {
                if let Some(default) = &mut field.default {
                    default.value = value;
                    default.optional = optional;
                }
            }
        }
    }
}

/// `json` as a value of type `ty`, if it is one of the simple kinds Rust can write directly.
fn default_value(
    space: &TypeSpace,
    ty: &TypeRef,
    json: &serde_json::Value,
    depth: usize,
) -> Option<DefaultValue> {
    use serde_json::Value;
    match (ty, json) {
        (TypeRef::String, Value::String(s)) => Some(DefaultValue::String(s.clone())),
        (TypeRef::Bool, Value::Bool(b)) => Some(DefaultValue::Bool(*b)),
        (TypeRef::I32, Value::Number(n)) => n
            .as_i64()
            .filter(|v| i32::try_from(*v).is_ok())
            .map(DefaultValue::Integer),
        (TypeRef::I64, Value::Number(n)) => n.as_i64().map(DefaultValue::Integer),
        (TypeRef::F32, Value::Number(n)) => n
            .as_f64()
            .filter(|v| (*v as f32).is_finite())
            .map(DefaultValue::Number),
        (TypeRef::F64, Value::Number(n)) => n
            .as_f64()
            .filter(|v| v.is_finite())
            .map(DefaultValue::Number),
        (TypeRef::Named(id), _) => match &space.defs.get(id.0)?.kind {
            TypeKind::Enum(values) => {
                let wire = json.as_str()?;
                let value = values.iter().find(|v| v.wire == wire)?;
                Some(DefaultValue::Variant(*id, value.ident.clone()))
            }
            TypeKind::IntegerEnum { values, .. } => {
                let wanted = json.as_i64()?;
                let value = values.iter().find(|v| v.value == wanted)?;
                Some(DefaultValue::Variant(*id, value.ident.clone()))
            }
            // Aliases can form cycles (`A: {$ref: B}`, `B: {$ref: A}`), hence the bound.
            TypeKind::Alias(inner) if depth < MAX_DEPTH && !inner.is_nullable() => {
                default_value(space, inner, json, depth + 1)
            }
            _ => None,
        },
        _ => None,
    }
}

/// A schema with no structural keywords: only docs, `nullable`, examples or bounds.
fn is_annotation_only(schema: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = schema else {
        return false;
    };
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return false;
    };
    any.typ.is_none()
        && any.properties.is_empty()
        && any.additional_properties.is_none()
        && any.items.is_none()
        && any.enumeration.is_empty()
        && any.format.is_none()
        && any.one_of.is_empty()
        && any.all_of.is_empty()
        && any.any_of.is_empty()
        && any.not.is_none()
}

fn contains_upload(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Upload => true,
        TypeRef::List(inner) | TypeRef::Nullable(inner) => contains_upload(inner),
        _ => false,
    }
}

/// Direct (unboxed) references from one type to others, for cycle detection.
fn direct_refs(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Nullable(inner) => direct_refs(inner, out),
        // Vec and map values live on the heap already.
        _ => {}
    }
}

/// Marks every field or variant whose type leads back to its own type without indirection.
/// Strongly connected components (Tarjan, iterative) find all such cycles in linear time.
fn box_cycles(space: &mut TypeSpace) {
    let n = space.defs.len();
    let edges: Vec<Vec<TypeId>> = space
        .defs
        .iter()
        .map(|def| {
            let mut out = Vec::new();
            match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().for_each(|f| direct_refs(&f.ty, &mut out)),
                TypeKind::Union(u) => u.variants.iter().for_each(|v| direct_refs(&v.ty, &mut out)),
                TypeKind::Alias(ty) => direct_refs(ty, &mut out),
                _ => {}
            }
            out
        })
        .collect();
    let component = strongly_connected(&edges);
    let same_cycle = |from: usize, ty: &TypeRef| {
        let mut refs = Vec::new();
        direct_refs(ty, &mut refs);
        refs.iter().any(|to| {
            component[from] == component[to.0] && (from != to.0 || edges[from].contains(to))
        })
    };
    let _ = n;
    for i in 0..space.defs.len() {
        let cyclic: Vec<bool> = match &space.defs[i].kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| same_cycle(i, &f.ty)).collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| same_cycle(i, &v.ty)).collect(),
            _ => continue,
        };
        match &mut space.defs[i].kind {
            TypeKind::Struct(s) => s
                .fields
                .iter_mut()
                .zip(cyclic)
                .for_each(|(f, c)| f.boxed = c),
            TypeKind::Union(u) => u
                .variants
                .iter_mut()
                .zip(cyclic)
                .for_each(|(v, c)| v.boxed = c),
            _ => {}
        }
    }
}

/// Tarjan's algorithm without recursion: returns the component index of every node.
fn strongly_connected(edges: &[Vec<TypeId>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNVISITED; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        // Each frame: (node, position of the next edge to follow).
        let mut frames = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = frames.last_mut() {
            if let Some(next) = edges[node].get(*edge).map(|t| t.0) {
                *edge += 1;
                if next >= n {
                    continue;
                }
                if index[next] == UNVISITED {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}
