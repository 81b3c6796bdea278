import FerryRPC
import Testing

@Suite("Duration to nanoseconds, saturating")
struct DurationNanosecondsTests {
    @Test("exact in range, clamped outside it, negative spans kept negative")
    func saturating() {
        #expect((Duration.seconds(1) + .nanoseconds(5)).saturatingNanoseconds == 1_000_000_005)
        #expect(Duration.milliseconds(-1_500).saturatingNanoseconds == -1_500_000_000)
        #expect(Duration.zero.saturatingNanoseconds == 0)
        #expect(Duration.seconds(Int64.max).saturatingNanoseconds == .max)
        #expect(Duration.seconds(Int64.min).saturatingNanoseconds == .min)
        #expect(Duration.seconds(9_223_372_036).saturatingNanoseconds == 9_223_372_036_000_000_000)
        #expect((Duration.seconds(9_223_372_036) + .seconds(1)).saturatingNanoseconds == .max)
    }
}
