/// Why a broker payload could not be written or read.
public struct PayloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; a struct around a private enum so that codes can be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case wrongMagicByte, truncated, unknownSchemaID, wrongMessageType, invalidMessage, registry
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The first byte is not the Confluent magic byte 0.
        public static let wrongMagicByte = Code(.wrongMagicByte)
        /// The payload ends inside the header (magic byte, schema id or message indexes).
        public static let truncated = Code(.truncated)
        /// The registry has no schema with the payload's id.
        public static let unknownSchemaID = Code(.unknownSchemaID)
        /// The payload was written with another message type than the one asked for.
        public static let wrongMessageType = Code(.wrongMessageType)
        /// The protobuf bytes after the header do not decode as the message.
        public static let invalidMessage = Code(.invalidMessage)
        /// The registry failed (network, refusal, incompatible schema).
        public static let registry = Code(.registry)

        /// A one-line form for logs and messages.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A message for people.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// A one-line form for logs and messages.
    public var description: String {
        cause.map { "\(message) (\(code); cause: \($0))" } ?? "\(message) (\(code))"
    }

    /// Errors are equal when their codes and messages are (causes are not compared).
    public static func == (lhs: PayloadError, rhs: PayloadError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }
    /// Hashes the code and message, as `==` compares them.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
