import Foundation
import ProcessTestSupport
import Testing

@Suite("ferry breaking: categories, inputs and output formats")
struct BreakingCommandTests {
    func write(_ files: [String: String], into directory: URL) throws {
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(text.utf8).write(to: url)
        }
    }

    static let oldFiles = [
        "acme/orders.proto": "syntax = \"proto3\";\npackage acme;\nmessage Order { int64 id = 1; string note = 2; }\n",
        "acme/gone.proto": "syntax = \"proto3\";\npackage acme;\nmessage Gone {}\n",
    ]
    static let newFiles = [
        "acme/orders.proto": "syntax = \"proto3\";\npackage acme;\nmessage Order { sint64 id = 1; }\n"
    ]

    /// The rule IDs of the text output's lines (`path:line:column:message [RULE]`).
    func rules(_ output: Data) -> [String] {
        String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { line in
            line.split(separator: "[").last.map { String($0.dropLast()) }
        }.sorted()
    }

    @Test("each category reports its own rules, one line per violation, and exits 1; a safe change exits 0")
    func categories() async throws {
        let root = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let old = root.appendingPathComponent("old")
        let new = root.appendingPathComponent("new")
        let safe = root.appendingPathComponent("safe")
        try write(Self.oldFiles, into: old)
        try write(Self.newFiles, into: new)
        try write(
            [
                "acme/orders.proto":
                    """
                syntax = \"proto3\";\npackage acme;\nmessage Order { int64 id = 1; \
                reserved 2; reserved \"note\"; string extra = 3; }\n
                """,
                "acme/gone.proto": "syntax = \"proto3\";\npackage acme;\nmessage Gone {}\n",
            ],
            into: safe
        )

        let file = try await CommandLineTests.ferry(["breaking", "--against", old.path, new.path])
        #expect(file.status == 1, "\(file.stderr)")
        #expect(rules(file.stdout) == ["FIELD_NO_DELETE", "FIELD_SAME_TYPE", "FILE_NO_DELETE"])
        let lines = String(decoding: file.stdout, as: UTF8.self).split(separator: "\n")
        #expect(
            lines.contains {
                $0.hasPrefix("acme/orders.proto:3:17:")
                    && $0.contains(
                        "Field \"1\" with name \"id\" on message \"Order\" changed type from \"int64\" to \"sint64\"."
                    )
            }
        )

        let wire = try await CommandLineTests.ferry(["breaking", "--against", old.path, new.path, "--category", "WIRE"])
        #expect(wire.status == 1)
        #expect(rules(wire.stdout) == ["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "FIELD_WIRE_COMPATIBLE_TYPE"])
        // --rules wire, the spelling before categories, is the WIRE category.
        let alias = try await CommandLineTests.ferry(["breaking", "--against", old.path, new.path, "--rules", "wire"])
        #expect(alias.status == 1 && alias.stdout == wire.stdout)
        let wireJSON = try await CommandLineTests.ferry([
            "breaking", "--against", old.path, new.path, "--category", "wire_json",
        ])
        #expect(
            rules(wireJSON.stdout) == [
                "FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
                "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
            ]
        )
        let package = try await CommandLineTests.ferry([
            "breaking", "--against", old.path, new.path, "--category", "PACKAGE",
        ])
        // Order stays in package acme, but Gone left it with its file.
        #expect(rules(package.stdout) == ["FIELD_NO_DELETE", "FIELD_SAME_TYPE", "PACKAGE_MESSAGE_NO_DELETE"])

        for category in ["WIRE", "WIRE_JSON"] {
            let fine = try await CommandLineTests.ferry([
                "breaking", "--against", old.path, safe.path, "--category", category,
            ])
            #expect(fine.status == 0, "\(category): \(String(decoding: fine.stdout, as: UTF8.self)) \(fine.stderr)")
        }
        let bad = try await CommandLineTests.ferry(["breaking", "--against", old.path, new.path, "--category", "WIRES"])
        #expect(bad.status != 0 && bad.status != 1)
    }

    @Test("--error-format json prints one object per line with buf's keys")
    func json() async throws {
        let root = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let old = root.appendingPathComponent("old")
        let new = root.appendingPathComponent("new")
        try write(Self.oldFiles, into: old)
        try write(Self.newFiles, into: new)
        let outcome = try await CommandLineTests.ferry([
            "breaking", "--against", old.path, new.path, "--category", "WIRE", "--error-format", "json",
        ])
        #expect(outcome.status == 1)
        let objects = try String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(objects.count == 2)
        for object in objects {
            #expect(
                Set(object.keys) == ["path", "start_line", "start_column", "end_line", "end_column", "type", "message"]
            )
            #expect(object["path"] as? String == "acme/orders.proto")
        }
        #expect(
            objects.compactMap { $0["type"] as? String }.sorted() == [
                "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "FIELD_WIRE_COMPATIBLE_TYPE",
            ]
        )
    }

    @Test("--against takes a descriptor set or a git ref as well as a directory")
    func inputs() async throws {
        let root = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let old = root.appendingPathComponent("old")
        let new = root.appendingPathComponent("new")
        try write(Self.oldFiles, into: old)
        try write(Self.newFiles, into: new)

        // A FileDescriptorSet written by `ferry descriptors`.
        let set = root.appendingPathComponent("old.binpb").path
        let written = try await CommandLineTests.ferry([
            "descriptors", "-I", old.path, "--descriptor_set_out", set, "acme/orders.proto", "acme/gone.proto",
        ])
        #expect(written.status == 0, "\(written.stderr)")
        let fromSet = try await CommandLineTests.ferry(["breaking", "--against", set, new.path])
        #expect(rules(fromSet.stdout) == ["FIELD_NO_DELETE", "FIELD_SAME_TYPE", "FILE_NO_DELETE"], "\(fromSet.stderr)")

        // A git repository whose main branch holds the old schemas under protos/, the work tree the new.
        let repository = root.appendingPathComponent("repo")
        try write(Self.oldFiles, into: repository.appendingPathComponent("protos"))
        let git = { (arguments: [String]) async throws in
            _ = try await Program.check(
                "/usr/bin/git",
                ["-C", repository.path, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments
            )
        }
        try await git(["init", "-q", "-b", "main"])
        try await git(["add", "."])
        try await git(["commit", "-q", "-m", "old"])
        try FileManager.default.removeItem(at: repository.appendingPathComponent("protos"))
        try write(Self.newFiles, into: repository.appendingPathComponent("protos"))
        let fromGit = try await CommandLineTests.ferry(
            ["breaking", "--against", ".git#branch=main,subdir=protos", "protos", "--category", "WIRE"],
            in: repository
        )
        #expect(fromGit.status == 1, "\(fromGit.stderr)")
        #expect(rules(fromGit.stdout) == ["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "FIELD_WIRE_COMPATIBLE_TYPE"])
        let missingRef = try await CommandLineTests.ferry(
            ["breaking", "--against", ".git#branch=nope", "protos"],
            in: repository
        )
        #expect(missingRef.status != 0 && missingRef.status != 1)
        #expect(missingRef.stderr.contains("nope"))
    }

    @Test("--rules registry gives the schema registry's BACKWARD verdicts; two single files are one file")
    func registryRules() async throws {
        let root = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let old = root.appendingPathComponent("old")
        let new = root.appendingPathComponent("new")
        try write(Self.oldFiles, into: old)
        try write(Self.newFiles, into: new)
        let files = try await CommandLineTests.ferry([
            "breaking", "--rules", "registry", "--against", old.appendingPathComponent("acme/orders.proto").path,
            new.appendingPathComponent("acme/orders.proto").path,
        ])
        #expect(files.status == 1)
        #expect(String(decoding: files.stdout, as: UTF8.self).contains("[FIELD_SCALAR_KIND_CHANGED]"))
    }

    @Test(
        """
        on protobuf's own .proto files with 25 scripted changes, ferry \
        breaking reports what buf reports in every category
        """
    )
    func corpus() async throws {
        let script = TestPaths.repositoryRoot.appendingPathComponent("scripts/breaking-corpus.sh").path
        let result = try await Program.run(
            "/bin/bash",
            [script, TestPaths.builtExecutable("ferry")],
            mergeErrors: true,
            timeout: .seconds(600)
        )
        #expect(result.status == 0, "\(result.output.suffix(4_000))")
        #expect(result.output.contains("breaking-corpus: ferry agrees with buf"))
    }
}
