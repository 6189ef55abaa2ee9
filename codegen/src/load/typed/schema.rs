//! Schemas read by hand, into exactly what `openapiv3` would read.
//!
//! Schemas are most of a large document, and `openapiv3` reads each level of one three times
//! over: a schema is two `#[serde(flatten)]` halves, so its map is first copied into serde's
//! intermediate form, then read once for the annotations and once for the kind, and a
//! `ReferenceOr` (untagged) copies it once more before that. Reading the common shape
//! directly from the value takes a fraction of the time and none of the copies.
//!
//! It reads from a borrowed value and copies what it keeps, like the rest of `typed`. Moving
//! the value's strings in instead was tried: more instructions (every level's map is taken
//! apart), a higher peak, and a slower model stage after it.
//!
//! The rule that keeps this honest: a schema is read here only where every field it holds
//! has the type `openapiv3` expects, so that there is one possible reading. Anything else
//! (a field of another type, a schema that is not a map) is handed to `openapiv3` for that
//! node, which reads it, or fails where it would have failed. The corpus test that compares
//! the model read in parts with the model `openapiv3` reads whole covers this reader too.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, IntegerType, NumberType, ObjectType,
    ReferenceOr, Schema, SchemaData, SchemaKind, StringType, Type,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Number, Value};

/// A schema or a reference to one; `None` when it does not fit the model.
pub(super) fn schema_or_reference(value: &Value) -> Option<ReferenceOr<Schema>> {
    if !usual(value) {
        return ReferenceOr::deserialize(value).ok();
    }
    let Value::Object(object) = value else {
        return None;
    };
    // As `ReferenceOr` reads: any map with a string `$ref` is a reference, whatever else it
    // holds.
    if let Some(Value::String(reference)) = object.get("$ref") {
        return Some(ReferenceOr::Reference {
            reference: reference.clone(),
        });
    }
    let mut data = SchemaData::default();
    let mut raw = Raw::default();
    for (key, value) in object {
        // `usual` checked each field's type: what does not read here is `null`, an absent
        // field.
        match key.as_str() {
            "nullable" => data.nullable = value.as_bool()?,
            "readOnly" => data.read_only = value.as_bool()?,
            "writeOnly" => data.write_only = value.as_bool()?,
            "deprecated" => data.deprecated = value.as_bool()?,
            "externalDocs" => data.external_docs = through_openapiv3(value)?,
            "example" => data.example = not_null(value),
            "title" => data.title = string(value),
            "description" => data.description = string(value),
            "discriminator" => data.discriminator = through_openapiv3(value)?,
            "default" => data.default = not_null(value),
            "type" => raw.typ = string(value),
            "pattern" => raw.pattern = string(value),
            "format" => raw.format = string(value),
            "multipleOf" => raw.multiple_of = number(value),
            "minimum" => raw.minimum = number(value),
            "maximum" => raw.maximum = number(value),
            "exclusiveMinimum" => raw.exclusive_minimum = value.as_bool(),
            "exclusiveMaximum" => raw.exclusive_maximum = value.as_bool(),
            "uniqueItems" => raw.unique_items = value.as_bool(),
            "minProperties" => raw.min_properties = size(value),
            "maxProperties" => raw.max_properties = size(value),
            "minItems" => raw.min_items = size(value),
            "maxItems" => raw.max_items = size(value),
            "minLength" => raw.min_length = size(value),
            "maxLength" => raw.max_length = size(value),
            "required" => raw.required = strings(value),
            "enum" => raw.enumeration = list(value),
            "properties" => {
                raw.properties = match value {
                    Value::Object(properties) => Some(
                        properties
                            .iter()
                            .map(|(name, value)| Some((name.clone(), boxed(value)?)))
                            .collect::<Option<_>>()?,
                    ),
                    _ => None,
                }
            }
            "additionalProperties" => {
                raw.additional_properties = match value {
                    Value::Bool(any) => Some(AdditionalProperties::Any(*any)),
                    Value::Object(_) => Some(AdditionalProperties::Schema(Box::new(
                        schema_or_reference(value)?,
                    ))),
                    _ => None,
                }
            }
            "items" if value.is_object() => raw.items = Some(boxed(value)?),
            "not" if value.is_object() => raw.not = Some(Box::new(schema_or_reference(value)?)),
            "oneOf" => raw.one_of = schemas(value)?,
            "allOf" => raw.all_of = schemas(value)?,
            "anyOf" => raw.any_of = schemas(value)?,
            _ if key.starts_with("x-") => {
                data.extensions.insert(key.clone(), value.clone());
            }
            // `openapiv3` ignores any other field (and an `items` or `not` of `null`).
            _ => {}
        }
    }
    Some(ReferenceOr::Item(Schema {
        schema_data: data,
        schema_kind: raw.kind(),
    }))
}

