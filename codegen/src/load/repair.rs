//! The repair pass: fixes, on the raw JSON value, what real published documents get wrong
//! and the typed model would reject or silently misread.
//!
//! It walks the document by `shape`, iteratively (an explicit stack, so no
//! depth can overflow the call stack), mutating in place. Every repair is tallied in the
//! [`Log`] and, unless it changes nothing the author could have meant, reported as a warning
//! with its pointer. Problems that cannot be repaired are left for the typed stage, which
//! reports them with their pointer.
//!
//! It also records every `$ref` it meets for [`refs`], and copies in the
//! targets of references where the model cannot hold one (path items, callbacks).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::log::{Log, Repair};
use super::lookup::Lookup;
use super::refs::{self, get_mut, RefSite};
use super::shape::{Kind, RefUse, COMPONENT_MAPS};
use super::{describe, schema, shown};
use crate::stack::on_workers;
use crate::Pointer;

/// How many rounds of copying in referenced path items and callbacks are done. Each round
/// handles references found inside what the previous round copied; more than a few rounds
/// means the references are recursive (a callback whose path item refers to itself).
const INLINE_ROUNDS: usize = 8;

/// A reference to copy in: the object at `at` is `{$ref: target, …}` of kind `kind`.
struct Inline {
    at: Pointer,
    kind: Kind,
    target: String,
    allowed: bool,
}

/// Repairs `root` in place and returns every reference site met, for [`refs::check`].
pub(super) fn repair(root: &mut Value, log: &mut Log) -> Vec<RefSite> {
    let mut walk = Walk {
        log,
        refs: Vec::new(),
        inlines: Vec::new(),
    };
    walk.walk_in_parts(root);
    for _ in 0..INLINE_ROUNDS {
        if walk.inlines.is_empty() {
            break;
        }
        let batch = std::mem::take(&mut walk.inlines);
        // Definitions found by following chains; only valid within a round, as copying in
        // changes which nodes are definitions.
        let mut known = HashMap::new();
        let mut unfollowed = Vec::new();
        for inline in batch {
            if walk.inline(root, &inline, &mut known) {
                if let Some(node) = get_mut(root, &inline.at) {
                    walk.walk(inline.kind, inline.at, node);
                }
            } else {
                unfollowed.push(inline);
            }
        }
        // After the batch: taking out a `$ref` would change where the others lead.
        for inline in unfollowed {
            walk.unfollowed(root, inline);
        }
    }
    for inline in std::mem::take(&mut walk.inlines) {
        walk.log.error(
            &inline.at,
            format!(
                "`$ref: {}` is part of a chain of references nested more than {INLINE_ROUNDS} \
                 levels deep ({} that contains itself?)",
                inline.target,
                inline.kind.a_name()
            ),
        );
        walk.unfollowed(root, inline);
    }
    walk.refs
}

struct Walk<'l> {
    log: &'l mut Log,
    refs: Vec<RefSite>,
    inlines: Vec<Inline>,
}

/// A subtree repaired on its own by [`Walk::walk_in_parts`], and where its findings go in
/// the walk's: what the walk had found when it reached the subtree.
struct Part<'v> {
    kind: Kind,
    at: Pointer,
    value: &'v mut Value,
    /// How many diagnostics, references and inlines the walk had then.
    mark: [usize; 3],
}

/// What one [`Part`]'s walk found, and the part's mark.
struct Found {
    mark: [usize; 3],
    log: Log,
    refs: Vec<RefSite>,
    inlines: Vec<Inline>,
}

