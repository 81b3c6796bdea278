import FerryCodec

/// Option interpretation: every `uninterpreted_option` becomes a field of its options message.
///
/// Like protoc, each option is first encoded as an unknown field appended in source order
/// (custom options stay that way, since descriptor.proto does not define them), and the options
/// message is then decoded again so that built-in options land in their real fields.
extension FileLinker {
    /// Interprets options in protoc's order: children before their parent (a message's fields,
    /// oneofs, nested types, enums, ranges and extensions before the message), file options
    /// last. The order matters because an aggregate value sees the options interpreted so far
    /// (for example `message_set_wire_format` of the message it encodes).
    mutating func interpretAllOptions() {
        for index in file.messageType.indices {
            var message = file.messageType[index]
            interpretMessageOptions(&message, scope: package, path: [DescriptorPath.File.messageType, Int32(index)])
            file.messageType[index] = message
        }
        for index in file.enumType.indices {
            var enumType = file.enumType[index]
            interpretEnumOptions(&enumType, scope: package, path: [DescriptorPath.File.enumType, Int32(index)])
            file.enumType[index] = enumType
        }
        for index in file.service.indices {
            var service = file.service[index]
            let name = qualify(package, service.name ?? "")
            let path = [DescriptorPath.File.service, Int32(index)]
            for methodIndex in service.method.indices {
                let methodName = qualify(name, service.method[methodIndex].name ?? "")
                interpret(
                    &service.method[methodIndex].options,
                    type: "google.protobuf.MethodOptions",
                    scope: methodName,
                    path: path + [DescriptorPath.Service.method, Int32(methodIndex), DescriptorPath.Method.options]
                )
            }
            interpret(
                &service.options,
                type: "google.protobuf.ServiceOptions",
                scope: name,
                path: path + [DescriptorPath.Service.options]
            )
            file.service[index] = service
        }
        for index in file.extension.indices {
            var field = file.extension[index]
            let name = qualify(package, field.name ?? "")
            interpret(
                &field.options,
                type: "google.protobuf.FieldOptions",
                scope: name,
                path: [DescriptorPath.File.extension, Int32(index), DescriptorPath.Field.options]
            )
            file.extension[index] = field
            table.extensions[name] = field
        }
        var fileOptions = file.options
        interpret(
            &fileOptions,
            type: "google.protobuf.FileOptions",
            scope: package + ".dummy",
            path: [DescriptorPath.File.options]
        )
        file.options = fileOptions
    }

    private mutating func interpretMessageOptions(
        _ message: inout Google_Protobuf_DescriptorProto,
        scope: String,
        path: [Int32]
    ) {
        let name = qualify(scope, message.name ?? "")
        for index in message.oneofDecl.indices {
            interpret(
                &message.oneofDecl[index].options,
                type: "google.protobuf.OneofOptions",
                scope: qualify(name, message.oneofDecl[index].name ?? ""),
                path: path + [DescriptorPath.Message.oneofDecl, Int32(index), DescriptorPath.Oneof.options]
            )
        }
        for index in message.field.indices {
            interpret(
                &message.field[index].options,
                type: "google.protobuf.FieldOptions",
                scope: qualify(name, message.field[index].name ?? ""),
                path: path + [DescriptorPath.Message.field, Int32(index), DescriptorPath.Field.options]
            )
        }
        for index in message.nestedType.indices {
            var nested = message.nestedType[index]
            interpretMessageOptions(
                &nested,
                scope: name,
                path: path + [DescriptorPath.Message.nestedType, Int32(index)]
            )
            message.nestedType[index] = nested
        }
        for index in message.enumType.indices {
            var enumType = message.enumType[index]
            interpretEnumOptions(&enumType, scope: name, path: path + [DescriptorPath.Message.enumType, Int32(index)])
            message.enumType[index] = enumType
        }
        for index in message.extensionRange.indices {
            interpret(
                &message.extensionRange[index].options,
                type: "google.protobuf.ExtensionRangeOptions",
                scope: name,
                path: path + [DescriptorPath.Message.extensionRange, Int32(index), DescriptorPath.Range.options]
            )
        }
        for index in message.extension.indices {
            let extensionName = qualify(name, message.extension[index].name ?? "")
            interpret(
                &message.extension[index].options,
                type: "google.protobuf.FieldOptions",
                scope: extensionName,
                path: path + [DescriptorPath.Message.extension, Int32(index), DescriptorPath.Field.options]
            )
            table.extensions[extensionName] = message.extension[index]
        }
        interpret(
            &message.options,
            type: "google.protobuf.MessageOptions",
            scope: name,
            path: path + [DescriptorPath.Message.options]
        )
        table.messages[name] = message
    }

    private mutating func interpretEnumOptions(
        _ enumType: inout Google_Protobuf_EnumDescriptorProto,
        scope: String,
        path: [Int32]
    ) {
        for index in enumType.value.indices {
            interpret(
                &enumType.value[index].options,
                type: "google.protobuf.EnumValueOptions",
                scope: qualify(scope, enumType.value[index].name ?? ""),
                path: path + [DescriptorPath.Enum.value, Int32(index), DescriptorPath.EnumValue.options]
            )
        }
        interpret(
            &enumType.options,
            type: "google.protobuf.EnumOptions",
            scope: qualify(scope, enumType.name ?? ""),
            path: path + [DescriptorPath.Enum.options]
        )
    }

