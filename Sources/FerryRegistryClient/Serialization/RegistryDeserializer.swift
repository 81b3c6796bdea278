/// Public: `Message`, `DecodingOptions` and `FileDescriptorProto` (FerryCodec) appear in this file's public API.
public import FerryCodec

/// Reads Confluent-framed payloads as messages of one generated type.
///
/// The writer's schema is fetched by id as a descriptor (`format=serialized`, cached by the client),
/// the message-index path is resolved in it, and the payload is refused unless the path names `M`.
public struct RegistryDeserializer<M: Message>: Sendable {
    private let client: any RegistryClient
    private let options: DecodingOptions

    /// Creates a deserializer for `M`.
    public init(client: any RegistryClient, options: DecodingOptions = DecodingOptions()) {
        self.client = client
        self.options = options
    }

    /// Decodes a framed payload.
    ///
    /// - Throws: ``PayloadError`` with ``PayloadError/Code/wrongMagicByte``, ``PayloadError/Code/truncated``,
    ///   ``PayloadError/Code/unknownSchemaID``, ``PayloadError/Code/wrongMessageType``,
    ///   ``PayloadError/Code/invalidMessage`` or ``PayloadError/Code/registry``.
    public func deserialize(_ bytes: [UInt8]) async throws(PayloadError) -> M {
        let (writerType, payload) = try await WriterType.of(bytes, client: client)
        guard writerType == M.protoMessageName else {
            throw PayloadError(
                .wrongMessageType,
                "payload was written as \(writerType), expected \(M.protoMessageName)"
            )
        }
        do {
            return try M(serializedBytes: payload, options: options)
        } catch {
            throw PayloadError(
                .invalidMessage,
                "payload does not decode as \(M.protoMessageName): \(error)",
                cause: error
            )
        }
    }

    /// The fully qualified name of the message at a message-index path, or nil when the path leaves the file.
    public static func messageName(in file: Google_Protobuf_FileDescriptorProto, at indexes: [Int]) -> String? {
        WriterType.messageName(in: file, at: indexes)
    }
}

/// The generated message types a consumer reads, by their full protobuf names.
public struct MessageTypeRegistry: Sendable {
    private let types: [String: any Message.Type]

    /// A registry of `types`; a later type with the same protobuf name replaces an earlier one.
    public init(_ types: [any Message.Type]) {
        self.types = Dictionary(types.map { ($0.protoMessageName, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The type registered under a full protobuf name, such as `acme.events.OrderPlaced`.
    public func type(named name: String) -> (any Message.Type)? { types[name] }

    /// The registered names, sorted.
    public var names: [String] { types.keys.sorted() }
}

/// Reads Confluent-framed payloads as whichever registered generated type wrote them: one consumer
/// for a topic that carries several event types.
public struct AnyRegistryDeserializer: Sendable {
    private let client: any RegistryClient
    private let types: MessageTypeRegistry
    private let options: DecodingOptions

    /// Creates a deserializer for the types in `types`.
    public init(client: any RegistryClient, types: MessageTypeRegistry, options: DecodingOptions = DecodingOptions()) {
        self.client = client
        self.types = types
        self.options = options
    }

    /// Decodes a framed payload as the registered type its writer's schema names.
    ///
    /// - Throws: ``PayloadError`` as ``RegistryDeserializer/deserialize(_:)`` does, with
    ///   ``PayloadError/Code/wrongMessageType`` when no registered type has the writer's name.
    public func deserialize(_ bytes: [UInt8]) async throws(PayloadError) -> any Message {
        let (writerType, payload) = try await WriterType.of(bytes, client: client)
        guard let type = types.type(named: writerType) else {
            throw PayloadError(
                .wrongMessageType,
                "payload was written as \(writerType), which is not among \(types.names)"
            )
        }
        do {
            return try type.init(serializedBytes: payload, options: options)
        } catch {
            throw PayloadError(.invalidMessage, "payload does not decode as \(writerType): \(error)", cause: error)
        }
    }
}

/// What both deserializers do first: find the writer's message type of a framed payload.
enum WriterType {
    /// The full name of the message a framed payload was written as (from the writer's schema,
    /// fetched by id, and the header's message-index path), and the payload after the header.
    static func of(
        _ bytes: [UInt8],
        client: any RegistryClient
    ) async throws(PayloadError) -> (name: String, payload: [UInt8]) {
        let (header, payload) = try ConfluentWireFormat.decode(bytes)
        let file: Google_Protobuf_FileDescriptorProto
        do {
            file = try await client.descriptor(id: header.schemaID)
        } catch  where error.code == .schemaNotFound {
            throw PayloadError(.unknownSchemaID, "the registry has no schema with id \(header.schemaID)", cause: error)
        } catch {
            throw PayloadError(.registry, "cannot fetch schema \(header.schemaID): \(error.message)", cause: error)
        }
        guard let name = messageName(in: file, at: header.messageIndexes) else {
            throw PayloadError(
                .wrongMessageType,
                "message index path \(header.messageIndexes) names no message of schema \(header.schemaID)"
            )
        }
        return (name, Array(payload))
    }

    /// The fully qualified name of the message at a message-index path, or nil when the path leaves the file.
    static func messageName(in file: Google_Protobuf_FileDescriptorProto, at indexes: [Int]) -> String? {
        guard let first = indexes.first, file.messageType.indices.contains(first) else { return nil }
        var message = file.messageType[first]
        let package = file.package ?? ""
        var name = package.isEmpty ? (message.name ?? "") : "\(package).\(message.name ?? "")"
        for index in indexes.dropFirst() {
            guard message.nestedType.indices.contains(index) else { return nil }
            message = message.nestedType[index]
            name += "." + (message.name ?? "")
        }
        return name
    }
}
