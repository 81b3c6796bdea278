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
    RuleExample(rule: "PACKAGE_CHANGED", old: "package acme; message A {}", new: "package shop; message A {}", element: "shop"),
    RuleExample(rule: "MESSAGE_ADDED", old: "message A {}", new: "message A {} message B {}", element: "acme.B"),
    RuleExample(rule: "MESSAGE_REMOVED", old: "message A {} message B {}", new: "message A {}", element: "acme.B"),
    RuleExample(rule: "MESSAGE_MOVED", old: "message A {} message B {}", new: "message B {} message A {}", element: "acme.A"),
    RuleExample(rule: "ENUM_ADDED", old: "message A {}", new: "message A {} enum E { E0 = 0; }", element: "acme.E"),
    RuleExample(rule: "ENUM_REMOVED", old: "message A { enum E { E0 = 0; } }", new: "message A {}", element: "acme.A.E"),
    RuleExample(rule: "ENUM_CONST_ADDED", old: "enum E { E0 = 0; }", new: "enum E { E0 = 0; E1 = 1; }", element: "acme.E.E1"),
    RuleExample(rule: "ENUM_CONST_CHANGED", old: "enum E { E0 = 0; E1 = 1; }", new: "enum E { E0 = 0; ONE = 1; }", element: "acme.E.ONE"),
    RuleExample(rule: "ENUM_CONST_REMOVED", old: "enum E { E0 = 0; E1 = 1; }", new: "enum E { E0 = 0; }", element: "acme.E.E1"),
    RuleExample(rule: "FIELD_ADDED", old: "message A {}", new: "message A { int32 x = 1; }", element: "acme.A.x"),
    RuleExample(rule: "FIELD_REMOVED", old: "message A { int32 x = 1; }", new: "message A {}", element: "acme.A.x"),
    RuleExample(rule: "FIELD_NAME_CHANGED", old: "message A { int32 x = 1; }", new: "message A { int32 y = 1; }", element: "acme.A.y"),
    RuleExample(rule: "FIELD_KIND_CHANGED", old: "message B {} message A { B x = 1; }", new: "message B {} message A { map<int32, B> x = 1; }",
                element: "acme.A.x"),
    RuleExample(rule: "FIELD_SCALAR_KIND_CHANGED", old: "message A { uint64 x = 1; }", new: "message A { fixed64 x = 1; }", element: "acme.A.x"),
    RuleExample(rule: "FIELD_NAMED_TYPE_CHANGED", old: "message B {} message C {} message A { B x = 1; }",
                new: "message B {} message C {} message A { C x = 1; }", element: "acme.A.x"),
    RuleExample(rule: "FIELD_NUMERIC_LABEL_CHANGED", old: "message A { optional sint32 x = 1; }", new: "message A { repeated sint32 x = 1; }",
                syntax: "proto2", element: "acme.A.x"),
    RuleExample(rule: "FIELD_STRING_OR_BYTES_LABEL_CHANGED", old: "message A { optional bytes x = 1; }",
                new: "message A { repeated bytes x = 1; }", syntax: "proto2", element: "acme.A.x"),
    RuleExample(rule: "REQUIRED_FIELD_ADDED", old: "message A {}", new: "message A { required int32 x = 1; }", syntax: "proto2",
                element: "acme.A.x"),
    RuleExample(rule: "REQUIRED_FIELD_REMOVED", old: "message A { required int32 x = 1; }", new: "message A {}", syntax: "proto2",
                element: "acme.A.x"),
    RuleExample(rule: "ONEOF_ADDED", old: "message A {}", new: "message A { oneof o { int32 x = 1; } }", element: "acme.A.o"),
    RuleExample(rule: "ONEOF_REMOVED", old: "message A { oneof o { int32 x = 1; } }", new: "message A {}", element: "acme.A.o"),
    RuleExample(rule: "ONEOF_FIELD_ADDED", old: "message A { oneof o { int32 x = 1; } }",
                new: "message A { oneof o { int32 x = 1; int32 y = 2; } }", element: "acme.A.y"),
    RuleExample(rule: "ONEOF_FIELD_REMOVED", old: "message A { oneof o { int32 x = 1; int32 y = 2; } }",
                new: "message A { oneof o { int32 x = 1; } }", element: "acme.A.y"),
    RuleExample(rule: "MULTIPLE_FIELDS_MOVED_TO_ONEOF", old: "message A { int32 x = 1; int32 y = 2; }",
                new: "message A { oneof o { int32 x = 1; int32 y = 2; } }", element: "acme.A.o"),
    RuleExample(rule: "FIELD_MOVED_TO_EXISTING_ONEOF", old: "message A { int32 x = 1; oneof o { int32 y = 2; } }",
                new: "message A { oneof o { int32 x = 1; int32 y = 2; } }", element: "acme.A.o"),
]

