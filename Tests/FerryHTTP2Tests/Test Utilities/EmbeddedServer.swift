import FerryRPC
import NIOCore
import NIOEmbedded
import Testing

@testable import FerryHTTP2

/// A server connection handler in an `EmbeddedChannel`, talking to a raw nghttp2 client session
/// through byte buffers: no sockets and no threads, and the event loop's clock moves only when a
/// test advances it, so timers (setup, idle, age, PING policing, rapid reset) are exact.
///
/// Accepted streams are kept, not run: their handlers never read or answer unless a test does.
final class EmbeddedServer {
    let channel: EmbeddedChannel
    let loop: EmbeddedEventLoop
    let client: NGHTTP2Session
    private(set) var clientEvents: [HTTP2SessionEvent] = []
    /// Streams the handler accepted, in order.
    private(set) var accepted: [(stream: RPCServerStream, context: ServerStreamContext)] = []
    /// Whether a new stream gets a handler slot.
    var admitHandlers = true
    let budget: ReceiveBudget
    private(set) weak var handler: HTTP2ConnectionHandler?

    init(
        settings: HTTP2Settings = HTTP2Settings(),
        clientSettings: HTTP2Settings = HTTP2Settings(),
        limits: ServerConnectionLimits = ServerConnectionLimits(),
        maxRequestMessageBytes: Int = CallOptions.defaultMaxMessageBytes,
        enabledCompression: [CompressionAlgorithm] = [.gzip, .deflate]
    ) throws {
        loop = EmbeddedEventLoop()
        channel = EmbeddedChannel(loop: loop)
        client = try NGHTTP2Session(role: .client, settings: clientSettings)
        budget = ReceiveBudget(
            limit: limits.maxBufferedBytesPerConnection,
            parent: ReceiveBudget(limit: limits.maxBufferedBytes)
        )
        var accept: HTTP2ConnectionHandler.StreamAcceptor = { _, _ in }
        var admit: () -> Bool = { true }
        let options = HTTP2ConnectionHandler.ServerOptions(
            maxRequestMessageBytes: maxRequestMessageBytes,
            enabledEncodings: enabledCompression,
            limits: limits,
            budget: budget,
            admitHandler: { admit() },
            acceptor: { accept($0, $1) },
            gracefulShutdownTimeout: .seconds(30)
        )
        let handler = try HTTP2ConnectionHandler(serverOn: loop, settings: settings, options: options)
        self.handler = handler
        try channel.pipeline.syncOperations.addHandler(handler)
        accept = { [unowned self] stream, context in accepted.append((stream, context)) }
        admit = { [unowned self] in admitHandlers }
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    /// Moves bytes both ways until neither side has more to say (bounded).
    func pump() throws {
        for _ in 0..<1_000 {
            var moved = false
            let toServer = try client.drainOutput()
            if !toServer.isEmpty && channel.isActive {
                moved = true
                try channel.writeInbound(channel.allocator.buffer(bytes: toServer))
            }
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
                moved = true
                clientEvents += try buffer.withUnsafeReadableBytes { try client.receive($0) }
            }
            clientEvents += client.takeEvents()
            if !moved { return }
        }
        Issue.record("the connection did not settle")
    }

    /// Opens a gRPC request stream to `path` with extra metadata; its body follows with ``send(_:on:)``.
    func openStream(
        path: String = "/test.Service/Method",
        metadata: Metadata = [:],
        extraHeaders: [HeaderField] = []
    ) throws -> Int32 {
        try client.submitRequest(
            HeaderCoding.requestHeaders(path: path, authority: "localhost", timeout: nil, metadata: metadata)
                + extraHeaders
        )
    }

    /// The header fields of the server's first header block on a stream (its response headers).
    func responseHeaders(on streamID: Int32) -> [HeaderField]? {
        for case .headers(streamID, let fields, _) in clientEvents { return fields }
        return nil
    }

    /// Every DATA byte the server sent on a stream, in order.
    func responseBody(on streamID: Int32) -> [UInt8] {
        var body: [UInt8] = []
        for case .data(streamID, let bytes) in clientEvents { body += bytes }
        return body
    }

    func send(_ bytes: [UInt8], on streamID: Int32) {
        client.enqueueData(bytes, on: streamID)
    }

    /// Events of the client session of a kind, e.g. `closes` for every RST_STREAM / close code.
    var streamCloses: [Int32: UInt32] {
        var closes: [Int32: UInt32] = [:]
        for case .streamClosed(let id, let code) in clientEvents { closes[id] = code }
        return closes
    }

    var goAway: (lastStreamID: Int32, errorCode: UInt32)? {
        for case .goAway(let id, let code, _) in clientEvents { return (id, code) }
        return nil
    }

    /// The `grpc-status` the server answered on a stream, if it did.
    func grpcStatus(on streamID: Int32) -> String? {
        for case .headers(streamID, let fields, _) in clientEvents {
            if let status = HeaderCoding.value("grpc-status", in: fields) { return status }
        }
        return nil
    }

    func grpcMessage(on streamID: Int32) -> String? {
        for case .headers(streamID, let fields, _) in clientEvents {
            if let message = HeaderCoding.value("grpc-message", in: fields) { return PercentEncoding.decode(message) }
        }
        return nil
    }
}
