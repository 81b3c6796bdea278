/// How long to measure, per the README in ../shared/bench.
struct MeasurementSettings {
    var warmUpSeconds = 0.1
    var secondsPerMeasurement = 1.0
    var measurements = 5
}

/// Per-pass times of one operation: `measurements` runs of `iterations` passes each.
struct Timing {
    let iterations: Int
    /// Seconds per pass, one value per measurement, in the order measured.
    let perPass: [Double]

    var best: Double { perPass.min() ?? .nan }

    var median: Double {
        let sorted = perPass.sorted()
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}

/// Written by every pass so the optimizer cannot drop work whose result is otherwise unused.
nonisolated(unsafe) var blackHole = 0

/// Times `pass`: a warm-up of at least `warmUpSeconds`, then `measurements` runs of as many
/// passes as fill about `secondsPerMeasurement` of CPU time.
func measure(_ settings: MeasurementSettings, _ pass: () throws -> Int) rethrows -> Timing {
    var warmPasses = 0
    let warmStart = CPUClock.now()
    var elapsed = 0.0
    repeat {
        blackHole &+= try pass()
        warmPasses += 1
        elapsed = CPUClock.now() - warmStart
    } while elapsed < settings.warmUpSeconds
    let estimate = Swift.max(elapsed / Double(warmPasses), 1e-9)
    let iterations = Swift.max(1, Int((settings.secondsPerMeasurement / estimate).rounded(.up)))

    var perPass: [Double] = []
    for _ in 0..<settings.measurements {
        let start = CPUClock.now()
        for _ in 0..<iterations {
            blackHole &+= try pass()
        }
        perPass.append((CPUClock.now() - start) / Double(iterations))
    }
    return Timing(iterations: iterations, perPass: perPass)
}
