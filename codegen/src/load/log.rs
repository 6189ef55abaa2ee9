//! The diagnostics of one load, and a tally of the repairs made on the way.
//!
//! Every stage of the loader writes into one [`Log`], so a run reports all its problems
//! together instead of stopping at the first.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use crate::{Diagnostic, Pointer, Severity};

/// A kind of repair the loader made to a document so that it could be read. Each repair is
/// counted in [`super::Loaded::repairs`]; most also produce a warning (see each variant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Repair {
    /// A YAML mapping key that is an integer (`200:`), converted to its text. No warning:
    /// status codes written without quotes are common and unambiguous.
    YamlIntegerKey,
    /// A YAML mapping key that is a boolean, float or null, converted to its text.
    YamlScalarKey,
    /// A YAML tag (`!foo`) removed: tags carry no meaning in OpenAPI. No warning.
    YamlTag,
    /// `openapi: 3.0` given as a number or without a patch version.
    VersionFormat,
    /// A required top-level field (`info`, `info.title`, `info.version`, `paths`) added empty.
    MissingRequiredField,
    /// A scalar of the wrong type converted (`"true"` → `true`, `1.0` → `"1.0"`, `3.0` → `3`).
    ScalarCoerced,
    /// A field whose value has a type nothing can be made of, dropped.
    FieldDropped,
    /// A schema whose `$ref` has sibling keywords, rewritten to `allOf: [{$ref}]` plus the
    /// siblings so they are not lost. Warns unless the siblings are only annotations
    /// (`description`, `title`, `example`, `externalDocs`, extensions).
    RefSiblings,
    /// A path item, callback or other object given by a local `$ref` where the model needs the
    /// object itself: the target is copied in. Warns only where OpenAPI 3.0 forbids the `$ref`.
    RefInlined,
    /// A `$ref` that points to an object of another kind than it stands for, read by what
    /// that object holds: a schema given by a parameter, header, media type, request body or
    /// response is that object's schema (any value if it has none); a response or request
    /// body given by a schema has that schema as its `application/json` body.
    RefKind,
    /// A schema given as `true`/`false`, a type name or some other non-object.
    SchemaNotAnObject,
    /// `type` given as a list (`[string, "null"]`), in another case (`String`), as Swagger's
    /// `file`, or as an unknown word.
    SchemaType,
    /// `required: true/false` (or another non-list) inside a schema.
    SchemaRequiredNotAList,
    /// Keywords that do not apply to a schema's `type` (e.g. `minLength` on an integer); JSON
    /// Schema ignores them, and keeping them would hide the type from the model.
    InapplicableKeyword,
    /// `enum` values of the wrong type converted, or the `enum` dropped when they cannot be.
    EnumValues,
    /// A schema's `default` of the wrong type converted (`"false"` → `false`) or dropped.
    DefaultValue,
    /// A bound or `multipleOf` of an integer schema that is not a 64-bit integer: rounded,
    /// clamped or dropped.
    IntegerBound,
    /// `exclusiveMinimum`/`exclusiveMaximum` given as a number (OpenAPI 3.1 style).
    ExclusiveBound,
    /// `type: array` without `items`: `items: {}` (any value) added.
    ArrayItemsMissing,
    /// A `discriminator` without a string `propertyName`, dropped.
    Discriminator,
    /// A response without a `description`, given an empty one.
    ResponseDescription,
    /// A response given as a bare string, used as its description.
    ResponseNotAnObject,
    /// A key under `responses` that is not a status code, range or `default` (ignored by the
    /// model).
    ResponseCode,
    /// A key under `paths` that does not start with `/` (ignored by the model).
    PathKey,
    /// An operation without `responses`, given an empty map.
    OperationResponses,
    /// A parameter or header with neither `schema` nor `content`, given `schema: {}`.
    ParameterSchema,
    /// A parameter or header `style` that is invalid for its location, dropped.
    ParameterStyle,
    /// A `security` entry or OAuth2 `scopes` given as a list instead of a map.
    SecurityShape,
    /// A path parameter not marked `required: true` (path parameters always are).
    PathParameterRequired,
    /// An example given as a bare value instead of `{value: …}`, or `examples` given as a
    /// list instead of a map.
    ExampleShape,
    /// A field that OpenAPI 3.0 does not define for its object (and the model ignores).
    UnknownField,
    /// A list element or map entry that is not an object where one is required, dropped.
    EntryDropped,
}

