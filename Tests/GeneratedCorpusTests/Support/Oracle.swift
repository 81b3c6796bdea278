import Foundation
import ProcessTestSupport

/// protoc and python protobuf, run as external oracles.
enum Oracle {
    static let repositoryRoot = TestPaths.repositoryRoot
    static let sharedDirectory = TestPaths.sharedDirectory
    static let script = repositoryRoot.appendingPathComponent("Tests/GeneratedCorpusTests/Oracle/oracle.py").path

    /// The .proto files whose generated code this target compiles, relative to their include dirs.
    static let protoFiles = [
        "bench.proto",
        "google/protobuf/test_messages_proto3.proto", "google/protobuf/test_messages_proto2.proto",
        "google/protobuf/unittest.proto", "google/protobuf/map_unittest.proto",
        "google/protobuf/unittest_custom_options.proto", "google/protobuf/unittest_proto3_optional.proto",
        "google/protobuf/unittest_proto3.proto", "naming_torture.proto", "naming_torture3.proto",
    ]

    static func run(_ executable: String, _ arguments: [String], stdin: String = "") async throws -> String {
        String(decoding: try await Program.check(executable, arguments, stdin: Array(stdin.utf8)), as: UTF8.self)
    }

    /// A FileDescriptorSet of every fixture .proto and its imports, written by protoc.
    static func descriptorSet() async throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-corpus-\(UUID().uuidString).pb")
            .path
        _ = try await run(
            TestPaths.protoc,
            [
                "-I", sharedDirectory.appendingPathComponent("corpus/protobuf-3.21.12").path,
                "-I", sharedDirectory.appendingPathComponent("bench").path,
                "-I", repositoryRoot.appendingPathComponent("Tests/GeneratedCorpusTests/Schemas").path,
                "--include_imports", "--descriptor_set_out=\(path)",
            ] + protoFiles
        )
        return path
    }

    static func python(_ arguments: [String], stdin: String = "") async throws -> String {
        try await run(TestPaths.python, [script] + arguments, stdin: stdin)
    }
}

extension Array where Element == UInt8 {
    init?(hex: Substring) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self = bytes
    }

    var hex: String {
        map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