impl Walk<'_> {
    /// [`Walk::walk`] from the root, with the subtrees below the document, `paths` and
    /// `components` (path items, component entries, `info`…) repaired on all cores. Each
    /// subtree's repairs touch only that subtree, and their findings are put back in the order
    /// of the walk on one thread: the same value, diagnostics, tallies and references.
    fn walk_in_parts(&mut self, root: &mut Value) {
        let mut parts = Vec::new();
        let mut stack = vec![(Kind::Document, Pointer::root(), root)];
        while let Some((kind, at, value)) = stack.pop() {
            if matches!(kind, Kind::Document | Kind::Paths | Kind::Components) {
                self.visit(kind, at, value, &mut stack);
            } else {
                parts.push(Part {
                    kind,
                    at,
                    value,
                    mark: [
                        self.log.diagnostics.len(),
                        self.refs.len(),
                        self.inlines.len(),
                    ],
                });
            }
        }
        let file = self.log.file().to_owned();
        let found = on_workers(super::typed::STACK_SIZE, "codegen-repair", parts, |part| {
            let mut log = Log::new(&file);
            let mut walk = Walk {
                log: &mut log,
                refs: Vec::new(),
                inlines: Vec::new(),
            };
            walk.walk(part.kind, part.at, part.value);
            let (refs, inlines) = (walk.refs, walk.inlines);
            Found {
                mark: part.mark,
                log,
                refs,
                inlines,
            }
        })
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let mut diagnostics = Vec::with_capacity(found.len());
        let mut refs = Vec::with_capacity(found.len());
        let mut inlines = Vec::with_capacity(found.len());
        for found in found {
            let mark = found.mark;
            for (repair, count) in found.log.repairs {
                *self.log.repairs.entry(repair).or_insert(0) += count;
            }
            diagnostics.push((mark[0], found.log.diagnostics));
            refs.push((mark[1], found.refs));
            inlines.push((mark[2], found.inlines));
        }
        interleave(&mut self.log.diagnostics, diagnostics);
        interleave(&mut self.refs, refs);
        interleave(&mut self.inlines, inlines);
    }

    fn walk(&mut self, kind: Kind, at: Pointer, value: &mut Value) {
        let mut stack = vec![(kind, at, value)];
        while let Some((kind, at, value)) = stack.pop() {
            self.visit(kind, at, value, &mut stack);
        }
    }

    /// Repairs one node, and pushes its children on `stack` (the first on top).
    fn visit<'v>(
        &mut self,
        kind: Kind,
        at: Pointer,
        value: &'v mut Value,
        stack: &mut Vec<(Kind, Pointer, &'v mut Value)>,
    ) {
        match kind {
            Kind::Schema => schema::make_object(value, &at, self.log),
            Kind::Response => response_from_string(value, &at, self.log),
            Kind::Example => example_from_value(value, &at, self.log),
            _ => {}
        }
        let Value::Object(object) = value else {
            // Not an object where one is needed: the typed stage reports it.
            return;
        };
        let mut skip_all_of = false;
        // Whether `$ref` was dealt with here (and so is not an unknown field).
        let mut has_ref = false;
        if let Some(reference) = object.field("$ref") {
            has_ref = true;
            // A `$ref` that is reported and not followed does not end the walk: the
            // object's other fields are still repaired, because the model may read them
            // (a broken reference is read as the object it sits in), and a subtree the
            // repairs never saw can be arbitrarily broken (the model's schema reader
            // takes time exponential in the depth of a failing nesting).
            match (reference.as_str().map(str::to_owned), kind.ref_use()) {
                (None, _) => {
                    self.log.error(
                        &at.push("$ref"),
                        format!("`$ref` must be a string, found {}", describe(reference)),
                    );
                }
                (Some(target), RefUse::Inline { allowed }) => {
                    // Walked once the target is copied in, or, if it cannot be, as it is.
                    self.inlines.push(Inline {
                        at,
                        kind,
                        target,
                        allowed,
                    });
                    return;
                }
                (Some(target), RefUse::Keep) if kind == Kind::Schema && object.len() > 1 => {
                    let rewritten = schema::ref_with_siblings(object, &at, self.log);
                    self.refs.push(RefSite {
                        at: at.clone(),
                        target,
                        kind,
                    });
                    if !rewritten {
                        return;
                    }
                    skip_all_of = true;
                }
                (Some(target), RefUse::Keep) => {
                    // OpenAPI 3.0 ignores the siblings of other references, as does
                    // the model.
                    self.refs.push(RefSite { at, target, kind });
                    return;
                }
            }
        }
        self.repair_object(kind, object, &at);
        if !has_ref {
            unknown_fields(kind, object, &at, self.log);
        }
        let mut children = Vec::new();
        for (key, child) in object.iter_mut() {
            // The reference at `allOf/0` of a rewritten `$ref` is recorded already.
            let skip = usize::from(skip_all_of && key == "allOf");
            let Some(shape) = kind.child(key, child) else {
                continue;
            };
            shape.push_nodes(at.push(key), child, skip, &mut children);
        }
        stack.extend(children.into_iter().rev());
    }

    fn repair_object(&mut self, kind: Kind, object: &mut Map<String, Value>, at: &Pointer) {
        let mut fix = Fields {
            object,
            at,
            log: &mut *self.log,
            kind,
        };
        match kind {
            Kind::Document => document(&mut fix),
            Kind::Info => {
                fix.required_string("title");
                fix.required_string("version");
                fix.string("description");
                fix.string("termsOfService");
            }
            Kind::Server => {
                fix.required_string("url");
                fix.string("description");
                server_variables(&mut fix);
            }
            Kind::Tag => {
                fix.required_string("name");
                fix.string("description");
            }
            Kind::ExternalDocs => {
                fix.required_string("url");
                fix.string("description");
            }
            Kind::Paths => paths(&mut fix),
            Kind::PathItem => {
                fix.string("summary");
                fix.string("description");
                fix.list("parameters");
                fix.list("servers");
                fix.objects_only("parameters");
            }
            Kind::Operation => operation(&mut fix),
            Kind::Parameter => parameter(&mut fix),
            Kind::Header => header(&mut fix),
            Kind::RequestBody => {
                fix.string("description");
                fix.boolean("required");
                fix.map("content");
            }
            Kind::Responses => responses(&mut fix),
            Kind::Response => {
                fix.required_string("description");
                if !fix.object.has("description") {
                    fix.object
                        .insert(String::from("description"), Value::String(String::new()));
                    fix.log.repaired(
                        Repair::ResponseDescription,
                        at,
                        "the response has no `description` (required); using an empty one",
                    );
                }
                fix.map("headers");
                fix.map("content");
                fix.map("links");
            }
            Kind::MediaType => {
                fix.examples();
                fix.map("encoding");
            }
            Kind::Encoding => {
                fix.string("contentType");
                fix.map("headers");
                fix.boolean("explode");
                fix.boolean("allowReserved");
                fix.style(&["form", "spaceDelimited", "pipeDelimited", "deepObject"]);
            }
            Kind::Schema => schema::repair(fix.object, at, fix.log, &mut self.refs),
            Kind::Callback => callback(&mut fix),
            Kind::Components => {
                for section in COMPONENT_MAPS {
                    fix.map(section);
                }
            }
            Kind::SecurityScheme => security_scheme(&mut fix),
            Kind::SecurityRequirement => security_requirement(&mut fix),
            Kind::Link => {
                fix.string("operationId");
                fix.string("operationRef");
                fix.string("description");
            }
            Kind::Example => {
                fix.string("summary");
                fix.string("description");
                fix.string("externalValue");
            }
        }
    }

    /// Repairs the site of a reference that was reported and not followed, as the object it
    /// is without its `$ref`: the load fails, but its other errors are still found, and no
    /// unrepaired subtree reaches the model (whose schema reader takes time exponential in the
    /// depth of a failing nesting).
    fn unfollowed(&mut self, root: &mut Value, inline: Inline) {
        if let Some(node) = get_mut(root, &inline.at) {
            if let Value::Object(site) = node {
                site.remove("$ref");
            }
            self.walk(inline.kind, inline.at, node);
        }
    }

    /// Copies the target of `inline` over its site. Returns whether it did.
    fn inline(
        &mut self,
        root: &mut Value,
        inline: &Inline,
        known: &mut HashMap<String, Pointer>,
    ) -> bool {
        let target = match follow(root, &inline.target, known) {
            Ok(target) => target,
            Err(message) => {
                self.log.error(&inline.at, message);
                return false;
            }
        };
        let Some(Value::Object(site)) = get_mut(root, &inline.at) else {
            return false;
        };
        // The site's own fields (other than `$ref`) win over the target's, as the
        // specification leaves it open and the site is the more specific.
        let mut merged = target;
        for (key, value) in std::mem::take(site) {
            if key != "$ref" {
                merged.insert(key, value);
            }
        }
        *site = merged;
        if inline.allowed {
            self.log.silent(Repair::RefInlined);
        } else {
            self.log.repaired(
                Repair::RefInlined,
                &inline.at,
                format!(
                    "OpenAPI 3.0 does not allow a `$ref` for {}; copied in `{}`",
                    inline.kind.a_name(),
                    inline.target
                ),
            );
        }
        true
    }
}

