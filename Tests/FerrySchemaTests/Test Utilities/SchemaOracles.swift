import FerryCodec
import Foundation
import ProcessTestSupport

/// protoc and the corpora, as the schema tests use them.
enum SchemaOracles {
    /// `../shared` beside the repository (FERRY_SHARED overrides; /work/shared when there is none beside it).
    static let sharedDirectory: URL = {
        if FileManager.default.fileExists(atPath: TestPaths.sharedDirectory.path) { return TestPaths.sharedDirectory }
        return URL(fileURLWithPath: "/work/shared")
    }()

    static let protobufCorpus = sharedDirectory.appendingPathComponent("corpus/protobuf-3.21.12").path
    static let grpcCorpus = sharedDirectory.appendingPathComponent("corpus/grpc-proto").path

    /// Import paths for the corpus files: grpc-proto first, then protobuf.
    static let corpusImportPaths = [grpcCorpus, protobufCorpus]

    /// Runs a program; returns exit status, standard output and standard error.
    static func run(
        _ executable: String,
        _ arguments: [String],
        in directory: String? = nil
    ) async throws -> (status: Int32, out: [UInt8], err: String) {
        let result = try await Program.run(executable, arguments, directory: directory)
        return (result.status, result.stdout, result.stderr)
    }

    /// protoc's `--include_imports` descriptor set for `file`.
    static func protocSet(
        _ file: String,
        importPaths: [String] = corpusImportPaths,
        sourceInfo: Bool = false
    ) async throws -> Google_Protobuf_FileDescriptorSet {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-linker-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: out) }
        var arguments =
            importPaths.flatMap { ["-I", $0] } + ["--include_imports", "--descriptor_set_out=\(out.path)", file]
        if sourceInfo { arguments.insert("--include_source_info", at: 0) }
        let result = try await run(TestPaths.protoc, arguments)
        guard result.status == 0 else { throw ProcessFailure(description: "protoc failed: \(result.err)") }
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](try Data(contentsOf: out)))
    }

    /// The same from protoc 35 (grpcio-tools in the test venv: `python -m grpc_tools.protoc`), the
    /// oracle for the current descriptor.proto, source retention and editions.
    static func protoc35Set(
        _ file: String,
        importPaths: [String],
        sourceInfo: Bool = false
    ) async throws -> Google_Protobuf_FileDescriptorSet {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-linker-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: out) }
        var arguments =
            ["-m", "grpc_tools.protoc"] + importPaths.flatMap { ["-I", $0] } + [
                "--include_imports", "--descriptor_set_out=\(out.path)", file,
            ]
        if sourceInfo { arguments.insert("--include_source_info", at: 2) }
        let result = try await run(TestPaths.python, arguments)
        guard result.status == 0 else { throw ProcessFailure(description: "protoc 35 failed: \(result.err)") }
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](try Data(contentsOf: out)))
    }

    /// protoc's error output for `files` under `directory` (which is also the import path).
    static func protocErrors(_ files: [String], in directory: String) async throws -> String {
        try await run(TestPaths.protoc, ["-I.", "--descriptor_set_out=/dev/null"] + files, in: directory).err
    }

    /// Every corpus file with the import paths it needs.
    static func corpusFiles() -> [String] {
        func protos(under root: String, _ subdirectory: String) -> [String] {
            let enumerator = FileManager.default.enumerator(atPath: root + "/" + subdirectory)
            var names: [String] = []
            while let next = enumerator?.nextObject() as? String {
                if next.hasSuffix(".proto") { names.append(subdirectory + "/" + next) }
            }
            return names.sorted()
        }
        let protobuf = (try? FileManager.default.contentsOfDirectory(atPath: protobufCorpus + "/google/protobuf")) ?? []
        return protobuf.filter { $0.hasSuffix(".proto") }.sorted().map { "google/protobuf/" + $0 }
            + protos(under: grpcCorpus, "grpc")
    }
}
