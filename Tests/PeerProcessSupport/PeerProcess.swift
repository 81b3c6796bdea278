public import Foundation
import Synchronization

/// A child process a test starts and stops: a grpcio peer from Tests/InteropPeers or a built Ferry
/// executable. Its output (stdout and stderr together) is collected; every wait is bounded, and
/// ``stop()`` always ends the process.
public final class PeerProcess {
    /// The python that runs the grpcio peers: FERRY_PYTHON, or the venv scripts/ensure-deps.sh makes.
    public static let python = ProcessInfo.processInfo.environment["FERRY_PYTHON"] ?? "/work/main/.venv/bin/python3"

    /// The path of a script in Tests/InteropPeers, e.g. `grpc_peer.py`.
    public static func peerScript(_ name: String) -> String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("InteropPeers/\(name)").path
    }

    /// The folder of the running test binary; SwiftPM puts the package's executables beside it.
    public static let binDirectory: URL = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }()

    /// The path of one of the package's executables, built beside the test binary.
    public static func builtExecutable(_ name: String) -> String {
        binDirectory.appendingPathComponent(name).path
    }

    /// Why a process could not be started or did not answer in time.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    private final class Output: Sendable {
        let text = Mutex("")
    }

    /// What the process is called in messages.
    public let name: String
    private let process = Process()
    private let stdin = Pipe()
    private let output = Output()
    /// Whether the process stops by itself when its stdin closes (the python peers do).
    private let stopsOnStdinClose: Bool

    /// Starts `executable` with `arguments`.
    public init(name: String, executable: String, arguments: [String], stopsOnStdinClose: Bool = true) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Failure(description: "\(name): no executable at \(executable) (build with `swift build --build-tests`; python comes from FERRY_PYTHON or scripts/ensure-deps.sh)")
        }
        self.name = name
        self.stopsOnStdinClose = stopsOnStdinClose
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

    /// Starts a python peer script (unbuffered output) with `arguments`.
    public convenience init(python script: String, name: String, arguments: [String]) throws {
        try self.init(name: name, executable: Self.python, arguments: ["-u", Self.peerScript(script)] + arguments)
    }

    /// Everything the process printed so far.
    public var log: String { output.text.withLock { $0 } }

    /// Waits (at most `timeout`) for the line `PORT <n>` a server prints once it listens; stops the
    /// process and throws if it exits or stays silent.
    public func waitForPort(timeout: Duration = .seconds(60)) async throws -> Int {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            // Checked after every wake-up, the last one included: a test process whose threads were
            // starved past the deadline still sees a port that was printed in time.
            if let line = log.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }),
                let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
            {
                return port
            }
            if !process.isRunning || ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw Failure(description: "\(name) did not report its port:\n\(log)")
    }

    /// Closes stdin and waits (at most `timeout`) for the exit; returns the exit status (-1 when it
    /// had to be killed) and the output.
    public func waitForExit(timeout: Duration = .seconds(120)) async -> (status: Int32, output: String) {
        try? stdin.fileHandleForWriting.close()
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            stop()
            return (-1, log + "\n(\(name) killed after \(timeout))")
        }
        process.waitUntilExit()
        return (process.terminationStatus, log)
    }

    /// Ends the process: closes its stdin (a python server then stops by itself within 5 s),
    /// terminates it, and kills it 5 s after that.
    public func stop() {
        try? stdin.fileHandleForWriting.close()
        if stopsOnStdinClose {
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
