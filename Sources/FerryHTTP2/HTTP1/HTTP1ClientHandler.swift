import FerryRPC
import NIOCore
import NIOHTTP1
import Synchronization

/// Carries a client channel's Connect and gRPC-Web calls over one HTTP/1.1 connection, one call
/// at a time.
///
/// Fed by the same outbox parts as an HTTP/2 connection (open, message, finish, release), it reads
/// each response through the same ``ClientStreamStateMachine``. Those protocols carry their status
/// in the body (or, for Connect unary, in the HTTP status), which is why HTTP/1.1 can carry them
/// where gRPC cannot.
///
/// HTTP/1.1 has no way to cancel one request: a call released before its exchange completed
/// closes the connection. A completed exchange on a keep-alive connection makes the connection
/// reusable (``onReusable``). Bounds: the response head within the channel's
/// ``HTTP2Settings/maxHeaderListSize`` (NIO's decoder fails a larger one, which closes the
/// connection), each message within the call's response limit, and reading stops while the
/// caller has more than ``HTTP2ConnectionHandler/outboundHighWatermark`` bytes unread.
final class HTTP1ClientHandler: ChannelDuplexHandler, OutboxDraining {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// The call in progress.
    private final class Exchange {
        let pending: PendingClientStream
        var machine: ClientStreamStateMachine
        let account = InboundAccount(budget: nil)
        /// A Connect unary request's head, held until its one message gives the content-length.
        var heldHead: HTTPRequestHead?
        var requestEnded = false
        var responseEnded = false
        /// The server may take another request on this connection afterwards.
        var keepAlive = true

        init(pending: PendingClientStream, machine: ClientStreamStateMachine) {
            self.pending = pending
            self.machine = machine
        }
    }

    let outbox = ConnectionOutbox()
    let eventLoop: any EventLoop
    /// Called on the event loop when a call ended with its exchange complete and the connection
    /// may carry the next one.
    var onReusable: (() -> Void)?
    private let authority: String
    private let acceptedEncodings: [CompressionAlgorithm]
    private let acceptEncodingHeader: String?
    private let decompressors = DecompressorCache()
    private var context: ChannelHandlerContext?
    private var drained: [ConnectionOutbox.Item] = []
    private var exchange: Exchange?
    private var closing = false
    private var reads = ReadHold()

    init(eventLoop: any EventLoop, authority: String, acceptedEncodings: [CompressionAlgorithm]) {
        self.eventLoop = eventLoop
        self.authority = authority
        self.acceptedEncodings = acceptedEncodings
        self.acceptEncodingHeader = EncodingNegotiation.acceptHeader(acceptedEncodings)
    }

