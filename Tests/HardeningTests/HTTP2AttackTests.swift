import Foundation
import ProcessTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The HTTP/2 attack suite, with the HTTP/1.1 attacks on the same port: each attack of
/// `Tests/HardeningPeers/h2_attacks.py` (a raw HTTP/2 client on python `h2`, or raw HTTP/1.1) runs against its own `ferry-interop-server` on 127.0.0.1. The script makes a normal
/// EmptyCall on a fresh connection during and after the attack and samples the server's RSS; a test
/// passes when the server survived, both calls succeeded, the server answered the attack as expected and
/// its RSS stayed within the attack's bound (64 MiB above the level before; the soaks: within 10 % after
/// 1,000 concurrent connections, within 8 MiB after 10,000 sequential ones).
@Suite("HTTP/2 attacks against ferry-interop-server", .serialized)
struct HTTP2AttackTests {
    @Test("the server survives the attack, keeps serving and keeps its memory bounded", arguments: HTTP2Attack.allCases)
    func attack(_ attack: HTTP2Attack) async throws {
        raiseOpenFileLimit()
        let server = try PeerProcess(
            name: "ferry-interop-server",
            executable: HTTP2Attack.serverPath,
            arguments: ["--port", "0", "--host", "127.0.0.1", "--max_seconds", "300"],
            stopsOnStdinClose: false
        )
        let run = try await server.stopAfter {
            let port = try await server.waitForPort()
            return try await HTTP2Attack.script(arguments: [attack.rawValue, "--port", String(port), "--canary"])
        }
        let result = try #require(AttackResult(output: run.output), "no RESULT line from the attack:\n\(run.output)")
        let context = "\(result.line)\n--- ferry-interop-server ---\n\(server.log.suffix(4_000))"
        #expect(result["alive"] == "yes", "the server died: \(context)")
        #expect(result["canary_during"] == "ok", "no normal call during the attack: \(context)")
        #expect(result["canary_after"] == "ok", "no normal call after the attack: \(context)")
        #expect(result["pass"] == "yes" && run.status == 0, "\(result.reason)\n\(context)")
    }

    @Test("the attack script offers exactly the attacks this suite runs")
    func attackList() async throws {
        let run = try await HTTP2Attack.script(arguments: ["--list"])
        #expect(run.status == 0, "\(run.output)")
        let listed = run.output.split(separator: "\n").map(String.init)
        #expect(listed == HTTP2Attack.allCases.map(\.rawValue), "\(run.output)")
    }
}

/// Raises this process's soft limit on open files towards the hard limit (at most 65,536): the server it
/// starts inherits it, and soak-concurrent holds 1,000 connections open at once.
private func raiseOpenFileLimit() {
    #if canImport(Glibc)
    var limit = rlimit()
    let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    guard getrlimit(resource, &limit) == 0 else { return }
    let target = min(limit.rlim_max, 65_536)
    if limit.rlim_cur < target {
        limit.rlim_cur = target
        _ = setrlimit(resource, &limit)
    }
    #endif
}

/// The attacks of `h2_attacks.py`, by the names it takes.
enum HTTP2Attack: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case unreadAfterStatus = "unread-after-status"
    case unfinishedLarge = "unfinished-large"
    case headerList = "header-list"
    case hpackAmplification = "hpack-amplification"
    case rapidReset = "rapid-reset"
    case continuationFlood = "continuation-flood"
    case settingsFlood = "settings-flood"
    case pingFlood = "ping-flood"
    case malformed = "malformed"
    case tooManyPings = "too-many-pings"
    case soakConcurrent = "soak-concurrent"
    case soakSequential = "soak-sequential"
    case http1SlowHeaders = "http1-slow-headers"
    case http1HeaderList = "http1-header-list"
    case http1OversizedBody = "http1-oversized-body"
    case http1PipeliningFlood = "http1-pipelining-flood"

    var testDescription: String { rawValue }

    /// The server under attack: FERRY_ATTACK_SERVER (e.g. a release build, or an older binary to compare
    /// with), or the `ferry-interop-server` built beside the tests.
    static let serverPath =
        ProcessInfo.processInfo.environment["FERRY_ATTACK_SERVER"] ?? TestPaths.builtExecutable("ferry-interop-server")

    /// The path of Tests/HardeningPeers/h2_attacks.py.
    static let scriptPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HardeningPeers/h2_attacks.py").path

    /// Runs the script with `arguments` to its end (each attack bounds itself well under 60 s; killed
    /// after 180 s) and returns its exit status and output.
    static func script(arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = try PeerProcess(
            python: scriptPath,
            name: "h2_attacks.py \(arguments.first ?? "")",
            arguments: arguments
        )
        return await process.waitForExit(timeout: .seconds(180))
    }
}

/// The `RESULT key=value ... reason="..."` line an attack prints.
struct AttackResult {
    /// The whole line, for failure messages.
    let line: String
    /// Why the attack failed, or "as expected".
    let reason: String
    private let fields: [String: String]

    /// Finds the RESULT line in `output`; nil when there is none.
    init?(output: String) {
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("RESULT ") }) else { return nil }
        self.line = String(line)
        var head = Substring(line.dropFirst("RESULT ".count))
        if let start = head.range(of: " reason=\"") {
            reason = String(head[start.upperBound...].dropLast())
            head = head[..<start.lowerBound]
        } else {
            reason = ""
        }
        var fields: [String: String] = [:]
        for pair in head.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        self.fields = fields
    }

    /// The value of one field, e.g. `alive` or `goaway`.
    subscript(key: String) -> String? { fields[key] }
}
