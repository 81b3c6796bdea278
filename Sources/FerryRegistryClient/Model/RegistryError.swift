/// An error of the schema registry, carrying the Confluent error code the REST API answers with.
///
/// `Code` wraps a private enum so new codes can be added without breaking source.
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a Confluent error code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: Int, Sendable, Hashable {
            case unauthorized = 40101
            case forbidden = 40301
            case subjectNotFound = 40401
            case versionNotFound = 40402
            case schemaNotFound = 40403
            case subjectSoftDeleted = 40404
            case subjectNotSoftDeleted = 40405
            case schemaVersionSoftDeleted = 40406
            case schemaVersionNotSoftDeleted = 40407
            case subjectLevelCompatibilityNotConfigured = 40408
            case subjectLevelModeNotConfigured = 40409
            case incompatibleSchema = 409
            case invalidSchema = 42201
            case invalidVersion = 42202
            case invalidCompatibilityLevel = 42203
            case invalidMode = 42204
            case operationNotPermitted = 42205
            case referenceExists = 42206
            case tooManyRequests = 42901
            case schemaIDInUse = 42207
            case invalidSubject = 42208
            case storeError = 50001
            case operationTimeout = 50002
            case requestForwardingFailed = 50003
            // Client-side failures have no HTTP answer and so no Confluent code: negative numbers
            // keep them apart from every code a registry server sends.
            case transportError = -1
            case unexpectedResponse = -2
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The request has no valid credentials (40101, HTTP 401).
        public static let unauthorized = Code(.unauthorized)
        /// The credentials' role may not do what the request asks (40301, HTTP 403).
        public static let forbidden = Code(.forbidden)
        /// The subject does not exist (40401).
        public static let subjectNotFound = Code(.subjectNotFound)
        /// The version does not exist under the subject (40402).
        public static let versionNotFound = Code(.versionNotFound)
        /// No schema has that id, or the schema is not registered under the subject (40403).
        public static let schemaNotFound = Code(.schemaNotFound)
        /// The subject was soft-deleted (40404).
        public static let subjectSoftDeleted = Code(.subjectSoftDeleted)
        /// A permanent delete of a subject that was not soft-deleted first (40405).
        public static let subjectNotSoftDeleted = Code(.subjectNotSoftDeleted)
        /// The version was soft-deleted (40406).
        public static let schemaVersionSoftDeleted = Code(.schemaVersionSoftDeleted)
        /// A permanent delete of a version that was not soft-deleted first (40407).
        public static let schemaVersionNotSoftDeleted = Code(.schemaVersionNotSoftDeleted)
        /// The subject has no compatibility level of its own (40408).
        public static let subjectLevelCompatibilityNotConfigured = Code(.subjectLevelCompatibilityNotConfigured)
        /// The subject has no mode of its own (40409).
        public static let subjectLevelModeNotConfigured = Code(.subjectLevelModeNotConfigured)
        /// The schema breaks the subject's compatibility level (HTTP 409).
        public static let incompatibleSchema = Code(.incompatibleSchema)
        /// The schema text or descriptor could not be parsed or linked (42201).
        public static let invalidSchema = Code(.invalidSchema)
        /// A version that is neither a positive number nor `latest` (42202).
        public static let invalidVersion = Code(.invalidVersion)
        /// An unknown compatibility level (42203).
        public static let invalidCompatibilityLevel = Code(.invalidCompatibilityLevel)
        /// An unknown mode (42204).
        public static let invalidMode = Code(.invalidMode)
        /// The mode forbids the operation, e.g. a write in READONLY (42205).
        public static let operationNotPermitted = Code(.operationNotPermitted)
        /// The schema is referenced by another one and cannot be deleted (42206).
        public static let referenceExists = Code(.referenceExists)
        /// The server is too busy to check more credentials now; retry later (42901, HTTP 429).
        public static let tooManyRequests = Code(.tooManyRequests)
        /// In IMPORT mode, the requested id already holds a different schema (42207).
        public static let schemaIDInUse = Code(.schemaIDInUse)
        /// A subject name the registry cannot take, such as a malformed context qualifier (42208).
        public static let invalidSubject = Code(.invalidSubject)
        /// The storage backend failed (50001).
        public static let storeError = Code(.storeError)
        /// The registry timed out (a server's answer, 50002).
        public static let operationTimeout = Code(.operationTimeout)
        /// A follower registry could not forward the request to its leader (a server's answer, 50003).
        public static let requestForwardingFailed = Code(.requestForwardingFailed)
        /// The registry could not be reached: no HTTP answer arrived (client side, -1; no server sends it).
        public static let transportError = Code(.transportError)
        /// The registry answered something the client could not understand (client side, -2; no server sends it).
        public static let unexpectedResponse = Code(.unexpectedResponse)

        /// The numeric error code of Confluent's REST API.
        public var rawValue: Int { value.rawValue }

        /// The code for a numeric Confluent error code, if Ferry knows it.
        public init?(rawValue: Int) {
            guard let value = Value(rawValue: rawValue) else { return nil }
            self.value = value
        }

        /// The HTTP status that goes with the code.
        public var httpStatus: Int {
            switch value {
            case .incompatibleSchema: 409
            case .storeError, .operationTimeout, .requestForwardingFailed: 500
            // Only relayed if a server ever passes on a client's failure: a gateway's statuses.
            case .transportError: 503
            case .unexpectedResponse: 502
            default: rawValue / 100
            }
        }

        /// A one-line form for logs and messages.
        public var description: String { String(rawValue) }
    }

    /// What went wrong.
    public var code: Code
    /// A message for people, with the details (subject, version, id, reasons).
    public var message: String
    /// One line per reason, for errors that have several (the breaking changes of an incompatible schema).
    public var details: [String]
    /// The underlying error, if another error caused this one.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, details: [String] = [], cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.cause = cause
    }

    /// A one-line form for logs and messages.
    public var description: String {
        if let cause { return "\(message) (error \(code); cause: \(cause))" }
        return "\(message) (error \(code))"
    }

    /// Errors are equal when their codes and messages are (causes are not compared).
    public static func == (lhs: RegistryError, rhs: RegistryError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    /// Hashes the code and message, as `==` compares them.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}

extension RegistryError {
    /// IMPORT mode asked for an id that holds another schema (Confluent's wording).
    package static func schemaIDInUse(_ id: Int) -> RegistryError {
        RegistryError(.schemaIDInUse, "Overwrite new schema with id \(id) is not permitted.")
    }
}