/// A boxed schema or reference, as `properties` and `items` hold them.
fn boxed(value: &Value) -> Option<ReferenceOr<Box<Schema>>> {
    Some(match schema_or_reference(value)? {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(schema) => ReferenceOr::Item(Box::new(schema)),
    })
}

/// A list of schemas (`oneOf`…): `Some(None)` for `null`.
fn schemas(value: &Value) -> Option<Option<Vec<ReferenceOr<Schema>>>> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(schema_or_reference)
            .collect::<Option<_>>()
            .map(Some),
        _ => Some(None),
    }
}

/// Whether `value` is a map whose fields each have the type `openapiv3` reads them as (or
/// `null`, an absent field), so that reading it by hand cannot go wrong at this level.
/// Nested schemas are checked as they are read; `externalDocs` and `discriminator` are read
/// by `openapiv3` itself.
fn usual(value: &Value) -> bool {
    let Value::Object(object) = value else {
        return false;
    };
    if let Some(reference) = object.get("$ref") {
        return reference.is_string();
    }
    object.iter().all(|(key, value)| {
        let fits = match key.as_str() {
            "nullable" | "readOnly" | "writeOnly" | "deprecated" => return value.is_boolean(),
            "title" | "description" | "type" | "pattern" | "format" => value.is_string(),
            "multipleOf" | "minimum" | "maximum" => value.is_number(),
            "exclusiveMinimum" | "exclusiveMaximum" | "uniqueItems" => value.is_boolean(),
            "minProperties" | "maxProperties" | "minItems" | "maxItems" | "minLength"
            | "maxLength" => size(value).is_some(),
            "required" => value
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string)),
            "enum" | "oneOf" | "allOf" | "anyOf" => value.is_array(),
            "properties" | "items" | "not" => value.is_object(),
            "additionalProperties" => value.is_object() || value.is_boolean(),
            _ => true,
        };
        fits || value.is_null()
    })
}

/// The fields a schema's kind is made from, as read (a `null` is an absent field).
#[derive(Default)]
struct Raw {
    typ: Option<String>,
    pattern: Option<String>,
    multiple_of: Option<Number>,
    exclusive_minimum: Option<bool>,
    exclusive_maximum: Option<bool>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    properties: Option<IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: Option<Vec<String>>,
    additional_properties: Option<AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    items: Option<ReferenceOr<Box<Schema>>>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: Option<bool>,
    enumeration: Option<Vec<Value>>,
    format: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    one_of: Option<Vec<ReferenceOr<Schema>>>,
    all_of: Option<Vec<ReferenceOr<Schema>>>,
    any_of: Option<Vec<ReferenceOr<Schema>>>,
    not: Option<Box<ReferenceOr<Schema>>>,
}

