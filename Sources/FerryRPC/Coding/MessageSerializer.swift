/// Public: the protobuf serializers are generic over FerryCodec's `Message`.
public import FerryCodec

/// Turns a message into the bytes of one gRPC message frame.
///
/// Implementations throw ``RPCError`` (usually ``Status/Code/internalError``) when a message cannot
/// be serialized.
public protocol MessageSerializer<Message>: Sendable {
    /// The message type this serializer accepts.
    associatedtype Message

    /// Serializes one message.
    func serialize(_ message: Message) throws(RPCError) -> [UInt8]
}

/// Turns the bytes of one gRPC message frame into a message.
///
/// Implementations throw ``RPCError`` with ``Status/Code/internalError`` when the bytes are not a
/// valid message, so that a malformed peer message fails the call instead of the process.
public protocol MessageDeserializer<Message>: Sendable {
    /// The message type this deserializer produces.
    associatedtype Message

    /// Deserializes one message.
    func deserialize(_ bytes: [UInt8]) throws(RPCError) -> Message
}

/// Serializes `FerryCodec.Message` values with the protobuf binary encoding.
///
/// A message with a required field unset fails with ``Status/Code/internalError`` before it is
/// sent, as gRPC's C++ serializer does, unless the serializer was made with `allowPartial`: the
/// receiver would reject it anyway.
public struct ProtobufSerializer<Message: FerryCodec.Message>: MessageSerializer {
    private let allowPartial: Bool

    /// Creates a serializer; `allowPartial` sends messages with required fields unset.
    public init(allowPartial: Bool = false) {
        self.allowPartial = allowPartial
    }

    /// The message's binary encoding; a failure (such as an unset required field) throws INTERNAL.
    public func serialize(_ message: Message) throws(RPCError) -> [UInt8] {
        do {
            return try message.serializedBytes(partial: allowPartial)
        } catch {
            throw RPCError(code: .internalError, message: "Failed to encode \(error)", cause: error)
        }
    }
}

/// Deserializes `FerryCodec.Message` values from the protobuf binary encoding.
public struct ProtobufDeserializer<Message: FerryCodec.Message>: MessageDeserializer {
    /// Creates a deserializer.
    public init() {}

    /// Decodes the binary encoding; bytes that are not a valid `Message` throw INTERNAL.
    public func deserialize(_ bytes: [UInt8]) throws(RPCError) -> Message {
        do {
            return try Message(serializedBytes: bytes)
        } catch {
            throw RPCError(
                code: .internalError,
                message: "Failed to decode \(Message.protoMessageName): \(error)",
                cause: error
            )
        }
    }
}

/// Passes message bytes through unchanged: for proxies, tests and peers without generated types.
public struct RawBytesSerializer: MessageSerializer, MessageDeserializer {
    /// Creates a pass-through coder.
    public init() {}

    /// Returns the bytes as they are.
    public func serialize(_ message: [UInt8]) throws(RPCError) -> [UInt8] { message }

    /// Returns the bytes as they are.
    public func deserialize(_ bytes: [UInt8]) throws(RPCError) -> [UInt8] { bytes }
}