/// The object a reference leads to, through any chain of references, copied. `known` maps
/// the nodes of chains already followed to the definition they lead to, so a long chain is
/// walked once, not once per reference into it.
fn follow(
    root: &Value,
    target: &str,
    known: &mut HashMap<String, Pointer>,
) -> Result<Map<String, Value>, String> {
    let mut seen: Vec<String> = Vec::new();
    let mut on_chain: HashSet<String> = HashSet::new();
    let mut current = target.to_owned();
    let definition = loop {
        let (pointer, node) =
            refs::resolve(root, &current).map_err(|problem| problem.message(&current))?;
        if let Some(definition) = known.get(pointer.as_str()) {
            break definition.clone();
        }
        let here = pointer.as_str().to_owned();
        seen.push(here.clone());
        if !on_chain.insert(here) {
            return Err(format!(
                "`$ref` cycle {}: these references never reach a definition",
                seen.join(" → ")
            ));
        }
        match node {
            Value::Object(_) => match refs::ref_of(node) {
                Some(next) => current = next.to_owned(),
                None => break pointer,
            },
            other => {
                return Err(format!(
                    "`$ref` target `{target}` is {}, not an object",
                    describe(other)
                ))
            }
        }
    };
    for node in seen {
        known.insert(node, definition.clone());
    }
    match refs::resolve(root, definition.as_str()) {
        Ok((_, Value::Object(object))) => Ok(object.clone()),
        _ => Err(format!("`$ref` target `{target}` cannot be followed")),
    }
}

