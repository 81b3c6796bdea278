import ArgumentParser
import FerryCodec
import FerryRegistry
import FerrySchema
import Foundation

/// `ferry breaking`: the schema compatibility check for CI pipelines.
struct Breaking: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report breaking changes between two versions of a schema tree.",
        discussion: """
            Compiles every .proto file under OLD and NEW (directories, each its own import path; or two \
            single files) and compares files of the same name. Prints one line per breaking change \
            (file: element: reason [RULE]) and exits 1 when there is any:

              ferry breaking --against main-checkout/protos protos

            --rules wire (the default) applies the wire rules (deleted numbers, labels, oneofs, wire \
            types, packages, reserved ranges, RPC signatures); --rules registry gives the verdicts of \
            the schema registry's BACKWARD level. docs/compatibility.md lists both.
            """
    )

    @Option(name: .customLong("against"), help: ArgumentHelp("The old schemas: a directory or a .proto file.", valueName: "old"))
    var against: String

    @Argument(help: ArgumentHelp("The new schemas: a directory or a .proto file.", valueName: "new"))
    var new: String

    @Option(help: ArgumentHelp("wire (default) or registry.", valueName: "rules"))
    var rules: String = "wire"

    func run() throws {
        guard let ruleSet = CompatibilityChecker.RuleSet(rawValue: rules) else {
            throw ValidationError("--rules must be wire or registry")
        }
        let old = try Self.compile(against), current = try Self.compile(new)
        let checker = CompatibilityChecker(ruleSet: ruleSet)
        var lines: [String] = []
        let singleFiles = old.requested.count == 1 && current.requested.count == 1 && !Self.isDirectory(new)
        for name in old.requested {
            let newName = singleFiles ? current.requested[0] : name
            guard let oldFile = old.result.file(named: name) else { continue }
            guard let newFile = current.result.file(named: newName) else {
                lines.append("\(name): file was deleted [FILE_NO_DELETE]")
                continue
            }
            let before = ProtobufSchema(file: oldFile, dependencies: old.result.files.filter { $0.name != name })
            let after = ProtobufSchema(file: newFile, dependencies: current.result.files.filter { $0.name != newName })
            for difference in checker.differences(from: before, to: after) where difference.isBreaking {
                lines.append("\(newName): \(difference)")
            }
        }
        if !lines.isEmpty {
            print(lines.joined(separator: "\n"))
            throw ExitCode(1)
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Compiles a directory's .proto files (or one file), printing diagnostics; exits 1 on errors.
    private static func compile(_ path: String) throws -> (result: CompilationResult, requested: [String]) {
        let root = isDirectory(path) ? URL(fileURLWithPath: path) : URL(fileURLWithPath: path).deletingLastPathComponent()
        var files: [String] = []
        if isDirectory(path) {
            let enumerator = FileManager.default.enumerator(atPath: root.path)
            while let entry = enumerator?.nextObject() as? String {
                if entry.hasSuffix(".proto") { files.append(entry) }
            }
            files.sort()
        } else {
            files = [URL(fileURLWithPath: path).lastPathComponent]
        }
        return (try SchemaInputOptions.compile(files, importPaths: [root.path]), files)
    }
}
