import Foundation

/// Paths and external programs the tests compare against.
enum Oracles {
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
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    static let protobufCorpus = sharedDirectory.appendingPathComponent("corpus/protobuf-3.21.12")

    struct ProcessFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs a program to completion and returns its standard output.
    static func run(_ executable: String, _ arguments: [String], stdin: [UInt8] = []) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(stdin))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ProcessFailure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
        }
        return [UInt8](out)
    }

    /// protoc's FileDescriptorSet for `file` (relative to the protobuf corpus).
    static func protocDescriptorSet(_ file: String, sourceInfo: Bool = false) throws -> [UInt8] {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: out) }
        var arguments = ["-I", protobufCorpus.path, "--include_imports", "--descriptor_set_out=\(out.path)", file]
        if sourceInfo { arguments.insert("--include_source_info", at: 0) }
        _ = try run("/usr/bin/protoc", arguments)
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
