import FerryRPC
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// Serves Connect and gRPC-Web calls that arrive over HTTP/1.1, one request at a time per
/// connection, through the same state machine, writer, limits and deadlines as HTTP/2 streams.
///
/// Sits behind NIO's HTTP/1 codec (``HTTP1ServerHandler/addHandlers(to:options:maxHeaderListSize:)``),
/// whose pipelining handler holds a client's next request until this one's response ended.
/// gRPC itself needs HTTP/2 (its status travels in trailers) and gets 505. HTTP/1.1 cannot reset
/// one request as HTTP/2 resets a stream, so where HTTP/2 would reset, the connection closes.
///
/// Bounds: a request head must arrive complete within
/// ``ServerConnectionLimits/connectionSetupTimeout`` of the connection opening or the previous
/// response ending (so a keep-alive connection also idles at most that long); its header list
/// within ``HTTP2Settings/maxHeaderListSize`` (NIO's decoder refuses a larger one with 400); the
/// body within the message limit and the receive budgets, as on HTTP/2. Reading stops while the
/// handler has more than ``HTTP2ConnectionHandler/outboundHighWatermark`` bytes unread, as an
/// HTTP/2 stream stops crediting its window.
final class HTTP1ServerHandler: ChannelDuplexHandler, OutboxDraining {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The request being served.
    private struct Exchange {
        let id: Int32
        let entry: ServerStreamEntry
        /// The client asked to keep the connection open after this exchange.
        let keepAlive: Bool
        /// The request's end arrived.
        var requestEnded = false
    }

    let outbox = ConnectionOutbox()
    let eventLoop: any EventLoop
    private let options: HTTP2ConnectionHandler.ServerOptions
    private let isTLS: Bool
    private var context: ChannelHandlerContext?
    private var drained: [ConnectionOutbox.Item] = []
    private var exchange: Exchange?
    /// Set while the rest of a request whose response already ended (refused, or failed before its
    /// body was read) is read and dropped: whether the connection then stays open.
    private var discarding: Bool?
    /// Body bytes dropped while ``discarding``; past the message limit the connection closes rather
    /// than reading on.
    private var discardedBytes = 0
    private var nextID: Int32 = 1
    private var headTimer: Scheduled<Void>?
    /// A stream accepted in the current read, handed to the acceptor when the read completes (its
    /// message has usually arrived by then).
    private var accepted: (RPCServerStream, ServerStreamContext)?
    /// A `read()` withheld while the handler is behind on the request's messages or the socket
    /// does not take the responses (a client pipelining requests without reading the answers).
    private var reads = ReadHold()
    private var closingGracefully = false
    private var peer = "unknown"
    private var peerCertificate: [UInt8]??
    private let decompressors = DecompressorCache()

    init(eventLoop: any EventLoop, options: HTTP2ConnectionHandler.ServerOptions, isTLS: Bool) {
        self.eventLoop = eventLoop
        self.options = options
        self.isTLS = isTLS
    }

