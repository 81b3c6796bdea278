import FerryRegistry
import Foundation
import Testing

/// A minimal evolution that one rule must recognize.
struct RuleExample: Sendable, CustomTestStringConvertible {
    var rule: String
    var old: String
    var new: String
    var syntax = "proto3"
    /// The element the difference must name.
    var element: String

    var testDescription: String { rule }
}

let registryRuleExamples: [RuleExample] = [
    RuleExample(
        rule: "PACKAGE_CHANGED",
        old: "package acme; message A {}",
        new: "package shop; message A {}",
        element: "shop"
    ),
    RuleExample(rule: "MESSAGE_ADDED", old: "message A {}", new: "message A {} message B {}", element: "acme.B"),
    RuleExample(rule: "MESSAGE_REMOVED", old: "message A {} message B {}", new: "message A {}", element: "acme.B"),
    RuleExample(
        rule: "MESSAGE_MOVED",
        old: "message A {} message B {}",
        new: "message B {} message A {}",
        element: "acme.A"
    ),
    RuleExample(rule: "ENUM_ADDED", old: "message A {}", new: "message A {} enum E { E0 = 0; }", element: "acme.E"),
    RuleExample(
        rule: "ENUM_REMOVED",
        old: "message A { enum E { E0 = 0; } }",
        new: "message A {}",
        element: "acme.A.E"
    ),
    RuleExample(
        rule: "ENUM_CONST_ADDED",
        old: "enum E { E0 = 0; }",
        new: "enum E { E0 = 0; E1 = 1; }",
        element: "acme.E.E1"
    ),
    RuleExample(
        rule: "ENUM_CONST_CHANGED",
        old: "enum E { E0 = 0; E1 = 1; }",
        new: "enum E { E0 = 0; ONE = 1; }",
        element: "acme.E.ONE"
    ),
    RuleExample(
        rule: "ENUM_CONST_REMOVED",
        old: "enum E { E0 = 0; E1 = 1; }",
        new: "enum E { E0 = 0; }",
        element: "acme.E.E1"
    ),
    RuleExample(rule: "FIELD_ADDED", old: "message A {}", new: "message A { int32 x = 1; }", element: "acme.A.x"),
    RuleExample(rule: "FIELD_REMOVED", old: "message A { int32 x = 1; }", new: "message A {}", element: "acme.A.x"),
    RuleExample(
        rule: "FIELD_NAME_CHANGED",
        old: "message A { int32 x = 1; }",
        new: "message A { int32 y = 1; }",
        element: "acme.A.y"
    ),
    RuleExample(
        rule: "FIELD_KIND_CHANGED",
        old: "message B {} message A { B x = 1; }",
        new: "message B {} message A { map<int32, B> x = 1; }",
        element: "acme.A.x"
    ),
    RuleExample(
        rule: "FIELD_SCALAR_KIND_CHANGED",
        old: "message A { uint64 x = 1; }",
        new: "message A { fixed64 x = 1; }",
        element: "acme.A.x"
    ),
    RuleExample(
        rule: "FIELD_NAMED_TYPE_CHANGED",
        old: "message B {} message C {} message A { B x = 1; }",
        new: "message B {} message C {} message A { C x = 1; }",
        element: "acme.A.x"
    ),
    RuleExample(
        rule: "FIELD_NUMERIC_LABEL_CHANGED",
        old: "message A { optional sint32 x = 1; }",
        new: "message A { repeated sint32 x = 1; }",
        syntax: "proto2",
        element: "acme.A.x"
    ),
    RuleExample(
        rule: "FIELD_STRING_OR_BYTES_LABEL_CHANGED",
        old: "message A { optional bytes x = 1; }",
        new: "message A { repeated bytes x = 1; }",
        syntax: "proto2",
        element: "acme.A.x"
    ),
    RuleExample(
        rule: "REQUIRED_FIELD_ADDED",
        old: "message A {}",
        new: "message A { required int32 x = 1; }",
        syntax: "proto2",
        element: "acme.A.x"
    ),
    RuleExample(
        rule: "REQUIRED_FIELD_REMOVED",
        old: "message A { required int32 x = 1; }",
        new: "message A {}",
        syntax: "proto2",
        element: "acme.A.x"
    ),
    RuleExample(
        rule: "ONEOF_ADDED",
        old: "message A {}",
        new: "message A { oneof o { int32 x = 1; } }",
        element: "acme.A.o"
    ),
    RuleExample(
        rule: "ONEOF_REMOVED",
        old: "message A { oneof o { int32 x = 1; } }",
        new: "message A {}",
        element: "acme.A.o"
    ),
    RuleExample(
        rule: "ONEOF_FIELD_ADDED",
        old: "message A { oneof o { int32 x = 1; } }",
        new: "message A { oneof o { int32 x = 1; int32 y = 2; } }",
        element: "acme.A.y"
    ),
    RuleExample(
        rule: "ONEOF_FIELD_REMOVED",
        old: "message A { oneof o { int32 x = 1; int32 y = 2; } }",
        new: "message A { oneof o { int32 x = 1; } }",
        element: "acme.A.y"
    ),
    RuleExample(
        rule: "MULTIPLE_FIELDS_MOVED_TO_ONEOF",
        old: "message A { int32 x = 1; int32 y = 2; }",
        new: "message A { oneof o { int32 x = 1; int32 y = 2; } }",
        element: "acme.A.o"
    ),
    RuleExample(
        rule: "FIELD_MOVED_TO_EXISTING_ONEOF",
        old: "message A { int32 x = 1; oneof o { int32 y = 2; } }",
        new: "message A { oneof o { int32 x = 1; int32 y = 2; } }",
        element: "acme.A.o"
    ),
]

@Suite("Compatibility rules, one test per rule")
struct RuleTests {
    @Test("every registry rule has an example", arguments: CompatibilityRule.registryRules)
    func registryRuleCovered(_ rule: CompatibilityRule) {
        #expect(registryRuleExamples.contains { $0.rule == rule.name })
    }

    @Test("registry rule recognizes its example", arguments: registryRuleExamples)
    func registryRule(_ example: RuleExample) async throws {
        try await check(example, rules: CompatibilityRule.registryRules)
    }

    private func check(_ example: RuleExample, rules: [CompatibilityRule]) async throws {
        let rule = try #require(rules.first { $0.name == example.rule })
        let old = try await TestSchemas.schema(example.old, syntax: example.syntax)
        let new = try await TestSchemas.schema(example.new, syntax: example.syntax)
        let found = CompatibilityChecker().differences(from: old, to: new)
        let match = try #require(found.first { $0.rule == rule }, "found only \(found)")
        #expect(match.element == example.element)
        #expect(match.path.hasPrefix("#/"))
        #expect(!match.reason.isEmpty)
        // The example changes nothing else that breaks.
        #expect(
            found.filter { $0.isBreaking && $0.rule != rule && $0.rule != .fieldNamedTypeChanged }.isEmpty,
            "\(found)"
        )
    }

    @Test("docs/compatibility.md lists every rule with its verdict")
    func documentation() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/compatibility.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        for rule in CompatibilityRule.registryRules {
            let row = text.split(separator: "\n").first { $0.hasPrefix("| `\(rule.name)`") }
            let line = try #require(row, "no table row for \(rule.name)")
            #expect(line.contains(rule.isBreaking ? "| breaking |" : "| compatible |"), "\(line)")
        }
    }
}
