#if canImport(Glibc)
import Glibc
#endif

/// Output: `RESULT` lines per measurement, then medians and the ratios the targets are about.
enum Report {
    static func format(_ value: Double, _ decimals: Int = 1) -> String {
        guard value.isFinite else { return "-" }
        var scaled = value
        for _ in 0..<decimals { scaled *= 10 }
        let rounded = Int64(scaled.rounded())
        if decimals == 0 { return String(rounded) }
        var divisor: Int64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let sign = rounded < 0 ? "-" : ""
        let magnitude = abs(rounded)
        let fraction = String(magnitude % divisor)
        return "\(sign)\(magnitude / divisor).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
    }

    static func resultLine(run: Int, key: Driver.Key, _ m: Measurement) -> String {
        let head =
            "RESULT run=\(run) scenario=\(key.scenario) server=\(key.server.rawValue) client=\(key.client.rawValue)"
        if key.scenario == "idle" {
            return
                """
                \(head) connections=\(m.connections) baseline_rss_kib=\(m.baselineRSS / 1024) \
                rss_kib=\(m.loadedRSS / 1024) per_connection_kib=\(format(m.rssPerConnection / 1024))
                """
        }
        var line = "\(head) ops=\(m.operations) seconds=\(format(m.seconds, 3)) per_s=\(format(m.perSecond, 0))"
        if key.scenario.hasPrefix("unary") {
            line += " p50_us=\(format(m.p50Microseconds)) p99_us=\(format(m.p99Microseconds))"
        }
        line += " server_cpu_s=\(format(m.serverCPUSeconds, 2))"
        line += " server_cpu_s_per_100k=\(format(m.serverCPUPer100k, 2))"
        line += " per_server_cpu_s=\(format(m.perServerCPUSecond, 0))"
        return line
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func summary(_ results: [Driver.Key: [Measurement]], options: Options) -> String {
        var lines: [String] = []
        lines.append("")
        lines.append("Medians over \(options.runs) run(s), \(format(options.seconds)) s per measurement:")
        lines.append("")
        lines.append(
            """
            | scenario | server | client | ops/s | p50 µs | p99 µs | server CPU-s / \
            100k | ops / server CPU-s | RSS / idle conn KiB |
            """
        )
        lines.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        var medians: [Driver.Key: [String: Double]] = [:]
        for key in results.keys.sorted() {
            let runs = results[key] ?? []
            var m: [String: Double] = [:]
            m["perSecond"] = median(runs.map(\.perSecond))
            m["p50"] = median(runs.map(\.p50Microseconds))
            m["p99"] = median(runs.map(\.p99Microseconds))
            m["cpu100k"] = median(runs.map(\.serverCPUPer100k))
            m["perCPU"] = median(runs.map(\.perServerCPUSecond))
            m["rss"] = median(runs.map(\.rssPerConnection)) / 1024
            medians[key] = m
            if key.scenario == "idle" {
                lines.append(
                    """
                    | idle-\(options.idleConnections) | \(key.server.rawValue) | \
                    \(key.client.rawValue) | | | | | | \(format(m["rss"]!)) |
                    """
                )
            } else {
                let unary = key.scenario.hasPrefix("unary")
                let cells = [
                    key.scenario, key.server.rawValue, key.client.rawValue, format(m["perSecond"]!, 0),
                    unary ? format(m["p50"]!) : "", unary ? format(m["p99"]!) : "", format(m["cpu100k"]!, 2),
                    format(m["perCPU"]!, 0),
                ]
                lines.append("| " + cells.joined(separator: " | ") + " | |")
            }
        }
        func ratio(_ scenario: String, _ field: String, invert: Bool = false) -> String {
            let ferryClient = options.idleClient
            let client: (Implementation) -> Implementation = { scenario == "idle" ? ferryClient : $0 }
            guard let ferry = medians[Driver.Key(scenario: scenario, server: .ferry, client: client(.ferry))]?[field],
                let grpc = medians[Driver.Key(scenario: scenario, server: .grpcswift, client: client(.grpcswift))]?[
                    field
                ]
            else { return "-" }
            return format(invert ? grpc / ferry : ferry / grpc, 2) + "×"
        }
        lines.append("")
        lines.append("Ferry (server and client) against grpc-swift-2 (server and client), medians:")
        lines.append("- unary calls per server CPU-second, 1×100: \(ratio("unary-1x100", "perCPU")) (target ≥ 3×)")
        lines.append("- unary calls per server CPU-second, 4×25: \(ratio("unary-4x25", "perCPU")) (target ≥ 3×)")
        lines.append(
            """
            - unary calls per second, 1×100: \
            \(ratio("unary-1x100", "perSecond")); 4×25: \
            \(ratio("unary-4x25", "perSecond"))
            """
        )
        lines.append("- streaming messages per second: \(ratio("stream", "perSecond")) (target ≥ 1×)")
        lines.append(
            "- sequential p50 latency, grpc-swift / Ferry: \(ratio("unary-1x1", "p50", invert: true)) (target ≥ 2×)"
        )
        lines.append(
            "- RSS per idle connection, grpc-swift / Ferry: \(ratio("idle", "rss", invert: true)) (target > 2×)"
        )
        return lines.joined(separator: "\n")
    }
}
