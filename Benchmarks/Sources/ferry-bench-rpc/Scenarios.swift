#if canImport(Glibc)
import Glibc
#endif

/// Nanoseconds on the monotonic clock.
func monotonicNanos() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
}

/// One measurement's figures; which ones are set depends on the scenario.
struct Measurement: Sendable {
    var operations = 0
    var seconds = 0.0
    var serverCPUSeconds = 0.0
    var p50Microseconds = Double.nan
    var p99Microseconds = Double.nan
    var baselineRSS = 0
    var loadedRSS = 0
    var connections = 0

    var perSecond: Double { Double(operations) / seconds }
    var serverCPUPer100k: Double { serverCPUSeconds / Double(operations) * 100_000 }
    var perServerCPUSecond: Double { Double(operations) / serverCPUSeconds }
    var rssPerConnection: Double { Double(loadedRSS - baselineRSS) / Double(max(connections, 1)) }
}

/// The load scenarios; the same code drives every client implementation against every server.
enum Scenarios {
    /// Unary calls from `concurrency` callers spread over `connections` connections, each caller
    /// making one call after another: a warm-up, then `seconds` of measurement.
    static func unary(
        client implementation: Implementation,
        server: ServerProcess,
        connections: Int,
        concurrency: Int,
        seconds: Double,
        warmup: Double
    ) async throws -> Measurement {
        var clients: [any LoadClient] = []
        for _ in 0..<connections { clients.append(try await implementation.makeClient(port: server.port)) }
        let pool = clients
        func load(for duration: Double) async throws -> (latencies: [Int64], elapsed: Double) {
            let start = monotonicNanos()
            let end = start + Int64(duration * 1e9)
            let latencies = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 0..<concurrency {
                    let client = pool[worker % pool.count]
                    group.addTask {
                        var samples: [Int64] = []
                        samples.reserveCapacity(1 << 16)
                        var id = UInt64(worker) << 32
                        while true {
                            let before = monotonicNanos()
                            if before >= end { break }
                            id += 1
                            try await client.unary(requestID: id)
                            samples.append(monotonicNanos() - before)
                        }
                        return samples
                    }
                }
                var all: [Int64] = []
                for try await samples in group { all.append(contentsOf: samples) }
                return all
            }
            return (latencies, Double(monotonicNanos() - start) / 1e9)
        }
        _ = try await load(for: warmup)
        let cpuBefore = server.cpuSeconds()
        var (latencies, elapsed) = try await load(for: seconds)
        let cpuAfter = server.cpuSeconds()
        for client in clients { await client.close() }
        latencies.sort()
        var result = Measurement()
        result.operations = latencies.count
        result.seconds = elapsed
        result.serverCPUSeconds = cpuAfter - cpuBefore
        result.p50Microseconds = percentile(latencies, 0.50)
        result.p99Microseconds = percentile(latencies, 0.99)
        return result
    }

    /// Server-streaming calls one after another on one connection, `messagesPerCall` each.
    static func streaming(
        client implementation: Implementation,
        server: ServerProcess,
        messagesPerCall: Int,
        seconds: Double,
        warmup: Double
    ) async throws -> Measurement {
        let client = try await implementation.makeClient(port: server.port)
        func load(for duration: Double) async throws -> (messages: Int, elapsed: Double) {
            let start = monotonicNanos()
            let end = start + Int64(duration * 1e9)
            var messages = 0
            while monotonicNanos() < end {
                let received = try await client.stream(count: messagesPerCall)
                guard received == messagesPerCall else {
                    throw EchoService.MismatchError(
                        description: "asked for \(messagesPerCall) messages, got \(received)"
                    )
                }
                messages += received
            }
            return (messages, Double(monotonicNanos() - start) / 1e9)
        }
        _ = try await load(for: warmup)
        let cpuBefore = server.cpuSeconds()
        let (messages, elapsed) = try await load(for: seconds)
        let cpuAfter = server.cpuSeconds()
        await client.close()
        var result = Measurement()
        result.operations = messages
        result.seconds = elapsed
        result.serverCPUSeconds = cpuAfter - cpuBefore
        return result
    }

    /// The server's resident memory with `count` idle connections, each of which made one call
    /// (so the HTTP/2 handshake is complete), against its memory before they opened.
    static func idleConnections(
        client implementation: Implementation,
        server: ServerProcess,
        count: Int
    ) async throws -> Measurement {
        // Let the server settle after start-up and warm its code paths with a few calls.
        let warm = try await implementation.makeClient(port: server.port)
        for id in 0..<100 { try await warm.unary(requestID: UInt64(id)) }
        await warm.close()
        try await Task.sleep(for: .milliseconds(500))
        var result = Measurement()
        result.baselineRSS = server.residentBytes()
        var clients: [any LoadClient] = []
        clients.reserveCapacity(count)
        let batch = 50
        var opened = 0
        while opened < count {
            let size = min(batch, count - opened)
            let fresh = try await withThrowingTaskGroup(of: (any LoadClient).self) { group in
                for _ in 0..<size { group.addTask { try await implementation.makeClient(port: server.port) } }
                var made: [any LoadClient] = []
                for try await client in group { made.append(client) }
                return made
            }
            clients.append(contentsOf: fresh)
            opened += size
        }
        try await Task.sleep(for: .seconds(1))
        result.loadedRSS = server.residentBytes()
        result.connections = clients.count
        await withTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { await client.close() } }
        }
        return result
    }

    static func percentile(_ sorted: [Int64], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.down)))
        return Double(sorted[index]) / 1000
    }
}
