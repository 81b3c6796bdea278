/// Public: `CallOptions`, `MethodDescriptor` and the transport protocols (FerryRPC) appear in this
/// file's public API.
public import FerryRPC
/// Public: `EventLoopGroup` (NIOCore) appears in the channel's initializers.
public import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The gRPC-over-HTTP/2 client transport: a channel in gRPC's sense.
///
/// It resolves its target (`RPCTarget`: `dns:///host:port`, `ipv4:a:p,b:p`, `unix:path`, or
/// any `NameResolver`), keeps subchannels (one HTTP/2 connection each) to the addresses,
/// spreads calls over them with the service config's load-balancing policy (pick_first by default,
/// round_robin), reconnects on gRPC's connection backoff schedule, and goes IDLE, closing its
/// connections, after ``ChannelConfiguration/idleTimeout`` without calls. Connections are
/// cleartext HTTP/2 with prior knowledge, or TLS with ALPN `h2` when created with a
/// ``ClientTLSConfiguration``. Many concurrent streams share each connection. A Connect or gRPC-Web
/// channel may speak HTTP/1.1 instead (``ChannelConfiguration/httpVersion``): then each address has
/// a pool of keep-alive connections carrying one call at a time.
///
/// While the channel is in TRANSIENT_FAILURE (every address failed), a call fails at once with
/// UNAVAILABLE unless it waits for ready (`CallOptions.waitForReady`); a waiting call
/// waits until a connection is ready or its deadline passes. Watch the channel's state with
/// ``connectivityUpdates()``.
public final class HTTP2ClientTransport: ClientTransport {
    struct State {
        var subchannels: [Subchannel] = []
        var resolved = false
        var resolving = false
        var resolutionError: RPCError?
        var lastResolution: ContinuousClock.Instant?
        var resolutionBackoff: ConnectionBackoff.Schedule?
        var scheduledResolution: Task<Void, Never>?
        var refreshTask: Task<Void, Never>?
        var serviceConfig: ServiceConfig
        var connectivity = ConnectivityState.idle
        var nextPick = 0
        /// Counts changes; a call that found no connection waits only if none happened since.
        var epoch = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var observers: [Int: AsyncStream<ChannelConnectivity>.Continuation] = [:]
        var lastPublished: ChannelConnectivity?
        var nextID = 0
        var shutdown = false
        var activeStreams = 0
        var lastActivity: ContinuousClock.Instant
        var idleTask: Task<Void, Never>?
    }

    let resolver: any NameResolver
    let connector: ClientConnector
    let configuration: ChannelConfiguration
    let clock: any RPCClock
    let state: Mutex<State>
    let shutdownSignal = StreamCancellation()
    /// The channel's retry token bucket, from its service config's `retryThrottling`.
    public let retryThrottle: RetryThrottle?

    /// Creates a channel to `host:port` (resolved through DNS unless `host` is an IP address); it
    /// connects when the first call starts.
    ///
    /// - Parameters:
    ///   - host: the server's DNS name or IP address.
    ///   - port: the server's port.
    ///   - tls: TLS for the connections; nil (the default) speaks cleartext HTTP/2 with prior
    ///     knowledge. Its PEM files are read here; unreadable material fails every call with
    ///     `Status.Code.unavailable`.
    ///   - serviceConfig: the channel's service config (load balancing, per-method settings, retry
    ///     throttling); a resolver that supplies one replaces it.
    ///   - settings: the HTTP/2 SETTINGS the client announces on each connection (windows, frame and
    ///     header list sizes).
    ///   - eventLoopGroup: the group whose event loops run the connections; nil uses NIO's
    ///     shared `MultiThreadedEventLoopGroup.singleton`.
    ///   - acceptedCompression: the response encodings this client decodes, advertised in
    ///     `grpc-accept-encoding` (gzip and deflate by default); a response in any other fails with
    ///     INTERNAL. Which encoding requests use is chosen per call (`CallOptions.compression`).
    ///   - channel: backoff, idle timeout and keepalive.
    ///   - clock: the time source of backoff, resolution and idle timers (tests inject one).
    public convenience init(
        host: String,
        port: Int,
        tls: ClientTLSConfiguration? = nil,
        serviceConfig: ServiceConfig = ServiceConfig(),
        settings: HTTP2Settings = HTTP2Settings(),
        eventLoopGroup: (any EventLoopGroup)? = nil,
        acceptedCompression: [CompressionAlgorithm] = [.gzip, .deflate],
        channel: ChannelConfiguration = ChannelConfiguration(),
        clock: some RPCClock = .system
    ) {
        self.init(
            target: .dns(host: host, port: port),
            tls: tls,
            serviceConfig: serviceConfig,
            settings: settings,
            eventLoopGroup: eventLoopGroup,
            acceptedCompression: acceptedCompression,
            channel: channel,
            clock: clock
        )
    }

