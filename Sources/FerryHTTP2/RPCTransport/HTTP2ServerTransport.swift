/// Public: the `ServerTransport` protocol and its stream types (FerryRPC) appear in this file's public API.
public import FerryRPC
/// Public: `EventLoopGroup` (NIOCore) appears in the transport's initializer.
public import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The server transport: accepts HTTP/2 connections, cleartext (prior knowledge) by default or TLS
/// with ALPN `h2` when ``Configuration/tls`` is set, and hands each call (gRPC, Connect, gRPC-Web)
/// to an `RPCServer`. On the same port it serves Connect and gRPC-Web over HTTP/1.1, told apart
/// per connection by the HTTP/2 preface (or ALPN `http/1.1` under TLS).
public final class HTTP2ServerTransport: ServerTransport {
    /// Where and how to listen.
    public struct Configuration: Sendable {
        /// The address to bind, e.g. `127.0.0.1`, or `unix:/path/to.sock` for a Unix domain socket
        /// (a stale socket file at that path is replaced; the port is then ignored).
        public var host: String
        /// The port to bind; 0 picks a free one (see ``HTTP2ServerTransport/listeningPort()``).
        public var port: Int
        /// TLS for every accepted connection; nil (the default) serves cleartext HTTP/2 with prior knowledge.
        public var tls: ServerTLSConfiguration?
        /// The SETTINGS announced to clients.
        public var settings: HTTP2Settings
        /// The largest request and response messages (4 MiB each by default): a larger request
        /// fails with RESOURCE_EXHAUSTED before it is buffered (a compressed one is held to the
        /// limit as received and as it inflates), a larger response before it is sent.
        public var messageLimits: ServerMessageLimits
        /// The message encodings the server decodes in requests and may compress responses with
        /// (gzip and deflate by default; empty accepts uncompressed requests only). A request in
        /// another encoding gets UNIMPLEMENTED with the accepted ones in `grpc-accept-encoding`.
        public var enabledCompression: [CompressionAlgorithm]
        /// How long a graceful shutdown waits for in-flight calls before closing connections anyway.
        public var gracefulShutdownTimeout: Duration
        /// What clients can make the server hold or wait for: connections, handlers, buffered
        /// bytes, timeouts, resets and PINGs (see ``ServerConnectionLimits``).
        public var limits: ServerConnectionLimits
        /// Which web pages may call from a browser (Connect, gRPC-Web); nil (the default) answers
        /// no preflight and adds no CORS headers.
        public var cors: CORSPolicy?
        /// Which thread each call's handler starts on (``HandlerExecution``; the global
        /// concurrent executor by default).
        public var handlerExecution: HandlerExecution

        /// Creates a configuration.
        public init(
            host: String,
            port: Int,
            tls: ServerTLSConfiguration? = nil,
            settings: HTTP2Settings = HTTP2Settings(),
            messageLimits: ServerMessageLimits = ServerMessageLimits(),
            gracefulShutdownTimeout: Duration = .seconds(30),
            limits: ServerConnectionLimits = ServerConnectionLimits(),
            enabledCompression: [CompressionAlgorithm] = [.gzip, .deflate],
            cors: CORSPolicy? = nil,
            handlerExecution: HandlerExecution = .globalExecutor
        ) {
            self.cors = cors
            self.handlerExecution = handlerExecution
            self.enabledCompression = enabledCompression.filter { $0 != .identity }
            self.host = host
            self.port = port
            self.tls = tls
            self.settings = settings
            self.messageLimits = messageLimits
            self.gracefulShutdownTimeout = gracefulShutdownTimeout
            self.limits = limits
        }
    }

    private struct Connection: Sendable {
        var channel: any Channel
        var handler: NIOLoopBound<ConnectionHandlerSlot>
    }

    /// The handler a connection ends up with once its first bytes told its HTTP version.
    private final class ConnectionHandlerSlot {
        var http2: HTTP2ConnectionHandler?
        var http1: HTTP1ServerHandler?
        let channel: any Channel

        init(channel: any Channel) {
            self.channel = channel
        }

        /// GOAWAY on HTTP/2; on HTTP/1.1 the request in progress ends the connection; a connection
        /// that has said nothing yet closes.
        func beginGracefulShutdown() {
            if let http2 {
                http2.beginGracefulShutdown()
            } else if let http1 {
                http1.beginGracefulShutdown()
            } else {
                channel.close(promise: nil)
            }
        }
    }

    private struct State {
        var serverChannel: (any Channel)?
        var connections: [ObjectIdentifier: Connection] = [:]
        /// Connections admitted whose handler is not registered yet.
        var admitting = 0
        var shuttingDown = false
        var portWaiters: [CheckedContinuation<Result<Int, RPCError>, Never>] = []
        var port: Result<Int, RPCError>?
    }

