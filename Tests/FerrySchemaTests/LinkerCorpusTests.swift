import FerryCodec
import Testing

@testable import FerrySchema

/// The linker on protoc's own descriptors turned back into parser output: linking them must
/// give protoc's descriptors again, for every corpus file.
@Suite struct LinkerCorpusTests {
    @Test("relinking protoc's unlinked descriptors reproduces protoc's set", arguments: SchemaOracles.corpusFiles())
    func relink(file: String) async throws {
        let expected = try await SchemaOracles.protocSet(file, sourceInfo: true)
        let unlinked = expected.file.map { UnlinkedFile(descriptor: Unlinking.unlink($0)) }
        let result = Compiler.link(unlinked, requested: [file])
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        var theirs = expected
        for index in theirs.file.indices { theirs.file[index].sourceCodeInfo = nil }
        let ours = result.descriptorSet(includeImports: true)
        let difference = DescriptorDiff.firstDifference(ours, theirs)
        #expect(difference == nil, "\(difference ?? "")")
    }
}
