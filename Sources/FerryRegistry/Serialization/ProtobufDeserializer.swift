public import FerryCodec

/// Reads Confluent-framed payloads as messages of one generated type.
///
/// The writer's schema is fetched by id as a descriptor (`format=serialized`, cached by the client),
/// the message-index path is resolved in it, and the payload is refused unless the path names `M`.
public struct ProtobufDeserializer<M: Message>: Sendable {
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
        let (header, payload) = try ConfluentWireFormat.decode(bytes)
        let file: Google_Protobuf_FileDescriptorProto
        do {
            file = try await client.descriptor(id: header.schemaID)
        } catch where error.code == .schemaNotFound {
            throw PayloadError(.unknownSchemaID, "the registry has no schema with id \(header.schemaID)", cause: error)
        } catch {
            throw PayloadError(.registry, "cannot fetch schema \(header.schemaID): \(error.message)", cause: error)
        }
        let writerType = Self.messageName(in: file, at: header.messageIndexes)
        guard writerType == M.protoMessageName else {
            throw PayloadError(
                .wrongMessageType,
                "payload was written as \(writerType ?? "message index path \(header.messageIndexes), which names no message") of schema \(header.schemaID), expected \(M.protoMessageName)")
        }
        do {
            return try M(serializedBytes: Array(payload), options: options)
        } catch {
            throw PayloadError(.invalidMessage, "payload does not decode as \(M.protoMessageName): \(error)", cause: error)
        }
    }

    /// The fully qualified name of the message at a message-index path, or nil when the path leaves the file.
    public static func messageName(in file: Google_Protobuf_FileDescriptorProto, at indexes: [Int]) -> String? {
        guard let first = indexes.first, file.messageType.indices.contains(first) else { return nil }
        var message = file.messageType[first]
        var name = TypeIndex.join(file.package ?? "", message.name)
        for index in indexes.dropFirst() {
            guard message.nestedType.indices.contains(index) else { return nil }
            message = message.nestedType[index]
            name += "." + (message.name ?? "")
        }
        return name
    }
}
