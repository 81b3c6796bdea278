import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process spawned with posix_spawn and reaped with waitpid, with its output in files.
///
/// Foundation's Process reaps children through a SIGCHLD monitor that did not fire in this test
/// process once a child had started a daemon (pg_ctl's postgres), leaving zombies and waiters
/// hanging; these tests manage their children explicitly instead.
final class ChildProcess: Sendable {
    let pid: pid_t
    let outputPath: String
    let errorPath: String

    init(_ executable: String, _ arguments: [String]) throws {
        let directory = FileManager.default.temporaryDirectory.path
        outputPath = "\(directory)/ferry-child-\(UUID().uuidString).out"
        errorPath = "\(directory)/ferry-child-\(UUID().uuidString).err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard result == 0 else { throw TestEnvironment.Failure(description: "cannot spawn \(executable): errno \(result)") }
        self.pid = pid
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Waits for the exit without blocking a thread; returns the exit status (-1 when another
    /// reaper took the child first).
    func wait() async -> Int32 {
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
            if result < 0 { return -1 }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    func removeFiles() {
        unlink(outputPath)
        unlink(errorPath)
    }

    /// Runs a program to completion and returns its standard output.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let child = try ChildProcess(executable, arguments)
        defer { child.removeFiles() }
        let status = await child.wait()
        guard status == 0 || status == -1 else {
            throw TestEnvironment.Failure(description: "\(executable) \(arguments) exited \(status): \(child.errors)")
        }
        return child.output
    }
}
