import Foundation

/// One timed operation, as printed in a `RESULT` line.
struct OperationResult {
    let impl: String
    let dataset: String
    let op: String
    let messages: Int
    let bytes: Int
    let timing: Timing

    /// Throughput at the median pass time, in MB/s (10^6 bytes).
    var medianMBps: Double { Double(bytes) / timing.median / 1e6 }

    var line: String {
        "RESULT impl=\(impl) dataset=\(dataset) op=\(op) msgs=\(messages) bytes=\(bytes) "
            + "iters=\(timing.iterations) reps=\(timing.perPass.count) "
            + "best_s=\(seconds(timing.best)) median_s=\(seconds(timing.median)) clock=\(CPUClock.label)"
    }
}

func checkLine(impl: String, dataset: String, _ check: CheckOutcome) -> String {
    "CHECK impl=\(impl) dataset=\(dataset) roundtrip=\(check.roundTrips ? "ok" : "FAIL") "
        + "bytes_identical=\(check.bytesIdentical ? "yes" : "no") out_bytes=\(check.outBytes)"
}

func seconds(_ value: Double) -> String { String(format: "%.9f", value) }

/// The summary after all `RESULT` lines: MB/s of both implementations, their ratio per dataset
/// and operation, and the geometric mean of the ratios.
func summary(_ results: [OperationResult]) -> String {
    var lines: [String] = []
    lines.append("")
    lines.append("SUMMARY (median pass, MB/s; ratio = ferry / swiftprotobuf, > 1 means Ferry is faster)")
    lines.append(pad("dataset", 9) + pad("op", 12) + lpad("ferry", 12) + lpad("swiftprotobuf", 15) + lpad("ratio", 9))
    var ratios: [Double] = []
    var jsonRatios: [Double] = []
    for op in Options.allOps {
        for dataset in datasetNames {
            let ferry = results.first { $0.impl == "ferry" && $0.dataset == dataset && $0.op == op }
            let other = results.first { $0.impl == "swiftprotobuf" && $0.dataset == dataset && $0.op == op }
            guard ferry != nil || other != nil else { continue }
            var row = pad(dataset, 9) + pad(op, 12)
            row += lpad(ferry.map { String(format: "%.1f", $0.medianMBps) } ?? "-", 12)
            row += lpad(other.map { String(format: "%.1f", $0.medianMBps) } ?? "-", 15)
            if let ferry, let other {
                let ratio = ferry.medianMBps / other.medianMBps
                if op.hasPrefix("json") { jsonRatios.append(ratio) } else { ratios.append(ratio) }
                row += lpad(String(format: "%.2fx", ratio), 9)
            }
            lines.append(row)
        }
    }
    for (label, values) in [("binary", ratios), ("JSON", jsonRatios)] where !values.isEmpty {
        let geomean = exp(values.map { log($0) }.reduce(0, +) / Double(values.count))
        lines.append(
            label
                + String(
                    format: ": geometric mean of %d ratios: %.2fx   slowest: %.2fx   fastest: %.2fx",
                    values.count,
                    geomean,
                    values.min() ?? 0,
                    values.max() ?? 0
                )
        )
    }
    return lines.joined(separator: "\n")
}

private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

private func lpad(_ text: String, _ width: Int) -> String {
    text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
}
