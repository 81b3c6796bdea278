import FerryCodec
import Foundation
import Testing

@testable import FerrySchema

/// Random valid files from ``ProtoGenerator``: whatever protoc accepts must parse without errors
/// and lower to the same structure, defaults and source info as protoc's descriptor.
@Suite struct GeneratedFileTests {
    @Test("random valid files lower exactly like protoc", arguments: 0..<40)
    func generated(seed: Int) async throws {
        try #require(Protoc.isAvailable)
        var generator = ProtoGenerator(seed: UInt64(seed) &+ 1000)
        let text = generator.file()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-gen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(text.utf8).write(to: directory.appendingPathComponent("g.proto"))
        let theirs = try await Protoc.descriptor(of: "g.proto", includeRoots: [directory.path])
        let (ours, diagnostics) = ProtoParser.parseDescriptor(SourceFile(name: "g.proto", text: text))
        guard let theirs else {
            // protoc rejected the file at link time; the parser may still accept it.
            let protocErrors = try await Protoc.errors(for: text, name: "g.proto")
            Issue.record("generator produced a file protoc rejects:\n\(protocErrors)\n\(text)")
            return
        }
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)\n\(text)")
        let mismatches = DescriptorComparison.compare(ours: ours, protoc: theirs)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10).joined(separator: "\n"))\n---\n\(text)")
    }
}
