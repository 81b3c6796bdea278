import FerryRegistry
import Testing

/// One schema evolution and the verdicts Confluent's registry gives it.
struct Evolution: Sendable, CustomTestStringConvertible {
    var name: String
    var old: String
    var new: String
    var syntax = "proto3"
    /// New schema reads data written with the old one.
    var backward: Bool
    /// Old schema reads data written with the new one.
    var forward: Bool
    /// Every change the registry rules find from old to new, by rule name.
    var changes: Set<String>

    var testDescription: String { name }
}

let evolutions: [Evolution] = [
    Evolution(
        name: "identical schema",
        old: "message A { int32 a = 1; }",
        new: "message A { int32 a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "field added",
        old: "message A { int32 a = 1; }",
        new: "message A { int32 a = 1; string b = 2; }",
        backward: true,
        forward: true,
        changes: ["FIELD_ADDED"]
    ),
    Evolution(
        name: "field removed",
        old: "message A { int32 a = 1; string b = 2; }",
        new: "message A { int32 a = 1; }",
        backward: true,
        forward: true,
        changes: ["FIELD_REMOVED"]
    ),
    Evolution(
        name: "field renamed",
        old: "message A { int32 a = 1; }",
        new: "message A { int32 count = 1; }",
        backward: true,
        forward: true,
        changes: ["FIELD_NAME_CHANGED"]
    ),
    Evolution(
        name: "field number changed",
        old: "message A { int32 a = 1; }",
        new: "message A { int32 a = 2; }",
        backward: true,
        forward: true,
        changes: ["FIELD_REMOVED", "FIELD_ADDED"]
    ),
    Evolution(
        name: "int32 to int64",
        old: "message A { int32 a = 1; }",
        new: "message A { int64 a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "int32 to uint64",
        old: "message A { int32 a = 1; }",
        new: "message A { uint64 a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "uint32 to bool",
        old: "message A { uint32 a = 1; }",
        new: "message A { bool a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "sint32 to sint64",
        old: "message A { sint32 a = 1; }",
        new: "message A { sint64 a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "string to bytes",
        old: "message A { string a = 1; }",
        new: "message A { bytes a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "fixed32 to sfixed32",
        old: "message A { fixed32 a = 1; }",
        new: "message A { sfixed32 a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "fixed64 to sfixed64",
        old: "message A { fixed64 a = 1; }",
        new: "message A { sfixed64 a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "int32 to enum",
        old: "message A { int32 a = 1; }",
        new: "enum E { E0 = 0; } message A { E a = 1; }",
        backward: true,
        forward: true,
        changes: ["ENUM_ADDED"]
    ),
    Evolution(
        name: "enum to another enum",
        old: "enum E { E0 = 0; } enum F { F0 = 0; } message A { E a = 1; }",
        new: "enum E { E0 = 0; } enum F { F0 = 0; } message A { F a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "int32 to sint32",
        old: "message A { int32 a = 1; }",
        new: "message A { sint32 a = 1; }",
        backward: false,
        forward: false,
        changes: ["FIELD_SCALAR_KIND_CHANGED"]
    ),
    Evolution(
        name: "fixed32 to fixed64",
        old: "message A { fixed32 a = 1; }",
        new: "message A { fixed64 a = 1; }",
        backward: false,
        forward: false,
        changes: ["FIELD_SCALAR_KIND_CHANGED"]
    ),
    Evolution(
        name: "float to double",
        old: "message A { float a = 1; }",
        new: "message A { double a = 1; }",
        backward: false,
        forward: false,
        changes: ["FIELD_SCALAR_KIND_CHANGED"]
    ),
    Evolution(
        name: "int64 to string",
        old: "message A { int64 a = 1; }",
        new: "message A { string a = 1; }",
        backward: false,
        forward: false,
        changes: ["FIELD_SCALAR_KIND_CHANGED"]
    ),
    Evolution(
        name: "scalar to message",
        old: "message B {} message A { int32 a = 1; }",
        new: "message B {} message A { B a = 1; }",
        backward: false,
        forward: false,
        changes: ["FIELD_KIND_CHANGED"]
    ),
    Evolution(
        name: "bytes to message",
        old: "message B {} message A { bytes a = 1; }",
        new: "message B {} message A { B a = 1; }",
        backward: false,
        forward: false,
        changes: ["FIELD_KIND_CHANGED"]
    ),
    Evolution(
        name: "repeated message to map",
        old: "message B {} message A { repeated B a = 1; }",
        new: "message B {} message A { map<string, B> a = 1; }",
        backward: false,
        forward: false,
        changes: ["FIELD_KIND_CHANGED"]
    ),
    Evolution(
        name: "map value int32 to int64",
        old: "message A { map<string, int32> a = 1; }",
        new: "message A { map<string, int64> a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "map value int32 to string",
        old: "message A { map<string, int32> a = 1; }",
        new: "message A { map<string, string> a = 1; }",
        backward: false,
        forward: false,
        changes: ["FIELD_SCALAR_KIND_CHANGED"]
    ),
    Evolution(
        name: "field message type renamed",
        old: "message B {} message C {} message A { B a = 1; }",
        new: "message B {} message C {} message A { C a = 1; }",
        backward: false,
        forward: false,
        changes: ["FIELD_NAMED_TYPE_CHANGED"]
    ),
    Evolution(
        name: "referenced message changed compatibly",
        old: "message B { int32 x = 1; } message A { B a = 1; }",
        new: "message B { int64 x = 1; string y = 2; } message A { B a = 1; }",
        backward: true,
        forward: true,
        changes: ["FIELD_ADDED"]
    ),
    Evolution(
        name: "referenced message changed incompatibly",
        old: "message B { int32 x = 1; } message A { B a = 1; }",
        new: "message B { string x = 1; } message A { B a = 1; }",
        backward: false,
        forward: false,
        changes: ["FIELD_SCALAR_KIND_CHANGED", "FIELD_NAMED_TYPE_CHANGED"]
    ),
    Evolution(
        name: "message added",
        old: "message A {}",
        new: "message A {} message B {}",
        backward: true,
        forward: false,
        changes: ["MESSAGE_ADDED"]
    ),
    Evolution(
        name: "message removed",
        old: "message A {} message B {}",
        new: "message A {}",
        backward: false,
        forward: true,
        changes: ["MESSAGE_REMOVED"]
    ),
    Evolution(
        name: "messages reordered",
        old: "message A {} message B {}",
        new: "message B {} message A {}",
        backward: true,
        forward: true,
        changes: ["MESSAGE_MOVED"]
    ),
    Evolution(
        name: "nested message added",
        old: "message A {}",
        new: "message A { message N {} }",
        backward: true,
        forward: false,
        changes: ["MESSAGE_ADDED"]
    ),
    Evolution(
        name: "package changed",
        old: "package acme; message A {}",
        new: "package acme.v2; message A {}",
        backward: false,
        forward: false,
        changes: ["PACKAGE_CHANGED"]
    ),
    Evolution(
        name: "enum added",
        old: "message A {}",
        new: "message A {} enum E { E0 = 0; }",
        backward: true,
        forward: true,
        changes: ["ENUM_ADDED"]
    ),
    Evolution(
        name: "enum removed",
        old: "message A {} enum E { E0 = 0; }",
        new: "message A {}",
        backward: true,
        forward: true,
        changes: ["ENUM_REMOVED"]
    ),
    Evolution(
        name: "enum value added",
        old: "enum E { E0 = 0; }",
        new: "enum E { E0 = 0; E1 = 1; }",
        backward: true,
        forward: true,
        changes: ["ENUM_CONST_ADDED"]
    ),
    Evolution(
        name: "enum value removed",
        old: "enum E { E0 = 0; E1 = 1; }",
        new: "enum E { E0 = 0; }",
        backward: true,
        forward: true,
        changes: ["ENUM_CONST_REMOVED"]
    ),
    Evolution(
        name: "enum value renamed",
        old: "enum E { E0 = 0; E1 = 1; }",
        new: "enum E { E0 = 0; ONE = 1; }",
        backward: true,
        forward: true,
        changes: ["ENUM_CONST_CHANGED"]
    ),
    Evolution(
        name: "proto2 required field added",
        old: "message A { optional int32 a = 1; }",
        new: "message A { optional int32 a = 1; required int32 b = 2; }",
        syntax: "proto2",
        backward: false,
        forward: false,
        changes: ["REQUIRED_FIELD_ADDED"]
    ),
    Evolution(
        name: "proto2 required field removed",
        old: "message A { optional int32 a = 1; required int32 b = 2; }",
        new: "message A { optional int32 a = 1; }",
        syntax: "proto2",
        backward: false,
        forward: false,
        changes: ["REQUIRED_FIELD_REMOVED"]
    ),
    Evolution(
        name: "proto2 optional to required numeric",
        old: "message A { optional int32 a = 1; }",
        new: "message A { required int32 a = 1; }",
        syntax: "proto2",
        backward: false,
        forward: false,
        changes: ["FIELD_NUMERIC_LABEL_CHANGED"]
    ),
    Evolution(
        name: "proto2 optional to repeated numeric",
        old: "message A { optional int64 a = 1; }",
        new: "message A { repeated int64 a = 1; }",
        syntax: "proto2",
        backward: false,
        forward: false,
        changes: ["FIELD_NUMERIC_LABEL_CHANGED"]
    ),
    Evolution(
        name: "proto2 optional to repeated string",
        old: "message A { optional string a = 1; }",
        new: "message A { repeated string a = 1; }",
        syntax: "proto2",
        backward: true,
        forward: true,
        changes: ["FIELD_STRING_OR_BYTES_LABEL_CHANGED"]
    ),
    Evolution(
        name: "proto3 optional to repeated numeric",
        old: "message A { optional double a = 1; }",
        new: "message A { repeated double a = 1; }",
        backward: false,
        forward: false,
        changes: ["FIELD_NUMERIC_LABEL_CHANGED"]
    ),
    Evolution(
        name: "proto3 unlabeled to repeated numeric (no label to compare, as in Confluent)",
        old: "message A { int32 a = 1; }",
        new: "message A { repeated int32 a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "proto3 unlabeled to optional",
        old: "message A { int32 a = 1; }",
        new: "message A { optional int32 a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "repeated message to singular",
        old: "message B {} message A { repeated B a = 1; }",
        new: "message B {} message A { B a = 1; }",
        backward: true,
        forward: true,
        changes: []
    ),
    Evolution(
        name: "oneof added with new fields",
        old: "message A { int32 a = 1; }",
        new: "message A { int32 a = 1; oneof o { string b = 2; int32 c = 3; } }",
        backward: true,
        forward: true,
        changes: ["ONEOF_ADDED"]
    ),
    Evolution(
        name: "oneof removed with its fields",
        old: "message A { int32 a = 1; oneof o { string b = 2; int32 c = 3; } }",
        new: "message A { int32 a = 1; }",
        backward: true,
        forward: true,
        changes: ["ONEOF_REMOVED"]
    ),
    Evolution(
        name: "field added to a oneof",
        old: "message A { oneof o { string b = 2; } }",
        new: "message A { oneof o { string b = 2; int32 c = 3; } }",
        backward: true,
        forward: false,
        changes: ["ONEOF_FIELD_ADDED"]
    ),
    Evolution(
        name: "oneof field removed",
        old: "message A { oneof o { string b = 2; int32 c = 3; } }",
        new: "message A { oneof o { string b = 2; } }",
        backward: false,
        forward: true,
        changes: ["ONEOF_FIELD_REMOVED"]
    ),
    Evolution(
        name: "one field moved into a new oneof",
        old: "message A { int32 a = 1; }",
        new: "message A { oneof o { int32 a = 1; } }",
        backward: true,
        forward: true,
        changes: ["ONEOF_ADDED"]
    ),
    Evolution(
        name: "several fields moved into a new oneof",
        old: "message A { int32 a = 1; string b = 2; }",
        new: "message A { oneof o { int32 a = 1; string b = 2; } }",
        backward: false,
        forward: true,
        changes: ["ONEOF_ADDED", "MULTIPLE_FIELDS_MOVED_TO_ONEOF"]
    ),
    Evolution(
        name: "field moved into an existing oneof",
        old: "message A { int32 a = 1; oneof o { string b = 2; } }",
        new: "message A { oneof o { int32 a = 1; string b = 2; } }",
        backward: false,
        forward: true,
        changes: ["FIELD_MOVED_TO_EXISTING_ONEOF", "ONEOF_FIELD_ADDED"]
    ),
    Evolution(
        name: "lone oneof field moved to top level",
        old: "message A { oneof o { int32 a = 1; } }",
        new: "message A { int32 a = 1; }",
        backward: true,
        forward: true,
        changes: ["ONEOF_REMOVED", "FIELD_ADDED"]
    ),
    Evolution(
        name: "field type changed while moved into a oneof",
        old: "message A { int32 a = 1; }",
        new: "message A { oneof o { string a = 1; } }",
        backward: false,
        forward: false,
        changes: ["ONEOF_ADDED", "FIELD_SCALAR_KIND_CHANGED"]
    ),
    Evolution(
        name: "nested message field changed incompatibly",
        old: "message A { message N { int32 x = 1; } N n = 1; }",
        new: "message A { message N { double x = 1; } N n = 1; }",
        backward: false,
        forward: false,
        changes: ["FIELD_SCALAR_KIND_CHANGED", "FIELD_NAMED_TYPE_CHANGED"]
    ),
    Evolution(
        name: "recursive message gains a field",
        old: "message Tree { repeated Tree children = 1; }",
        new: "message Tree { repeated Tree children = 1; string label = 2; }",
        backward: true,
        forward: true,
        changes: ["FIELD_ADDED"]
    ),
]

