import FerryRPC
import NIOCore
import NIOEmbedded
import NIOPosix
import RPCTestSupport
import Synchronization
import Testing

@testable import FerryHTTP2

/// A client connection handler in an `EmbeddedChannel` facing a raw nghttp2 server session: the
/// event loop's clock moves only when a test advances it, so keepalive timing is exact.
final class EmbeddedClient {
    let channel: EmbeddedChannel
    let loop: EmbeddedEventLoop
    let server: NGHTTP2Session
    private(set) var serverEvents: [HTTP2SessionEvent] = []
    let handler: HTTP2ConnectionHandler

    init(keepalive: Keepalive?) throws {
        loop = EmbeddedEventLoop()
        channel = EmbeddedChannel(loop: loop)
        server = try NGHTTP2Session(role: .server, settings: HTTP2Settings())
        handler = try HTTP2ConnectionHandler(clientOn: loop, settings: HTTP2Settings())
        handler.keepalive = keepalive
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    /// Moves bytes both ways until neither side has more to say (bounded).
    func pump() throws {
        for _ in 0..<1_000 {
            var moved = false
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
                moved = true
                serverEvents += try buffer.withUnsafeReadableBytes { try server.receive($0) }
            }
            serverEvents += server.takeEvents()
            let toClient = try server.drainOutput()
            if !toClient.isEmpty && channel.isActive {
                moved = true
                try channel.writeInbound(channel.allocator.buffer(bytes: toClient))
            }
            if !moved { return }
        }
        Issue.record("the connection did not settle")
    }

    /// Drops what the client sent: the peer has stopped answering.
    func dropOutbound() throws {
        while try channel.readOutbound(as: ByteBuffer.self) != nil {}
    }

    var pingsReceived: Int {
        serverEvents.filter { if case .pingReceived = $0 { true } else { false } }.count
    }
}

@Suite("Keepalive (gRPC A8) on both sides")
struct KeepaliveTests {
    @Test(
        """
        A client PINGs after keepaliveTime without reads and closes exactly \
        keepaliveTimeout later when no answer comes
        """
    )
    func clientDetectsSilentPeer() throws {
        let client = try EmbeddedClient(
            keepalive: Keepalive(time: .seconds(10), timeout: .seconds(5), permitWithoutCalls: true)
        )
        try client.pump()
        client.loop.advanceTime(by: .milliseconds(9_999))
        try client.pump()
        #expect(client.pingsReceived == 0)
        client.loop.advanceTime(by: .milliseconds(1))
        // The PING leaves; the peer answers it: the connection stays.
        try client.pump()
        #expect(client.pingsReceived == 1)
        client.loop.advanceTime(by: .seconds(5))
        #expect(client.channel.isActive)
        // From the ACK (at 10 s) the next PING is due at 20 s; this time nothing comes back.
        client.loop.advanceTime(by: .milliseconds(4_999))
        #expect(try client.channel.readOutbound(as: ByteBuffer.self) == nil)
        client.loop.advanceTime(by: .milliseconds(1))
        #expect(try client.channel.readOutbound(as: ByteBuffer.self) != nil)
        client.loop.advanceTime(by: .milliseconds(4_999))
        #expect(client.channel.isActive)
        client.loop.advanceTime(by: .milliseconds(1))
        #expect(!client.channel.isActive)
        #expect(client.handler.closeReason?.contains("keepalive timeout") == true)
    }

    @Test("Without permitWithoutCalls a client with no call open sends no PING")
    func clientQuietWithoutCalls() throws {
        let client = try EmbeddedClient(keepalive: Keepalive(time: .seconds(10), timeout: .seconds(5)))
        try client.pump()
        client.loop.advanceTime(by: .seconds(60))
        try client.pump()
        #expect(client.pingsReceived == 0)
        #expect(client.channel.isActive)
    }

    @Test("A server PINGs an idle client after its keepalive time and closes the connection when the client is silent")
    func serverDetectsSilentClient() throws {
        let limits = ServerConnectionLimits(keepalivePings: Keepalive(time: .seconds(60), timeout: .seconds(20)))
        let server = try EmbeddedServer(limits: limits)
        try server.pump()
        server.loop.advanceTime(by: .seconds(60))
        try server.pump()
        #expect(server.clientEvents.contains { if case .pingReceived = $0 { true } else { false } })
        server.loop.advanceTime(by: .seconds(20))
        #expect(server.channel.isActive)
        // The second PING, at 120 s (60 s after the answer), goes unanswered: closed 20 s later.
        server.loop.advanceTime(by: .seconds(40))
        while try server.channel.readOutbound(as: ByteBuffer.self) != nil {}
        server.loop.advanceTime(by: .milliseconds(19_999))
        #expect(server.channel.isActive)
        server.loop.advanceTime(by: .milliseconds(1))
        #expect(!server.channel.isActive)
    }

