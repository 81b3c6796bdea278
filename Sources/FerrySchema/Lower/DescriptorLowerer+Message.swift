import FerryCodec

extension DescriptorLowerer {
    /// The exclusive end protoc stores for `max` until the enclosing message is complete.
    private static let maxSentinel: Int32 = -1

    mutating func lowerMessage(_ decl: MessageDecl, path: Path) -> Google_Protobuf_DescriptorProto {
        info.add(path, decl.span, decl.comments)
        info.add(path + [DescriptorPath.Message.name], decl.name.span)
        var message = Google_Protobuf_DescriptorProto()
        message.name = decl.name.value
        lowerMessageBody(decl.body, into: &message, path: path)
        if syntax == "proto3" { Self.addSyntheticOneofs(to: &message) }
        return message
    }

    /// Lowers the statements of a message or group body into `message`.
    mutating func lowerMessageBody(
        _ body: [MessageElement],
        into message: inout Google_Protobuf_DescriptorProto,
        path: Path
    ) {
        var options: [Google_Protobuf_UninterpretedOption] = []
        var nested = message.nestedType
        var fields = message.field
        var extensions = message.extension
        let nestedPath = path + [DescriptorPath.Message.nestedType]
        for element in body {
            switch element {
            case .field(let decl):
                let fieldPath = path + [DescriptorPath.Message.field, Int32(fields.count)]
                fields.append(
                    lowerField(decl, path: fieldPath, oneofIndex: nil, messages: &nested, messagesPath: nestedPath)
                )
            case .group(let decl):
                let fieldPath = path + [DescriptorPath.Message.field, Int32(fields.count)]
                fields.append(
                    lowerGroup(decl, path: fieldPath, oneofIndex: nil, messages: &nested, messagesPath: nestedPath)
                )
            case .oneof(let decl):
                let oneofIndex = Int32(message.oneofDecl.count)
                let oneofPath = path + [DescriptorPath.Message.oneofDecl, oneofIndex]
                info.add(oneofPath, decl.span, decl.comments)
                info.add(oneofPath + [1], decl.name.span)
                var oneof = Google_Protobuf_OneofDescriptorProto()
                oneof.name = decl.name.value
                message.oneofDecl.append(oneof)
                var oneofOptions: [Google_Protobuf_UninterpretedOption] = []
                for member in decl.body {
                    let fieldPath = path + [DescriptorPath.Message.field, Int32(fields.count)]
                    switch member {
                    case .option(let option):
                        info.add(oneofPath + [2], option.span)
                        lowerOptionStatement(option, path: oneofPath + [2], into: &oneofOptions)
                    case .field(let field):
                        fields.append(
                            lowerField(
                                field,
                                path: fieldPath,
                                oneofIndex: oneofIndex,
                                messages: &nested,
                                messagesPath: nestedPath
                            )
                        )
                    case .group(let group):
                        fields.append(
                            lowerGroup(
                                group,
                                path: fieldPath,
                                oneofIndex: oneofIndex,
                                messages: &nested,
                                messagesPath: nestedPath
                            )
                        )
                    default:
                        break
                    }
                }
                if !oneofOptions.isEmpty {
                    var oneofOptionsMessage = Google_Protobuf_OneofOptions()
                    oneofOptionsMessage.uninterpretedOption = oneofOptions
                    message.oneofDecl[Int(oneofIndex)].options = oneofOptionsMessage
                }
            case .message(let decl):
                let index = Int32(nested.count)
                nested.append(lowerMessage(decl, path: nestedPath + [index]))
            case .enum(let decl):
                let index = Int32(message.enumType.count)
                message.enumType.append(lowerEnum(decl, path: path + [DescriptorPath.Message.enumType, index]))
            case .extend(let decl):
                lowerExtend(
                    decl,
                    path: path + [DescriptorPath.Message.extension],
                    extensions: &extensions,
                    messages: &nested,
                    messagesPath: nestedPath
                )
            case .extensions(let decl):
                lowerExtensionRanges(decl, into: &message, path: path)
            case .reserved(let decl):
                lowerReserved(decl, into: &message, path: path)
            case .option(let decl):
                info.add(path + [DescriptorPath.Message.options], decl.span)
                lowerOptionStatement(decl, path: path + [DescriptorPath.Message.options], into: &options)
            case .empty:
                break
            }
        }
        message.nestedType = nested
        message.field = fields
        message.extension = extensions
        if !options.isEmpty {
            var messageOptions = message.options ?? Google_Protobuf_MessageOptions()
            messageOptions.uninterpretedOption = options
            message.options = messageOptions
        }
        let isMessageSet = options.contains { option in
            option.name.count == 1 && option.name[0].namePart == "message_set_wire_format"
                && option.identifierValue == "true"
        }
        let maxEnd: Int32 = isMessageSet ? Int32.max : 1 << 29
        for index in message.extensionRange.indices where message.extensionRange[index].end == Self.maxSentinel {
            message.extensionRange[index].end = maxEnd
        }
        for index in message.reservedRange.indices where message.reservedRange[index].end == Self.maxSentinel {
            message.reservedRange[index].end = maxEnd
        }
    }

