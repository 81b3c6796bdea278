import FerryCodec
import Foundation

/// protoc and the corpora, as the schema tests use them.
enum SchemaOracles {
    /// The repository root, found from this file's location.
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared` beside the repository (FERRY_SHARED overrides).
    static let sharedDirectory: URL = {
        if let path = ProcessInfo.processInfo.environment["FERRY_SHARED"] { return URL(fileURLWithPath: path) }
        let beside = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
        if FileManager.default.fileExists(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: "/work/shared")
    }()

    static let protobufCorpus = sharedDirectory.appendingPathComponent("corpus/protobuf-3.21.12").path
    static let grpcCorpus = sharedDirectory.appendingPathComponent("corpus/grpc-proto").path

    /// Import paths for the corpus files: grpc-proto first, then protobuf.
    static let corpusImportPaths = [grpcCorpus, protobufCorpus]

    struct ProcessFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs a program; returns exit status, standard output and standard error.
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> (status: Int32, out: [UInt8], err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, [UInt8](out), String(decoding: err, as: UTF8.self))
    }

    /// protoc's `--include_imports` descriptor set for `file`.
    static func protocSet(_ file: String, importPaths: [String] = corpusImportPaths, sourceInfo: Bool = false) throws -> Google_Protobuf_FileDescriptorSet {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-linker-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: out) }
        var arguments = importPaths.flatMap { ["-I", $0] } + ["--include_imports", "--descriptor_set_out=\(out.path)", file]
        if sourceInfo { arguments.insert("--include_source_info", at: 0) }
        let result = try run("/usr/bin/protoc", arguments)
        guard result.status == 0 else { throw ProcessFailure(description: "protoc failed: \(result.err)") }
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](try Data(contentsOf: out)))
    }

    /// protoc's error output for `files` under `directory` (which is also the import path).
    static func protocErrors(_ files: [String], in directory: String) throws -> String {
        try run("/usr/bin/protoc", ["-I.", "--descriptor_set_out=/dev/null"] + files, in: directory).err
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
        return protobuf.filter { $0.hasSuffix(".proto") }.sorted().map { "google/protobuf/" + $0 } + protos(under: grpcCorpus, "grpc")
    }
}
