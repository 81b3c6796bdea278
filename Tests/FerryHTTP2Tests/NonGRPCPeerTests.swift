import FerryRPC
import NIOCore
import NIOPosix
import RPCTestSupport
import Testing

@testable import FerryHTTP2

/// An HTTP/2 server that is not a gRPC server: it answers every request with the HTTP status named
/// by the request path's method (`/svc/404` -> 404) and a text body-less response.
final class PlainHTTP2Handler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let session: NGHTTP2Session

    init() throws {
        session = try NGHTTP2Session(role: .server, settings: HTTP2Settings())
    }

    func channelActive(context: ChannelHandlerContext) {
        flush(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let events = try? buffer.withUnsafeReadableBytes({ try session.receive($0) }) else {
            context.close(promise: nil)
            return
        }
        for case .headers(let streamID, let fields, _) in events {
            let status = fields.first { $0.name == ":path" }?.value.split(separator: "/").last.map(String.init) ?? "500"
            try? session.submitTrailersOnlyResponse(
                [HeaderField(":status", status), HeaderField("content-type", "text/plain")],
                on: streamID
            )
        }
        flush(context)
    }

    private func flush(_ context: ChannelHandlerContext) {
        guard let bytes = try? session.drainOutput(), !bytes.isEmpty else { return }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }
}

@Suite("Ferry client against an HTTP/2 server that does not speak gRPC")
struct NonGRPCPeerTests {
    @Test(
        "HTTP statuses from a non-gRPC server become gRPC codes",
        arguments: [
            ("404", Status.Code.unimplemented), ("503", .unavailable), ("401", .unauthenticated),
            ("403", .permissionDenied),
            ("429", .unavailable), ("500", .unknown),
        ]
    )
    func httpStatus(status: String, code: Status.Code) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(PlainHTTP2Handler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        let error = try await withRPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port)) { client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "x"),
                    descriptor: MethodDescriptor(service: "svc", method: status),
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(timeout: .seconds(120))
                )
            }
        }
        try await channel.close()
        #expect(error?.code == code)
        #expect(error?.message.contains(status) == true)
    }
}
