import Foundation
import Testing

/// Runs the built `ferry` binary the way scripts and the build plugin do.
@Suite struct CommandLineTests {
    /// The folder of the running test binary; SwiftPM puts the package's executables beside it.
    static let binDirectory: URL = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }()
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpus = (ProcessInfo.processInfo.environment["FERRY_SHARED"].map { URL(fileURLWithPath: $0) }
        ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared"))
        .appendingPathComponent("corpus/protobuf-3.21.12").path

    struct Outcome {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: stdout, stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func ferry(_ arguments: [String], in directory: URL? = nil) throws -> Outcome {
        try run(binDirectory.appendingPathComponent("ferry").path, arguments, in: directory)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("`ferry descriptors` stands in for protoc: byte-identical FileDescriptorSets",
          arguments: ["google/protobuf/unittest_custom_options.proto", "google/protobuf/map_unittest.proto",
                      "google/protobuf/test_messages_proto2.proto", "google/protobuf/unittest_mset.proto"])
    func descriptorsMatchProtoc(file: String) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for sourceInfo in [false, true] {
            var flags = ["--include_imports"]
            if sourceInfo { flags.append("--include_source_info") }
            let ours = directory.appendingPathComponent("ferry.pb").path
            let theirs = directory.appendingPathComponent("protoc.pb").path
            let ferry = try Self.ferry(["descriptors", "-I", Self.corpus] + flags + ["--descriptor_set_out=\(ours)", file])
            #expect(ferry.status == 0, "\(ferry.stderr)")
            let protoc = try Self.run("/usr/bin/protoc", ["-I", Self.corpus] + flags + ["--descriptor_set_out=\(theirs)", file])
            #expect(protoc.status == 0, "\(protoc.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: ours)) == Data(contentsOf: URL(fileURLWithPath: theirs)))
        }
    }

    @Test("protoc's attached and long flag spellings are accepted")
    func protocFlagSpellings() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out.pb").path
        let result = try Self.ferry(["descriptors", "-I\(Self.corpus)", "--proto_path=\(Self.corpus)", "-o\(out)", "google/protobuf/any.proto"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
    }

    @Test("every error of a broken file is printed as file:line:column, and the exit status is 1")
    func diagnostics() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        syntax = "proto3";
        message A {
          int32 x = 1;
          string x = 2;
          Missing m = 3;
        }
        """.write(to: directory.appendingPathComponent("broken.proto"), atomically: true, encoding: .utf8)
        let result = try Self.ferry(["generate", "-I", directory.path, "--swift_out", directory.path, "broken.proto"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("broken.proto:4:10: error:"), "\(result.stderr)")
        #expect(result.stderr.contains("broken.proto:5:3: error:"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("broken.pb.swift").path))
    }

    @Test("well-known imports resolve without an -I for them, and generate matches protoc-gen-ferry")
    func generateMatchesPlugin() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let schemas = Self.repositoryRoot.appendingPathComponent("Schemas").path
        let viaFerry = directory.appendingPathComponent("ferry")
        let viaPlugin = directory.appendingPathComponent("plugin")
        try FileManager.default.createDirectory(at: viaPlugin, withIntermediateDirectories: true)
        let file = "ferry/examples/v1/checkout.proto"
        let generate = try Self.ferry(["generate", "-I", schemas, "--swift_out", viaFerry.path, file])
        #expect(generate.status == 0, "\(generate.stderr)")
        let plugin = try Self.run("/usr/bin/protoc", [
            "--plugin=protoc-gen-ferry=\(Self.binDirectory.appendingPathComponent("protoc-gen-ferry").path)",
            "-I", schemas, "-I", Self.corpus, "--ferry_out=\(viaPlugin.path)", file,
        ])
        #expect(plugin.status == 0, "\(plugin.stderr)")
        let ours = try String(contentsOf: viaFerry.appendingPathComponent("ferry/examples/v1/checkout.pb.swift"), encoding: .utf8)
        let theirs = try String(contentsOf: viaPlugin.appendingPathComponent("ferry/examples/v1/checkout.pb.swift"), encoding: .utf8)
        #expect(ours == theirs)
        #expect(ours.contains("public struct Ferry_Examples_V1_ChargeRequest"))
    }

    @Test("help names every flag a newcomer needs")
    func help() throws {
        let generate = try Self.ferry(["generate", "--help"])
        let text = String(decoding: generate.stdout, as: UTF8.self)
        for flag in ["--swift_out", "--visibility", "-I", "--proto_path"] {
            #expect(text.contains(flag), "generate --help lacks \(flag)")
        }
        let descriptors = String(decoding: try Self.ferry(["descriptors", "--help"]).stdout, as: UTF8.self)
        for flag in ["--include_imports", "--include_source_info", "--descriptor_set_out"] {
            #expect(descriptors.contains(flag), "descriptors --help lacks \(flag)")
        }
    }

    @Test("a bad --visibility is refused with a message")
    func badVisibility() throws {
        let result = try Self.ferry(["generate", "--swift_out", "/tmp", "--visibility", "open", "x.proto"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--visibility must be public or internal"))
    }
}
