import Foundation
import ProcessTestSupport

/// The processes of the interop tests: each side's server and client, and a gRPC C++ server.
extension PeerProcess {
    /// Starts the gRPC C++ TestService server (Tests/InteropPeers/cpp, built into .build/cpp-interop
    /// by scripts/build-cpp-interop-server.sh) on an ephemeral port of 127.0.0.1.
    static func cppServer() async throws -> (PeerProcess, port: Int) {
        let binary = TestPaths.repositoryRoot.appendingPathComponent(".build/cpp-interop/ferry-cpp-interop-server").path
        let server = try PeerProcess(
            name: "gRPC C++ server",
            executable: binary,
            arguments: ["--port", "0", "--max_seconds", "300"]
        )
        return (server, try await server.waitForPort())
    }

    /// Starts `ferry-interop-server` on an ephemeral port of 127.0.0.1, with `arguments` added.
    static func ferryServer(_ arguments: [String] = []) async throws -> (PeerProcess, port: Int) {
        let server = try PeerProcess(
            name: "ferry-interop-server",
            executable: TestPaths.builtExecutable("ferry-interop-server"),
            arguments: ["--port", "0", "--host", "127.0.0.1", "--max_seconds", "300"] + arguments,
            stopsOnStdinClose: false
        )
        return (server, try await server.waitForPort())
    }

    /// Starts the grpcio TestService server on an ephemeral port of 127.0.0.1 (python imports
    /// grpcio and runs protoc first, hence the generous wait for its port).
    static func grpcioServer(logCalls: Bool = false) async throws -> (PeerProcess, port: Int) {
        let server = try PeerProcess(
            python: "interop_peer.py",
            name: "grpcio server",
            arguments: ["server", "--port", "0", "--max_seconds", "300"] + (logCalls ? ["--log_calls"] : [])
        )
        return (server, try await server.waitForPort())
    }

    /// Runs `ferry-interop-client` for one case to its end (at most 120 s).
    static func ferryClient(port: Int, testCase: String) async throws -> (status: Int32, output: String) {
        let client = try PeerProcess(
            name: "ferry-interop-client",
            executable: TestPaths.builtExecutable("ferry-interop-client"),
            arguments: [
                "--server_host", "127.0.0.1", "--server_port", String(port), "--test_case", testCase, "--use_tls=false",
            ]
        )
        return await client.waitForExit()
    }

    /// Starts `ferry-interop-client` with a target, a service config and a repeat count.
    static func ferryChannelClient(
        target: String,
        serviceConfig: String?,
        testCase: String,
        times: Int
    ) throws -> PeerProcess {
        try PeerProcess(
            name: "ferry-interop-client",
            executable: TestPaths.builtExecutable("ferry-interop-client"),
            arguments: ["--target", target, "--test_case", testCase, "--num_times", String(times), "--use_tls=false"]
                + (serviceConfig.map { ["--service_config_json", $0] } ?? [])
        )
    }

    /// Runs the grpcio client for one case to its end (at most 120 s).
    static func grpcioClient(port: Int, testCase: String) async throws -> (status: Int32, output: String) {
        let client = try PeerProcess(
            python: "interop_peer.py",
            name: "grpcio client",
            arguments: ["client", "--server_host", "127.0.0.1", "--server_port", String(port), "--test_case", testCase]
        )
        return await client.waitForExit()
    }
}
