/// Public: the result's files and descriptor set are FerryCodec's `FileDescriptorProto` and `FileDescriptorSet`.
public import FerryCodec

/// The outcome of one ``Compiler`` run: linked descriptors and every diagnostic.
public struct CompilationResult: Sendable {
    /// Every successfully linked file (requested files and their imports), imports first.
    public let files: [Google_Protobuf_FileDescriptorProto]
    /// The files asked for, by virtual name, in the order given.
    public let requestedFiles: [String]
    /// Errors and warnings of all phases, in the order found.
    public let diagnostics: [Diagnostic]
    /// Names and linked definitions of all files, for look-ups after compilation.
    public let symbols: SymbolTable

    private let filesByName: [String: Google_Protobuf_FileDescriptorProto]

    init(linker: Linker, requested: [String], extraDiagnostics: [Diagnostic]) {
        files = linker.linkOrder.compactMap { linker.linked[$0] }
        requestedFiles = requested
        diagnostics = extraDiagnostics + linker.diagnostics
        symbols = linker.table
        filesByName = linker.linked
    }

    /// Whether any error was reported (warnings do not count).
    public var hasErrors: Bool {
        diagnostics.contains { $0.severity == .error } || requestedFiles.contains { filesByName[$0] == nil }
    }

    /// The linked file named `name`, if it linked.
    public func file(named name: String) -> Google_Protobuf_FileDescriptorProto? { filesByName[name] }

    /// A `FileDescriptorSet` like protoc's `--descriptor_set_out`.
    ///
    /// - Parameters:
    ///   - includeImports: also include every imported file, each before the files importing
    ///     it (protoc's `--include_imports` order: depth first, in import order).
    ///   - includeSourceInfo: keep `source_code_info` (protoc's `--include_source_info`).
    public func descriptorSet(
        includeImports: Bool = false,
        includeSourceInfo: Bool = false
    ) -> Google_Protobuf_FileDescriptorSet {
        var set = Google_Protobuf_FileDescriptorSet()
        var seen: Set<String> = []
        func add(_ name: String) {
            guard seen.insert(name).inserted, let file = filesByName[name] else { return }
            if includeImports {
                for dependency in file.dependency { add(dependency) }
            }
            var copy = file
            if !includeSourceInfo { copy.sourceCodeInfo = nil }
            set.file.append(copy)
        }
        for name in requestedFiles { add(name) }
        return set
    }
}
