import FerryCodec
import Foundation
import Testing

@testable import FerrySchema

/// A small deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Hostile source never crashes the parser or the lowering. A hang is caught by the suite's time
/// limit, a generous guard rather than a measurement: the parser's speed is measured in
/// `Benchmarks/`, not here.
@Suite(.timeLimit(.minutes(5))) struct RobustnessTests {
    /// Parses and lowers `bytes`; returns the descriptor so a test can check what was understood.
    @discardableResult
    private func survive(_ bytes: [UInt8]) -> Google_Protobuf_FileDescriptorProto {
        ProtoParser.parseDescriptor(SourceFile(name: "fuzz.proto", bytes: bytes)).descriptor
    }

    static let fragments = [
        "syntax", "=", "\"proto3\"", ";", "message", "M", "{", "}", "int32", "x", "1", "[", "]", "(", ")", "<", ">",
        ",", ".", "-", "option", "oneof", "enum", "service", "rpc", "returns", "stream", "map", "group", "reserved",
        "extensions", "to", "max", "extend", "import", "package", "optional", "repeated", "required", "default",
        "json_name", "'s'", "0x1F", "1.5e3", "inf", "/* c */", "// c\n", "\n", "\"unterminated", "\\", "\u{00}",
        "edition",
    ]

    @Test("random token soups never crash and finish quickly")
    func tokenSoup() {
        var random = SplitMix64(state: 42)
        for _ in 0..<400 {
            let count = Int.random(in: 0..<300, using: &random)
            var text = ""
            for _ in 0..<count {
                text += Self.fragments.randomElement(using: &random) ?? ""
                text += Bool.random(using: &random) ? " " : ""
            }
            survive(Array(text.utf8))
        }
    }

    @Test("random bytes never crash")
    func randomBytes() {
        var random = SplitMix64(state: 7)
        for _ in 0..<300 {
            let count = Int.random(in: 0..<2000, using: &random)
            survive((0..<count).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
    }

    @Test(
        "every truncation of a real file parses without crashing",
        arguments: ["google/protobuf/unittest_custom_options.proto", "grpc/testing/messages.proto"]
    )
    func truncations(name: String) throws {
        let path = try #require(Corpus.path(of: name))
        let bytes = Array(try #require(FileManager.default.contents(atPath: path)))
        let step = max(1, bytes.count / 400)
        for end in stride(from: 0, through: bytes.count, by: step) {
            survive(Array(bytes[..<end]))
        }
    }

    @Test("mutated real files never crash")
    func mutations() throws {
        let path = try #require(Corpus.path(of: "google/protobuf/unittest.proto"))
        let original = Array(try #require(FileManager.default.contents(atPath: path)))
        var random = SplitMix64(state: 1234)
        for _ in 0..<60 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...20, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.remove(at: index)
                default: bytes.insert(Array("{}[]();=\"'/*".utf8).randomElement(using: &random) ?? 0, at: index)
                }
            }
            survive(bytes)
        }
    }

    @Test("deeply nested braces and declarations are bounded, not recursed into")
    func deepNesting() {
        let depth = 100_000
        survive(Array((String(repeating: "{", count: depth) + String(repeating: "}", count: depth)).utf8))
        let messages = String(repeating: "message A {", count: depth) + String(repeating: "}", count: depth)
        let (_, diagnostics) = ProtoParser.parse(
            SourceFile(name: "deep.proto", text: "syntax = \"proto3\";" + messages)
        )
        #expect(diagnostics.contains { $0.message.hasPrefix("Declarations are nested too deeply") })
        survive(Array(messages.utf8))
        survive(Array(("syntax = \"proto3\"; option (a) = " + String(repeating: "{", count: depth)).utf8))
        survive(
            Array(("syntax = \"proto3\";" + String(repeating: "message A { oneof o { group G = 1 {", count: 5000)).utf8)
        )
        survive(Array(("syntax = \"proto3\";" + String(repeating: "enum E {", count: depth)).utf8))
    }

    @Test("long flat inputs parse whole: 20,000 fields in one message, a message after 50,000 comment lines")
    func longInputs() {
        let fields = (1...20_000).map { "int32 f\($0) = \($0);" }.joined(separator: " ")
        let wide = survive(Array(("syntax = \"proto3\"; message M { " + fields + " }").utf8))
        #expect(wide.messageType.first?.field.count == 20_000)
        #expect(wide.messageType.first?.field.last?.number == 20_000)
        let comments = String(repeating: "// comment line\n", count: 50_000) + "message M {}"
        #expect(survive(Array(comments.utf8)).messageType.map { $0.name } == ["M"])
    }
}