    /// Adds NIO's HTTP/1 client codec and a handler to `channel` (behind TLS, if any).
    static func addHandlers(
        to channel: any Channel,
        authority: String,
        acceptedEncodings: [CompressionAlgorithm],
        maxHeaderListSize: Int
    ) throws -> HTTP1ClientHandler {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = maxHeaderListSize
        limits.maxHeaderFieldSize = maxHeaderListSize
        let handler = HTTP1ClientHandler(
            eventLoop: channel.eventLoop,
            authority: authority,
            acceptedEncodings: acceptedEncodings
        )
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(HTTPRequestEncoder())
        try operations.addHandler(
            ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: limits))
        )
        try operations.addHandler(handler)
        return handler
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        if let exchange, !exchange.machine.isClosed {
            let status = Status(
                code: .unavailable,
                message: "The server closed the HTTP/1.1 connection before the response ended."
            )
            var action = exchange.machine.failed(status)
            action.reset = nil
            apply(action, to: exchange)
        }
        if let exchange {
            // What the caller has not read (the failure just pushed, or a complete response) stays.
            exchange.pending.gate.close(HTTP2ConnectionHandler.streamClosed)
            exchange.account.close()
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let exchange, !exchange.machine.isClosed {
            // NIO's decoder failed (a malformed response, or headers over the limit), or the
            // connection did (reset, or closed mid-response, by the server).
            let lost = error is IOError || (error as? HTTPParserError) == .invalidEOFState
            let status =
                lost
                ? Status(code: .unavailable, message: "The HTTP/1.1 connection failed: \(error).")
                : Status(code: .internalError, message: "The HTTP/1.1 response cannot be read: \(error).")
            var action = exchange.machine.failed(status)
            action.reset = nil
            apply(action, to: exchange)
        }
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let exchange, !exchange.responseEnded else {
            // A response nobody asked for: the connection is out of step.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            exchange.keepAlive = head.isKeepAlive
            var fields = [HeaderField(":status", String(head.status.code))]
            fields.reserveCapacity(head.headers.count + 1)
            for (name, value) in head.headers {
                let name = name.lowercased()
                switch name {
                case "connection", "keep-alive", "transfer-encoding", "content-length": continue
                default: fields.append(HeaderField(name, value))
                }
            }
            // A gRPC-Web status in the head is a trailers-only response: the call ends here, as
            // an HTTP/2 header block with END_STREAM ends it (its empty body changes nothing).
            var trailersOnly = false
            if case .grpcWeb = exchange.pending.wire { trailersOnly = head.headers.contains(name: "grpc-status") }
            apply(exchange.machine.receivedHeaders(fields, endStream: trailersOnly), to: exchange)
        case .body(let buffer):
            let action = exchange.machine.receivedData(Array(buffer.readableBytesView))
            exchange.account.delivered(HTTP2ConnectionHandler.messageBytes(in: action.parts))
            apply(action, to: exchange)
            if exchange.account.unreadBytes > HTTP2ConnectionHandler.outboundHighWatermark,
                reads.hold(for: exchange.account)
            {
                resumeReads()
            }
        case .end:
            exchange.responseEnded = true
            var action = exchange.machine.receivedEndOfData()
            exchange.pending.gate.close(HTTP2ConnectionHandler.streamClosed)
            if exchange.requestEnded, exchange.keepAlive, exchange.machine.isClosed, !closing {
                // Both sides are complete: the connection is free now, before the caller learns
                // the status, so that its next call finds it idle. (The call's release, when it
                // comes, no longer matches an exchange; what it has not read stays in its buffer.)
                // The response ended on the wire, so a failure found in it (a body that does not
                // inflate) needs no close.
                action.reset = nil
                exchange.account.close()
                self.exchange = nil
                resumeReads()
                onReusable?()
            }
            apply(action, to: exchange)
        }
    }

    func read(context: ChannelHandlerContext) {
        if reads.shouldRead() { context.read() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        reportWritability()
        context.fireChannelWritabilityChanged()
    }

    // MARK: Calls

    func drainOutbox() {
        outbox.take(into: &drained)
        defer { drained.removeAll(keepingCapacity: true) }
        for item in drained {
            switch item {
            case .clientOpen(let pending):
                open(pending)
            case .clientMessage(let pending, let bytes):
                guard let exchange, exchange.pending === pending else { continue }
                pending.gate.submitted(bytes.count)
                send(bytes, exchange: exchange)
            case .clientFinish(let pending):
                guard let exchange, exchange.pending === pending, exchange.heldHead == nil, !exchange.requestEnded
                else { continue }
                exchange.requestEnded = true
                context?.write(wrapOutboundOut(.end(nil)), promise: nil)
            case .clientRelease(let pending):
                release(pending)
            case .serverPart, .serverFinish:
                continue
            }
        }
        context?.flush()
        reportWritability()
    }

    /// Starts a call: writes its request head (a Connect unary call's waits for the message).
    private func open(_ pending: PendingClientStream) {
        guard exchange == nil, !closing, let context, context.channel.isActive else {
            pending.fail(PendingClientStream.connectionClosing)
            return
        }
        guard let fields = pending.requestHeaders(authority: authority, acceptEncoding: acceptEncodingHeader) else {
            return
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.count)
        headers.add(name: "host", value: authority)
        for field in fields where !field.name.hasPrefix(":") { headers.add(name: field.name, value: field.value) }
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: pending.path, headers: headers)
        let exchange = Exchange(
            pending: pending,
            machine: ClientStreamStateMachine(
                maxResponseMessageBytes: pending.options.maxResponseMessageBytes,
                acceptedEncodings: acceptedEncodings,
                decompressors: decompressors,
                wire: pending.wire
            )
        )
        self.exchange = exchange
        watchReader(of: exchange)
        if pending.wire == .connectUnary {
            exchange.heldHead = head
        } else {
            head.headers.add(name: "transfer-encoding", value: "chunked")
            context.write(wrapOutboundOut(.head(head)), promise: nil)
        }
    }

    /// Writes one request message (a Connect unary call's whole request, with its held head).
    private func send(_ bytes: [UInt8], exchange: Exchange) {
        guard let context, !exchange.requestEnded, !exchange.machine.isClosed else { return }
        let body = context.channel.allocator.buffer(bytes: bytes)
        if var head = exchange.heldHead {
            exchange.heldHead = nil
            exchange.requestEnded = true
            head.headers.add(name: "content-length", value: String(bytes.count))
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if !bytes.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
            context.write(wrapOutboundOut(.end(nil)), promise: nil)
        } else if !bytes.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
    }

    /// The caller is done with the call: the connection carries the next one if the exchange
    /// completed on both sides, and closes otherwise (HTTP/1.1's only way to abandon a request).
    private func release(_ pending: PendingClientStream) {
        guard let exchange, exchange.pending === pending else { return }
        let complete =
            exchange.requestEnded && exchange.responseEnded && exchange.keepAlive && exchange.machine.isClosed
        end(exchange)
        self.exchange = nil
        resumeReads()
        guard complete, !closing, let context, context.channel.isActive else {
            closing = true
            context?.close(promise: nil)
            return
        }
        onReusable?()
    }

    /// The call's inbound side and writer are done with.
    private func end(_ exchange: Exchange) {
        exchange.pending.inbound.cancel(RPCError(code: .cancelled, message: "The call was cancelled."))
        exchange.pending.gate.close(HTTP2ConnectionHandler.streamClosed)
        exchange.account.close()
    }

    private func apply(_ action: ClientStreamStateMachine.Action, to exchange: Exchange) {
        for part in action.parts { exchange.pending.inbound.push(part) }
        if action.finished { exchange.pending.inbound.finish(throwing: action.failure) }
        // The machine gave up on a response still arriving: only closing stops it.
        if action.reset != nil {
            closing = true
            context?.close(promise: nil)
        }
    }

    // MARK: Flow control

    /// Makes the caller's reads of the response hand withheld reading back to the event loop once
    /// it has caught up.
    private func watchReader(of exchange: Exchange) {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        ReadHold.watchReader(of: exchange.pending.inbound, account: exchange.account, eventLoop: eventLoop) {
            bound.value.resumeReads()
        }
    }

    private func resumeReads() {
        if reads.release(), let context { context.read() }
    }

    /// Tells the writer whether the socket takes more: while NIO's buffer is above its high
    /// watermark the writer waits, as it waits for HTTP/2 flow control.
    private func reportWritability() {
        guard let exchange, let context else { return }
        exchange.pending.gate.setQueued(
            context.channel.isWritable ? 0 : HTTP2ConnectionHandler.outboundHighWatermark + 1
        )
    }

    // MARK: Connection

    /// Lets the call in progress finish, then closes; closes at once when idle.
    func beginGracefulShutdown() {
        closing = true
        if exchange == nil { context?.close(promise: nil) }
    }
}
