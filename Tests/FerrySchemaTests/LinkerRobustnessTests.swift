import FerryCodec
import Foundation
import Testing

@testable import FerrySchema

/// Broken input must give diagnostics, never a crash: corpus files with lines deleted,
/// duplicated or swapped go through the whole compiler.
@Suite struct LinkerRobustnessTests {
    /// A small deterministic generator so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(
        "mutated corpus files compile to diagnostics without crashing",
        arguments: [
            "google/protobuf/unittest.proto", "google/protobuf/unittest_custom_options.proto",
            "google/protobuf/unittest_proto3.proto", "google/protobuf/descriptor.proto",
        ]
    )
    func mutations(file: String) throws {
        let original = try String(contentsOfFile: SchemaOracles.protobufCorpus + "/" + file, encoding: .utf8)
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false)
        var random = SplitMix(state: UInt64(file.utf8.count))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-mutations-\(UUID().uuidString)"
        )
        let target = directory.appendingPathComponent(file)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        var failures = 0
        for _ in 0..<60 {
            var mutated = lines
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let index = Int.random(in: 0..<mutated.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: mutated.remove(at: index)
                case 1: mutated.insert(mutated[index], at: index)
                default: mutated.swapAt(index, Int.random(in: 0..<mutated.count, using: &random))
                }
            }
            try Data(mutated.joined(separator: "\n").utf8).write(to: target)
            let result = Compiler(importPaths: [directory.path, SchemaOracles.protobufCorpus]).compile(files: [file])
            if result.hasErrors {
                failures += 1
                #expect(!result.diagnostics.isEmpty)
            }
        }
        #expect(failures > 0)
    }
}
