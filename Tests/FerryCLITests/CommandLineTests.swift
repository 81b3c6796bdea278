import Foundation
import ProcessTestSupport
import Testing

/// Runs the built `ferry` binary the way scripts and the build plugin do.
@Suite struct CommandLineTests {
    static let binDirectory = TestPaths.binDirectory
    static let repositoryRoot = TestPaths.repositoryRoot
    static let corpus = TestPaths.sharedDirectory.appendingPathComponent("corpus/protobuf-3.21.12").path

    struct Outcome {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) async throws -> Outcome {
        let result = try await Program.run(executable, arguments, directory: directory?.path)
        return Outcome(status: result.status, stdout: Data(result.stdout), stderr: result.stderr)
    }

    static func ferry(_ arguments: [String], in directory: URL? = nil) async throws -> Outcome {
        try await run(TestPaths.builtExecutable("ferry"), arguments, in: directory)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test(
        "`ferry descriptors` stands in for protoc: byte-identical FileDescriptorSets",
        arguments: [
            "google/protobuf/unittest_custom_options.proto", "google/protobuf/map_unittest.proto",
            "google/protobuf/test_messages_proto2.proto", "google/protobuf/unittest_mset.proto",
        ]
    )
    func descriptorsMatchProtoc(file: String) async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for sourceInfo in [false, true] {
            var flags = ["--include_imports"]
            if sourceInfo { flags.append("--include_source_info") }
            let ours = directory.appendingPathComponent("ferry.pb").path
            let theirs = directory.appendingPathComponent("protoc.pb").path
            let ferry = try await Self.ferry(
                ["descriptors", "-I", Self.corpus] + flags + ["--descriptor_set_out=\(ours)", file]
            )
            #expect(ferry.status == 0, "\(ferry.stderr)")
            let protoc = try await Self.run(
                "/usr/bin/protoc",
                ["-I", Self.corpus] + flags + ["--descriptor_set_out=\(theirs)", file]
            )
            #expect(protoc.status == 0, "\(protoc.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: ours)) == Data(contentsOf: URL(fileURLWithPath: theirs)))
        }
    }

    @Test("a response file (@file, one argument per line) gives the same set as protoc reading it")
    func responseFile() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // 91 files: more than ResponseFiles.bundledRun, so the names travel as one argument.
        let googleapis = TestPaths.sharedDirectory.appendingPathComponent("corpus/googleapis").path
        let files = try ["google/api", "google/type", "google/rpc", "google/longrunning"].flatMap { folder in
            try #require(FileManager.default.enumerator(atPath: googleapis + "/" + folder)).compactMap { entry in
                (entry as? String).flatMap { $0.hasSuffix(".proto") ? folder + "/" + $0 : nil }
            }
        }.sorted()
        #expect(files.count > 64)
        for tool in ["ferry", "protoc"] {
            let out = directory.appendingPathComponent("\(tool).pb").path
            let lines = ["-I", googleapis, "-I", "/usr/include", "--include_imports", "-o", out] + files
            let arguments = directory.appendingPathComponent("\(tool).args")
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: arguments)
            let outcome =
                tool == "ferry"
                ? try await Self.ferry(["descriptors", "@" + arguments.path])
                : try await Self.run("/usr/bin/protoc", ["@" + arguments.path])
            #expect(outcome.status == 0, "\(tool): \(outcome.stderr)")
        }
        let ours = try Data(contentsOf: directory.appendingPathComponent("ferry.pb"))
        #expect(ours.count > 100_000)
        #expect(ours == (try Data(contentsOf: directory.appendingPathComponent("protoc.pb"))))
        let missing = try await Self.ferry(["descriptors", "@" + directory.appendingPathComponent("none").path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("Could not read the response file"))
        // A response file that never ends is cut at the limit, not read to the end of memory.
        let endless = try await Self.ferry(["descriptors", "@/dev/zero"])
        #expect(endless.status != 0)
        #expect(endless.stderr.contains("larger than 64 MiB"))
    }

    @Test("protoc's attached and long flag spellings are accepted")
    func protocFlagSpellings() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out.pb").path
        let result = try await Self.ferry([
            "descriptors", "-I\(Self.corpus)", "--proto_path=\(Self.corpus)", "-o\(out)", "google/protobuf/any.proto",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
    }

    @Test("every error of a broken file is printed as file:line:column, and the exit status is 1")
    func diagnostics() async throws {
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
        let result = try await Self.ferry([
            "generate", "-I", directory.path, "--swift_out", directory.path, "broken.proto",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("broken.proto:4:10: error:"), "\(result.stderr)")
        #expect(result.stderr.contains("broken.proto:5:3: error:"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("broken.pb.swift").path))
    }

    @Test("well-known imports resolve without an -I for them, and generate matches protoc-gen-ferry")
    func generateMatchesPlugin() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let schemas = Self.repositoryRoot.appendingPathComponent("Schemas").path
        let viaFerry = directory.appendingPathComponent("ferry")
        let viaPlugin = directory.appendingPathComponent("plugin")
        try FileManager.default.createDirectory(at: viaPlugin, withIntermediateDirectories: true)
        let file = "ferry/examples/v1/checkout.proto"
        let generate = try await Self.ferry(["generate", "-I", schemas, "--swift_out", viaFerry.path, file])
        #expect(generate.status == 0, "\(generate.stderr)")
        let plugin = try await Self.run(
            "/usr/bin/protoc",
            [
                "--plugin=protoc-gen-ferry=\(Self.binDirectory.appendingPathComponent("protoc-gen-ferry").path)",
                "-I", schemas, "-I", Self.corpus, "--ferry_out=\(viaPlugin.path)", file,
            ]
        )
        #expect(plugin.status == 0, "\(plugin.stderr)")
        let ours = try String(
            contentsOf: viaFerry.appendingPathComponent("ferry/examples/v1/checkout.pb.swift"),
            encoding: .utf8
        )
        let theirs = try String(
            contentsOf: viaPlugin.appendingPathComponent("ferry/examples/v1/checkout.pb.swift"),
            encoding: .utf8
        )
        #expect(ours == theirs)
        #expect(ours.contains("public struct Ferry_Examples_V1_ChargeRequest"))
    }

    @Test("help names every flag a newcomer needs")
    func help() async throws {
        let generate = try await Self.ferry(["generate", "--help"])
        let text = String(decoding: generate.stdout, as: UTF8.self)
        for flag in ["--swift_out", "--visibility", "-I", "--proto_path"] {
            #expect(text.contains(flag), "generate --help lacks \(flag)")
        }
        let descriptors = String(decoding: try await Self.ferry(["descriptors", "--help"]).stdout, as: UTF8.self)
        for flag in ["--include_imports", "--include_source_info", "--descriptor_set_out"] {
            #expect(descriptors.contains(flag), "descriptors --help lacks \(flag)")
        }
    }

    @Test("a bad --visibility is refused with a message")
    func badVisibility() async throws {
        let result = try await Self.ferry(["generate", "--swift_out", "/tmp", "--visibility", "open", "x.proto"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--visibility must be public, package or internal"))
    }
}
