import FerryCodec
import Foundation
import ProcessTestSupport
import Testing

@testable import FerrySchema

/// The whole compiler against protoc: for every corpus file, Ferry's `--include_imports`
/// descriptor set must equal protoc's byte for byte (source info cleared on both sides).
@Suite struct CompilerOracleTests {
    @Test("Ferry's descriptor set equals protoc's", arguments: SchemaOracles.corpusFiles())
    func descriptorSetEqualsProtoc(file: String) async throws {
        var expected = try await SchemaOracles.protocSet(file)
        for index in expected.file.indices { expected.file[index].sourceCodeInfo = nil }
        let result = Compiler(importPaths: SchemaOracles.corpusImportPaths).compile(files: [file])
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        var ours = result.descriptorSet(includeImports: true, includeSourceInfo: true)
        for index in ours.file.indices { ours.file[index].sourceCodeInfo = nil }
        // Decode both from bytes so that both sides went through the same codec.
        let oursDecoded = try Google_Protobuf_FileDescriptorSet(serializedBytes: ours.serializedBytes())
        let difference = DescriptorDiff.firstDifference(oursDecoded, expected)
        #expect(difference == nil, "\(difference ?? "")")
    }

    @Test("Ferry's source info equals protoc's --include_source_info", arguments: SchemaOracles.corpusFiles())
    func sourceInfoEqualsProtoc(file: String) async throws {
        let expected = try await SchemaOracles.protocSet(file, sourceInfo: true)
        let result = Compiler(importPaths: SchemaOracles.corpusImportPaths).compile(files: [file])
        let ours = result.descriptorSet(includeImports: true, includeSourceInfo: true)
        for (mine, theirs) in zip(ours.file, expected.file) {
            let a = mine.sourceCodeInfo?.location ?? []
            let b = theirs.sourceCodeInfo?.location ?? []
            if let index = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record(
                    """
                    \(mine.name ?? ""): location \(index) differs: ferry \(a[index].path) \
                    \(a[index].span) vs protoc \(b[index].path) \(b[index].span)
                    """
                )
            } else {
                #expect(a.count == b.count, "\(mine.name ?? ""): \(a.count) locations vs protoc \(b.count)")
            }
        }
        #expect(ours.serializedBytes() == expected.serializedBytes())
    }

    /// Schemas outside the two corpora, each with the import paths it needs.
    static let extraSchemas: [(file: String, importPaths: [String])] = [
        ("conformance.proto", [SchemaOracles.protobufCorpus]),
        (
            "bench.proto",
            [SchemaOracles.sharedDirectory.appendingPathComponent("bench").path, SchemaOracles.protobufCorpus]
        ),
        ("google/protobuf/compiler/plugin.proto", ["/usr/include"]),
        (
            "ferry/examples/v1/checkout.proto",
            [TestPaths.repositoryRoot.appendingPathComponent("Schemas").path, SchemaOracles.protobufCorpus]
        ),
    ]

    @Test("Ferry's descriptor set equals protoc's for the other schemas", arguments: 0..<extraSchemas.count)
    func extraSchemaEqualsProtoc(index: Int) async throws {
        let (file, importPaths) = Self.extraSchemas[index]
        let present = importPaths.contains { FileManager.default.fileExists(atPath: $0 + "/" + file) }
        try #require(present, "\(file) not found under \(importPaths)")
        let expected = try await SchemaOracles.protocSet(file, importPaths: importPaths, sourceInfo: true)
        let result = Compiler(importPaths: importPaths).compile(files: [file])
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        let ours = result.descriptorSet(includeImports: true, includeSourceInfo: true)
        let difference = DescriptorDiff.firstDifference(ours, expected)
        #expect(difference == nil, "\(difference ?? "")")
    }
}
