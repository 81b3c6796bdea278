import ArgumentParser
import FerryHTTP2
import FerryInteropTesting
import FerryRPC
import Foundation

/// gRPC's interop test client on Ferry over HTTP/2, taking the flags of grpc's own interop clients so
/// any interop runner can drive it. Exits 0 when the case passes.
@main
struct InteropClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry-interop-client",
        abstract: "Runs a gRPC interop test case with a Ferry client against a grpc.testing.TestService server.",
        discussion: """
            Test cases: \(InteropTestCase.allCases.map(\.rawValue).joined(separator: ", ")), or all. \
            Prints each check that held; on failure prints what did not hold and exits 1. Flags of \
            grpc's interop clients it does not know are ignored.
            """
    )

    @Option(name: .customLong("server_host"), help: "The server's host name or address.")
    var serverHost = "localhost"

    @Option(name: .customLong("server_port"), help: "The server's port.")
    var serverPort: Int

    @Option(name: .customLong("test_case"), help: "The test case to run, or all.")
    var testCase: String

    @Option(name: .customLong("use_tls"), help: "Whether to use TLS; only false is supported.")
    var useTLS = false

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var ignoredFlags: [String] = []

    func validate() throws {
        if useTLS { throw ValidationError("--use_tls=true is not supported yet; run with --use_tls=false.") }
        if testCase != "all" && InteropTestCase(rawValue: testCase) == nil {
            let known = InteropTestCase.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("Unknown test case \(testCase); known: \(known), all.")
        }
    }

    func run() async throws {
        if !ignoredFlags.isEmpty {
            FileHandle.standardError.write(Data("ferry-interop-client: ignoring \(ignoredFlags.joined(separator: " "))\n".utf8))
        }
        let cases = InteropTestCase(rawValue: testCase).map { [$0] } ?? InteropTestCase.allCases
        let failed = try await withRPCClient(transport: HTTP2ClientTransport(host: serverHost, port: serverPort)) { client in
            var failed: [InteropTestCase] = []
            for testCase in cases {
                say("\(testCase.rawValue):")
                do {
                    try await testCase.run(using: client) { line in say("  \(line)") }
                    say("PASS \(testCase.rawValue)")
                } catch {
                    say("FAIL \(testCase.rawValue): \(error)")
                    failed.append(testCase)
                }
            }
            return failed
        }
        if !failed.isEmpty {
            if cases.count > 1 { say("\(failed.count) of \(cases.count) cases failed: \(failed.map(\.rawValue).joined(separator: ", "))") }
            throw ExitCode(1)
        }
    }
}

/// Writes a line to standard output at once (unbuffered), so a runner reading the pipe sees it now.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
