import FerryCodec
import Foundation
import ProcessTestSupport
import Testing

@testable import FerryRegistry
@testable import FerryRegistryClient

@Suite("ProtoPrinter: descriptor to .proto text, checked by protoc")
struct ProtoPrinterTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "shared/corpus/protobuf-3.21.12"
        )

    /// Files whose descriptors carry custom options (kept only as unknown option fields, which the
    /// printer cannot name) are left out.
    static let customOptionFiles: Set<String> = [
        "google/protobuf/unittest_custom_options.proto", "google/protobuf/unittest_lite_imports_nonlite.proto",
        "google/protobuf/unittest_lazy_dependencies.proto", "google/protobuf/unittest_proto3_optional.proto",
    ]

    static func corpusFiles() -> [String] {
        let directory = corpus.appendingPathComponent("google/protobuf")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".proto") }.sorted().map { "google/protobuf/" + $0 }
            .filter { !customOptionFiles.contains($0) }
    }

    static func protoc(_ file: String, includes: [String]) async throws -> Google_Protobuf_FileDescriptorSet {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-printer-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try await Program.run(
            TestPaths.protoc,
            includes.flatMap { ["-I", $0] } + ["--include_imports", "--descriptor_set_out=\(out.path)", file]
        )
        guard result.status == 0 else {
            throw RegistryError(.invalidSchema, "protoc failed on \(file): \(result.stderr)")
        }
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](try Data(contentsOf: out)))
    }

    @Test("the corpus is there")
    func corpusPresent() {
        #expect(Self.corpusFiles().count > 20)
    }

    @Test("printed text compiles back to the same descriptor", arguments: corpusFiles())
    func roundTrip(_ file: String) async throws {
        let original = try #require(try await Self.protoc(file, includes: [Self.corpus.path]).file.last)
        let text = ProtoPrinter().print(original)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-printed-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        let printed = directory.appendingPathComponent(file)
        try FileManager.default.createDirectory(
            at: printed.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try Data(text.utf8).write(to: printed)
        let reparsed = try #require(
            try await Self.protoc(file, includes: [directory.path, Self.corpus.path]).file.last
        )
        #expect(reparsed == original, "\(text)")
    }

    @Test("maps, oneofs, proto3 optional, groups, defaults and reserved ranges print as written")
    func shapes() async throws {
        let schema = try await TestSchemas.schema(
            """
            message A {
              optional int32 a = 1 [default = -5];
              optional string s = 2 [default = "q\\"uote\\n"];
              repeated group G = 3 { optional int32 x = 1; }
              map<string, A> children = 4;
              oneof pick { int64 n = 5; bytes b = 6; }
              reserved 10 to 12, 20;
              reserved "gone";
              extensions 100 to max;
            }
            """,
            syntax: "proto2"
        )
        let text = ProtoPrinter().print(schema.file)
        #expect(text.contains("optional int32 a = 1 [default = -5];"))
        #expect(text.contains("repeated group G = 3 {"))
        #expect(text.contains("map<string, .acme.A> children = 4;"))
        #expect(text.contains("oneof pick {"))
        #expect(text.contains("reserved 10 to 12, 20;"))
        #expect(text.contains("extensions 100 to max;"))
        #expect(!text.contains("ChildrenEntry"))
        let again = try await TestSchemas.parser.parse(text, fileName: "event.proto", dependencies: [:])
        var expected = schema.file
        expected.sourceCodeInfo = nil
        #expect(again.file == expected)
    }
}
