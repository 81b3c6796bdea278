import FerryCodec
import Foundation
import ProcessTestSupport

/// Runs the real protoc as an oracle.
enum Protoc {
    static let path = TestPaths.protoc

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// protoc's descriptor (with source info) of `name`, found under `includeRoots`; nil when protoc rejects it.
    static func descriptor(of name: String, includeRoots: [String]) async throws -> Google_Protobuf_FileDescriptorProto?
    {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("ferry-protoc-\(UUID().uuidString).pb").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try await Program.run(
            path,
            includeRoots.map { "-I\($0)" } + ["--include_source_info", "--descriptor_set_out=\(output)", name]
        )
        guard result.status == 0, let data = FileManager.default.contents(atPath: output) else { return nil }
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: Array(data))
        return set.file.first
    }

    /// protoc's error output for a file (empty when it compiles).
    static func errors(for text: String, name: String = "input.proto") async throws -> String {
        let directory = try TestPaths.temporaryDirectory("ferry-protoc")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        return try await Program.run(path, ["-I\(directory.path)", "--descriptor_set_out=/dev/null", name]).stderr
    }
}
