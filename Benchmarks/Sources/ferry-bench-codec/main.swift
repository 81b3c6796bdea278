// ferry-bench-codec: Ferry's codec against SwiftProtobuf on the datasets of ../shared/bench,
// measured as that folder's README.md specifies, both implementations in one run.
import FerryBench
import Foundation

func run() throws -> Bool {
    let options = try Options(arguments: Array(CommandLine.arguments.dropFirst()))
    print("# data: \(options.dataDirectory)")
    print(
        "# clock: CLOCK_THREAD_CPUTIME_ID; warm-up \(options.settings.warmUpSeconds) s; "
            + """
            ~\(options.settings.secondsPerMeasurement) s per measurement; \
            \(options.settings.measurements) measurements
            """
    )
    var results: [OperationResult] = []
    var allChecksPass = true
    for name in options.datasets {
        let dataset = try DatasetFile(name: name, directory: options.dataDirectory)
        let (codecs, jsonBytes) = try preparedCodecs(for: dataset, impls: options.impls)
        for codec in codecs {
            print(
                checkLine(impl: codec.impl, dataset: name, codec.check)
                    + " json_roundtrip=\(codec.jsonRoundTrips ? "ok" : "FAIL")"
            )
            allChecksPass = allChecksPass && codec.check.roundTrips && codec.jsonRoundTrips
        }
        for op in options.ops {
            for codec in codecs {
                let pass =
                    switch op {
                    case "decode": codec.decodePass
                    case "encode": codec.encodePass
                    case "json-decode": codec.jsonDecodePass
                    default: codec.jsonEncodePass
                    }
                // JSON throughput is counted on the shared JSON inputs for both operations and
                // both implementations, so its ratios are ratios of time.
                let bytes =
                    switch op {
                    case "decode": dataset.payloadBytes
                    case "encode": codec.encodedBytes
                    default: jsonBytes
                    }
                let timing = try measure(options.settings, pass)
                let result = OperationResult(
                    impl: codec.impl,
                    dataset: name,
                    op: op,
                    messages: dataset.messages.count,
                    bytes: bytes,
                    timing: timing
                )
                results.append(result)
                print(result.line)
                fflush(nil)  // all streams: `stdout` is not concurrency-safe to name
            }
        }
    }
    print(summary(results))
    return allChecksPass
}

do {
    if try !run() {
        FileHandle.standardError.write("a round-trip check failed\n".data(using: .utf8) ?? Data())
        exit(1)
    }
} catch {
    FileHandle.standardError.write("ferry-bench-codec: \(error)\n".data(using: .utf8) ?? Data())
    exit(2)
}
