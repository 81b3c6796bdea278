import FerryHTTP2
import FerryRPC
import Foundation
import ProcessTestSupport
import RPCTestSupport
import Synchronization
import Testing

/// Ferry's client speaking Connect and gRPC-Web over HTTP/1.1 to a Ferry server on 127.0.0.1: the
/// same calls as over HTTP/2, and the connection pool that HTTP/1.1's one call per connection needs.
@Suite("The client over HTTP/1.1")
struct HTTP1ClientTests {
    static func channel(_ wire: ClientWireProtocol = .connect, maxConnections: Int = 8) -> ChannelConfiguration {
        ChannelConfiguration(wireProtocol: wire, httpVersion: .http1_1, maxHTTP1ConnectionsPerAddress: maxConnections)
    }

    static func whoAmI(
        _ client: RPCClient,
        options: CallOptions = CallOptions(timeout: .seconds(120))
    ) async throws
        -> String
    {
        try await client.unary(
            request: ClientRequest(message: ""),
            descriptor: PeerService.whoAmI,
            serializer: UTF8Coder(),
            deserializer: UTF8Coder(),
            options: options
        ).message
    }

    @Test(
        "every call kind, metadata and errors over HTTP/1.1, with Connect, gRPC-Web and gRPC-Web text",
        arguments: [ClientWireProtocol.connect, .grpcWeb, .grpcWebText]
    )
    func callKinds(_ wire: ClientWireProtocol) async throws {
        try await withLoopbackPair(services: { _ in [EchoService(probe: Probe())] }, channel: Self.channel(wire)) {
            client,
            _ in
            try await expectEchoCallKinds(client, "\(wire) over HTTP/1.1")
        }
    }

    @Test("calls one after another share one keep-alive connection")
    func keepAlive() async throws {
        try await withLoopbackPair(services: { _ in [PeerService()] }, channel: Self.channel()) { client, _ in
            var peers: Set<String> = []
            for _ in 0..<5 { peers.insert(try await Self.whoAmI(client)) }
            #expect(peers.count == 1, "\(peers)")
        }
    }