    /// Creates a channel to a target (`RPCTarget(parsing: "dns:///orders:443")`); the other
    /// parameters are those of
    /// ``init(host:port:tls:serviceConfig:settings:eventLoopGroup:acceptedCompression:channel:clock:)``.
    public convenience init(
        target: RPCTarget,
        tls: ClientTLSConfiguration? = nil,
        serviceConfig: ServiceConfig = ServiceConfig(),
        settings: HTTP2Settings = HTTP2Settings(),
        eventLoopGroup: (any EventLoopGroup)? = nil,
        acceptedCompression: [CompressionAlgorithm] = [.gzip, .deflate],
        channel: ChannelConfiguration = ChannelConfiguration(),
        clock: some RPCClock = .system
    ) {
        let resolver: any NameResolver
        let authority: String
        let host: String
        switch target {
        case .dns(let name, let port):
            resolver = DNSNameResolver(host: name, port: port)
            authority = name.contains(":") ? "[\(name)]:\(port)" : "\(name):\(port)"
            host = name
        case .addresses(let addresses):
            resolver = StaticNameResolver(addresses)
            switch addresses.first {
            case .ipv4(let name, let port)?: (authority, host) = ("\(name):\(port)", name)
            case .ipv6(let name, let port)?: (authority, host) = ("[\(name)]:\(port)", name)
            case .unix?, .unixAbstract?, nil: (authority, host) = ("localhost", "localhost")
            }
        }
        self.init(
            resolver: resolver,
            authority: authority,
            tlsHost: host,
            tls: tls,
            serviceConfig: serviceConfig,
            settings: settings,
            eventLoopGroup: eventLoopGroup,
            acceptedCompression: acceptedCompression,
            channel: channel,
            clock: clock
        )
    }

    /// Creates a channel whose addresses come from `resolver` (a service registry, a list that
    /// changes); `authority` is the `:authority` calls carry and, for TLS, the name the server's
    /// certificate must hold unless ``ClientTLSConfiguration/serverHostname`` says otherwise.
    public convenience init(
        resolver: some NameResolver,
        authority: String,
        tls: ClientTLSConfiguration? = nil,
        serviceConfig: ServiceConfig = ServiceConfig(),
        settings: HTTP2Settings = HTTP2Settings(),
        eventLoopGroup: (any EventLoopGroup)? = nil,
        acceptedCompression: [CompressionAlgorithm] = [.gzip, .deflate],
        channel: ChannelConfiguration = ChannelConfiguration(),
        clock: some RPCClock = .system
    ) {
        let host = authority.split(separator: ":").first.map(String.init) ?? authority
        self.init(
            resolver: resolver,
            authority: authority,
            tlsHost: host,
            tls: tls,
            serviceConfig: serviceConfig,
            settings: settings,
            eventLoopGroup: eventLoopGroup,
            acceptedCompression: acceptedCompression,
            channel: channel,
            clock: clock
        )
    }

    private init(
        resolver: any NameResolver,
        authority: String,
        tlsHost: String,
        tls: ClientTLSConfiguration?,
        serviceConfig: ServiceConfig,
        settings: HTTP2Settings,
        eventLoopGroup: (any EventLoopGroup)?,
        acceptedCompression: [CompressionAlgorithm],
        channel: ChannelConfiguration,
        clock: any RPCClock
    ) {
        self.resolver = resolver
        self.connector = ClientConnector(
            authority: authority,
            settings: settings,
            tls: tls.map { tls in
                let sni = tls.sniHostname(host: tlsHost)
                let alpn = channel.httpVersion == .http2 ? grpcALPNProtocol : http1ALPNProtocol
                return (Result { () throws(RPCError) in try tls.makeContext(alpn: alpn) }, sni, sni ?? tlsHost)
            },
            group: eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton,
            acceptedCompression: acceptedCompression.filter { $0 != .identity },
            keepalive: channel.keepalive.map(KeepaliveSchedule.init),
            httpVersion: channel.httpVersion,
            maxHTTP1Connections: channel.maxHTTP1ConnectionsPerAddress
        )
        self.configuration = channel
        self.clock = clock
        self.retryThrottle = serviceConfig.retryThrottling.map(RetryThrottle.init(policy:))
        self.state = Mutex(State(serviceConfig: serviceConfig, lastActivity: clock.now))
    }

