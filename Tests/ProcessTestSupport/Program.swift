/// Runs a program to its end without blocking a thread: protoc, python oracles, openssl, the
/// built `ferry` binaries.
public enum Program {
    /// How a program ended and what it printed.
    public struct Result: Sendable {
        /// The exit status (128 + the signal number when a signal ended it).
        public var status: Int32
        /// Standard output (with standard error when merged).
        public var stdout: [UInt8]
        /// Standard error (empty when merged into standard output).
        public var stderr: String
        /// Standard output as text.
        public var output: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `executable` with `arguments` to its end; kills it and throws after `timeout`.
    ///
    /// - Parameters:
    ///   - stdin: bytes the program reads on standard input (`/dev/null` when nil).
    ///   - directory: the working directory.
    ///   - mergeErrors: standard error goes into ``Result/stdout``.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        stdin: [UInt8]? = nil,
        directory: String? = nil,
        environment: [String: String] = [:],
        mergeErrors: Bool = false,
        timeout: Duration = .seconds(300)
    ) async throws -> Result {
        let child = try ChildProcess(
            executable: executable,
            arguments: arguments,
            input: stdin.map { .bytes($0) } ?? .none,
            environment: environment,
            directory: directory,
            mergeErrors: mergeErrors
        )
        guard let status = await child.wait(timeout: timeout) else {
            await child.stop()
            throw ProcessFailure(
                description:
                    """
                    \(executable) \(arguments.joined(separator: " ")) ran over \(timeout) and was \
                    killed:\n\(child.errors)\(child.output.suffix(2_000))
                    """
            )
        }
        return Result(status: status, stdout: child.outputBytes, stderr: child.errors)
    }

    /// Runs a program like ``run(_:_:stdin:directory:environment:mergeErrors:timeout:)`` and throws,
    /// with its error output, unless it exits with status 0; returns its standard output.
    @discardableResult
    public static func check(
        _ executable: String,
        _ arguments: [String],
        stdin: [UInt8]? = nil,
        directory: String? = nil,
        environment: [String: String] = [:],
        timeout: Duration = .seconds(300)
    ) async throws -> [UInt8] {
        let result = try await run(
            executable,
            arguments,
            stdin: stdin,
            directory: directory,
            environment: environment,
            timeout: timeout
        )
        guard result.status == 0 else {
            throw ProcessFailure(
                description:
                    "\(executable) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)"
            )
        }
        return result.stdout
    }
}
