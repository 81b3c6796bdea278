import FerryCodec

/// Settings of one generator run.
public struct GeneratorOptions: Sendable, Hashable {
    /// Access level of the generated declarations.
    public enum Visibility: String, Sendable, Hashable, CaseIterable {
        case `public`
        /// Visible to the other modules of the same Swift package only (Swift's `package`).
        case package
        case `internal`
    }

    /// How a .proto path becomes the generated file's path.
    public enum FileNaming: String, Sendable, Hashable, CaseIterable {
        /// `path/to/foo.proto` → `path/to/foo.pb.swift` (protoc's convention).
        case fullPath = "FullPath"
        /// `path/to/foo.proto` → `foo.pb.swift`.
        case dropPath = "DropPath"
        /// `path/to/foo.proto` → `path_to_foo.pb.swift`, unique names in one flat folder.
        case pathToUnderscores = "PathToUnderscores"
    }

    /// Access level of generated types and members (`Visibility=public|internal`).
    public var visibility: Visibility
    /// Where generated files go relative to the output directory (`FileNaming=…`).
    public var fileNaming: FileNaming
    /// Generates code that lives inside the FerryCodec module itself (descriptor.proto and the
    /// well-known types): no `import FerryCodec`.
    public var generatingRuntime: Bool
    /// Generates each service's method descriptors, client stub and server protocol, which need
    /// FerryRPC (`Services=true|false`, default true). Messages of files without services never
    /// import FerryRPC.
    public var generatesServices: Bool
    /// Which Swift module holds the generated code of which .proto files, for files generated
    /// elsewhere: a file importing one of them imports that module
    /// (`ModuleMapping=acme/v1/money.proto:AcmeModels`, repeatable; a path ending in `/` maps
    /// every file under it). The longest matching path wins.
    public var moduleMappings: [String: String]

    /// Options for one run; the defaults give public declarations in protoc's file layout, service
    /// code, an `import FerryCodec` (not the runtime itself) and no module mappings.
    public init(
        visibility: Visibility = .public,
        fileNaming: FileNaming = .fullPath,
        generatingRuntime: Bool = false,
        generatesServices: Bool = true,
        moduleMappings: [String: String] = [:]
    ) {
        self.visibility = visibility
        self.fileNaming = fileNaming
        self.generatingRuntime = generatingRuntime
        self.generatesServices = generatesServices
        self.moduleMappings = moduleMappings
    }

    /// The module that holds the generated code of `protoPath`, if a mapping names one.
    public func module(for protoPath: String) -> String? {
        if let exact = moduleMappings[protoPath] { return exact }
        return
            moduleMappings
            .filter { $0.key.hasSuffix("/") && protoPath.hasPrefix($0.key) }
            .max { $0.key.count < $1.key.count }?.value
    }

    /// Reads one `path:Module` mapping.
    public static func parseModuleMapping(_ text: String) throws(GeneratorError) -> (path: String, module: String) {
        guard let colon = text.lastIndex(of: ":") else {
            throw GeneratorError("module mapping '\(text)' is not of the form path/to/file.proto:Module")
        }
        let path = String(text[..<colon])
        let module = String(text[text.index(after: colon)...])
        guard !path.isEmpty, !module.isEmpty, module.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
            let first = module.first, !first.isNumber
        else {
            throw GeneratorError("module mapping '\(text)': '\(module)' is not a Swift module name")
        }
        return (path, module)
    }

    /// Reads protoc's `--ferry_opt` parameter: comma-separated `Key=Value` pairs
    /// (`Visibility=internal,FileNaming=DropPath,GeneratingRuntime=true,Services=false,ModuleMapping=a.proto:A`).
    public init(parameter: String) throws(GeneratorError) {
        self.init()
        for item in parameter.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: " ") }
            guard pair.count == 2 else { throw GeneratorError("option '\(item)' is not of the form Key=Value") }
            switch pair[0] {
            case "Visibility":
                guard let value = Visibility(rawValue: pair[1].lowercased()) else {
                    throw GeneratorError("Visibility must be public, package or internal, not '\(pair[1])'")
                }
                visibility = value
            case "FileNaming":
                guard let value = FileNaming(rawValue: pair[1]) else {
                    throw GeneratorError(
                        """
                        FileNaming must be one of \(FileNaming.allCases.map(\.rawValue).joined(separator: ", ")), \
                        not '\(pair[1])'
                        """
                    )
                }
                fileNaming = value
            case "GeneratingRuntime":
                guard let value = Bool(pair[1]) else { throw GeneratorError("GeneratingRuntime must be true or false") }
                generatingRuntime = value
            case "Services":
                guard let value = Bool(pair[1]) else { throw GeneratorError("Services must be true or false") }
                generatesServices = value
            case "ModuleMapping":
                let (path, module) = try Self.parseModuleMapping(pair[1])
                moduleMappings[path] = module
            default:
                throw GeneratorError(
                    """
                    unknown option '\(pair[0])' (known: \
                    Visibility, FileNaming, GeneratingRuntime, Services, ModuleMapping)
                    """
                )
            }
        }
    }
}

extension Substring {
    func trimmingCharacters(in characters: String) -> String {
        var s = self
        while let c = s.first, characters.contains(c) { s.removeFirst() }
        while let c = s.last, characters.contains(c) { s.removeLast() }
        return String(s)
    }
}