    /// Adds protoc's synthetic one-field oneofs for proto3 `optional` fields, after the real
    /// oneofs, with names that collide with no field or oneof.
    static func addSyntheticOneofs(to message: inout Google_Protobuf_DescriptorProto) {
        var names = Set(message.field.compactMap(\.name))
        names.formUnion(message.oneofDecl.compactMap(\.name))
        for index in message.field.indices where message.field[index].proto3Optional == true {
            var name = message.field[index].name ?? ""
            if !name.hasPrefix("_") { name = "_" + name }
            while names.contains(name) { name = "X" + name }
            names.insert(name)
            message.field[index].oneofIndex = Int32(message.oneofDecl.count)
            var oneof = Google_Protobuf_OneofDescriptorProto()
            oneof.name = name
            message.oneofDecl.append(oneof)
        }
    }

    mutating func lowerExtend(
        _ decl: ExtendDecl,
        path: Path,
        extensions: inout [Google_Protobuf_FieldDescriptorProto],
        messages: inout [Google_Protobuf_DescriptorProto],
        messagesPath: Path
    ) {
        info.add(path, decl.span, decl.comments)
        for element in decl.body {
            let fieldPath = path + [Int32(extensions.count)]
            switch element {
            case .field(let field):
                extensions.append(
                    lowerField(
                        field,
                        path: fieldPath,
                        extendee: decl.extendee,
                        oneofIndex: nil,
                        messages: &messages,
                        messagesPath: messagesPath
                    )
                )
            case .group(let group):
                extensions.append(
                    lowerGroup(
                        group,
                        path: fieldPath,
                        extendee: decl.extendee,
                        oneofIndex: nil,
                        messages: &messages,
                        messagesPath: messagesPath
                    )
                )
            default:
                break
            }
        }
    }

    /// Records a range's locations and returns its start and exclusive end (`maxSentinel` for
    /// `max`), or inclusive end when `inclusive`.
    private mutating func lowerRange(_ range: RangeSyntax, path: Path, inclusive: Bool, max: Int32) -> (Int32, Int32) {
        info.add(path, range.span)
        info.add(path + [1], range.start.span)
        let start = Int32(truncatingIfNeeded: range.start.value)
        let adjustment: Int32 = inclusive ? 0 : 1
        switch range.end {
        case .number(let end)?:
            info.add(path + [2], end.span)
            return (start, Int32(truncatingIfNeeded: end.value) &+ adjustment)
        case .max(let span)?:
            info.add(path + [2], span)
            return (start, max)
        case nil:
            info.add(path + [2], range.start.span)
            return (start, start &+ adjustment)
        }
    }

    private mutating func lowerExtensionRanges(
        _ decl: ExtensionRangeDecl,
        into message: inout Google_Protobuf_DescriptorProto,
        path: Path
    ) {
        let rangesPath = path + [DescriptorPath.Message.extensionRange]
        info.add(rangesPath, decl.span, decl.comments)
        let first = message.extensionRange.count
        for range in decl.ranges {
            let (start, end) = lowerRange(
                range,
                path: rangesPath + [Int32(message.extensionRange.count)],
                inclusive: false,
                max: Self.maxSentinel
            )
            var lowered = Google_Protobuf_DescriptorProto.ExtensionRange()
            lowered.start = start
            lowered.end = end
            message.extensionRange.append(lowered)
        }
        guard let compact = decl.options else { return }
        var options: [Google_Protobuf_UninterpretedOption] = []
        for entry in compact.entries {
            if let option = uninterpreted(entry.name, entry.value) { options.append(option) }
        }
        var rangeOptions = Google_Protobuf_ExtensionRangeOptions()
        rangeOptions.uninterpretedOption = options
        for index in first..<message.extensionRange.count {
            message.extensionRange[index].options = rangeOptions
            let optionsPath = rangesPath + [Int32(index), 3]
            info.add(optionsPath, compact.span)
            for (position, entry) in compact.entries.enumerated() {
                info.add(optionsPath + [DescriptorPath.uninterpretedOption, Int32(position)], entry.span)
            }
        }
    }

    private mutating func lowerReserved(
        _ decl: ReservedDecl,
        into message: inout Google_Protobuf_DescriptorProto,
        path: Path
    ) {
        if !decl.names.isEmpty {
            let namesPath = path + [DescriptorPath.Message.reservedName]
            info.add(namesPath, decl.span, decl.comments)
            for name in decl.names {
                info.add(namesPath + [Int32(message.reservedName.count)], name.span)
                message.reservedName.append(name.value)
            }
            return
        }
        let rangesPath = path + [DescriptorPath.Message.reservedRange]
        info.add(rangesPath, decl.span, decl.comments)
        for range in decl.ranges {
            let (start, end) = lowerRange(
                range,
                path: rangesPath + [Int32(message.reservedRange.count)],
                inclusive: false,
                max: Self.maxSentinel
            )
            var lowered = Google_Protobuf_DescriptorProto.ReservedRange()
            lowered.start = start
            lowered.end = end
            message.reservedRange.append(lowered)
        }
    }