    /// The current service config's settings for `method` (the one given at creation, or the
    /// resolver's).
    public func config(forMethod method: MethodDescriptor) -> ServiceConfig.MethodConfig? {
        state.withLock { $0.serviceConfig.config(for: method) }
    }

    // MARK: Lifecycle

    /// Runs the channel until ``beginGracefulShutdown()``; then fails waiting calls, tells observers
    /// SHUTDOWN and waits for every connection to close after its open streams.
    public func connect() async throws(RPCError) {
        await shutdownSignal.wait()
        let (subchannels, tasks, waiters, observers) = state.withLock { state in
            state.shutdown = true
            state.connectivity = .shutdown
            defer {
                state.subchannels = []
                state.waiters = [:]
                state.observers = [:]
            }
            let tasks = [state.scheduledResolution, state.refreshTask, state.idleTask]
            return (state.subchannels, tasks, Array(state.waiters.values), Array(state.observers.values))
        }
        for task in tasks { task?.cancel() }
        for waiter in waiters { waiter.resume() }
        for observer in observers {
            observer.yield(ChannelConnectivity(state: .shutdown, subchannels: []))
            observer.finish()
        }
        let connections = subchannels.compactMap { $0.shutDown() }
        for connection in connections { try? await connection.closeFuture.get() }
    }

    /// Ends ``connect()``: new calls fail with UNAVAILABLE, waiting calls are woken, and each
    /// connection closes once its open streams have finished.
    public func beginGracefulShutdown() {
        shutdownSignal.cancel()
    }

    // MARK: Observation

    /// The keepalive the channel's next connection uses: the configured one, with its time doubled
    /// for every GOAWAY `too_many_pings` a server sent; nil when keepalive is off.
    public var keepalive: Keepalive? { connector.keepalive?.current }

    /// The channel's state and its subchannels' now.
    public var connectivity: ChannelConnectivity {
        state.withLock { state in
            ChannelConnectivity(
                state: state.connectivity,
                subchannels: state.subchannels.map { ($0.address, $0.connectivity) }
            )
        }
    }

    /// How many states an observer that falls behind keeps (the newest ones), so that a stream
    /// nobody reads cannot grow without bound.
    public static let observerBufferSize = 64

    /// The channel's state now and after every change, until the channel shuts down. An observer
    /// that reads slower than the channel changes keeps the newest ``observerBufferSize`` states.
    public func connectivityUpdates() -> AsyncStream<ChannelConnectivity> {
        let (stream, continuation) = AsyncStream<ChannelConnectivity>.makeStream(
            bufferingPolicy: .bufferingNewest(Self.observerBufferSize)
        )
        let current = connectivity
        let registered = state.withLock { state -> Bool in
            guard !state.shutdown else { return false }
            state.nextID += 1
            let id = state.nextID
            state.observers[id] = continuation
            continuation.onTermination = { [weak self] _ in
                self?.state.withLock { _ = $0.observers.removeValue(forKey: id) }
            }
            return true
        }
        continuation.yield(current)
        if !registered { continuation.finish() }
        return stream
    }

