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
        /// Each message with the features its fields inherit, and its file.
        var messageDescriptors:
            [String: (descriptor: Google_Protobuf_DescriptorProto, features: ResolvedFeatures, file: String)] = [:]
        /// Each enum with its own resolved features (which say whether it is closed).
        var enumDescriptors: [String: (descriptor: Google_Protobuf_EnumDescriptorProto, features: ResolvedFeatures)] =
            [:]
        var messages: [String: MessageSchema] = [:]
        var enums: [String: EnumSchema] = [:]
        /// Schemas by generated Swift type, the fast path of every conversion.
        var byType: [ObjectIdentifier: MessageSchema] = [:]
        /// Extension declarations: by extended message and number, and by full name.
        var extensionDescriptors:
            [String: (descriptor: Google_Protobuf_FieldDescriptorProto, fullName: String, features: ResolvedFeatures)] =
                [:]
        var extensionNames: [String: [Int32: String]] = [:]
        var extensions: [String: FieldSchema] = [:]
    }

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
        let fileFeatures = ResolvedFeatures(file: descriptor)
        let prefix = descriptor.package.map { $0.isEmpty ? "" : $0 + "." } ?? ""
        func addExtensions(_ fields: [Google_Protobuf_FieldDescriptorProto], scope: String, features: ResolvedFeatures)
        {
            for field in fields {
                let fullName = scope + (field.name ?? "")
                let extendee = field.extendee.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 } ?? ""
                guard state.extensionDescriptors[fullName] == nil else { continue }
                state.extensionDescriptors[fullName] = (field, fullName, features)
                state.extensionNames[extendee, default: [:]][field.number ?? 0] = fullName
            }
        }
        addExtensions(descriptor.extension, scope: prefix, features: fileFeatures)
        func add(_ message: Google_Protobuf_DescriptorProto, scope: String, parent: ResolvedFeatures) {
            let fullName = scope + (message.name ?? "")
            let features = parent.merged(message.options?.features)
            addExtensions(message.extension, scope: fullName + ".", features: features)
            if state.messageDescriptors[fullName] == nil {
                state.messageDescriptors[fullName] = (message, features, fileName)
            }
            for nested in message.nestedType { add(nested, scope: fullName + ".", parent: features) }
            for enumType in message.enumType {
                let enumName = fullName + "." + (enumType.name ?? "")
                if state.enumDescriptors[enumName] == nil {
                    state.enumDescriptors[enumName] = (enumType, features.merged(enumType.options?.features))
                }
            }
        }
        for message in descriptor.messageType { add(message, scope: prefix, parent: fileFeatures) }
        for enumType in descriptor.enumType {
            let enumName = prefix + (enumType.name ?? "")
            if state.enumDescriptors[enumName] == nil {
                state.enumDescriptors[enumName] = (enumType, fileFeatures.merged(enumType.options?.features))
            }
        }
    }

    private static func message(named fullName: String, in state: inout State) -> MessageSchema? {
        if let built = state.messages[fullName] { return built }
        guard let (descriptor, features, _) = state.messageDescriptors[fullName] else { return nil }
        let schema = MessageSchema(
            fullName: fullName,
            wellKnown: WellKnownType(fullName: fullName),
            isMapEntry: descriptor.options?.mapEntry ?? false,
            hasExtensions: !descriptor.extensionRange.isEmpty
        )
        // Registered before its fields are linked, so recursive types find themselves.
        state.messages[fullName] = schema
        schema.oneofNames = descriptor.oneofDecl.map { $0.name ?? "" }
        for field in descriptor.field {
            schema.fields.append(fieldSchema(field, name: field.name ?? "", scope: features, in: &state))
        }
        schema.index()
        return schema
    }

    /// The schema of one field (or extension, named by its full name in brackets).
    private static func fieldSchema(
        _ field: Google_Protobuf_FieldDescriptorProto,
        name: String,
        scope: ResolvedFeatures,
        isExtension: Bool = false,
        in state: inout State
    ) -> FieldSchema {
        let features = scope.merged(field.options?.features)
        // A message field set DELIMITED (editions) is a group on the wire.
        let type: Google_Protobuf_FieldDescriptorProto.TypeEnum =
            features.isDelimited(field) ? .group : field.type ?? .int32
        let isRepeated = field.label == .repeated
        let isSynthetic = field.proto3Optional ?? false
        let oneofIndex = isSynthetic || isExtension ? nil : field.oneofIndex.map(Int.init)
        let hasPresence = features.hasPresence(field)
        let jsonName = isExtension ? "[\(name)]" : field.jsonName ?? ProtoNaming.jsonName(name)
        let fieldSchema = FieldSchema(
            number: field.number ?? 0,
            name: isExtension ? "[\(name)]" : name,
            jsonName: jsonName,
            type: type,
            isRepeated: isRepeated,
            hasPresence: hasPresence,
            oneofIndex: oneofIndex,
            isGroupSyntax: field.type == .group
        )
        let typeName = field.typeName.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 } ?? ""
        switch type {
        case .message, .group: fieldSchema.message = message(named: typeName, in: &state)
        case .enum: fieldSchema.enumSchema = enumType(named: typeName, in: &state)
        default: break
        }
        return fieldSchema
    }

    /// The extension of `extendee` numbered `number`, if a registered file declares one.
    func extensionField(of extendee: String, number: Int32) -> FieldSchema? {
        state.withLock { state in
            guard let name = state.extensionNames[extendee]?[number] else { return nil }
            return Self.extensionSchema(named: name, in: &state)
        }
    }

    /// The extension named `fullName` (no brackets) and the message it extends.
    func extensionField(named fullName: String) -> (extendee: String, field: FieldSchema)? {
        state.withLock { state in
            guard let declaration = state.extensionDescriptors[fullName],
                let field = Self.extensionSchema(named: fullName, in: &state)
            else { return nil }
            let extendee = declaration.descriptor.extendee ?? ""
            return (extendee.hasPrefix(".") ? String(extendee.dropFirst()) : extendee, field)
        }
    }

    private static func extensionSchema(named fullName: String, in state: inout State) -> FieldSchema? {
        if let built = state.extensions[fullName] { return built }
        guard let (descriptor, _, features) = state.extensionDescriptors[fullName] else { return nil }
        let field = fieldSchema(descriptor, name: fullName, scope: features, isExtension: true, in: &state)
        state.extensions[fullName] = field
        return field
    }

    private static func enumType(named fullName: String, in state: inout State) -> EnumSchema? {
        if let built = state.enums[fullName] { return built }
        guard let (descriptor, features) = state.enumDescriptors[fullName] else { return nil }
        let schema = EnumSchema(descriptor, fullName: fullName, isClosed: features.enumType == .closed)
        state.enums[fullName] = schema
        return schema
    }
}
