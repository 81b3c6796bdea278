import RPCTestSupport
import Testing

/// The test clock itself: a wait that gives up must not leave the test hanging on the clock.
@Suite("ManualClock, the injected clock of the timing tests")
struct ManualClockTests {
    @Test("a sleeper wakes when time reaches its instant, not before")
    func advance() async throws {
        let clock = ManualClock()
        let wake = clock.now.advanced(by: .seconds(5))
        let sleeper = Task { try await clock.sleep(until: wake) }
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .seconds(4))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        try await sleeper.value
        #expect(clock.sleeperCount == 0)
    }

    @Test("a wait that gives up stops the clock: sleepers then and later throw instead of waiting for ever")
    func givingUpStops() async throws {
        let clock = ManualClock()
        let early = Task { try await clock.sleep(until: clock.now.advanced(by: .seconds(60))) }
        #expect(await clock.waitForSleepers(1))
        // Two sleepers never come: the wait gives up after its looks.
        #expect(await clock.waitForSleepers(2, timeout: .milliseconds(20)) == false)
        await #expect(throws: CancellationError.self) { try await early.value }
        await #expect(throws: CancellationError.self) {
            try await clock.sleep(until: clock.now.advanced(by: .seconds(1)))
        }
    }
}
