import Synchronization

/// Every message and enum type of the generated files seen so far, by full name, and the
/// ``MessageSchema``s built from them.
///
/// Files enter the pool when a message of theirs is first converted to or from JSON or text, or
/// when a ``TypeRegistry`` names them; each file's imports come with it. Protobuf names are
/// global, so one process-wide pool serves every module; when two generated files declare the
/// same full name (two modules compiled the same .proto), the first registered wins, which is
/// harmless because both describe the same type.
final class SchemaPool: Sendable {
    /// The pool of this process.
    static let shared = SchemaPool()

    private struct State {
        var files: Set<String> = []
        var messageDescriptors: [String: (descriptor: Google_Protobuf_DescriptorProto, syntax: Syntax, file: String)] = [:]
        var enumDescriptors: [String: (descriptor: Google_Protobuf_EnumDescriptorProto, syntax: Syntax)] = [:]
        var messages: [String: MessageSchema] = [:]
        var enums: [String: EnumSchema] = [:]
        /// Schemas by generated Swift type, the fast path of every conversion.
        var byType: [ObjectIdentifier: MessageSchema] = [:]
    }

    private enum Syntax { case proto2, proto3, editions }

    private let state = Mutex(State())

    /// The schema of a generated message type, registering its file on first use.
    func schema(for type: any DescribedMessage.Type) -> MessageSchema {
        let key = ObjectIdentifier(type)
        if let known = state.withLock({ $0.byType[key] }) { return known }
        // Reading the embedded descriptor may decode it: do that outside the lock.
        let file = type.protoFile
        let name = type.protoMessageName
        return state.withLock { state in
            Self.register(file, in: &state)
            // A generated type's own file always declares it; a missing entry means the embedded
            // descriptor disagrees with the generated code, which only a hand edit can cause.
            guard let schema = Self.message(named: name, in: &state) else {
                preconditionFailure("\(name) is not declared by its embedded descriptor")
            }
            state.byType[key] = schema
            return schema
        }
    }

    /// Adds `file` and its imports.
    func register(_ file: any ProtoFile.Type) {
        state.withLock { Self.register(file, in: &$0) }
    }

    /// The schema of the message named `fullName` (no leading dot), if a registered file declares it.
    func schema(named fullName: String) -> MessageSchema? {
        state.withLock { Self.message(named: fullName, in: &$0) }
    }

    /// The name of the registered file that declares the message `fullName`.
    func file(declaring fullName: String) -> String? {
        state.withLock { $0.messageDescriptors[fullName]?.file }
    }

    // MARK: - Building (all under the lock)

    private static func register(_ file: any ProtoFile.Type, in state: inout State) {
        let descriptor = file.descriptor
        let fileName = descriptor.name ?? ""
        guard state.files.insert(fileName).inserted else { return }
        for dependency in file.dependencies { register(dependency, in: &state) }
        let syntax: Syntax = switch descriptor.syntax {
        case "proto3": .proto3
        case "editions": .editions
        default: .proto2
        }
        let prefix = descriptor.package.map { $0.isEmpty ? "" : $0 + "." } ?? ""
        func add(_ message: Google_Protobuf_DescriptorProto, scope: String) {
            let fullName = scope + (message.name ?? "")
            if state.messageDescriptors[fullName] == nil {
                state.messageDescriptors[fullName] = (message, syntax, fileName)
            }
            for nested in message.nestedType { add(nested, scope: fullName + ".") }
            for enumType in message.enumType {
                let enumName = fullName + "." + (enumType.name ?? "")
                if state.enumDescriptors[enumName] == nil { state.enumDescriptors[enumName] = (enumType, syntax) }
            }
        }
        for message in descriptor.messageType { add(message, scope: prefix) }
        for enumType in descriptor.enumType {
            let enumName = prefix + (enumType.name ?? "")
            if state.enumDescriptors[enumName] == nil { state.enumDescriptors[enumName] = (enumType, syntax) }
        }
    }

    private static func message(named fullName: String, in state: inout State) -> MessageSchema? {
        if let built = state.messages[fullName] { return built }
        guard let (descriptor, syntax, _) = state.messageDescriptors[fullName] else { return nil }
        let schema = MessageSchema(
            fullName: fullName, wellKnown: WellKnownType(fullName: fullName),
            isMapEntry: descriptor.options?.mapEntry ?? false)
        // Registered before its fields are linked, so recursive types find themselves.
        state.messages[fullName] = schema
        schema.oneofNames = descriptor.oneofDecl.map { $0.name ?? "" }
        for field in descriptor.field {
            let type = field.type ?? .int32
            let isRepeated = field.label == .repeated
            let isSynthetic = field.proto3Optional ?? false
            let oneofIndex = isSynthetic ? nil : field.oneofIndex.map(Int.init)
            let hasPresence: Bool = switch syntax {
            case _ where isRepeated: false
            case _ where type == .message || type == .group || oneofIndex != nil || isSynthetic: true
            case .proto3: false
            case .proto2, .editions: true
            }
            let name = field.name ?? ""
            let fieldSchema = FieldSchema(
                number: field.number ?? 0, name: name, jsonName: field.jsonName ?? ProtoNaming.jsonName(name),
                type: type, isRepeated: isRepeated, hasPresence: hasPresence, oneofIndex: oneofIndex)
            let typeName = field.typeName.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 } ?? ""
            switch type {
            case .message, .group: fieldSchema.message = message(named: typeName, in: &state)
            case .enum: fieldSchema.enumSchema = enumType(named: typeName, in: &state)
            default: break
            }
            schema.fields.append(fieldSchema)
        }
        schema.index()
        return schema
    }

    private static func enumType(named fullName: String, in state: inout State) -> EnumSchema? {
        if let built = state.enums[fullName] { return built }
        guard let (descriptor, syntax) = state.enumDescriptors[fullName] else { return nil }
        let schema = EnumSchema(descriptor, fullName: fullName, isClosed: syntax == .proto2)
        state.enums[fullName] = schema
        return schema
    }
}
