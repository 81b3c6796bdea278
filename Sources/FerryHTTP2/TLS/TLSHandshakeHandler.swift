import FerryRPC
import NIOCore
import NIOSSL
import NIOTLS

/// Sits right behind NIOSSL's handler until the TLS handshake ends: checks that ALPN chose a
/// protocol this side speaks (`h2`; on a server also `http/1.1`; `http/1.1` on an HTTP/1.1 client),
/// turns handshake failures into an ``RPCError`` that says what went wrong, bounds the handshake in
/// time, then leaves the pipeline so that it costs nothing per read afterwards.
///
/// A peer that negotiated another protocol or none is disconnected; nothing it sent reaches HTTP/2.
/// On an HTTP/2 client the handler stays until the server's first bytes (its SETTINGS) arrive: with
/// TLS 1.3 a server rejects the client's certificate only after the client's side of the handshake
/// completed, and its alert should still fail the connection with a TLS message. An HTTP/1.1 server
/// says nothing before the first request, so an HTTP/1.1 client learns of such a rejection when its
/// first call fails.
final class TLSHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private enum State {
        case handshaking
        /// Client only: the handshake completed; the server may still reject the client's certificate.
        case awaitingPeerData
        case rejected
        case done

        var isPending: Bool { self == .handshaking || self == .awaitingPeerData }
    }

    /// Whose certificate the handshake checks, for messages: "the server" on a client.
    private let peerRole: String
    /// The name the peer's certificate must carry, for messages.
    private let expectedName: String?
    private let waitsForPeerData: Bool
    /// The ALPN protocols this side accepts.
    private let protocols: [String]
    private let timeout: TimeAmount
    private let promise: EventLoopPromise<Void>
    private var state = State.handshaking
    private var timer: Scheduled<Void>?

    /// Succeeds once the handshake completed with ALPN `h2` (on a client: and the server sent data);
    /// fails with ``Status/Code/unavailable``.
    var handshakeCompleted: EventLoopFuture<Void> { promise.futureResult }

    /// - Parameters:
    ///   - peerRole: "the server" on a client, "the client" on a server.
    ///   - expectedName: the name the server's certificate must carry (clients only).
    ///   - protocols: the ALPN protocols this side accepts.
    ///   - waitsForPeerData: whether the handshake completes only once the peer sent data (HTTP/2
    ///     clients, whose server speaks first).
    init(
        eventLoop: any EventLoop,
        peerRole: String,
        expectedName: String? = nil,
        protocols: [String],
        waitsForPeerData: Bool,
        timeout: TimeAmount = .seconds(10)
    ) {
        self.peerRole = peerRole
        self.expectedName = expectedName
        self.protocols = protocols
        self.waitsForPeerData = waitsForPeerData
        self.timeout = timeout
        self.promise = eventLoop.makePromise(of: Void.self)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let seconds = timeout.nanoseconds / 1_000_000_000
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = bound.value
            handler.reject(context: context, reason: "did not complete within \(seconds) seconds")
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        if state.isPending {
            state = .rejected
            promise.fail(failure("was interrupted"))
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard state == .handshaking, let tlsEvent = event as? TLSUserEvent,
            case .handshakeCompleted(let negotiated) = tlsEvent
        else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard let negotiated, protocols.contains(negotiated) else {
            let offered = negotiated.map { "\"\($0)\"" } ?? "no protocol"
            reject(context: context, reason: "negotiated \(offered) through ALPN, but this side speaks \(wanted)")
            return
        }
        context.fireUserInboundEventTriggered(event)
        if waitsForPeerData {
            state = .awaitingPeerData
        } else {
            finish(context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .rejected:
            return
        case .awaitingPeerData:
            context.fireChannelRead(data)
            finish(context: context)
        case .handshaking, .done:
            context.fireChannelRead(data)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if state.isPending {
            reject(context: context, reason: describe(error), cause: error)
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let reason =
            switch state {
            case .handshaking: "failed: the connection closed (is the peer speaking TLS?)"
            case .awaitingPeerData: "failed: \(peerRole) closed the connection right after the handshake"
            case .rejected, .done: ""
            }
        if state.isPending {
            state = .rejected
            timer?.cancel()
            promise.fail(failure(reason))
        }
        context.fireChannelInactive()
    }

    private func finish(context: ChannelHandlerContext) {
        guard state.isPending else { return }
        state = .done
        timer?.cancel()
        promise.succeed()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func reject(context: ChannelHandlerContext, reason: String, cause: (any Error)? = nil) {
        guard state.isPending else { return }
        state = .rejected
        timer?.cancel()
        promise.fail(failure(reason, cause: cause))
        context.close(promise: nil)
    }

    /// The accepted ALPN protocols, for messages: `"h2"` or `"h2" or "http/1.1"`.
    private var wanted: String {
        protocols.map { "\"\($0)\"" }.joined(separator: " or ")
    }

    private func failure(_ reason: String, cause: (any Error)? = nil) -> RPCError {
        RPCError(code: .unavailable, message: "The TLS handshake \(reason).", cause: cause)
    }

    /// Says in words what NIOSSL's handshake error means for the caller.
    private func describe(_ error: any Error) -> String {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            let name = expectedName.map { " \"\($0)\"" } ?? ""
            return "failed: \(peerRole)'s certificate is not valid for the expected host name\(name) (\(extra))"
        }
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return
                """
                failed: \(peerRole)'s certificate could not be verified against the trusted certificate \
                authorities (untrusted issuer, expired or not yet valid) (\(text))
                """
        }
        if text.contains("ALERT_CERTIFICATE_REQUIRED") {
            return "failed: \(peerRole) requires a client certificate (\(text))"
        }
        if text.contains("ALERT_UNKNOWN_CA") || text.contains("ALERT_BAD_CERTIFICATE")
            || text.contains("ALERT_CERTIFICATE_UNKNOWN")
        {
            return "failed: \(peerRole) rejected this side's certificate (\(text))"
        }
        if text.contains("WRONG_VERSION_NUMBER") {
            return "failed: \(peerRole) did not answer with TLS; is it serving cleartext HTTP/2? (\(text))"
        }
        if text.contains("NO_APPLICATION_PROTOCOL") {
            return "failed: the peers share no ALPN protocol; this side speaks \(wanted) (\(text))"
        }
        return "failed: \(text)"
    }
}
