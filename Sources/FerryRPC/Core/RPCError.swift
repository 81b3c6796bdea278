/// The one error FerryRPC throws: a failed RPC, with the gRPC code, a message, the trailing metadata
/// the peer sent and, where there is one, the underlying cause.
///
/// Clients receive it for every non-OK status; server handlers throw it to choose the status the
/// client sees (any other error thrown by a handler is reported as ``Status/Code/unknown``).
public struct RPCError: Error, Sendable, CustomStringConvertible {
    /// The status codes an RPC can fail with (every gRPC code; ``Status/Code/ok`` is not a failure
    /// but is kept so that one type covers all 17).
    public typealias Code = Status.Code

    /// What went wrong, as a gRPC status code.
    public var code: Code
    /// A message for developers.
    public var message: String
    /// Metadata sent with the failure (trailers on the wire).
    public var metadata: Metadata
    /// The lower-level error that caused this one, if any.
    public var cause: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, metadata: Metadata = [:], cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.metadata = metadata
        self.cause = cause
    }

    /// Creates an error from a non-OK status and its trailing metadata.
    public init(status: Status, metadata: Metadata = [:]) {
        self.init(code: status.code, message: status.message, metadata: metadata)
    }

    /// The trailer that carries rich error details.
    public static let statusDetailsKey = "grpc-status-details-bin"

    /// Rich error details: a serialized `google.rpc.Status` carried in the `grpc-status-details-bin`
    /// trailer, or nil when the peer sent none. Setting it sends the trailer with the error.
    public var statusDetails: [UInt8]? {
        get { metadata[binaryValues: Self.statusDetailsKey].first }
        set {
            metadata.removeAll(forKey: Self.statusDetailsKey)
            if let newValue { metadata.addBinary(newValue, forKey: Self.statusDetailsKey) }
        }
    }

    /// The status sent to the peer for this error.
    public var status: Status { Status(code: code, message: message) }

    /// `code: message`, followed by the cause when there is one.
    public var description: String {
        var text = "\(code): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }

    /// Converts any error thrown while running an RPC into an ``RPCError``: RPC errors pass through,
    /// task cancellation becomes ``Status/Code/cancelled`` and anything else ``Status/Code/unknown``.
    public init(converting error: any Error) {
        switch error {
        case let error as RPCError:
            self = error
        case is CancellationError:
            self.init(code: .cancelled, message: "The RPC was cancelled.")
        default:
            self.init(code: .unknown, message: "Unexpected error: \(error)", cause: error)
        }
    }
}
