/// Public: ``UnlinkedFile`` holds a FerryCodec `Google_Protobuf_FileDescriptorProto`.
public import FerryCodec

/// A parsed but unlinked file: the descriptor protoc's parser would produce (type names as
/// written, options uninterpreted) with its `SourceCodeInfo`, and the text it came from.
public struct UnlinkedFile: Sendable {
    /// The unlinked descriptor, including `sourceCodeInfo` for diagnostics positions.
    public var descriptor: Google_Protobuf_FileDescriptorProto
    /// The source text, used to give diagnostics byte offsets; optional.
    public var source: SourceFile?

    /// Creates an unlinked file.
    public init(descriptor: Google_Protobuf_FileDescriptorProto, source: SourceFile? = nil) {
        self.descriptor = descriptor
        self.source = source
    }
}

/// Loads files and their imports in protoc's order and links each against the ones before it.
///
/// Files are visited depth first: a file's imports are linked before the file itself, so the
/// linked files come out in the order protoc writes them with `--include_imports`. A file that
/// cannot be found, does not parse, or fails to link is left out, and every file importing it
/// reports `Import "x" was not found or had errors.` at its import statement, as protoc does.
struct Linker {
    /// Produces the unlinked form of a file by virtual name; `nil` when the file does not exist.
    /// Parse errors go to the diagnostics array; the file then counts as failed.
    typealias Loader = @Sendable (String) -> LoadResult
    /// A loaded file, its parse diagnostics, and whether the file exists at all.
    typealias LoadResult = (file: UnlinkedFile?, diagnostics: [Diagnostic], found: Bool)

    private let load: Loader
    private(set) var table = SymbolTable()
    private(set) var diagnostics: [Diagnostic] = []
    /// Successfully linked files, in link order.
    private(set) var linked: [String: Google_Protobuf_FileDescriptorProto] = [:]
    private(set) var linkOrder: [String] = []
    /// Unlinked files by name (cached so cycles can point at the import that closes them).
    private var unlinked: [String: UnlinkedFile] = [:]
    /// Files that were tried and failed.
    private var failed: Set<String> = []
    private var pending: [String] = []

    /// Files whose unused imports are reported (protoc reports them for its input files).
    var trackedFiles: Set<String> = []

    init(load: @escaping Loader) {
        self.load = load
    }

    /// Links `name` and everything it imports; returns whether it linked without errors.
    @discardableResult
    mutating func build(_ name: String) -> Bool {
        if linked[name] != nil { return true }
        if failed.contains(name) { return false }
        if let position = pending.firstIndex(of: name) {
            reportCycle(at: position, closingWith: name)
            return false
        }
        let file: UnlinkedFile
        if let cached = unlinked[name] {
            file = cached
        } else {
            let result = load(name)
            diagnostics.append(contentsOf: result.diagnostics)
            guard let loaded = result.file else {
                if !result.found {
                    diagnostics.append(.error("\(name): File not found.", at: nil))
                }
                failed.insert(name)
                return false
            }
            if result.diagnostics.contains(where: { $0.severity == .error }) {
                failed.insert(name)
                return false
            }
            file = loaded
            unlinked[name] = loaded
        }
        pending.append(name)
        let locator = SourceLocator(file: file.descriptor, source: file.source)
        var importErrors: [Diagnostic] = []
        var seenImports: Set<String> = []
        for (index, dependency) in file.descriptor.dependency.enumerated() {
            let path = [DescriptorPath.File.dependency, Int32(index)]
            if !seenImports.insert(dependency).inserted {
                importErrors.append(.error("Import \"\(dependency)\" was listed twice.", at: locator.span(path)))
                continue
            }
            if !build(dependency) {
                importErrors.append(
                    .error("Import \"\(dependency)\" was not found or had errors.", at: locator.span(path))
                )
            }
        }
        pending.removeLast()
        diagnostics.append(contentsOf: importErrors)

        var candidates: Set<String> = []
        if trackedFiles.contains(name) {
            let publicImports = Set(file.descriptor.publicDependency.map(Int.init))
            for (index, dependency) in file.descriptor.dependency.enumerated()
            where !publicImports.contains(index) && (linked[dependency]?.publicDependency.isEmpty ?? false) {
                candidates.insert(dependency)
            }
        }
        // The table moves into the file's linker and back, so that no second reference makes its
        // first write copy every name linked so far; a failed file's names are undone instead.
        var shared = SymbolTable()
        swap(&shared, &table)
        shared.beginFile()
        var linker = FileLinker(
            file: file.descriptor,
            source: file.source,
            table: consume shared,
            visibleFiles: visibleFiles(of: file.descriptor),
            unusedImportCandidates: candidates
        )
        linker.link()
        swap(&table, &linker.table)
        diagnostics.append(contentsOf: linker.diagnostics)
        guard importErrors.isEmpty, !linker.hasErrors else {
            table.rollBack()
            failed.insert(name)
            return false
        }
        linked[name] = linker.file
        linkOrder.append(name)
        return true
    }

    /// The file itself is added by FileLinker; here: direct imports and, transitively, what
    /// they re-export with `import public`.
    private func visibleFiles(of file: Google_Protobuf_FileDescriptorProto) -> Set<String> {
        var visible: Set<String> = []
        func record(_ name: String) {
            guard visible.insert(name).inserted, let dependency = linked[name] else { return }
            for index in dependency.publicDependency where dependency.dependency.indices.contains(Int(index)) {
                record(dependency.dependency[Int(index)])
            }
        }
        for dependency in file.dependency where linked[dependency] != nil { record(dependency) }
        return visible
    }

    private mutating func reportCycle(at position: Int, closingWith name: String) {
        let cycle = pending[position...] + [name]
        let message = "File recursively imports itself: " + cycle.joined(separator: " -> ")
        var span: SourceSpan?
        if let file = unlinked[name] {
            let next = position + 1 < pending.count ? pending[position + 1] : name
            if let index = file.descriptor.dependency.firstIndex(of: next) {
                span = SourceLocator(file: file.descriptor, source: file.source).span([
                    DescriptorPath.File.dependency, Int32(index),
                ])
            }
        }
        diagnostics.append(.error(message, at: span))
    }
}