    private let configuration: Configuration

    /// The request and response sizes this transport takes and lets the server send.
    public var messageLimits: ServerMessageLimits { configuration.messageLimits }
    private let group: any EventLoopGroup
    private let state = Mutex(State())
    private let launcher: StreamLauncher
    /// Received bytes held across all connections (``ServerConnectionLimits/maxBufferedBytes``).
    private let receiveBudget: ReceiveBudget
    /// One task executor per event loop, when handlers run on them
    /// (``Configuration/handlerExecution``).
    private let executors = Mutex<[ObjectIdentifier: EventLoopTaskExecutor]>([:])

    /// Creates a transport; nothing is bound until ``listen(_:)`` runs.
    ///
    /// - Parameters:
    ///   - configuration: the address to bind, TLS, HTTP/2 settings, message and connection limits.
    ///   - eventLoopGroup: the group whose event loops run the connections; nil uses NIO's
    ///     shared `MultiThreadedEventLoopGroup.singleton` (so it can be shared with Hummingbird or Vapor).
    public init(configuration: Configuration, eventLoopGroup: (any EventLoopGroup)? = nil) {
        self.configuration = configuration
        self.group = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        self.launcher = StreamLauncher(maxRunning: configuration.limits.maxConcurrentHandlers)
        self.receiveBudget = ReceiveBudget(limit: configuration.limits.maxBufferedBytes)
    }

    /// The bound port, once ``listen(_:)`` is listening.
    ///
    /// - Throws: `RPCError` with `Status.Code.unavailable` when binding failed.
    public func listeningPort() async throws(RPCError) -> Int {
        let result: Result<Int, RPCError> = await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Result<Int, RPCError>? in
                if let port = state.port { return port }
                state.portWaiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
        return try result.get()
    }

