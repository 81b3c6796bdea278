import FerryCodec

/// Checks that need linked types and interpreted options (protoc's option validation and
/// proto3 rules). They run only when linking found no error, as in protoc.
extension FileLinker {
    static let proto3Extendees: Set<String> = [
        "google.protobuf.FileOptions", "google.protobuf.MessageOptions", "google.protobuf.FieldOptions",
        "google.protobuf.EnumOptions", "google.protobuf.EnumValueOptions", "google.protobuf.ServiceOptions",
        "google.protobuf.MethodOptions", "google.protobuf.OneofOptions", "google.protobuf.ExtensionRangeOptions",
    ]

    mutating func validateFile() {
        for (index, message) in file.messageType.enumerated() {
            validateMessage(message, scope: package, path: [DescriptorPath.File.messageType, Int32(index)])
        }
        for (index, enumType) in file.enumType.enumerated() {
            validateEnum(enumType, scope: package, path: [DescriptorPath.File.enumType, Int32(index)])
        }
        for (index, field) in file.extension.enumerated() {
            validateField(
                field,
                scope: package,
                containingMessage: nil,
                path: [DescriptorPath.File.extension, Int32(index)]
            )
        }
        validateLiteImports()
        if isProto3 { validateProto3() }
    }

    private func isLite(_ fileName: String) -> Bool {
        table.optimizeForOfFile[fileName] == .liteRuntime
    }

    private mutating func validateLiteImports() {
        guard !isLite(fileName) else { return }
        for (index, dependency) in file.dependency.enumerated() where isLite(dependency) {
            error(
                """
                Files that do not use optimize_for = LITE_RUNTIME cannot import files which do use this option.  This \
                file is not lite, but it imports \"\(dependency)\" which is.
                """,
                at: [DescriptorPath.File.dependency, Int32(index)]
            )
            break
        }
    }

    private mutating func validateMessage(_ message: Google_Protobuf_DescriptorProto, scope: String, path: [Int32]) {
        let fullName = qualify(scope, message.name ?? "")
        for (index, field) in message.field.enumerated() {
            validateField(
                field,
                scope: fullName,
                containingMessage: message,
                path: path + [DescriptorPath.Message.field, Int32(index)]
            )
        }
        for (index, nested) in message.nestedType.enumerated() {
            validateMessage(nested, scope: fullName, path: path + [DescriptorPath.Message.nestedType, Int32(index)])
        }
        for (index, enumType) in message.enumType.enumerated() {
            validateEnum(enumType, scope: fullName, path: path + [DescriptorPath.Message.enumType, Int32(index)])
        }
        for (index, field) in message.extension.enumerated() {
            validateField(
                field,
                scope: fullName,
                containingMessage: nil,
                path: path + [DescriptorPath.Message.extension, Int32(index)]
            )
        }
        let maxExtension: Int64 =
            message.options?.messageSetWireFormat == true ? Int64(Int32.max) : Int64(FieldNumbers.max)
        for (index, range) in message.extensionRange.enumerated() where Int64(range.end ?? 0) > maxExtension + 1 {
            error(
                "Extension numbers cannot be greater than \(maxExtension).",
                at: path + [DescriptorPath.Message.extensionRange, Int32(index), DescriptorPath.Range.start]
            )
        }
    }

    private mutating func validateField(
        _ field: Google_Protobuf_FieldDescriptorProto,
        scope: String,
        containingMessage: Google_Protobuf_DescriptorProto?,
        path: [Int32]
    ) {
        let typePath = path + [typeLocation(field)]
        let options = field.options
        if (options?.lazy == true || options?.unverifiedLazy == true) && field.type != .message {
            error("[lazy = true] can only be specified for submessage fields.", at: typePath)
        }
        if file.syntax == "editions" && options?.packed != nil {
            error(
                """
                Field option packed is not allowed under editions.  Use the repeated_field_encoding feature to control \
                this behavior.
                """,
                at: path + [DescriptorPath.Field.name]
            )
        }
        if options?.packed == true && !(field.label == .repeated && Self.isPackable(field.type)) {
            error("[packed = true] can only be specified for repeated primitive fields.", at: typePath)
        }
        let extendee = field.extendee.map { String($0.dropFirst()) }
        let container = extendee.flatMap { table.messages[$0] } ?? containingMessage
        if container?.options?.messageSetWireFormat == true {
            if extendee != nil {
                if field.label != .optional || field.type != .message {
                    error("Extensions of MessageSets must be optional messages.", at: typePath)
                }
            } else {
                error("MessageSets cannot have fields, only extensions.", at: path + [DescriptorPath.Field.name])
            }
        }
        if let extendee, isLite(fileName), let extendeeFile = table.fileOfMessage[extendee], !isLite(extendeeFile) {
            error(
                """
                Extensions to non-lite types can only be declared in non-lite files.  Note that you cannot extend a \
                non-lite type to contain a lite type, but the reverse is allowed.
                """,
                at: path + [DescriptorPath.Field.extendee]
            )
        }
        if field.type == .message, let typeName = field.typeName,
            let entry = table.messages[String(typeName.dropFirst())], entry.options?.mapEntry == true
        {
            if !validateMapEntry(field, entry: entry, scope: scope, typePath: typePath) {
                error("map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.", at: typePath)
            }
        }
        if extendee != nil, let jsonName = field.jsonName, jsonName != JSONName.from(field.name ?? "") {
            error("option json_name is not allowed on extension fields.", at: path + [DescriptorPath.Field.jsonName])
        }
    }

