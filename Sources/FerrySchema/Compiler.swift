/// Public: the parser and ``Compiler/load(_:requested:)`` take and give FerryCodec's descriptor types.
public import FerryCodec

/// Compiles `.proto` files into linked descriptors equal to protoc's.
///
/// ```swift
/// let result = Compiler(importPaths: ["protos"]).compile(files: ["shop/checkout.proto"])
/// if result.hasErrors { print(DiagnosticRenderer().render(result.diagnostics)) }
/// let set = result.descriptorSet(includeImports: true)
/// ```
///
/// Files are found through the import paths as protoc's `-I` finds them; imports are read the
/// same way (descriptor.proto included — nothing is built in).
public struct Compiler: Sendable {
    /// Turns one source file into its unlinked descriptor plus parse diagnostics.
    public typealias Parser =
        @Sendable (SourceFile) -> (descriptor: Google_Protobuf_FileDescriptorProto?, diagnostics: [Diagnostic])

    /// Where files and their imports are looked up, in order.
    public var importPaths: [String]
    private let parser: Parser

    /// Creates a compiler searching `importPaths` (protoc's `-I`).
    public init(importPaths: [String]) {
        self.init(importPaths: importPaths, parser: Compiler.defaultParser)
    }

    /// Creates a compiler with a custom parser (tests, or files that are not `.proto` text).
    public init(importPaths: [String], parser: @escaping Parser) {
        self.importPaths = importPaths
        self.parser = parser
    }

    /// Compiles `files` (virtual names relative to an import path, or paths on disk inside one)
    /// and everything they import.
    public func compile(files: [String]) -> CompilationResult {
        let tree = SourceTree(importPaths: importPaths)
        var diagnostics: [Diagnostic] = []
        var requested: [String] = []
        for input in files {
            switch tree.virtualName(forInput: input) {
            case .success(let name): requested.append(name)
            case .failure(let error): diagnostics.append(.error(error.description, at: nil))
            }
        }
        let parser = self.parser
        let load: Linker.Loader = { name in
            guard let source = tree.read(name) else { return (nil, [], false) }
            let (descriptor, parseDiagnostics) = parser(source)
            guard var descriptor else { return (nil, parseDiagnostics, true) }
            descriptor.name = name
            return (UnlinkedFile(descriptor: descriptor, source: source), parseDiagnostics, true)
        }
        // Linking is sequential; reading and parsing are not. A second thread parses the
        // requested files ahead of the linker, which takes each result or loads the file itself.
        let ahead = requested.count >= ParseAhead.minimumFiles ? ParseAhead(names: requested, load: load) : nil
        var linker = Linker { name in ahead?.take(name) ?? load(name) }
        linker.trackedFiles = Set(requested)
        for name in requested { linker.build(name) }
        ahead?.stop()
        return CompilationResult(linker: linker, requested: requested, extraDiagnostics: diagnostics)
    }

    /// Links files that are already parsed (for example by another front end). Imports must be
    /// among `files`; they are looked up by name.
    public static func link(_ files: [UnlinkedFile], requested: [String]? = nil) -> CompilationResult {
        let byName = Dictionary(files.map { ($0.descriptor.name ?? "", $0) }, uniquingKeysWith: { _, last in last })
        var linker = Linker { name in
            guard let file = byName[name] else { return (nil, [], false) }
            return (file, [], true)
        }
        let names = requested ?? files.map { $0.descriptor.name ?? "" }
        for name in names { linker.build(name) }
        return CompilationResult(linker: linker, requested: names, extraDiagnostics: [])
    }

    /// Loads descriptors that are already linked — a `FileDescriptorSet` written by protoc or by
    /// ``CompilationResult/descriptorSet(includeImports:includeSourceInfo:)``, the files of a
    /// protoc plugin request, or schemas kept by the registry — and checks them as protoc's
    /// `DescriptorPool` checks files it is given: every import present, every name unique and
    /// resolvable, every rule of this linker. The result indexes all names for look-ups.
    ///
    /// - Parameters:
    ///   - set: the files; each file's imports must be in the set (in any order).
    ///   - requested: the files the result's ``CompilationResult/requestedFiles`` lists;
    ///     all files of the set by default.
    public static func load(_ set: Google_Protobuf_FileDescriptorSet, requested: [String]? = nil) -> CompilationResult {
        link(set.file.map { UnlinkedFile(descriptor: $0) }, requested: requested)
    }

    /// The parser used by ``init(importPaths:)``.
    public static let defaultParser: Parser = { source in
        let (descriptor, diagnostics) = ProtoParser.parseDescriptor(source)
        return (descriptor, diagnostics)
    }
}
