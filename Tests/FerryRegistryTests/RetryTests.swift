import Foundation
import Synchronization
import Testing

@testable import FerryRegistry
@testable import FerryRegistryClient

/// Answers requests from a script, one entry per attempt, and records what was asked.
final class ScriptedTransport: RegistryTransport {
    enum Step: Sendable {
        case answer(Int, String)
        case unreachable
    }

    private let state: Mutex<(steps: [Step], methods: [String])>

    init(_ steps: [Step]) { state = Mutex((steps, [])) }

    var attempts: Int { state.withLock { $0.methods.count } }

    func send(_ request: RegistryHTTPRequest) async throws(RegistryError) -> (status: Int, body: [UInt8]) {
        let step = state.withLock { state -> Step in
            state.methods.append(request.method)
            return state.steps.isEmpty ? .unreachable : state.steps.removeFirst()
        }
        switch step {
        case .answer(let status, let body): return (status, Array(body.utf8))
        case .unreachable: throw RegistryError(.transportError, "connection refused")
        }
    }
}

/// Records the waits a client asks for instead of waiting.
final class RecordedSleeps: Sendable {
    private let waits = Mutex<[Duration]>([])
    var all: [Duration] { waits.withLock { $0 } }
    func sleep(_ duration: Duration) async throws { waits.withLock { $0.append(duration) } }
}

@Suite("HTTPRegistryClient retries with backoff")
struct RetryTests {
    @Test("no answer and 503 are retried with growing, jittered waits; the third attempt's answer stands")
    func retriesThenSucceeds() async throws {
        let transport = ScriptedTransport([
            .unreachable, .answer(503, #"{"error_code":50001,"message":"busy"}"#), .answer(200, #"["orders-value"]"#),
        ])
        let sleeps = RecordedSleeps()
        let client = HTTPRegistryClient(transport: transport, caching: false, sleep: sleeps.sleep)
        #expect(try await client.subjects() == ["orders-value"])
        #expect(transport.attempts == 3)
        let waits = sleeps.all
        #expect(waits.count == 2)
        #expect(waits[0] > .milliseconds(79) && waits[0] <= .milliseconds(100))
        #expect(waits[1] > .milliseconds(159) && waits[1] <= .milliseconds(200))
    }

    @Test("a client error is not retried, nor is a DELETE; after the last attempt its error stands")
    func notRetried() async throws {
        let notFound = ScriptedTransport([.answer(404, #"{"error_code":40401,"message":"Subject 'x' not found."}"#)])
        let client = HTTPRegistryClient(transport: notFound, caching: false, sleep: RecordedSleeps().sleep)
        let error = await #expect(throws: RegistryError.self) { try await client.version(subject: "x", .latest) }
        #expect(error?.code == .subjectNotFound)
        #expect(notFound.attempts == 1)

        #expect(!RegistryRetryPolicy.isRetryable(method: "DELETE", status: 503))
        #expect(!RegistryRetryPolicy.isRetryable(method: "DELETE", status: nil))
        #expect(RegistryRetryPolicy.isRetryable(method: "POST", status: 429))
        #expect(!RegistryRetryPolicy.isRetryable(method: "GET", status: 409))

        let down = ScriptedTransport([])
        let sleeps = RecordedSleeps()
        let patient = HTTPRegistryClient(
            transport: down,
            caching: false,
            retryPolicy: RegistryRetryPolicy(maxAttempts: 4),
            sleep: sleeps.sleep
        )
        let unreachable = await #expect(throws: RegistryError.self) { try await patient.subjects() }
        #expect(unreachable?.code == .transportError)
        #expect(down.attempts == 4 && sleeps.all.count == 3)
    }

    @Test("backoff: initial, times the multiplier, capped, less at most the jitter share")
    func backoff() {
        let policy = RegistryRetryPolicy(
            initialBackoff: .milliseconds(100),
            maxBackoff: .milliseconds(300),
            multiplier: 2,
            jitter: 0.2
        )
        #expect(policy.backoff(after: 1, random: 0) == .milliseconds(100))
        #expect(policy.backoff(after: 2, random: 0) == .milliseconds(200))
        #expect(policy.backoff(after: 3, random: 0) == .milliseconds(300))
        #expect(policy.backoff(after: 9, random: 0) == .milliseconds(300))
        #expect(policy.backoff(after: 1, random: 1) == .milliseconds(80))
        #expect(RegistryRetryPolicy.none.maxAttempts == 1)
    }
}
