import FerryCodec
import Foundation
import ProcessTestSupport
import Testing

@testable import FerrySchema

/// The .proto files Ferry ships (protobuf 35's descriptor.proto, plugin.proto and well-known
/// types) and the options that came with them, against protoc 35 (grpcio-tools in the test venv).
@Suite struct CurrentProtobufTests {
    static let wellKnown = try! #require(Compiler.wellKnownImportPath)

    static let shippedFiles = [
        "google/protobuf/descriptor.proto", "google/protobuf/compiler/plugin.proto", "google/protobuf/any.proto",
        "google/protobuf/api.proto", "google/protobuf/duration.proto", "google/protobuf/empty.proto",
        "google/protobuf/field_mask.proto", "google/protobuf/source_context.proto", "google/protobuf/struct.proto",
        "google/protobuf/timestamp.proto", "google/protobuf/type.proto", "google/protobuf/wrappers.proto",
    ]

    @Test("the shipped .proto files compile to protoc 35's descriptors, source info included", arguments: shippedFiles)
    func shippedFileEqualsProtoc35(file: String) async throws {
        let expected = try await SchemaOracles.protoc35Set(file, importPaths: [Self.wellKnown], sourceInfo: true)
        let result = Compiler(importPaths: [Self.wellKnown]).compile(files: [file])
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        let ours = result.descriptorSet(includeImports: true, includeSourceInfo: true)
        let difference = DescriptorDiff.firstDifference(ours, expected)
        #expect(difference == nil, "\(difference ?? "")")
        #expect(ours.serializedBytes() == expected.serializedBytes())
    }

    /// Options declared `[retention = RETENTION_SOURCE]` are checked, then left out of the
    /// descriptor with their source locations; inside an aggregate value only the source-retention
    /// fields go.
    @Test("source-retention options are checked and left out, as protoc 35 does")
    func sourceRetention() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-retention-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        syntax = "proto3";
        package r;
        import "google/protobuf/descriptor.proto";
        message Meta { string keep = 1; string drop = 2 [retention = RETENTION_SOURCE]; }
        extend google.protobuf.FieldOptions {
          string source_only = 50001 [retention = RETENTION_SOURCE];
          string runtime = 50002 [retention = RETENTION_RUNTIME];
          Meta meta = 50003;
        }
        message M {
          string a = 1 [(source_only) = "x"];
          string b = 2 [(source_only) = "x", (runtime) = "y"];
          string c = 3 [(meta) = { keep: "k" drop: "d" }];
        }
        """.write(to: directory.appendingPathComponent("r.proto"), atomically: true, encoding: .utf8)
        let paths = [directory.path, Self.wellKnown]
        let expected = try await SchemaOracles.protoc35Set("r.proto", importPaths: paths, sourceInfo: true)
        let result = Compiler(importPaths: paths).compile(files: ["r.proto"])
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        let ours = result.descriptorSet(includeImports: true, includeSourceInfo: true)
        #expect(DescriptorDiff.firstDifference(ours, expected) == nil)
        #expect(ours.serializedBytes() == expected.serializedBytes())
        let fields = try #require(ours.file.last?.messageType.last?.field)
        #expect(fields[0].options == nil)  // only a source-retention option: no options at all
        #expect(fields[1].options?.unknownFields.isEmpty == false)  // the runtime one stays

        // A source-retention option is still checked.
        try "syntax = \"proto3\"; import \"r.proto\"; message N { string a = 1 [(r.source_only) = 5]; }"
            .write(to: directory.appendingPathComponent("bad.proto"), atomically: true, encoding: .utf8)
        let bad = Compiler(importPaths: paths).compile(files: ["bad.proto"])
        #expect(bad.diagnostics.contains { $0.severity == .error })
    }

    static let editionFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/editions").path

    @Test(
        "edition 2023 and 2024 files compile to protoc 35's descriptors, source info included",
        arguments: ["features_2023.proto", "plain_2024.proto"]
    )
    func editionFileEqualsProtoc35(file: String) async throws {
        let paths = [Self.editionFixtures, Self.wellKnown]
        let expected = try await SchemaOracles.protoc35Set(file, importPaths: paths, sourceInfo: true)
        let result = Compiler(importPaths: paths).compile(files: [file])
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        let ours = result.descriptorSet(includeImports: true, includeSourceInfo: true)
        #expect(DescriptorDiff.firstDifference(ours, expected) == nil)
        #expect(ours.serializedBytes() == expected.serializedBytes())
        #expect(ours.file.last?.syntax == "editions")
    }

    @Test(
        "what editions forbid is reported where and as protoc 35 reports it",
        arguments: [
            "edition = \"2023\"; message M { optional int32 a = 1; }",
            "edition = \"2023\"; message M { required int32 b = 2; }",
            "edition = \"2023\"; message M { group G = 3 { int32 c = 1; } }",
            "edition = \"2023\"; message M { repeated int32 d = 4 [packed = true]; }",
            "edition = \"2025\"; message M {}",
            "edition = \"2022\"; message M {}",
        ]
    )
    func editionErrors(source: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-editions-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try source.write(to: directory.appendingPathComponent("bad.proto"), atomically: true, encoding: .utf8)
        let protoc = try await Program.run(
            TestPaths.python,
            ["-m", "grpc_tools.protoc", "-I", directory.path, "--descriptor_set_out=/dev/null", "bad.proto"],
            mergeErrors: true,
            timeout: .seconds(60)
        )
        #expect(protoc.status != 0)
        let expected = protoc.output.split(separator: "\n").map {
            $0.replacingOccurrences(of: directory.path + "/", with: "")
        }
        let result = Compiler(importPaths: [directory.path]).compile(files: ["bad.proto"])
        let ours = result.diagnostics.filter { $0.severity == .error }.map {
            $0.description.replacingOccurrences(of: ": error: ", with: ":")
        }
        #expect(
            ours.map { $0.replacingOccurrences(of: " ", with: "") }
                == expected.map { $0.replacingOccurrences(of: " ", with: "") },
            "ferry: \(ours)\nprotoc 35: \(expected)"
        )
    }
}
