import ArgumentParser
import FerryCodec
import FerrySchema
import Foundation

/// The .proto inputs shared by every command that compiles schemas, spelled as protoc spells them
/// so that `ferry` can stand in for protoc in scripts.
struct SchemaInputOptions: ParsableArguments {
    @Option(
        name: [.customShort("I", allowingJoined: true), .customLong("proto_path"), .customLong("proto-path")],
        help: ArgumentHelp(
            """
            A directory in which to look for the files and their imports; may be \
            repeated. Defaults to the current directory.
            """,
            valueName: "dir"
        )
    )
    var importPaths: [String] = []

    @Argument(
        help: ArgumentHelp(
            "The .proto files to compile: names relative to an import path, or paths inside one.",
            valueName: "file.proto"
        )
    )
    var files: [String]

    /// Compiles the files, printing every diagnostic to standard error; exits 1 on any error.
    func compile() throws -> CompilationResult {
        try Self.compile(ResponseFiles.unbundle(files), importPaths: importPaths.isEmpty ? ["."] : importPaths)
    }

    /// Compiles `files` against `importPaths` and then the bundled well-known types (last, so that a
    /// user's own copies win, as they would with protoc), printing every diagnostic to standard
    /// error; exits 1 on any error. Every command that reads .proto files goes through here.
    static func compile(_ files: [String], importPaths: [String]) throws -> CompilationResult {
        var paths = importPaths
        if let builtins = Compiler.wellKnownImportPath { paths.append(builtins) }
        let result = Compiler(importPaths: paths).compile(files: files)
        if !result.diagnostics.isEmpty {
            FileHandle.standardError.write(Data((DiagnosticRenderer().render(result.diagnostics) + "\n").utf8))
        }
        if result.hasErrors { throw ExitCode(1) }
        return result
    }
}
