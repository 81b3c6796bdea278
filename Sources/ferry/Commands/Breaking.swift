import ArgumentParser
import FerryCodec
import FerryRegistry
import FerrySchema
import Foundation
import Synchronization

/// `ferry breaking`: the schema compatibility check for CI pipelines.
struct Breaking: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report breaking changes between two versions of a schema module.",
        discussion: """
            Compares NEW with OLD by buf's breaking rules and prints one line per breaking change \
            (file:line:column:message [RULE]); exits 1 when there is any, 0 when there is none:

              ferry breaking --against '.git#branch=main,subdir=protos' protos
              ferry breaking --against old.binpb protos --category WIRE --error-format json

            OLD and NEW are each a directory of .proto files (its own import root), one .proto file, \
            a FileDescriptorSet, or a git ref (.git#ref=REF, branch=, tag=, subdir=).

            --category picks the rules: FILE (the default, as in buf: generated code keeps compiling \
            and data keeps its meaning), PACKAGE (types may move between a package's files), WIRE_JSON \
            (binary and JSON data stay readable) or WIRE (binary data stays readable). WIRE and \
            WIRE_JSON are for schemas whose users never compile against them, such as event payloads. \
            --rules registry gives instead the verdicts of the schema registry's BACKWARD level. \
            docs/compatibility.md lists every rule.
            """
    )

    @Option(name: .customLong("against"), help: ArgumentHelp("The old schemas.", valueName: "old"))
    var against: String

    @Argument(help: ArgumentHelp("The new schemas.", valueName: "new"))
    var new: String

    @Option(help: ArgumentHelp("FILE (default), PACKAGE, WIRE_JSON or WIRE.", valueName: "category"))
    var category: String = "FILE"

    @Option(
        help: ArgumentHelp("text (default) or json (one object per line, as buf prints them).", valueName: "format")
    )
    var errorFormat: String = "text"

    @Option(
        help: ArgumentHelp(
            "registry: the schema registry's BACKWARD verdicts instead of a category.",
            valueName: "rules"
        )
    )
    var rules: String?

    func run() throws {
        guard let category = BreakingCategory(named: category) else {
            throw ValidationError("--category must be FILE, PACKAGE, WIRE_JSON or WIRE")
        }
        guard errorFormat == "text" || errorFormat == "json" else {
            throw ValidationError("--error-format must be text or json")
        }
        let oldSource = try SchemaSource(against)
        let newSource = try SchemaSource(new)
        let loaded = try Self.load([oldSource, newSource])
        var old = loaded[0]
        let current = loaded[1]
        // Two single files are the same file, whatever their names.
        if case .protoFile(let oldPath) = oldSource, case .protoFile(let newPath) = newSource {
            old = Self.renaming(
                URL(fileURLWithPath: oldPath).lastPathComponent,
                to: URL(fileURLWithPath: newPath).lastPathComponent,
                in: old
            )
        }
        let findings: [Finding]
        switch rules {
        case nil:
            findings = BreakingChecker(category: category).check(current, against: old).map(Finding.init)
        case "wire":
            findings = BreakingChecker(category: .wire).check(current, against: old).map(Finding.init)
        case "registry":
            findings = Self.registryFindings(current, against: old)
        case let other?:
            throw ValidationError("--rules must be registry or wire (not \(other)); prefer --category")
        }
        for finding in findings {
            print(errorFormat == "json" ? finding.json : finding.text)
        }
        if !findings.isEmpty { throw ExitCode(1) }
    }

    /// One line of output: a breaking rule's violation, or a registry rule's breaking difference.
    private struct Finding {
        var path: String
        var line: Int?
        var column: Int?
        var type: String
        var message: String

        init(path: String, line: Int? = nil, column: Int? = nil, type: String, message: String) {
            (self.path, self.line, self.column, self.type, self.message) = (path, line, column, type, message)
        }

        init(_ violation: BreakingViolation) {
            self.init(
                path: violation.path,
                line: violation.line,
                column: violation.column,
                type: violation.rule.id,
                message: violation.message
            )
        }

        var text: String { "\(path):\(line ?? 1):\(column ?? 1):\(message) [\(type)]" }

        /// A JSON object with buf's keys.
        var json: String {
            let line = line ?? 0
            let column = column ?? 0
            return "{\"path\":\(Breaking.quote(path)),\"start_line\":\(line),\"start_column\":\(column),"
                + """
                \"end_line\":\(line),\"end_column\":\(column),\
                \"type\":\(Breaking.quote(type)),\
                \"message\":\(Breaking.quote(message))}
                """
        }
    }

    /// Loads the sources side by side (compiling dominates a check, and the sides are independent).
    private static func load(_ sources: [SchemaSource]) throws -> [BreakingInput] {
        let results = Mutex<[Int: Result<BreakingInput, any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            let result = Result { try sources[index].load() }
            results.withLock { $0[index] = result }
        }
        return try results.withLock { loaded in try sources.indices.map { try loaded[$0]!.get() } }
    }

    private static func renaming(_ oldName: String, to newName: String, in input: BreakingInput) -> BreakingInput {
        guard oldName != newName else { return input }
        let files = input.files.map { file -> Google_Protobuf_FileDescriptorProto in
            var file = file
            if file.name == oldName { file.name = newName }
            return file
        }
        return BreakingInput(files: files, checkedFiles: Set(input.checkedFiles.map { $0 == oldName ? newName : $0 }))
    }

    /// The registry's BACKWARD verdicts, file by file.
    private static func registryFindings(_ new: BreakingInput, against old: BreakingInput) -> [Finding] {
        var result: [Finding] = []
        for name in old.checkedFiles.sorted() {
            guard let oldFile = old.files.first(where: { $0.name == name }) else { continue }
            guard let newFile = new.files.first(where: { $0.name == name }) else {
                result.append(
                    Finding(
                        path: name,
                        type: "FILE_NO_DELETE",
                        message: "Previously present file \"\(name)\" was deleted."
                    )
                )
                continue
            }
            let before = ProtobufSchema(file: oldFile, dependencies: old.files.filter { $0.name != name })
            let after = ProtobufSchema(file: newFile, dependencies: new.files.filter { $0.name != name })
            for difference in CompatibilityChecker().differences(from: before, to: after) where difference.isBreaking {
                result.append(
                    Finding(
                        path: name,
                        type: difference.rule.name,
                        message: "\(difference.element): \(difference.reason)"
                    )
                )
            }
        }
        return result
    }

    /// `text` as a JSON string literal.
    fileprivate static func quote(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
