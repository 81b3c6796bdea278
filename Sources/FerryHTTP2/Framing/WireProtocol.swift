import FerryRPC

/// The RPC protocols a Ferry server answers on one port, told apart per request by its content type.
///
/// They differ only in the envelope around the same calls: which headers carry the timeout and the
/// compression, how messages are framed, and how the status travels back. Everything behind the
/// transport (routing, interceptors, limits, deadlines) is the same for all of them.
enum WireProtocol: Sendable, Equatable {
    /// gRPC over HTTP/2 (`application/grpc`): length-prefixed messages, the status in trailers.
    case grpc
    /// gRPC-Web (`application/grpc-web+proto`): gRPC's framing, the status in a last message with
    /// flag 0x80 instead of HTTP trailers; with `text`, the body is base64
    /// (`application/grpc-web-text`).
    case grpcWeb(text: Bool)
    /// Connect unary (`application/proto`): the body is the message itself; the status is the HTTP
    /// status, with a JSON error body when the call fails.
    case connectUnary
    /// Connect streaming (`application/connect+proto`): length-prefixed messages, the status in a
    /// last JSON message with flag 0x02.
    case connectStreaming

    /// The protocol of a request's content type; nil when it names none this server speaks (a 415).
    /// The codec is the `proto` or `json` suffix (``codec(contentType:)``).
    init?(contentType: String?) {
        // gRPC first and without allocating: it is on every gRPC call's path.
        if HeaderCoding.isGRPCContentType(contentType) {
            self = .grpc
            return
        }
        guard let contentType else { return nil }
        switch Self.mediaType(contentType) {
        case "application/grpc-web", "application/grpc-web+proto", "application/grpc-web+json":
            self = .grpcWeb(text: false)
        case "application/grpc-web-text", "application/grpc-web-text+proto", "application/grpc-web-text+json":
            self = .grpcWeb(text: true)
        case "application/connect+proto", "application/connect+json": self = .connectStreaming
        case "application/proto", "application/json": self = .connectUnary
        default: return nil
        }
    }

    /// The codec a content type names: JSON for `application/json` and any `+json` suffix, the
    /// binary form otherwise.
    static func codec(contentType: String?) -> MessageCodec {
        // gRPC's bare content type, the common case, without allocating.
        guard let contentType, contentType != "application/grpc" else { return .proto }
        let media = mediaType(contentType)
        return media == "application/json" || media.hasSuffix("+json") ? .json : .proto
    }

    private static func mediaType(_ contentType: String) -> String {
        contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces().lowercased() } ?? ""
    }

    /// Whether the protocol is one of Connect's.
    var isConnect: Bool {
        switch self {
        case .connectUnary, .connectStreaming: true
        case .grpc, .grpcWeb: false
        }
    }

    /// The content type of a response that carries messages (or of a request), binary codec.
    var responseContentType: String { contentType(codec: .proto) }

    /// The content type of messages in `codec`.
    func contentType(codec: MessageCodec) -> String {
        let json = codec == .json
        switch self {
        case .grpc: return json ? "application/grpc+json" : "application/grpc"
        case .grpcWeb(let text):
            return (text ? "application/grpc-web-text+" : "application/grpc-web+") + (json ? "json" : "proto")
        case .connectUnary: return json ? "application/json" : "application/proto"
        case .connectStreaming: return json ? "application/connect+json" : "application/connect+proto"
        }
    }

    /// The response header that names the compression of the response messages.
    var responseEncodingHeader: String {
        switch self {
        case .grpc, .grpcWeb: "grpc-encoding"
        case .connectUnary: "content-encoding"
        case .connectStreaming: "connect-content-encoding"
        }
    }

    /// The response header that lists the encodings this server reads.
    var acceptEncodingHeader: String {
        switch self {
        case .grpc, .grpcWeb: "grpc-accept-encoding"
        case .connectUnary: "accept-encoding"
        case .connectStreaming: "connect-accept-encoding"
        }
    }

    /// Whether messages travel length-prefixed (everything but Connect unary).
    var isFramed: Bool { self != .connectUnary }

    /// The protocol's name in messages.
    var name: String {
        switch self {
        case .grpc: "gRPC"
        case .grpcWeb: "gRPC-Web"
        case .connectUnary, .connectStreaming: "Connect"
        }
    }

    /// What carries the status, in messages about a response that lacks it.
    var statusCarrier: String {
        switch self {
        case .grpc: "trailers"
        case .grpcWeb: "a trailer message"
        case .connectUnary, .connectStreaming: "an end-of-stream message"
        }
    }

    /// The flag bit of a response body's last unit: gRPC-Web's trailers, Connect's end of stream.
    var endFlag: UInt8? {
        switch self {
        case .grpc, .connectUnary: nil
        case .grpcWeb: GRPCWebCoding.trailerFlag
        case .connectStreaming: ConnectCoding.endStreamFlag
        }
    }

    /// Whether a response's content type is this protocol's (any codec suffix or parameters).
    func isResponseContentType(_ value: String?) -> Bool {
        guard let value else { return false }
        switch self {
        case .grpc: return HeaderCoding.isGRPCContentType(value)
        case .grpcWeb, .connectUnary, .connectStreaming: return WireProtocol(contentType: value) == self
        }
    }
}
