/// A header field as it crosses the wire: lowercase name and raw value.
struct HeaderField: Sendable, Hashable {
    var name: String
    var value: String

    init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Something the nghttp2 session reports while it processes received bytes.
enum HTTP2SessionEvent: Sendable {
    /// A complete header block (request, response or trailers) on a stream.
    case headers(streamID: Int32, fields: [HeaderField], endStream: Bool)
    /// Body bytes of a stream.
    case data(streamID: Int32, bytes: [UInt8])
    /// The peer ended its side of a stream with a DATA frame carrying END_STREAM.
    case endOfData(streamID: Int32)
    /// A stream is closed; `errorCode` is 0 (NO_ERROR) for a clean close, else the RST_STREAM code.
    case streamClosed(streamID: Int32, errorCode: UInt32)
    /// A header block larger than the header list size we announced; its fields were not kept.
    case headerListTooLarge(streamID: Int32, size: Int, limit: Int)
    /// The peer reset a stream (RST_STREAM); counted against rapid reset.
    case peerReset(streamID: Int32)
    /// The peer sent a PING (nghttp2 acknowledges it); counted by keepalive enforcement.
    case pingReceived
    /// The peer acknowledged one of our PINGs.
    case pingAcknowledged
    /// The peer's SETTINGS frame (not an acknowledgement) was applied.
    case remoteSettings
    /// The peer sent GOAWAY: streams above `lastStreamID` will not be processed. `debugData` is the
    /// frame's opaque data as text (gRPC servers say `too_many_pings` there), at most 256 bytes kept.
    case goAway(lastStreamID: Int32, errorCode: UInt32, debugData: String)
}

/// HTTP/2 error codes Ferry sends or interprets (RFC 9113 section 7).
enum HTTP2ErrorCode {
    static let noError: UInt32 = 0x0
    static let protocolError: UInt32 = 0x1
    static let internalError: UInt32 = 0x2
    static let flowControlError: UInt32 = 0x3
    static let refusedStream: UInt32 = 0x7
    static let cancel: UInt32 = 0x8
    static let enhanceYourCalm: UInt32 = 0xB
    static let inadequateSecurity: UInt32 = 0xC
}

/// The SETTINGS a Ferry endpoint announces.
public struct HTTP2Settings: Sendable, Hashable {
    /// The most streams the peer may open at once (server) or that we allow to be pushed (client).
    public var maxConcurrentStreams: Int
    /// The initial flow-control window of every stream.
    public var initialWindowSize: Int
    /// The connection-level flow-control window.
    public var connectionWindowSize: Int
    /// The largest frame payload the peer may send.
    public var maxFrameSize: Int
    /// The largest header list the peer may send, counted as RFC 9113 does (name + value + 32 bytes
    /// per field, after HPACK decoding); a larger one fails its stream with RESOURCE_EXHAUSTED and is
    /// never held in memory.
    public var maxHeaderListSize: Int

    /// Defaults sized for RPC traffic: 4,096 streams, 1 MiB stream and 16 MiB connection windows,
    /// 16 KiB frames, 16 KiB header lists.
    public init(
        maxConcurrentStreams: Int = 4096,
        initialWindowSize: Int = 1 << 20,
        connectionWindowSize: Int = 16 << 20,
        maxFrameSize: Int = 1 << 14,
        maxHeaderListSize: Int = 1 << 14
    ) {
        self.maxConcurrentStreams = maxConcurrentStreams
        self.initialWindowSize = initialWindowSize
        self.connectionWindowSize = connectionWindowSize
        self.maxFrameSize = maxFrameSize
        self.maxHeaderListSize = maxHeaderListSize
    }
}