    @Test("concurrent calls use at most maxHTTP1ConnectionsPerAddress connections; the rest wait their turn")
    func poolBound() async throws {
        let service = HoldService()
        try await withLoopbackPair(services: { _ in [service] }, channel: Self.channel(maxConnections: 2)) {
            client,
            _ in
            let peers = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await HoldService.call(client, "pair") }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(peers.count == 2, "\(peers)")
            #expect(service.mostAtOnce == 2)
        }
    }

    @Test("a call waiting for a busy connection ends at its deadline; the pool serves the next call")
    func waitingCallDeadline() async throws {
        let service = HoldService()
        try await withLoopbackPair(services: { _ in [service] }, channel: Self.channel(maxConnections: 1)) {
            client,
            _ in
            let holder = Task { try await HoldService.call(client, "5000") }
            try await service.waitUntilRunning(1)
            let waiting = await #expect(throws: RPCError.self) {
                try await Self.whoAmIOnHold(client, timeout: .milliseconds(300))
            }
            #expect(waiting?.code == .deadlineExceeded, "\(String(describing: waiting))")
            _ = try await holder.value
            #expect(try await Self.whoAmIOnHold(client, timeout: .seconds(120)).hasPrefix("ipv4:127.0.0.1:"))
        }
    }

    static func whoAmIOnHold(_ client: RPCClient, timeout: Duration) async throws -> String {
        try await HoldService.call(client, "0", timeout: timeout)
    }

    @Test(
        "a call abandoned mid-response closes its connection (HTTP/1.1 cannot cancel one request); the next call opens another"
    )
    func cancelClosesConnection() async throws {
        let probe = Probe()
        try await withLoopbackPair(
            services: { _ in [EchoService(probe: probe), PeerService()] },
            channel: Self.channel()
        ) { client, _ in
            let first = try await Self.whoAmI(client)
            let got = try await client.serverStreaming(
                request: ClientRequest(message: ""),
                descriptor: Echo.sleep,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: CallOptions(timeout: .seconds(120))
            ) { response in
                for try await message in response.messages { return message }
                return ""
            }
            #expect(got == "first")
            let second = try await Self.whoAmI(client)
            #expect(second != first, "the abandoned call's connection was reused")
            // The server saw its call end when the connection closed (bounded at 120 s: a loaded
            // machine's fresh-clone CI once took over 10 s).
            for _ in 0..<2_400 where probe.count("sleep-cancelled") == 0 {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(probe.count("sleep-cancelled") == 1)
        }
    }

    @Test("a response message over the call's limit fails RESOURCE_EXHAUSTED and its connection is not reused")
    func responseLimit() async throws {
        try await withLoopbackPair(
            services: { _ in [EchoService(probe: Probe()), PeerService()] },
            channel: Self.channel(.grpcWeb)
        ) { client, _ in
            let first = try await Self.whoAmI(client)
            let failure = await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: String(repeating: "z", count: 4_000)),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(timeout: .seconds(120), maxResponseMessageBytes: 1_000)
                )
            }
            #expect(failure?.code == .resourceExhausted, "\(String(describing: failure))")
            #expect(try await Self.whoAmI(client) != first)
        }
    }

    @Test("gRPC cannot run over HTTP/1.1: calls fail with FAILED_PRECONDITION saying so")
    func grpcNeedsHTTP2() async throws {
        try await withLoopbackPair(services: { _ in [PeerService()] }, channel: Self.channel(.grpc)) { client, _ in
            let failure = await #expect(throws: RPCError.self) { try await Self.whoAmI(client) }
            #expect(failure?.code == .failedPrecondition)
            #expect(failure?.message.contains("gRPC needs HTTP/2") == true)
        }
    }

    @Test("over TLS the client offers ALPN http/1.1 and the server takes it")
    func tls() async throws {
        let pki = try await TestCertificates()
        try await withLoopbackPair(
            serverTLS: TLSTests.serverTLS(pki),
            clientTLS: ClientTLSConfiguration(trustRoots: .certificates(.file(pki.caCertificate))),
            services: { _ in [EchoService(probe: Probe()), PeerService()] },
            channel: Self.channel()
        ) { client, _ in
            #expect(try await TLSTests.get(client, "over http/1.1 and tls") == "echo: over http/1.1 and tls")
            let first = try await Self.whoAmI(client)
            #expect(try await Self.whoAmI(client) == first)
        }
    }

    @Test(
        "a server that is gone fails calls with UNAVAILABLE rather than leaving them waiting (a Connect unary call, which opens its stream from its message, too)",
        arguments: [
            (ClientWireProtocol.connect, ClientHTTPVersion.http1_1), (.grpcWeb, .http1_1), (.connect, .http2),
        ]
    )
    func serverGone(_ wire: ClientWireProtocol, _ version: ClientHTTPVersion) async throws {
        let serverTransport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: 0))
        let server = RPCServer(transport: serverTransport, services: [PeerService()])
        let serving = Task { try await server.serve() }
        let port = try await serverTransport.listeningPort()
        let client = RPCClient(
            transport: HTTP2ClientTransport(
                host: "127.0.0.1",
                port: port,
                channel: ChannelConfiguration(wireProtocol: wire, httpVersion: version)
            )
        )
        let connections = Task { try await client.runConnections() }
        defer {
            client.beginGracefulShutdown()
            connections.cancel()
        }
        #expect(try await Self.whoAmI(client).hasPrefix("ipv4:127.0.0.1:"))
        server.beginGracefulShutdown()
        try await serving.value
        let failure = await #expect(throws: RPCError.self) {
            try await Self.whoAmI(client, options: CallOptions(timeout: .seconds(120)))
        }
        #expect(failure?.code == .unavailable, "\(wire) \(version): \(String(describing: failure))")
    }
}

