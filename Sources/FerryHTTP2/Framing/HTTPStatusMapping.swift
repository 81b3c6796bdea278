import FerryRPC

/// The gRPC code for a response whose HTTP status is not 200, i.e. a peer that is not speaking gRPC
/// (doc/http-grpc-status-mapping.md).
enum HTTPStatusMapping {
    static func code(forHTTPStatus status: Int) -> Status.Code {
        switch status {
        case 400: .internalError
        case 401: .unauthenticated
        case 403: .permissionDenied
        case 404: .unimplemented
        case 429, 502, 503, 504: .unavailable
        default: .unknown
        }
    }

    /// The code for a stream reset by the peer with an HTTP/2 error code.
    static func code(forResetCode errorCode: UInt32) -> Status.Code {
        switch errorCode {
        case HTTP2ErrorCode.refusedStream: .unavailable
        case HTTP2ErrorCode.cancel: .cancelled
        case HTTP2ErrorCode.enhanceYourCalm: .resourceExhausted
        case HTTP2ErrorCode.inadequateSecurity: .permissionDenied
        default: .internalError
        }
    }
}
