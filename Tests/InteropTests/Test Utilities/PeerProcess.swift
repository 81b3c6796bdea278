import Foundation
import Synchronization

/// A child process of an interop test: a built Ferry interop executable or the grpcio peer
/// (Tests/InteropPeers/interop_peer.py). Output (stdout and stderr together) is collected; every
/// wait is bounded, and ``stop()`` always ends the process.
final class PeerProcess {
    /// The folder of the running test binary; SwiftPM puts the package's executables beside it.
    static let binDirectory: URL = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }()
    static let python = ProcessInfo.processInfo.environment["FERRY_PYTHON"] ?? "/work/main/.venv/bin/python3"
    static let peerScript = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("InteropPeers/interop_peer.py").path

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private final class Output: Sendable {
        let text = Mutex("")
    }

    let name: String
    private let process = Process()
    private let stdin = Pipe()
    private let output = Output()

    private init(name: String, executable: String, arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Failure(description: "\(name): no executable at \(executable) (build with `swift build --build-tests`; python comes from FERRY_PYTHON or scripts/ensure-deps.sh)")
        }
        self.name = name
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
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

    /// Everything the process printed so far.
    var log: String { output.text.withLock { $0 } }

    /// Starts `ferry-interop-server` on an ephemeral port of 127.0.0.1.
    static func ferryServer() async throws -> (PeerProcess, port: Int) {
        let server = try PeerProcess(
            name: "ferry-interop-server",
            executable: binDirectory.appendingPathComponent("ferry-interop-server").path,
            arguments: ["--port", "0", "--host", "127.0.0.1", "--max_seconds", "300"]
        )
        return (server, try await server.waitForPort())
    }

    /// Starts the grpcio TestService server on an ephemeral port of 127.0.0.1.
    static func grpcioServer() async throws -> (PeerProcess, port: Int) {
        let server = try PeerProcess(
            name: "grpcio server", executable: python,
            arguments: ["-u", peerScript, "server", "--port", "0", "--max_seconds", "300"]
        )
        return (server, try await server.waitForPort())
    }

    /// Runs `ferry-interop-client` for one case to its end (at most 120 s).
    static func ferryClient(port: Int, testCase: String) async throws -> (status: Int32, output: String) {
        let client = try PeerProcess(
            name: "ferry-interop-client",
            executable: binDirectory.appendingPathComponent("ferry-interop-client").path,
            arguments: ["--server_host", "127.0.0.1", "--server_port", String(port), "--test_case", testCase, "--use_tls=false"]
        )
        return await client.waitForExit()
    }

    /// Runs the grpcio client for one case to its end (at most 120 s).
    static func grpcioClient(port: Int, testCase: String) async throws -> (status: Int32, output: String) {
        let client = try PeerProcess(
            name: "grpcio client", executable: python,
            arguments: ["-u", peerScript, "client", "--server_host", "127.0.0.1", "--server_port", String(port), "--test_case", testCase]
        )
        return await client.waitForExit()
    }

    /// Waits (at most 60 s: python imports grpcio and runs protoc first) for the "PORT <n>" line.
    private func waitForPort() async throws -> Int {
        for _ in 0..<1200 {
            if let line = log.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }),
                let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
            {
                return port
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw Failure(description: "\(name) did not report its port:\n\(log)")
    }

    private func waitForExit() async -> (status: Int32, output: String) {
        try? stdin.fileHandleForWriting.close()
        for _ in 0..<2400 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            stop()
            return (-1, log + "\n(\(name) killed after 120 s)")
        }
        process.waitUntilExit()
        return (process.terminationStatus, log)
    }

    /// Ends the process: closes its stdin (the grpcio server then stops by itself), terminates it
    /// after 5 s (at once for the Ferry server, which does not watch stdin), kills it after 5 s more.
    func stop() {
        try? stdin.fileHandleForWriting.close()
        if name != "ferry-interop-server" {
            for _ in 0..<100 where process.isRunning { usleep(50_000) }
        }
        if process.isRunning { process.terminate() }
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

// Process is not Sendable; a PeerProcess is started, polled and stopped by one test.
extension PeerProcess: @unchecked Sendable {}