    /// Adds NIO's HTTP/1 server codec and this handler to `channel`, where the connection's bytes
    /// arrive (behind TLS, if any); returns the handler.
    static func addHandlers(
        to channel: any Channel,
        options: HTTP2ConnectionHandler.ServerOptions,
        maxHeaderListSize: Int,
        isTLS: Bool
    ) throws -> HTTP1ServerHandler {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = maxHeaderListSize
        limits.maxHeaderFieldSize = maxHeaderListSize
        let handler = HTTP1ServerHandler(eventLoop: channel.eventLoop, options: options, isTLS: isTLS)
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(HTTPResponseEncoder())
        try operations.addHandler(ByteToMessageHandler(HTTPRequestDecoder(limitConfiguration: limits)))
        try operations.addHandler(HTTPServerPipelineHandler())
        try operations.addHandler(HTTPServerProtocolErrorHandler())
        try operations.addHandler(handler)
        return handler
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if let address = context.channel.remoteAddress { peer = HTTP2ConnectionHandler.describe(address) }
        armHeadTimer()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        headTimer?.cancel()
        headTimer = nil
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        headTimer?.cancel()
        if let exchange { end(exchange.entry, cancelled: !exchange.entry.machine.sentStatus) }
        exchange = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            receivedHead(head)
        case .body(let buffer):
            guard discarding == nil, let exchange, exchange.entry.machine.isReceiving else {
                // Dropped (refused, failed, or a body after a complete request such as a GET's):
                // past the message limit the connection closes rather than reading on.
                discardedBytes += buffer.readableBytes
                if discardedBytes > options.maxRequestMessageBytes { closeAfterFlush() }
                return
            }
            let bytes = Array(buffer.readableBytesView)
            deliver(exchange.entry.machine.receivedData(bytes), exchange: exchange)
            if exchange.entry.account.unreadBytes > HTTP2ConnectionHandler.outboundHighWatermark,
                reads.hold(for: exchange.entry.account)
            {
                resumeReads()
            }
        case .end:
            if let keepAlive = discarding {
                discarding = nil
                requestFinished(keepAlive: keepAlive)
                return
            }
            guard var exchange else { return }
            exchange.requestEnded = true
            self.exchange = exchange
            deliver(exchange.entry.machine.receivedEndOfData(), exchange: exchange)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        launchAccepted()
        context.flush()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if reads.shouldRead(blocked: !context.channel.isWritable) { context.read() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // The socket took what was written: the writer may go on (see reportWritability()), and
        // reading resumes.
        reportWritability()
        if reads.resumeWithheld(blocked: !context.channel.isWritable) { context.read() }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Requests

    private func receivedHead(_ head: HTTPRequestHead) {
        headTimer?.cancel()
        headTimer = nil
        if HeaderCoding.isGRPCContentType(head.headers.first(name: "content-type")) {
            // gRPC carries its status in HTTP trailers, which HTTP/1.1 clients do not read.
            refuse(status: .httpVersionNotSupported, keepAlive: head.isKeepAlive, message: "gRPC needs HTTP/2.")
            return
        }
        let entry = ServerStreamEntry(
            machine: ServerStreamStateMachine(
                maxRequestMessageBytes: options.maxRequestMessageBytes,
                enabledEncodings: options.enabledEncodings,
                decompressors: decompressors,
                cors: options.cors
            ),
            budget: options.budget
        )
        let (decision, inbound) = entry.machine.receivedHeaders(requestFields(head), endStream: false)
        switch decision {
        case .reject(let headers, let body):
            discard(keepAlive: head.isKeepAlive)
            ServerStreamStateMachine.whole(headers: headers, body: body) { write($0, keepAlive: head.isKeepAlive) }
        case .accept(let path, _, let timeout, let encoding, let clientAccepts, let httpMethod):
            guard options.admitHandler() else {
                // Every handler slot is taken: UNAVAILABLE, which clients may retry.
                discard(keepAlive: head.isKeepAlive)
                let status = Status(code: .unavailable, message: "The server is at its limit of running calls.")
                _ = entry.machine.respond(.status(status, [:]), acceptEncoding: options.acceptEncodingHeader) {
                    write($0, keepAlive: head.isKeepAlive)
                }
                return
            }
            let id = nextID
            nextID &+= 1
            discardedBytes = 0
            if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
                // The client waits for this before sending its body (curl does for larger ones).
                let interim = HTTPResponseHead(version: .http1_1, status: .continue)
                context?.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
            }
            exchange = Exchange(id: id, entry: entry, keepAlive: head.isKeepAlive && !closingGracefully)
            let bound = NIOLoopBound(self, eventLoop: eventLoop)
            let streamContext = entry.start(
                path: path,
                timeout: timeout,
                encoding: encoding,
                httpMethod: httpMethod,
                peer: peer,
                peerCertificate: clientCertificate(),
                eventLoop: eventLoop
            ) { bound.value.deadlinePassed(id: id) }
            accepted = (makeStream(entry, id: id, clientAccepts: clientAccepts), streamContext)
            // Launched when this read completes; pipelined requests NIO held back arrive outside a
            // read, so a task launches it then.
            eventLoop.execute { bound.value.launchAccepted() }
            apply(inbound, exchange: exchange!)
        case .none:
            discard(keepAlive: head.isKeepAlive)
        }
    }

    /// The request head as the header fields an HTTP/2 request would carry (pseudo-headers first,
    /// names in lower case, HTTP/1.1's connection headers left out).
    private func requestFields(_ head: HTTPRequestHead) -> [HeaderField] {
        var fields = [
            HeaderField(":method", head.method.rawValue),
            HeaderField(":scheme", isTLS ? "https" : "http"),
            HeaderField(":authority", head.headers.first(name: "host") ?? ""),
            HeaderField(":path", head.uri),
        ]
        fields.reserveCapacity(fields.count + head.headers.count)
        for (name, value) in head.headers {
            let name = name.lowercased()
            switch name {
            case "host", "connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te": continue
            default: fields.append(HeaderField(name, value))
            }
        }
        return fields
    }

    /// The FerryRPC view of the request: the same writer as an HTTP/2 stream's, through this
    /// connection's outbox.
    private func makeStream(_ entry: ServerStreamEntry, id: Int32, clientAccepts: String?) -> RPCServerStream {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        ReadHold.watchReader(of: entry.inbound, account: entry.account, eventLoop: eventLoop) {
            bound.value.resumeReads()
        }
        let writer = ServerStreamWriter(
            streamID: id,
            gate: entry.gate,
            account: entry.account,
            connection: self,
            wire: entry.machine.wire,
            enabled: options.enabledEncodings,
            clientAccepts: clientAccepts
        )
        return RPCServerStream(
            inbound: RPCAsyncSequence(buffer: entry.inbound),
            outbound: ClosableRPCWriter(
                writeWithOptions: { part, options throws(RPCError) in try await writer.write(part, options: options) },
                finish: { writer.finish() }
            )
        )
    }

    private func launchAccepted() {
        guard let (stream, context) = accepted else { return }
        accepted = nil
        options.acceptor(stream, context)
    }

    /// Accounts `action` against the receive budget (RESOURCE_EXHAUSTED when it is spent), then
    /// applies it.
    private func deliver(_ action: ServerStreamStateMachine.OnInbound, exchange: Exchange) {
        guard exchange.entry.hold(action) else {
            let status = ServerStreamEntry.budgetSpent(options.limits)
            apply(ServerStreamStateMachine.OnInbound(failure: status), exchange: exchange)
            exchange.entry.releaseHeld()
            return
        }
        apply(action, exchange: exchange)
    }

    private func apply(_ action: ServerStreamStateMachine.OnInbound, exchange: Exchange) {
        let entry = exchange.entry
        for part in action.parts { entry.inbound.push(part) }
        if let failure = action.failure {
            entry.machine.stopReceiving()
            respond(.status(failure, [:]), exchange: exchange)
            entry.cancellation.cancel()
            entry.inbound.cancel(RPCError(code: .cancelled, message: "The request failed."))
        } else if action.finished {
            entry.inbound.finish()
        }
    }

    private func resumeReads() {
        guard let context else { return }
        if reads.release(blocked: !context.channel.isWritable) { context.read() }
    }

    private func deadlinePassed(id: Int32) {
        guard let exchange, exchange.id == id, !exchange.entry.machine.sentStatus else { return }
        let status = Status(code: .deadlineExceeded, message: "The deadline passed while the server handled the call.")
        respond(.status(status, [:]), exchange: exchange)
        exchange.entry.cancellation.cancel()
        exchange.entry.gate.close(HTTP2ConnectionHandler.streamClosed)
        context?.flush()
    }

    // MARK: Responses

    func drainOutbox() {
        outbox.take(into: &drained)
        defer { drained.removeAll(keepingCapacity: true) }
        for item in drained {
            switch item {
            case .serverPart(let id, let part):
                guard let exchange, exchange.id == id else { continue }
                if case .message(let bytes) = part { exchange.entry.gate.submitted(bytes.count) }
                guard !exchange.entry.machine.sentStatus else { continue }
                respond(part, exchange: exchange)
            case .serverFinish(let id):
                guard let exchange, exchange.id == id, !exchange.entry.machine.sentStatus else { continue }
                // The handler ended without a status: HTTP/1.1 has no reset but closing.
                context?.close(promise: nil)
                return
            case .clientOpen, .clientMessage, .clientFinish, .clientRelease:
                continue
            }
        }
        context?.flush()
        reportWritability()
    }

    private func respond(_ part: RPCResponsePart, exchange: Exchange) {
        let mustCancel = exchange.entry.machine.respond(part, acceptEncoding: options.acceptEncodingHeader) { write in
            self.write(write, keepAlive: exchange.keepAlive)
        }
        if mustCancel {
            exchange.entry.cancellation.cancel()
            exchange.entry.gate.close(HTTP2ConnectionHandler.streamClosed)
        }
    }

    /// Writes one response write as HTTP/1.1 parts.
    private func write(_ write: ResponseWrite, keepAlive: Bool) {
        guard let context else { return }
        switch write {
        case .headers(let fields):
            context.write(
                wrapOutboundOut(.head(responseHead(fields, keepAlive: keepAlive, empty: false))),
                promise: nil
            )
        case .data(let bytes):
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))),
                promise: nil
            )
        case .end(let trailers):
            let trailers = trailers.map { fields in
                HTTPHeaders(fields.filter { !$0.name.hasPrefix(":") }.map { ($0.name, $0.value) })
            }
            // The exchange ends first: writing the end lets NIO hand over the client's next
            // pipelined request at once, from inside this write.
            let close = responseEnding()
            context.write(wrapOutboundOut(.end(trailers)), promise: nil)
            if close { closeAfterFlush() }
        case .headersOnly(let fields):
            context.write(wrapOutboundOut(.head(responseHead(fields, keepAlive: keepAlive, empty: true))), promise: nil)
            let close = responseEnding()
            context.write(wrapOutboundOut(.end(nil)), promise: nil)
            if close { closeAfterFlush() }
        }
    }

    private func responseHead(_ fields: [HeaderField], keepAlive: Bool, empty: Bool) -> HTTPResponseHead {
        var status = 200
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.count + 2)
        for field in fields {
            if field.name == ":status" {
                status = Int(field.value) ?? 500
            } else if !field.name.hasPrefix(":") {
                headers.add(name: field.name, value: field.value)
            }
        }
        if empty { headers.replaceOrAdd(name: "content-length", value: "0") }
        if !keepAlive || closingGracefully { headers.replaceOrAdd(name: "connection", value: "close") }
        return HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
    }

    /// A response that refuses the request before any handler runs.
    private func refuse(status: HTTPResponseStatus, keepAlive: Bool, message: String) {
        discard(keepAlive: keepAlive)
        let fields = [
            HeaderField(":status", String(status.code)), HeaderField("content-type", "text/plain; charset=utf-8"),
        ]
        ServerStreamStateMachine.whole(headers: fields, body: Array(message.utf8)) { write($0, keepAlive: keepAlive) }
    }

    /// The response is about to end: the exchange is over (the handler may still be winding down;
    /// what it writes now is dropped). Returns whether the connection closes after the end.
    ///
    /// A response that ended before its request did (a failure) leaves the rest of the request to
    /// be read and dropped.
    private func responseEnding() -> Bool {
        guard let exchange else { return false }
        end(exchange.entry, cancelled: false)
        self.exchange = nil
        guard exchange.requestEnded else {
            discard(keepAlive: exchange.keepAlive)
            return false
        }
        if !exchange.keepAlive || closingGracefully { return true }
        armHeadTimer()
        return false
    }

    /// Reads and drops the rest of a request whose response went out; the client has the head
    /// timeout to finish sending it.
    private func discard(keepAlive: Bool) {
        discarding = keepAlive
        discardedBytes = 0
        armHeadTimer()
    }

    /// The exchange is over: ready for the next request, or closing.
    private func requestFinished(keepAlive: Bool) {
        if !keepAlive || closingGracefully {
            closeAfterFlush()
        } else {
            armHeadTimer()
        }
    }

    private func closeAfterFlush() {
        guard let context else { return }
        context.flush()
        context.close(promise: nil)
    }

    /// The stream's request side and timers are done with.
    private func end(_ entry: ServerStreamEntry, cancelled: Bool) {
        entry.deadlineTimer?.cancel()
        if cancelled {
            entry.cancellation.cancel()
            entry.inbound.cancel(RPCError(code: .cancelled, message: "The client closed the connection."))
        } else {
            entry.inbound.cancel(HTTP2ConnectionHandler.streamClosed)
        }
        entry.gate.close(HTTP2ConnectionHandler.streamClosed)
        entry.releaseHeld()
        resumeReads()
    }

    /// Tells the writer whether the socket takes more: while NIO's buffer is above its high
    /// watermark the writer waits, as it waits for HTTP/2 flow control.
    private func reportWritability() {
        guard let exchange, let context else { return }
        exchange.entry.gate.setQueued(
            context.channel.isWritable ? 0 : HTTP2ConnectionHandler.outboundHighWatermark + 1
        )
    }

    // MARK: Connection

    /// Closes the connection if no request head arrives within the setup timeout.
    private func armHeadTimer() {
        headTimer?.cancel()
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        headTimer = eventLoop.scheduleTask(in: TimeAmount(options.limits.connectionSetupTimeout)) {
            bound.value.context?.close(promise: nil)
        }
    }

    /// Serves the request in progress, if any, with `connection: close`, then closes.
    func beginGracefulShutdown() {
        closingGracefully = true
        if exchange == nil, discarding == nil { context?.close(promise: nil) }
    }

    /// The certificate the client presented over TLS, if any (read once per connection).
    private func clientCertificate() -> [UInt8]? {
        if let peerCertificate { return peerCertificate }
        let certificate = ServerStreamEntry.clientCertificate(on: context)
        peerCertificate = .some(certificate)
        return certificate
    }
}
