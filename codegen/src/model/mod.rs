//! The API model: a resolved view of the document that rendering works from.
//!
//! [`build`] turns the `openapiv3` document into an [`Api`]: the type space, the operations
//! grouped by tag, the servers, the client-level headers and the security schemes. Everything
//! here is already named, deduplicated and ordered; rendering only prints it.

pub mod names;
pub mod operations;
pub mod servers;
pub mod types;

use openapiv3::{OpenAPI, ReferenceOr};

pub use operations::{
    Auth, Body, BodyKind, ClientHeader, CursorPaging, Operation, Pagination, PagingKind, Param,
    ParamLocation, ResponseBody, ResponseCase, Security, SecurityKind, StatusMatch,
};
pub use servers::{Server, ServerEnum, ServerVariable, Servers, UrlPart, UrlPiece, VariableKind};
pub use types::{Docs, Features, TypeDef, TypeId, TypeKind, TypeRef, TypeSpace};

use crate::{Diagnostic, Pointer, Stats};

/// A group of operations (one per tag), rendered as one module and one accessor.
#[derive(Debug, Clone)]
pub struct Group {
    /// Module and accessor name, e.g. `users`.
    pub module: String,
    /// Struct name, e.g. `Users`.
    pub type_name: String,
    pub tag: String,
    pub description: Option<String>,
    /// Indices into [`Api::operations`], in document order.
    pub operations: Vec<usize>,
}

/// Everything rendering needs.
#[derive(Debug)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    /// The document's name, for headers.
    pub source: String,
    pub servers: Vec<Server>,
    /// The enums of server variables with listed values.
    pub server_enums: Vec<ServerEnum>,
    /// The servers particular operations are published on instead of the document's; see
    /// [`Operation::server`].
    pub operation_servers: Vec<Server>,
    pub types: TypeSpace,
    pub operations: Vec<Operation>,
    pub groups: Vec<Group>,
    pub client_headers: Vec<ClientHeader>,
    pub security: Vec<Security>,
    pub features: Features,
    pub operations_total: usize,
}

impl Api {
    pub fn stats(&self) -> Stats {
        Stats {
            operations_total: self.operations_total,
            operations_generated: self.operations.len(),
            types: self.types.defs.len(),
        }
    }
}

/// Builds the API model. Problems that can be worked around become warnings.
pub fn build(doc: &OpenAPI, file: &str, warnings: &mut Vec<Diagnostic>) -> Api {
    let types = types::TypeBuilder::new(doc, file);
    let mut ops = operations::OperationBuilder::new(doc, file, types);
    ops.build_all();
    let (mut operations, groups, mut client_headers, security, types, op_warnings, total) =
        ops.finish();
    let (multipart_bodies, used_otherwise) = body_uses(&operations);
    let (types, type_warnings) = types.finish(&multipart_bodies, &used_otherwise);
    // File parts exist only in multipart bodies' structs; everywhere else binary is text.
    for op in &mut operations {
        for param in &mut op.params {
            types::uploads_to_text(&mut param.ty);
        }
        if let Some(body) = &mut op.body {
            types::uploads_to_text(&mut body.ty);
        }
        for case in op.success.iter_mut().chain(op.errors.iter_mut()) {
            if let ResponseBody::Json(ty) = &mut case.body {
                types::uploads_to_text(ty);
            }
        }
    }
    for header in &mut client_headers {
        types::uploads_to_text(&mut header.ty);
    }
    warnings.extend(op_warnings);
    warnings.extend(type_warnings);
    let features = features(&types, &operations);
    let Servers {
        servers,
        enums: server_enums,
        operation_servers,
        by_operation,
    } = servers::servers(doc, file, warnings);
    for op in &mut operations {
        op.server = by_operation
            .get(&(op.path.clone(), op.method.clone()))
            .copied();
    }
    Api {
        title: doc.info.title.clone(),
        description: doc.info.description.clone(),
        version: doc.info.version.clone(),
        source: file.to_owned(),
        servers,
        server_enums,
        operation_servers,
        types,
        operations,
        groups,
        client_headers,
        security,
        features,
        operations_total: total,
    }
}