impl Raw {
    /// The kind `openapiv3` makes of these fields: a `type` with only the fields of that type
    /// (and `enum` values of it) is that type; a lone `oneOf`, `allOf`, `anyOf` or `not` is
    /// that combination; anything else is an "any" schema that keeps every field.
    fn kind(self) -> SchemaKind {
        let string_fields =
            self.pattern.is_some() || self.min_length.is_some() || self.max_length.is_some();
        let number_fields = self.multiple_of.is_some()
            || self.exclusive_minimum.is_some()
            || self.exclusive_maximum.is_some()
            || self.minimum.is_some()
            || self.maximum.is_some();
        let object_fields = self.properties.is_some()
            || self.required.is_some()
            || self.additional_properties.is_some()
            || self.min_properties.is_some()
            || self.max_properties.is_some();
        let array_fields = self.items.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
            || self.unique_items.is_some();
        let combinations = [
            self.one_of.is_some(),
            self.all_of.is_some(),
            self.any_of.is_some(),
            self.not.is_some(),
        ];
        let combined = combinations.iter().any(|&c| c);
        let enum_of = |test: fn(&Value) -> bool| {
            self.enumeration
                .iter()
                .flatten()
                .all(|value| value.is_null() || test(value))
        };
        let integral = |number: &Option<Number>| number.as_ref().is_none_or(Number::is_i64);
        match self.typ.as_deref() {
            Some("string")
                if !number_fields
                    && !object_fields
                    && !array_fields
                    && !combined
                    && enum_of(Value::is_string) =>
            {
                SchemaKind::Type(Type::String(StringType {
                    format: self.format.into(),
                    pattern: self.pattern,
                    enumeration: enumeration(self.enumeration, |v| v.as_str().map(str::to_owned)),
                    min_length: self.min_length,
                    max_length: self.max_length,
                }))
            }
            Some("number")
                if !string_fields
                    && !object_fields
                    && !array_fields
                    && !combined
                    && enum_of(Value::is_number) =>
            {
                SchemaKind::Type(Type::Number(NumberType {
                    format: self.format.into(),
                    multiple_of: self.multiple_of.as_ref().and_then(Number::as_f64),
                    exclusive_minimum: self.exclusive_minimum.unwrap_or_default(),
                    exclusive_maximum: self.exclusive_maximum.unwrap_or_default(),
                    minimum: self.minimum.as_ref().and_then(Number::as_f64),
                    maximum: self.maximum.as_ref().and_then(Number::as_f64),
                    enumeration: enumeration(self.enumeration, Value::as_f64),
                }))
            }
            Some("integer")
                if !string_fields
                    && !object_fields
                    && !array_fields
                    && !combined
                    && enum_of(Value::is_i64)
                    && integral(&self.multiple_of)
                    && integral(&self.minimum)
                    && integral(&self.maximum) =>
            {
                SchemaKind::Type(Type::Integer(IntegerType {
                    format: self.format.into(),
                    multiple_of: self.multiple_of.as_ref().and_then(Number::as_i64),
                    exclusive_minimum: self.exclusive_minimum.unwrap_or_default(),
                    exclusive_maximum: self.exclusive_maximum.unwrap_or_default(),
                    minimum: self.minimum.as_ref().and_then(Number::as_i64),
                    maximum: self.maximum.as_ref().and_then(Number::as_i64),
                    enumeration: enumeration(self.enumeration, Value::as_i64),
                }))
            }
            Some("boolean")
                if !string_fields
                    && !number_fields
                    && !object_fields
                    && !array_fields
                    && !combined
                    && self.format.is_none()
                    && enum_of(Value::is_boolean) =>
            {
                SchemaKind::Type(Type::Boolean(BooleanType {
                    enumeration: enumeration(self.enumeration, Value::as_bool),
                }))
            }
            Some("object")
                if !string_fields
                    && !number_fields
                    && !array_fields
                    && !combined
                    && self.format.is_none()
                    && self.enumeration.is_none() =>
            {
                SchemaKind::Type(Type::Object(ObjectType {
                    properties: self.properties.unwrap_or_default(),
                    required: self.required.unwrap_or_default(),
                    additional_properties: self.additional_properties,
                    min_properties: self.min_properties,
                    max_properties: self.max_properties,
                }))
            }
            Some("array")
                if !string_fields
                    && !number_fields
                    && !object_fields
                    && !combined
                    && self.format.is_none()
                    && self.enumeration.is_none() =>
            {
                SchemaKind::Type(Type::Array(ArrayType {
                    items: self.items,
                    min_items: self.min_items,
                    max_items: self.max_items,
                    unique_items: self.unique_items.unwrap_or_default(),
                }))
            }
            None if !string_fields
                && !number_fields
                && !object_fields
                && !array_fields
                && self.format.is_none()
                && self.enumeration.is_none()
                && combinations.iter().filter(|&&c| c).count() == 1 =>
            {
                match (self.one_of, self.all_of, self.any_of, self.not) {
                    (Some(one_of), None, None, None) => SchemaKind::OneOf { one_of },
                    (None, Some(all_of), None, None) => SchemaKind::AllOf { all_of },
                    (None, None, Some(any_of), None) => SchemaKind::AnyOf { any_of },
                    (None, None, None, Some(not)) => SchemaKind::Not { not },
                    // Not reached (exactly one of them is set), but read as any other
                    // mixture would be.
                    (one_of, all_of, any_of, not) => Raw {
                        one_of,
                        all_of,
                        any_of,
                        not,
                        ..self
                    }
                    .any(),
                }
            }
            _ => self.any(),
        }
    }

