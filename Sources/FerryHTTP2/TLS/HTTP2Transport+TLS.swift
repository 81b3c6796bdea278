import NIOCore
import NIOSSL

extension HTTP2ServerTransport {
    /// Puts TLS in front of an accepted connection's HTTP/2 handler.
    static func addTLSHandlers(to channel: any Channel, context: NIOSSLContext) throws {
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(NIOSSLServerHandler(context: context))
        try operations.addHandler(TLSHandshakeHandler(eventLoop: channel.eventLoop, peerRole: "the client"))
    }
}

extension HTTP2ClientTransport {
    /// Puts TLS in front of a new connection's HTTP/2 handler; the returned handshake completes once
    /// the server's certificate was accepted and ALPN chose `h2`.
    static func addTLSHandlers(
        to channel: any Channel,
        context: NIOSSLContext,
        serverHostname: String?,
        expectedName: String
    ) throws -> EventLoopFuture<Void> {
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverHostname))
        let handshake = TLSHandshakeHandler(
            eventLoop: channel.eventLoop,
            peerRole: "the server",
            expectedName: expectedName
        )
        try operations.addHandler(handshake)
        return handshake.handshakeCompleted
    }
}
