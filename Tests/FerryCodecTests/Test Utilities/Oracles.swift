import Foundation
import ProcessTestSupport

/// Paths and external programs the tests compare against.
enum Oracles {
    static let protobufCorpus = TestPaths.sharedDirectory.appendingPathComponent("corpus/protobuf-3.21.12")

    /// Runs a program to completion and returns its standard output; throws unless it exits 0.
    static func run(_ executable: String, _ arguments: [String], stdin: [UInt8] = []) async throws -> [UInt8] {
        try await Program.check(executable, arguments, stdin: stdin)
    }

    /// protoc's FileDescriptorSet for `file` (relative to the protobuf corpus).
    static func protocDescriptorSet(_ file: String, sourceInfo: Bool = false) async throws -> [UInt8] {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: out) }
        var arguments = ["-I", protobufCorpus.path, "--include_imports", "--descriptor_set_out=\(out.path)", file]
        if sourceInfo { arguments.insert("--include_source_info", at: 0) }
        try await Program.check(TestPaths.protoc, arguments)
        return [UInt8](try Data(contentsOf: out))
    }

    /// Every .proto file of the protobuf corpus, relative to it.
    static func corpusFiles() throws -> [String] {
        let directory = protobufCorpus.appendingPathComponent("google/protobuf")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".proto") }
            .sorted()
            .map { "google/protobuf/" + $0 }
    }
}