    /// An "any" schema keeping every field, as `openapiv3` reads whatever fits no kind.
    fn any(self) -> SchemaKind {
        SchemaKind::Any(AnySchema {
            typ: self.typ,
            pattern: self.pattern,
            multiple_of: self.multiple_of.as_ref().and_then(Number::as_f64),
            exclusive_minimum: self.exclusive_minimum,
            exclusive_maximum: self.exclusive_maximum,
            minimum: self.minimum.as_ref().and_then(Number::as_f64),
            maximum: self.maximum.as_ref().and_then(Number::as_f64),
            properties: self.properties.unwrap_or_default(),
            required: self.required.unwrap_or_default(),
            additional_properties: self.additional_properties,
            min_properties: self.min_properties,
            max_properties: self.max_properties,
            items: self.items,
            min_items: self.min_items,
            max_items: self.max_items,
            unique_items: self.unique_items,
            enumeration: self.enumeration.unwrap_or_default(),
            format: self.format,
            min_length: self.min_length,
            max_length: self.max_length,
            one_of: self.one_of.unwrap_or_default(),
            all_of: self.all_of.unwrap_or_default(),
            any_of: self.any_of.unwrap_or_default(),
            not: self.not,
        })
    }
}

/// `enum` values as a type's list: `null` is `None`, every other value the caller's reading
/// (the kind is chosen only when every value reads).
fn enumeration<T>(
    values: Option<Vec<Value>>,
    read: impl Fn(&Value) -> Option<T>,
) -> Vec<Option<T>> {
    values
        .into_iter()
        .flatten()
        .map(|value| if value.is_null() { None } else { read(&value) })
        .collect()
}

/// A field of any JSON value; `null` is absent.
fn not_null(value: &Value) -> Option<Value> {
    Some(value).filter(|value| !value.is_null()).cloned()
}

fn string(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        _ => None,
    }
}

fn number(value: &Value) -> Option<Number> {
    match value {
        Value::Number(number) => Some(number.clone()),
        _ => None,
    }
}

fn list(value: &Value) -> Option<Vec<Value>> {
    match value {
        Value::Array(items) => Some(items.clone()),
        _ => None,
    }
}

/// A non-negative integer, as `usize` reads one (not `1.0`).
fn size(value: &Value) -> Option<usize> {
    value.as_u64().and_then(|size| usize::try_from(size).ok())
}

fn strings(value: &Value) -> Option<Vec<String>> {
    value.as_array()?.iter().map(string).collect()
}

