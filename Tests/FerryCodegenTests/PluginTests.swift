import FerryCodec
import Foundation
import ProcessTestSupport
import Testing

/// protoc-gen-ferry driven by protoc itself, as users run it.
@Suite struct PluginTests {
    static var plugin: String { TestPaths.builtExecutable("protoc-gen-ferry") }

    func protoc(_ proto: String, option: String? = nil) async throws -> (status: Int32, errors: String, output: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-plugin-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("out"),
            withIntermediateDirectories: true
        )
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("api/v1"),
            withIntermediateDirectories: true
        )
        try Data(proto.utf8).write(to: directory.appendingPathComponent("api/v1/test.proto"))
        var arguments = [
            "--plugin=protoc-gen-ferry=\(Self.plugin)", "-I", directory.path,
            "--ferry_out=\(directory.appendingPathComponent("out").path)", "api/v1/test.proto",
        ]
        if let option { arguments.insert("--ferry_opt=\(option)", at: 0) }
        let result = try await Program.run(TestPaths.protoc, arguments)
        return (result.status, result.stderr, directory.appendingPathComponent("out"))
    }

    @Test(
        "protoc runs the plugin, proto3 optional included",
        .enabled(if: FileManager.default.fileExists(atPath: plugin))
    )
    func generates() async throws {
        let result = try await protoc(
            "syntax = \"proto3\"; package api.v1; message Ping { optional int32 n = 1; }",
            option: "Visibility=internal"
        )
        #expect(result.status == 0, "\(result.errors)")
        let code = try String(contentsOf: result.output.appendingPathComponent("api/v1/test.pb.swift"), encoding: .utf8)
        #expect(code.contains("struct Api_V1_Ping: FerryCodec.DescribedMessage {\n    var n: Int32?"))
    }

    @Test("errors reach protoc through the response", .enabled(if: FileManager.default.fileExists(atPath: plugin)))
    func reportsErrors() async throws {
        let result = try await protoc("syntax = \"proto3\"; message Ping {}", option: "Visibility=secret")
        #expect(result.status != 0)
        #expect(result.errors.contains("Visibility must be public, package or internal"))
    }

    @Test(
        "a malformed request gets a response with an error, not a crash",
        .enabled(if: FileManager.default.fileExists(atPath: plugin))
    )
    func malformedRequest() async throws {
        // Field 1 with a length that runs past the end.
        let result = try await Program.run(Self.plugin, [], stdin: [0x0A, 0xFF, 0xFF, 0x01, 0x02])
        let response = result.stdout
        #expect(result.status == 0)
        // CodeGeneratorResponse.error is field 1 (tag 0x0A); supported_features (2) says proto3 optional
        // and editions (3), minimum_edition (3) and maximum_edition (4) are 2023 (1000) and 2024 (1001).
        #expect(response.first == 0x0A)
        #expect(String(decoding: response, as: UTF8.self).contains("length"))
        #expect(response.suffix(8) == [0x10, 0x03, 0x18, 0xE8, 0x07, 0x20, 0xE9, 0x07])
    }

    @Test(
        "protoc 35 runs the plugin on an edition 2024 file",
        .enabled(if: FileManager.default.fileExists(atPath: plugin))
    )
    func generatesEditions() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-plugin-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("out"),
            withIntermediateDirectories: true
        )
        try Data(
            """
            edition = \"2024\"; package e; message M { int32 a = 1 \
            [features.field_presence = IMPLICIT]; int32 b = 2; }
            """
            .utf8
        )
        .write(to: directory.appendingPathComponent("e.proto"))
        let result = try await Program.run(
            TestPaths.python,
            [
                "-m", "grpc_tools.protoc", "--plugin=protoc-gen-ferry=\(Self.plugin)", "-I", directory.path,
                "--ferry_out=\(directory.appendingPathComponent("out").path)", "e.proto",
            ]
        )
        #expect(result.status == 0, "\(result.stderr)")
        let code = try String(contentsOf: directory.appendingPathComponent("out/e.pb.swift"), encoding: .utf8)
        #expect(
            code.contains(
                "public struct E_M: FerryCodec.DescribedMessage {\n    public var a: Int32 = 0\n    public var b: Int32?"
            )
        )
    }
}
