import Foundation

/// protoc and python protobuf, run as external oracles.
enum Oracle {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static let sharedDirectory: URL = {
        if let path = ProcessInfo.processInfo.environment["FERRY_SHARED"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    static let python = ProcessInfo.processInfo.environment["FERRY_PYTHON"]
        ?? repositoryRoot.appendingPathComponent(".venv/bin/python3").path
    static let script = repositoryRoot.appendingPathComponent("Tests/GeneratedCorpusTests/Oracle/oracle.py").path

    /// The .proto files whose generated code this target compiles, relative to their include dirs.
    static let protoFiles = [
        "bench.proto",
        "google/protobuf/test_messages_proto3.proto", "google/protobuf/test_messages_proto2.proto",
        "google/protobuf/unittest.proto", "google/protobuf/map_unittest.proto",
        "google/protobuf/unittest_custom_options.proto", "google/protobuf/unittest_proto3_optional.proto",
        "google/protobuf/unittest_proto3.proto", "naming_torture.proto", "naming_torture3.proto",
    ]

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ executable: String, _ arguments: [String], stdin: String = "") throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        // Inputs are small (well under a pipe's buffer), so writing all of stdin first cannot block.
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A FileDescriptorSet of every fixture .proto and its imports, written by protoc.
    static func descriptorSet() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-corpus-\(UUID().uuidString).pb").path
        _ = try run("/usr/bin/protoc", [
            "-I", sharedDirectory.appendingPathComponent("corpus/protobuf-3.21.12").path,
            "-I", sharedDirectory.appendingPathComponent("bench").path,
            "-I", repositoryRoot.appendingPathComponent("Tests/GeneratedCorpusTests/Schemas").path,
            "--include_imports", "--descriptor_set_out=\(path)",
        ] + protoFiles)
        return path
    }

    static func python(_ arguments: [String], stdin: String = "") throws -> String {
        try run(python, [script] + arguments, stdin: stdin)
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

    var hex: String { map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
}
