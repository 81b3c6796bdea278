import NIOCore
import NIOTLS

/// Tells a new server connection's protocol from ALPN when TLS negotiated one, otherwise from its
/// first bytes (HTTP/2's client preface, or anything else as HTTP/1.1); then installs that protocol's handlers behind itself, hands them
/// the bytes it held, and leaves the pipeline.
///
/// Holds at most the preface's 24 bytes, and closes a connection that sends nothing telling within
/// `timeout`.
final class ProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// What a connection speaks.
    enum HTTPVersion {
        case http1
        case http2
    }

    /// The first bytes of every HTTP/2 connection (RFC 9113, section 3.4).
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private let install: (HTTPVersion) throws -> Void
    private let timeout: TimeAmount
    private var buffered: ByteBuffer?
    private var timer: Scheduled<Void>?
    private var decided = false

    /// - Parameters:
    ///   - timeout: how long the first bytes may take.
    ///   - install: adds the handlers of the version the client speaks to the end of the pipeline.
    init(timeout: TimeAmount, install: @escaping (HTTPVersion) throws -> Void) {
        self.timeout = timeout
        self.install = install
    }

    /// Which version `bytes` (the connection's first bytes) speak; nil while they are a prefix of
    /// the preface, too short to tell.
    static func version(of bytes: ByteBufferView) -> HTTPVersion? {
        for (byte, expected) in zip(bytes, preface) where byte != expected { return .http1 }
        return bytes.count >= preface.count ? .http2 : nil
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) { bound.value.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard !decided, case .handshakeCompleted(let negotiated) = event as? TLSUserEvent,
            let version = negotiated.flatMap(Self.version(alpn:))
        else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard decide(version, context: context) else { return }
        context.fireUserInboundEventTriggered(event)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// The version an ALPN protocol names.
    static func version(alpn: String) -> HTTPVersion? {
        switch alpn {
        case grpcALPNProtocol: .http2
        case http1ALPNProtocol: .http1
        default: nil
        }
    }

    /// Installs `version`'s handlers; false (closing the connection) when they cannot be added.
    private func decide(_ version: HTTPVersion, context: ChannelHandlerContext) -> Bool {
        decided = true
        timer?.cancel()
        do {
            try install(version)
            return true
        } catch {
            context.close(promise: nil)
            return false
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !decided else {
            context.fireChannelRead(data)
            return
        }
        var bytes = unwrapInboundIn(data)
        if var held = buffered {
            held.writeBuffer(&bytes)
            bytes = held
        }
        guard let version = Self.version(of: bytes.readableBytesView) else {
            buffered = bytes
            return
        }
        buffered = nil
        guard decide(version, context: context) else { return }
        context.fireChannelRead(wrapInboundOut(bytes))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