    static func isPackable(_ type: Google_Protobuf_FieldDescriptorProto.TypeEnum?) -> Bool {
        switch type {
        case .string?, .bytes?, .message?, .group?, nil: false
        default: true
        }
    }

    private mutating func validateMapEntry(
        _ field: Google_Protobuf_FieldDescriptorProto,
        entry: Google_Protobuf_DescriptorProto,
        scope: String,
        typePath: [Int32]
    ) -> Bool {
        let entryName = String((field.typeName ?? "").dropFirst())
        let entryScope = entryName.lastIndex(of: ".").map { String(entryName[..<$0]) } ?? ""
        guard entry.extension.isEmpty, field.label == .repeated, entry.extensionRange.isEmpty, entry.nestedType.isEmpty,
            entry.enumType.isEmpty, entry.field.count == 2,
            entry.name == JSONName.camelCase(field.name ?? "", upperFirst: true) + "Entry",
            field.extendee == nil, entryScope == scope
        else { return false }
        let key = entry.field[0]
        let value = entry.field[1]
        guard key.label == .optional, key.number == 1, key.name == "key", value.label == .optional, value.number == 2,
            value.name == "value"
        else {
            return false
        }
        switch key.type {
        case .enum?:
            error("Key in map fields cannot be enum types.", at: typePath)
        case .float?, .double?, .message?, .group?, .bytes?:
            error("Key in map fields cannot be float/double, bytes or message types.", at: typePath)
        default:
            break
        }
        if value.type == .enum, let enumName = value.typeName, let enumType = table.enums[String(enumName.dropFirst())],
            enumType.value.first?.number != 0
        {
            error("Enum value in map must define 0 as the first value.", at: typePath)
        }
        return true
    }

    private mutating func validateEnum(_ enumType: Google_Protobuf_EnumDescriptorProto, scope: String, path: [Int32]) {
        let fullName = qualify(scope, enumType.name ?? "")
        checkEnumValueUniqueness(enumType, scope: scope, path: path)
        if enumType.options?.allowAlias != true {
            var used: [Int32: String] = [:]
            for (index, value) in enumType.value.enumerated() {
                let number = value.number ?? 0
                if let first = used[number] {
                    error(
                        """
                        \"\(qualify(scope, value.name ?? ""))\" uses the same enum value as \"\(first)\". If this is \
                        intended, set 'option allow_alias = true;' to the enum definition.
                        """,
                        at: path + [DescriptorPath.Enum.value, Int32(index), DescriptorPath.EnumValue.number]
                    )
                } else {
                    used[number] = qualify(scope, value.name ?? "")
                }
            }
        } else if Set(enumType.value.map { $0.number ?? 0 }).count == enumType.value.count {
            error(
                """
                \"\(fullName)\" declares support for enum aliases but no enum values share field numbers. Please \
                remove the unnecessary 'option allow_alias = true;' declaration.
                """,
                at: path + [DescriptorPath.Enum.name]
            )
        }
    }

    private mutating func checkEnumValueUniqueness(
        _ enumType: Google_Protobuf_EnumDescriptorProto,
        scope: String,
        path: [Int32]
    ) {
        var seen: [String: Google_Protobuf_EnumValueDescriptorProto] = [:]
        let prefix = EnumNaming(enumName: enumType.name ?? "")
        for (index, value) in enumType.value.enumerated() {
            let stripped = EnumNaming.pascalCase(prefix.strip(value.name ?? ""))
            guard let other = seen[stripped] else {
                seen[stripped] = value
                continue
            }
            guard other.name != value.name, other.number != value.number else { continue }
            let message =
                """
                Enum name \(value.name ?? "") has the same name as \(other.name ?? "") if you ignore case and strip \
                out the enum name prefix (if any). This is error-prone and can lead to undefined behavior. Please \
                avoid doing this. If you are using allow_alias, please assign the same numeric value to both enums.
                """
            let valuePath = path + [DescriptorPath.Enum.value, Int32(index), DescriptorPath.EnumValue.name]
            if isProto3 { error(message, at: valuePath) } else { warning(message, at: valuePath) }
        }
    }

    // MARK: - proto3

    private mutating func validateProto3() {
        for (index, field) in file.extension.enumerated() {
            validateProto3Field(field, containingType: nil, path: [DescriptorPath.File.extension, Int32(index)])
        }
        for (index, message) in file.messageType.enumerated() {
            validateProto3Message(message, scope: package, path: [DescriptorPath.File.messageType, Int32(index)])
        }
        for (index, enumType) in file.enumType.enumerated() {
            validateProto3Enum(enumType, path: [DescriptorPath.File.enumType, Int32(index)])
        }
    }

