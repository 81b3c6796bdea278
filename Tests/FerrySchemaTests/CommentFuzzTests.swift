import FerryCodec
import Foundation
import Testing

@testable import FerrySchema

/// Differential test of comment attachment: re-spaces a valid file with random comments, blank
/// lines and tabs between its tokens, and checks that every location (with its leading, trailing
/// and detached comments) equals protoc's.
@Suite struct CommentFuzzTests {
    static let trivia = [
        " ", " ", "\n", "\n\n", "\t", " // line comment\n", "\n// leading one\n// leading two\n",
        "/* block */", " /* block */\n", "\n/*\n * multi\n * line\n */\n", "\n\n// detached\n\n", "//\n", "/**/",
        "\n  /* a */ /* b */\n",
    ]

    static func respace(_ text: String, seed: UInt64) -> String {
        let (stream, _) = Lexer.tokenize(SourceFile(name: "x.proto", text: text))
        var random = SplitMix64(state: seed)
        var output = ""
        for token in stream.tokens where token.kind != .end {
            output += token.text
            if Int.random(in: 0..<3, using: &random) == 0 {
                output += trivia.randomElement(using: &random) ?? " "
            } else {
                output += " "
            }
        }
        return output + "\n"
    }

    @Test("random comment placements attach exactly as protoc attaches them", arguments: 0..<20)
    func fuzz(seed: Int) async throws {
        try #require(Protoc.isAvailable)
        let fixtures = FixtureLoweringTests.fixtures
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-comments-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["comments.proto", "proto3.proto", "constructs.proto"] {
            let original = try String(contentsOfFile: "\(fixtures)/\(name)", encoding: .utf8)
            let text = Self.respace(original, seed: UInt64(seed) &* 7919 &+ UInt64(name.count))
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
            let (ours, diagnostics) = ProtoParser.parseDescriptor(SourceFile(name: name, text: text))
            #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
            let theirs = try #require(
                try await Protoc.descriptor(of: name, includeRoots: [directory.path, "/usr/include"])
            )
            let mismatches = DescriptorComparison.compare(ours: ours, protoc: theirs)
            #expect(
                mismatches.isEmpty,
                "\(name) seed \(seed):\n\(mismatches.prefix(10).joined(separator: "\n"))\n---\n\(text)"
            )
        }
    }
}

@Suite struct LineEndingTests {
    @Test("CRLF line endings give protoc's spans and comments", arguments: ["comments.proto", "constructs.proto"])
    func crlf(name: String) async throws {
        try #require(Protoc.isAvailable)
        let original = try String(contentsOfFile: "\(FixtureLoweringTests.fixtures)/\(name)", encoding: .utf8)
        let text = original.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-crlf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        let (ours, diagnostics) = ProtoParser.parseDescriptor(SourceFile(name: name, text: text))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        let theirs = try #require(
            try await Protoc.descriptor(of: name, includeRoots: [directory.path, "/usr/include"])
        )
        let mismatches = DescriptorComparison.compare(ours: ours, protoc: theirs)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10).joined(separator: "\n"))")
    }
}
