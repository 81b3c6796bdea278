import FerryRPC
import Testing

@Suite("Deadlines, cancellation and retries over the in-process transport")
struct DeadlineRetryTests {
    static let retryPolicy = RetryPolicy(
        maxAttempts: 3,
        initialBackoff: .milliseconds(10),
        maxBackoff: .milliseconds(50),
        backoffMultiplier: 2,
        retryableStatusCodes: [.unavailable]
    )

    @Test("A deadline that fires mid-stream fails the call with DEADLINE_EXCEEDED on time and cancels the handler")
    func deadlineMidStream() async throws {
        let probe = Probe()
        let start = ContinuousClock.now
        let error = try await withInProcessPair(services: { _ in [EchoService(probe: probe)] }) { client in
            await #expect(throws: RPCError.self) {
                try await client.serverStreaming(
                    request: ClientRequest(message: ""), descriptor: Echo.sleep,
                    serializer: UTF8Coder(), deserializer: UTF8Coder(),
                    options: CallOptions(timeout: .seconds(2))
                ) { response in
                    for try await message in response.messages { probe.record("client-got-\(message)") }
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        #expect(probe.events.contains("client-got-first"))
        #expect(error?.code == .deadlineExceeded)
        #expect(elapsed < .seconds(5))
        #expect(probe.events.contains("sleep-has-deadline"))
        try await waitUntil { probe.events.contains("sleep-cancelled") }
    }

    @Test("A call whose deadline passes throws DEADLINE_EXCEEDED even when the response handler ignores the stream")
    func deadlineWholeCall() async throws {
        let start = ContinuousClock.now
        let error = try await withInProcessPair(services: { _ in [EchoService(probe: Probe())] }) { client in
            await #expect(throws: RPCError.self) {
                try await client.serverStreaming(
                    request: ClientRequest(message: ""), descriptor: Echo.sleep,
                    serializer: UTF8Coder(), deserializer: UTF8Coder(),
                    options: CallOptions(deadline: .now.advanced(by: .milliseconds(200)))
                ) { response in try await response.messages.collect() }
            }
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test("Cancelling the caller's task cancels the server handler promptly")
    func cancellation() async throws {
        let probe = Probe()
        try await withInProcessPair(services: { _ in [EchoService(probe: probe)] }) { client in
            let call = Task {
                try await client.serverStreaming(
                    request: ClientRequest(message: ""), descriptor: Echo.sleep,
                    serializer: UTF8Coder(), deserializer: UTF8Coder()
                ) { response in try await response.messages.collect() }
            }
            try await waitUntil { probe.events.contains("sleep-started") }
            call.cancel()
            let result = await call.result
            #expect(throws: RPCError.self) { try result.get() }
            if case .failure(let error as RPCError) = result { #expect(error.code == .cancelled) }
            try await waitUntil { probe.events.contains("sleep-cancelled") }
        }
    }

    @Test("A retry succeeds on the third attempt after two UNAVAILABLE failures, sending grpc-previous-rpc-attempts")
    func retrySucceeds() async throws {
        let probe = Probe()
        let response = try await withInProcessPair(services: { _ in [EchoService(probe: probe)] }) { client in
            try await client.unary(
                request: ClientRequest(message: "x"), descriptor: Echo.flaky,
                serializer: UTF8Coder(), deserializer: UTF8Coder(),
                options: CallOptions(retryPolicy: Self.retryPolicy)
            )
        }
        #expect(response.message == "finally")
        #expect(probe.events == [
            "flaky-attempt previous=none", "flaky-attempt previous=1", "flaky-attempt previous=2",
        ])
    }

    @Test("Retries stop at maxAttempts and the last failure is thrown")
    func retryExhausted() async throws {
        let probe = Probe()
        let error = try await withInProcessPair(services: { _ in [EchoService(probe: probe, flakyFailures: 10)] }) { client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "x"), descriptor: Echo.flaky,
                    serializer: UTF8Coder(), deserializer: UTF8Coder(),
                    options: CallOptions(retryPolicy: Self.retryPolicy)
                )
            }
        }
        #expect(error?.code == .unavailable)
        #expect(probe.events.count == 3)
    }

    @Test("A non-retryable status is not retried")
    func nonRetryable() async throws {
        let probe = Probe()
        let error = try await withInProcessPair(services: { _ in [EchoService(probe: probe)] }) { client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: String(Status.Code.invalidArgument.rawValue)), descriptor: Echo.fail,
                    serializer: UTF8Coder(), deserializer: UTF8Coder(),
                    options: CallOptions(retryPolicy: Self.retryPolicy)
                )
            }
        }
        #expect(error?.code == .invalidArgument)
        #expect(probe.count("fail-attempt") == 1)
    }

    @Test("A retry policy from service-config JSON applies, and a retry never outlives the deadline")
    func retryFromServiceConfigRespectsDeadline() async throws {
        let config = try ServiceConfig(json: """
            {"methodConfig":[{"name":[{"service":"ferry.test.Echo"}],
              "retryPolicy":{"maxAttempts":5,"initialBackoff":"2s","maxBackoff":"2s","backoffMultiplier":1,
                             "retryableStatusCodes":["UNAVAILABLE"]}}]}
            """)
        let probe = Probe()
        let start = ContinuousClock.now
        let error = try await withInProcessPair(services: { _ in [EchoService(probe: probe, flakyFailures: 10)] }, serviceConfig: config) { client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "x"), descriptor: Echo.flaky,
                    serializer: UTF8Coder(), deserializer: UTF8Coder(),
                    options: CallOptions(timeout: .milliseconds(300))
                )
            }
        }
        #expect(error?.code == .unavailable || error?.code == .deadlineExceeded)
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(probe.events.count < 5)
    }

    @Test("A call made inside a handler inherits the handler's remaining deadline")
    func deadlineInheritance() async throws {
        let probe = Probe()
        let error = try await withInProcessPair(services: { client in [EchoService(probe: probe, relayClient: client)] }) { client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "x"), descriptor: Echo.relay,
                    serializer: UTF8Coder(), deserializer: UTF8Coder(),
                    options: CallOptions(timeout: .seconds(2))
                )
            }
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(probe.events.contains("sleep-has-deadline"))
    }
}

/// Polls `condition` every 10 ms for at most 5 seconds.
func waitUntil(_ condition: @Sendable () -> Bool) async throws {
    for _ in 0..<500 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition not met within 5 seconds")
}
