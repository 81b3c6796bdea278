import FerryHTTP2
import FerryRPC
import NIOCore
import NIOPosix
import RPCTestSupport
import Synchronization
import Testing

/// The client channel against real servers on 127.0.0.1: load balancing, failover, backoff,
/// fail-fast and wait-for-ready, idleness, DNS. Timing runs on a manual clock.
@Suite("Client channel: resolvers, load balancing, backoff, wait-for-ready, idleness")
struct ClientChannelTests {
    /// Three Ferry servers; each one's probe records the calls it served.
    struct Servers: Sendable {
        var ports: [Int]
        var probes: [Probe]
        var servers: [RPCServer]

        func served(_ index: Int) -> Int {
            probes[index].events.filter { $0.hasPrefix("flaky-attempt") }.count
        }

        var target: RPCTarget {
            .addresses(ports.map { .ipv4(host: "127.0.0.1", port: $0) })
        }
    }

    func withServers<Result: Sendable>(
        _ count: Int,
        _ body: @Sendable (Servers) async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var servers = Servers(ports: [], probes: [], servers: [])
            for _ in 0..<count {
                let probe = Probe()
                let transport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: 0))
                let server = RPCServer(transport: transport, services: [EchoService(probe: probe, flakyFailures: 0)])
                group.addTask { try await server.serve() }
                servers.ports.append(try await transport.listeningPort())
                servers.probes.append(probe)
                servers.servers.append(server)
            }
            defer { for server in servers.servers { server.beginGracefulShutdown() } }
            return try await body(servers)
        }
    }

    func withChannel<Result: Sendable>(
        _ transport: HTTP2ClientTransport,
        _ body: @Sendable (RPCClient) async throws -> Result
    ) async throws -> Result {
        try await withRPCClient(transport: transport) { client in try await body(client) }
    }

    func call(_ client: RPCClient, options: CallOptions = .defaults) async throws -> String {
        try await client.unary(
            request: ClientRequest(message: "x"),
            descriptor: Echo.flaky,
            serializer: UTF8Coder(),
            deserializer: UTF8Coder(),
            options: options
        ).message
    }

    @Test("round_robin spreads calls evenly over every address; a server that goes away takes no calls and fails none")
    func roundRobin() async throws {
        try await withServers(3) { servers in
            let config = try ServiceConfig(json: #"{"loadBalancingConfig": [{"round_robin": {}}]}"#)
            let transport = HTTP2ClientTransport(target: servers.target, serviceConfig: config)
            try await withChannel(transport) { client in
                // The first call waits for the first connection; the others join as they connect.
                _ = try await call(client)
                try await waitUntil { transport.connectivity.subchannels.allSatisfy { $0.state == .ready } }
                for _ in 0..<30 { _ = try await call(client) }
                #expect((0..<3).map(servers.served).allSatisfy { $0 >= 10 }, "\((0..<3).map(servers.served))")
                servers.servers[1].beginGracefulShutdown()
                try await waitUntil { transport.connectivity.subchannels[1].state != .ready }
                let before = (0..<3).map(servers.served)
                for _ in 0..<20 { _ = try await call(client) }
                let after = (0..<3).map(servers.served)
                #expect(after[1] == before[1])
                #expect(after[0] - before[0] == 10 && after[2] - before[2] == 10, "\(before) → \(after)")
            }
        }
    }

    @Test("pick_first sends every call to the first address that connects, skipping one that refuses")
    func pickFirst() async throws {
        try await withServers(2) { servers in
            let target = RPCTarget.addresses(
                [unusedSocket()] + servers.ports.map { .ipv4(host: "127.0.0.1", port: $0) }
            )
            let transport = HTTP2ClientTransport(target: target)
            try await withChannel(transport) { client in
                for _ in 0..<10 { _ = try await call(client) }
            }
            #expect(servers.served(0) == 10)
            #expect(servers.served(1) == 0)
        }
    }

    @Test("unix: targets reach a server on a Unix domain socket")
    func unixSocket() async throws {
        let path = "/tmp/ferry-test-\(UInt32.random(in: 0 ... .max)).sock"
        let probe = Probe()
        let serverTransport = HTTP2ServerTransport(configuration: .init(host: "unix:" + path, port: 0))
        let server = RPCServer(transport: serverTransport, services: [EchoService(probe: probe, flakyFailures: 0)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            _ = try await serverTransport.listeningPort()
            let transport = HTTP2ClientTransport(target: try RPCTarget(parsing: "unix://" + path))
            let answer = try await withChannel(transport) { client in try await call(client) }
            #expect(answer == "finally")
        }
        #expect(probe.events.count == 1)
    }

    @Test("Addresses of one resolution beyond maxAddresses are not used")
    func maxAddresses() async throws {
        let addresses = (1...5).map { _ in unusedSocket() }
        let transport = HTTP2ClientTransport(
            target: .addresses(addresses),
            channel: ChannelConfiguration(idleTimeout: nil, maxAddresses: 2)
        )
        try await withChannel(transport) { client in
            let error = await failure(of: Task { try await call(client) })
            #expect(error?.code == .unavailable)
            #expect(transport.connectivity.subchannels.map(\.address) == Array(addresses.prefix(2)))
        }
    }

    @Test(
        """
        A custom resolver's new addresses are used after its refresh \
        interval; nothing re-resolves while nothing is lost
        """
    )
    func customResolverRefresh() async throws {
        try await withServers(2) { servers in
            let clock = ManualClock()
            let first = ResolvedAddress.ipv4(host: "127.0.0.1", port: servers.ports[0])
            let second = ResolvedAddress.ipv4(host: "127.0.0.1", port: servers.ports[1])
            let resolver = RegistryResolver([first])
            let transport = HTTP2ClientTransport(
                resolver: resolver,
                authority: "payments",
                serviceConfig: try ServiceConfig(json: #"{"loadBalancingConfig": [{"round_robin": {}}]}"#),
                channel: ChannelConfiguration(idleTimeout: nil),
                clock: clock
            )
            try await withRPCClient(transport: transport, clock: clock) { client in
                for _ in 0..<4 { _ = try await call(client) }
                #expect(servers.served(0) == 4)
                #expect(resolver.resolutions == 1)
                resolver.addresses.withLock { $0 = [first, second] }
                #expect(await clock.waitForSleepers(1))
                clock.advance(by: .seconds(10))
                try await waitUntil {
                    transport.connectivity.subchannels.count == 2
                        && transport.connectivity.subchannels.allSatisfy { $0.state == .ready }
                }
                for _ in 0..<4 { _ = try await call(client) }
                #expect(servers.served(1) == 2)
                #expect(resolver.resolutions == 2)
            }
        }
    }

    @Test("pick_first with idle spare addresses does not re-resolve on every change")
    func pickFirstResolvesOnce() async throws {
        try await withServers(2) { servers in
            // The refused address fails first and is reset once the second connects: changes on a
            // READY channel that lose no connection.
            // The clock is injected and never advanced, so the resolver's 10-second periodic
            // refresh (and the refused address's backoff) cannot fire however slow the machine is:
            // any second resolution would come from a state change, which is what this test is about.
            let clock = ManualClock()
            let resolver = RegistryResolver([unusedSocket()] + servers.ports.map { .ipv4(host: "127.0.0.1", port: $0) })
            let transport = HTTP2ClientTransport(resolver: resolver, authority: "payments", clock: clock)
            try await withRPCClient(transport: transport, clock: clock) { client in
                for _ in 0..<10 { _ = try await call(client) }
                try await Task.sleep(for: .milliseconds(100))
                #expect(resolver.resolutions == 1)
                #expect(transport.connectivity.subchannels.map(\.state) == [.idle, .ready, .idle])
            }
        }
    }

    @Test("dns:///localhost resolves through the system resolver and connects")
    func dnsTarget() async throws {
        try await withServers(1) { servers in
            let transport = HTTP2ClientTransport(target: try RPCTarget(parsing: "dns:///localhost:\(servers.ports[0])"))
            let port = servers.ports[0]
            try await withChannel(transport) { client in
                let answer = try await call(client)
                #expect(answer == "finally")
                // localhost may also resolve to ::1, where nothing listens: pick_first moved past it.
                #expect(
                    transport.connectivity.subchannels.contains {
                        $0.address == .ipv4(host: "127.0.0.1", port: port) && $0.state == .ready
                    }
                )
            }
        }
    }

    @Test("The channel reports IDLE, CONNECTING and READY in order")
    func connectivityUpdates() async throws {
        try await withServers(1) { servers in
            let transport = HTTP2ClientTransport(target: servers.target)
            let updates = transport.connectivityUpdates()
            let states = Task {
                var seen: [ConnectivityState] = []
                for await update in updates where seen.last != update.state {
                    seen.append(update.state)
                    if update.state == .shutdown { break }
                }
                return seen
            }
            try await withChannel(transport) { client in _ = try await call(client) }
            #expect(await states.value == [.idle, .connecting, .ready, .shutdown])
        }
    }

    @Test("An observer that does not read keeps only the newest 64 states, the last being SHUTDOWN")
    func observerBufferIsBounded() async throws {
        // round_robin tries 60 unreachable addresses at once: each goes CONNECTING, then
        // TRANSIENT_FAILURE, well over 64 changes. The manual clock keeps them from retrying.
        let transport = HTTP2ClientTransport(
            target: .addresses((1...60).map { _ in unusedSocket() }),
            serviceConfig: try ServiceConfig(json: #"{"loadBalancingConfig": [{"round_robin": {}}]}"#),
            channel: ChannelConfiguration(idleTimeout: nil),
            clock: ManualClock()
        )
        let updates = transport.connectivityUpdates()
        try await withChannel(transport) { client in
            let error = await failure(of: Task { try await call(client) })
            #expect(error?.code == .unavailable)
        }
        var kept: [ChannelConnectivity] = []
        for await update in updates { kept.append(update) }
        #expect(kept.count == HTTP2ClientTransport.observerBufferSize)
        #expect(kept.last?.state == .shutdown)
        #expect(kept.first?.subchannels.isEmpty == false, "the oldest state (IDLE, nothing resolved) was kept")
    }

    @Test(
        """
        Against a peer that accepts and closes, a wait-for-ready call backs off \
        (4-7 attempts in 10 s); without it the call fails fast
        """
    )
    func backoffAndWaitForReady() async throws {
        try await withClosingListener { port, accepted in
            let clock = ManualClock()
            let target = RPCTarget.addresses([.ipv4(host: "127.0.0.1", port: port)])
            let noIdle = ChannelConfiguration(idleTimeout: nil)
            let transport = HTTP2ClientTransport(target: target, channel: noIdle, clock: clock)
            try await withRPCClient(transport: transport, clock: clock) { client in
                let ended = AcceptCounter()
                let waiting = Task {
                    defer { ended.increment() }
                    return try await call(client, options: CallOptions(timeout: .seconds(10), waitForReady: true))
                }
                // Drive time: each round, the subchannel sleeps until its next attempt and the call
                // until its deadline; move to whichever comes first.
                var rounds = 0
                while rounds < 50, ended.load() == 0 {
                    rounds += 1
                    guard await clock.waitForSleepers(2, unless: { ended.load() > 0 }) else { break }
                    clock.advanceToNextWakeUp()
                    // The call ends right after the clock reaches its deadline, or keeps waiting.
                    for _ in 0..<2000 where ended.load() == 0 && clock.sleeperCount < 2 {
                        try await Task.sleep(for: .milliseconds(5))
                    }
                }
                if ended.load() == 0 {
                    Issue.record(
                        "the channel stopped sleeping on the clock after \(rounds) rounds: \(transport.connectivity)"
                    )
                    waiting.cancel()
                }
                let error = await failure(of: waiting)
                #expect(error?.code == .deadlineExceeded)
                // Attempts at 0, 1, 2.6, 5.2 and 9.3 s (± 20 % jitter after the first backoff).
                let attempts = accepted.load()
                #expect((4...7).contains(attempts), "\(attempts) attempts")
            }
            // Fail fast: on a fresh channel the first attempt fails, the channel is in
            // TRANSIENT_FAILURE, and the call ends with UNAVAILABLE without waiting for the next.
            let before = accepted.load()
            let fresh = HTTP2ClientTransport(target: target, channel: noIdle, clock: clock)
            try await withRPCClient(transport: fresh, clock: clock) { client in
                let fast = Task { try await call(client) }
                let fastError = await failure(of: fast)
                #expect(fastError?.code == .unavailable)
                #expect(fastError?.message.contains("TRANSIENT_FAILURE") == true, "\(String(describing: fastError))")
                #expect(accepted.load() == before + 1)
            }
        }
    }

    @Test("A wait-for-ready call goes out once the server comes up")
    func waitForReadySucceedsWhenServerStarts() async throws {
        let clock = ManualClock()
        let probe = Probe()
        let address = unusedSocket()
        guard case .unix(let path) = address else { return }
        let transport = HTTP2ClientTransport(
            target: .addresses([address]),
            channel: ChannelConfiguration(idleTimeout: nil),
            clock: clock
        )
        try await withRPCClient(transport: transport, clock: clock) { client in
            let waiting = Task { try await call(client, options: CallOptions(waitForReady: true)) }
            try await waitUntil { transport.connectivity.state == .transientFailure }
            try await withThrowingTaskGroup(of: Void.self) { group in
                let serverTransport = HTTP2ServerTransport(configuration: .init(host: "unix:" + path, port: 0))
                let server = RPCServer(
                    transport: serverTransport,
                    services: [EchoService(probe: probe, flakyFailures: 0)]
                )
                group.addTask { try await server.serve() }
                defer { server.beginGracefulShutdown() }
                _ = try await serverTransport.listeningPort()
                // The server listens: the next attempt, when the backoff's time comes, connects.
                #expect(await clock.waitForSleepers(1))
                clock.advanceToNextWakeUp()
                let answer = try await waiting.value
                #expect(answer == "finally")
            }
        }
    }

    @Test("After idleTimeout without calls the channel closes its connection and goes IDLE; the next call reconnects")
    func idleTimeout() async throws {
        try await withServers(1) { servers in
            let clock = ManualClock()
            let transport = HTTP2ClientTransport(
                target: servers.target,
                channel: ChannelConfiguration(idleTimeout: .seconds(60)),
                clock: clock
            )
            try await withRPCClient(transport: transport, clock: clock) { client in
                _ = try await call(client)
                #expect(transport.connectivity.state == .ready)
                #expect(await clock.waitForSleepers(1))
                clock.advance(by: .seconds(59))
                #expect(transport.connectivity.state == .ready)
                clock.advance(by: .seconds(1))
                try await waitUntil { transport.connectivity.state == .idle }
                #expect(try await call(client) == "finally")
                #expect(transport.connectivity.state == .ready)
            }
            #expect(servers.served(0) == 2)
        }
    }
}

/// A service registry in miniature: addresses a test changes, resolutions counted, refreshed every
/// 10 s.
final class RegistryResolver: NameResolver {
    let addresses: Mutex<[ResolvedAddress]>
    private let count = Atomic(0)

    init(_ addresses: [ResolvedAddress]) {
        self.addresses = Mutex(addresses)
    }

    var resolutions: Int { count.load(ordering: .relaxed) }
    var refreshInterval: Duration? { .seconds(10) }
    var minimumInterval: Duration { .zero }

    func resolve() async throws(RPCError) -> NameResolution {
        count.add(1, ordering: .relaxed)
        return NameResolution(addresses: addresses.withLock { $0 })
    }
}

/// A Unix socket path nothing listens on (connecting fails at once). Unlike a closed TCP port, no
/// other test running at the same time can start listening there.
func unusedSocket() -> ResolvedAddress {
    .unix(path: "/tmp/ferry-test-unused-\(UInt64.random(in: 0 ... .max)).sock")
}

/// Counts the connections a test listener accepted.
final class AcceptCounter: Sendable {
    private let count = Atomic(0)
    func increment() { count.add(1, ordering: .relaxed) }
    func load() -> Int { count.load(ordering: .relaxed) }
}

/// Runs `body` with a listener on 127.0.0.1 that accepts connections and closes them at once,
/// counting them.
func withClosingListener<Result: Sendable>(
    _ body: @Sendable (Int, AcceptCounter) async throws -> Result
) async throws -> Result {
    let counter = AcceptCounter()
    let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .childChannelInitializer { channel in
            counter.increment()
            return channel.close()
        }
        .bind(host: "127.0.0.1", port: 0).get()
    defer { listener.close(promise: nil) }
    return try await body(listener.localAddress?.port ?? 0, counter)
}
