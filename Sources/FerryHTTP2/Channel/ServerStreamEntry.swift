import FerryRPC
import NIOCore
import NIOSSL

/// One accepted server stream on a connection (HTTP/2 stream or HTTP/1.1 request), on its event loop.
final class ServerStreamEntry {
    var machine: ServerStreamStateMachine
    let inbound = StreamBuffer<RPCRequestPart>()
    /// The transport's acceptor binds the handler's task; this handler enforces the deadline.
    let cancellation = StreamCancellation()
    /// Fires at the stream's deadline (see the connection's `deadlinePassed(streamID:)`).
    var deadlineTimer: Scheduled<Void>?
    let gate = StreamWriteGate(highWatermark: HTTP2ConnectionHandler.outboundHighWatermark)
    /// Received bytes not yet credited back to the peer's stream window.
    var uncredited = 0
    /// Bytes held in the deframer (a message still arriving), reserved from the budget.
    var partialBytes = 0
    let account: InboundAccount

    init(machine: ServerStreamStateMachine, budget: ReceiveBudget?) {
        self.machine = machine
        self.account = InboundAccount(budget: budget)
    }

    /// Arms the deadline timer when the request has a timeout (`deadlinePassed` runs on
    /// `eventLoop` when it fires) and returns what the handler sees of the call.
    func start(
        path: String,
        timeout: Duration?,
        encoding: CompressionAlgorithm?,
        httpMethod: String,
        peer: String,
        peerCertificate: [UInt8]?,
        eventLoop: any EventLoop,
        deadlinePassed: @escaping @Sendable () -> Void
    ) -> ServerStreamContext {
        let deadline = timeout.map { ContinuousClock.now.advanced(by: $0) }
        if let timeout {
            deadlineTimer = eventLoop.scheduleTask(
                in: .nanoseconds(max(0, timeout.saturatingNanoseconds)),
                deadlinePassed
            )
        }
        return ServerStreamContext(
            path: path,
            deadline: deadline,
            peer: peer,
            cancellation: cancellation,
            requestCompression: encoding,
            peerCertificate: peerCertificate,
            codec: machine.codec,
            httpMethod: httpMethod
        )
    }

    /// The certificate the client presented over TLS on `context`'s connection, if any.
    static func clientCertificate(on context: ChannelHandlerContext?) -> [UInt8]? {
        let tls = try? context?.pipeline.syncOperations.handler(type: NIOSSLHandler.self)
        return tls?.peerCertificate.flatMap { try? $0.toDERBytes() }
    }

    /// Holds what `action` delivers and what the state machine still buffers against the receive
    /// budget; false (holding nothing more) when the budget is spent.
    func hold(_ action: ServerStreamStateMachine.OnInbound) -> Bool {
        guard let budget = account.budget else { return true }
        let delivered = HTTP2ConnectionHandler.messageBytes(in: action.parts)
        let partial = machine.bufferedBytes
        // Held before: the partial message. Held now: the partial message and the messages
        // delivered (length prefixes are not kept).
        let added = partial + delivered - partialBytes
        if added > 0, !budget.reserve(added) { return false }
        if added < 0 { budget.release(-added) }
        partialBytes = partial
        account.delivered(delivered)
        return true
    }

    /// Releases every received byte the stream still holds (it ended).
    func releaseHeld() {
        account.budget?.release(partialBytes)
        partialBytes = 0
        account.close()
    }

    /// The status of a stream whose received bytes would overrun the budget.
    static func budgetSpent(_ limits: ServerConnectionLimits) -> Status {
        Status(
            code: .resourceExhausted,
            message:
                """
                The server holds too many received bytes (at most \(limits.maxBufferedBytesPerConnection) \
                per connection, \(limits.maxBufferedBytes) in all); try again later.
                """
        )
    }
}