    /// Interprets one options message in place.
    private mutating func interpret<Options: InterpretableOptions>(
        _ options: inout Options?,
        type: String,
        scope: String,
        path: [Int32]
    ) {
        guard var interpreted = options, !interpreted.uninterpretedOption.isEmpty else { return }
        let uninterpreted = interpreted.uninterpretedOption
        interpreted.uninterpretedOption = []
        let existing = interpreted.unknownFields.bytes
        var added = WireBytes()
        for (index, option) in uninterpreted.enumerated() {
            let optionPath = path + [DescriptorPath.uninterpretedOption, Int32(index)]
            guard
                let bytes = interpretSingle(
                    option,
                    optionsType: type,
                    scope: scope,
                    setSoFar: existing + added.bytes,
                    path: optionPath
                )
            else {
                return
            }
            added.append(bytes)
        }
        if let decoded = try? Options(serializedBytes: interpreted.serializedBytes() + added.bytes) {
            options = decoded
            // Nothing left once the source-retention options are gone: protoc drops the options
            // message and its location too.
            if decoded.serializedBytes().isEmpty,
                uninterpreted.indices.allSatisfy({
                    interpretedPaths[path + [DescriptorPath.uninterpretedOption, Int32($0)]] == []
                })
            {
                options = nil
                interpretedPaths[path] = []
            }
        }
    }

    /// A field an option name part refers to, with the full name protoc shows in messages.
    struct OptionField {
        var descriptor: Google_Protobuf_FieldDescriptorProto
        var fullName: String
        var container: String

        var number: Int32 { descriptor.number ?? 0 }
        var isMessage: Bool { descriptor.type == .message || descriptor.type == .group }
        var messageType: String { String((descriptor.typeName ?? "").dropFirst()) }
    }

    /// Finds the field an option name part names inside `message`.
    func optionField(
        _ part: Google_Protobuf_UninterpretedOption.NamePart,
        in message: String,
        scope: String,
        schema: OptionSchema
    ) -> (OptionField?, resolvedButUndefined: String?) {
        let name = part.namePart ?? ""
        if part.isExtension == true {
            var failure = LookupFailure()
            guard let (fullName, symbol) = lookup(name, relativeTo: scope, failure: &failure), symbol.kind == .field
            else {
                return (nil, failure.resolvedButUndefined)
            }
            if let ext = table.extensions[fullName] {
                return (
                    OptionField(
                        descriptor: ext,
                        fullName: fullName,
                        container: String((ext.extendee ?? "").dropFirst())
                    ), nil
                )
            }
            let parent = fullName.lastIndex(of: ".").map { String(fullName[..<$0]) } ?? ""
            let fieldName = fullName.split(separator: ".").last.map(String.init) ?? fullName
            guard let field = schema.message(parent)?.field.first(where: { $0.name == fieldName }) else {
                return (nil, nil)
            }
            return (OptionField(descriptor: field, fullName: fullName, container: parent), nil)
        }
        guard let field = schema.message(message)?.field.first(where: { $0.name == name }) else { return (nil, nil) }
        return (OptionField(descriptor: field, fullName: message + "." + name, container: message), nil)
    }

