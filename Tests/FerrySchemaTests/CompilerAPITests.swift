import FerryCodec
import Foundation
import Testing

@testable import FerrySchema

/// The public surface of ``Compiler`` and ``CompilationResult`` beyond the oracle comparisons.
@Suite struct CompilerAPITests {
    @Test("loading protoc's descriptor set gives the same files back and indexes their names")
    func loadDescriptorSet() async throws {
        let set = try await SchemaOracles.protocSet("google/protobuf/unittest.proto")
        let result = Compiler.load(set, requested: ["google/protobuf/unittest.proto"])
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        #expect(result.descriptorSet(includeImports: true).serializedBytes() == set.serializedBytes())
        #expect(
            result.symbols.message(named: "protobuf_unittest.TestAllTypes.NestedMessage")?.field.first?.name == "bb"
        )
        #expect(
            result.symbols.extensions(of: "protobuf_unittest.TestAllExtensions")[1]?.name == "optional_int32_extension"
        )
        #expect(
            result.symbols.file(defining: "protobuf_unittest_import.ImportMessage")
                == "google/protobuf/unittest_import.proto"
        )
    }

    @Test("a descriptor set missing an import is reported")
    func loadIncompleteSet() async throws {
        var set = try await SchemaOracles.protocSet("google/protobuf/unittest.proto")
        set.file.removeAll { $0.name == "google/protobuf/unittest_import.proto" }
        let result = Compiler.load(set, requested: ["google/protobuf/unittest.proto"])
        #expect(result.hasErrors)
        #expect(
            result.diagnostics.map(\.description).contains(
                "error: google/protobuf/unittest_import.proto: File not found."
            )
        )
        #expect(
            result.diagnostics.map(\.description).contains {
                $0.hasSuffix("Import \"google/protobuf/unittest_import.proto\" was not found or had errors.")
            }
        )
    }

    @Test("without include_imports only the requested files are in the set, in the order asked")
    func requestedOnly() {
        let files = ["google/protobuf/api.proto", "google/protobuf/any.proto"]
        let result = Compiler(importPaths: [SchemaOracles.protobufCorpus]).compile(files: files)
        #expect(result.descriptorSet().file.map(\.name) == files)
        #expect(
            result.descriptorSet(includeImports: true).file.map(\.name) == [
                "google/protobuf/source_context.proto", "google/protobuf/any.proto", "google/protobuf/type.proto",
                "google/protobuf/api.proto",
            ]
        )
    }

    @Test("files on disk inside an import path map to their virtual names")
    func diskPaths() {
        let onDisk = SchemaOracles.protobufCorpus + "/google/protobuf/empty.proto"
        let result = Compiler(importPaths: [SchemaOracles.protobufCorpus]).compile(files: [onDisk])
        #expect(result.requestedFiles == ["google/protobuf/empty.proto"])
        #expect(!result.hasErrors)
        let outside = Compiler(importPaths: ["/nonexistent"]).compile(files: [onDisk])
        #expect(outside.hasErrors)
    }

    @Test("a cycle is reported once with the whole cycle, and every file on it fails")
    func cycle() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-cycle-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("syntax = \"proto3\";\nimport \"b.proto\";\n".utf8).write(
            to: directory.appendingPathComponent("a.proto")
        )
        try Data("syntax = \"proto3\";\nimport \"c.proto\";\n".utf8).write(
            to: directory.appendingPathComponent("b.proto")
        )
        try Data("syntax = \"proto3\";\nimport \"a.proto\";\n".utf8).write(
            to: directory.appendingPathComponent("c.proto")
        )
        let result = Compiler(importPaths: [directory.path]).compile(files: ["a.proto"])
        #expect(
            result.diagnostics.map(\.description) == [
                "a.proto:2:1: error: File recursively imports itself: a.proto -> b.proto -> c.proto -> a.proto",
                "c.proto:2:1: error: Import \"a.proto\" was not found or had errors.",
                "b.proto:2:1: error: Import \"c.proto\" was not found or had errors.",
                "a.proto:2:1: error: Import \"b.proto\" was not found or had errors.",
            ]
        )
        #expect(result.files.isEmpty)
    }

    @Test("a file that fails to link leaves no names behind: a later file may define them again, as with protoc")
    func failedFileIsRolledBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-rollback-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = [
            "bad.proto": "syntax = \"proto3\";\npackage p;\nmessage M { Unknown x = 1; }\nmessage Shared {}\n",
            "good.proto": "syntax = \"proto3\";\npackage p;\nmessage Shared { int32 y = 1; }\n",
            "user.proto": "syntax = \"proto3\";\npackage p;\nimport \"good.proto\";\nmessage User { Shared s = 1; }\n",
        ]
        for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        let result = Compiler(importPaths: [directory.path]).compile(files: ["bad.proto", "good.proto", "user.proto"])
        // protoc 3.21 reports exactly this one error for these three files.
        #expect(result.diagnostics.map(\.description) == ["bad.proto:3:13: error: \"Unknown\" is not defined."])
        #expect(result.files.map(\.name) == ["good.proto", "user.proto"])
        #expect(result.symbols.symbol(named: "p.M") == nil)
        #expect(result.symbols.file(defining: "p.Shared") == "good.proto")
        #expect(result.symbols.message(named: "p.Shared")?.field.map(\.name) == ["y"])
    }

    @Test("files parsed ahead on a second thread link in import order with the same diagnostics")
    func parseAhead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-ahead-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let names = (1...20).map { String(format: "f%02d.proto", $0) }
        #expect(names.count >= ParseAhead.minimumFiles)
        for (index, name) in names.enumerated() {
            let number = String(format: "%02d", index + 1)
            let text =
                switch number {
                case "03": "syntax = \"proto3\";\npackage p;\nmessage M03 { int32 x = 1 }\n"
                case "07": "syntax = \"proto3\";\npackage p;\nimport \"f03.proto\";\nmessage M07 { M03 m = 1; }\n"
                case "09": "syntax = \"proto3\";\npackage p;\nimport \"f15.proto\";\nmessage M09 { M15 m = 1; }\n"
                default: "syntax = \"proto3\";\npackage p;\nmessage M\(number) { int32 x = 1; }\n"
                }
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        let result = Compiler(importPaths: [directory.path]).compile(files: names)
        #expect(
            result.diagnostics.map(\.description) == [
                "f03.proto:3:27: error: Expected \";\", found \"}\".",
                "f07.proto:3:1: error: Import \"f03.proto\" was not found or had errors.",
                "f07.proto:4:15: error: \"M03\" is not defined.",
            ]
        )
        // f09 imports f15, so f15 links first; f03 (no parse) and f07 (imports it) are left out.
        let linked = names.filter { $0 != "f03.proto" && $0 != "f07.proto" && $0 != "f15.proto" }
            .flatMap { $0 == "f09.proto" ? ["f15.proto", "f09.proto"] : [$0] }
        #expect(result.files.map(\.name) == linked)
    }

    @Test("command-line files are mapped like protoc: missing and shadowed inputs are reported")
    func inputMapping() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-inputs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for directory in ["a", "b"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(directory),
                withIntermediateDirectories: true
            )
            try Data("syntax = \"proto3\";\n".utf8).write(to: root.appendingPathComponent("\(directory)/x.proto"))
        }
        let a = root.appendingPathComponent("a").path
        let b = root.appendingPathComponent("b").path
        let missing = Compiler(importPaths: [a]).compile(files: ["nothere.proto"])
        #expect(
            missing.diagnostics.map(\.description) == [
                "error: Could not make proto path relative: nothere.proto: No such file or directory"
            ]
        )
        let shadowed = Compiler(importPaths: [a, b]).compile(files: [b + "/x.proto"])
        #expect(
            shadowed.diagnostics.map(\.description) == [
                """
                error: \(b)/x.proto: Input is shadowed in the --proto_path by \"\(a)/x.proto\".  Either use the \
                latter file as your input or reorder the --proto_path so that the former file's location comes \
                first.
                """
            ]
        )
        let virtual = Compiler(importPaths: [b, a]).compile(files: ["x.proto"])
        #expect(virtual.diagnostics.isEmpty)
        #expect(virtual.requestedFiles == ["x.proto"])
    }
}
