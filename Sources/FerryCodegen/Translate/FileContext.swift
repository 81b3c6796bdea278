import FerryCodec

/// Everything the translators of one file share.
struct FileContext {
    let file: Google_Protobuf_FileDescriptorProto
    let symbols: SymbolTable
    let options: GeneratorOptions
    let isProto3: Bool
    /// The features the file's top-level elements inherit (its syntax's or edition's, and its own).
    let fileFeatures: ResolvedFeatures
    /// Leading comments by source path.
    let comments: [[Int32]: String]
    /// Message fields (and oneof cases) stored indirectly, by message full name (no leading dot).
    let boxedEdges: Set<CycleAnalysis.Edge>
    var required: RequiredAnalysis
    /// The Swift name of the file's namespace enum (descriptor and file-scope extensions).
    let namespace: String

    /// `public `, `package ` or nothing, for declarations.
    var access: String {
        switch options.visibility {
        case .public: "public "
        case .package: "package "
        case .internal: ""
        }
    }

    /// The keyword that imports a module whose types the declarations expose.
    var importKeyword: String {
        switch options.visibility {
        case .public: "public import"
        case .package: "package import"
        case .internal: "import"
        }
    }

    init(file: Google_Protobuf_FileDescriptorProto, symbols: SymbolTable, options: GeneratorOptions) {
        self.file = file
        self.symbols = symbols
        self.options = options
        self.isProto3 = file.syntax == "proto3"
        self.fileFeatures = ResolvedFeatures(file: file)
        var comments: [[Int32]: String] = [:]
        for location in file.sourceCodeInfo?.location ?? [] {
            if let text = location.leadingComments, !text.isEmpty { comments[location.path] = text }
        }
        self.comments = comments
        self.required = RequiredAnalysis(symbols: symbols)
        self.namespace = Self.namespaceName(for: file.name ?? "")

        // The inline-holding graph over this file's messages.
        var order: [String] = []
        var edges: [String: [(field: Int, target: String)]] = [:]
        func walk(_ message: Google_Protobuf_DescriptorProto, fullName: String) {
            order.append(fullName)
            var out: [(field: Int, target: String)] = []
            for field in message.field
            where field.label != .repeated && (field.type == .message || field.type == .group) {
                if let target = field.typeName, let number = field.number {
                    out.append((Int(number), String(target.dropFirst())))
                }
            }
            edges[fullName] = out
            for nested in message.nestedType { walk(nested, fullName: fullName + "." + (nested.name ?? "")) }
        }
        let prefix = (file.package ?? "").isEmpty ? "" : (file.package ?? "") + "."
        for message in file.messageType { walk(message, fullName: prefix + (message.name ?? "")) }
        self.boxedEdges = CycleAnalysis.backEdges(order: order, edges: edges)
    }

    /// `acme/v1/user.proto` → `Acme_V1_User_ProtoFile`.
    static func namespaceName(for path: String) -> String {
        var stem = path
        if stem.hasSuffix(".proto") { stem.removeLast(6) }
        let parts = stem.split(separator: "/").map { NameFormatting.upperCamel(String($0)) }
        return NameFormatting.sanitized(parts.joined(separator: "_") + "_ProtoFile")
    }

    func comment(_ path: [Int]) -> SwiftNode {
        .comment(comments[path.map { Int32($0) }])
    }

    /// A qualified name of a runtime API: `FerryCodec.Message`.
    func runtime(_ name: String) -> String { "FerryCodec." + name }
}
