import FerryRPC
import RPCTestSupport
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

    @Test(
        "A deadline that fires mid-stream fails the call with DEADLINE_EXCEEDED at that instant and cancels the handler"
    )
    func deadlineMidStream() async throws {
        let probe = Probe()
        // The in-process server times the same deadline on the real clock; starting this clock an
        // hour ahead keeps that timer out of the test (it fired first when the steps below took
        // over 2 s of real time on a loaded machine). The client's deadline is what is tested.
        let clock = ManualClock(start: .now.advanced(by: .seconds(3600)))
        let deadline = clock.now.advanced(by: .seconds(2))
        let error = try await withInProcessPair(services: { _ in [EchoService(probe: probe)] }, clock: clock) {
            client in
            let ended = Probe()
            let call = Task {
                defer { ended.record("ended") }
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
            try await waitUntil { probe.events.contains("client-got-first") }
            #expect(probe.events.contains("sleep-has-deadline"))
            // The deadline is the clock's only sleeper: 1 ms before it nothing ends, at it the call does.
            #expect(await clock.waitForSleepers(1))
            clock.advance(by: .milliseconds(1999))
            try await Task.sleep(for: .milliseconds(50))
            #expect(ended.events.isEmpty)
            clock.advance(by: .milliseconds(1))
            return await failure(of: call)
        }
        #expect(error?.code == .deadlineExceeded)
        try await waitUntil { probe.events.contains("sleep-cancelled") }
    }

    @Test("A call whose deadline passes throws DEADLINE_EXCEEDED even when the response handler ignores the stream")
    func deadlineWholeCall() async throws {
        let clock = ManualClock()
        let deadline = clock.now.advanced(by: .milliseconds(200))
        let error = try await withInProcessPair(services: { _ in [EchoService(probe: Probe())] }, clock: clock) {
            client in
            let call = Task {
                try await client.serverStreaming(
                    request: ClientRequest(message: ""),
                    descriptor: Echo.sleep,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(deadline: deadline)
                ) { response in try await response.messages.collect() }
            }
            #expect(await clock.waitForSleepers(1))
            clock.advance(to: deadline)
            return await failure(of: call)
        }
        #expect(error?.code == .deadlineExceeded)
    }

    @Test("Cancelling the caller's task cancels the server handler promptly")
    func cancellation() async throws {
        let probe = Probe()
        try await withInProcessPair(services: { _ in [EchoService(probe: probe)] }) { client in
            let call = Task {
                try await client.serverStreaming(
                    request: ClientRequest(message: ""),
                    descriptor: Echo.sleep,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
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
                request: ClientRequest(message: "x"),
                descriptor: Echo.flaky,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: CallOptions(retryPolicy: Self.retryPolicy)
            )
        }
        #expect(response.message == "finally")
        #expect(
            probe.events == [
                "flaky-attempt previous=none", "flaky-attempt previous=1", "flaky-attempt previous=2",
            ]
        )
    }

    @Test("Retries stop at maxAttempts and the last failure is thrown")
    func retryExhausted() async throws {
        let probe = Probe()
        let error = try await withInProcessPair(services: { _ in [EchoService(probe: probe, flakyFailures: 10)] }) {
            client in
            await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "x"),
                    descriptor: Echo.flaky,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
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
                    request: ClientRequest(message: String(Status.Code.invalidArgument.rawValue)),
                    descriptor: Echo.fail,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(retryPolicy: Self.retryPolicy)
                )
            }
        }
        #expect(error?.code == .invalidArgument)
        #expect(probe.count("fail-attempt") == 1)
    }

    @Test("A retry policy from service-config JSON applies, and a retry never outlives the deadline")
    func retryFromServiceConfigRespectsDeadline() async throws {
        let config = try ServiceConfig(
            json: """
                {"methodConfig":[{"name":[{"service":"ferry.test.Echo"}],
                  "retryPolicy":{"maxAttempts":5,"initialBackoff":"2s","maxBackoff":"2s","backoffMultiplier":1,
                                 "retryableStatusCodes":["UNAVAILABLE"]}}]}
                """
        )
        let probe = Probe()
        let clock = ManualClock()
        let deadline = clock.now.advanced(by: .milliseconds(300))
        let error = try await withInProcessPair(
            services: { _ in [EchoService(probe: probe, flakyFailures: 10)] },
            serviceConfig: config,
            clock: clock
        ) { client in
            let ended = Probe()
            let call = Task {
                defer { ended.record("ended") }
                return try await client.unary(
                    request: ClientRequest(message: "x"),
                    descriptor: Echo.flaky,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(deadline: deadline)
                )
            }
            // Each backoff is random below 2 s: one that would end past the deadline is not waited
            // for (the call gives up at once); a shorter one is, and must end before the deadline.
            // Both ends sleep on the clock until the deadline; a backoff is the one sleeper before it.
            for _ in 0..<10 {
                guard await clock.waitForSleeper(before: deadline, unless: { !ended.events.isEmpty }),
                    ended.events.isEmpty
                else {
                    break
                }
                let wake = try #require(clock.nextWakeUp)
                #expect(wake < deadline)
                clock.advance(to: wake)
            }
            if ended.events.isEmpty {
                Issue.record("the call neither backed off nor ended")
                call.cancel()
            }
            return await failure(of: call)
        }
        #expect(error?.code == .unavailable)
        #expect(clock.now < deadline)
        #expect(probe.events.count < 5)
    }

    @Test("A call made inside a handler inherits the handler's deadline unless told not to")
    func deadlineInheritance() async throws {
        let probe = Probe()
        // A clock that never moves: the 60 s deadlines are stated, never reached, however slowly
        // a loaded machine runs the calls.
        try await withInProcessPair(
            services: { client in [EchoService(probe: probe, relayClient: client)] },
            clock: ManualClock()
        ) { client in
            for (message, timeout, expected) in [
                ("inherit", Duration?.some(.seconds(60)), "has deadline"),
                ("detach", .some(.seconds(60)), "no deadline"),
                ("inherit", nil, "no deadline"),
            ] {
                let response = try await client.unary(
                    request: ClientRequest(message: message),
                    descriptor: Echo.relay,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(timeout: timeout)
                )
                #expect(response.message == expected, "\(message) with timeout \(String(describing: timeout))")
            }
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