extension HTTP1ClientTests {
    @Test(
        "a hostile HTTP/1.1 server gets the protocol's error, never unbounded memory or a call that waits for ever",
        arguments: [
            ("huge-headers", Status.Code.internalError),
            ("garbage", .internalError),
            ("huge-message", .resourceExhausted),
            ("close-mid-body", .unavailable),
            ("silent-body", .deadlineExceeded),
            ("gzip-bomb", .resourceExhausted),
        ]
    )
    func hostileServer(_ mode: String, _ expected: Status.Code) async throws {
        let server = try PeerProcess(
            python: "http1_hostile_server.py",
            name: "hostile HTTP/1.1 server",
            arguments: [mode, "--max_seconds", "300"]
        )
        let port = try await server.waitForPort()
        try await server.stopAfter {
            let transport = HTTP2ClientTransport(host: "127.0.0.1", port: port, channel: Self.channel())
            try await withRPCClient(transport: transport) { client in
                let method = MethodDescriptor(service: "grpc.testing.TestService", method: "StreamingOutputCall")
                let failure = await #expect(throws: RPCError.self) {
                    // Connect unary, except for the stream whose first message is too large.
                    if mode != "huge-message" {
                        _ = try await client.unary(
                            request: ClientRequest(message: [0x10, 0x03]),
                            descriptor: method,
                            serializer: RawBytesSerializer(),
                            deserializer: RawBytesSerializer(),
                            options: CallOptions(timeout: .seconds(mode == "silent-body" ? 2 : 120))
                        )
                    } else {
                        _ = try await client.serverStreaming(
                            request: ClientRequest(message: [0x10, 0x03]),
                            descriptor: method,
                            serializer: RawBytesSerializer(),
                            deserializer: RawBytesSerializer(),
                            options: CallOptions(timeout: .seconds(120))
                        ) { try await $0.messages.collect() }
                    }
                }
                #expect(failure?.code == expected, "\(mode): \(String(describing: failure))")
            }
        }
    }
}

/// `Hold` answers with the caller's address after sleeping the milliseconds its request names (or,
/// for "pair", once two calls have run at the same time, so that a test sees the most a client runs
/// at once without depending on timing), and counts how many calls ran at once.
final class HoldService: RPCService, Sendable {
    static let hold = MethodDescriptor(service: "ferry.test.Hold", method: "Hold")
    private let state = Mutex((running: 0, most: 0, released: false))

    var mostAtOnce: Int { state.withLock { $0.most } }

    /// Ends the calls holding until released.
    func release() { state.withLock { $0.released = true } }

    /// Calls Hold with `request` ("until-released", "pair", or milliseconds to sleep) and returns
    /// the peer address the server saw.
    static func call(_ client: RPCClient, _ request: String, timeout: Duration = .seconds(120)) async throws -> String {
        try await client.unary(
            request: ClientRequest(message: request),
            descriptor: hold,
            serializer: UTF8Coder(),
            deserializer: UTF8Coder(),
            options: CallOptions(timeout: timeout)
        ).message
    }

    /// Waits (bounded) until `count` calls are running.
    func waitUntilRunning(_ count: Int) async throws {
        for _ in 0..<2_400 where state.withLock({ $0.running < count }) { try await Task.sleep(for: .milliseconds(50)) }
    }

    func registerMethods(with router: inout RPCRouter) {
        router.registerUnary(Self.hold, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, context in
            self.state.withLock { state in
                state.running += 1
                state.most = max(state.most, state.running)
            }
            defer { self.state.withLock { $0.running -= 1 } }
            if request.message == "pair" {
                for _ in 0..<6_000 where self.mostAtOnce < 2 { try await Task.sleep(for: .milliseconds(10)) }
            } else if request.message == "until-released" {
                // Bounded: 120 s at most.
                for _ in 0..<12_000 where !self.state.withLock({ $0.released }) {
                    try await Task.sleep(for: .milliseconds(10))
                }
            } else {
                try await Task.sleep(for: .milliseconds(Int(request.message) ?? 0))
            }
            return ServerResponse(message: context.peer)
        }
    }
}
