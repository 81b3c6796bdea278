import FerryCodec

/// Cross-linking: every type name, extendee and method type becomes a fully-qualified
/// reference, and the checks that need resolved types run.
extension FileLinker {
    mutating func crossLinkFile() {
        for index in file.messageType.indices {
            var message = file.messageType[index]
            crossLinkMessage(&message, scope: package, path: [DescriptorPath.File.messageType, Int32(index)])
            file.messageType[index] = message
        }
        for index in file.extension.indices {
            var field = file.extension[index]
            var numbers = extensionNumbersInFile
            crossLinkField(
                &field,
                scope: package,
                path: [DescriptorPath.File.extension, Int32(index)],
                numbers: &numbers
            )
            extensionNumbersInFile = numbers
            file.extension[index] = field
        }
        for index in file.service.indices {
            var service = file.service[index]
            crossLinkService(&service, path: [DescriptorPath.File.service, Int32(index)])
            file.service[index] = service
        }
    }

    private mutating func crossLinkMessage(
        _ message: inout Google_Protobuf_DescriptorProto,
        scope: String,
        path: [Int32]
    ) {
        let fullName = qualify(scope, message.name ?? "")
        for index in message.nestedType.indices {
            var nested = message.nestedType[index]
            crossLinkMessage(&nested, scope: fullName, path: path + [DescriptorPath.Message.nestedType, Int32(index)])
            message.nestedType[index] = nested
        }
        var numbers: [String: [Int32: String]] = [:]
        for index in message.field.indices {
            var field = message.field[index]
            crossLinkField(
                &field,
                scope: fullName,
                path: path + [DescriptorPath.Message.field, Int32(index)],
                numbers: &numbers
            )
            message.field[index] = field
        }
        for index in message.extension.indices {
            var field = message.extension[index]
            var extensionNumbers = extensionNumbersInFile
            crossLinkField(
                &field,
                scope: fullName,
                path: path + [DescriptorPath.Message.extension, Int32(index)],
                numbers: &extensionNumbers
            )
            extensionNumbersInFile = extensionNumbers
            message.extension[index] = field
        }
        checkOneofs(message, fullName: fullName, path: path)
    }

    private mutating func checkOneofs(_ message: Google_Protobuf_DescriptorProto, fullName: String, path: [Int32]) {
        var fieldCounts = [Int](repeating: 0, count: message.oneofDecl.count)
        for (index, field) in message.field.enumerated() {
            guard let oneof = field.oneofIndex.map(Int.init), fieldCounts.indices.contains(oneof) else { continue }
            if fieldCounts[oneof] > 0 && message.field[index - 1].oneofIndex.map(Int.init) != oneof {
                let previous = message.field[index - 1].name ?? ""
                error(
                    """
                    Fields in the same oneof must be defined consecutively. \"\(previous)\" cannot be defined before \
                    the completion of the \"\(message.oneofDecl[oneof].name ?? "")\" oneof definition.
                    """,
                    at: path + [DescriptorPath.Message.field, Int32(index - 1), typeLocation(message.field[index - 1])]
                )
            }
            fieldCounts[oneof] += 1
        }
        for (index, count) in fieldCounts.enumerated() where count == 0 {
            error(
                "Oneof must have at least one field.",
                at: path + [DescriptorPath.Message.oneofDecl, Int32(index), DescriptorPath.Oneof.name]
            )
        }
    }

    /// The path component where protoc reports a field's type errors.
    func typeLocation(_ field: Google_Protobuf_FieldDescriptorProto) -> Int32 {
        field.typeName != nil && field.type != .group ? DescriptorPath.Field.typeName : DescriptorPath.Field.type
    }

