public import FerryRPC
public import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The gRPC-over-HTTP/2 client transport: one HTTP/2 connection to a server, cleartext (prior
/// knowledge) by default or TLS with ALPN `h2` when created with a ``ClientTLSConfiguration``; opened
/// on first use and reopened after it closes or receives GOAWAY; many concurrent streams share it.
public final class HTTP2ClientTransport: ClientTransport {
    private struct Connection: Sendable {
        var channel: any Channel
        var handler: NIOLoopBound<HTTP2ConnectionHandler>
        var status: HTTP2ConnectionHandler.ConnectionStatus
        var outbox: ConnectionOutbox
    }

    private enum ConnectionState {
        case idle
        case connecting(EventLoopFuture<Connection>)
        case connected(Connection)
    }

    private let host: String
    private let port: Int
    private let settings: HTTP2Settings
    private let tls: (context: Result<NIOSSLContext, RPCError>, serverHostname: String?)?
    private let group: any EventLoopGroup
    private let acceptedCompression: [CompressionAlgorithm]
    private let state = Mutex<(connection: ConnectionState, shutdown: Bool)>((.idle, false))
    private let serviceConfig: ServiceConfig
    public let retryThrottle: RetryThrottle?
    private let shutdownSignal = StreamCancellation()

    /// Creates a transport to `host:port`; it connects when the first stream opens.
    ///
    /// - Parameters:
    ///   - tls: TLS for the connection; nil (the default) speaks cleartext HTTP/2 with prior knowledge.
    ///     Its PEM files are read here; unreadable material fails every call with
    ///     ``FerryRPC/Status/Code/unavailable``.
    ///   - eventLoopGroup: the group whose event loops run the connection; nil uses NIO's
    ///     shared `MultiThreadedEventLoopGroup.singleton`.
    ///   - acceptedCompression: the response encodings this client decodes, advertised in
    ///     `grpc-accept-encoding` (gzip and deflate by default); a response in any other fails with
    ///     INTERNAL. Which encoding requests use is chosen per call (``FerryRPC/CallOptions/compression``).
    public init(
        host: String,
        port: Int,
        tls: ClientTLSConfiguration? = nil,
        serviceConfig: ServiceConfig = ServiceConfig(),
        settings: HTTP2Settings = HTTP2Settings(),
        eventLoopGroup: (any EventLoopGroup)? = nil,
        acceptedCompression: [CompressionAlgorithm] = [.gzip, .deflate]
    ) {
        self.acceptedCompression = acceptedCompression.filter { $0 != .identity }
        self.serviceConfig = serviceConfig
        self.retryThrottle = serviceConfig.retryThrottling.map(RetryThrottle.init(policy:))
        self.host = host
        self.port = port
        self.tls = tls.map { tls in
            (Result { () throws(RPCError) in try tls.makeContext() }, tls.sniHostname(host: host))
        }
        self.settings = settings
        self.group = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
    }

    public func config(forMethod method: MethodDescriptor) -> ServiceConfig.MethodConfig? {
        serviceConfig.config(for: method)
    }

    public func connect() async throws(RPCError) {
        await shutdownSignal.wait()
        let connection = state.withLock { state -> Connection? in
            state.shutdown = true
            if case .connected(let connection) = state.connection { return connection }
            return nil
        }
        if let connection {
            connection.channel.eventLoop.execute { connection.handler.value.beginGracefulShutdown() }
            try? await connection.channel.closeFuture.get()
        }
    }

    public func beginGracefulShutdown() {
        shutdownSignal.cancel()
    }

    private func connection() async throws(RPCError) -> Connection {
        let future: EventLoopFuture<Connection> = try state.withLock { state throws(RPCError) in
            if state.shutdown {
                throw RPCError(code: .unavailable, message: "The client transport is shut down.")
            }
            switch state.connection {
            case .connected(let connection) where connection.status.isAcceptingStreams && connection.channel.isActive:
                return connection.channel.eventLoop.makeSucceededFuture(connection)
            case .connecting(let future):
                return future
            case .idle, .connected:
                let future = makeConnection()
                state.connection = .connecting(future)
                return future
            }
        }
        do {
            let connection = try await future.get()
            state.withLock { state in
                if case .connecting(let pending) = state.connection, pending === future {
                    state.connection = .connected(connection)
                }
            }
            return connection
        } catch {
            state.withLock { state in
                if case .connecting(let pending) = state.connection, pending === future { state.connection = .idle }
            }
            let reason = (error as? RPCError)?.message ?? "\(error)"
            throw RPCError(code: .unavailable, message: "Cannot connect to \(host):\(port): \(reason)", cause: error)
        }
    }

    private func makeConnection() -> EventLoopFuture<Connection> {
        let settings = self.settings
        let authority = "\(host):\(port)"
        let acceptedCompression = self.acceptedCompression
        var sslContext: NIOSSLContext?
        switch tls?.context {
        case .failure(let error)?: return group.next().makeFailedFuture(error)
        case .success(let context)?: sslContext = context
        case nil: sslContext = nil
        }
        let serverHostname = tls?.serverHostname
        let expectedName = serverHostname ?? host
        let handshake = HandshakeSlot()
        return ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { [sslContext] channel in
                do {
                    if let sslContext {
                        handshake.future = try Self.addTLSHandlers(
                            to: channel, context: sslContext, serverHostname: serverHostname, expectedName: expectedName
                        )
                    }
                    let handler = try HTTP2ConnectionHandler(clientOn: channel.eventLoop, settings: settings)
                    handler.authority = authority
                    handler.clientAcceptedEncodings = acceptedCompression
                    handler.clientAcceptEncodingHeader = EncodingNegotiation.acceptHeader(acceptedCompression)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .connect(host: host, port: port)
            .flatMap { channel in
                do {
                    let handler = try channel.pipeline.syncOperations.handler(type: HTTP2ConnectionHandler.self)
                    let connection = Connection(
                        channel: channel,
                        handler: NIOLoopBound(handler, eventLoop: channel.eventLoop),
                        status: handler.status,
                        outbox: handler.outbox
                    )
                    guard let tlsHandshake = handshake.future else {
                        return handler.remoteSettingsReceived().map { connection }
                    }
                    return tlsHandshake.flatMap { connection.handler.value.remoteSettingsReceived() }.map { connection }
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
    }

    public func withStream<Result: Sendable>(
        descriptor: MethodDescriptor,
        options: ClientStreamOptions,
        _ body: @Sendable (RPCClientStream) async throws -> Result
    ) async throws -> Result {
        let inbound = StreamBuffer<RPCResponsePart>()
        let gate = StreamWriteGate(highWatermark: HTTP2ConnectionHandler.outboundHighWatermark)
        let handle = StreamHandle()
        let path = descriptor.path
        // Only a call that compresses needs the framing state; the rest frame directly.
        let framing = options.compression.flatMap { $0 == .identity ? nil : OutboundFraming($0) }
        let outbound = ClosableRPCWriter<RPCRequestPart>(
            writeWithOptions: { part, writeOptions throws(RPCError) in
                switch part {
                case .metadata(let metadata):
                    let connection = try await self.connection()
                    let stream = OpenStream(
                        pending: PendingClientStream(path: path, metadata: metadata, options: options, inbound: inbound, gate: gate),
                        eventLoop: connection.channel.eventLoop,
                        handler: connection.handler,
                        outbox: connection.outbox
                    )
                    // The event loop opens the stream when it drains the outbox; the parts written
                    // next queue behind it, so the caller never waits for the stream id.
                    stream.enqueue(.clientOpen(stream.pending))
                    if !handle.open(stream) {
                        stream.enqueue(.clientRelease(stream.pending))
                        throw RPCError(code: .cancelled, message: "The call was cancelled.")
                    }
                case .message(let bytes):
                    guard let stream = handle.stream else {
                        throw RPCError(code: .internalError, message: "A message was written before the request metadata.")
                    }
                    // Waits only while the stream is above its high watermark; a cancelled task
                    // stops waiting (the response already ended, the deadline passed, or the caller
                    // cancelled).
                    // Framed (and compressed) here, in the caller's task, not on the event loop.
                    let framed = framing?.frame(bytes, options: writeOptions) ?? GRPCMessageDeframer.frame(bytes)
                    try await gate.reserve(framed.count)
                    stream.enqueue(.clientMessage(stream.pending, framed))
                }
            },
            finish: {
                guard let stream = handle.stream else { return }
                stream.enqueue(.clientFinish(stream.pending))
            }
        )
        @Sendable func release() {
            inbound.cancel(RPCError(code: .cancelled, message: "The call was cancelled."))
            guard let stream = handle.release() else { return }
            stream.enqueue(.clientRelease(stream.pending))
        }
        let stream = RPCClientStream(inbound: RPCAsyncSequence(buffer: inbound), outbound: outbound)
        do {
            let result = try await withTaskCancellationHandler {
                try await body(stream)
            } onCancel: {
                release()
            }
            release()
            return result
        } catch {
            release()
            throw error
        }
    }
}

/// Carries a connection's TLS handshake result from the channel initializer to the code that waits
/// for the connection (the handshake handler leaves the pipeline once done, so it cannot be looked up).
private final class HandshakeSlot: Sendable {
    private let storage = Mutex<EventLoopFuture<Void>?>(nil)

    var future: EventLoopFuture<Void>? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

/// A stream requested on one connection.
private struct OpenStream: Sendable {
    var pending: PendingClientStream
    var eventLoop: any EventLoop
    var handler: NIOLoopBound<HTTP2ConnectionHandler>
    var outbox: ConnectionOutbox

    /// Queues a part for the connection's event loop.
    func enqueue(_ item: ConnectionOutbox.Item) {
        HTTP2ConnectionHandler.enqueue(item, outbox: outbox, handler: handler, eventLoop: eventLoop)
    }
}

/// A client stream, shared between the writer that opens it and the code that releases it.
private final class StreamHandle: Sendable {
    private let state = Mutex<(stream: OpenStream?, released: Bool)>((nil, false))

    var stream: OpenStream? { state.withLock { $0.stream } }

    /// Records the opened stream; false when the call was already released (the caller must release
    /// the stream it just opened).
    func open(_ stream: OpenStream) -> Bool {
        state.withLock { state in
            state.stream = stream
            return !state.released
        }
    }

    /// Marks the call released and returns the stream to reset, if one was opened.
    func release() -> OpenStream? {
        state.withLock { state in
            guard !state.released else { return nil }
            state.released = true
            return state.stream
        }
    }
}
