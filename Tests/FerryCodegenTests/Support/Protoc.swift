import FerryCodec
import FerryCodegen
import Foundation
import ProcessTestSupport

/// Compiles .proto text with protoc and runs the generator on the result.
enum Protoc {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// protoc's descriptors (with source info) for `files` (name → text); the last file is the one to generate.
    static func descriptors(_ files: [(String, String)]) async throws -> [Google_Protobuf_FileDescriptorProto] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-codegen-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(text.utf8).write(to: url)
        }
        let out = directory.appendingPathComponent("out.pb").path
        let result = try await Program.run(
            TestPaths.protoc,
            ["-I", directory.path, "--include_imports", "--include_source_info", "--descriptor_set_out=\(out)"]
                + files.map(\.0)
        )
        guard result.status == 0 else { throw Failure(description: result.stderr) }
        return try Google_Protobuf_FileDescriptorSet(
            serializedBytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
        ).file
    }

    /// protoc's descriptors (with source info) of a file of the protobuf corpus and its imports.
    static func descriptorsFromCorpus(_ path: String, corpus: URL) async throws -> [Google_Protobuf_FileDescriptorProto]
    {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-corpus-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try await Program.run(
            TestPaths.protoc,
            ["-I", corpus.path, "--include_imports", "--include_source_info", "--descriptor_set_out=\(out.path)", path]
        )
        guard result.status == 0 else { throw Failure(description: "protoc failed on \(path): \(result.stderr)") }
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](Data(contentsOf: out))).file
    }

    /// The Swift generated for the last of `files`.
    static func generate(
        _ files: [(String, String)],
        options: GeneratorOptions = GeneratorOptions()
    ) async throws -> String {
        let descriptors = try await descriptors(files)
        let generated = try SwiftGenerator(options: options).generate(
            files: descriptors,
            toGenerate: [files[files.count - 1].0]
        )
        return generated.first?.content ?? ""
    }

    static func generate(_ text: String, options: GeneratorOptions = GeneratorOptions()) async throws -> String {
        try await generate([("test.proto", text)], options: options)
    }
}
