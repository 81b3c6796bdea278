import ProcessTestSupport

/// The grpcio peer of Tests/InteropPeers/grpc_peer.py (raw-bytes services), started and stopped by a test.
enum PythonPeer {
    /// Starts a grpcio server on 127.0.0.1 and returns it with its port.
    ///
    /// - Parameter arguments: more options for grpc_peer.py, e.g. `--tls-cert` and `--tls-key`.
    static func startServer(arguments: [String] = []) async throws -> (PeerProcess, Int) {
        let peer = try PeerProcess(
            python: "grpc_peer.py",
            name: "grpcio server",
            arguments: ["server", "--port", "0", "--max-seconds", "300"] + arguments
        )
        return (peer, try await peer.waitForPort())
    }

    /// Runs a grpcio client case against a Ferry server; returns its exit status and output
    /// (at most 120 s, then the process is killed).
    static func runClient(
        port: Int,
        testCase: String,
        arguments: [String] = []
    ) async throws -> (status: Int32, output: String) {
        try await run(["client", "--port", String(port), "--case", testCase] + arguments)
    }

    /// Runs grpc_peer.py with `arguments` to its end; returns its exit status and output
    /// (at most 120 s, then the process is killed).
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        await
            (try PeerProcess(
                python: "grpc_peer.py",
                name: "grpc_peer.py \(arguments.first ?? "")",
                arguments: arguments
            )).waitForExit()
    }
}
