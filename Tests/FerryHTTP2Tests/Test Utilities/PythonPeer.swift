import Foundation
import Synchronization
import Testing

/// A python grpcio process from Tests/InteropPeers/grpc_peer.py, started and stopped by a test.
///
/// Python comes from FERRY_PYTHON (default /work/main/.venv/bin/python3, which scripts/ensure-deps.sh
/// prepares with grpcio). Every wait is bounded.
final class PythonPeer {
    static let python = ProcessInfo.processInfo.environment["FERRY_PYTHON"] ?? "/work/main/.venv/bin/python3"
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("InteropPeers/grpc_peer.py").path

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let process: Process
    private let stdin: Pipe
    private final class Output: Sendable {
        let text = Mutex("")
    }

    private let output = Output()

    private init(arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw Failure(description: "No python at \(Self.python); run scripts/ensure-deps.sh or set FERRY_PYTHON")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = ["-u", Self.script] + arguments
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        let output = self.output
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { output.text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        }
        try process.run()
    }

    var log: String { output.text.withLock { $0 } }

    /// Starts a grpcio server on 127.0.0.1 and returns it with its port (waits at most 20 s).
    ///
    /// - Parameter arguments: more options for grpc_peer.py, e.g. `--tls-cert` and `--tls-key`.
    static func startServer(arguments: [String] = []) async throws -> (PythonPeer, Int) {
        let peer = try PythonPeer(arguments: ["server", "--port", "0", "--max-seconds", "300"] + arguments)
        for _ in 0..<400 {
            if let line = peer.log.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }),
                let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
            {
                return (peer, port)
            }
            if !peer.process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        peer.stop()
        throw Failure(description: "grpcio server did not start: \(peer.log)")
    }

    /// Runs a grpcio client case against a Ferry server; returns its exit status and output
    /// (at most 120 s, then the process is killed).
    static func runClient(port: Int, testCase: String, arguments: [String] = []) async throws -> (status: Int32, output: String) {
        try await run(["client", "--port", String(port), "--case", testCase] + arguments)
    }

    /// Runs grpc_peer.py with `arguments` to its end; returns its exit status and output
    /// (at most 120 s, then the process is killed).
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let peer = try PythonPeer(arguments: arguments)
        try? peer.stdin.fileHandleForWriting.close()
        for _ in 0..<2400 where peer.process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        if peer.process.isRunning {
            peer.process.terminate()
            peer.process.waitUntilExit()
            return (-1, peer.log + "\n(killed after 120 s)")
        }
        peer.process.waitUntilExit()
        return (peer.process.terminationStatus, peer.log)
    }

    /// Stops the process: closes its stdin (a server then shuts down), kills it after 5 s.
    func stop() {
        try? stdin.fileHandleForWriting.close()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning {
            process.terminate()
        }
        process.waitUntilExit()
    }
}

// Process is not Sendable; a PythonPeer is started, polled and stopped by one test at a time.
extension PythonPeer: @unchecked Sendable {}
