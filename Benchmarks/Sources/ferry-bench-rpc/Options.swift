/// Command-line options of the driver and of `server`.
struct Options: Sendable {
    var servers: [Implementation] = Implementation.defaults
    var clients: [Implementation] = Implementation.defaults
    var scenarios: [String] = Driver.allScenarios
    var runs = 3
    var seconds = 3.0
    var warmup = 1.0
    var port = 0
    var idleConnections = 1000
    var idleClient: Implementation = .ferry
    var streamMessages = 10_000
    /// Drive a server started by hand instead of spawning one: its port and pid (for profiling).
    var external: (port: Int, pid: Int32)?

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static let usage = """
        usage: ferry-bench-rpc [run] [--server ferry,grpcswift,ferry-observed] [--client ferry,grpcswift,ferry-observed]
                               [--scenario unary-1x100,unary-4x25,unary-1x1,stream,idle]
                               [--runs N] [--seconds S] [--warmup S] [--idle-connections N]
                               [--idle-client ferry|grpcswift] [--stream-messages N]
                               [--connect PORT[:PID]]  (drive a server started by hand, e.g. under valgrind)
               ferry-bench-rpc server --impl ferry|grpcswift [--port N]
        """

    init(parsing arguments: [String]) throws {
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else {
                throw UsageError(description: "\(arguments[index - 1]) needs a value\n\(Self.usage)")
            }
            return arguments[index]
        }
        func implementations(_ text: String) throws -> [Implementation] {
            try text.split(separator: ",").map { name in
                guard let implementation = Implementation(rawValue: String(name)) else {
                    throw UsageError(description: "unknown implementation \(name)\n\(Self.usage)")
                }
                return implementation
            }
        }
        func number(_ text: String) throws -> Double {
            guard let number = Double(text), number >= 0 else { throw UsageError(description: "not a number: \(text)") }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--server", "--impl": servers = try implementations(try value())
            case "--client": clients = try implementations(try value())
            case "--scenario":
                scenarios = try value().split(separator: ",").map(String.init)
                for scenario in scenarios where !Driver.allScenarios.contains(scenario) {
                    throw UsageError(description: "unknown scenario \(scenario)\n\(Self.usage)")
                }
            case "--runs": runs = Int(try number(try value()))
            case "--seconds": seconds = try number(try value())
            case "--warmup": warmup = try number(try value())
            case "--port": port = Int(try number(try value()))
            case "--idle-connections": idleConnections = Int(try number(try value()))
            case "--idle-client":
                guard let implementation = try implementations(try value()).first else {
                    throw UsageError(description: Self.usage)
                }
                idleClient = implementation
            case "--stream-messages": streamMessages = Int(try number(try value()))
            case "--connect":
                let parts = try value().split(separator: ":")
                guard let port = parts.first.flatMap({ Int($0) }) else {
                    throw UsageError(description: "--connect PORT[:PID]")
                }
                external = (port, parts.count > 1 ? Int32(parts[1]) ?? 0 : 0)
            case "--help", "-h": throw UsageError(description: Self.usage)
            default: throw UsageError(description: "unknown option \(arguments[index])\n\(Self.usage)")
            }
            index += 1
        }
    }
}
