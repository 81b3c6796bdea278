/// Public: `FileDescriptorProto` (FerryCodec) appears in this file's public API.
public import FerryCodec

/// What serializers and deserializers need from a schema registry.
///
/// ``HTTPRegistryClient`` talks to a registry over its REST API (Ferry's or Confluent's) and caches;
/// FerryRegistry's `SchemaRegistry` itself conforms, for in-process use. Failures are ``RegistryError``s with the
/// registry's codes (40403 for an unknown id, 409 for an incompatible schema, ...).
public protocol RegistryClient: Sendable {
    /// Registers a schema under a subject (or finds it there) and returns its global id.
    func registerSchema(subject: String, _ schema: SchemaInput) async throws(RegistryError) -> Int
    /// The subject version that holds a schema.
    func lookupSchema(subject: String, _ schema: SchemaInput) async throws(RegistryError) -> SubjectVersion
    /// One version of a subject (`latest` for the newest).
    func version(subject: String, _ version: VersionSelector) async throws(RegistryError) -> SubjectVersion
    /// The schema with a global id, as text.
    func schema(id: Int) async throws(RegistryError) -> StoredSchema
    /// The schema with a global id, as a descriptor (Confluent's `format=serialized`).
    func descriptor(id: Int) async throws(RegistryError) -> Google_Protobuf_FileDescriptorProto
}

extension RegistryClient {
    /// The registry input for one file of a schema: its descriptor in base64 (as confluent-kafka's
    /// serializers send it; the registry stores its canonical form), with every import other than
    /// the well-known types registered (or, without `registerReferences`, looked up) under a subject
    /// named after the imported file and listed as a reference, as Confluent's serializers do.
    ///
    /// - Throws: the registry's errors, e.g. 40401 when a reference is looked up but not registered.
    public func schemaInput(
        for file: Google_Protobuf_FileDescriptorProto,
        in schema: ProtobufSchema,
        registerReferences: Bool,
        skipKnownTypes: Bool = true
    ) async throws(RegistryError) -> SchemaInput {
        var references: [SchemaReference] = []
        for dependency in file.dependency {
            if skipKnownTypes && dependency.hasPrefix("google/protobuf/") { continue }
            guard let imported = schema.allFiles.first(where: { $0.name == dependency }) else { continue }
            let dependencyInput = try await schemaInput(
                for: imported,
                in: schema,
                registerReferences: registerReferences,
                skipKnownTypes: skipKnownTypes
            )
            if registerReferences {
                _ = try await registerSchema(subject: dependency, dependencyInput)
            }
            let version = try await lookupSchema(subject: dependency, dependencyInput)
            references.append(SchemaReference(name: dependency, subject: dependency, version: version.version))
        }
        return SchemaInput(descriptor: file, references: references)
    }
}