/// The structs operations send as multipart bodies, and every other type operations name.
fn body_uses(operations: &[Operation]) -> (Vec<TypeId>, Vec<TypeId>) {
    let mut multipart = Vec::new();
    let mut otherwise = Vec::new();
    for op in operations {
        for param in &op.params {
            types::named_refs(&param.ty, &mut otherwise);
        }
        if let Some(body) = &op.body {
            match (body.kind, body.ty.non_null()) {
                (BodyKind::Multipart, TypeRef::Named(id)) => multipart.push(*id),
                _ => types::named_refs(&body.ty, &mut otherwise),
            }
        }
        for case in op.success.iter().chain(&op.errors) {
            if let ResponseBody::Json(ty) = &case.body {
                types::named_refs(ty, &mut otherwise);
            }
        }
    }
    (multipart, otherwise)
}

fn features(types: &TypeSpace, operations: &[Operation]) -> Features {
    let mut features = Features {
        multipart: operations.iter().any(|op| {
            op.body
                .as_ref()
                .is_some_and(|b| b.kind == BodyKind::Multipart)
        }),
        pagination: operations.iter().any(|op| op.pagination.is_some()),
        ..Features::default()
    };
    let mut visit = |ty: &TypeRef| walk(ty, &mut features);
    for def in &types.defs {
        match &def.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|f| visit(&f.ty));
                s.additional.iter().for_each(&mut visit);
            }
            TypeKind::Union(u) => u.variants.iter().for_each(|v| visit(&v.ty)),
            TypeKind::Alias(ty) => visit(ty),
            _ => {}
        }
    }
    for op in operations {
        op.params.iter().for_each(|p| visit(&p.ty));
        if let Some(body) = &op.body {
            visit(&body.ty);
        }
    }
    features
}

fn walk(ty: &TypeRef, features: &mut Features) {
    match ty {
        TypeRef::DateTime | TypeRef::Date => features.chrono = true,
        TypeRef::Uuid => features.uuid = true,
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            walk(inner, features)
        }
        _ => {}
    }
}

/// Looks up a component by a local `$ref` such as `#/components/parameters/X`.
pub(crate) fn component<'a, T>(
    map: Option<&'a indexmap::IndexMap<String, ReferenceOr<T>>>,
    prefix: &str,
    reference: &str,
) -> Option<(&'a T, Pointer)> {
    let mut reference = reference.to_owned();
    // Follow chains of references, bounded so a cycle cannot loop forever.
    for _ in 0..32 {
        let name = reference
            .strip_prefix(prefix)?
            .replace("~1", "/")
            .replace("~0", "~");
        match map?.get(&name)? {
            ReferenceOr::Item(item) => return Some((item, Pointer::from_ref(&reference)?)),
            ReferenceOr::Reference { reference: next } => reference = next.clone(),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::{generate, Config, Source};

    fn types_rs(spec: &str) -> String {
        let generation = generate(
            Source {
                name: "t.yaml",
                text: spec,
            },
            &Config::new("t"),
        )
        .unwrap_or_else(|failure| panic!("{failure}"));
        generation.files["src/types.rs"].clone()
    }

    #[test]
    fn read_only_and_write_only_properties_are_never_required() {
        let types = types_rs(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      required: [id, secret, name]\n      properties:\n        id: {type: integer, readOnly: true}\n        secret: {type: string, writeOnly: true}\n        name: {type: string}\n",
        );
        assert!(types.contains("pub id: Option<i64>"), "{types}");
        assert!(types.contains("pub secret: Option<String>"), "{types}");
        assert!(types.contains("pub name: String"), "{types}");
    }

    #[test]
    fn refs_into_schema_interiors_share_the_type_generated_there() {
        let types = types_rs(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Disk:\n      type: object\n      properties:\n        filesystem: {type: string, enum: [raw, ext4]}\n    Backup:\n      type: object\n      properties:\n        fs: {$ref: '#/components/schemas/Disk/properties/filesystem'}\n",
        );
        assert_eq!(
            types.matches("pub enum DiskFilesystem").count(),
            1,
            "{types}"
        );
        assert!(types.contains("pub fs: Option<DiskFilesystem>"), "{types}");
    }
}
