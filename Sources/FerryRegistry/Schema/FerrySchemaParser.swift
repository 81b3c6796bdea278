import FerryCodec
import FerrySchema
import Foundation

/// The registry's ``SchemaParser``: Ferry's own compiler (FerrySchema), in process.
///
/// The schema and its references are parsed from memory; other imports (the well-known types)
/// are read from `importPaths`, which by default hold the well-known `.proto` files this module
/// ships. Parse and link errors become `RegistryError.Code.invalidSchema` with the rendered
/// diagnostics (`file:line:col: error: ...`).
public struct FerrySchemaParser: SchemaParser {
    /// Directories searched for imports that are neither the schema nor one of its references.
    public var importPaths: [String]

    /// Creates a parser; the default import path holds the bundled well-known types.
    public init(importPaths: [String]? = nil) {
        self.importPaths = importPaths ?? Compiler.wellKnownImportPath.map { [$0] } ?? []
    }

    /// Parses and links one schema.
    public func parse(
        _ text: String,
        fileName: String,
        dependencies: [String: String]
    ) async throws(RegistryError) -> ProtobufSchema {
        var unlinked: [String: UnlinkedFile] = [:]
        var diagnostics: [Diagnostic] = []
        var pending = [fileName]
        while let name = pending.popLast() {
            guard unlinked[name] == nil else { continue }
            let source: String? = name == fileName ? text : dependencies[name] ?? readImport(name)
            guard let source else { continue }
            let file = SourceFile(name: name, text: source)
            var (descriptor, parseDiagnostics) = ProtoParser.parseDescriptor(file)
            descriptor.name = name
            diagnostics += parseDiagnostics
            unlinked[name] = UnlinkedFile(descriptor: descriptor, source: file)
            pending += descriptor.dependency
        }
        let result = Compiler.link(Array(unlinked.values), requested: [fileName])
        diagnostics += result.diagnostics
        guard !diagnostics.contains(where: { $0.severity == .error }), !result.hasErrors,
            var main = result.file(named: fileName)
        else {
            let errors = diagnostics.filter { $0.severity == .error }
            let rendered = errors.isEmpty ? "the schema did not link" : DiagnosticRenderer().render(errors)
            throw RegistryError(.invalidSchema, "Invalid schema: \(rendered)")
        }
        main.sourceCodeInfo = nil
        let imports = result.files.filter { $0.name != fileName }.map { file -> Google_Protobuf_FileDescriptorProto in
            var copy = file
            copy.sourceCodeInfo = nil
            return copy
        }
        return ProtobufSchema(file: main, dependencies: imports)
    }

    private func readImport(_ name: String) -> String? {
        for directory in importPaths {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if let text = try? String(contentsOf: url, encoding: .utf8) { return text }
        }
        return nil
    }
}
