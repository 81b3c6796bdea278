import FerryRPC
import NIOCore
import NIOEmbedded

@testable import FerryHTTP2

/// libFuzzer entry point: bytes from a client into a server-side ``HTTP2ConnectionHandler`` (the
/// handler Ferry's gRPC server puts on every accepted connection) inside an `EmbeddedChannel`.
///
/// Input layout: byte 0's low bit says whether the client connection preface and an empty SETTINGS
/// frame go first (so that most inputs get past nghttp2's checks of the magic and the first
/// frame); its other bits pick the size (1–128 bytes, or everything at once for 0) of the reads
/// the rest arrives in. After each read the event loop runs and the handler's output is drained,
/// as a socket would. At the end the clock jumps an hour ahead (firing every `grpc-timeout`
/// deadline) and the channel closes.
///
/// Checked: no crash, no memory error, no leak once the connection is gone.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // SAFETY: libFuzzer guarantees `data` points to `size` readable bytes for the duration of
    // this call; they are copied into an array here and the pointer is not used afterwards.
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let control = input.first else { return 0 }
    var bytes = control & 1 == 1 ? clientPreface : []
    bytes.append(contentsOf: input.dropFirst())
    let readSize = control >> 1 == 0 ? max(bytes.count, 1) : Int(control >> 1)
    do {
        try serve(bytes, readSize: readSize)
    } catch {
        fatalError("the embedded channel failed outside the handler: \(error)")
    }
    return 0
}

/// The client connection preface (RFC 9113 section 3.4) and an empty SETTINGS frame.
private let clientPreface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + [0, 0, 0, 4, 0, 0, 0, 0, 0]

/// Streams the handler accepted during one input; kept until the connection closed, as a server's
/// RPC handlers would hold them.
private final class AcceptedStreams {
    var streams: [(RPCServerStream, ServerStreamContext)] = []
}

private func serve(_ bytes: [UInt8], readSize: Int) throws {
    let channel = EmbeddedChannel()
    let accepted = AcceptedStreams()
    // The server transport's options with its default limits; the acceptor keeps the streams.
    let limits = ServerConnectionLimits()
    let options = HTTP2ConnectionHandler.ServerOptions(
        maxRequestMessageBytes: 64 * 1024,
        // gzip and deflate enabled, as the transport's default: compressed request bodies reach zlib.
        enabledEncodings: [.gzip, .deflate],
        limits: limits,
        budget: ReceiveBudget(
            limit: limits.maxBufferedBytesPerConnection,
            parent: ReceiveBudget(limit: limits.maxBufferedBytes)
        ),
        admitHandler: { true },
        acceptor: { stream, context in accepted.streams.append((stream, context)) },
        gracefulShutdownTimeout: .seconds(5)
    )
    let handler = try HTTP2ConnectionHandler(serverOn: channel.eventLoop, settings: HTTP2Settings(), options: options)
    try channel.pipeline.syncOperations.addHandler(handler)
    try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 50051)).wait()
    drain(channel)

    var offset = 0
    while offset < bytes.count, channel.isActive {
        let end = min(offset + readSize, bytes.count)
        var buffer = channel.allocator.buffer(capacity: end - offset)
        buffer.writeBytes(bytes[offset..<end])
        do {
            try channel.writeInbound(buffer)
        } catch ChannelError.ioOnClosedChannel {
            break
        }
        channel.pipeline.fireChannelReadComplete()
        drain(channel)
        offset = end
    }
    channel.embeddedEventLoop.advanceTime(by: .hours(1))
    drain(channel)
    _ = try? channel.finish(acceptAlreadyClosed: true)
    accepted.streams.removeAll()
}

/// Runs what the event loop has queued and discards what the handler wrote.
private func drain(_ channel: EmbeddedChannel) {
    channel.embeddedEventLoop.run()
    while (try? channel.readOutbound(as: ByteBuffer.self)) ?? nil != nil {}
}
