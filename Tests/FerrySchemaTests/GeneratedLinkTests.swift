import FerryCodec
import Foundation
import Testing

@testable import FerrySchema

/// Random valid files from ``ProtoGenerator`` through the whole compiler: the linked descriptor
/// set, source info included, must equal protoc's byte for byte.
@Suite struct GeneratedLinkTests {
    @Test("random valid files link exactly like protoc", arguments: 0..<40)
    func generated(seed: Int) async throws {
        var generator = ProtoGenerator(seed: UInt64(seed) &+ 7000)
        let text = generator.file()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-genlink-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(text.utf8).write(to: directory.appendingPathComponent("g.proto"))
        let importPaths = [directory.path, SchemaOracles.protobufCorpus]
        let expected = try await SchemaOracles.protocSet("g.proto", importPaths: importPaths, sourceInfo: true)
        let result = Compiler(importPaths: importPaths).compile(files: ["g.proto"])
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.description) == [], "\(text)")
        let ours = result.descriptorSet(includeImports: true, includeSourceInfo: true)
        var oursCleared = ours
        var expectedCleared = expected
        for index in oursCleared.file.indices { oursCleared.file[index].sourceCodeInfo = nil }
        for index in expectedCleared.file.indices { expectedCleared.file[index].sourceCodeInfo = nil }
        let difference = DescriptorDiff.firstDifference(oursCleared, expectedCleared)
        #expect(difference == nil, "\(difference ?? "")\n---\n\(text)")
        #expect(ours.serializedBytes() == expected.serializedBytes(), "source info differs\n---\n\(text)")
    }
}
