import FerryCodec
import FerryRegistry
import Foundation
import ProcessTestSupport

/// Schemas for tests, linked by protoc (the oracle) through ``ProtocSchemaParser``.
enum TestSchemas {
    static let parser = ProtocSchemaParser()

    /// Links a schema body; a `syntax` and `package` line are prepended unless the body has its own.
    static func schema(
        _ body: String,
        syntax: String = "proto3",
        package: String? = "acme",
        fileName: String = "event.proto",
        dependencies: [String: String] = [:]
    ) async throws -> ProtobufSchema {
        try await parser.parse(
            source(body, syntax: syntax, package: package),
            fileName: fileName,
            dependencies: dependencies
        )
    }

    /// The full `.proto` text for a body.
    static func source(_ body: String, syntax: String = "proto3", package: String? = "acme") -> String {
        var text = ""
        if !body.contains("syntax =") { text += "syntax = \"\(syntax)\";\n" }
        if let package, !body.contains("package ") { text += "package \(package);\n" }
        return text + body + "\n"
    }

    /// Runs protoc on text and returns its descriptor set (for wire-format and interop tests).
    static func descriptorSet(
        _ text: String,
        fileName: String = "event.proto"
    ) async throws -> Google_Protobuf_FileDescriptorSet {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent(fileName)
        try FileManager.default.createDirectory(
            at: source.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try Data(text.utf8).write(to: source)
        let out = directory.appendingPathComponent("out.pb")
        try await Program.check(
            TestPaths.protoc,
            [
                "-I", directory.path, "-I", "/usr/include", "--include_imports", "--descriptor_set_out=\(out.path)",
                fileName,
            ]
        )
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](try Data(contentsOf: out)))
    }
}