let wireRuleExamples: [RuleExample] = [
    RuleExample(rule: "FILE_SAME_PACKAGE", old: "package acme; message A {}", new: "package shop; message A {}", element: "shop"),
    RuleExample(rule: "MESSAGE_NO_DELETE", old: "message A { message N {} }", new: "message A {}", element: "acme.A.N"),
    RuleExample(rule: "ENUM_NO_DELETE", old: "enum E { E0 = 0; }", new: "", element: "acme.E"),
    RuleExample(rule: "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", old: "message A { int32 x = 1; int32 y = 2; }",
                new: "message A { int32 x = 1; }", element: "acme.A.y"),
    RuleExample(rule: "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", old: "enum E { E0 = 0; E1 = 1; }", new: "enum E { E0 = 0; }",
                element: "acme.E.E1"),
    RuleExample(rule: "FIELD_SAME_CARDINALITY", old: "message A { int32 x = 1; }", new: "message A { repeated int32 x = 1; }",
                element: "acme.A.x"),
    RuleExample(rule: "FIELD_SAME_ONEOF", old: "message A { int32 x = 1; }", new: "message A { oneof o { int32 x = 1; } }",
                element: "acme.A.x"),
    RuleExample(rule: "FIELD_WIRE_COMPATIBLE_TYPE", old: "message A { int32 x = 1; }", new: "message A { sint32 x = 1; }",
                element: "acme.A.x"),
    RuleExample(rule: "RESERVED_NO_DELETE", old: "message A { reserved 2 to 4; }", new: "message A { reserved 2, 3; }", element: "acme.A"),
    RuleExample(rule: "SERVICE_NO_DELETE", old: "message M {} service S { rpc Get(M) returns (M); }", new: "message M {}",
                element: "acme.S"),
    RuleExample(rule: "RPC_NO_DELETE", old: "message M {} service S { rpc Get(M) returns (M); rpc Put(M) returns (M); }",
                new: "message M {} service S { rpc Get(M) returns (M); }", element: "acme.S.Put"),
    RuleExample(rule: "RPC_SAME_REQUEST_TYPE", old: "message M {} message N {} service S { rpc Get(M) returns (M); }",
                new: "message M {} message N {} service S { rpc Get(N) returns (M); }", element: "acme.S.Get"),
    RuleExample(rule: "RPC_SAME_RESPONSE_TYPE", old: "message M {} message N {} service S { rpc Get(M) returns (M); }",
                new: "message M {} message N {} service S { rpc Get(M) returns (N); }", element: "acme.S.Get"),
    RuleExample(rule: "RPC_SAME_STREAMING", old: "message M {} service S { rpc Get(M) returns (M); }",
                new: "message M {} service S { rpc Get(M) returns (stream M); }", element: "acme.S.Get"),
]

@Suite("Compatibility rules, one test per rule")
struct RuleTests {
    @Test("every registry rule has an example", arguments: CompatibilityRule.registryRules)
    func registryRuleCovered(_ rule: CompatibilityRule) {
        #expect(registryRuleExamples.contains { $0.rule == rule.name })
    }

    @Test("every wire rule has an example", arguments: CompatibilityRule.wireRules)
    func wireRuleCovered(_ rule: CompatibilityRule) {
        #expect(wireRuleExamples.contains { $0.rule == rule.name })
    }

    @Test("registry rule recognizes its example", arguments: registryRuleExamples)
    func registryRule(_ example: RuleExample) async throws {
        try await check(example, ruleSet: .registry, rules: CompatibilityRule.registryRules)
    }

    @Test("wire rule recognizes its example", arguments: wireRuleExamples)
    func wireRule(_ example: RuleExample) async throws {
        try await check(example, ruleSet: .wire, rules: CompatibilityRule.wireRules)
    }

    private func check(_ example: RuleExample, ruleSet: CompatibilityChecker.RuleSet, rules: [CompatibilityRule]) async throws {
        let rule = try #require(rules.first { $0.name == example.rule })
        let old = try await TestSchemas.schema(example.old, syntax: example.syntax)
        let new = try await TestSchemas.schema(example.new, syntax: example.syntax)
        let found = CompatibilityChecker(ruleSet: ruleSet).differences(from: old, to: new)
        let match = try #require(found.first { $0.rule == rule }, "found only \(found)")
        #expect(match.element == example.element)
        #expect(match.path.hasPrefix("#/"))
        #expect(!match.reason.isEmpty)
        // The example changes nothing else that breaks.
        #expect(found.filter { $0.isBreaking && $0.rule != rule && $0.rule != .fieldNamedTypeChanged }.isEmpty, "\(found)")
    }

    @Test("the wire rules accept what is safe on the wire")
    func wireAccepts() async throws {
        let old = try await TestSchemas.schema("""
            message A { int32 x = 1; string s = 2; reserved 9; fixed32 f = 3; map<string, int32> m = 4; }
            enum E { E0 = 0; E1 = 1; }
            """)
        let new = try await TestSchemas.schema("""
            message A { int64 renamed = 1; bytes s = 2; reserved 9, 5; sfixed32 f = 3; map<string, uint64> m = 4; string added = 6; }
            enum E { E0 = 0; reserved 1; }
            """)
        #expect(CompatibilityChecker(ruleSet: .wire).differences(from: old, to: new).isEmpty)
    }

    @Test("docs/compatibility.md lists every rule with its verdict")
    func documentation() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/compatibility.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        for rule in CompatibilityRule.registryRules + CompatibilityRule.wireRules {
            let row = text.split(separator: "\n").first { $0.hasPrefix("| `\(rule.name)`") }
            let line = try #require(row, "no table row for \(rule.name)")
            #expect(line.contains(rule.isBreaking ? "| breaking |" : "| compatible |"), "\(line)")
        }
    }
}