/// Fields the model ignores without a word: often a typo (`operationID`) or a construct of
/// another version (`schema` directly in a response is Swagger 2.0).
fn unknown_fields(kind: Kind, object: &Map<String, Value>, at: &Pointer, log: &mut Log) {
    let Some(fields) = kind.fields() else {
        return;
    };
    for key in object.keys() {
        if !key.starts_with("x-") && !fields.contains(&key.as_str()) {
            let hint = match (kind, key.as_str()) {
                (Kind::Response, "schema") => {
                    " (Swagger 2.0; in OpenAPI 3 it goes under `content.<media type>.schema`)"
                }
                (
                    Kind::Document,
                    "host"
                    | "basePath"
                    | "schemes"
                    | "definitions"
                    | "securityDefinitions"
                    | "produces"
                    | "consumes",
                )
                | (Kind::Operation, "produces" | "consumes" | "schemes") => " (Swagger 2.0)",
                _ => "",
            };
            log.repaired(
                Repair::UnknownField,
                &at.push(key),
                format!(
                    "`{key}` is not a field of {} in OpenAPI 3.0{hint}; it is ignored",
                    kind.a_name()
                ),
            );
        }
    }
}

/// A response given as a bare string is taken as its description.
fn response_from_string(value: &mut Value, at: &Pointer, log: &mut Log) {
    if let Value::String(text) = value {
        let description = std::mem::take(text);
        log.repaired(
            Repair::ResponseNotAnObject,
            at,
            "the response is a string, not a response object; using it as the description",
        );
        let mut object = Map::new();
        object.insert(String::from("description"), Value::String(description));
        *value = Value::Object(object);
    }
}

/// An example object must hold its value under `value`; a bare value (a common mistake, which
/// the model would silently read as an empty example) is wrapped.
fn example_from_value(value: &mut Value, at: &Pointer, log: &mut Log) {
    const FIELDS: [&str; 5] = ["$ref", "summary", "description", "value", "externalValue"];
    let bare = match value {
        Value::Object(object) => {
            !object.is_empty()
                && object
                    .keys()
                    .all(|k| !FIELDS.contains(&k.as_str()) && !k.starts_with("x-"))
        }
        _ => true,
    };
    if bare {
        log.repaired(
            Repair::ExampleShape,
            at,
            "the example is a bare value, not an example object with `value`; wrapped in \
             `value`",
        );
        let mut object = Map::new();
        object.insert(String::from("value"), std::mem::take(value));
        *value = Value::Object(object);
    }
}

fn document(fix: &mut Fields<'_>) {
    fix.list("servers");
    fix.list("tags");
    fix.objects_only("servers");
    fix.objects_only("tags");
    fix.security();
    if !fix.object.has("info") {
        fix.object
            .insert(String::from("info"), Value::Object(Map::new()));
        fix.log.repaired(
            Repair::MissingRequiredField,
            &fix.at.push("info"),
            "the document has no `info` (required); using an empty one",
        );
    }
    if let Some(Value::Object(info)) = fix.object.field_mut("info") {
        for field in ["title", "version"] {
            if !info.has(field) {
                info.insert(field.to_owned(), Value::String(String::new()));
                fix.log.repaired(
                    Repair::MissingRequiredField,
                    &fix.at.push("info").push(field),
                    format!("`info` has no `{field}` (required); using an empty one"),
                );
            }
        }
    }
    if !fix.object.has("paths") {
        fix.object
            .insert(String::from("paths"), Value::Object(Map::new()));
        fix.log.repaired(
            Repair::MissingRequiredField,
            &fix.at.push("paths"),
            "the document has no `paths` (required); the API has no operations",
        );
    }
}

fn server_variables(fix: &mut Fields<'_>) {
    fix.map("variables");
    let at = fix.at.push("variables");
    let Some(Value::Object(variables)) = fix.object.field_mut("variables") else {
        return;
    };
    for (name, variable) in variables.iter_mut() {
        let Value::Object(variable) = variable else {
            continue;
        };
        let mut fix = Fields {
            object: variable,
            at: &at.push(name),
            log: &mut *fix.log,
            kind: Kind::Server,
        };
        fix.string("default");
        fix.string("description");
        fix.strings("enum");
    }
}

fn paths(fix: &mut Fields<'_>) {
    for key in fix.object.keys() {
        if !key.starts_with('/') && !key.starts_with("x-") {
            fix.log.repaired(
                Repair::PathKey,
                &fix.at.push(key),
                format!("the path `{key}` does not start with `/`; it is ignored"),
            );
        }
    }
}

