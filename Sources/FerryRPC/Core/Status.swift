/// The outcome of an RPC as gRPC reports it: a code and a human-readable message.
///
/// A status travels at the end of every call (in HTTP/2 trailers as `grpc-status` and
/// `grpc-message`). ``Status/Code/ok`` means success; every other code is a failure that the client
/// surfaces as an ``RPCError``.
public struct Status: Sendable, Hashable, CustomStringConvertible {
    /// The status code.
    public var code: Code
    /// A message for developers; may be empty.
    public var message: String

    /// Creates a status.
    public init(code: Code, message: String = "") {
        self.code = code
        self.message = message
    }

    /// The successful status.
    public static let ok = Status(code: .ok)

    /// The code's name, then `: message` when the message is not empty.
    public var description: String {
        message.isEmpty ? "\(code)" : "\(code): \(message)"
    }
}

extension Status {
    /// One of gRPC's 17 status codes (doc/statuscodes.md).
    ///
    /// A struct around a private enum, so that adding codes later does not break source that switches
    /// over them. Values received from the wire outside 0...16 become ``unknown``.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Wrapped: Int, Sendable, Hashable, CaseIterable {
            case ok = 0
            case cancelled, unknown, invalidArgument, deadlineExceeded, notFound, alreadyExists,
                permissionDenied, resourceExhausted, failedPrecondition, aborted, outOfRange,
                unimplemented, internalError, unavailable, dataLoss, unauthenticated
        }

        private let wrapped: Wrapped

        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// Creates a code from its numeric value, or nil when the value is not one of the 17 codes.
        public init?(rawValue: Int) {
            guard let wrapped = Wrapped(rawValue: rawValue) else { return nil }
            self.wrapped = wrapped
        }

        /// Creates a code from a value received from a peer: values that aren't codes become ``unknown``.
        public init(wireValue: Int) {
            self = Code(rawValue: wireValue) ?? .unknown
        }

        /// The numeric value sent as `grpc-status`.
        public var rawValue: Int { wrapped.rawValue }

        /// Every code, in numeric order.
        public static var allCases: [Code] { Wrapped.allCases.map(Code.init) }

        /// Not an error; returned on success.
        public static let ok = Code(.ok)
        /// The operation was cancelled, typically by the caller.
        public static let cancelled = Code(.cancelled)
        /// Unknown error, e.g. a status from another address space or an error without a status.
        public static let unknown = Code(.unknown)
        /// The client specified an invalid argument.
        public static let invalidArgument = Code(.invalidArgument)
        /// The deadline expired before the operation could complete.
        public static let deadlineExceeded = Code(.deadlineExceeded)
        /// Some requested entity was not found.
        public static let notFound = Code(.notFound)
        /// The entity a client attempted to create already exists.
        public static let alreadyExists = Code(.alreadyExists)
        /// The caller does not have permission to execute the operation.
        public static let permissionDenied = Code(.permissionDenied)
        /// Some resource has been exhausted (quota, disk, message size).
        public static let resourceExhausted = Code(.resourceExhausted)
        /// The system is not in a state required for the operation.
        public static let failedPrecondition = Code(.failedPrecondition)
        /// The operation was aborted, typically because of a concurrency issue.
        public static let aborted = Code(.aborted)
        /// The operation was attempted past the valid range.
        public static let outOfRange = Code(.outOfRange)
        /// The operation is not implemented or not supported by the server.
        public static let unimplemented = Code(.unimplemented)
        /// Internal error: an invariant expected by the system was broken.
        public static let internalError = Code(.internalError)
        /// The service is currently unavailable; retrying with backoff may help.
        public static let unavailable = Code(.unavailable)
        /// Unrecoverable data loss or corruption.
        public static let dataLoss = Code(.dataLoss)
        /// The request lacks valid authentication credentials.
        public static let unauthenticated = Code(.unauthenticated)

        /// The code's name in gRPC's upper snake case, as used in service configs (`UNAVAILABLE`).
        public var name: String {
            switch wrapped {
            case .ok: "OK"
            case .cancelled: "CANCELLED"
            case .unknown: "UNKNOWN"
            case .invalidArgument: "INVALID_ARGUMENT"
            case .deadlineExceeded: "DEADLINE_EXCEEDED"
            case .notFound: "NOT_FOUND"
            case .alreadyExists: "ALREADY_EXISTS"
            case .permissionDenied: "PERMISSION_DENIED"
            case .resourceExhausted: "RESOURCE_EXHAUSTED"
            case .failedPrecondition: "FAILED_PRECONDITION"
            case .aborted: "ABORTED"
            case .outOfRange: "OUT_OF_RANGE"
            case .unimplemented: "UNIMPLEMENTED"
            case .internalError: "INTERNAL"
            case .unavailable: "UNAVAILABLE"
            case .dataLoss: "DATA_LOSS"
            case .unauthenticated: "UNAUTHENTICATED"
            }
        }

        /// Creates a code from its upper snake case name (`"UNAVAILABLE"`), or nil for other text.
        public init?(name: String) {
            guard let code = Code.allCases.first(where: { $0.name == name.uppercased() }) else { return nil }
            self = code
        }

        /// The upper snake case name, e.g. `UNAVAILABLE`.
        public var description: String { name }
    }
}
