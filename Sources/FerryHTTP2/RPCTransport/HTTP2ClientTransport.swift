// Public imports: CallOptions, MethodDescriptor and the transport protocols (FerryRPC) and
// EventLoopGroup (NIOCore) appear in this file's public API.
public import FerryRPC
public import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The gRPC-over-HTTP/2 client transport: a channel in gRPC's sense.
///
/// It resolves its target (``FerryRPC/RPCTarget``: `dns:///host:port`, `ipv4:a:p,b:p`, `unix:path`, or
/// any ``FerryRPC/NameResolver``), keeps subchannels (one HTTP/2 connection each) to the addresses,
/// spreads calls over them with the service config's load-balancing policy (pick_first by default,
/// round_robin), reconnects on gRPC's connection backoff schedule, and goes IDLE, closing its
/// connections, after ``ChannelConfiguration/idleTimeout`` without calls. Connections are
/// cleartext HTTP/2 with prior knowledge, or TLS with ALPN `h2` when created with a
/// ``ClientTLSConfiguration``. Many concurrent streams share each connection.
///
/// While the channel is in TRANSIENT_FAILURE (every address failed), a call fails at once with
/// UNAVAILABLE unless it waits for ready (``FerryRPC/CallOptions/waitForReady``); a waiting call
/// waits until a connection is ready or its deadline passes. Watch the channel's state with
/// ``connectivityUpdates()``.
public final class HTTP2ClientTransport: ClientTransport {
    private struct State {
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

    private let resolver: any NameResolver
    private let connector: ClientConnector
    private let configuration: ChannelConfiguration
    private let clock: any RPCClock
    private let state: Mutex<State>
    private let shutdownSignal = StreamCancellation()
    /// The channel's retry token bucket, from its service config's `retryThrottling`.
    public let retryThrottle: RetryThrottle?