impl Repair {
    /// A short, stable name for summaries and tests.
    pub fn name(self) -> &'static str {
        match self {
            Repair::YamlIntegerKey => "yaml-integer-key",
            Repair::YamlScalarKey => "yaml-scalar-key",
            Repair::YamlTag => "yaml-tag",
            Repair::VersionFormat => "version-format",
            Repair::MissingRequiredField => "missing-required-field",
            Repair::ScalarCoerced => "scalar-coerced",
            Repair::FieldDropped => "field-dropped",
            Repair::RefSiblings => "ref-siblings",
            Repair::RefInlined => "ref-inlined",
            Repair::RefKind => "ref-kind",
            Repair::SchemaNotAnObject => "schema-not-an-object",
            Repair::SchemaType => "schema-type",
            Repair::SchemaRequiredNotAList => "schema-required-not-a-list",
            Repair::InapplicableKeyword => "inapplicable-keyword",
            Repair::EnumValues => "enum-values",
            Repair::DefaultValue => "default-value",
            Repair::IntegerBound => "integer-bound",
            Repair::ExclusiveBound => "exclusive-bound",
            Repair::ArrayItemsMissing => "array-items-missing",
            Repair::Discriminator => "discriminator",
            Repair::ResponseDescription => "response-description",
            Repair::ResponseNotAnObject => "response-not-an-object",
            Repair::ResponseCode => "response-code",
            Repair::PathKey => "path-key",
            Repair::OperationResponses => "operation-responses",
            Repair::ParameterSchema => "parameter-schema",
            Repair::ParameterStyle => "parameter-style",
            Repair::SecurityShape => "security-shape",
            Repair::PathParameterRequired => "path-parameter-required",
            Repair::ExampleShape => "example-shape",
            Repair::UnknownField => "unknown-field",
            Repair::EntryDropped => "entry-dropped",
        }
    }
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Collects the diagnostics and repair counts of one load.
#[derive(Debug)]
pub(super) struct Log {
    file: String,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) repairs: BTreeMap<Repair, usize>,
}

impl Log {
    pub(super) fn new(file: &str) -> Self {
        Log {
            file: file.to_owned(),
            diagnostics: Vec::new(),
            repairs: BTreeMap::new(),
        }
    }

    pub(super) fn file(&self) -> &str {
        &self.file
    }

    /// A repair that changes nothing the author could have meant: counted, not reported.
    pub(super) fn silent(&mut self, repair: Repair) {
        *self.repairs.entry(repair).or_insert(0) += 1;
    }

    /// A repair the author should know about.
    pub(super) fn repaired(&mut self, repair: Repair, at: &Pointer, message: impl Into<String>) {
        self.silent(repair);
        let d = Diagnostic::warning(&self.file, at.as_str(), message);
        self.diagnostics.push(d);
    }

    pub(super) fn error(&mut self, at: &Pointer, message: impl Into<String>) {
        let d = Diagnostic::error(&self.file, at.as_str(), message);
        self.diagnostics.push(d);
    }

    pub(super) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub(super) fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Adds errors from a later stage, except those at a node where an error was already
    /// reported, at the node or at one of its fields (as for `in: body` at
    /// `…/parameters/0/in`, which the model then reports at `…/parameters/0`): the same
    /// problem is not reported twice.
    pub(super) fn add_new_errors(&mut self, errors: Vec<Diagnostic>) {
        let mut reported: HashSet<String> = HashSet::new();
        for d in &self.diagnostics {
            if d.severity == Severity::Error {
                reported.insert(d.pointer.clone());
                if let Some((parent, _)) = d.pointer.rsplit_once('/') {
                    reported.insert(parent.to_owned());
                }
            }
        }
        for error in errors {
            if !reported.contains(&error.pointer) {
                self.diagnostics.push(error);
            }
        }
    }
}
