/// The message types a `google.protobuf.Any` may hold when it is written or read as JSON or text.
///
/// JSON writes an Any's content as the fields of the type it names, so printing or parsing one
/// needs that type's schema. The registry holds generated types (their whole .proto files and
/// imports come along); the well-known types are always in it.
///
/// ```swift
/// var options = JSONEncodingOptions()
/// options.typeRegistry = TypeRegistry([Shop_OrderPlaced.self, Shop_OrderCancelled.self])
/// ```
public struct TypeRegistry: Sendable {
    private var files: Set<String> = []

    /// The registry of the well-known types only.
    public init() {}

    /// A registry of `types`, every other message of their .proto files, and of the files those import.
    public init(_ types: [any DescribedMessage.Type]) {
        for type in types { add(type.protoFile) }
    }

    /// A registry of every message of `files` and of the files they import.
    public init(files: [any ProtoFile.Type]) {
        for file in files { add(file) }
    }

    /// Adds every message of `file` and of the files it imports.
    public mutating func add(_ file: any ProtoFile.Type) {
        SchemaPool.shared.register(file)
        var visited: Set<String> = []
        func visit(_ file: any ProtoFile.Type) {
            guard let name = file.descriptor.name, visited.insert(name).inserted else { return }
            files.insert(name)
            for dependency in file.dependencies { visit(dependency) }
        }
        visit(file)
    }

    /// Adds the file of `type` (see ``add(_:)-(ProtoFile.Type)``).
    public mutating func add(_ type: any DescribedMessage.Type) { add(type.protoFile) }

    /// The schema for an Any's type URL (`type.googleapis.com/pkg.Name`: the part after the last
    /// `/`), if the registry holds that type.
    func schema(forTypeURL url: String) -> MessageSchema? {
        guard let slash = url.lastIndex(of: "/") else { return nil }
        let name = String(url[url.index(after: slash)...])
        guard !name.isEmpty else { return nil }
        if name.hasPrefix("google.protobuf.") {
            Self.registerWellKnownTypes
            if let file = SchemaPool.shared.file(declaring: name), Self.wellKnownFiles.contains(file) {
                return SchemaPool.shared.schema(named: name)
            }
        }
        guard let schema = SchemaPool.shared.schema(named: name), contains(schema) else { return nil }
        return schema
    }

    private func contains(_ schema: MessageSchema) -> Bool {
        files.isEmpty ? false : SchemaPool.shared.file(declaring: schema.fullName).map(files.contains) ?? false
    }

    private static let wellKnownFiles: Set<String> = [
        "google/protobuf/any.proto", "google/protobuf/api.proto", "google/protobuf/duration.proto",
        "google/protobuf/empty.proto", "google/protobuf/field_mask.proto", "google/protobuf/source_context.proto",
        "google/protobuf/struct.proto", "google/protobuf/timestamp.proto", "google/protobuf/type.proto",
        "google/protobuf/wrappers.proto",
    ]

    /// Registers the well-known types' files once per process.
    private static let registerWellKnownTypes: Void = {
        let files: [any ProtoFile.Type] = [
            Google_Protobuf_Any_ProtoFile.self, Google_Protobuf_Api_ProtoFile.self,
            Google_Protobuf_Duration_ProtoFile.self, Google_Protobuf_Empty_ProtoFile.self,
            Google_Protobuf_FieldMask_ProtoFile.self, Google_Protobuf_SourceContext_ProtoFile.self,
            Google_Protobuf_Struct_ProtoFile.self, Google_Protobuf_Timestamp_ProtoFile.self,
            Google_Protobuf_Type_ProtoFile.self, Google_Protobuf_Wrappers_ProtoFile.self,
        ]
        for file in files { SchemaPool.shared.register(file) }
    }()
}