fn operation(fix: &mut Fields<'_>) {
    fix.strings("tags");
    fix.string("summary");
    fix.string("description");
    fix.string("operationId");
    fix.boolean("deprecated");
    fix.list("parameters");
    fix.objects_only("parameters");
    fix.list("servers");
    fix.objects_only("servers");
    fix.map("callbacks");
    fix.security();
    if !fix.object.has("responses") {
        fix.object
            .insert(String::from("responses"), Value::Object(Map::new()));
        fix.log.repaired(
            Repair::OperationResponses,
            fix.at,
            "the operation has no `responses` (required); using an empty map",
        );
    }
}

/// Query, header, path and cookie parameters.
fn parameter(fix: &mut Fields<'_>) {
    fix.required_string("name");
    fix.string("in");
    if let Some(Value::String(location)) = fix.object.field_mut("in") {
        let lower = location.to_ascii_lowercase();
        if ["query", "header", "path", "cookie"].contains(&lower.as_str()) && lower != *location {
            let message = format!("`in: {location}` is read as `in: {lower}`");
            *location = lower;
            fix.log
                .repaired(Repair::ScalarCoerced, &fix.at.push("in"), message);
        }
    }
    let location = fix
        .object
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    match location.as_str() {
        "body" | "formData" => fix.log.error(
            &fix.at.push("in"),
            format!(
                "`in: {location}` is Swagger 2.0; in OpenAPI 3 the request body is the \
                 operation's `requestBody`"
            ),
        ),
        "query" => {
            collection_format(fix);
            fix.style(&["form", "spaceDelimited", "pipeDelimited", "deepObject"]);
        }
        "path" => {
            fix.style(&["matrix", "label", "simple"]);
            if fix.object.field("required") != Some(&Value::Bool(true)) {
                fix.object
                    .insert(String::from("required"), Value::Bool(true));
                fix.log.repaired(
                    Repair::PathParameterRequired,
                    &fix.at.push("required"),
                    "a path parameter is always required; `required: true` assumed",
                );
            }
        }
        "header" => fix.style(&["simple"]),
        "cookie" => fix.style(&["form"]),
        _ => {}
    }
    parameter_like(fix);
    fix.boolean("allowEmptyValue");
    fix.boolean("explode");
    fix.boolean("allowReserved");
}

fn header(fix: &mut Fields<'_>) {
    fix.style(&["simple"]);
    parameter_like(fix);
}

/// What parameters and headers share.
fn parameter_like(fix: &mut Fields<'_>) {
    fix.string("description");
    fix.boolean("required");
    fix.boolean("deprecated");
    fix.map("content");
    fix.examples();
    if fix.object.has("schema") || fix.object.has("content") {
        return;
    }
    // Swagger 2.0 put the schema keywords on the parameter itself (`type: string`): they
    // move into `schema`, which the model reads (it ignores them where they are).
    let mut schema = Map::new();
    for keyword in SWAGGER_PARAMETER_SCHEMA {
        if let Some(value) = fix.object.remove(keyword) {
            schema.insert(keyword.to_owned(), value);
        }
    }
    let message = if schema.is_empty() {
        format!(
            "the {} has neither `schema` nor `content`; its value can be anything",
            fix.kind.name()
        )
    } else {
        let moved: Vec<String> = schema.keys().map(|k| format!("`{k}`")).collect();
        format!(
            "{} on the {} itself is Swagger 2.0; moved into its `schema`",
            moved.join(", "),
            fix.kind.name()
        )
    };
    fix.object
        .insert(String::from("schema"), Value::Object(schema));
    fix.log.repaired(Repair::ParameterSchema, fix.at, message);
}

/// The schema keywords a Swagger 2.0 parameter or header carries itself.
const SWAGGER_PARAMETER_SCHEMA: [&str; 17] = [
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "nullable",
];

/// Swagger 2.0's `collectionFormat` of a query parameter is OpenAPI 3's `style` and `explode`.
fn collection_format(fix: &mut Fields<'_>) {
    let Some(format) = fix.object.remove("collectionFormat") else {
        return;
    };
    let style = match format.as_str() {
        Some("csv") => Some(("form", false)),
        Some("multi") => Some(("form", true)),
        Some("ssv") => Some(("spaceDelimited", false)),
        Some("pipes") => Some(("pipeDelimited", false)),
        _ => None,
    };
    let at = fix.at.push("collectionFormat");
    let message = match style {
        Some((style, explode)) if !fix.object.has("style") => {
            fix.object
                .insert(String::from("style"), Value::String(style.to_owned()));
            fix.object
                .insert(String::from("explode"), Value::Bool(explode));
            format!(
                "`collectionFormat: {}` is Swagger 2.0; read as `style: {style}, explode: \
                 {explode}`",
                shown(&format)
            )
        }
        _ => format!(
            "`collectionFormat: {}` is Swagger 2.0 and has no OpenAPI 3 equivalent here; dropped",
            shown(&format)
        ),
    };
    fix.log.repaired(Repair::ParameterStyle, &at, message);
}

