import FerryCodec

/// The schemas a server can describe, indexed for server reflection: files by name, the file
/// defining each fully-qualified symbol, and extensions by the message they extend.
///
/// Built from the descriptors generated code embeds (``FerryCodec/ProtoFile``), so a server needs
/// no .proto files at run time.
struct DescriptorIndex: Sendable {
    /// Each file's descriptor, serialized once, by file name.
    private(set) var files: [String: (descriptor: Google_Protobuf_FileDescriptorProto, bytes: [UInt8])] = [:]
    /// The file defining each symbol: packages' messages, enums, services, methods, extensions.
    private(set) var symbols: [String: String] = [:]
    /// For each extended message (fully qualified, no leading dot): extension number → file.
    private(set) var extensions: [String: [Int32: String]] = [:]

    /// An index of `roots` and every file they import.
    init(_ roots: [any ProtoFile.Type]) {
        var pending = roots
        while let file = pending.popLast() {
            let descriptor = file.descriptor
            let name = descriptor.name ?? ""
            guard files[name] == nil else { continue }
            files[name] = (descriptor, descriptor.serializedBytes())
            index(descriptor)
            pending += file.dependencies
        }
    }

    private mutating func index(_ file: Google_Protobuf_FileDescriptorProto) {
        let name = file.name ?? ""
        let package = file.package ?? ""
        func qualified(_ scope: String, _ member: String?) -> String {
            scope.isEmpty ? member ?? "" : scope + "." + (member ?? "")
        }
        func addExtensions(_ fields: [Google_Protobuf_FieldDescriptorProto], scope: String) {
            for field in fields {
                symbols[qualified(scope, field.name)] = name
                var extendee = field.extendee ?? ""
                if extendee.hasPrefix(".") { extendee.removeFirst() }
                if let number = field.number { extensions[extendee, default: [:]][number] = name }
            }
        }
        func addMessage(_ message: Google_Protobuf_DescriptorProto, scope: String) {
            let full = qualified(scope, message.name)
            symbols[full] = name
            for field in message.field { symbols[qualified(full, field.name)] = name }
            for nested in message.nestedType { addMessage(nested, scope: full) }
            for enumType in message.enumType { symbols[qualified(full, enumType.name)] = name }
            addExtensions(message.extension, scope: full)
        }
        for message in file.messageType { addMessage(message, scope: package) }
        for enumType in file.enumType {
            let full = qualified(package, enumType.name)
            symbols[full] = name
            // Enum values are scoped like siblings of their enum (protobuf's C++ scoping rule).
            for value in enumType.value {
                symbols[qualified(package, value.name)] = symbols[qualified(package, value.name)] ?? name
            }
        }
        for service in file.service {
            let full = qualified(package, service.name)
            symbols[full] = name
            for method in service.method { symbols[qualified(full, method.name)] = name }
        }
        addExtensions(file.extension, scope: package)
    }

    /// `name` and the files it imports, transitively, each after its imports, leaving out those in
    /// `sent` (files this client already has); nil when `name` is unknown.
    func fileWithDependencies(_ name: String, excluding sent: Set<String>) -> [(name: String, bytes: [UInt8])]? {
        guard files[name] != nil else { return nil }
        var ordered: [(String, [UInt8])] = []
        var seen = sent
        func visit(_ file: String) {
            guard let entry = files[file], seen.insert(file).inserted else { return }
            for dependency in entry.descriptor.dependency { visit(dependency) }
            ordered.append((file, entry.bytes))
        }
        // The requested file goes first, as grpc's reflection clients expect it, even if sent before.
        seen.remove(name)
        visit(name)
        if let index = ordered.firstIndex(where: { $0.0 == name }) {
            ordered.insert(ordered.remove(at: index), at: 0)
        }
        return ordered
    }
}
