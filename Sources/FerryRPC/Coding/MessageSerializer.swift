/// Public: the protobuf serializers are generic over FerryCodec's `Message`.
public import FerryCodec

/// How a call's messages are encoded on the wire: protobuf's binary form (every protocol) or its
/// JSON mapping (Connect's and gRPC-Web's `json` codec, chosen by the request's content type).
public enum MessageCodec: String, Sendable, Hashable, CaseIterable {
    /// The binary encoding (`proto`).
    case proto
    /// The JSON mapping (`json`).
    case json
}

/// Turns a message into the bytes of one gRPC message frame.
///
/// Implementations throw ``RPCError`` (usually ``Status/Code/internalError``) when a message cannot
/// be serialized.
public protocol MessageSerializer<Message>: Sendable {
    /// The message type this serializer accepts.
    associatedtype Message

    /// Serializes one message.
    func serialize(_ message: Message) throws(RPCError) -> [UInt8]

    /// Serializes one message with `codec`; the default takes the binary form and refuses JSON
    /// with UNIMPLEMENTED (``ProtobufSerializer`` writes both).
    func serialize(_ message: Message, codec: MessageCodec) throws(RPCError) -> [UInt8]
}

extension MessageSerializer {
    /// The binary form; JSON is refused with UNIMPLEMENTED.
    public func serialize(_ message: Message, codec: MessageCodec) throws(RPCError) -> [UInt8] {
        guard codec == .proto else { throw Self.noJSON }
        return try serialize(message)
    }

    private static var noJSON: RPCError {
        RPCError(
            code: .unimplemented,
            message: "This method's messages have no JSON form; call it with the proto codec."
        )
    }
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

    /// Deserializes one message encoded with `codec`; the default reads the binary form and refuses
    /// JSON with UNIMPLEMENTED (``ProtobufDeserializer`` reads both).
    func deserialize(_ bytes: [UInt8], codec: MessageCodec) throws(RPCError) -> Message
}

extension MessageDeserializer {
    /// The binary form; JSON is refused with UNIMPLEMENTED.
    public func deserialize(_ bytes: [UInt8], codec: MessageCodec) throws(RPCError) -> Message {
        guard codec == .proto else {
            throw RPCError(
                code: .unimplemented,
                message: "This method's messages have no JSON form; call it with the proto codec."
            )
        }
        return try deserialize(bytes)
    }
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

    /// The message in `codec`: the binary encoding, or protobuf's JSON mapping.
    public func serialize(_ message: Message, codec: MessageCodec) throws(RPCError) -> [UInt8] {
        guard codec == .json else { return try serialize(message) }
        // The JSON mapping needs the message's descriptor, which every generated message has.
        guard let described = message as? any DescribedMessage else {
            throw RPCError(code: .unimplemented, message: "\(Message.self) has no descriptor, so no JSON form.")
        }
        do {
            return try described.jsonUTF8Bytes()
        } catch {
            throw RPCError(code: .internalError, message: "Failed to encode JSON: \(error)", cause: error)
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

    /// Decodes `codec`'s form: the binary encoding, or protobuf's JSON mapping (JSON that does not
    /// read as the message is the caller's mistake: INVALID_ARGUMENT).
    public func deserialize(_ bytes: [UInt8], codec: MessageCodec) throws(RPCError) -> Message {
        guard codec == .json else { return try deserialize(bytes) }
        guard let described = Message.self as? any DescribedMessage.Type else {
            throw RPCError(code: .unimplemented, message: "\(Message.self) has no descriptor, so no JSON form.")
        }
        do {
            guard let message = try described.init(jsonUTF8Bytes: bytes) as? Message else {
                throw RPCError(code: .internalError, message: "JSON decoding made another type than \(Message.self).")
            }
            return message
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(
                code: .invalidArgument,
                message: "The request is not a \(Message.protoMessageName) in JSON: \(error)",
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