    private mutating func validateProto3Message(
        _ message: Google_Protobuf_DescriptorProto,
        scope: String,
        path: [Int32]
    ) {
        let fullName = qualify(scope, message.name ?? "")
        for (index, nested) in message.nestedType.enumerated() {
            validateProto3Message(
                nested,
                scope: fullName,
                path: path + [DescriptorPath.Message.nestedType, Int32(index)]
            )
        }
        for (index, enumType) in message.enumType.enumerated() {
            validateProto3Enum(enumType, path: path + [DescriptorPath.Message.enumType, Int32(index)])
        }
        for (index, field) in message.field.enumerated() {
            validateProto3Field(
                field,
                containingType: fullName,
                path: path + [DescriptorPath.Message.field, Int32(index)]
            )
        }
        for (index, field) in message.extension.enumerated() {
            validateProto3Field(
                field,
                containingType: nil,
                path: path + [DescriptorPath.Message.extension, Int32(index)]
            )
        }
        if !message.extensionRange.isEmpty {
            error(
                "Extension ranges are not allowed in proto3.",
                at: path + [DescriptorPath.Message.extensionRange, 0, DescriptorPath.Range.start]
            )
        }
        if message.options?.messageSetWireFormat == true {
            error("MessageSet is not supported in proto3.", at: path + [DescriptorPath.Message.name])
        }
        var byLowercase: [String: String] = [:]
        for (index, field) in message.field.enumerated() {
            let name = field.name ?? ""
            let key = String(name.lowercased().filter { $0 != "_" })
            if let other = byLowercase[key] {
                error(
                    """
                    The JSON camel-case name of field \"\(name)\" conflicts with field \"\(other)\". This is not \
                    allowed in proto3.
                    """,
                    at: path + [DescriptorPath.Message.field, Int32(index), DescriptorPath.Field.name]
                )
            } else {
                byLowercase[key] = name
            }
        }
    }

    private mutating func validateProto3Field(
        _ field: Google_Protobuf_FieldDescriptorProto,
        containingType: String?,
        path: [Int32]
    ) {
        if let extendee = field.extendee, !Self.proto3Extendees.contains(String(extendee.dropFirst())) {
            error(
                "Extensions in proto3 are only allowed for defining options.",
                at: path + [DescriptorPath.Field.extendee]
            )
        }
        if field.label == .required {
            error("Required fields are not allowed in proto3.", at: path + [typeLocation(field)])
        }
        if field.defaultValue != nil {
            error("Explicit default values are not allowed in proto3.", at: path + [DescriptorPath.Field.defaultValue])
        }
        if field.type == .enum, let typeName = field.typeName {
            let enumName = String(typeName.dropFirst())
            if let enumFile = table.fileOfEnum[enumName], table.syntaxOfFile[enumFile] != "proto3" {
                let container = containingType ?? String((field.extendee ?? "").dropFirst())
                error(
                    """
                    Enum type \"\(enumName)\" is not a proto3 enum, but is used in \"\(container)\" which is a proto3 \
                    message type.
                    """,
                    at: path + [typeLocation(field)]
                )
            }
        }
        if field.type == .group {
            error("Groups are not supported in proto3 syntax.", at: path + [typeLocation(field)])
        }
    }

    private mutating func validateProto3Enum(_ enumType: Google_Protobuf_EnumDescriptorProto, path: [Int32]) {
        if let first = enumType.value.first, first.number != 0 {
            error(
                "The first enum value must be zero in proto3.",
                at: path + [DescriptorPath.Enum.value, 0, DescriptorPath.EnumValue.number]
            )
        }
    }
}

/// protoc's enum-prefix stripping, used to find values that collide once a code generator
/// removes the enum's name from them.
struct EnumNaming {
    private let prefix: [UInt8]

    init(enumName: String) {
        prefix = Array(enumName.utf8).filter { $0 != UInt8(ascii: "_") }.map(Self.lower)
    }

    func strip(_ value: String) -> String {
        let bytes = Array(value.utf8)
        var i = 0
        var j = 0
        while i < bytes.count && j < prefix.count {
            if bytes[i] == UInt8(ascii: "_") {
                i += 1
                continue
            }
            if Self.lower(bytes[i]) != prefix[j] { return value }
            i += 1
            j += 1
        }
        guard j == prefix.count else { return value }
        while i < bytes.count && bytes[i] == UInt8(ascii: "_") { i += 1 }
        return i == bytes.count ? value : String(decoding: bytes[i...], as: UTF8.self)
    }

    static func pascalCase(_ value: String) -> String {
        var result: [UInt8] = []
        var nextUpper = true
        for byte in value.utf8 {
            if byte == UInt8(ascii: "_") {
                nextUpper = true
            } else if nextUpper {
                result.append(upper(byte))
                nextUpper = false
            } else {
                result.append(lower(byte))
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    static func upper(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
    }
}
