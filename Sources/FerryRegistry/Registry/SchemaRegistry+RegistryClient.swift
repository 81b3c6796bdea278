/// Public: `FileDescriptorProto` (FerryCodec) appears in this file's public API.
public import FerryCodec
/// Public: the conformance is to FerryRegistryClient's `RegistryClient`.
public import FerryRegistryClient

extension SchemaRegistry: RegistryClient {
    /// Registers a schema under a subject (or finds it there) and returns its global id.
    public func registerSchema(subject: String, _ schema: SchemaInput) async throws(RegistryError) -> Int {
        try await register(subject: subject, schema).schema.id
    }

    /// The subject version that holds a schema.
    public func lookupSchema(subject: String, _ schema: SchemaInput) async throws(RegistryError) -> SubjectVersion {
        try await lookup(subject: subject, schema, includeDeleted: false)
    }

    /// One version of a subject (`latest` for the newest).
    public func version(subject: String, _ version: VersionSelector) async throws(RegistryError) -> SubjectVersion {
        try await self.version(of: subject, version)
    }

    /// The schema with an id in the default context.
    ///
    /// - Throws: 40403 when no schema has it.
    public func schema(id: Int) async throws(RegistryError) -> StoredSchema {
        try await schema(id: id, context: QualifiedSubject.defaultContext)
    }

    /// The schema with an id in the default context, as a descriptor (Confluent's `format=serialized`).
    public func descriptor(id: Int) async throws(RegistryError) -> Google_Protobuf_FileDescriptorProto {
        try await resolve(try await schema(id: id)).file
    }
}
