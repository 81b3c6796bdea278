import FerryRPC
import NIOCore
import NIOSSL
import Synchronization

/// A NIO channel handler that runs one HTTP/2 connection through an ``NGHTTP2Session`` and maps its
/// streams to FerryRPC streams.
///
/// Confined to its channel's event loop. Bytes read from the socket go into the session; session
/// events go through per-stream state machines, whose actions this handler carries out; whatever
/// the session wants to send is written after every interaction (``flush()``).
final class HTTP2ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Writers suspend while this many bytes wait in a stream's queue.
    static let outboundHighWatermark = 256 * 1024

    /// Called on the event loop for each accepted server stream.
    typealias StreamAcceptor = (RPCServerStream, ServerStreamContext) -> Void

    /// What only a server connection has: where accepted streams go and the limits it enforces.
    ///
    /// A class: every stream reads it, and a struct of this size would be copied (and each of its
    /// references retained) on every read.
    final class ServerOptions {
        /// Larger request messages fail with RESOURCE_EXHAUSTED before they are buffered.
        let maxRequestMessageBytes: Int
        /// The request encodings the server decodes and may compress responses with.
        let enabledEncodings: [CompressionAlgorithm]
        /// ``enabledEncodings`` as a `grpc-accept-encoding` value, sent with every response.
        let acceptEncodingHeader: String
        let limits: ServerConnectionLimits
        /// This connection's receive budget, chained to the server's.
        let budget: ReceiveBudget
        /// Takes one of the server's handler slots for a new stream; false when none is free.
        let admitHandler: () -> Bool
        /// Runs an accepted stream's handler (in the slot ``admitHandler`` took).
        let acceptor: StreamAcceptor
        /// How long a connection past its maximum age may finish its calls, unless the limits say.
        let gracefulShutdownTimeout: Duration
        /// Which browser origins may call (preflights and CORS response headers); nil for none.
        let cors: CORSPolicy?

        init(
            maxRequestMessageBytes: Int,
            enabledEncodings: [CompressionAlgorithm],
            limits: ServerConnectionLimits,
            budget: ReceiveBudget,
            admitHandler: @escaping () -> Bool,
            acceptor: @escaping StreamAcceptor,
            gracefulShutdownTimeout: Duration,
            cors: CORSPolicy? = nil
        ) {
            self.cors = cors
            self.maxRequestMessageBytes = maxRequestMessageBytes
            self.enabledEncodings = enabledEncodings
            self.acceptEncodingHeader = EncodingNegotiation.acceptHeader(enabledEncodings)
            self.limits = limits
            self.budget = budget
            self.admitHandler = admitHandler
            self.acceptor = acceptor
            self.gracefulShutdownTimeout = gracefulShutdownTimeout
        }
    }

    final class ClientStreamEntry {
        var machine: ClientStreamStateMachine
        let inbound: StreamBuffer<RPCResponsePart>
        let gate: StreamWriteGate
        /// Received bytes not yet credited back to the peer's stream window.
        var uncredited = 0
        let account = InboundAccount(budget: nil)

        init(machine: ClientStreamStateMachine, inbound: StreamBuffer<RPCResponsePart>, gate: StreamWriteGate) {
            self.machine = machine
            self.inbound = inbound
            self.gate = gate
        }
    }

    /// State other threads may read: whether the connection takes new streams.
    final class ConnectionStatus: Sendable {
        private let state = Mutex((accepting: true, closed: false))
        var isAcceptingStreams: Bool { state.withLock { $0.accepting && !$0.closed } }
        func stopAccepting() { state.withLock { $0.accepting = false } }
        func markClosed() { state.withLock { $0.closed = true } }
    }

    let session: NGHTTP2Session
    let status = ConnectionStatus()
    /// Parts written by callers' tasks, waiting for this event loop (see ``drainOutbox()``).
    let outbox = ConnectionOutbox()
    /// The outbox's last batch, kept for its buffer (``ConnectionOutbox/take(into:)``).
    var drained: [ConnectionOutbox.Item] = []
    /// Streams whose session queue was not empty at the last flush, with the byte count last
    /// reported to their write gate.
    var backlogged: [Int32: Int] = [:]
    /// Bytes were received since the last flush; ``channelReadComplete(context:)`` flushes once.
    private var readSinceFlush = false
    /// Streams accepted during the current read, not yet handed to the acceptor.
    var accepted: [(RPCServerStream, ServerStreamContext)] = []
    let eventLoop: any EventLoop
    private(set) var context: ChannelHandlerContext?
    var clientStreams: [Int32: ClientStreamEntry] = [:]
    var serverStreams: [Int32: ServerStreamEntry] = [:]
    /// Set on server connections only.
    let server: ServerOptions?
    /// Stream credit is withheld while more than this many received bytes wait for a stream's reader.
    let streamUnreadLimit: Int
    /// Judges the client's resets and PINGs (server connections).
    var policing: ConnectionPolicing?
    /// Server connection timers: setup (preface and SETTINGS), idle, age and its grace.
    var setupTimer: Scheduled<Void>?
    var idleTimer: Scheduled<Void>?
    /// When the last open stream closed; nil while a stream is open. The idle timer reads it when
    /// it fires rather than being rescheduled for every call.
    var idleSince: NIODeadline?
    var ageTimer: Scheduled<Void>?
    /// Set once a policing GOAWAY went out and the output is shut: what arrives is dropped until
    /// ``lingerTimer`` closes the connection (see ``closeAfterLinger(context:)``).
    var lingering = false
    var lingerTimer: Scheduled<Void>?
    private var closingGracefully = false
    private(set) var receivedRemoteSettings = false
    private var awaitingShutdownPing = false
    private var settingsWaiters: [EventLoopPromise<Void>] = []
    var peer = "unknown"
    /// The client's TLS certificate (DER), read from the TLS handler when the first stream arrives
    /// (the handshake is over by then); `.some(nil)` once read on a connection without one.
    var peerCertificate: [UInt8]??
    /// The `:authority` clients send.
    var authority = "localhost"
    /// The response encodings a client connection decodes, and their `grpc-accept-encoding` value.
    var clientAcceptedEncodings: [CompressionAlgorithm] = []
    var clientAcceptEncodingHeader: String?
    /// Inflaters shared by this connection's streams (all deframed on this event loop).
    let decompressors = DecompressorCache()
    /// This side's keepalive PINGs; nil sends none (see ``startKeepalive()``).
    var keepalive: Keepalive?
    var keepaliveTimer: Scheduled<Void>?
    /// When bytes last arrived (kept only with keepalive on).
    var lastReadAt = NIODeadline.uptimeNanoseconds(0)
    /// When the outstanding keepalive PING went out; nil when none is outstanding.
    var keepalivePingSentAt: NIODeadline?
    /// Called when the server closes this client connection with GOAWAY `too_many_pings`.
    var onTooManyPings: (() -> Void)?
    /// Why this side closed the connection, for the status of the streams it ends.
    var closeReason: String?

    /// Creates a client-side handler.
    init(clientOn eventLoop: any EventLoop, settings: HTTP2Settings) throws {
        self.session = try NGHTTP2Session(role: .client, settings: settings)
        self.eventLoop = eventLoop
        self.server = nil
        self.streamUnreadLimit = settings.initialWindowSize
    }

    /// Creates a server-side handler that hands every accepted stream to `server.acceptor`.
    init(serverOn eventLoop: any EventLoop, settings: HTTP2Settings, options: ServerOptions) throws {
        self.session = try NGHTTP2Session(role: .server, settings: settings)
        self.eventLoop = eventLoop
        self.server = options
        self.streamUnreadLimit = settings.initialWindowSize
        self.policing = ConnectionPolicing(limits: options.limits, now: eventLoop.now)
        self.keepalive = options.limits.keepalivePings
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if let address = context.channel.remoteAddress { peer = Self.describe(address) }
        startServerTimers()
        startKeepalive()
        if context.channel.isActive { flush() }
    }

    /// The pipeline is done with this handler (the channel closed): drop the context, which holds
    /// the handler in turn, so that the handler, its nghttp2 session and its timers are freed.
    func handlerRemoved(context: ChannelHandlerContext) {
        cancelServerTimers()
        cancelKeepalive()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        if let address = context.channel.remoteAddress { peer = Self.describe(address) }
        startKeepalive()
        flush()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !lingering else { return }
        let buffer = unwrapInboundIn(data)
        if keepalive != nil { lastReadAt = eventLoop.now }
        let received = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(NGHTTP2Session.SessionError) in try session.receive(bytes) }
        }
        let events: [HTTP2SessionEvent]
        switch received {
        case .success(let processed):
            events = processed
        case .failure(let error):
            closeAfterFatal(error, context: context)
            return
        }
        for event in events { handle(event) }
        launchAccepted()
        if !readSinceFlush {
            readSinceFlush = true
            // channelReadComplete normally flushes; a handler in front of this one (TLS) may pass
            // bytes on outside a read cycle, so a flush is also scheduled, which then finds
            // nothing left to do.
            let bound = NIOLoopBound(self, eventLoop: eventLoop)
            eventLoop.execute { bound.value.flushAfterRead() }
        }
    }

    private func flushAfterRead() {
        guard readSinceFlush else { return }
        readSinceFlush = false
        flush()
    }

    /// Hands the streams accepted while processing received bytes to the acceptor, after all of
    /// those bytes were processed: a request's message and end usually arrive with its headers, so
    /// the handler then finds them waiting instead of suspending for them.
    private func launchAccepted() {
        guard !accepted.isEmpty, let server else { return }
        let streams = accepted
        accepted.removeAll(keepingCapacity: true)
        for (stream, context) in streams { server.acceptor(stream, context) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushAfterRead()
        context.fireChannelReadComplete()
    }

    /// Completes once the peer's first SETTINGS frame arrived, so its stream limit is known before a
    /// client opens streams (streams opened earlier could be refused); fails and closes the
    /// connection when none came within `timeout`.
    func remoteSettingsReceived(within timeout: Duration) -> EventLoopFuture<Void> {
        if receivedRemoteSettings { return eventLoop.makeSucceededVoidFuture() }
        let promise = eventLoop.makePromise(of: Void.self)
        settingsWaiters.append(promise)
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            let handler = bound.value
            guard !handler.receivedRemoteSettings, !handler.settingsWaiters.isEmpty else { return }
            let waiters = handler.settingsWaiters
            handler.settingsWaiters.removeAll()
            for waiter in waiters {
                waiter.fail(
                    RPCError(code: .unavailable, message: "The peer sent no HTTP/2 SETTINGS within \(timeout).")
                )
            }
            handler.context?.close(promise: nil)
        }
        return promise.futureResult
    }

    func channelInactive(context: ChannelHandlerContext) {
        status.markClosed()
        cancelServerTimers()
        cancelKeepalive()
        let waiters = settingsWaiters
        settingsWaiters.removeAll()
        for waiter in waiters {
            waiter.fail(RPCError(code: .unavailable, message: "The connection closed during the HTTP/2 handshake."))
        }
        let failure = Status(
            code: .unavailable,
            message: "The HTTP/2 connection closed" + (closeReason.map { ": \($0)." } ?? ".")
        )
        for (_, entry) in clientStreams {
            if !entry.machine.isClosed { entry.inbound.push(.status(failure, [:])) }
            entry.inbound.finish()
            entry.gate.close(Self.streamClosed)
        }
        clientStreams.removeAll()
        for (_, entry) in serverStreams {
            entry.deadlineTimer?.cancel()
            cancel(entry)
            entry.releaseHeld()
        }
        serverStreams.removeAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: Session events

    private func handle(_ event: HTTP2SessionEvent) {
        switch event {
        case .headers(let streamID, let fields, let endStream):
            if session.role == .client {
                guard let entry = clientStreams[streamID] else { return }
                apply(entry.machine.receivedHeaders(fields, endStream: endStream), to: entry, streamID: streamID)
            } else {
                serverReceivedHeaders(streamID: streamID, fields: fields, endStream: endStream)
            }
        case .data(let streamID, let bytes):
            session.consumeConnection(bytes.count)
            if session.role == .client, let entry = clientStreams[streamID] {
                entry.uncredited += bytes.count
                let action = entry.machine.receivedData(bytes)
                entry.account.delivered(Self.messageBytes(in: action.parts))
                apply(action, to: entry, streamID: streamID)
                creditClientStream(streamID)
            } else if session.role == .server, let entry = serverStreams[streamID] {
                serverReceivedData(bytes, entry: entry, streamID: streamID)
            }
        case .endOfData(let streamID):
            if session.role == .client {
                guard let entry = clientStreams[streamID] else { return }
                apply(entry.machine.receivedEndOfData(), to: entry, streamID: streamID)
            } else if let entry = serverStreams[streamID] {
                serverReceivedEndOfData(entry: entry, streamID: streamID)
            }
        case .streamClosed(let streamID, let errorCode):
            if let entry = clientStreams.removeValue(forKey: streamID) {
                apply(entry.machine.streamClosed(errorCode: errorCode), to: entry, streamID: streamID)
                entry.inbound.finish()
                entry.gate.close(Self.streamClosed)
            }
            if let entry = serverStreams.removeValue(forKey: streamID) {
                entry.deadlineTimer?.cancel()
                if errorCode != HTTP2ErrorCode.noError || !entry.machine.sentStatus {
                    cancel(entry)
                } else {
                    // The call is over: what the handler did not read is dropped.
                    entry.inbound.cancel(Self.streamClosed)
                }
                entry.gate.close(Self.streamClosed)
                entry.releaseHeld()
                if serverStreams.isEmpty { streamsBecameIdle() }
            }
            backlogged[streamID] = nil
        case .goAway(_, let errorCode, let debugData):
            status.stopAccepting()
            closingGracefully = true
            if server == nil, errorCode == HTTP2ErrorCode.enhanceYourCalm, debugData == "too_many_pings" {
                onTooManyPings?()
            }
        case .headerListTooLarge(let streamID, let size, let limit):
            let status = Status(
                code: .resourceExhausted,
                message: "The header list of \(size) bytes exceeds the limit of \(limit) bytes."
            )
            if session.role == .client {
                guard let entry = clientStreams[streamID] else { return }
                apply(entry.machine.failed(status), to: entry, streamID: streamID)
            } else if let entry = serverStreams[streamID] {
                apply(ServerStreamStateMachine.OnInbound(failure: status), to: entry, streamID: streamID)
            } else {
                let headers = HeaderCoding.trailers(status: status, metadata: [:], trailersOnly: true)
                try? session.submitTrailersOnlyResponse(headers, on: streamID)
            }
        case .peerReset(let streamID):
            if let entry = serverStreams[streamID], !entry.machine.sentStatus,
                let verdict = policing?.peerResetActiveStream(at: eventLoop.now)
            {
                enforce(verdict)
            }
        case .pingReceived:
            if let verdict = policing?.pingReceived(at: eventLoop.now, openStreams: serverStreams.count) {
                enforce(verdict)
            }
        case .pingAcknowledged:
            keepalivePingAcknowledged()
            if awaitingShutdownPing {
                awaitingShutdownPing = false
                session.submitGoAway()
            }
        case .remoteSettings:
            let waiters = settingsWaiters
            settingsWaiters.removeAll()
            receivedRemoteSettings = true
            setupTimer?.cancel()
            setupTimer = nil
            for waiter in waiters { waiter.succeed() }
        }
    }

    // MARK: Output

    /// Writes everything the session wants to send, then wakes writers whose queues drained and
    /// closes the connection when a graceful shutdown has nothing left to do.
    func flush() {
        guard let context else { return }
        do {
            var buffer: ByteBuffer?
            try session.drainOutput { bytes in
                if buffer == nil { buffer = context.channel.allocator.buffer(capacity: max(bytes.count, 1024)) }
                buffer!.writeBytes(bytes)
            }
            if let buffer { context.writeAndFlush(wrapOutboundOut(buffer), promise: nil) }
        } catch {
            context.close(promise: nil)
            return
        }
        if session.takeSentStreamFrames() { policing?.sentStreamFrames() }
        for event in session.takeEvents() { handle(event) }
        launchAccepted()
        if !backlogged.isEmpty {
            for streamID in Array(backlogged.keys) { reportQueued(on: streamID) }
        }
        if !session.wantsReadOrWrite, !lingering {
            // nghttp2 is done with the connection: GOAWAY exchanged and no streams left, or a
            // protocol error it already answered with GOAWAY. (A lingering connection closes on
            // its timer.)
            context.close(promise: nil)
        }
    }

    /// Tells a stream's write gate how many bytes the session still holds for it, when that changed.
    func reportQueued(on streamID: Int32) {
        let queued = session.queuedBytes(on: streamID)
        let reported = backlogged[streamID] ?? 0
        guard queued != reported else { return }
        backlogged[streamID] = queued == 0 ? nil : queued
        if let entry = serverStreams[streamID] {
            entry.gate.setQueued(queued)
        } else if let entry = clientStreams[streamID] {
            entry.gate.setQueued(queued)
        }
    }

    // MARK: Graceful shutdown

    /// Sends GOAWAY, lets open streams finish and then closes the connection.
    ///
    /// A server first sends a shutdown notice (GOAWAY with the largest stream id) and a PING; the
    /// final GOAWAY naming the last stream it processed goes out when the PING is acknowledged, so
    /// streams the client opened before it saw the notice are still served rather than refused.
    func beginGracefulShutdown() {
        guard !closingGracefully else { return }
        status.stopAccepting()
        closingGracefully = true
        if session.role == .server {
            session.submitShutdownNotice()
            session.submitPing()
            awaitingShutdownPing = true
            let bound = NIOLoopBound(self, eventLoop: eventLoop)
            eventLoop.scheduleTask(in: .seconds(1)) { bound.value.sendFinalGoAway() }
        } else {
            session.submitGoAway()
        }
        flush()
        if session.role == .client && clientStreams.isEmpty { context?.close(promise: nil) }
    }

    private func sendFinalGoAway() {
        guard awaitingShutdownPing else { return }
        awaitingShutdownPing = false
        session.submitGoAway()
        flush()
    }

    static func describe(_ address: SocketAddress) -> String {
        switch address {
        case .v4: "ipv4:\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        case .v6: "ipv6:[\(address.ipAddress ?? "?")]:\(address.port ?? 0)"
        case .unixDomainSocket: "unix:\(address.pathname ?? "")"
        }
    }
}

/// A part of a stream that may carry a message, whose bytes count against flow control.
protocol StreamPart: Sendable {
    /// The message's size in bytes; 0 for metadata and status.
    var messageByteCount: Int { get }
}

extension RPCRequestPart: StreamPart {
    var messageByteCount: Int {
        if case .message(let bytes) = self { bytes.count } else { 0 }
    }
}

extension RPCResponsePart: StreamPart {
    var messageByteCount: Int {
        if case .message(let bytes) = self { bytes.count } else { 0 }
    }
}
