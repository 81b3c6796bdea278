import Foundation
import Testing

@testable import FerrySchema

@Suite struct CorpusParseTests {
    @Test("every corpus file parses without errors", arguments: Corpus.names)
    func parses(name: String) throws {
        let path = try #require(Corpus.path(of: name))
        let data = try #require(FileManager.default.contents(atPath: path))
        let (_, diagnostics) = ProtoParser.parse(SourceFile(name: name, bytes: Array(data)))
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(DiagnosticRenderer().render(errors))")
    }

    @Test("the corpus is present")
    func corpusPresent() {
        #expect(Corpus.names.count > 40)
    }
}
