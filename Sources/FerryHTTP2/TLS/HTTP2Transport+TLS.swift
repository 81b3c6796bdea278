import NIOCore
import NIOSSL

extension HTTP2ServerTransport {
    /// Puts TLS in front of an accepted connection's HTTP/2 handler.
    static func addTLSHandlers(to channel: any Channel, context: NIOSSLContext) throws {
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(NIOSSLServerHandler(context: context))
        try operations.addHandler(
            TLSHandshakeHandler(
                eventLoop: channel.eventLoop,
                peerRole: "the client",
                protocols: [grpcALPNProtocol, http1ALPNProtocol],
                waitsForPeerData: false
            )
        )
    }
}

extension HTTP2ClientTransport {
    /// Puts TLS in front of a new connection's HTTP handler; the returned handshake completes once
    /// the server's certificate was accepted and ALPN chose `alpn` (for `h2`: and the server's first
    /// bytes arrived).
    static func addTLSHandlers(
        to channel: any Channel,
        context: NIOSSLContext,
        serverHostname: String?,
        expectedName: String,
        alpn: String
    ) throws -> EventLoopFuture<Void> {
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverHostname))
        let handshake = TLSHandshakeHandler(
            eventLoop: channel.eventLoop,
            peerRole: "the server",
            expectedName: expectedName,
            protocols: [alpn],
            waitsForPeerData: alpn == grpcALPNProtocol
        )
        try operations.addHandler(handshake)
        return handshake.handshakeCompleted
    }
}