    /// Encodes one option as the bytes to append to its options message, or reports why it
    /// cannot be and returns `nil`.
    private mutating func interpretSingle(
        _ option: Google_Protobuf_UninterpretedOption,
        optionsType: String,
        scope: String,
        setSoFar: [UInt8],
        path: [Int32]
    ) -> [UInt8]? {
        let (nameSpan, valueSpan) = locator.optionSpans(path)
        let schema = OptionSchema(table: table)
        if let first = option.name.first, first.isExtension != true, first.namePart == "uninterpreted_option" {
            error("Option must not use reserved name \"uninterpreted_option\".", at: nameSpan)
            return nil
        }
        var message = optionsType
        var fields: [OptionField] = []
        var displayName = ""
        for (index, part) in option.name.enumerated() {
            if !displayName.isEmpty { displayName += "." }
            displayName += part.isExtension == true ? "(\(part.namePart ?? ""))" : (part.namePart ?? "")
            let (found, resolvedButUndefined) = optionField(part, in: message, scope: scope, schema: schema)
            guard let field = found else {
                if let resolvedButUndefined {
                    error(
                        """
                        Option "\(displayName)" is resolved to "(\(resolvedButUndefined))", \
                        which is not defined. The innermost scope is searched first in name resolution. Consider using \
                        a leading '.'(i.e., "(.\(displayName.dropFirst())") to start from the outermost scope.
                        """,
                        at: nameSpan
                    )
                } else {
                    error(
                        """
                        Option "\(displayName)" unknown. Ensure that your proto definition file imports the proto \
                        which defines the option.
                        """,
                        at: nameSpan
                    )
                }
                return nil
            }
            guard field.container == message else {
                let shortName = message.split(separator: ".").last.map(String.init) ?? message
                error(
                    "Option field \"\(displayName)\" is not a field or extension of message \"\(shortName)\".",
                    at: nameSpan
                )
                return nil
            }
            fields.append(field)
            if index < option.name.count - 1 {
                guard field.isMessage else {
                    error("Option \"\(displayName)\" is an atomic type, not a message.", at: nameSpan)
                    return nil
                }
                guard field.descriptor.label != .repeated else {
                    error(
                        """
                        Option field "\(displayName)" is a repeated message. Repeated message options must be \
                        initialized using an aggregate value.
                        """,
                        at: nameSpan
                    )
                    return nil
                }
                message = field.messageType
            }
        }
        var destination = Array(path.dropLast(2)) + fields.map(\.number)
        if fields.last?.descriptor.label == .repeated {
            let index = repeatedOptionCounts[destination, default: 0]
            repeatedOptionCounts[destination] = index + 1
            destination.append(index)
        }
        interpretedPaths[path] =
            fields.contains(where: { SourceRetention.isSourceOnly($0.descriptor) }) ? [] : destination
        guard let leaf = fields.popLast() else { return nil }
        if leaf.descriptor.label != .repeated && Self.isSet(leaf.number, along: fields.map(\.number), in: setSoFar) {
            error("Option \"\(displayName)\" was already set.", at: nameSpan)
            return nil
        }
        // Checked like any other, and then left out of the descriptor, as protoc does.
        let sourceOnly = (fields + [leaf]).contains { SourceRetention.isSourceOnly($0.descriptor) }
        var encoded = WireBytes()
        if leaf.isMessage {
            guard let text = option.aggregateValue else {
                let name = leaf.descriptor.name ?? ""
                error(
                    """
                    Option "\(leaf.fullName)" is a message. To set the entire message, use syntax like "\(name) = \
                    { <proto text format> }". To set fields within it, use syntax like "\(name).foo = value".
                    """,
                    at: valueSpan
                )
                return nil
            }
            var encoder = AggregateEncoder(linker: self, schema: schema, scope: scope)
            switch encoder.encode(text, as: leaf.messageType) {
            case .success(let encodedPayload):
                let payload = SourceRetention.strip(encodedPayload, type: leaf.messageType, schema: schema)
                if leaf.descriptor.type == .group {
                    encoded.appendGroup(leaf.number, payload)
                } else {
                    encoded.appendLengthDelimited(leaf.number, payload)
                }
            case .failure(let failure):
                error(
                    "Error while parsing option value for \"\(leaf.descriptor.name ?? "")\": \(failure.message)",
                    at: valueSpan
                )
                return nil
            }
        } else {
            switch OptionValueEncoder.encode(option, field: leaf, schema: schema) {
            case .success(let bytes): encoded.append(bytes)
            case .failure(let failure):
                error(failure.message, at: valueSpan)
                return nil
            }
        }
        if sourceOnly { return [] }
        for field in fields.reversed() {
            let payload = encoded.bytes
            encoded = WireBytes()
            if field.descriptor.type == .group {
                encoded.appendGroup(field.number, payload)
            } else {
                encoded.appendLengthDelimited(field.number, payload)
            }
        }
        return encoded.bytes
    }

    /// Whether `number` was set already inside the sub-messages `along` (protoc's
    /// `ExamineIfOptionIsSet`).
    static func isSet(_ number: Int32, along intermediate: [Int32], in bytes: [UInt8]) -> Bool {
        guard let fields = RawFields.parse(bytes) else { return false }
        guard let first = intermediate.first else {
            return fields.contains { $0.number == number }
        }
        for field in fields where field.number == first && (field.wireType == 2 || field.wireType == 3) {
            if isSet(number, along: Array(intermediate.dropFirst()), in: field.payload) { return true }
        }
        return false
    }

    /// Gives interpreted options the paths protoc gives them in `SourceCodeInfo`: each
    /// `...[999, i]` location becomes `...[field number path]`, and the locations nested in it
    /// (name parts, value) that follow it are dropped. A destination of `[]` drops the location
    /// itself (source-retention options, and options messages they leave empty).
    mutating func updateSourceCodeInfo() {
        guard !interpretedPaths.isEmpty, var info = file.sourceCodeInfo else { return }
        var locations: [Google_Protobuf_SourceCodeInfo.Location] = []
        locations.reserveCapacity(info.location.count)
        var removing: [Int32]?
        for location in info.location {
            if let prefix = removing {
                if location.path.count >= prefix.count && Array(location.path.prefix(prefix.count)) == prefix {
                    continue
                }
                removing = nil
            }
            guard let destination = interpretedPaths[location.path] else {
                locations.append(location)
                continue
            }
            removing = location.path
            // An option with source retention (or an options message left empty by them) has no
            // location in protoc's output.
            if destination.isEmpty { continue }
            var replacement = location
            replacement.path = destination
            locations.append(replacement)
        }
        info.location = locations
        file.sourceCodeInfo = info
    }
}
