/// Public: the schema is made of FerryCodec's `FileDescriptorProto`s.
public import FerryCodec

/// A Protobuf schema as the registry and the compatibility checker see it: one linked file and every
/// file it imports.
///
/// The descriptors are what protoc (or FerrySchema) produces: type names are fully qualified with a
/// leading dot, map fields point at their `map_entry` message.
public struct ProtobufSchema: Sendable, Hashable {
    /// The schema's own file.
    public var file: Google_Protobuf_FileDescriptorProto
    /// Every file the schema imports, directly or through other imports.
    public var dependencies: [Google_Protobuf_FileDescriptorProto]

    /// Creates a schema from its file and the files it imports.
    public init(file: Google_Protobuf_FileDescriptorProto, dependencies: [Google_Protobuf_FileDescriptorProto] = []) {
        self.file = file
        self.dependencies = dependencies
    }

    /// Creates a schema from a descriptor set as `protoc --include_imports --descriptor_set_out` writes it.
    ///
    /// - Parameters:
    ///   - set: the files, each after the files it imports.
    ///   - fileName: the schema's own file; `nil` takes the last file of the set.
    /// - Throws: ``RegistryError/Code/invalidSchema`` when the set is empty or lacks `fileName`.
    public init(descriptorSet set: Google_Protobuf_FileDescriptorSet, fileName: String? = nil) throws(RegistryError) {
        let index: Int?
        if let fileName {
            index = set.file.firstIndex { $0.name == fileName }
        } else {
            index = set.file.isEmpty ? nil : set.file.count - 1
        }
        guard let index else {
            throw RegistryError(.invalidSchema, "descriptor set has no file \(fileName ?? "at all")")
        }
        var others = set.file
        let file = others.remove(at: index)
        self.init(file: file, dependencies: others)
    }

    /// The schema's package, empty when it declares none.
    public var packageName: String { file.package ?? "" }

    /// Every file, dependencies first and the schema's own file last.
    public var allFiles: [Google_Protobuf_FileDescriptorProto] { dependencies + [file] }

    /// The fully qualified names of the schema's top-level and nested messages (map entries are not listed
    /// but keep their positions), in declaration order, each with its message-index path (the Confluent wire format's
    /// index list).
    public var messageIndexes: [(name: String, indexes: [Int])] {
        var result: [(name: String, indexes: [Int])] = []
        func visit(_ messages: [Google_Protobuf_DescriptorProto], scope: String, prefix: [Int]) {
            for (position, message) in messages.enumerated() {
                let name = scope.isEmpty ? (message.name ?? "") : "\(scope).\(message.name ?? "")"
                if message.options?.mapEntry != true { result.append((name, prefix + [position])) }
                visit(message.nestedType, scope: name, prefix: prefix + [position])
            }
        }
        visit(file.messageType, scope: packageName, prefix: [])
        return result
    }
}
