#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-thread CPU time: on a machine shared with other people's builds it counts only the time
/// this thread ran, so time slices lost to other processes do not inflate a measurement.
enum CPUClock {
    /// The label the README's `RESULT` lines use for this clock.
    static let label = "cpu"

    /// Seconds of CPU time the calling thread has used.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
