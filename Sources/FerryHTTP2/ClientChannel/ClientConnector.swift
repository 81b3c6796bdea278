import FerryRPC
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// What a client channel's subchannel holds for one address: an HTTP/2 connection, ready for
/// streams once its peer's SETTINGS arrived, or a pool of HTTP/1.1 connections.
struct ClientConnection: Sendable {
    enum Carrier: Sendable {
        case http2(
            channel: any Channel,
            handler: NIOLoopBound<HTTP2ConnectionHandler>,
            status: HTTP2ConnectionHandler.ConnectionStatus,
            outbox: OutboxHandle<HTTP2ConnectionHandler>
        )
        case http1(HTTP1ConnectionPool)
    }

    var carrier: Carrier

    /// Whether new calls may go out on it (open, and no GOAWAY received or sent).
    var isUsable: Bool {
        switch carrier {
        case .http2(let channel, _, let status, _): status.isAcceptingStreams && channel.isActive
        case .http1(let pool): pool.isUsable
        }
    }

    /// Completes when the connection (every connection of a pool) closed.
    var closeFuture: EventLoopFuture<Void> {
        switch carrier {
        case .http2(let channel, _, _, _): channel.closeFuture
        case .http1(let pool): pool.closeFuture
        }
    }

    /// Sends GOAWAY (HTTP/1.1: stops leasing); open calls finish, then the connections close.
    func shutDownGracefully() {
        switch carrier {
        case .http2(let channel, let handler, _, _):
            channel.eventLoop.execute { handler.value.beginGracefulShutdown() }
        case .http1(let pool):
            pool.shutDownGracefully()
        }
    }
}

/// Makes connections to resolved addresses with one channel's settings: cleartext HTTP/2 with prior
/// knowledge or TLS with ALPN `h2` (or HTTP/1.1, cleartext or ALPN `http/1.1`), the `:authority`
/// and the response encodings it accepts.
struct ClientConnector: Sendable {
    let authority: String
    let settings: HTTP2Settings
    /// The TLS context (or why it could not be built) and the SNI name; nil for cleartext.
    let tls: (context: Result<NIOSSLContext, RPCError>, serverHostname: String?, expectedName: String)?
    let group: any EventLoopGroup
    let acceptedCompression: [CompressionAlgorithm]
    /// The channel's keepalive, shared by its connections; nil sends no PINGs.
    let keepalive: KeepaliveSchedule?
    let httpVersion: ClientHTTPVersion
    /// HTTP/1.1: the most connections per address.
    let maxHTTP1Connections: Int

    /// Connects to `address`, giving the TCP (and TLS) handshake and the peer's SETTINGS at most
    /// `timeout`; over HTTP/1.1, the first connection of the address's pool.
    func connect(to address: ResolvedAddress, timeout: Duration) -> EventLoopFuture<ClientConnection> {
        guard httpVersion == .http2 else {
            let maxConnections = maxHTTP1Connections
            return connectHTTP1(to: address, timeout: timeout).map { first in
                ClientConnection(
                    carrier: .http1(
                        HTTP1ConnectionPool(
                            first: first,
                            address: address,
                            connector: self,
                            maxConnections: maxConnections,
                            connectTimeout: timeout
                        )
                    )
                )
            }
        }
        let settings = self.settings
        let authority = self.authority
        let acceptedCompression = self.acceptedCompression
        let keepalive = self.keepalive
        return connect(to: address, timeout: timeout, alpn: grpcALPNProtocol) { channel in
            let handler = try HTTP2ConnectionHandler(clientOn: channel.eventLoop, settings: settings)
            handler.authority = authority
            handler.clientAcceptedEncodings = acceptedCompression
            handler.clientAcceptEncodingHeader = EncodingNegotiation.acceptHeader(acceptedCompression)
            if let keepalive {
                handler.keepalive = keepalive.current
                handler.onTooManyPings = { keepalive.backOff() }
            }
            try channel.pipeline.syncOperations.addHandler(handler)
        } ready: { channel, handshake in
            let handler = try channel.pipeline.syncOperations.handler(type: HTTP2ConnectionHandler.self)
            let bound = NIOLoopBound(handler, eventLoop: channel.eventLoop)
            let connection = ClientConnection(
                carrier: .http2(channel: channel, handler: bound, status: handler.status, outbox: OutboxHandle(handler))
            )
            let ready =
                handshake.map { tls in tls.flatMap { bound.value.remoteSettingsReceived(within: timeout) } }
                ?? handler.remoteSettingsReceived(within: timeout)
            return ready.map { connection }
        }
    }

    /// Opens one HTTP/1.1 connection to `address` (for its pool), ready once TCP (and TLS with ALPN
    /// `http/1.1`) is up: an HTTP/1.1 server says nothing before the first request.
    func connectHTTP1(to address: ResolvedAddress, timeout: Duration) -> EventLoopFuture<HTTP1ConnectionPool.Connection>
    {
        let authority = self.authority
        let acceptedCompression = self.acceptedCompression
        let maxHeaderListSize = Int(settings.maxHeaderListSize)
        return connect(to: address, timeout: timeout, alpn: http1ALPNProtocol) { channel in
            _ = try HTTP1ClientHandler.addHandlers(
                to: channel,
                authority: authority,
                acceptedEncodings: acceptedCompression,
                maxHeaderListSize: maxHeaderListSize
            )
        } ready: { channel, handshake in
            let handler = try channel.pipeline.syncOperations.handler(type: HTTP1ClientHandler.self)
            let connection = HTTP1ConnectionPool.Connection(
                channel: channel,
                handler: NIOLoopBound(handler, eventLoop: channel.eventLoop),
                outbox: OutboxHandle(handler)
            )
            return (handshake ?? channel.eventLoop.makeSucceededVoidFuture()).map { connection }
        }
    }

    /// Connects a socket to `address` with TLS (ALPN `alpn`) when configured, installs the
    /// protocol's handlers, and waits for `ready`; the channel closes if any step fails.
    private func connect<Connection: Sendable>(
        to address: ResolvedAddress,
        timeout: Duration,
        alpn: String,
        install: @escaping @Sendable (any Channel) throws -> Void,
        ready: @escaping @Sendable (any Channel, EventLoopFuture<Void>?) throws -> EventLoopFuture<Connection>
    ) -> EventLoopFuture<Connection> {
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
                            expectedName: expectedName,
                            alpn: alpn
                        )
                    }
                    try install(channel)
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
                    return try ready(channel, handshake.future).flatMapErrorThrowing { error in
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
