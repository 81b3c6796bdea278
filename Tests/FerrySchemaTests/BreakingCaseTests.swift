import FerryCodec
import FerrySchema
import Foundation
import ProcessTestSupport
import Testing

/// One mutation case of Fixtures/breaking: an old and a new module and, per category, the rule IDs
/// buf 1.75 reports (and Ferry's own where it deliberately differs).
struct BreakingCase: CustomStringConvertible, Sendable {
    static let directory = TestPaths.repositoryRoot.appendingPathComponent("Tests/FerrySchemaTests/Fixtures/breaking")

    let name: String
    var summary = ""
    var oldFiles: [String: String] = [:]
    var newFiles: [String: String] = [:]
    /// buf's rule IDs per category.
    var buf: [BreakingCategory: [String]] = [:]
    /// Ferry's rule IDs where they deliberately differ from buf's.
    var ferry: [BreakingCategory: [String]] = [:]

    var description: String { name }

    /// What Ferry must report in `category`.
    func expected(_ category: BreakingCategory) -> [String] { ferry[category] ?? buf[category] ?? [] }

    static var all: [BreakingCase] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".case") }.sorted().compactMap { try? BreakingCase(named: $0) }
    }

    init(named name: String) throws {
        self.name = name
        let text = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
        var oldFiles: [String: String] = [:]
        var newFiles: [String: String] = [:]
        var buf: [BreakingCategory: [String]] = [:]
        var ferry: [BreakingCategory: [String]] = [:]
        var summary = ""
        var section = ""
        var body: [String] = []
        func flush() {
            let content = body.joined(separator: "\n") + "\n"
            if section.hasPrefix("old/") { oldFiles[String(section.dropFirst(4))] = content }
            if section.hasPrefix("new/") { newFiles[String(section.dropFirst(4))] = content }
            if section == "expect" || section == "ferry" {
                for line in body {
                    let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(
                        String.init
                    )
                    guard parts.count == 2, let category = BreakingCategory(named: parts[0]) else { continue }
                    let rules = parts[1].split(separator: " ").map(String.init)
                    if section == "expect" { buf[category] = rules } else { ferry[category] = rules }
                }
            }
            body = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("=== ") {
                flush()
                section = String(line.dropFirst(4))
            } else if section.isEmpty {
                if line.hasPrefix("# ") && summary.isEmpty { summary = String(line.dropFirst(2)) }
            } else {
                body.append(line)
            }
        }
        flush()
        (self.summary, self.oldFiles, self.newFiles, self.buf, self.ferry) = (summary, oldFiles, newFiles, buf, ferry)
    }
}

@Suite("Breaking-change rules on the mutation table, against buf 1.75's verdicts")
struct BreakingCaseTests {
    @Test("the table is there and covers the changes issue 26 names")
    func tableCoversIssue() {
        let names = BreakingCase.all.map(\.name)
        #expect(names.count >= 90)
        for fragment in [
            "group", "extension", "required", "default", "bytes-to-string", "idempotency", "map", "renamed", "moved",
        ] {
            #expect(names.contains { $0.contains(fragment) }, "no case about \(fragment)")
        }
    }

    @Test("Ferry reports exactly the rules buf reports, in every category", arguments: BreakingCase.all)
    func verdicts(_ testCase: BreakingCase) throws {
        let old = try Self.compile(testCase.oldFiles)
        let new = try Self.compile(testCase.newFiles)
        for category in BreakingCategory.allCases {
            let found = Set(BreakingChecker(category: category).check(new, against: old).map(\.rule.id)).sorted()
            #expect(found == testCase.expected(category).sorted(), "\(category): \(testCase.summary)")
        }
    }

    @Test("every rule in the catalog fires in some case")
    func everyRuleExercised() {
        var fired = Set<String>()
        for testCase in BreakingCase.all {
            for category in BreakingCategory.allCases { fired.formUnion(testCase.expected(category)) }
        }
        // Rules whose changes protoc 3.21 cannot express (editions features) are the only gaps.
        let editionsOnly: Set<String> = []
        for rule in BreakingRule.all where !editionsOnly.contains(rule.id) {
            #expect(fired.contains(rule.id), "no case makes \(rule.id) fire")
        }
    }

    /// Writes a module to a temporary folder and compiles every file in it.
    static func compile(_ files: [String: String]) throws -> BreakingInput {
        let root = try TestPaths.temporaryDirectory("ferry-breaking")
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        var paths = [root.path]
        if let builtins = Compiler.wellKnownImportPath { paths.append(builtins) }
        let result = Compiler(importPaths: paths).compile(files: files.keys.sorted())
        if result.hasErrors {
            throw ProcessFailure(description: DiagnosticRenderer().render(result.diagnostics))
        }
        return BreakingInput(result)
    }
}

/// The Buf CLI itself: the table's expectations and the rule catalog are checked against it.
@Suite("Breaking-change rules against the Buf CLI (buf-bin in the test venv)")
struct BreakingOracleTests {
    /// `FERRY_BUF`, or the venv's buf that scripts/ensure-deps.sh installs.
    static let buf =
        ProcessInfo.processInfo.environment["FERRY_BUF"]
        ?? TestPaths.repositoryRoot.appendingPathComponent(".venv/bin/buf").path

    @Test("Ferry knows buf's v2 rules, each in buf's categories")
    func catalog() async throws {
        let output = try await Program.check(
            Self.buf,
            ["config", "ls-breaking-rules", "--version", "v2", "--format", "json"]
        )
        var bufRules: [String: Set<String>] = [:]
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let id = try #require(object["id"] as? String)
            let categories =
                (object["categories"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                ?? (object["categories"] as? [String]) ?? []
            // CSR (Confluent Schema Registry) is buf's own category for its registry; Ferry's
            // registry has its own rules.
            bufRules[id] = Set(categories).subtracting(["CSR"])
        }
        let ours = Dictionary(
            uniqueKeysWithValues: BreakingRule.all.map { ($0.id, Set($0.categories.map(\.rawValue))) }
        )
        #expect(ours == bufRules)
    }

    @Test("every expectation in the table is what buf 1.75 reports (scripts/breaking_oracle.py)")
    func table() async throws {
        let script = TestPaths.repositoryRoot.appendingPathComponent("scripts/breaking_oracle.py").path
        let result = try await Program.run(
            TestPaths.python,
            [script, "check", "--buf", Self.buf],
            mergeErrors: true,
            timeout: .seconds(900)
        )
        #expect(result.status == 0, "\(result.output.suffix(4_000))")
    }

    @Test("docs/compatibility.md has a row for every rule with its categories")
    func documentation() throws {
        let url = TestPaths.repositoryRoot.appendingPathComponent("docs/compatibility.md")
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        for rule in BreakingRule.all {
            let row = try #require(rows.first { $0.hasPrefix("| `\(rule.id)` |") }, "no row for \(rule.id)")
            let marks = row.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let categories = zip(["FILE", "PACKAGE", "WIRE_JSON", "WIRE"], marks[2...5])
                .filter { $0.1 == "✓" }.map(\.0)
            #expect(Set(categories) == Set(rule.categories.map(\.rawValue)), "\(row)")
        }
    }
}
