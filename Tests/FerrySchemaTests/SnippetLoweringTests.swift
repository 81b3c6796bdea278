import FerryCodec
import Foundation
import Testing

@testable import FerrySchema

/// Small valid files, each lowered and compared with protoc's descriptor of the same text.
@Suite struct SnippetLoweringTests {
    static let snippets: [String] = [
        "",
        "// only a comment\n",
        "syntax = \"proto3\";",
        "syntax = 'proto2'; message A { optional group G = 1 { optional int32 x = 1; } }",
        """
        syntax = \"proto2\"; message A { extensions 10 to max; }\nextend A { \
        optional group Ext = 10 { } repeated int32 r = 11; }
        """,
        """
        syntax = \"proto2\"; enum E { A = 0; B = 1 [deprecated = true, (x) = 1]; reserved -5 \
        to -1, 100 to max; }\nimport \"google/protobuf/descriptor.proto\";\nextend \
        google.protobuf.EnumValueOptions { optional int32 x = 50000; }
        """,
        """
        syntax = \"proto3\"; message R {} service S { rpc A(R) returns (R) \
        { ; } rpc B(stream R) returns (stream R); }
        """,
        "syntax = \"proto3\"; message M { int32 optional = 1; string syntax = 2; bool map = 3; int64 stream = 4; }",
        """
        syntax = \"proto2\"; message M { optional string s = 1 [default = \"a\" \"b\" 'c']; \
        optional bytes b = 2 [default = \"\\0\\x7f\\xff\\u00e9\"]; }
        """,
        """
        syntax = \"proto2\"; message M { optional double d = 1 [default = 0x1F]; optional float f = 2 [default = \
        -0.0]; optional double e = 3 [default = 1e400]; optional int64 i = 4 [default = -9223372036854775808]; }
        """,
        """
        syntax = \"proto3\"; package a.b; message M { map<int64, M> m = 1; message N \
        { map<bool, bytes> n_map = 1; } optional M o = 2; }
        """,
        "syntax = \"proto3\"; message M { oneof c { int32 x = 1; } optional int32 _b = 2; int32 X_b = 3; }",
        "syntax = \"proto2\"; message M { optional int32 a = 1 [json_name = \"A\", default = 5]; }",
        "syntax = \"proto3\";\n\n// c1\n\n// c2\n\n;\n// c3\nmessage A {}\n;\n",
        "syntax = \"proto3\"; enum E { option allow_alias = true; A = 0; B = 0; ; }",
        """
        syntax = \"proto2\"; message A { extensions 1, 2, 3 to 4; reserved 5, 6 to \
        7; } message B { extend A { optional int32 x = 1; } }
        """,
        """
        syntax = \"proto3\"; import public \"google/protobuf/any.proto\"; import weak \
        \"google/protobuf/empty.proto\"; message M { google.protobuf.Any a = 1; }
        """,
        """
        syntax = \"proto3\"; import \"google/protobuf/descriptor.proto\"; extend \
        google.protobuf.FieldOptions { optional int32 opt3 = 50001; }
        """,
        """
        syntax = \"proto2\"; message M { oneof o { group G = 1 { optional int32 x = 1; } int32 y = \
        2; } extend M { optional group H = 100 { } } extensions 100 to 200; }
        """,
        """
        syntax = \"proto2\";\n// lead\nmessage M { // trail\n  // g lead\n  optional \
        group G = 1 { // g trail\n    optional int32 x = 1;\n  }\n}\n
        """,
    ]

    @Test("small files lower like protoc", arguments: snippets.indices)
    func snippet(index: Int) async throws {
        try #require(Protoc.isAvailable)
        let text = Self.snippets[index]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-snippet-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(text.utf8).write(to: directory.appendingPathComponent("s.proto"))
        let (ours, diagnostics) = ProtoParser.parseDescriptor(SourceFile(name: "s.proto", text: text))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        let theirs = try #require(
            try await Protoc.descriptor(of: "s.proto", includeRoots: [directory.path, "/usr/include"])
        )
        let mismatches = DescriptorComparison.compare(ours: ours, protoc: theirs)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10).joined(separator: "\n"))")
    }
}
