import FerryCodec
import Testing
@testable import FerrySchema

/// The whole compiler against protoc: for every corpus file, Ferry's `--include_imports`
/// descriptor set must equal protoc's byte for byte (source info cleared on both sides).
@Suite struct CompilerOracleTests {
    @Test("Ferry's descriptor set equals protoc's", arguments: SchemaOracles.corpusFiles())
    func descriptorSetEqualsProtoc(file: String) throws {
        var expected = try SchemaOracles.protocSet(file)
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
}