fn responses(fix: &mut Fields<'_>) {
    for key in fix.object.keys() {
        let known = key == "default" || key.starts_with("x-") || super::shape::is_status_code(key);
        if !known {
            fix.log.repaired(
                Repair::ResponseCode,
                &fix.at.push(key),
                format!(
                    "`{key}` is not a status code (100–999), a range (2XX) or `default`; the \
                     response is ignored"
                ),
            );
        }
    }
}

fn callback(fix: &mut Fields<'_>) {
    // The model reads every key of a callback as an expression with a path item.
    let extensions: Vec<String> = fix
        .object
        .keys()
        .filter(|k| k.starts_with("x-"))
        .cloned()
        .collect();
    for key in extensions {
        fix.object.remove(&key);
        fix.log.repaired(
            Repair::EntryDropped,
            &fix.at.push(&key),
            "extensions in a callback cannot be kept (the model reads every key as an \
             expression); dropped",
        );
    }
}

fn security_scheme(fix: &mut Fields<'_>) {
    fix.string("type");
    fix.string("description");
    fix.string("name");
    fix.string("scheme");
    fix.string("bearerFormat");
    fix.string("openIdConnectUrl");
    if let Some(Value::String(location)) = fix.object.field_mut("in") {
        let lower = location.to_ascii_lowercase();
        if ["query", "header", "cookie"].contains(&lower.as_str()) && lower != *location {
            let message = format!("`in: {location}` is read as `in: {lower}`");
            *location = lower;
            fix.log
                .repaired(Repair::ScalarCoerced, &fix.at.push("in"), message);
        }
    }
    let at = fix.at.push("flows");
    let Some(Value::Object(flows)) = fix.object.field_mut("flows") else {
        return;
    };
    for (name, flow) in flows.iter_mut() {
        let Value::Object(flow) = flow else { continue };
        let at = at.push(name);
        let mut fix = Fields {
            object: flow,
            at: &at,
            log: &mut *fix.log,
            kind: Kind::SecurityScheme,
        };
        fix.string("authorizationUrl");
        fix.string("tokenUrl");
        fix.string("refreshUrl");
        let scopes = match fix.object.remove("scopes") {
            None | Some(Value::Null) => {
                if !name.starts_with("x-") {
                    fix.log.repaired(
                        Repair::SecurityShape,
                        &at.push("scopes"),
                        "the flow has no `scopes` (required); using an empty map",
                    );
                }
                Map::new()
            }
            Some(Value::Object(scopes)) => scopes,
            Some(Value::Array(list)) => {
                fix.log.repaired(
                    Repair::SecurityShape,
                    &at.push("scopes"),
                    "`scopes` is a list; it must map each scope to a description",
                );
                list.into_iter()
                    .filter_map(|scope| scalar_text(&scope))
                    .map(|scope| (scope, Value::String(String::new())))
                    .collect()
            }
            Some(other) => {
                fix.log.repaired(
                    Repair::SecurityShape,
                    &at.push("scopes"),
                    format!(
                        "`scopes` must be a map, found {}; dropped",
                        describe(&other)
                    ),
                );
                Map::new()
            }
        };
        let mut fixed = Map::new();
        for (scope, description) in scopes {
            let text = match description {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => scalar_text(&other).unwrap_or_default(),
            };
            fixed.insert(scope, Value::String(text));
        }
        fix.object
            .insert(String::from("scopes"), Value::Object(fixed));
    }
}

/// `{scheme: [scopes]}`: a scheme without scopes is often written `scheme: ~` or `scheme: ""`.
fn security_requirement(fix: &mut Fields<'_>) {
    for (scheme, scopes) in fix.object.iter_mut() {
        let fixed = match &*scopes {
            Value::Array(list) if list.iter().all(Value::is_string) => continue,
            Value::Array(list) => list.iter().filter_map(scalar_text).collect(),
            Value::Null => Vec::new(),
            Value::String(s) if s.is_empty() => Vec::new(),
            other => scalar_text(other).into_iter().collect(),
        };
        let message = format!(
            "the scopes of `{scheme}` must be a list of strings, found {}",
            describe(scopes)
        );
        fix.log
            .repaired(Repair::SecurityShape, &fix.at.push(scheme), message);
        *scopes = Value::Array(fixed.into_iter().map(Value::String).collect());
    }
}

/// The text of a scalar, for coercions to string.
pub(super) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Type fixes for the fields of one object: each turns a value of the wrong type into the
/// right one when the intent is clear (`"true"` → `true`), or drops it, with a warning. A
/// `null` is taken as absent. A field that is missing is left alone.
pub(super) struct Fields<'a> {
    pub(super) object: &'a mut Map<String, Value>,
    pub(super) at: &'a Pointer,
    pub(super) log: &'a mut Log,
    pub(super) kind: Kind,
}

