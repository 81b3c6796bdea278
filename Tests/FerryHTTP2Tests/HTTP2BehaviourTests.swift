import FerryHTTP2
import FerryRPC
import NIOCore
import NIOPosix
import RPCTestSupport
import Testing

@Suite("HTTP/2 transport: deadlines, cancellation, retries, large streams, concurrency, bad peers, shutdown")
struct HTTP2BehaviourTests {
    @Test(
        "A deadline firing mid-stream fails the call with DEADLINE_EXCEEDED and cancels the server handler",
        .timeLimit(.minutes(3))
    )
    func deadlineMidStream() async throws {
        let probe = Probe()
        let deadline = ContinuousClock.now.advanced(by: .seconds(3))
        let control = ControlTimer(deadline: deadline)
        let error = try await withLoopbackPair(services: { _ in [EchoService(probe: probe)] }) { client, _ in
            await #expect(throws: RPCError.self) {
                try await client.serverStreaming(
                    request: ClientRequest(message: ""),
                    descriptor: Echo.sleep,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(deadline: deadline)
                ) { response in
                    for try await message in response.messages { probe.record("client-got-\(message)") }
                }
            }
        }
        #expect(error?.code == .deadlineExceeded)
        let ranOnTime = await control.ranOnTime
        if ranOnTime {
            #expect(probe.events.contains("client-got-first"))
            #expect(probe.events.contains("sleep-has-deadline"))
        }
        if probe.events.contains("sleep-started") {
            try await waitUntil { probe.events.contains("sleep-cancelled") }
        }
    }

    @Test("Cancelling the calling task resets the stream and the server handler sees cancellation")
    func cancellation() async throws {
        let probe = Probe()
        try await withLoopbackPair(services: { _ in [EchoService(probe: probe)] }) { client, _ in
            let call = Task {
                try await client.serverStreaming(
                    request: ClientRequest(message: ""),
                    descriptor: Echo.sleep,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                ) { try await $0.messages.collect() }
            }
            try await waitUntil { probe.events.contains("sleep-started") }
            call.cancel()
            let result = await call.result
            if case .failure(let error as RPCError) = result {
                #expect(error.code == .cancelled)
            } else {
                Issue.record("expected a cancelled RPCError, got \(result)")
            }
            try await waitUntil { probe.events.contains("sleep-cancelled") }
        }
    }

    @Test("A retry succeeds on the third attempt against a server failing twice with UNAVAILABLE")
    func retry() async throws {
        let probe = Probe()
        let policy = RetryPolicy(
            maxAttempts: 4,
            initialBackoff: .milliseconds(10),
            maxBackoff: .milliseconds(20),
            backoffMultiplier: 2,
            retryableStatusCodes: [.unavailable]
        )
        let response = try await withLoopbackPair(services: { _ in [EchoService(probe: probe)] }) { client, _ in
            try await client.unary(
                request: ClientRequest(message: "x"),
                descriptor: Echo.flaky,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: CallOptions(retryPolicy: policy)
            )
        }
        #expect(response.message == "finally")
        #expect(
            probe.events == ["flaky-attempt previous=none", "flaky-attempt previous=1", "flaky-attempt previous=2"]
        )
    }

    @Test("A 64 MiB server stream and a 64 MiB client stream flow without deadlock")
    func largeStreams() async throws {
        try await withLoopbackPair(services: { _ in [BulkService()] }) { client, _ in
            let received = try await client.serverStreaming(
                request: ClientRequest(message: [64]),
                descriptor: Bulk.download,
                serializer: RawBytesSerializer(),
                deserializer: RawBytesSerializer(),
                options: CallOptions(timeout: .seconds(300))
            ) { response in
                var total = 0
                var index = 0
                for try await chunk in response.messages {
                    #expect(
                        chunk.count == Bulk.chunk && chunk.first == Bulk.fill(index) && chunk.last == Bulk.fill(index)
                    )
                    total += chunk.count
                    index += 1
                }
                return total
            }
            #expect(received == 64 << 20)
            let uploaded = try await client.clientStreaming(
                request: StreamingClientRequest { writer in
                    for index in 0..<64 {
                        try await writer.write(Bulk.chunk(index))
                    }
                },
                descriptor: Bulk.upload,
                serializer: RawBytesSerializer(),
                deserializer: RawBytesSerializer(),
                options: CallOptions(timeout: .seconds(300))
            )
            #expect(String(decoding: uploaded.message, as: UTF8.self) == String(64 << 20))
        }
    }

    @Test("A server answering a client stream early ends the call although the client still has megabytes to send")
    func earlyResponse() async throws {
        // If the blocked writer kept the call alive, the 120 s timeout would fail it.
        try await withLoopbackPair(services: { _ in [BulkService()] }) { client, _ in
            let response = try await client.clientStreaming(
                request: StreamingClientRequest { writer in
                    for index in 0..<256 { try await writer.write(Bulk.chunk(index)) }
                },
                descriptor: Bulk.uploadFirst,
                serializer: RawBytesSerializer(),
                deserializer: RawBytesSerializer(),
                options: CallOptions(timeout: .seconds(120))
            )
            #expect(String(decoding: response.message, as: UTF8.self) == String(Bulk.chunk))
        }
    }

    // Without the deadline the writer would wait for ever; the time limit catches that.
    @Test("A deadline ends a client stream whose writer is blocked by flow control", .timeLimit(.minutes(3)))
    func deadlineWhileBlockedWriting() async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(1))
        let error = try await withLoopbackPair(services: { _ in [BulkService()] }) { client, _ in
            await #expect(throws: RPCError.self) {
                // Bulk.ignore never reads the request stream, so the window closes and the writer blocks.
                try await client.bidirectionalStreaming(
                    request: StreamingClientRequest { writer in
                        for index in 0..<1024 { try await writer.write(Bulk.chunk(index)) }
                    },
                    descriptor: Bulk.ignore,
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer(),
                    options: CallOptions(deadline: deadline)
                ) { try await $0.messages.collect() }
            }
        }
        #expect(error?.code == .deadlineExceeded)
    }

    @Test("Streams whose readers stall do not stall other streams on the connection")
    func stalledReadersDoNotBlockOthers() async throws {
        try await withLoopbackPair(services: { _ in [BulkService(), EchoService(probe: Probe())] }) { client, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                let stalled = Probe()
                // 24 calls receive 16 MiB each but read only their first message, then wait.
                for _ in 0..<24 {
                    group.addTask {
                        try await client.serverStreaming(
                            request: ClientRequest(message: [16]),
                            descriptor: Bulk.download,
                            serializer: RawBytesSerializer(),
                            deserializer: RawBytesSerializer(),
                            options: CallOptions(timeout: .seconds(300))
                        ) { response in
                            var iterator = response.messages.makeAsyncIterator()
                            _ = try await iterator.next()
                            stalled.record("stalled")
                            try await Task.sleep(for: .seconds(300))
                        }
                    }
                }
                try await waitUntil { stalled.events.count == 24 }
                let response = try await client.unary(
                    request: ClientRequest(message: "through"),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(timeout: .seconds(60))
                )
                #expect(response.message == "echo: through")
                group.cancelAll()
            }
        }
    }

    @Test("1,000 concurrent calls share one connection")
    func concurrency() async throws {
        let results = try await withLoopbackPair(services: { _ in [EchoService(probe: Probe())] }) { client, _ in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<1000 {
                    group.addTask {
                        let response = try await client.unary(
                            request: ClientRequest(message: String(index)),
                            descriptor: Echo.get,
                            serializer: UTF8Coder(),
                            deserializer: UTF8Coder(),
                            options: CallOptions(timeout: .seconds(300))
                        )
                        return response.message == "echo: \(index)"
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
        }
        #expect(results.count == 1000)
        #expect(results.allSatisfy { $0 })
    }

    @Test("A server allowing 10 concurrent streams still completes 200 concurrent calls (SETTINGS honoured)")
    func maxConcurrentStreams() async throws {
        let serverTransport = HTTP2ServerTransport(
            configuration: .init(host: "127.0.0.1", port: 0, settings: HTTP2Settings(maxConcurrentStreams: 10))
        )
        let server = RPCServer(transport: serverTransport, services: [EchoService(probe: Probe())])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            let port = try await serverTransport.listeningPort()
            try await withRPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port)) { client in
                let replies = try await withThrowingTaskGroup(of: String.self) { calls in
                    for index in 0..<200 {
                        calls.addTask {
                            try await client.serverStreaming(
                                request: ClientRequest(message: "w\(index) x"),
                                descriptor: Echo.expand,
                                serializer: UTF8Coder(),
                                deserializer: UTF8Coder(),
                                options: CallOptions(timeout: .seconds(300))
                            ) { try await $0.messages.collect().joined(separator: " ") }
                        }
                    }
                    return try await calls.reduce(into: Set<String>()) { $0.insert($1) }
                }
                #expect(replies == Set((0..<200).map { "w\($0) x" }))
            }
        }
    }

    @Test("A peer sending garbage bytes is disconnected and the server keeps serving")
    func garbagePeer() async throws {
        try await withLoopbackPair(services: { _ in [EchoService(probe: Probe())] }) { client, port in
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).get()
            var garbage = channel.allocator.buffer(capacity: 1024)
            garbage.writeString("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
            garbage.writeBytes((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
            try await channel.writeAndFlush(garbage).get()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await channel.closeFuture.get() }
                group.addTask {
                    try await Task.sleep(for: .seconds(60))
                    throw RPCError(code: .deadlineExceeded, message: "server did not close the garbage connection")
                }
                try await group.next()
                group.cancelAll()
            }
            try? await channel.close()
            let response = try await client.unary(
                request: ClientRequest(message: "still here"),
                descriptor: Echo.get,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
            #expect(response.message == "echo: still here")
        }
    }

    @Test(
        "A server that goes away mid-call fails the call with UNAVAILABLE; the client reconnects when it is back",
        .timeLimit(.minutes(5))
    )
    func serverRestart() async throws {
        let probe = Probe()
        // A port below Linux's ephemeral range (32768-60999), so that no other test's outgoing
        // connection can be holding it when the second server binds it again.
        var bound: (HTTP2ServerTransport, RPCServer, Task<Void, any Error>, Int)?
        for _ in 0..<50 where bound == nil {
            let candidate = Int.random(in: 20_000..<32_000)
            let transport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: candidate))
            let server = RPCServer(transport: transport, services: [EchoService(probe: probe)])
            let task = Task { try await server.serve() }
            if (try? await transport.listeningPort()) != nil {
                bound = (transport, server, task, candidate)
            } else {
                _ = await task.result
            }
        }
        let (_, _, serving, port) = try #require(bound, "no free port below the ephemeral range")
        try await withRPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port)) { client in
            let call = Task {
                try await client.serverStreaming(
                    request: ClientRequest(message: ""),
                    descriptor: Echo.sleep,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    // Only bounds a hang: the server's going away must end the call, and on a
                    // loaded machine reaching that point once took over 30 s.
                    options: CallOptions(timeout: .seconds(280))
                ) { try await $0.messages.collect() }
            }
            try await waitUntil { probe.events.contains("sleep-started") }
            serving.cancel()
            _ = await serving.result
            if case .failure(let error as RPCError) = await call.result {
                #expect(error.code == .unavailable)
            } else {
                Issue.record("the call did not fail with UNAVAILABLE")
            }
            // The port is free again; binding is still retried, boundedly, as a restarting server would.
            var attempt = 0
            while true {
                attempt += 1
                do {
                    let second = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: port))
                    let secondServer = RPCServer(transport: second, services: [EchoService(probe: Probe())])
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await secondServer.serve() }
                        defer { secondServer.beginGracefulShutdown() }
                        _ = try await second.listeningPort()
                        // The old connection may still look usable for a moment; UNAVAILABLE is retryable.
                        let policy = RetryPolicy(
                            maxAttempts: 3,
                            initialBackoff: .milliseconds(50),
                            maxBackoff: .milliseconds(100),
                            backoffMultiplier: 2,
                            retryableStatusCodes: [.unavailable]
                        )
                        let response = try await client.unary(
                            request: ClientRequest(message: "again"),
                            descriptor: Echo.get,
                            serializer: UTF8Coder(),
                            deserializer: UTF8Coder(),
                            options: CallOptions(timeout: .seconds(10), retryPolicy: policy)
                        )
                        #expect(response.message == "echo: again")
                    }
                    break
                } catch let error as RPCError where "\(error)".contains("Address already in use") && attempt < 40 {
                    try await Task.sleep(for: .milliseconds(250))
                }
            }
        }
    }

    @Test("Graceful shutdown lets an in-flight call finish, then serve() returns")
    func gracefulShutdown() async throws {
        let serverTransport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: 0))
        let server = RPCServer(transport: serverTransport, services: [EchoService(probe: Probe())])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            let port = try await serverTransport.listeningPort()
            let client = RPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port))
            group.addTask { try await client.runConnections() }
            let words = try await client.serverStreaming(
                request: ClientRequest(message: "one two three"),
                descriptor: Echo.expand,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            ) { response in
                var iterator = response.messages.makeAsyncIterator()
                var words = [try await iterator.next()]
                server.beginGracefulShutdown()
                while let word = try await iterator.next() { words.append(word) }
                return words
            }
            #expect(words == ["one", "two", "three"])
            client.beginGracefulShutdown()
            try await group.waitForAll()
        }
    }
}

/// Polls `condition` every 10 ms for at most 60 seconds (other suites may hold the machine for a while).
func waitUntil(_ condition: @Sendable () -> Bool) async throws {
    for _ in 0..<6000 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition not met within 60 seconds")
}
