/// A generated .proto file: its embedded descriptor and the generated files it imports.
///
/// Each generated file declares one namespace enum conforming to this protocol (for
/// `acme/v1/user.proto`: `Acme_V1_User_ProtoFile`), which also holds the file's extensions.
public protocol ProtoFile: Sendable {
    /// The file's descriptor as protoc produced it, without source info.
    static var descriptor: Google_Protobuf_FileDescriptorProto { get }
    /// The generated files this file imports, in `import` order.
    static var dependencies: [any ProtoFile.Type] { get }
}

extension ProtoFile {
    /// This file and everything it imports, transitively, each file after its imports: the
    /// `FileDescriptorSet` that `protoc --include_imports` writes for this file.
    public static var fileDescriptorSet: Google_Protobuf_FileDescriptorSet {
        var set = Google_Protobuf_FileDescriptorSet()
        var seen: Set<String> = []
        func visit(_ file: any ProtoFile.Type) {
            let descriptor = file.descriptor
            guard seen.insert(descriptor.name ?? "").inserted else { return }
            for dependency in file.dependencies { visit(dependency) }
            set.file.append(descriptor)
        }
        visit(Self.self)
        return set
    }
}
