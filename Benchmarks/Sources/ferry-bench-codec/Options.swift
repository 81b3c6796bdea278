import Foundation

/// Command-line options of `ferry-bench-codec`.
struct Options {
    var datasets = datasetNames
    var impls = Set(implNames)
    var ops: [String] = ["decode", "encode", "json-decode", "json-encode"]
    var dataDirectory: String
    var settings = MeasurementSettings()

    static let allOps = ["decode", "encode", "json-decode", "json-encode"]

    static let usage = """
        usage: ferry-bench-codec [--dataset NAME[,NAME...]] [--data-dir DIR] [--impl ferry|swiftprotobuf]
                                 [--op decode|encode|json-decode|json-encode] [--seconds S] [--reps N] [--warmup S]
          datasets: \(datasetNames.joined(separator: ", ")) (default: all)
          data dir: --data-dir, else $FERRY_BENCH_DATA, else ../shared/bench/data beside the repository
        """

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    /// The data directory when neither the flag nor the environment names one: the repository's
    /// sibling `shared/bench/data`, found from this source file's location.
    static func defaultDataDirectory() -> String {
        if let fromEnvironment = ProcessInfo.processInfo.environment["FERRY_BENCH_DATA"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        // #filePath is REPO/Benchmarks/Sources/ferry-bench-codec/Options.swift.
        let repo = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/bench/data").path
    }

    init(arguments: [String]) throws {
        dataDirectory = Self.defaultDataDirectory()
        var rest = arguments[...]
        func value(for flag: String) throws -> String {
            guard let next = rest.popFirst() else {
                throw UsageError(description: "\(flag) needs a value\n\(Self.usage)")
            }
            return next
        }
        func number(for flag: String) throws -> Double {
            let text = try value(for: flag)
            guard let number = Double(text), number > 0 else {
                throw UsageError(description: "\(flag) needs a positive number, got '\(text)'")
            }
            return number
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--dataset":
                datasets = try value(for: flag).split(separator: ",").map(String.init)
                if let unknown = datasets.first(where: { !datasetNames.contains($0) }) {
                    throw UnknownDatasetError(name: unknown)
                }
            case "--data-dir": dataDirectory = try value(for: flag)
            case "--impl":
                let name = try value(for: flag)
                guard implNames.contains(name) else { throw UsageError(description: "unknown impl '\(name)'") }
                impls = [name]
            case "--op":
                let op = try value(for: flag)
                guard Self.allOps.contains(op) else { throw UsageError(description: "unknown op '\(op)'") }
                ops = [op]
            case "--seconds": settings.secondsPerMeasurement = try number(for: flag)
            case "--warmup": settings.warmUpSeconds = try number(for: flag)
            case "--reps": settings.measurements = Int(try number(for: flag))
            case "-h", "--help": throw UsageError(description: Self.usage)
            default: throw UsageError(description: "unknown argument '\(flag)'\n\(Self.usage)")
            }
        }
    }
}
