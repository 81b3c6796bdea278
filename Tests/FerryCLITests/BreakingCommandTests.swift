import Foundation
import Testing

@Suite struct BreakingCommandTests {
    func write(_ files: [String: String], into directory: URL) throws {
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    @Test("`ferry breaking` prints one line per breaking change and exits 1; a safe change exits 0")
    func breaking() async throws {
        let root = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let old = root.appendingPathComponent("old"), new = root.appendingPathComponent("new"), safe = root.appendingPathComponent("safe")
        try write([
            "acme/orders.proto": "syntax = \"proto3\";\npackage acme;\nmessage Order { int64 id = 1; string note = 2; }\n",
            "acme/gone.proto": "syntax = \"proto3\";\npackage acme;\nmessage Gone {}\n",
        ], into: old)
        try write(["acme/orders.proto": "syntax = \"proto3\";\npackage acme;\nmessage Order { sint64 id = 1; }\n"], into: new)
        try write([
            "acme/orders.proto": "syntax = \"proto3\";\npackage acme;\nmessage Order { int64 id = 1; reserved 2; string extra = 3; }\n",
            "acme/gone.proto": "syntax = \"proto3\";\npackage acme;\nmessage Gone {}\n",
        ], into: safe)

        let outcome = try await CommandLineTests.ferry(["breaking", "--against", old.path, new.path])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let lines = String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.contains("acme/gone.proto: file was deleted [FILE_NO_DELETE]"))
        #expect(lines.contains { $0.hasPrefix("acme/orders.proto: acme.Order.id: ") && $0.hasSuffix("[FIELD_WIRE_COMPATIBLE_TYPE]") })
        #expect(lines.contains { $0.hasPrefix("acme/orders.proto: acme.Order.note: ") && $0.hasSuffix("[FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED]") })
        #expect(lines.count == 3, "\(lines)")

        let fine = try await CommandLineTests.ferry(["breaking", "--against", old.path, safe.path])
        #expect(fine.status == 0, "\(String(decoding: fine.stdout, as: UTF8.self)) \(fine.stderr)")

        let registry = try await CommandLineTests.ferry(["breaking", "--rules", "registry", "--against", old.path, safe.path])
        #expect(registry.status == 0)
        let files = try await CommandLineTests.ferry([
            "breaking", "--rules", "registry", "--against", old.appendingPathComponent("acme/orders.proto").path,
            new.appendingPathComponent("acme/orders.proto").path,
        ])
        #expect(files.status == 1)
        #expect(String(decoding: files.stdout, as: UTF8.self).contains("[FIELD_SCALAR_KIND_CHANGED]"))
    }
}
