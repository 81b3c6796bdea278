public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn and reaped with a non-blocking waitpid.
///
/// Tests run on Swift's cooperative pool, which has one thread per core (two on the CI machine).
/// Foundation's `Process` is waited for with `waitUntilExit` and `readDataToEndOfFile`, which block
/// the calling thread: a suite running protoc in parallel test cases then holds every pool thread
/// and other suites' timers fire tens of seconds late. A `ChildProcess` is awaited by polling
/// `waitpid(WNOHANG)` between `Task.sleep`s, its output goes to files (never a pipe that a daemon
/// it starts could keep open), and it is killed when dropped unreaped.
public final class ChildProcess: Sendable {
    /// What the child reads on its standard input.
    public enum Input: Sendable {
        /// `/dev/null`.
        case none
        /// These bytes, then end of file.
        case bytes([UInt8])
        /// A pipe that stays open until ``closeInput()``: peers that stop when stdin closes.
        case pipe
    }

    /// The child's process id (valid until it is reaped).
    public let pid: pid_t
    /// What the process is called in messages.
    public let name: String
    private let outputPath: String
    private let errorPath: String?
    private let inputPath: String?
    private let inputWriter: Mutex<Int32?>
    /// The exit status once reaped: the pid may be reused afterwards, so it is never signalled or
    /// waited for again.
    private let reaped = Mutex<Int32?>(nil)

    /// Serialises pipe creation and spawning so that no other child inherits the write end of a
    /// stdin pipe between `pipe` and `FD_CLOEXEC` (Glibc does not export `pipe2` to Swift).
    private static let spawnLock = Mutex(())