impl Fields<'_> {
    /// Removes `key` if it is `null`; returns the value if present.
    fn present(&mut self, key: &str) -> Option<&mut Value> {
        if self.object.field(key).is_some_and(Value::is_null) {
            self.object.remove(key);
            return None;
        }
        self.object.field_mut(key)
    }

    fn converted(&mut self, key: &str, found: &str, now: &Value) {
        let message = format!(
            "`{key}` of {} must be {}, found {found}; read as {}",
            self.kind.a_name(),
            expected_name(now),
            shown(now)
        );
        self.log
            .repaired(Repair::ScalarCoerced, &self.at.push(key), message);
    }

    pub(super) fn dropped(&mut self, key: &str, expected: &str) {
        if let Some(value) = self.object.remove(key) {
            let message = format!(
                "`{key}` of {} must be {expected}, found {}; dropped",
                self.kind.a_name(),
                describe(&value)
            );
            self.log
                .repaired(Repair::FieldDropped, &self.at.push(key), message);
        }
    }

    pub(super) fn string(&mut self, key: &str) {
        let Some(value) = self.present(key) else {
            return;
        };
        match value {
            Value::String(_) => {}
            Value::Number(_) | Value::Bool(_) => {
                let found = format!("{} {}", describe(value), shown(value));
                let text = Value::String(scalar_text(value).unwrap_or_default());
                *value = text.clone();
                self.converted(key, &found, &text);
            }
            Value::Array(_) | Value::Object(_) | Value::Null => self.dropped(key, "a string"),
        }
    }

    /// A string the model requires: a scalar is converted, anything else is an error (the
    /// field cannot be dropped).
    pub(super) fn required_string(&mut self, key: &str) {
        match self.object.field(key) {
            Some(Value::Array(_) | Value::Object(_)) => {}
            _ => return self.string(key),
        }
        let found = self.object.field(key).map_or("nothing", describe);
        let message = format!(
            "`{key}` of {} must be a string, found {found}",
            self.kind.a_name()
        );
        self.log.error(&self.at.push(key), message);
    }

    pub(super) fn boolean(&mut self, key: &str) {
        let Some(value) = self.present(key) else {
            return;
        };
        let parsed = match value {
            Value::Bool(_) => return,
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        };
        match parsed {
            Some(b) => {
                let found = format!("the string {}", shown(value));
                *value = Value::Bool(b);
                self.converted(key, &found, &Value::Bool(b));
            }
            None => self.dropped(key, "a boolean"),
        }
    }

    /// A non-negative integer (`minLength`, `maxItems`…).
    pub(super) fn count(&mut self, key: &str) {
        let Some(value) = self.present(key) else {
            return;
        };
        let parsed = match value {
            Value::Number(n) if n.is_u64() => return,
            Value::Number(n) => n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9.0e15)
                .map(|f| (f as u64, false)),
            Value::String(s) => s.trim().parse::<u64>().ok().map(|n| (n, true)),
            _ => None,
        };
        match parsed {
            // `3.0`: the same number, written as a float.
            Some((n, false)) => {
                *value = Value::from(n);
                self.log.silent(Repair::ScalarCoerced);
            }
            Some((n, true)) => {
                let found = format!("the string {}", shown(value));
                *value = Value::from(n);
                self.converted(key, &found, &Value::from(n));
            }
            None => self.dropped(key, "a non-negative integer"),
        }
    }

    pub(super) fn number(&mut self, key: &str) {
        let Some(value) = self.present(key) else {
            return;
        };
        let parsed = match value {
            Value::Number(_) => return,
            Value::String(s) => s.trim().parse::<serde_json::Number>().ok(),
            _ => None,
        };
        match parsed {
            Some(n) => {
                let found = format!("the string {}", shown(value));
                *value = Value::Number(n);
                let now = value.clone();
                self.converted(key, &found, &now);
            }
            None => self.dropped(key, "a number"),
        }
    }

    /// A list of strings; a single string becomes a list of one.
    pub(super) fn strings(&mut self, key: &str) {
        let Some(value) = self.present(key) else {
            return;
        };
        match value {
            Value::Array(items) if items.iter().all(Value::is_string) => {}
            Value::Array(items) => {
                let bad: Vec<String> = items.iter().filter(|v| !v.is_string()).map(shown).collect();
                let fixed = items.iter().filter_map(scalar_text).map(Value::String);
                *items = fixed.collect();
                let message = format!(
                    "`{key}` of {} must be a list of strings; read {} as strings (lists, maps \
                     and nulls dropped)",
                    self.kind.a_name(),
                    bad.join(", ")
                );
                self.log
                    .repaired(Repair::ScalarCoerced, &self.at.push(key), message);
            }
            Value::String(_) | Value::Number(_) | Value::Bool(_) => {
                let text = scalar_text(value).unwrap_or_default();
                let found = format!("{} {}", describe(value), shown(value));
                *value = Value::Array(vec![Value::String(text)]);
                let now = value.clone();
                self.converted(key, &found, &now);
            }
            Value::Object(_) | Value::Null => self.dropped(key, "a list of strings"),
        }
    }

    pub(super) fn map(&mut self, key: &str) {
        if let Some(value) = self.present(key) {
            if !value.is_object() {
                self.dropped(key, "a map");
            }
        }
    }

    pub(super) fn list(&mut self, key: &str) {
        if let Some(value) = self.present(key) {
            if !value.is_array() {
                self.dropped(key, "a list");
            }
        }
    }

    /// Drops the elements of the list under `key` that are not objects.
    pub(super) fn objects_only(&mut self, key: &str) {
        let Some(Value::Array(items)) = self.object.field_mut(key) else {
            return;
        };
        let mut index = 0;
        let mut dropped = Vec::new();
        items.retain(|item| {
            let keep = item.is_object();
            if !keep {
                dropped.push((index, describe(item)));
            }
            index += 1;
            keep
        });
        for (index, found) in dropped {
            let message = format!("expected an object in `{key}`, found {found}; dropped");
            self.log.repaired(
                Repair::EntryDropped,
                &self.at.push(key).push(index),
                message,
            );
        }
    }

    /// `style`, when it is one of `allowed`.
    fn style(&mut self, allowed: &[&str]) {
        let kind = self.kind;
        let Some(value) = self.present("style") else {
            return;
        };
        if value.as_str().is_some_and(|s| allowed.contains(&s)) {
            return;
        }
        let message = format!(
            "`style: {}` is not valid for this {} (expected {}); the default style is used",
            shown(value),
            kind.name(),
            allowed.join(", ")
        );
        self.object.remove("style");
        self.log
            .repaired(Repair::ParameterStyle, &self.at.push("style"), message);
    }

    /// `examples` must map names to example objects; a list (JSON Schema style) is turned
    /// into a map keyed by position.
    fn examples(&mut self) {
        let Some(value) = self.present("examples") else {
            return;
        };
        match value {
            Value::Object(_) => {}
            Value::Array(items) => {
                let map: Map<String, Value> = std::mem::take(items)
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let mut example = Map::new();
                        example.insert(String::from("value"), item);
                        ((i + 1).to_string(), Value::Object(example))
                    })
                    .collect();
                *value = Value::Object(map);
                self.log.repaired(
                    Repair::ExampleShape,
                    &self.at.push("examples"),
                    "`examples` is a list; it must map names to example objects (converted)",
                );
            }
            _ => self.dropped("examples", "a map of example objects"),
        }
    }

    /// `security`: a list of requirement maps; a single map is taken as a list of one.
    fn security(&mut self) {
        let Some(value) = self.present("security") else {
            return;
        };
        match value {
            Value::Array(_) => self.objects_only("security"),
            Value::Object(_) => {
                let single = std::mem::take(value);
                *value = Value::Array(vec![single]);
                self.log.repaired(
                    Repair::SecurityShape,
                    &self.at.push("security"),
                    "`security` is a map; it must be a list of requirement maps (read as a \
                     list of one)",
                );
            }
            _ => self.dropped("security", "a list of security requirements"),
        }
    }
}