/// A rarely seen nested object (`externalDocs`, `discriminator`), read by `openapiv3`:
/// `Some(None)` for `null`, `None` when it does not fit the model.
fn through_openapiv3<T: DeserializeOwned>(value: &Value) -> Option<Option<T>> {
    match value {
        Value::Null => Some(None),
        value => T::deserialize(value).ok().map(Some),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Each schema is read as `openapiv3` reads it: the same result, the same order.
    #[track_caller]
    fn reads_as_openapiv3(schema: &Value) {
        let by_hand = schema_or_reference(schema);
        let by_openapiv3 = ReferenceOr::<Schema>::deserialize(schema).ok();
        let written = |read: &Option<ReferenceOr<Schema>>| serde_json::to_string(read).ok();
        assert!(
            by_hand == by_openapiv3 && written(&by_hand) == written(&by_openapiv3),
            "{schema}:\n by hand {by_hand:#?}\n openapiv3 {by_openapiv3:#?}"
        );
    }

    #[test]
    fn each_type_is_read_as_openapiv3_reads_it() {
        for schema in [
            json!({"type": "string", "format": "date-time", "enum": ["a", null], "minLength": 1}),
            json!({"type": "string", "format": "custom", "pattern": "^a$", "maxLength": 3}),
            json!({"type": "number", "multipleOf": 0.5, "exclusiveMinimum": true, "enum": [1, 2.5]}),
            json!({"type": "integer", "format": "int64", "minimum": -3, "maximum": 7, "enum": [null, 1]}),
            json!({"type": "boolean", "enum": [true, null], "default": false}),
            json!({"type": "object", "properties": {"a": {"$ref": "#/x", "description": "d"},
                "b": {"type": "string"}}, "required": ["a"], "additionalProperties": false,
                "minProperties": 1}),
            json!({"type": "object", "additionalProperties": {"type": "string"}, "maxProperties": 2}),
            json!({"type": "array", "items": {"type": "integer"}, "uniqueItems": true, "minItems": 0}),
            json!({"oneOf": [{"$ref": "#/a"}, {"type": "string"}]}),
            json!({"allOf": [{"$ref": "#/a"}], "description": "all"}),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true}),
            json!({"not": {"type": "string"}}),
            json!({"$ref": "#/components/schemas/A", "description": "ignored", "type": 5}),
        ] {
            reads_as_openapiv3(&schema);
        }
    }

    #[test]
    fn a_schema_that_fits_no_type_is_read_as_any_with_every_field() {
        for schema in [
            json!({}),
            json!({"type": "string", "minimum": 1}),
            json!({"type": "integer", "minimum": 1.5}),
            json!({"type": "integer", "maximum": 18_446_744_073_709_551_615_u64}),
            json!({"type": "integer", "enum": [1, "a"]}),
            json!({"type": "boolean", "format": "flag"}),
            json!({"type": "array", "format": "csv", "items": {"type": "string"}}),
            json!({"type": "object", "enum": [{}]}),
            json!({"type": "null"}),
            json!({"type": "object", "allOf": [{"$ref": "#/a"}], "properties": {"b": {}}}),
            json!({"oneOf": [], "anyOf": []}),
            json!({"format": "uuid"}),
            // Not a reference: a schema with an unknown field.
            json!({"$ref": 5, "type": "string"}),
            json!({"multipleOf": 3, "minLength": 2, "items": {}, "not": {}}),
        ] {
            reads_as_openapiv3(&schema);
        }
    }

    #[test]
    fn annotations_nulls_and_unknown_fields_are_read_as_openapiv3_reads_them() {
        for schema in [
            json!({"type": null, "description": null, "example": null, "default": null,
                "items": null, "enum": null, "x-null": null, "minLength": null}),
            json!({"type": "string", "title": "t", "readOnly": true, "writeOnly": false,
                "deprecated": true, "example": {"a": [1, null]}, "x-b": [1], "x-a": "first?",
                "externalDocs": {"url": "https://e.x", "x-e": 1},
                "xml": {"name": "n"}, "const": "c", "$schema": "s"}),
            json!({"type": "object", "discriminator": {"propertyName": "kind",
                "mapping": {"a": "#/components/schemas/A"}}, "properties": {"kind": {}}}),
        ] {
            reads_as_openapiv3(&schema);
        }
    }

    #[test]
    fn what_openapiv3_cannot_read_is_not_read_by_hand_either() {
        for schema in [
            json!(true),
            json!("string"),
            json!([{"type": "string"}]),
            json!({"nullable": "yes"}),
            json!({"nullable": null}),
            json!({"minLength": -1}),
            json!({"minLength": 1.0}),
            json!({"required": [1]}),
            json!({"required": "a"}),
            json!({"properties": []}),
            json!({"items": [{"type": "string"}]}),
            json!({"additionalProperties": "yes"}),
            json!({"discriminator": {"mapping": {}}}),
            json!({"externalDocs": "https://e.x"}),
            json!({"type": "object", "properties": {"a": {"type": "string", "minLength": "x"}}}),
            json!({"type": "array", "items": {"oneOf": [{"title": 1}]}}),
        ] {
            reads_as_openapiv3(&schema);
            assert_eq!(schema_or_reference(&schema), None, "{schema}");
        }
    }
}
