import Foundation
import Glibc

/// A `ferry-registry` process started for a test, on a port of its choosing on 127.0.0.1.
public final class RegistryServerProcess: Sendable {
    /// The process.
    public let child: ChildProcess
    /// The port it listens on.
    public let port: Int

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the server with `arguments` (after `--port 0`) and waits, at most 30 seconds, until
    /// it prints its port.
    public init(arguments: [String]) async throws {
        child = try ChildProcess(
            executable: TestPaths.builtExecutable("ferry-registry"),
            arguments: ["--port", "0"] + arguments
        )
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let output = child.output
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            {
                self.port = port
                return
            }
            if !child.isRunning || ContinuousClock.now > deadline {
                throw ProcessFailure(description: "ferry-registry did not start: \(child.errors)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// `kill -9`: the process gets no chance to flush or close anything.
    public func kill9() async {
        child.signal(SIGKILL)
        _ = await child.wait(timeout: .seconds(30))
    }

    /// SIGTERM, then wait.
    public func stop() async {
        await child.stop(terminateGrace: .seconds(30))
    }
}