    @Test(
        """
        A peer behind a proxy that stops forwarding is detected within keepaliveTime \
        + keepaliveTimeout; the call fails with UNAVAILABLE
        """
    )
    func proxyBlackhole() async throws {
        let probe = Probe()
        let serverTransport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: 0))
        let server = RPCServer(transport: serverTransport, services: [EchoService(probe: probe)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            let proxy = try await BlackholeProxy.start(to: try await serverTransport.listeningPort())
            defer { proxy.close() }
            // Short, but not so short that a loaded machine's slow PING answer counts as silence.
            let keepalive = Keepalive(time: .seconds(1), timeout: .seconds(2))
            let transport = HTTP2ClientTransport(
                target: .addresses([.ipv4(host: "127.0.0.1", port: proxy.port)]),
                channel: ChannelConfiguration(keepalive: keepalive)
            )
            try await withRPCClient(transport: transport) { client in
                // A long call: the server answers "first", then sleeps for 30 s.
                let error = try await client.serverStreaming(
                    request: ClientRequest(message: ""),
                    descriptor: Echo.sleep,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                ) { response -> RPCError? in
                    var messages = response.messages.makeAsyncIterator()
                    #expect(try await messages.next() == "first")
                    proxy.blackhole()
                    let start = ContinuousClock.now
                    do {
                        _ = try await messages.next()
                        Issue.record("the call went on through a silent proxy")
                        return nil
                    } catch let error as RPCError {
                        // Detected after keepaliveTime + keepaliveTimeout of silence; the upper
                        // bound only catches "never" (the exact timing is the embedded test's).
                        #expect(ContinuousClock.now - start >= .seconds(2))
                        #expect(ContinuousClock.now - start < .seconds(30))
                        return error
                    }
                }
                #expect(error?.code == .unavailable)
                #expect(
                    error?.message.contains("no answer to a keepalive PING within 2.0 seconds") == true,
                    "\(String(describing: error))"
                )
            }
        }
    }

    @Test(
        """
        A server that receives PINGs too often answers GOAWAY \
        too_many_pings, and the client doubles its keepalive time
        """
    )
    func tooManyPings() async throws {
        let serverTransport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: 0))
        let server = RPCServer(transport: serverTransport, services: [EchoService(probe: Probe())])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            let port = try await serverTransport.listeningPort()
            // The server allows one PING per 5 minutes without calls... not one per 50 ms.
            let keepalive = Keepalive(time: .milliseconds(50), timeout: .seconds(5), permitWithoutCalls: true)
            let transport = HTTP2ClientTransport(
                target: .addresses([.ipv4(host: "127.0.0.1", port: port)]),
                channel: ChannelConfiguration(keepalive: keepalive)
            )
            try await withRPCClient(transport: transport) { client in
                // The call opens the connection; on a loaded machine the GOAWAY may already end it.
                _ = try? await client.unary(
                    request: ClientRequest(message: "x"),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
                // After the third PING the server says too_many_pings; the channel backs off. The
                // channel may reconnect and be told again before this task looks (a loaded machine),
                // so the time is 50 ms doubled at least once, not exactly once.
                try await waitUntil { (transport.keepalive?.time ?? .zero) >= .milliseconds(100) }
                let time = try #require(transport.keepalive?.time)
                let doublings = (0..<20).first { .milliseconds(50) * (1 << $0) == time }
                #expect(doublings != nil, "\(time) is not 50 ms doubled")
            }
        }
    }

    @Test("Each too_many_pings doubles the channel's keepalive time, up to a day")
    func keepaliveDoublingIsCapped() {
        let schedule = KeepaliveSchedule(Keepalive(time: .seconds(10), timeout: .seconds(3)))
        schedule.backOff()
        #expect(schedule.current.time == .seconds(20))
        #expect(schedule.current.timeout == .seconds(3))
        for _ in 0..<100 { schedule.backOff() }
        #expect(schedule.current.time == .seconds(24 * 60 * 60))
    }

    @Test(
        """
        A connection closed for too many PINGs half-closes after its GOAWAY and keeps reading for the \
        linger, so a client still sending PINGs reads the GOAWAY instead of a reset
        """
    )
    func goAwayLinger() async throws {
        try await withPolicedConnection(linger: .seconds(120)) { channel in
            // The server shut only its output: what the client still sends is read and dropped.
            // A closed socket would answer the first PING with a reset and fail the second write.
            for _ in 0..<3 {
                try await channel.writeAndFlush(ByteBuffer(bytes: Self.ping)).get()
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(channel.isActive)
        }
    }

    @Test("The linger is bounded: a client that never closes is disconnected once it is over")
    func goAwayLingerEnds() async throws {
        try await withPolicedConnection(linger: .milliseconds(100)) { channel in
            var writesBeforeReset = 0
            for _ in 0..<600 {
                do {
                    try await channel.writeAndFlush(ByteBuffer(bytes: Self.ping)).get()
                } catch {
                    break
                }
                writesBeforeReset += 1
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(writesBeforeReset < 600, "the server never closed the lingering connection")
        }
    }

    /// A PING frame with 8 bytes of opaque data.
    static let ping: [UInt8] = [0, 0, 8, 6, 0, 0, 0, 0, 0] + [UInt8](repeating: 1, count: 8)

    /// Connects a raw TCP client to a server with `linger`, sends five PINGs without a call (the
    /// fourth is the third strike), checks that GOAWAY too_many_pings arrives followed by the end of
    /// the server's output, and runs `body` on the still-connected client channel.
    private func withPolicedConnection(
        linger: Duration,
        _ body: (any Channel) async throws -> Void
    ) async throws {
        var limits = ServerConnectionLimits()
        limits.goAwayLinger = linger
        let serverTransport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: 0, limits: limits))
        let server = RPCServer(transport: serverTransport, services: [EchoService(probe: Probe())])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            let port = try await serverTransport.listeningPort()
            let received = ReceivedBytes()
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .channelInitializer { $0.pipeline.addHandler(received) }
                .connect(host: "127.0.0.1", port: port).get()
            defer { channel.close(promise: nil) }
            // The preface, SETTINGS and five PINGs without a call: the fourth is the third strike.
            let client = try NGHTTP2Session(role: .client, settings: HTTP2Settings())
            for _ in 0..<5 { client.submitPing() }
            try await channel.writeAndFlush(ByteBuffer(bytes: try client.drainOutput())).get()
            try await waitUntil { received.inputClosed.load(ordering: .relaxed) }
            let events = try received.bytes.withLock { bytes in try bytes.withUnsafeBytes { try client.receive($0) } }
            let goAway = events.compactMap { event -> String? in
                guard case .goAway(_, let code, let debugData) = event else { return nil }
                return "\(code) \(debugData)"
            }
            #expect(goAway == ["\(HTTP2ErrorCode.enhanceYourCalm) too_many_pings"])
            try await body(channel)
        }
    }
}