    /// Starts `executable` (an absolute path; PATH is not searched) with `arguments`.
    ///
    /// - Parameters:
    ///   - directory: the working directory (run through `/usr/bin/env -C`, as Glibc does not
    ///     export posix_spawn's chdir action to Swift).
    ///   - mergeErrors: standard error goes to the same file as standard output.
    public init(
        name: String? = nil,
        executable: String,
        arguments: [String],
        input: Input = .none,
        environment: [String: String] = [:],
        directory: String? = nil,
        mergeErrors: Bool = false
    ) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ProcessFailure(description: "\(name ?? executable): no executable at \(executable)")
        }
        self.name = name ?? URL(fileURLWithPath: executable).lastPathComponent
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-child-\(UUID().uuidString)")
            .path
        outputPath = stem + ".out"
        errorPath = mergeErrors ? nil : stem + ".err"
        if case .bytes(let bytes) = input {
            inputPath = stem + ".in"
            guard FileManager.default.createFile(atPath: stem + ".in", contents: Data(bytes)) else {
                throw ProcessFailure(description: "cannot write \(stem).in")
            }
        } else {
            inputPath = nil
        }

        var program = executable
        var argv = [executable] + arguments
        if let directory {
            program = "/usr/bin/env"
            argv = ["/usr/bin/env", "-C", directory, executable] + arguments
        }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        let envp = env.map { "\($0.key)=\($0.value)" }

        let (pid, writer) = try Self.spawnLock.withLock { _ -> (pid_t, Int32?) in
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            var pipeEnds: [Int32] = [-1, -1]
            switch input {
            case .none:
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            case .bytes:
                posix_spawn_file_actions_addopen(&actions, 0, stem + ".in", O_RDONLY, 0)
            case .pipe:
                guard pipe(&pipeEnds) == 0 else { throw ProcessFailure(description: "pipe failed: errno \(errno)") }
                _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
                // dup2 onto 0 clears close-on-exec for the child's copy only.
                posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
            }
            posix_spawn_file_actions_addopen(&actions, 1, stem + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if mergeErrors {
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
            } else {
                posix_spawn_file_actions_addopen(&actions, 2, stem + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            }
            // posix_spawn copies argv and envp before returning; the strdup'ed strings are freed after.
            let cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
            let cEnvironment: [UnsafeMutablePointer<CChar>?] = envp.map { strdup($0) } + [nil]
            defer {
                for argument in cArguments { free(argument) }
                for variable in cEnvironment { free(variable) }
            }
            var pid: pid_t = 0
            let result = posix_spawn(&pid, program, &actions, nil, cArguments, cEnvironment)
            if pipeEnds[0] >= 0 { close(pipeEnds[0]) }
            guard result == 0 else {
                if pipeEnds[1] >= 0 { close(pipeEnds[1]) }
                throw ProcessFailure(description: "cannot spawn \(executable): errno \(result)")
            }
            return (pid, pipeEnds[1] >= 0 ? pipeEnds[1] : nil)
        }
        self.pid = pid
        self.inputWriter = Mutex(writer)
    }

    deinit {
        closeInput()
        if exitStatus() == nil {
            // Dropped while running: kill it and reap it. waitpid blocks only for the moment a
            // SIGKILLed process takes to exit, so no zombie is left behind.
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        for path in [outputPath, errorPath, inputPath].compactMap({ $0 }) { unlink(path) }
    }

    /// Everything the child wrote to standard output so far (and standard error when merged).
    public var output: String { String(decoding: outputBytes, as: UTF8.self) }

    /// The raw bytes of ``output``.
    public var outputBytes: [UInt8] { (FileManager.default.contents(atPath: outputPath)).map { [UInt8]($0) } ?? [] }

    /// Everything the child wrote to standard error so far (empty when merged into the output).
    public var errors: String {
        guard let errorPath else { return "" }
        return (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
    }

    /// Writes to the child's stdin pipe (an ``Input/pipe`` child only).
    public func write(_ bytes: [UInt8]) throws {
        try inputWriter.withLock { writer in
            guard let fd = writer else { throw ProcessFailure(description: "\(name): stdin is not an open pipe") }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                guard written > 0 else {
                    throw ProcessFailure(description: "\(name): write to stdin failed: errno \(errno)")
                }
                offset += written
            }
        }
    }

    /// Closes the child's stdin pipe, so that it reads end of file.
    public func closeInput() {
        inputWriter.withLock { writer in
            if let fd = writer { close(fd) }
            writer = nil
        }
    }

    /// The exit status if the child has ended (128 + the signal number when a signal ended it),
    /// or nil while it runs. Never blocks.
    public func exitStatus() -> Int32? {
        reaped.withLock { reaped in
            if let reaped { return reaped }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            guard result == pid else {
                // -1: someone else reaped it (nothing in this process should); report it as ended.
                if result < 0 { reaped = -1 }
                return reaped
            }
            let signal = status & 0x7f
            reaped = signal == 0 ? (status >> 8) & 0xff : 128 + signal
            return reaped
        }
    }

    /// Whether the child is still running.
    public var isRunning: Bool { exitStatus() == nil }

    /// Sends `signal` to the child unless it has been reaped.
    public func signal(_ signal: Int32) {
        reaped.withLock { reaped in
            if reaped == nil { _ = kill(pid, signal) }
        }
    }

    /// Waits for the exit without holding a thread: polls every 1–25 ms. Returns the exit status,
    /// or nil if the child still runs after `timeout`.
    public func wait(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var interval = Duration.milliseconds(1)
        while true {
            if let status = exitStatus() { return status }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: interval)
            interval = min(interval * 2, .milliseconds(25))
        }
    }

    /// Ends the child: closes its stdin and, unless it exits within `inputGrace` (a peer that stops
    /// when stdin closes), sends SIGTERM, then SIGKILL after `terminateGrace`. Returns its exit status.
    @discardableResult
    public func stop(inputGrace: Duration = .zero, terminateGrace: Duration = .seconds(5)) async -> Int32 {
        closeInput()
        if let status = await wait(timeout: inputGrace) { return status }
        signal(SIGTERM)
        if let status = await wait(timeout: terminateGrace) { return status }
        signal(SIGKILL)
        return await wait(timeout: .seconds(30)) ?? -1
    }
}

/// Why a child process could not be started, failed, or did not end in time.
public struct ProcessFailure: Error, CustomStringConvertible {
    /// What went wrong, with the program's own error output where there is some.
    public var description: String

    /// A failure described by `description`.
    public init(description: String) { self.description = description }
}
