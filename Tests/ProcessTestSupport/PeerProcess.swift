import Foundation

/// A long-running child a test starts and stops: a grpcio peer from Tests/InteropPeers, an attack
/// script, or a built Ferry executable. Its output (stdout and stderr together) is collected; every
/// wait is bounded and none holds a thread.
public final class PeerProcess: Sendable {
    /// The path of a script in Tests/InteropPeers, e.g. `grpc_peer.py`.
    public static func peerScript(_ name: String) -> String {
        TestPaths.repositoryRoot.appendingPathComponent("Tests/InteropPeers/\(name)").path
    }

    /// What the process is called in messages.
    public var name: String { child.name }
    private let child: ChildProcess
    /// Whether the process stops by itself when its stdin closes (the python peers do).
    private let stopsOnStdinClose: Bool

    /// Starts `executable` with `arguments`, stdin an open pipe.
    public init(name: String, executable: String, arguments: [String], stopsOnStdinClose: Bool = true) throws {
        do {
            child = try ChildProcess(
                name: name,
                executable: executable,
                arguments: arguments,
                input: .pipe,
                mergeErrors: true
            )
        } catch {
            throw ProcessFailure(
                description:
                    """
                    \(error) (build with `swift build --build-tests`; python comes \
                    from FERRY_PYTHON or scripts/ensure-deps.sh)
                    """
            )
        }
        self.stopsOnStdinClose = stopsOnStdinClose
    }

    /// Starts a python script (unbuffered output) with `arguments`; `script` is a path or the
    /// name of a file in Tests/InteropPeers.
    public convenience init(python script: String, name: String, arguments: [String]) throws {
        let path = script.contains("/") ? script : Self.peerScript(script)
        try self.init(name: name, executable: TestPaths.python, arguments: ["-u", path] + arguments)
    }

    /// Everything the process printed so far.
    public var log: String { child.output }

    /// Whether the process is still running.
    public var isRunning: Bool { child.isRunning }

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
            if !child.isRunning || ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        await stop()
        throw ProcessFailure(description: "\(name) did not report its port:\n\(log)")
    }

    /// Closes stdin and waits (at most `timeout`) for the exit; returns the exit status (-1 when it
    /// had to be killed) and the output.
    public func waitForExit(timeout: Duration = .seconds(120)) async -> (status: Int32, output: String) {
        child.closeInput()
        if let status = await child.wait(timeout: timeout) { return (status, log) }
        await child.stop()
        return (-1, log + "\n(\(name) killed after \(timeout))")
    }

    /// Ends the process: closes its stdin (a python peer then stops by itself within 5 s),
    /// terminates it, and kills it 5 s after that.
    public func stop() async {
        await child.stop(inputGrace: stopsOnStdinClose ? .seconds(5) : .zero)
    }

    /// Kills the process at once (SIGKILL), as a crash or a lost machine would end it: no GOAWAY,
    /// no goodbye; the kernel closes its sockets.
    public func kill() async {
        child.signal(SIGKILL)
        _ = await child.wait(timeout: .seconds(30))
    }

    /// Runs `body` and stops the process afterwards, whether `body` returned or threw (a `defer`
    /// cannot await the stop).
    public func stopAfter<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        do {
            let result = try await body()
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }
}