    private func publishPort(_ result: Result<Int, RPCError>) {
        let waiters = state.withLock { state in
            state.port = result
            defer { state.portWaiters.removeAll() }
            return state.portWaiters
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }

    /// Binds the configured address and serves connections, handing each accepted gRPC stream to
    /// `handler`, until the transport stops; see `ServerTransport.listen(_:)`.
    ///
    /// - Throws: `RPCError` with `unavailable` when the address cannot be bound, or the
    ///   TLS configuration's error when its certificate or key cannot be loaded.
    public func listen(
        _ handler: @escaping @Sendable (RPCServerStream, ServerStreamContext) async -> Void
    ) async throws(RPCError) {
        let sslContext: NIOSSLContext?
        do throws(RPCError) {
            sslContext = try configuration.tls?.makeContext()
        } catch {
            publishPort(.failure(error))
            throw error
        }
        let channel: any Channel
        do {
            if configuration.host.hasPrefix("unix:") {
                let path = String(configuration.host.dropFirst("unix:".count))
                channel = try await bootstrap(sslContext: sslContext).bind(
                    unixDomainSocketPath: path,
                    cleanupExistingSocketFile: true
                ).get()
            } else {
                channel = try await bootstrap(sslContext: sslContext).bind(
                    host: configuration.host,
                    port: configuration.port
                ).get()
            }
        } catch {
            let failure = RPCError(
                code: .unavailable,
                message: "Cannot listen on \(configuration.host):\(configuration.port): \(error)",
                cause: error
            )
            publishPort(.failure(failure))
            throw failure
        }
        let shutDownEarly = state.withLock { state -> Bool in
            state.serverChannel = channel
            return state.shuttingDown
        }
        launcher.start(handler)
        publishPort(.success(channel.localAddress?.port ?? configuration.port))
        if shutDownEarly { beginGracefulShutdown() }
        let launcher = self.launcher
        await withTaskCancellationHandler {
            await launcher.waitForEnd()
        } onCancel: {
            launcher.end()
        }
        // Cancelled or shut down: close whatever is left (which cancels the handlers still running),
        // then wait for the handlers.
        let (server, connections) = state.withLock { ($0.serverChannel, Array($0.connections.values)) }
        try? await server?.close()
        for connection in connections { try? await connection.channel.close() }
        await launcher.waitUntilIdle()
    }

    private func bootstrap(sslContext: NIOSSLContext?) -> ServerBootstrap {
        let settings = configuration.settings
        let configuration = self.configuration
        let receiveBudget = self.receiveBudget
        let launcher = self.launcher
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // NIO keeps each connection's receive buffer between reads; start it small so an idle
            // connection holds little (it grows as reads fill it).
            .childChannelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536)
            )
            .childChannelInitializer { [weak self] channel in
                guard let self, self.admitConnection() else {
                    // Over maxConnections: closed before a byte is read.
                    return channel.close()
                }
                do {
                    if let sslContext { try Self.addTLSHandlers(to: channel, context: sslContext) }
                    let slot = ConnectionHandlerSlot(channel: channel)
                    let options = HTTP2ConnectionHandler.ServerOptions(
                        maxRequestMessageBytes: configuration.messageLimits.maxRequestBytes,
                        enabledEncodings: configuration.enabledCompression,
                        limits: configuration.limits,
                        budget: ReceiveBudget(
                            limit: configuration.limits.maxBufferedBytesPerConnection,
                            parent: receiveBudget
                        ),
                        admitHandler: { launcher.reserve() },
                        acceptor: { [placement = handlerPlacement(for: channel.eventLoop)] stream, context in
                            launcher.launch(stream, context: context, placement: placement)
                        },
                        gracefulShutdownTimeout: configuration.gracefulShutdownTimeout,
                        cors: configuration.cors
                    )
                    // HTTP/2 (gRPC and the rest) or HTTP/1.1 (Connect and gRPC-Web from browsers and
                    // proxies), told by the first bytes, after TLS when it is on.
                    let sniffer = ProtocolSniffer(timeout: TimeAmount(configuration.limits.connectionSetupTimeout)) {
                        version in
                        switch version {
                        case .http2:
                            let handler = try HTTP2ConnectionHandler(
                                serverOn: channel.eventLoop,
                                settings: settings,
                                options: options
                            )
                            try channel.pipeline.syncOperations.addHandler(handler)
                            slot.http2 = handler
                        case .http1:
                            slot.http1 = try HTTP1ServerHandler.addHandlers(
                                to: channel,
                                options: options,
                                maxHeaderListSize: settings.maxHeaderListSize,
                                isTLS: sslContext != nil
                            )
                        }
                    }
                    try channel.pipeline.syncOperations.addHandler(sniffer)
                    self.register(
                        Connection(channel: channel, handler: NIOLoopBound(slot, eventLoop: channel.eventLoop))
                    )
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    // The connection never registered: give its admission back.
                    self.state.withLock { $0.admitting -= 1 }
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
    }

    /// Where the handlers of a new connection on `eventLoop` run
    /// (``Configuration/handlerExecution``).
    private func handlerPlacement(for eventLoop: any EventLoop) -> HandlerPlacement {
        let mode = configuration.handlerExecution
        guard mode != .globalExecutor else { return HandlerPlacement(mode: mode, executor: nil) }
        let executor = executors.withLock { executors in
            let key = ObjectIdentifier(eventLoop)
            if let executor = executors[key] { return executor }
            let executor = EventLoopTaskExecutor(eventLoop)
            executors[key] = executor
            return executor
        }
        return HandlerPlacement(mode: mode, executor: executor)
    }

    /// Counts a newly accepted connection against ``ServerConnectionLimits/maxConnections``.
    private func admitConnection() -> Bool {
        state.withLock { state in
            guard state.connections.count + state.admitting < configuration.limits.maxConnections else { return false }
            state.admitting += 1
            return true
        }
    }

    private func register(_ connection: Connection) {
        let id = ObjectIdentifier(connection.channel)
        let shuttingDown = state.withLock { state in
            state.admitting -= 1
            state.connections[id] = connection
            return state.shuttingDown
        }
        if shuttingDown {
            connection.channel.eventLoop.execute { connection.handler.value.beginGracefulShutdown() }
        }
        connection.channel.closeFuture.whenComplete { [weak self] _ in
            guard let self else { return }
            let finished = self.state.withLock { state -> Bool in
                state.connections[id] = nil
                return state.shuttingDown && state.connections.isEmpty
            }
            if finished { self.launcher.end() }
        }
    }

    /// Stops accepting connections, sends GOAWAY on every open one, lets in-flight calls finish, then
    /// makes ``listen(_:)`` return.
    public func beginGracefulShutdown() {
        let (server, connections) = state.withLock { state -> ((any Channel)?, [Connection]) in
            state.shuttingDown = true
            return (state.serverChannel, Array(state.connections.values))
        }
        server?.close(promise: nil)
        if connections.isEmpty, server != nil { launcher.end() }
        for connection in connections {
            connection.channel.eventLoop.execute { connection.handler.value.beginGracefulShutdown() }
        }
        group.next().scheduleTask(in: TimeAmount(configuration.gracefulShutdownTimeout)) { [weak self] in
            guard let self else { return }
            let remaining = self.state.withLock { Array($0.connections.values) }
            for connection in remaining { connection.channel.close(promise: nil) }
        }
    }
}
