internal import CRDKafka

/// Why a Kafka operation failed: librdkafka's error code (a broker's or one of the client's own),
/// its message, and whether trying again may succeed.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A librdkafka error code: negative values are the client's own (`_QUEUE_FULL`,
    /// `_MSG_TIMED_OUT`), positive ones the Kafka protocol's (`TOPIC_AUTHORIZATION_FAILED`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// librdkafka's `rd_kafka_resp_err_t` value.
        public let rawValue: Int32

        /// Wraps a librdkafka error code.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        init(_ error: rd_kafka_resp_err_t) {
            rawValue = error.rawValue
        }

        /// librdkafka's name for the code, e.g. `_QUEUE_FULL` or `UNKNOWN_TOPIC_OR_PART`.
        public var description: String {
            String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: rawValue)))
        }

        /// The producer's queue holds ``KafkaProducerConfiguration/maxQueuedMessages`` or
        /// ``KafkaProducerConfiguration/maxQueuedBytes`` already.
        public static let queueFull = Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)
        /// A message was not acknowledged within ``KafkaProducerConfiguration/deliveryTimeout``.
        public static let messageTimedOut = Code(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        /// An operation did not finish in time.
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        /// A configuration property is unknown or its value invalid.
        public static let invalidArgument = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
        /// The client was closed.
        public static let closed = Code(RD_KAFKA_RESP_ERR__DESTROY)
        /// A message could not be turned into bytes (its schema could not be registered, say).
        public static let valueSerialization = Code(RD_KAFKA_RESP_ERR__VALUE_SERIALIZATION)
        /// A record's bytes could not be read as the expected message.
        public static let valueDeserialization = Code(RD_KAFKA_RESP_ERR__VALUE_DESERIALIZATION)
        /// A message is larger than ``KafkaProducerConfiguration/maxMessageBytes``.
        public static let messageTooLarge = Code(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
        /// The topic does not exist (or is not visible to this client).
        public static let unknownTopic = Code(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
        /// The client hit an error it cannot recover from (an idempotent producer's sequence gap,
        /// a consumer fenced by a newer member); it must be closed and created again.
        public static let fatal = Code(RD_KAFKA_RESP_ERR__FATAL)
    }

    /// What went wrong, by code.
    public var code: Code
    /// librdkafka's or Ferry's explanation.
    public var message: String
    /// Whether the same operation may succeed if tried again (a full queue, a leader moving).
    public var isRetriable: Bool
    /// What caused it, when it came from another layer (a registry error, say).
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, isRetriable: Bool = false, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.cause = cause
    }

    init(_ error: rd_kafka_resp_err_t, context: String) {
        let text = String(cString: rd_kafka_err2str(error))
        let retriable = [
            RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT,
            RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
        ].contains(error)
        self.init(Code(error), "\(context): \(text)", isRetriable: retriable)
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }

    /// Errors are equal when code, message and retriability are; the cause is not compared.
    public static func == (lhs: KafkaError, rhs: KafkaError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.isRetriable == rhs.isRetriable
    }

    /// Hashes what ``==(_:_:)`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(isRetriable)
    }
}
