import FerryRPC
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One HTTP/2 connection of a client channel, ready for streams once its peer's SETTINGS arrived.
struct ClientConnection: Sendable {
    var channel: any Channel
    var handler: NIOLoopBound<HTTP2ConnectionHandler>
    var status: HTTP2ConnectionHandler.ConnectionStatus
    /// Where callers queue stream parts for the connection's event loop.
    var outbox: OutboxHandle<HTTP2ConnectionHandler>

    /// Whether new streams may go out on it (open, and no GOAWAY received or sent).
    var isUsable: Bool { status.isAcceptingStreams && channel.isActive }

    /// Sends GOAWAY; open streams finish, then the connection closes.
    func shutDownGracefully() {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.beginGracefulShutdown() }
    }
}

/// Makes connections to resolved addresses with one channel's settings: cleartext HTTP/2 with prior
/// knowledge or TLS with ALPN `h2`, the `:authority` and the response encodings it accepts.
struct ClientConnector: Sendable {
    let authority: String
    let settings: HTTP2Settings
    /// The TLS context (or why it could not be built) and the SNI name; nil for cleartext.
    let tls: (context: Result<NIOSSLContext, RPCError>, serverHostname: String?, expectedName: String)?
    let group: any EventLoopGroup
    let acceptedCompression: [CompressionAlgorithm]
    /// The channel's keepalive, shared by its connections; nil sends no PINGs.
    let keepalive: KeepaliveSchedule?

    /// Connects to `address`, giving the TCP (and TLS) handshake and the peer's SETTINGS at most
    /// `timeout`.
    func connect(to address: ResolvedAddress, timeout: Duration) -> EventLoopFuture<ClientConnection> {
        let eventLoop = group.next()
        let socketAddress: SocketAddress
        do {
            socketAddress = try Self.socketAddress(address)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        var sslContext: NIOSSLContext?
        switch tls?.context {
        case .failure(let error)?: return eventLoop.makeFailedFuture(error)
        case .success(let context)?: sslContext = context
        case nil: sslContext = nil
        }
        let serverHostname = tls?.serverHostname
        let expectedName = tls?.expectedName ?? authority
        let settings = self.settings
        let authority = self.authority
        let acceptedCompression = self.acceptedCompression
        let keepalive = self.keepalive
        let handshake = HandshakeSlot()
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(timeout))
            .channelInitializer { [sslContext] channel in
                do {
                    if let sslContext {
                        handshake.future = try HTTP2ClientTransport.addTLSHandlers(
                            to: channel,
                            context: sslContext,
                            serverHostname: serverHostname,
                            expectedName: expectedName
                        )
                    }
                    let handler = try HTTP2ConnectionHandler(clientOn: channel.eventLoop, settings: settings)
                    handler.authority = authority
                    handler.clientAcceptedEncodings = acceptedCompression
                    handler.clientAcceptEncodingHeader = EncodingNegotiation.acceptHeader(acceptedCompression)
                    if let keepalive {
                        handler.keepalive = keepalive.current
                        handler.onTooManyPings = { keepalive.backOff() }
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        let tcpNoDelay = socketAddress.protocol != .unix
        return (tcpNoDelay ? bootstrap.channelOption(.socketOption(.tcp_nodelay), value: 1) : bootstrap)
            .connect(to: socketAddress)
            .flatMap { channel in
                do {
                    let handler = try channel.pipeline.syncOperations.handler(type: HTTP2ConnectionHandler.self)
                    let connection = ClientConnection(
                        channel: channel,
                        handler: NIOLoopBound(handler, eventLoop: channel.eventLoop),
                        status: handler.status,
                        outbox: OutboxHandle(handler)
                    )
                    let bound = connection.handler
                    let ready =
                        handshake.future.map { tls in
                            tls.flatMap { bound.value.remoteSettingsReceived(within: timeout) }
                        }
                        ?? handler.remoteSettingsReceived(within: timeout)
                    return ready.map { connection }.flatMapErrorThrowing { error in
                        channel.close(promise: nil)
                        throw error
                    }
                } catch {
                    channel.close(promise: nil)
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
    }

    static func socketAddress(_ address: ResolvedAddress) throws -> SocketAddress {
        switch address {
        case .ipv4(let host, let port), .ipv6(let host, let port):
            return try SocketAddress(ipAddress: host, port: port)
        case .unix(let path):
            return try SocketAddress(unixDomainSocketPath: path)
        case .unixAbstract(let name):
            // Linux's abstract namespace: a path starting with NUL. NIO passes the whole sockaddr_un,
            // so the name is NUL-padded; peers binding the same way (Ferry, NIO) match it.
            return try SocketAddress(unixDomainSocketPath: "\0" + name)
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

/// A channel's keepalive, shared by all its connections: a server's GOAWAY `too_many_pings` doubles
/// the time for the connections that follow (A8), up to a day.
final class KeepaliveSchedule: Sendable {
    private let state: Mutex<Keepalive>

    init(_ keepalive: Keepalive) {
        state = Mutex(keepalive)
    }

    /// The keepalive the next connection uses.
    var current: Keepalive { state.withLock { $0 } }

    /// The longest time doubling reaches: a day, so a server that keeps refusing PINGs cannot push
    /// the channel's keepalive out of `Duration`'s range.
    static let maxTime = Duration.seconds(24 * 60 * 60)

    /// The server said the PINGs come too often: double the time.
    func backOff() {
        state.withLock { $0.time = min($0.time * 2, Self.maxTime) }
    }
}
