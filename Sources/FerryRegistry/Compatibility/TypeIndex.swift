import FerryCodec

/// Every message and enum of a schema and its imports, by fully qualified name (no leading dot).
struct TypeIndex {
    enum Definition {
        case message(Google_Protobuf_DescriptorProto)
        case `enum`(Google_Protobuf_EnumDescriptorProto)
    }

    struct Entry {
        var definition: Definition
        /// The package of the file that defines the type.
        var packageName: String
        /// `proto2` or `proto3` (protoc leaves it empty for proto2).
        var syntax: String

        /// The name relative to the package: `Order.Item` for `acme.Order.Item`.
        func localName(of fullName: String) -> String {
            packageName.isEmpty ? fullName : String(fullName.dropFirst(packageName.count + 1))
        }

        var isMapEntry: Bool {
            if case .message(let message) = definition { return message.options?.mapEntry == true }
            return false
        }
    }

    private(set) var entries: [String: Entry] = [:]

    init(_ schema: ProtobufSchema) {
        for file in schema.allFiles {
            let package = file.package ?? ""
            let syntax = file.syntax ?? "proto2"
            for message in file.messageType { add(message, scope: package, package: package, syntax: syntax) }
            for enumType in file.enumType {
                entries[Self.join(package, enumType.name)] = Entry(
                    definition: .enum(enumType),
                    packageName: package,
                    syntax: syntax
                )
            }
        }
    }

    private mutating func add(
        _ message: Google_Protobuf_DescriptorProto,
        scope: String,
        package: String,
        syntax: String
    ) {
        let name = Self.join(scope, message.name)
        entries[name] = Entry(definition: .message(message), packageName: package, syntax: syntax)
        for nested in message.nestedType { add(nested, scope: name, package: package, syntax: syntax) }
        for enumType in message.enumType {
            entries[Self.join(name, enumType.name)] = Entry(
                definition: .enum(enumType),
                packageName: package,
                syntax: syntax
            )
        }
    }

    /// The entry for a type name as a field or method refers to it (`.acme.Order` or `acme.Order`).
    subscript(typeName: String) -> Entry? {
        entries[typeName.hasPrefix(".") ? String(typeName.dropFirst()) : typeName]
    }

    static func join(_ scope: String, _ name: String?) -> String {
        scope.isEmpty ? (name ?? "") : "\(scope).\(name ?? "")"
    }

    static func fullName(_ typeName: String?) -> String {
        guard let typeName else { return "" }
        return typeName.hasPrefix(".") ? String(typeName.dropFirst()) : typeName
    }
}
