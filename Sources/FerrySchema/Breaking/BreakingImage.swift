import FerryCodec

/// Every file, message, enum, service and extension of one side of a breaking-change check, by
/// the keys the rules pair elements with: files by path, types and services by full name,
/// extensions by extendee and number.
///
/// Dependencies are indexed too, so that a field's type resolves wherever it is defined, but only
/// the elements of checked files (the module's own files) are compared.
struct BreakingImage {
    /// The syntax of a file as the rules see it.
    enum Syntax: String {
        case proto2, proto3, editions
    }

    struct File {
        let descriptor: Google_Protobuf_FileDescriptorProto
        let path: String
        let package: String
        let syntax: Syntax
        let isChecked: Bool
    }

    /// A message, enum, service or extension, with where it sits.
    struct Element<Descriptor> {
        let descriptor: Descriptor
        /// `pkg.Outer.Inner`.
        let fullName: String
        /// The full name without the package: `Outer.Inner`.
        let nestedName: String
        /// Index into ``BreakingImage/files``.
        let fileIndex: Int
        /// The descriptor path of the element in its file (for source locations).
        let sourcePath: [Int32]
    }

    typealias Message = Element<Google_Protobuf_DescriptorProto>
    typealias Enum = Element<Google_Protobuf_EnumDescriptorProto>
    typealias Service = Element<Google_Protobuf_ServiceDescriptorProto>
    typealias Extension = Element<Google_Protobuf_FieldDescriptorProto>

    private(set) var files: [File] = []
    private(set) var filesByPath: [String: Int] = [:]
    private(set) var messages: [Message] = []
    private(set) var messagesByName: [String: Int] = [:]
    private(set) var enums: [Enum] = []
    private(set) var enumsByName: [String: Int] = [:]
    private(set) var services: [Service] = []
    private(set) var servicesByName: [String: Int] = [:]
    private(set) var extensions: [Extension] = []
    /// Extensions of checked files by extendee full name, then number.
    private(set) var extensionsByExtendee: [String: [Int32: Int]] = [:]

    /// Indexes `files`; those whose names are in `checked` are compared, the rest only resolve types.
    init(files descriptors: [Google_Protobuf_FileDescriptorProto], checked: Set<String>) {
        for descriptor in descriptors {
            let path = descriptor.name ?? ""
            guard filesByPath[path] == nil else { continue }
            let syntax: Syntax =
                switch descriptor.syntax {
                case "proto3": .proto3
                case "editions": .editions
                default: .proto2
                }
            let index = files.count
            files.append(
                File(
                    descriptor: descriptor,
                    path: path,
                    package: descriptor.package ?? "",
                    syntax: syntax,
                    isChecked: checked.contains(path)
                )
            )
            filesByPath[path] = index
            let package = descriptor.package ?? ""
            for (i, message) in descriptor.messageType.enumerated() {
                addMessage(message, scope: package, package: package, fileIndex: index, path: [4, Int32(i)])
            }
            for (i, enumType) in descriptor.enumType.enumerated() {
                addEnum(enumType, scope: package, package: package, fileIndex: index, path: [5, Int32(i)])
            }
            for (i, service) in descriptor.service.enumerated() {
                let fullName = Self.join(package, service.name ?? "")
                servicesByName[fullName] = services.count
                services.append(
                    Service(
                        descriptor: service,
                        fullName: fullName,
                        nestedName: service.name ?? "",
                        fileIndex: index,
                        sourcePath: [6, Int32(i)]
                    )
                )
            }
            for (i, field) in descriptor.extension.enumerated() {
                addExtension(field, scope: package, package: package, fileIndex: index, path: [7, Int32(i)])
            }
        }
    }

    private mutating func addMessage(
        _ message: Google_Protobuf_DescriptorProto,
        scope: String,
        package: String,
        fileIndex: Int,
        path: [Int32]
    ) {
        let fullName = Self.join(scope, message.name ?? "")
        messagesByName[fullName] = messages.count
        messages.append(
            Message(
                descriptor: message,
                fullName: fullName,
                nestedName: Self.nested(fullName, package),
                fileIndex: fileIndex,
                sourcePath: path
            )
        )
        for (i, nested) in message.nestedType.enumerated() {
            addMessage(nested, scope: fullName, package: package, fileIndex: fileIndex, path: path + [3, Int32(i)])
        }
        for (i, enumType) in message.enumType.enumerated() {
            addEnum(enumType, scope: fullName, package: package, fileIndex: fileIndex, path: path + [4, Int32(i)])
        }
        for (i, field) in message.extension.enumerated() {
            addExtension(field, scope: fullName, package: package, fileIndex: fileIndex, path: path + [6, Int32(i)])
        }
    }

    private mutating func addEnum(
        _ enumType: Google_Protobuf_EnumDescriptorProto,
        scope: String,
        package: String,
        fileIndex: Int,
        path: [Int32]
    ) {
        let fullName = Self.join(scope, enumType.name ?? "")
        enumsByName[fullName] = enums.count
        enums.append(
            Enum(
                descriptor: enumType,
                fullName: fullName,
                nestedName: Self.nested(fullName, package),
                fileIndex: fileIndex,
                sourcePath: path
            )
        )
    }

    private mutating func addExtension(
        _ field: Google_Protobuf_FieldDescriptorProto,
        scope: String,
        package: String,
        fileIndex: Int,
        path: [Int32]
    ) {
        let fullName = Self.join(scope, field.name ?? "")
        let index = extensions.count
        extensions.append(
            Extension(
                descriptor: field,
                fullName: fullName,
                nestedName: Self.nested(fullName, package),
                fileIndex: fileIndex,
                sourcePath: path
            )
        )
        if files[fileIndex].isChecked {
            extensionsByExtendee[Self.bare(field.extendee), default: [:]][field.number ?? 0] = index
        }
    }

    // MARK: Look-ups

    /// The message a field or method names (`.pkg.Name` or `pkg.Name`).
    func message(named typeName: String?) -> Message? {
        messagesByName[Self.bare(typeName)].map { messages[$0] }
    }

    /// The enum a field names.
    func enumType(named typeName: String?) -> Enum? {
        enumsByName[Self.bare(typeName)].map { enums[$0] }
    }

    /// The checked files, in input order.
    var checkedFiles: [File] { files.filter(\.isChecked) }

    func isChecked<Descriptor>(_ element: Element<Descriptor>) -> Bool { files[element.fileIndex].isChecked }

    func file<Descriptor>(of element: Element<Descriptor>) -> File { files[element.fileIndex] }

    // MARK: Names

    static func join(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : "\(scope).\(name)"
    }

    /// A type name without its leading dot.
    static func bare(_ typeName: String?) -> String {
        guard let typeName else { return "" }
        return typeName.hasPrefix(".") ? String(typeName.dropFirst()) : typeName
    }

    private static func nested(_ fullName: String, _ package: String) -> String {
        package.isEmpty ? fullName : String(fullName.dropFirst(package.count + 1))
    }
}
