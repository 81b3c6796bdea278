import FerryCodec
import FerryCodegen
import Foundation
import Testing

/// STYLE.md's size budget: generated Swift about 3× the lines of its .proto (SwiftProtobuf:
/// 10.7× on its 573-line unittest.proto). Messages only: SwiftProtobuf generates no services.
@Suite struct SizeBudgetTests {
    static let corpus: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { break }
        }
        return url.deletingLastPathComponent().appendingPathComponent("shared/corpus/protobuf-3.21.12")
    }()

    @Test("unittest.proto stays within the line budget")
    func unittestRatio() async throws {
        let path = "google/protobuf/unittest.proto"
        let protoText = try String(contentsOf: Self.corpus.appendingPathComponent(path), encoding: .utf8)
        let files = try await Protoc.descriptorsFromCorpus(path, corpus: Self.corpus)
        let swift = try #require(
            SwiftGenerator(options: GeneratorOptions(generatesServices: false)).generate(
                files: files,
                toGenerate: [path]
            ).first
        ).content
        let protoLines = protoText.split(separator: "\n", omittingEmptySubsequences: false).count
        let swiftLines = swift.split(separator: "\n", omittingEmptySubsequences: false).count
        let ratio = Double(swiftLines) / Double(protoLines)
        print("unittest.proto: \(protoLines) lines -> \(swiftLines) lines of Swift (\(ratio)x)")
        // 4.8× since large messages keep their fields in a copy-on-write class (each field is named
        // in the class, the forwarding property, the copy, == and hash): 18 % less object code.
        #expect(ratio < 5.0)
    }
}
