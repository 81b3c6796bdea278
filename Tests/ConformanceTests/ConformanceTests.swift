import Foundation
import ProcessTestSupport
import Testing

/// protobuf's conformance protocol, binary, JSON and text formats: `scripts/conformance_driver.py`
/// sends ~8,700 cases (binary inputs and mutations of them, ~1,000 JSON and ~150 text-format inputs
/// and outputs, and the valid binary inputs again asked for JSON and for text) to the
/// `ferry-conformance` testee and judges each answer with python protobuf.
///
/// Cases in `known_failures.txt` (beside this file) must still fail, as protobuf's own runner
/// treats its failure lists: a fix shows up as an unexpected pass until the line is removed.
@Suite struct ConformanceTests {
    static let repositoryRoot = TestPaths.repositoryRoot
    static let python = TestPaths.python
    static let driver = repositoryRoot.appendingPathComponent("scripts/conformance_driver.py").path
    static let knownFailures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("known_failures.txt").path

    /// The testee this test target depends on: built beside the test runner itself, whatever the
    /// build path and configuration; `.build/debug` of the repository as a last resort.
    static func testee() -> String? {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["FERRY_CONFORMANCE_TESTEE"] {
            candidates.append(URL(fileURLWithPath: path))
        }
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        candidates.append(runner.deletingLastPathComponent().appendingPathComponent("ferry-conformance"))
        var bundle = Bundle.main.bundleURL
        for _ in 0..<4 {
            candidates.append(bundle.appendingPathComponent("ferry-conformance"))
            bundle.deleteLastPathComponent()
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/ferry-conformance"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path
    }

    struct DriverRun {
        var status: Int32
        var output: String
        var lines: [Substring] { output.split(separator: "\n") }
    }

    static func runDriver(_ arguments: [String]) async throws -> DriverRun {
        let result = try await Program.run(python, [driver] + arguments, mergeErrors: true, timeout: .seconds(600))
        return DriverRun(status: result.status, output: result.output)
    }

    @Test("every binary, JSON and text-format conformance case passes, except the listed known failures")
    func binaryConformance() async throws {
        let testee = try #require(Self.testee(), "ferry-conformance was not built beside the test runner")
        let run = try await Self.runDriver([testee, "--known-failures", Self.knownFailures, "--verbose"])
        let problems = run.lines.filter { $0.hasPrefix("FAIL ") || $0.hasPrefix("UNEXPECTED PASS ") }
        for problem in problems {
            Issue.record(Comment(rawValue: String(problem)))
        }
        let summary = try #require(run.lines.last, "the driver printed nothing")
        #expect(run.status == 0, "driver exit status \(run.status); last line: \(summary)")
        let counts = summary.split(separator: " ")
        #expect(counts.count >= 4 && counts[1] == "passed," && counts[3] == "failed", "unexpected summary: \(summary)")
        if let passed = Int(counts.first ?? "") {
            // The suite is ~8,700 cases; far fewer means cases were lost, not that Ferry improved.
            #expect(passed > 8_000, "only \(passed) cases passed")
        }
        let jsonPasses = run.lines.filter { $0.hasPrefix("PASS json.") }.count
        #expect(jsonPasses > 2_000, "only \(jsonPasses) JSON cases passed")
        let textPasses = run.lines.filter { $0.hasPrefix("PASS text.") }.count
        #expect(textPasses > 1_400, "only \(textPasses) text-format cases passed")
    }

    @Test("the driver fails a testee that answers wrongly", arguments: ["/bin/cat", "/bin/true"])
    func driverCanFail(fakeTestee: String) async throws {
        // cat echoes each request back (not a ConformanceResponse); true exits at once.
        let run = try await Self.runDriver([fakeTestee, "--filter", "proto3.scalar.int32"])
        #expect(run.status != 0)
        #expect(run.lines.last?.hasSuffix("0 failed") == false, "\(run.lines.last ?? "")")
    }
}
