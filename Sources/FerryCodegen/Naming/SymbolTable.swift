import FerryCodec

/// A message or enum type known to the generator, with its Swift name.
struct TypeSymbol: Sendable {
    enum Kind: Sendable {
        case message(Google_Protobuf_DescriptorProto)
        case enumeration(Google_Protobuf_EnumDescriptorProto)
    }

    /// The protobuf full name without the leading dot, such as `acme.v1.User.Role`.
    var fullName: String
    /// The Swift name from the top level, such as `Acme_V1_User.Role`.
    var swiftName: String
    var kind: Kind
    /// The .proto file that declares the type.
    var file: String
    /// Whether the declaring file is proto3.
    var isProto3: Bool
    /// The features of the type's scope: for a message, what its fields inherit; for an enum, its
    /// own (which say whether it is closed).
    var features: ResolvedFeatures
    /// Indexes from the file down to the type: top-level index, then nested indexes.
    var indexPath: [Int]

    var message: Google_Protobuf_DescriptorProto? {
        if case .message(let m) = kind { m } else { nil }
    }

    var isMapEntry: Bool { message?.options?.mapEntry == true }

    /// Whether an enum keeps numbers it does not declare out of its fields (proto2, or the CLOSED
    /// enum feature).
    var isClosedEnum: Bool { features.enumType == .closed }
}

/// Every type of every file in the request, by full name (with leading dot, as field
/// `type_name`s spell them).
struct SymbolTable: Sendable {
    private(set) var types: [String: TypeSymbol] = [:]

    init(files: [Google_Protobuf_FileDescriptorProto]) {
        for file in files {
            let package = file.package ?? ""
            let prefix = NameFormatting.typePrefix(file)
            let isProto3 = file.syntax == "proto3"
            let fileFeatures = ResolvedFeatures(file: file)
            let protoPrefix = package.isEmpty ? "" : package + "."
            for (i, message) in file.messageType.enumerated() {
                let swift = Self.topLevelName(message.name ?? "", prefix: prefix, isEnum: false)
                addMessage(
                    message,
                    protoName: protoPrefix + (message.name ?? ""),
                    swiftName: swift,
                    file: file.name ?? "",
                    isProto3: isProto3,
                    scope: fileFeatures,
                    path: [i]
                )
            }
            for (i, e) in file.enumType.enumerated() {
                let swift = Self.topLevelName(e.name ?? "", prefix: prefix, isEnum: true)
                add(
                    TypeSymbol(
                        fullName: protoPrefix + (e.name ?? ""),
                        swiftName: swift,
                        kind: .enumeration(e),
                        file: file.name ?? "",
                        isProto3: isProto3,
                        features: fileFeatures.merged(e.options?.features),
                        indexPath: [i]
                    )
                )
            }
        }
    }

    /// A top-level type's Swift name: `prefix` (see ``NameFormatting/typePrefix(_:)``) and the name.
    static func topLevelName(_ name: String, prefix: NameFormatting.TypePrefix, isEnum: Bool) -> String {
        switch prefix {
        case .package(let text):
            text.isEmpty ? NameFormatting.typeName(name, isEnum: isEnum) : text + "_" + NameFormatting.sanitized(name)
        case .swiftPrefix(let text):
            text.isEmpty ? NameFormatting.typeName(name, isEnum: isEnum) : NameFormatting.sanitized(text + name)
        }
    }

    private mutating func addMessage(
        _ message: Google_Protobuf_DescriptorProto,
        protoName: String,
        swiftName: String,
        file: String,
        isProto3: Bool,
        scope: ResolvedFeatures,
        path: [Int]
    ) {
        let features = scope.merged(message.options?.features)
        add(
            TypeSymbol(
                fullName: protoName,
                swiftName: swiftName,
                kind: .message(message),
                file: file,
                isProto3: isProto3,
                features: features,
                indexPath: path
            )
        )
        for (i, nested) in message.nestedType.enumerated() {
            let local = NameFormatting.typeName(nested.name ?? "", isEnum: false)
            addMessage(
                nested,
                protoName: protoName + "." + (nested.name ?? ""),
                swiftName: swiftName + "." + local,
                file: file,
                isProto3: isProto3,
                scope: features,
                path: path + [i]
            )
        }
        for (i, e) in message.enumType.enumerated() {
            let local = NameFormatting.typeName(e.name ?? "", isEnum: true)
            add(
                TypeSymbol(
                    fullName: protoName + "." + (e.name ?? ""),
                    swiftName: swiftName + "." + local,
                    kind: .enumeration(e),
                    file: file,
                    isProto3: isProto3,
                    features: features.merged(e.options?.features),
                    indexPath: path + [i]
                )
            )
        }
    }

    private mutating func add(_ symbol: TypeSymbol) {
        types["." + symbol.fullName] = symbol
    }

    /// The type a field's `type_name` refers to.
    func lookup(_ typeName: String?, context: String) throws(GeneratorError) -> TypeSymbol {
        guard let typeName, let symbol = types[typeName] else {
            throw GeneratorError(
                """
                \(context): type '\(typeName ?? "")' is not defined in the request (is its file missing from \
                --include_imports?)
                """
            )
        }
        return symbol
    }
}
