import Foundation
import Testing

@testable import FerrySchema

/// Broken snippets, each with the first diagnostic we expect; `protocAgrees` marks the cases in
/// which protoc reports the same line and column (checked against the real protoc).
struct BrokenSnippet: Sendable, CustomTestStringConvertible {
    let text: String
    let expected: String
    let protocAgrees: Bool

    init(_ text: String, _ expected: String, protocAgrees: Bool = true) {
        self.text = text
        self.expected = expected
        self.protocAgrees = protocAgrees
    }

    var testDescription: String { expected }
}

@Suite struct DiagnosticsTests {
    static let p3 = "syntax = \"proto3\";\n"
    static let p2 = "syntax = \"proto2\";\n"

    static let snippets: [BrokenSnippet] = [
        .init(p3 + "message M { int32 x = 1 }", #"t.proto:2:25: error: Expected ";", found "}"."#),
        .init(p3 + "message M {\n  int32 = 1;\n}", #"t.proto:3:9: error: Expected field name, found "="."#),
        .init(
            p3 + "message M {\n  int32 x 1;\n}",
            #"t.proto:3:11: error: Missing field number: expected "=", found "1"."#
        ),
        .init(p3 + "message M {\n  int32 x = -1;\n}", #"t.proto:3:13: error: Expected field number, found "-"."#),
        .init(
            p3 + "message M {\n  int32 x = 99999999999;\n}",
            "t.proto:3:13: error: Integer out of range: 99999999999."
        ),
        .init(
            "syntax = \"proto4\";",
            #"""
            t.proto:1:10: error: Unrecognized syntax identifier "proto4".  This \#
            parser only recognizes "proto2" and "proto3".
            """#
        ),
        .init(
            p2 + "message M {\n  int32 x = 1;\n}",
            #"t.proto:3:3: error: Expected "required", "optional", or "repeated"."#
        ),
        .init(p3 + "message M {\n", "t.proto:3:1: error: Reached end of input in message definition (missing '}')."),
        .init(p3 + "message {}", #"t.proto:2:9: error: Expected message name, found "{"."#),
        .init(p3 + "foo bar;", #"t.proto:2:1: error: Expected top-level statement (e.g. "message"), found "foo"."#),
        .init(
            p3 + "enum E { A; }",
            #"t.proto:2:11: error: Missing numeric value for enum constant: expected "=", found ";"."#
        ),
        .init(p3 + "enum E { A = 1.5; }", #"t.proto:2:14: error: Expected integer, found "1.5"."#),
        .init(
            p3 + "message M { reserved foo; }",
            #"t.proto:2:22: error: Reserved names must be string literals: write "foo" in quotes."#
        ),
        .init(
            p3 + "message M { oneof o { repeated int32 x = 1; } }",
            "t.proto:2:23: error: Fields in oneofs must not have labels (required / optional / repeated)."
        ),
        .init(
            p3 + "message M { repeated map<string, int32> m = 1; }",
            "t.proto:2:13: error: Field labels (required/optional/repeated) are not allowed on map fields.",
            protocAgrees: false
        ),
        .init(
            p3 + "message M { oneof o { map<string, int32> m = 1; } }",
            "t.proto:2:23: error: Map fields are not allowed in oneofs.",
            protocAgrees: false
        ),
        .init(
            p2 + "message M { optional group lower = 1 { } }",
            #"t.proto:2:28: error: Group names must start with a capital letter: "lower"."#
        ),
        .init(
            p2 + "message M { optional int32 x = 1 [default = \"s\"]; }",
            #"t.proto:2:45: error: Expected integer for field default value, found ""s""."#
        ),
        .init(
            p2 + "message M { optional uint32 x = 1 [default = -1]; }",
            "t.proto:2:46: error: Unsigned field can't have negative default value.",
            protocAgrees: false
        ),
        .init(
            p2 + "message M { optional int32 x = 1 [default = 2147483648]; }",
            "t.proto:2:45: error: Integer out of range: 2147483648."
        ),
        .init(
            p2 + "message M { optional bool x = 1 [default = 1]; }",
            #"t.proto:2:44: error: Expected "true" or "false", found "1"."#
        ),
        .init(p3 + "service S { rpc A(B) returns C; }", #"t.proto:2:30: error: Expected "(", found "C"."#),
        .init(p3 + "service S { rpc A(B); }", #"t.proto:2:21: error: Expected "returns", found ";"."#),
        .init(p3 + "option (x) = -inf;", #"t.proto:2:15: error: Invalid '-' symbol before identifier "inf"."#),
        .init(p3 + "option x = ;", #"t.proto:2:12: error: Expected option value, found ";"."#),
        .init(p3 + "import foo;", #"t.proto:2:8: error: Expected a string naming the file to import, found "foo"."#),
        .init(p3 + "package a.b;\npackage c;", #"t.proto:3:1: error: Multiple package definitions: "c"."#),
        .init(
            p3 + "message M { string s = 1 [default = \"x\" }",
            #"t.proto:2:41: error: Expected "," or "]", found "}"."#
        ),
        .init(
            p3 + "message M { int32 x = 1; }\n}",
            #"t.proto:3:1: error: Expected top-level statement (e.g. "message"), found "}"."#
        ),
        .init(p3 + "message M { extensions 1 to; }", #"t.proto:2:28: error: Expected integer, found ";"."#),
        .init(
            p3 + "message M { int32 x = 1 [json_name = 5]; }",
            #"t.proto:2:38: error: Expected string for JSON name, found "5"."#
        ),
        .init(
            "edition = \"2022\";",
            #"t.proto:1:11: error: Unknown edition "2022"."#,
            protocAgrees: false
        ),
        .init(p3 + "message M { int32 x = \"1\"; }", #"t.proto:2:23: error: Expected field number, found ""1""."#),
        .init(p3 + "message M { int32 x = 1.0; }", #"t.proto:2:23: error: Expected field number, found "1.0"."#),
        .init(p3 + "message M { int32 x = 1 [(foo = 1]; }", #"t.proto:2:31: error: Expected ")", found "="."#),
        .init(p3 + "enum E { A = 2147483648; }", "t.proto:2:14: error: Integer out of range: 2147483648."),
        .init(
            p3 + "message M { string s = 1; }\nstring \"x\";",
            #"t.proto:3:1: error: Expected top-level statement (e.g. "message"), found "string"."#
        ),
        .init(p3 + "message M { int32 x = 1 }\nmessage N { }", #"t.proto:2:25: error: Expected ";", found "}"."#),
        .init(
            p3 + "message M { string s = 1 [default = \"abc]; }\n",
            "t.proto:2:45: error: String literals cannot cross line boundaries."
        ),
        .init(p3 + "message M { int32 x = 0x; }", #"t.proto:2:25: error: "0x" must be followed by hex digits."#),
        .init(
            p3 + "message M { float f = 1 [default = 1.5f]; }",
            "t.proto:2:39: error: Need space between number and identifier."
        ),
        .init(
            p3 + "message A {}\nservice S { rpc M(int32) returns (A); }",
            #"t.proto:3:19: error: Expected message type, found "int32"."#
        ),
        .init(p3 + "extend string { int32 x = 1; }", #"t.proto:2:8: error: Expected message type, found "string"."#),
        .init(
            p2 + "message A { extensions 1 to 10; }\nextend A { map<int32, int32> m = 1; }",
            "t.proto:3:12: error: Map fields are not allowed to be extensions.",
            protocAgrees: false
        ),
        .init(p3 + "/* never closed", "t.proto:2:1: error: End-of-file inside block comment.", protocAgrees: false),
    ]

    private func diagnose(_ text: String) -> [Diagnostic] {
        ProtoParser.parseDescriptor(SourceFile(name: "t.proto", text: text)).diagnostics.filter {
            $0.severity == .error
        }
    }

    @Test("each broken snippet reports its error at file:line:column", arguments: snippets)
    func snippet(_ snippet: BrokenSnippet) throws {
        let errors = diagnose(snippet.text)
        let first = try #require(errors.first)
        #expect(first.description == snippet.expected)
    }

    @Test("protoc reports the first error at the same line and column", arguments: snippets.filter(\.protocAgrees))
    func protocAgrees(_ snippet: BrokenSnippet) async throws {
        try #require(Protoc.isAvailable)
        let output = try await Protoc.errors(for: snippet.text, name: "t.proto")
        let protocLine = try #require(output.split(separator: "\n").first { $0.hasPrefix("t.proto:") })
        let protocPosition = protocLine.split(separator: ":").prefix(3).joined(separator: ":")
        let ourPosition = snippet.expected.split(separator: ":").prefix(3).joined(separator: ":")
        #expect(protocPosition == ourPosition, "protoc said: \(protocLine)")
    }

    @Test("parsing recovers and reports several errors in one file")
    func recovery() {
        let errors = diagnose(
            Self.p3 + """
                message A { int32 = 1; int32 ok = 2; string s = ; }
                message B { int32 x = 1 }
                enum E { X = ; Y = 1; }
                service S { rpc M(A) returns B; }
                """
        )
        #expect(
            errors.map { "\($0.span?.start.line ?? 0):\($0.span?.start.column ?? 0)" } == [
                "2:19", "2:49", "3:25", "4:14", "5:30",
            ]
        )
    }

    @Test("after recovery, every error is reported where protoc reports it")
    func recoveryMatchesProtoc() async throws {
        try #require(Protoc.isAvailable)
        let text = """
            syntax = "proto3";
            message A { int32 = 1; int32 ok = 2; string s = ; }
            message B { int32 x = 1 }
            enum E { X = ; Y = 1; }
            service S { rpc M(A) returns B; }
            }
            message C { oneof o { int32 a = 1; repeated int32 b = 2; } map<int32> m = 3; }
            option (x) = ;
            import 5;

            """
        let protocPositions = try await Protoc.errors(for: text, name: "t.proto").split(separator: "\n")
            .filter { $0.hasPrefix("t.proto:") }
            .map { $0.split(separator: ":").prefix(3).joined(separator: ":") }
        let ours = diagnose(text).map { "t.proto:\($0.span?.start.line ?? 0):\($0.span?.start.column ?? 0)" }
        #expect(protocPositions.count == 11)
        #expect(ours == protocPositions)
    }

    @Test("the file still yields the declarations that parsed")
    func partialTree() {
        let (ast, diagnostics) = ProtoParser.parse(
            SourceFile(name: "t.proto", text: Self.p3 + "message A { int32 = 1; int32 ok = 2; }\nmessage B {}")
        )
        #expect(diagnostics.count == 1)
        #expect(ast.declarations.count == 2)
    }

    @Test("notes render on their own lines")
    func notes() {
        let file = SourceFile(name: "t.proto", text: "message A {}\nmessage A {}")
        let diagnostic = Diagnostic.error(
            "\"A\" is already defined.",
            at: file.span(21, 22),
            notes: [.init("first defined here", at: file.span(8, 9))]
        )
        #expect(
            DiagnosticRenderer().render(diagnostic)
                == "t.proto:2:9: error: \"A\" is already defined.\nt.proto:1:9: note: first defined here"
        )
    }
}
