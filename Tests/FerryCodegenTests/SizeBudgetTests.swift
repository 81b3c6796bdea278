import FerryCodec
import FerryCodegen
import Foundation
import Testing

/// The size budget: generated Swift at most 3× the lines of its .proto, services included
/// (SwiftProtobuf: 9.8× on protobuf's test schemas without services; see BENCHMARKS.md).
@Suite struct SizeBudgetTests {
    static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { break }
        }
        return url
    }()
    static let corpus = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/protobuf-3.21.12")

    static func lineCount(_ text: String) -> Int {
        text.split(separator: "\n", omittingEmptySubsequences: false).count
    }

    /// The ratio of generated lines to .proto lines for `paths` under `root`, all generated in one run.
    static func ratio(of paths: [String], under root: URL) async throws -> (proto: Int, swift: Int) {
        var files: [Google_Protobuf_FileDescriptorProto] = []
        var protoLines = 0
        for path in paths {
            protoLines += lineCount(try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8))
            for file in try await Protoc.descriptorsFromCorpus(path, corpus: root)
            where !files.contains(where: { $0.name == file.name }) {
                files.append(file)
            }
        }
        let generated = try SwiftGenerator(options: GeneratorOptions()).generate(files: files, toGenerate: paths)
        #expect(generated.count == paths.count)
        return (protoLines, generated.reduce(0) { $0 + lineCount($1.content) })
    }

    @Test("unittest.proto: at most 3 lines of Swift per line of .proto")
    func unittestRatio() async throws {
        let (proto, swift) = try await Self.ratio(of: ["google/protobuf/unittest.proto"], under: Self.corpus)
        print("unittest.proto: \(proto) lines -> \(swift) lines of Swift (\(Double(swift) / Double(proto))x)")
        // 6,952 lines (4.9×) before messages and services shed their repeated bodies (2026-12-06).
        #expect(Double(swift) <= 3.0 * Double(proto))
    }

    @Test("Schemas/: at most 3 lines of Swift per line of .proto, services included")
    func schemasRatio() async throws {
        let root = Self.repository.appendingPathComponent("Schemas")
        let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
        let paths = enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".proto") }.sorted()
        #expect(paths.count >= 8)
        let (proto, swift) = try await Self.ratio(of: paths, under: root)
        print("Schemas/: \(proto) lines -> \(swift) lines of Swift (\(Double(swift) / Double(proto))x)")
        // 4,539 lines (5.7×) before (2026-12-06).
        #expect(Double(swift) <= 3.0 * Double(proto))
    }
}
