import FerryCodec
import Foundation

/// Runs the real protoc as an oracle.
enum Protoc {
    static let path = "/usr/bin/protoc"

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// protoc's descriptor (with source info) of `name`, found under `includeRoots`.
    static func descriptor(of name: String, includeRoots: [String]) throws -> Google_Protobuf_FileDescriptorProto? {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("ferry-protoc-\(UUID().uuidString).pb").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = includeRoots.map { "-I\($0)" } + ["--include_source_info", "--descriptor_set_out=\(output)", name]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: output) else { return nil }
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: Array(data))
        return set.file.first
    }

    /// protoc's error output for a file (empty when it compiles).
    static func errors(for text: String, name: String = "input.proto") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-protoc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-I\(directory.path)", "--descriptor_set_out=/dev/null", name]
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
