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

    @Option(name: .customLong("server_port"), help: "The server's port (unless --target is given).")
    var serverPort: Int?

    @Option(
        name: .customLong("target"),
        help:
            """
            A target in gRPC's naming syntax instead of --server_host/--server_port: \
            dns:///host:port, ipv4:a:p,b:p, ipv6:[a]:p, unix:path.
            """
    )
    var target: String?

    @Option(
        name: .customLong("service_config_json"),
        help: "The channel's service config as JSON (loadBalancingConfig, methodConfig, retryThrottling)."
    )
    var serviceConfigJSON: String?

    @Option(name: .customLong("num_times"), help: "How many times to run each case, one after another on one channel.")
    var numTimes = 1

    @Option(name: .customLong("test_case"), help: "The test case to run, or all.")
    var testCase: String

    @Option(name: .customLong("use_tls"), help: "Whether to use TLS; only false is supported.")
    var useTLS = false

    @Option(
        name: .customLong("protocol"),
        help: "The RPC protocol: grpc (the default), connect, grpcweb or grpcwebtext."
    )
    var wireProtocol = "grpc"

    @Option(
        name: .customLong("http_version"),
        help: "The HTTP version: 2 (the default) or 1.1 (Connect and gRPC-Web only)."
    )
    var httpVersion = "2"

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var ignoredFlags: [String] = []

    func validate() throws {
        if target == nil, serverPort == nil {
            throw ValidationError("Give --server_port (with --server_host) or --target.")
        }
        if numTimes < 1 { throw ValidationError("--num_times must be at least 1.") }
        if useTLS { throw ValidationError("--use_tls=true is not supported yet; run with --use_tls=false.") }
        if ClientWireProtocol(rawValue: wireProtocol) == nil {
            throw ValidationError("Unknown protocol \(wireProtocol); known: grpc, connect, grpcweb, grpcwebtext.")
        }
        if httpVersion != "2" && httpVersion != "1.1" {
            throw ValidationError("Unknown HTTP version \(httpVersion); known: 2, 1.1.")
        }
        if httpVersion == "1.1" && wireProtocol == "grpc" {
            throw ValidationError("gRPC needs HTTP/2; over HTTP/1.1 use --protocol connect, grpcweb or grpcwebtext.")
        }
        if testCase != "all" && InteropTestCase(rawValue: testCase) == nil {
            let known = InteropTestCase.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("Unknown test case \(testCase); known: \(known), all.")
        }
    }

    func run() async throws {
        if !ignoredFlags.isEmpty {
            FileHandle.standardError.write(
                Data("ferry-interop-client: ignoring \(ignoredFlags.joined(separator: " "))\n".utf8)
            )
        }
        let cases = InteropTestCase(rawValue: testCase).map { [$0] } ?? InteropTestCase.allCases
        let serviceConfig: ServiceConfig
        let transport: HTTP2ClientTransport
        do {
            serviceConfig =
                try serviceConfigJSON.map { json throws(RPCError) in try ServiceConfig(json: json) } ?? ServiceConfig()
            let channel = ChannelConfiguration(
                wireProtocol: ClientWireProtocol(rawValue: wireProtocol) ?? .grpc,
                httpVersion: httpVersion == "1.1" ? .http1_1 : .http2
            )
            if let target {
                transport = HTTP2ClientTransport(
                    target: try RPCTarget(parsing: target),
                    serviceConfig: serviceConfig,
                    channel: channel
                )
            } else {
                transport = HTTP2ClientTransport(
                    host: serverHost,
                    port: serverPort ?? 0,
                    serviceConfig: serviceConfig,
                    channel: channel
                )
            }
        } catch {
            say("ferry-interop-client: \(error.message)")
            throw ExitCode(2)
        }
        let failed = try await withRPCClient(transport: transport) { client in
            var failed: [InteropTestCase] = []
            for testCase in cases {
                for round in 1...numTimes {
                    say(numTimes == 1 ? "\(testCase.rawValue):" : "\(testCase.rawValue) (\(round) of \(numTimes)):")
                    do {
                        try await testCase.run(using: client) { line in say("  \(line)") }
                        say("PASS \(testCase.rawValue)")
                    } catch {
                        say("FAIL \(testCase.rawValue): \(error)")
                        failed.append(testCase)
                    }
                }
            }
            return failed
        }
        if !failed.isEmpty {
            let runs = cases.count * numTimes
            if runs > 1 {
                say("\(failed.count) of \(runs) runs failed: \(failed.map(\.rawValue).joined(separator: ", "))")
            }
            throw ExitCode(1)
        }
    }
}

/// Writes a line to standard output at once (unbuffered), so a runner reading the pipe sees it now.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