fn expected_name(now: &Value) -> &'static str {
    match now {
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        _ => "a value",
    }
}

/// Puts each run of `inserts` into `items` at its mark (a length `items` had, in order), as
/// if it had been pushed then.
fn interleave<T>(items: &mut Vec<T>, inserts: Vec<(usize, Vec<T>)>) {
    if inserts.iter().all(|(_, run)| run.is_empty()) {
        return;
    }
    let extra: usize = inserts.iter().map(|(_, run)| run.len()).sum();
    let mut merged = Vec::with_capacity(items.len() + extra);
    let mut earlier = std::mem::take(items).into_iter();
    let mut taken = 0;
    for (mark, run) in inserts {
        merged.extend(earlier.by_ref().take(mark - taken));
        taken = mark;
        merged.extend(run);
    }
    merged.extend(earlier);
    *items = merged;
}

#[cfg(test)]
mod tests {
    use super::interleave;

    #[test]
    fn interleaved_runs_land_where_they_would_have_been_pushed() {
        let mut items = vec!["a", "b", "c"];
        interleave(
            &mut items,
            vec![
                (0, vec!["0"]),
                (2, vec![]),
                (2, vec!["2", "2'"]),
                (3, vec!["3"]),
            ],
        );
        assert_eq!(items, ["0", "a", "b", "2", "2'", "c", "3"]);
        let mut untouched = vec![1, 2];
        interleave(&mut untouched, vec![(1, Vec::new())]);
        assert_eq!(untouched, [1, 2]);
    }
}
