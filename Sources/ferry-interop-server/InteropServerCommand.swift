import ArgumentParser
import FerryHTTP2
import FerryInteropTesting
import FerryRPC
import FerryServices
import Foundation

/// gRPC's interop test server (grpc.testing.TestService) on Ferry over HTTP/2, taking the flags of
/// grpc's own interop servers so any interop runner can start it.
@main
struct InteropServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferry-interop-server",
        abstract: "Serves grpc.testing.TestService (gRPC's interop test service) with Ferry over HTTP/2.",
        discussion: """
            Also serves grpc.health.v1.Health (the server and grpc.testing.TestService are SERVING) \
            and server reflection (grpc.reflection.v1 and v1alpha), so grpcurl and health probes \
            work against it. Prints "PORT <n>" once it listens (useful with --port 0) and serves \
            until it is killed or --max_seconds pass. Flags of grpc's interop servers it does not \
            know are ignored.
            """
    )

    @Option(name: .customLong("port"), help: "The port to listen on; 0 picks a free port.")
    var port: Int

    @Option(name: .customLong("host"), help: "The address to listen on.")
    var host = "0.0.0.0"

    @Option(name: .customLong("use_tls"), help: "Whether to use TLS; only false is supported.")
    var useTLS = false

    @Option(
        name: .customLong("cors_origin"),
        help: "A browser origin allowed to call with Connect or gRPC-Web (CORS); repeat for more, * for any."
    )
    var corsOrigins: [String] = []

    @Option(name: .customLong("max_seconds"), help: "Stop after this many seconds (a safety net for test runs).")
    var maxSeconds: Double?

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var ignoredFlags: [String] = []

    func validate() throws {
        if useTLS { throw ValidationError("--use_tls=true is not supported yet; run with --use_tls=false.") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be in 0...65535 (got \(port)).") }
    }

    func run() async throws {
        if !ignoredFlags.isEmpty {
            FileHandle.standardError.write(
                Data("ferry-interop-server: ignoring \(ignoredFlags.joined(separator: " "))\n".utf8)
            )
        }
        let transport = HTTP2ServerTransport(
            configuration: .init(
                host: host,
                port: port,
                cors: corsOrigins.isEmpty ? nil : CORSPolicy(allowedOrigins: Set(corsOrigins))
            )
        )
        let health = HealthService(statuses: ["grpc.testing.TestService": .serving])
        let server = RPCServer(transport: transport, services: [InteropTestService(), health, ReflectionService()])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            let boundPort = try await transport.listeningPort()
            say("PORT \(boundPort)")
            if let maxSeconds {
                group.addTask {
                    try await Task.sleep(for: .seconds(maxSeconds))
                    server.beginGracefulShutdown()
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}

/// Writes a line to standard output at once (unbuffered), so a runner reading the pipe sees it now.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
