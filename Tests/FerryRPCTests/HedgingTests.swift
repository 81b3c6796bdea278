import FerryRPC
import RPCTestSupport
import Testing

/// Hedging, retry throttling and deadlines on an injected clock: every delay is exact.
@Suite("Hedging, throttling and deadlines on a manual clock")
struct HedgingTests {
    @Test("A hedged attempt sent after hedgingDelay answers; the first attempt is cancelled")
    func hedgedAttemptWins() async throws {
        let probe = Probe()
        let clock = ManualClock()
        let config = try ServiceConfig(
            json: """
                {"methodConfig": [{"name": [{"service": "ferry.test.Echo", "method": "Hedge"}],
                   "hedgingPolicy": {"maxAttempts": 3, "hedgingDelay": "0.2s"}}]}
                """
        )
        let response = try await withInProcessPair(
            services: { _ in [EchoService(probe: probe)] },
            serviceConfig: config,
            clock: clock
        ) { client in
            async let call = client.unary(
                request: ClientRequest(message: "x"),
                descriptor: Echo.hedge,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder()
            )
            // The hedging timer is the only sleeper: nothing else happens until it fires.
            try await waitUntil { probe.events == ["hedge-attempt 0"] }
            #expect(await clock.waitForSleepers(1))
            #expect(clock.sleeperCount == 1)
            let fired = clock.advanceToNextWakeUp()
            #expect(fired.map { $0 - clock.now } == .zero)
            return try await call
        }
        #expect(response.message == "answer from attempt 1")
        try await waitUntil { probe.events.contains("hedge-cancelled 0") }
        #expect(probe.count("hedge-attempt 1") == 1)
        #expect(probe.count("hedge-attempt 2") == 0)
    }

    @Test("Without hedging the same call waits for the slow attempt (the test above is not vacuous)")
    func withoutHedgingTheFirstAttemptIsTheCall() async throws {
        let probe = Probe()
        let clock = ManualClock()
        let error = try await withInProcessPair(services: { _ in [EchoService(probe: probe)] }, clock: clock) {
            client in
            let call = Task {
                try await client.unary(
                    request: ClientRequest(message: "x"),
                    descriptor: Echo.hedge,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(timeout: .seconds(5))
                )
            }
            try await waitUntil { probe.events == ["hedge-attempt 0"] }
            #expect(await clock.waitForSleepers(1))
            // Only the deadline sleeps; at 4.999 s nothing has happened, at 5 s the call fails.
            clock.advance(by: .milliseconds(4999))
            #expect(probe.events == ["hedge-attempt 0"])
            clock.advance(by: .milliseconds(1))
            return await failure(of: call)
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(probe.count("hedge-attempt 1") == 0)
    }

    @Test("A non-fatal status starts the next hedged attempt at once; a fatal one ends the call")
    func nonFatalStatusHedgesAtOnce() async throws {
        let probe = Probe()
        let clock = ManualClock()
        let policy = HedgingPolicy(maxAttempts: 3, hedgingDelay: .seconds(100), nonFatalStatusCodes: [.unavailable])
        try await withInProcessPair(services: { _ in [EchoService(probe: probe, flakyFailures: 2)] }, clock: clock) {
            client in
            // Flaky fails twice with UNAVAILABLE: attempts 2 and 3 start without waiting 100 s.
            let response = try await client.unary(
                request: ClientRequest(message: "x"),
                descriptor: Echo.flaky,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: CallOptions(hedgingPolicy: policy)
            )
            #expect(response.message == "finally")
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(
                    request: ClientRequest(message: "9"),
                    descriptor: Echo.fail,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder(),
                    options: CallOptions(hedgingPolicy: policy)
                )
            }
            #expect(error?.code == .failedPrecondition)
        }
        #expect(
            probe.events.filter { $0.hasPrefix("flaky-attempt") } == [
                "flaky-attempt previous=none", "flaky-attempt previous=1", "flaky-attempt previous=2",
            ]
        )
        #expect(probe.count("fail-attempt") == 1)
    }

    @Test("Throttling stops retries once the token bucket is at half; successes refill it")
    func throttlingStopsRetries() async throws {
        let probe = Probe()
        let clock = ManualClock()
        let config = try ServiceConfig(
            json: """
                {"retryThrottling": {"maxTokens": 4, "tokenRatio": 1},
                 "methodConfig": [{"name": [{"service": "ferry.test.Echo"}],
                   "retryPolicy": {"maxAttempts": 5, "initialBackoff": "1s", "maxBackoff": "1s", "backoffMultiplier": 1,
                                   "retryableStatusCodes": ["UNAVAILABLE"]}}]}
                """
        )
        try await withInProcessPair(
            services: { _ in [EchoService(probe: probe, flakyFailures: 100)] },
            serviceConfig: config,
            clock: clock
        ) { client in
            let call = Task {
                try await client.unary(
                    request: ClientRequest(message: "x"),
                    descriptor: Echo.flaky,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
            // Attempt 1 fails: 3 tokens left (> 2), so one retry after its backoff.
            #expect(await clock.waitForSleepers(1))
            clock.advanceToNextWakeUp()
            // Attempt 2 fails: 2 tokens left, not more than half: no third attempt although the
            // policy allows five.
            let error = await failure(of: call)
            #expect(error?.code == .unavailable)
        }
        #expect(probe.events.count == 2)
    }

    @Test("A retry waits exactly its backoff on the injected clock")
    func retryBackoffOnManualClock() async throws {
        let probe = Probe()
        let clock = ManualClock()
        let policy = RetryPolicy(
            maxAttempts: 3,
            initialBackoff: .seconds(10),
            maxBackoff: .seconds(10),
            backoffMultiplier: 1,
            retryableStatusCodes: [.unavailable]
        )
        let response = try await withInProcessPair(
            services: { _ in [EchoService(probe: probe, flakyFailures: 2)] },
            clock: clock
        ) { client in
            async let call = client.unary(
                request: ClientRequest(message: "x"),
                descriptor: Echo.flaky,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: CallOptions(retryPolicy: policy)
            )
            let start = clock.now
            for expected in 1...2 {
                #expect(await clock.waitForSleepers(1))
                #expect(probe.events.count == expected)
                let wake = try #require(clock.nextWakeUp)
                #expect(wake > clock.now && wake < clock.now.advanced(by: .seconds(10)))
                clock.advance(to: wake)
            }
            #expect(clock.now - start < .seconds(20))
            return try await call
        }
        #expect(response.message == "finally")
        #expect(probe.events.count == 3)
    }
}