    private mutating func crossLinkField(
        _ field: inout Google_Protobuf_FieldDescriptorProto,
        scope: String,
        path: [Int32],
        numbers: inout [String: [Int32: String]]
    ) {
        let fullName = qualify(scope, field.name ?? "")
        var containingType = scope
        var failure = LookupFailure()
        if let extendee = field.extendee {
            let extendeePath = path + [DescriptorPath.Field.extendee]
            guard let (resolved, symbol) = lookup(extendee, relativeTo: fullName, failure: &failure) else {
                reportNotDefined(extendee, failure: failure, at: extendeePath)
                return
            }
            guard symbol.kind == .message else {
                error("\"\(extendee)\" is not a message type.", at: extendeePath)
                return
            }
            field.extendee = "." + resolved
            containingType = resolved
            let number = field.number ?? 0
            let ranges = table.messages[resolved]?.extensionRange ?? []
            if !ranges.contains(where: { ($0.start ?? 0) <= number && number < ($0.end ?? 0) }) {
                error(
                    "\"\(resolved)\" does not declare \(number) as an extension number.",
                    at: path + [DescriptorPath.Field.number]
                )
            }
        }
        if let typeName = field.typeName {
            let typePath = path + [DescriptorPath.Field.typeName]
            guard let (resolved, symbol) = lookup(typeName, relativeTo: fullName, typesOnly: true, failure: &failure)
            else {
                reportNotDefined(typeName, failure: failure, at: typePath)
                return
            }
            if field.type == nil {
                switch symbol.kind {
                case .message: field.type = .message
                case .enumType: field.type = .enum
                default:
                    error("\"\(typeName)\" is not a type.", at: typePath)
                    return
                }
            }
            switch field.type {
            case .message?, .group?:
                guard symbol.kind == .message else {
                    error("\"\(typeName)\" is not a message type.", at: typePath)
                    return
                }
                if field.defaultValue != nil {
                    error("Messages can't have default values.", at: path + [DescriptorPath.Field.defaultValue])
                }
            case .enum?:
                guard symbol.kind == .enumType else {
                    error("\"\(typeName)\" is not an enum type.", at: typePath)
                    return
                }
                if let value = field.defaultValue {
                    checkEnumDefault(value, enumName: resolved, at: path + [DescriptorPath.Field.defaultValue])
                }
            default:
                error("Field with primitive type has type_name.", at: typePath)
                return
            }
            field.typeName = "." + resolved
        } else if field.type == .message || field.type == .group || field.type == .enum {
            error("Field with message or enum type missing type_name.", at: path + [DescriptorPath.Field.type])
        }
        let number = field.number ?? 0
        if let existing = numbers[containingType]?[number] {
            if field.extendee != nil {
                error(
                    """
                    Extension number \(number) has already been used in \"\(containingType)\" by extension \
                    \"\(existing)\".
                    """,
                    at: path + [DescriptorPath.Field.number]
                )
            } else {
                let existingName = existing.split(separator: ".").last.map(String.init) ?? existing
                error(
                    """
                    Field number \(number) has already been used in \"\(containingType)\" by field \
                    \"\(existingName)\".
                    """,
                    at: path + [DescriptorPath.Field.number]
                )
            }
        } else {
            numbers[containingType, default: [:]][number] = fullName
            if field.extendee != nil {
                if let other = table.extensionsByExtendee[containingType]?[number],
                    table.fileOfExtension[other] != fileName
                {
                    warning(
                        """
                        Extension number \(number) has already been used in \"\(containingType)\" by extension \
                        \"\(other)\" defined in \(table.fileOfExtension[other] ?? "").
                        """,
                        at: path + [DescriptorPath.Field.number]
                    )
                } else {
                    table.extensionsByExtendee[containingType, default: [:]][number] = fullName
                }
            }
        }
    }

    private mutating func checkEnumDefault(_ value: String, enumName: String, at path: [Int32]) {
        guard Identifier.isValid(value) else {
            error("Default value for an enum field must be an identifier.", at: path)
            return
        }
        let enumType = table.enums[enumName]
        if !(enumType?.value.contains { $0.name == value } ?? false) {
            error("Enum type \"\(enumName)\" has no value named \"\(value)\".", at: path)
        }
    }

    private mutating func crossLinkService(_ service: inout Google_Protobuf_ServiceDescriptorProto, path: [Int32]) {
        let serviceName = qualify(package, service.name ?? "")
        for index in service.method.indices {
            var method = service.method[index]
            let methodName = qualify(serviceName, method.name ?? "")
            let methodPath = path + [DescriptorPath.Service.method, Int32(index)]
            var failure = LookupFailure()
            for (typeName, component) in [
                (method.inputType, DescriptorPath.Method.inputType),
                (method.outputType, DescriptorPath.Method.outputType),
            ] {
                guard let typeName else { continue }
                let typePath = methodPath + [component]
                guard let (resolved, symbol) = lookup(typeName, relativeTo: methodName, failure: &failure) else {
                    reportNotDefined(typeName, failure: failure, at: typePath)
                    continue
                }
                guard symbol.kind == .message else {
                    error("\"\(typeName)\" is not a message type.", at: typePath)
                    continue
                }
                if component == DescriptorPath.Method.inputType {
                    method.inputType = "." + resolved
                } else {
                    method.outputType = "." + resolved
                }
            }
            service.method[index] = method
        }
    }
}

/// protobuf identifiers: a letter or underscore, then letters, digits and underscores.
enum Identifier {
    static func isValid(_ text: String) -> Bool {
        guard let first = text.utf8.first, isLetter(first) else { return false }
        return text.utf8.allSatisfy { isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "_")
    }
}