    /// Creates a channel to `host:port` (resolved through DNS unless `host` is an IP address); it
    /// connects when the first call starts.
    ///
    /// - Parameters:
    ///   - tls: TLS for the connections; nil (the default) speaks cleartext HTTP/2 with prior
    ///     knowledge. Its PEM files are read here; unreadable material fails every call with
    ///     ``FerryRPC/Status/Code/unavailable``.
    ///   - serviceConfig: the channel's service config (load balancing, per-method settings, retry
    ///     throttling); a resolver that supplies one replaces it.
    ///   - eventLoopGroup: the group whose event loops run the connections; nil uses NIO's
    ///     shared `MultiThreadedEventLoopGroup.singleton`.
    ///   - acceptedCompression: the response encodings this client decodes, advertised in
    ///     `grpc-accept-encoding` (gzip and deflate by default); a response in any other fails with
    ///     INTERNAL. Which encoding requests use is chosen per call (``FerryRPC/CallOptions/compression``).
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
            target: .dns(host: host, port: port), tls: tls, serviceConfig: serviceConfig, settings: settings,
            eventLoopGroup: eventLoopGroup, acceptedCompression: acceptedCompression, channel: channel, clock: clock
        )
    }

    /// Creates a channel to a target (`RPCTarget(parsing: "dns:///orders:443")`); the other
    /// parameters are those of ``init(host:port:tls:serviceConfig:settings:eventLoopGroup:acceptedCompression:channel:clock:)``.
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
            resolver: resolver, authority: authority, tlsHost: host, tls: tls, serviceConfig: serviceConfig,
            settings: settings, eventLoopGroup: eventLoopGroup, acceptedCompression: acceptedCompression,
            channel: channel, clock: clock
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
            resolver: resolver, authority: authority, tlsHost: host, tls: tls, serviceConfig: serviceConfig,
            settings: settings, eventLoopGroup: eventLoopGroup, acceptedCompression: acceptedCompression,
            channel: channel, clock: clock
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
                return (Result { () throws(RPCError) in try tls.makeContext() }, sni, sni ?? tlsHost)
            },
            group: eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton,
            acceptedCompression: acceptedCompression.filter { $0 != .identity },
            keepalive: channel.keepalive.map(KeepaliveSchedule.init)
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
        for connection in connections { try? await connection.channel.closeFuture.get() }
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
            ChannelConnectivity(state: state.connectivity, subchannels: state.subchannels.map { ($0.address, $0.connectivity) })
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
            continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.observers.removeValue(forKey: id) } }
            return true
        }
        continuation.yield(current)
        if !registered { continuation.finish() }
        return stream
    }

    // MARK: Picking a connection

    /// A ready connection per the load-balancing policy; waits while the channel connects, and in
    /// TRANSIENT_FAILURE fails at once unless `waitForReady`.
    private func pickConnection(waitForReady: Bool) async throws(RPCError) -> ClientConnection {
        while true {
            enum Step {
                case picked(ClientConnection)
                case failed(RPCError)
                case wait(id: Int, epoch: Int)
            }
            var actions: [() -> Void] = []
            let step = state.withLock { state -> Step in
                if state.shutdown {
                    return .failed(RPCError(code: .unavailable, message: "The client transport is shut down."))
                }
                state.lastActivity = clock.now
                if !state.resolved {
                    if !state.resolving { actions.append(startResolution(&state)) }
                    if let error = state.resolutionError, !waitForReady { return .failed(error) }
                } else if let connection = pick(&state) {
                    return .picked(connection)
                } else {
                    if state.connectivity == .transientFailure, !waitForReady {
                        return .failed(failure(state))
                    }
                    actions.append(contentsOf: exitIdle(&state))
                }
                state.nextID += 1
                return .wait(id: state.nextID, epoch: state.epoch)
            }
            for action in actions { action() }
            switch step {
            case .picked(let connection):
                return connection
            case .failed(let error):
                throw error
            case .wait(let id, let epoch):
                await waitForChange(id, after: epoch)
                if Task.isCancelled { throw RPCError(code: .cancelled, message: "The call was cancelled.") }
            }
        }
    }

    private func pick(_ state: inout State) -> ClientConnection? {
        switch state.serviceConfig.loadBalancingPolicy {
        case .pickFirst:
            for subchannel in state.subchannels {
                if let connection = subchannel.readyConnection() { return connection }
            }
            return nil
        case .roundRobin:
            let count = state.subchannels.count
            guard count > 0 else { return nil }
            for offset in 0..<count {
                let index = (state.nextPick + offset) % count
                if let connection = state.subchannels[index].readyConnection() {
                    state.nextPick = index + 1
                    return connection
                }
            }
            return nil
        }
    }

    private func failure(_ state: State) -> RPCError {
        let reason = state.subchannels.compactMap(\.lastError).first ?? state.resolutionError
        return RPCError(
            code: .unavailable,
            message: "No connection is ready (the channel is in TRANSIENT_FAILURE): \(reason?.message ?? "every address failed")",
            cause: reason
        )
    }

    /// Starts connecting as the policy wants: pick_first the first subchannel that has not failed
    /// (the next after each failure), round_robin every idle one.
    private func exitIdle(_ state: inout State) -> [() -> Void] {
        switch state.serviceConfig.loadBalancingPolicy {
        case .pickFirst:
            let states = state.subchannels.map(\.connectivity)
            if states.contains(.connecting) || states.contains(.ready) { return [] }
            guard let next = state.subchannels.first(where: { $0.connectivity == .idle }) else { return [] }
            return [{ next.requestConnection() }]
        case .roundRobin:
            return state.subchannels.filter { $0.connectivity == .idle }.map { subchannel in { subchannel.requestConnection() } }
        }
    }

    /// Waits for the next change after `epoch` (at once when one already happened).
    private func waitForChange(_ id: Int, after epoch: Int) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let registered = state.withLock { state -> Bool in
                    guard !state.shutdown, !Task.isCancelled, state.epoch == epoch else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                if !registered { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    // MARK: State changes

    /// A subchannel changed: recompute the channel's state, start what the policy wants, wake the
    /// calls waiting for a connection and tell observers.
    private func subchannelChanged() {
        var actions: [() -> Void] = []
        let (waiters, observers, snapshot) = state.withLock { state -> ([CheckedContinuation<Void, Never>], [AsyncStream<ChannelConnectivity>.Continuation], ChannelConnectivity?) in
            guard !state.shutdown else { return ([], [], nil) }
            state.epoch += 1
            let states = state.subchannels.map(\.connectivity)
            let previous = state.connectivity
            if states.contains(.ready) {
                state.connectivity = .ready
            } else if !states.isEmpty, states.allSatisfy({ $0 == .transientFailure }) {
                state.connectivity = .transientFailure
            } else if previous == .transientFailure, !states.isEmpty, !states.allSatisfy({ $0 == .idle }) {
                // Sticky: stay in TRANSIENT_FAILURE while retrying, until a connection is ready.
                state.connectivity = .transientFailure
            } else if states.contains(.connecting) || states.contains(.transientFailure) {
                state.connectivity = .connecting
            } else {
                state.connectivity = .idle
            }
            switch state.serviceConfig.loadBalancingPolicy {
            case .pickFirst:
                if states.contains(.ready) {
                    // The first ready address wins; stop the others' attempts.
                    let winner = state.subchannels.firstIndex { $0.connectivity == .ready }
                    for (index, subchannel) in state.subchannels.enumerated() where index != winner && subchannel.connectivity != .idle {
                        actions.append { subchannel.reset() }
                    }
                } else if states.contains(.transientFailure), !states.contains(.connecting) {
                    // The address being tried failed: try the next.
                    actions.append(contentsOf: exitIdle(&state))
                }
            case .roundRobin:
                if previous != .idle || !state.waiters.isEmpty { actions.append(contentsOf: exitIdle(&state)) }
            }
            // A subchannel that was READY and is not any more lost its connection: the addresses
            // may have changed.
            let before = state.lastPublished?.subchannels ?? []
            let lost = zip(state.subchannels, states).contains { subchannel, now in
                now != .ready && before.contains { $0.address == subchannel.address && $0.state == .ready }
            }
            if lost {
                actions.append(requestResolution(&state))
            }
            if state.connectivity == .transientFailure, previous != .transientFailure {
                actions.append(requestResolution(&state))
            }
            if state.connectivity != .idle, state.idleTask == nil {
                state.idleTask = makeIdleTask()
            }
            let snapshot = ChannelConnectivity(state: state.connectivity, subchannels: zip(state.subchannels, states).map { ($0.address, $1) })
            let changed = snapshot != state.lastPublished
            state.lastPublished = snapshot
            defer { state.waiters.removeAll() }
            return (Array(state.waiters.values), changed ? Array(state.observers.values) : [], changed ? snapshot : nil)
        }
        for action in actions { action() }
        for waiter in waiters { waiter.resume() }
        if let snapshot { for observer in observers { observer.yield(snapshot) } }
    }

    // MARK: Resolution

    private func startResolution(_ state: inout State) -> () -> Void {
        state.resolving = true
        state.scheduledResolution?.cancel()
        state.scheduledResolution = nil
        return { Task { await self.resolve() } }
    }

    /// Resolves again now, or at the earliest the resolver's minimum interval after the last time.
    private func requestResolution(_ state: inout State) -> () -> Void {
        guard !state.resolving, state.scheduledResolution == nil else { return {} }
        let earliest = state.lastResolution.map { $0.advanced(by: resolver.minimumInterval) } ?? clock.now
        if earliest <= clock.now { return startResolution(&state) }
        let clock = self.clock
        state.scheduledResolution = Task { [weak self] in
            do { try await clock.sleep(until: earliest) } catch { return }
            self?.state.withLock { $0.scheduledResolution = nil }
            self?.resolveIfIdle()
        }
        return {}
    }

    private func resolveIfIdle() {
        let action = state.withLock { state -> (() -> Void)? in
            guard !state.shutdown, !state.resolving else { return nil }
            return startResolution(&state)
        }
        action?()
    }

    private func resolve() async {
        let outcome: Result<NameResolution, RPCError>
        do {
            outcome = .success(try await resolver.resolve())
        } catch {
            outcome = .failure(error)
        }
        var removed: [Subchannel] = []
        var retryAfter: ContinuousClock.Instant?
        let proceed = state.withLock { state -> Bool in
            guard !state.shutdown else { return false }
            state.resolving = false
            state.lastResolution = clock.now
            switch outcome {
            case .success(let resolution) where !resolution.addresses.isEmpty:
                state.resolved = true
                state.resolutionError = nil
                state.resolutionBackoff = nil
                if let config = resolution.serviceConfig { state.serviceConfig = config }
                var addresses = Array(resolution.addresses.prefix(configuration.maxAddresses))
                if case .pickFirst(shuffleAddressList: true) = state.serviceConfig.loadBalancingPolicy { addresses.shuffle() }
                var kept: [Subchannel] = []
                for address in addresses where !kept.contains(where: { $0.address == address }) {
                    if let existing = state.subchannels.first(where: { $0.address == address }) {
                        kept.append(existing)
                    } else {
                        kept.append(
                            Subchannel(
                                address: address, connector: connector, backoff: configuration.backoff, clock: clock,
                                onChange: { [weak self] in self?.subchannelChanged() }
                            )
                        )
                    }
                }
                removed = state.subchannels.filter { old in !kept.contains { $0 === old } }
                state.subchannels = kept
                if let interval = resolver.refreshInterval {
                    state.refreshTask?.cancel()
                    let clock = self.clock
                    state.refreshTask = Task { [weak self] in
                        do { try await clock.sleep(for: interval) } catch { return }
                        self?.resolveIfIdle()
                    }
                }
            case .success:
                state.resolutionError = RPCError(code: .unavailable, message: "The name resolver returned no addresses.")
                if !state.resolved { state.connectivity = .transientFailure }
                retryAfter = nextResolutionRetry(&state)
            case .failure(let error):
                state.resolutionError = error
                if !state.resolved { state.connectivity = .transientFailure }
                retryAfter = nextResolutionRetry(&state)
            }
            return true
        }
        guard proceed else { return }
        for subchannel in removed { subchannel.shutDown() }
        if let retryAfter {
            let clock = self.clock
            let task = Task { [weak self] in
                do { try await clock.sleep(until: retryAfter) } catch { return }
                self?.state.withLock { $0.scheduledResolution = nil }
                self?.resolveIfIdle()
            }
            state.withLock { $0.scheduledResolution = task }
        }
        subchannelChanged()
    }

    /// When a failed resolution is tried again: on the connection backoff schedule.
    private func nextResolutionRetry(_ state: inout State) -> ContinuousClock.Instant {
        var schedule = state.resolutionBackoff ?? configuration.backoff.schedule()
        let plan = schedule.nextAttempt(now: clock.now)
        state.resolutionBackoff = schedule
        return plan.nextAttemptAt
    }

    // MARK: Idleness

    private func streamStarted() {
        state.withLock { state in
            state.activeStreams += 1
            state.lastActivity = clock.now
        }
    }

    private func streamEnded() {
        state.withLock { state in
            state.activeStreams -= 1
            state.lastActivity = clock.now
        }
    }

    /// Watches for ``ChannelConfiguration/idleTimeout`` without calls, then closes every
    /// connection and goes IDLE; the next call reconnects.
    private func makeIdleTask() -> Task<Void, Never>? {
        guard let timeout = configuration.idleTimeout else { return nil }
        let clock = self.clock
        return Task { [weak self] in
            // No strong reference is held while sleeping, so an abandoned channel is freed.
            while let due = self?.state.withLock({ $0.lastActivity.advanced(by: timeout) }) {
                do { try await clock.sleep(until: due) } catch { return }
                guard let self else { return }
                let idle = self.state.withLock { state -> [Subchannel]? in
                    guard !state.shutdown else { return [] }
                    guard state.activeStreams == 0, state.lastActivity.advanced(by: timeout) <= clock.now else { return nil }
                    state.idleTask = nil
                    state.connectivity = .idle
                    return state.subchannels
                }
                guard let idle else { continue }
                for subchannel in idle { subchannel.reset() }
                return
            }
        }
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
                    let connection = try await self.pickConnection(waitForReady: options.waitForReady)
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
