public import FerryCodec

/// Writes messages of one generated type as Confluent-framed payloads, registering or looking up the
/// type's schema in a registry.
///
/// The schema is the linked descriptor of the file that defines `M` (with its imports). Imports other
/// than the well-known types are registered (or looked up) first, each under a subject named after its
/// file, and sent as references, as Confluent's serializers do.
public struct ProtobufSerializer<M: Message>: Sendable {
    /// How the serializer finds its schema id.
    public struct Configuration: Sendable, Hashable {
        /// Register the schema when the subject does not hold it yet (otherwise look it up only).
        public var autoRegister: Bool
        /// Use the subject's latest version's id instead of registering or looking up `M`'s schema.
        public var useLatestVersion: Bool
        /// How subjects are named.
        public var subjectNameStrategy: SubjectNameStrategy
        /// Leave `google/protobuf/*.proto` imports out of the references (the registry knows them).
        public var skipKnownTypes: Bool

        /// Creates a configuration; the defaults are Confluent's.
        public init(
            autoRegister: Bool = true, useLatestVersion: Bool = false, subjectNameStrategy: SubjectNameStrategy = .topicName,
            skipKnownTypes: Bool = true
        ) {
            self.autoRegister = autoRegister
            self.useLatestVersion = useLatestVersion
            self.subjectNameStrategy = subjectNameStrategy
            self.skipKnownTypes = skipKnownTypes
        }
    }

    private let client: any RegistryClient
    private let schema: ProtobufSchema
    private let messageIndexes: [Int]
    /// The configuration in use.
    public let configuration: Configuration

    /// Creates a serializer for `M`.
    ///
    /// - Parameters:
    ///   - client: the registry.
    ///   - schema: the linked file that defines `M`, with its imports.
    /// - Throws: ``PayloadError/Code/wrongMessageType`` when the file does not define `M`.
    public init(client: any RegistryClient, schema: ProtobufSchema, configuration: Configuration = Configuration()) throws(PayloadError) {
        guard let entry = schema.messageIndexes.first(where: { $0.name == M.protoMessageName }) else {
            throw PayloadError(.wrongMessageType, "schema file \(schema.file.name ?? "?") does not define \(M.protoMessageName)")
        }
        self.client = client
        self.schema = schema
        self.messageIndexes = entry.indexes
        self.configuration = configuration
    }

    /// Frames `message` for `topic`: magic byte, schema id, message indexes, protobuf bytes.
    ///
    /// - Throws: ``PayloadError/Code/registry`` when the registry refuses or cannot be reached.
    public func serialize(_ message: M, topic: String, isKey: Bool = false) async throws(PayloadError) -> [UInt8] {
        let subject = configuration.subjectNameStrategy.subject(topic: topic, isKey: isKey, recordName: M.protoMessageName)
        let id: Int
        do {
            id = try await schemaID(subject: subject)
        } catch {
            throw PayloadError(.registry, "cannot get a schema id for subject \(subject): \(error.message)", cause: error)
        }
        return ConfluentWireFormat.encode(
            ConfluentWireFormat.Header(schemaID: id, messageIndexes: messageIndexes), payload: message.serializedBytes())
    }

    private func schemaID(subject: String) async throws(RegistryError) -> Int {
        if configuration.useLatestVersion {
            return try await client.version(subject: subject, .latest).schema.id
        }
        let input = try await input(for: schema.file)
        if configuration.autoRegister {
            return try await client.registerSchema(subject: subject, input)
        }
        return try await client.lookupSchema(subject: subject, input).schema.id
    }

    private func input(for file: Google_Protobuf_FileDescriptorProto) async throws(RegistryError) -> SchemaInput {
        try await client.schemaInput(
            for: file, in: schema, registerReferences: configuration.autoRegister, skipKnownTypes: configuration.skipKnownTypes)
    }
}
