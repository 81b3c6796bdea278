import FerryCodec
import Foundation
import ProcessTestSupport
import Testing

@testable import FerrySchema

/// Option interpretation against protoc on fixtures that use every option form: built-in and
/// custom options on every kind of element, every scalar type, sub-field paths, repeated and
/// packed options, aggregates (nested messages, groups, lists, extensions, proto3 implicit
/// presence), defaults of every type and explicit json names.
@Suite struct OptionsOracleTests {
    static let fixtures = TestPaths.repositoryRoot.appendingPathComponent("Tests/FerrySchemaTests/Fixtures").path

    @Test(
        "descriptor sets with options equal protoc's byte for byte",
        arguments: ["options_proto2.proto", "options_proto3.proto"]
    )
    func optionsEqualProtoc(file: String) async throws {
        let importPaths = [Self.fixtures, SchemaOracles.protobufCorpus]
        var expected = try await SchemaOracles.protocSet(file, importPaths: importPaths)
        for index in expected.file.indices { expected.file[index].sourceCodeInfo = nil }
        let result = Compiler(importPaths: importPaths).compile(files: [file])
        #expect(result.diagnostics.map(\.description) == [])
        let ours = try Google_Protobuf_FileDescriptorSet(
            serializedBytes: result.descriptorSet(includeImports: true).serializedBytes()
        )
        let difference = DescriptorDiff.firstDifference(ours, expected)
        #expect(difference == nil, "\(difference ?? "")")
    }
}