    // MARK: - Enums and services

    mutating func lowerEnum(_ decl: EnumDecl, path: Path) -> Google_Protobuf_EnumDescriptorProto {
        info.add(path, decl.span, decl.comments)
        info.add(path + [DescriptorPath.Enum.name], decl.name.span)
        var result = Google_Protobuf_EnumDescriptorProto()
        result.name = decl.name.value
        var options: [Google_Protobuf_UninterpretedOption] = []
        for element in decl.body {
            switch element {
            case .value(let value):
                let valuePath = path + [DescriptorPath.Enum.value, Int32(result.value.count)]
                info.add(valuePath, value.span, value.comments)
                info.add(valuePath + [1], value.name.span)
                info.add(valuePath + [2], value.number.span)
                var lowered = Google_Protobuf_EnumValueDescriptorProto()
                lowered.name = value.name.value
                lowered.number = Int32(truncatingIfNeeded: value.number.value)
                if let compact = value.options {
                    info.add(valuePath + [3], compact.span)
                    var valueOptions: [Google_Protobuf_UninterpretedOption] = []
                    for entry in compact.entries {
                        lowerCompactOption(entry, path: valuePath + [3], into: &valueOptions)
                    }
                    if !valueOptions.isEmpty {
                        var optionsMessage = Google_Protobuf_EnumValueOptions()
                        optionsMessage.uninterpretedOption = valueOptions
                        lowered.options = optionsMessage
                    }
                }
                result.value.append(lowered)
            case .option(let option):
                info.add(path + [DescriptorPath.Enum.options], option.span)
                lowerOptionStatement(option, path: path + [DescriptorPath.Enum.options], into: &options)
            case .reserved(let reserved):
                if !reserved.names.isEmpty {
                    let namesPath = path + [DescriptorPath.Enum.reservedName]
                    info.add(namesPath, reserved.span, reserved.comments)
                    for name in reserved.names {
                        info.add(namesPath + [Int32(result.reservedName.count)], name.span)
                        result.reservedName.append(name.value)
                    }
                } else {
                    let rangesPath = path + [DescriptorPath.Enum.reservedRange]
                    info.add(rangesPath, reserved.span, reserved.comments)
                    for range in reserved.ranges {
                        let (start, end) = lowerRange(
                            range,
                            path: rangesPath + [Int32(result.reservedRange.count)],
                            inclusive: true,
                            max: Int32.max
                        )
                        var lowered = Google_Protobuf_EnumDescriptorProto.EnumReservedRange()
                        lowered.start = start
                        lowered.end = end
                        result.reservedRange.append(lowered)
                    }
                }
            case .empty:
                break
            }
        }
        if !options.isEmpty {
            var enumOptions = Google_Protobuf_EnumOptions()
            enumOptions.uninterpretedOption = options
            result.options = enumOptions
        }
        return result
    }

    mutating func lowerService(_ decl: ServiceDecl, path: Path) -> Google_Protobuf_ServiceDescriptorProto {
        info.add(path, decl.span, decl.comments)
        info.add(path + [1], decl.name.span)
        var service = Google_Protobuf_ServiceDescriptorProto()
        service.name = decl.name.value
        var options: [Google_Protobuf_UninterpretedOption] = []
        for element in decl.body {
            switch element {
            case .method(let method):
                service.method.append(lowerMethod(method, path: path + [2, Int32(service.method.count)]))
            case .option(let option):
                info.add(path + [3], option.span)
                lowerOptionStatement(option, path: path + [3], into: &options)
            case .empty:
                break
            }
        }
        if !options.isEmpty {
            var serviceOptions = Google_Protobuf_ServiceOptions()
            serviceOptions.uninterpretedOption = options
            service.options = serviceOptions
        }
        return service
    }

    private mutating func lowerMethod(_ decl: MethodDecl, path: Path) -> Google_Protobuf_MethodDescriptorProto {
        info.add(path, decl.span, decl.comments)
        info.add(path + [1], decl.name.span)
        var method = Google_Protobuf_MethodDescriptorProto()
        method.name = decl.name.value
        if let stream = decl.input.stream {
            info.add(path + [5], stream)
            method.clientStreaming = true
        }
        info.add(path + [2], decl.input.type.span)
        method.inputType = decl.input.type.value
        if let stream = decl.output.stream {
            info.add(path + [6], stream)
            method.serverStreaming = true
        }
        info.add(path + [3], decl.output.type.span)
        method.outputType = decl.output.type.value
        var options: [Google_Protobuf_UninterpretedOption] = []
        for element in decl.body ?? [] {
            if case .option(let option) = element {
                info.add(path + [4], option.span)
                lowerOptionStatement(option, path: path + [4], into: &options)
            }
        }
        // protoc creates (possibly empty) method options whenever the method has a `{ }` body.
        if !options.isEmpty || decl.body != nil {
            var methodOptions = Google_Protobuf_MethodOptions()
            methodOptions.uninterpretedOption = options
            method.options = methodOptions
        }
        return method
    }
}
