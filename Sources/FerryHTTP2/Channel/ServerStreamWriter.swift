import FerryRPC
import NIOCore
import Synchronization

/// The write side of one accepted server stream: what the handler's task writes, checked against
/// the stream's write gate, framed (and compressed) in that task, then queued for the event loop.
///
/// One object holds everything a write needs, so the stream's writer closures capture a single
/// reference, and the compression state is made only when a response names an encoding.
final class ServerStreamWriter<Connection: OutboxDraining>: Sendable {
    private let streamID: Int32
    private let gate: StreamWriteGate
    private let account: InboundAccount
    /// Where parts go: the connection's outbox, drained on its event loop.
    private let destination: OutboxHandle<Connection>
    /// The encodings this server may compress with.
    private let enabled: [CompressionAlgorithm]
    /// The client's `grpc-accept-encoding` value (or its protocol's equivalent), read only if the
    /// handler asks to compress.
    private let clientAccepts: String?
    /// How messages are framed: length-prefixed, or base64 text (gRPC-Web text).
    private let wire: WireProtocol
    /// Set once, by the response headers, when the messages are compressed.
    private let framing = AtomicLazyReference<OutboundFraming>()

    init(
        streamID: Int32,
        gate: StreamWriteGate,
        account: InboundAccount,
        connection: Connection,
        wire: WireProtocol = .grpc,
        enabled: [CompressionAlgorithm],
        clientAccepts: String?
    ) {
        self.wire = wire
        self.streamID = streamID
        self.gate = gate
        self.account = account
        self.destination = OutboxHandle(connection)
        self.enabled = enabled
        self.clientAccepts = clientAccepts
    }

    /// Writes one response part; a message waits only while the stream is above its high
    /// watermark, never for the event loop.
    func write(_ part: RPCResponsePart, options: WriteOptions) async throws(RPCError) {
        var part = part
        switch part {
        case .metadata(var metadata):
            try gate.checkOpen()
            // The handler's choice of encoding (ServerResponse.compression) holds only if this
            // server has it enabled and the client accepts it; otherwise the response goes out
            // uncompressed, as compression.md requires. The metadata then carries the decision to
            // the event loop, which names it in the headers.
            if let name = metadata.firstString(forKey: "grpc-encoding") {
                if let algorithm = CompressionAlgorithm(name: name), algorithm != .identity,
                    enabled.contains(algorithm), EncodingNegotiation.list(clientAccepts, contains: name)
                {
                    _ = framing.storeIfNil(OutboundFraming(algorithm))
                } else {
                    metadata.removeAll(forKey: "grpc-encoding")
                    part = .metadata(metadata)
                }
            }
        case .message(let bytes):
            // Framed for every protocol; a Connect unary response loses its prefix on the event
            // loop, which reads from it whether the body is compressed.
            var framed = framing.load()?.frame(bytes, options: options) ?? GRPCMessageDeframer.frame(bytes)
            if case .grpcWeb(text: true) = wire { framed = GRPCWebCoding.text(framed) }
            try await gate.reserve(framed.count)
            part = .message(framed)
        case .status:
            try gate.closeAfterStatus()
        }
        destination.enqueue(.serverPart(streamID, part))
    }

    /// The handler is done with the stream.
    func finish() {
        // Whatever the handler left unread no longer counts against the budget.
        account.close()
        destination.enqueue(.serverFinish(streamID))
    }
}
