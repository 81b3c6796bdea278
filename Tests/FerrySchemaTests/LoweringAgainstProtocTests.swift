import Foundation
import Testing

@testable import FerrySchema

@Suite struct LoweringAgainstProtocTests {
    static let includeRoots = ["\(Corpus.root)/protobuf-3.21.12", "\(Corpus.root)/grpc-proto"]

    @Test("every corpus file lowers to what protoc produces before linking", arguments: Corpus.names)
    func corpusFile(name: String) async throws {
        try #require(Protoc.isAvailable)
        let path = try #require(Corpus.path(of: name))
        let data = try #require(FileManager.default.contents(atPath: path))
        let (ours, diagnostics) = ProtoParser.parseDescriptor(SourceFile(name: name, bytes: Array(data)))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        let theirs = try #require(try await Protoc.descriptor(of: name, includeRoots: Self.includeRoots))
        let mismatches = DescriptorComparison.compare(ours: ours, protoc: theirs)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20).joined(separator: "\n"))")
    }
}

@Suite struct FixtureLoweringTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        .path

    @Test(
        "hand-written fixtures lower to what protoc produces before linking",
        arguments: ["constructs.proto", "comments.proto", "proto3.proto"]
    )
    func fixture(name: String) async throws {
        try #require(Protoc.isAvailable)
        let data = try #require(FileManager.default.contents(atPath: "\(Self.fixtures)/\(name)"))
        let (ours, diagnostics) = ProtoParser.parseDescriptor(SourceFile(name: name, bytes: Array(data)))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        let theirs = try #require(try await Protoc.descriptor(of: name, includeRoots: [Self.fixtures, "/usr/include"]))
        let mismatches = DescriptorComparison.compare(ours: ours, protoc: theirs)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(30).joined(separator: "\n"))")
    }
}
