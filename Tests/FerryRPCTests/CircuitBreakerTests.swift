import FerryRPC
import RPCTestSupport
import Synchronization
import Testing

/// Circuit breakers and bulkheads around a client's calls, against the echo service over the
/// in-process transport; time is a manual clock.
@Suite("Circuit breaker and bulkhead interceptor")
struct CircuitBreakerTests {
    /// Calls `Echo.fail` with a status code (it fails with that code) or `Echo.get` (it succeeds).
    func call(_ client: RPCClient, failingWith code: Status.Code? = nil) async -> Status.Code {
        do {
            if let code {
                _ = try await client.unary(
                    request: ClientRequest(message: String(code.rawValue)),
                    descriptor: Echo.fail,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            } else {
                _ = try await client.unary(
                    request: ClientRequest(message: "x"),
                    descriptor: Echo.get,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                )
            }
            return .ok
        } catch {
            return error.code
        }
    }

    @Test("Five failures in a row open the breaker: calls fail fast without reaching the server until a probe succeeds")
    func opensAndRecovers() async throws {
        let clock = ManualClock()
        let probe = Probe()
        let breakers = CircuitBreakerInterceptor(
            policy: CircuitBreakerPolicy(consecutiveFailures: 5, openDuration: .seconds(10)),
            clock: clock
        )
        let breaker = breakers.breaker(for: Echo.get)
        let events = breaker.stateChanges()
        try await withInProcessPair(
            services: { _ in [EchoService(probe: probe)] },
            clock: clock,
            interceptors: [breakers]
        ) { client in
            for _ in 0..<5 { #expect(await call(client, failingWith: .unavailable) == .unavailable) }
            #expect(breaker.state == .open)
            let reached = probe.events.count
            // Open: every call fails at once, none reaches the server.
            for _ in 0..<3 { #expect(await call(client) == .unavailable) }
            #expect(probe.events.count == reached)
            clock.advance(by: .seconds(9))
            #expect(await call(client) == .unavailable)
            // After the open duration one probe goes through; it fails, so the breaker opens again.
            clock.advance(by: .seconds(1))
            #expect(await call(client, failingWith: .unavailable) == .unavailable)
            #expect(probe.events.count == reached + 1)
            #expect(breaker.state == .open)
            clock.advance(by: .seconds(10))
            // This probe succeeds and closes the breaker.
            #expect(await call(client) == .ok)
            #expect(breaker.state == .closed)
            #expect(await call(client) == .ok)
        }
        var seen: [String] = []
        for await event in events {
            seen.append("\(event.from.rawValue)->\(event.to.rawValue): \(event.reason)")
            if seen.count == 5 { break }
        }
        #expect(
            seen == [
                "closed->open: 5 failures in a row",
                "open->half-open: open for 10.0 seconds",
                "half-open->open: a probe failed",
                "open->half-open: open for 10.0 seconds",
                "half-open->closed: 1 probes succeeded",
            ]
        )
    }

    @Test("The failure ratio opens the breaker once the window holds minimumCalls; old calls leave the window")
    func failureRatio() async throws {
        let clock = ManualClock()
        let breakers = CircuitBreakerInterceptor(
            policy: CircuitBreakerPolicy(
                failureRatio: 0.5,
                minimumCalls: 10,
                window: .seconds(10),
                consecutiveFailures: nil
            ),
            clock: clock
        )
        let breaker = breakers.breaker(for: Echo.get)
        try await withInProcessPair(
            services: { _ in [EchoService(probe: Probe())] },
            clock: clock,
            interceptors: [breakers]
        ) { client in
            // Four failures, then ten seconds later they have left the window.
            for _ in 0..<4 { _ = await call(client, failingWith: .internalError) }
            clock.advance(by: .seconds(11))
            for _ in 0..<5 { _ = await call(client) }
            for _ in 0..<4 { _ = await call(client, failingWith: .deadlineExceeded) }
            #expect(breaker.state == .closed, "4 of 9 recent calls failed, below 10 calls")
            _ = await call(client, failingWith: .unavailable)
            #expect(breaker.state == .open, "5 of 10 failed")
        }
    }

    @Test("A status that is the caller's fault (INVALID_ARGUMENT, NOT_FOUND) does not count as a failure")
    func callerErrorsDoNotCount() async throws {
        let breakers = CircuitBreakerInterceptor(
            policy: CircuitBreakerPolicy(consecutiveFailures: 2),
            clock: ManualClock()
        )
        try await withInProcessPair(services: { _ in [EchoService(probe: Probe())] }, interceptors: [breakers]) {
            client in
            for _ in 0..<10 {
                #expect(await call(client, failingWith: .invalidArgument) == .invalidArgument)
                #expect(await call(client, failingWith: .notFound) == .notFound)
            }
            #expect(breakers.breaker(for: Echo.get).state == .closed)
        }
    }

    @Test("The bulkhead fails a call beyond maxConcurrentCalls with RESOURCE_EXHAUSTED and admits again once one ends")
    func bulkhead() async throws {
        let probe = Probe()
        let breakers = CircuitBreakerInterceptor(
            policy: CircuitBreakerPolicy(maxConcurrentCalls: 2),
            policies: [Echo.service + "/Sleep": CircuitBreakerPolicy(maxConcurrentCalls: 2)]
        )
        try await withInProcessPair(services: { _ in [EchoService(probe: probe)] }, interceptors: [breakers]) {
            client in
            let sleepers = (0..<2).map { _ in
                Task {
                    try await client.serverStreaming(
                        request: ClientRequest(message: ""),
                        descriptor: Echo.sleep,
                        serializer: UTF8Coder(),
                        deserializer: UTF8Coder()
                    ) { response in try await response.messages.collect() }
                }
            }
            let sleepBreaker = breakers.breaker(for: Echo.sleep)
            try await waitUntil { sleepBreaker.callsInFlight == 2 }
            // Both handlers run before the sleepers are cancelled, so the count at the end can only
            // differ from two if the third call reached the server.
            try await waitUntil { probe.events.filter { $0 == "sleep-started" }.count == 2 }
            do {
                _ = try await client.serverStreaming(
                    request: ClientRequest(message: ""),
                    descriptor: Echo.sleep,
                    serializer: UTF8Coder(),
                    deserializer: UTF8Coder()
                ) { response in try await response.messages.collect() }
                Issue.record("a third call went through")
            } catch let error as RPCError {
                #expect(error.code == .resourceExhausted)
            }
            // Other methods have a bulkhead of their own.
            #expect(await call(client) == .ok)
            for sleeper in sleepers { sleeper.cancel() }
            for sleeper in sleepers { _ = await sleeper.result }
            try await waitUntil { sleepBreaker.callsInFlight == 0 }
            #expect(sleepBreaker.state == .closed, "cancelled calls are not failures")
        }
        #expect(probe.events.filter { $0 == "sleep-started" }.count == 2, "the refused call never reached the server")
    }
}