/// Collects what a raw TCP client reads and whether the peer shut its output.
final class ReceivedBytes: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let bytes = Mutex<[UInt8]>([])
    let inputClosed = Atomic(false)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        bytes.withLock { $0 += buffer.readableBytesView }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event { inputClosed.store(true, ordering: .relaxed) }
        context.fireUserInboundEventTriggered(event)
    }
}

/// A TCP proxy on 127.0.0.1 that forwards both ways until told to drop everything (without closing),
/// as a broken middlebox or a dead NAT entry does.
final class BlackholeProxy: Sendable {
    let port: Int
    private let listener: any Channel
    private let dropping: Dropping

    final class Dropping: Sendable {
        let flag = Atomic(false)
        let connections = Mutex<[any Channel]>([])
    }

    private init(port: Int, listener: any Channel, dropping: Dropping) {
        self.port = port
        self.listener = listener
        self.dropping = dropping
    }

    static func start(to target: Int) async throws -> BlackholeProxy {
        let dropping = Dropping()
        let group = MultiThreadedEventLoopGroup.singleton
        let listener = try await ServerBootstrap(group: group)
            .childChannelOption(.autoRead, value: true)
            .childChannelInitializer { inbound in
                dropping.connections.withLock { $0.append(inbound) }
                return ClientBootstrap(group: inbound.eventLoop)
                    .channelInitializer { outbound in
                        outbound.pipeline.addHandler(Relay(peer: inbound, dropping: dropping))
                    }
                    .connect(host: "127.0.0.1", port: target)
                    .flatMap { outbound in
                        dropping.connections.withLock { $0.append(outbound) }
                        return inbound.pipeline.addHandler(Relay(peer: outbound, dropping: dropping))
                    }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return BlackholeProxy(port: listener.localAddress?.port ?? 0, listener: listener, dropping: dropping)
    }

    /// From now on, bytes in either direction vanish.
    func blackhole() {
        dropping.flag.store(true, ordering: .relaxed)
    }

    /// Stops listening and closes every proxied connection.
    func close() {
        listener.close(promise: nil)
        for connection in dropping.connections.withLock({ $0 }) { connection.close(promise: nil) }
    }

    /// Writes what one side reads to the other, unless dropping.
    private final class Relay: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let peer: any Channel
        let dropping: Dropping

        init(peer: any Channel, dropping: Dropping) {
            self.peer = peer
            self.dropping = dropping
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !dropping.flag.load(ordering: .relaxed) else { return }
            peer.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !dropping.flag.load(ordering: .relaxed) { peer.close(promise: nil) }
        }
    }
}
