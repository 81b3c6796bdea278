import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A benchmark server running as a child process (`ferry-bench-rpc server --impl … --port 0`), so
/// that its CPU time and resident memory can be read from `/proc` apart from the load generator's.
final class ServerProcess: @unchecked Sendable {
    let implementation: Implementation
    let port: Int
    private let process: Process?
    private let stdin: Pipe?
    private let pid: Int32

    /// A server started by someone else (e.g. under valgrind), listening on `port`; `pid` (0 when
    /// unknown) is where its CPU time and memory are read.
    init(_ implementation: Implementation, externalPort port: Int, pid: Int32) {
        self.implementation = implementation
        self.port = port
        self.process = nil
        self.stdin = nil
        self.pid = pid
    }

    /// What the server prints on stdout once it listens: `READY <port>`.
    static func announceReady(port: Int) {
        print("READY \(port)")
        fflush(nil)
        // The parent closes our stdin when it is done with us; a server must never outlive it.
        Thread.detachNewThread {
            while let line = readLine(strippingNewline: true) { _ = line }
            exit(0)
        }
    }

    /// Starts a server and waits until it listens.
    init(_ implementation: Implementation) throws {
        self.implementation = implementation
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["server", "--impl", implementation.rawValue, "--port", "0"]
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        try process.run()
        self.process = process
        self.stdin = stdin
        self.pid = process.processIdentifier
        var line = [UInt8]()
        let handle = stdout.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            guard let first = byte.first else {
                throw ServerProcessError(description: "the \(implementation.rawValue) server exited before it listened")
            }
            if first == UInt8(ascii: "\n") { break }
            line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
            throw ServerProcessError(description: "unexpected line from the \(implementation.rawValue) server: \(text)")
        }
        self.port = port
    }

    /// User plus system CPU seconds the server has used (from `/proc/PID/stat`, clock ticks).
    func cpuSeconds() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return .nan }
        // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident memory in bytes (`VmRSS` of `/proc/PID/status`).
    func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kib = Int(parts[1]) { return kib * 1024 }
        }
        return 0
    }

    /// Stops the server (closing its stdin makes it exit) and waits for it.
    func stop() {
        try? stdin?.fileHandleForWriting.close()
        process?.waitUntilExit()
    }
}

struct ServerProcessError: Error, CustomStringConvertible {
    var description: String
}
