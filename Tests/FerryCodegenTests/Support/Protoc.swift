import FerryCodec
import FerryCodegen
import Foundation

/// Compiles .proto text with protoc and runs the generator on the result.
enum Protoc {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// protoc's descriptors (with source info) for `files` (name → text); the last file is the one to generate.
    static func descriptors(_ files: [(String, String)]) throws -> [Google_Protobuf_FileDescriptorProto] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-codegen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let out = directory.appendingPathComponent("out.pb").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/protoc")
        process.arguments = ["-I", directory.path, "--include_imports", "--include_source_info", "--descriptor_set_out=\(out)"] + files.map(\.0)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))).file
    }

    /// protoc's descriptors (with source info) of a file of the protobuf corpus and its imports.
    static func descriptorsFromCorpus(_ path: String, corpus: URL) throws -> [Google_Protobuf_FileDescriptorProto] {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-corpus-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/protoc")
        process.arguments = ["-I", corpus.path, "--include_imports", "--include_source_info", "--descriptor_set_out=\(out.path)", path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "protoc failed on \(path)") }
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](Data(contentsOf: out))).file
    }

    /// The Swift generated for the last of `files`.
    static func generate(_ files: [(String, String)], options: GeneratorOptions = GeneratorOptions()) throws -> String {
        let descriptors = try descriptors(files)
        let generated = try SwiftGenerator(options: options).generate(files: descriptors, toGenerate: [files[files.count - 1].0])
        return generated.first?.content ?? ""
    }

    static func generate(_ text: String, options: GeneratorOptions = GeneratorOptions()) throws -> String {
        try generate([("test.proto", text)], options: options)
    }
}