@Suite("Schema evolution table (registry rules, every level)")
struct EvolutionTableTests {
    @Test("at least 40 evolutions are covered")
    func tableSize() {
        #expect(evolutions.count >= 40)
    }

    @Test("each evolution gets the expected changes and the expected verdict per level", arguments: evolutions)
    func verdicts(_ evolution: Evolution) async throws {
        let old = try await TestSchemas.schema(evolution.old, syntax: evolution.syntax)
        let new = try await TestSchemas.schema(evolution.new, syntax: evolution.syntax)
        let checker = CompatibilityChecker()
        let changes = checker.differences(from: old, to: new)
        #expect(Set(changes.map(\.rule.name)) == evolution.changes, "\(changes)")
        let expected: [CompatibilityLevel: Bool] = [
            .none: true,
            .backward: evolution.backward, .backwardTransitive: evolution.backward,
            .forward: evolution.forward, .forwardTransitive: evolution.forward,
            .full: evolution.backward && evolution.forward, .fullTransitive: evolution.backward && evolution.forward,
        ]
        for level in CompatibilityLevel.allCases {
            let problems = checker.incompatibilities(of: new, against: [old], level: level)
            #expect(problems.isEmpty == expected[level], "\(level.rawValue): \(problems)")
        }
    }

    @Test("transitive levels check every earlier version, the others only the latest")
    func transitive() async throws {
        let v1 = try await TestSchemas.schema("message A { int32 a = 1; }")
        let v2 = try await TestSchemas.schema("message A { }")
        let v3 = try await TestSchemas.schema("message A { string a = 1; }")
        let checker = CompatibilityChecker()
        let verdicts = Dictionary(
            uniqueKeysWithValues: CompatibilityLevel.allCases.map {
                ($0, checker.incompatibilities(of: v3, against: [v1, v2], level: $0).isEmpty)
            }
        )
        #expect(
            verdicts == [
                .none: true, .backward: true, .forward: true, .full: true,
                .backwardTransitive: false, .forwardTransitive: false, .fullTransitive: false,
            ]
        )
        let problem = try #require(
            checker.incompatibilities(of: v3, against: [v1, v2], level: .backwardTransitive).first
        )
        #expect(problem.rule == .fieldScalarKindChanged)
        #expect(problem.path == "#/A/1")
        #expect(problem.element == "acme.A.a")
    }

    @Test("a removed message is found against an older version only by the transitive level")
    func transitiveMessageRemoval() async throws {
        let v1 = try await TestSchemas.schema("message A {} message Old {}")
        let v2 = try await TestSchemas.schema("message A {}")
        let v3 = try await TestSchemas.schema("message A { int32 x = 1; }")
        let checker = CompatibilityChecker()
        #expect(checker.incompatibilities(of: v3, against: [v1, v2], level: .backward).isEmpty)
        let problems = checker.incompatibilities(of: v3, against: [v1, v2], level: .backwardTransitive)
        #expect(problems.map(\.rule) == [.messageRemoved])
        #expect(problems.first?.element == "acme.Old")
    }
}
