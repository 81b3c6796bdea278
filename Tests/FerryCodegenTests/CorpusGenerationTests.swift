import FerryCodec
import FerryCodegen
import Foundation
import Testing

/// Every .proto file of the protobuf corpus generates without error, deterministically. (That
/// the output compiles is checked by GeneratedCorpusTests for the files it includes.)
@Suite struct CorpusGenerationTests {
    static func corpusFiles() throws -> [String] {
        let directory = SizeBudgetTests.corpus.appendingPathComponent("google/protobuf")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".proto") }
            .sorted()
            .map { "google/protobuf/" + $0 }
    }

    @Test("each corpus file generates, the same way twice", arguments: try corpusFiles())
    func generates(file: String) async throws {
        let descriptors = try await Protoc.descriptorsFromCorpus(file, corpus: SizeBudgetTests.corpus)
        let first = try SwiftGenerator().generate(files: descriptors, toGenerate: [file])
        let second = try SwiftGenerator().generate(files: descriptors.reversed(), toGenerate: [file])
        #expect(first == second)
        #expect(first.first?.content.contains("enum ") == true)
    }
}