    /// Picks a ready connection per the load-balancing policy (waiting while the channel connects,
    /// failing fast in TRANSIENT_FAILURE unless the call waits for ready), opens an HTTP/2 stream
    /// for `descriptor` on it and runs `body` with the stream; the stream is released when `body`
    /// returns or throws.
    public func withStream<Result: Sendable>(
        descriptor: MethodDescriptor,
        options: ClientStreamOptions,
        _ body: @Sendable (RPCClientStream) async throws -> Result
    ) async throws -> Result {
        if configuration.httpVersion == .http1_1, configuration.wireProtocol == .grpc {
            throw RPCError(
                code: .failedPrecondition,
                message:
                    "gRPC needs HTTP/2 (its status travels in HTTP trailers); over HTTP/1.1 the channel speaks Connect or gRPC-Web."
            )
        }
        let inbound = StreamBuffer<RPCResponsePart>()
        let gate = StreamWriteGate(highWatermark: HTTP2ConnectionHandler.outboundHighWatermark)
        let handle = StreamHandle()
        let path = descriptor.path
        let wire = configuration.wireProtocol.wire(for: options.kind)
        // Only a call that compresses needs the framing state; the rest frame directly.
        let framing = options.compression.flatMap { $0 == .identity ? nil : OutboundFraming($0) }
        /// Opens the stream with its request headers; `bodyEncoding` is a Connect unary body's.
        @Sendable func open(_ metadata: Metadata, bodyEncoding: CompressionAlgorithm?) async throws(RPCError) {
            let outbox: OpenStream.Outbox
            do {
                let connection = try await self.pickConnection(waitForReady: options.waitForReady)
                switch connection.carrier {
                case .http2(_, _, _, let http2): outbox = .http2(http2)
                case .http1(let pool): outbox = .http1(try await pool.lease().outbox)
                }
            } catch {
                // The reading side reports it: a Connect unary call opens from its message write,
                // whose failures the caller leaves to the response.
                inbound.finish(throwing: error)
                throw error
            }
            let stream = OpenStream(
                pending: PendingClientStream(
                    path: path,
                    metadata: metadata,
                    options: options,
                    inbound: inbound,
                    gate: gate,
                    wire: wire,
                    bodyEncoding: bodyEncoding
                ),
                outbox: outbox
            )
            // The event loop opens the stream when it drains the outbox; the parts written
            // next queue behind it, so the caller never waits for the stream id.
            stream.enqueue(.clientOpen(stream.pending))
            if !handle.open(stream) {
                stream.enqueue(.clientRelease(stream.pending))
                throw RPCError(code: .cancelled, message: "The call was cancelled.")
            }
        }
        // A Connect unary request names its body's compression in its headers, so they wait for
        // the one message.
        let heldMetadata = Mutex<Metadata?>(nil)
        let outbound = ClosableRPCWriter<RPCRequestPart>(
            writeWithOptions: { part, writeOptions throws(RPCError) in
                switch part {
                case .metadata(let metadata):
                    if wire == .connectUnary {
                        heldMetadata.withLock { $0 = metadata }
                    } else {
                        try await open(metadata, bodyEncoding: nil)
                    }
                case .message(var bytes) where wire == .connectUnary:
                    guard let metadata = heldMetadata.withLock({ $0.take() }) else {
                        throw RPCError(code: .internalError, message: "A unary call sends one request message.")
                    }
                    var encoding: CompressionAlgorithm?
                    if let framing, writeOptions.compress {
                        let framed = framing.frame(bytes, options: writeOptions)
                        if framed.first == 1 {
                            bytes = Array(framed.dropFirst(5))
                            encoding = options.compression
                        }
                    }
                    try await open(metadata, bodyEncoding: encoding)
                    guard let stream = handle.stream else { return }
                    try await gate.reserve(bytes.count)
                    stream.enqueue(.clientMessage(stream.pending, bytes))
                case .message(let bytes):
                    guard let stream = handle.stream else {
                        throw RPCError(
                            code: .internalError,
                            message: "A message was written before the request metadata."
                        )
                    }
                    // Waits only while the stream is above its high watermark; a cancelled task
                    // stops waiting (the response already ended, the deadline passed, or the caller
                    // cancelled).
                    // Framed (and compressed) here, in the caller's task, not on the event loop.
                    var framed = framing?.frame(bytes, options: writeOptions) ?? GRPCMessageDeframer.frame(bytes)
                    if case .grpcWeb(text: true) = wire { framed = GRPCWebCoding.text(framed) }
                    try await gate.reserve(framed.count)
                    stream.enqueue(.clientMessage(stream.pending, framed))
                }
            },
            finish: {
                guard let stream = handle.stream else { return }
                stream.enqueue(.clientFinish(stream.pending))
            }
            // (A Connect unary call that finishes without its message never opens a stream; its
            // response then never comes, and the call ends at its deadline or cancellation.)
        )
        @Sendable func release() {
            inbound.cancel(RPCError(code: .cancelled, message: "The call was cancelled."))
            guard let stream = handle.release() else { return }
            stream.enqueue(.clientRelease(stream.pending))
        }
        let stream = RPCClientStream(inbound: RPCAsyncSequence(buffer: inbound), outbound: outbound)
        streamStarted()
        defer { streamEnded() }
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

/// A stream requested on one connection.
private struct OpenStream: Sendable {
    /// Where the stream's parts go: an HTTP/2 connection, or the HTTP/1.1 connection leased for it.
    enum Outbox: Sendable {
        case http2(OutboxHandle<HTTP2ConnectionHandler>)
        case http1(OutboxHandle<HTTP1ClientHandler>)
    }

    var pending: PendingClientStream
    var outbox: Outbox

    /// Queues a part for the connection's event loop.
    func enqueue(_ item: ConnectionOutbox.Item) {
        switch outbox {
        case .http2(let outbox): outbox.enqueue(item)
        case .http1(let outbox): outbox.enqueue(item)
        }
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
