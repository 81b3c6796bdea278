import FerryCodec

extension DescriptorLowerer {
    private typealias FieldType = Google_Protobuf_FieldDescriptorProto.TypeEnum

    private static func fieldType(_ scalar: ScalarType) -> FieldType {
        switch scalar {
        case .double: .double
        case .float: .float
        case .int64: .int64
        case .uint64: .uint64
        case .int32: .int32
        case .fixed64: .fixed64
        case .fixed32: .fixed32
        case .bool: .bool
        case .string: .string
        case .bytes: .bytes
        case .uint32: .uint32
        case .sfixed32: .sfixed32
        case .sfixed64: .sfixed64
        case .sint32: .sint32
        case .sint64: .sint64
        }
    }

    /// Records the field's whole location, extendee and label, and sets its label.
    private mutating func beginField(
        _ field: inout Google_Protobuf_FieldDescriptorProto,
        path: Path,
        span: SourceSpan,
        comments: Comments,
        extendee: Spanned<String>?,
        label: Spanned<FieldLabel>?,
        oneofIndex: Int32?,
        isMap: Bool,
        typeSpan: SourceSpan
    ) {
        info.add(path, span, comments)
        if let extendee {
            info.add(path + [DescriptorPath.Field.extendee], extendee.span)
            field.extendee = extendee.value
        }
        if let label {
            info.add(path + [DescriptorPath.Field.label], label.span)
            switch label.value {
            case .optional:
                field.label = .optional
                if syntax == "proto3" { field.proto3Optional = true }
                if syntax == "editions" {
                    reporter.error(
                        """
                        Label "optional" is not supported in editions. By default, \
                        all singular fields have presence unless features.field_presence is set.
                        """,
                        at: label.span
                    )
                }
            case .required:
                field.label = .required
                if syntax == "editions" {
                    reporter.error(
                        """
                        Label "required" is not supported in editions, use features.field_presence = LEGACY_REQUIRED.
                        """,
                        at: label.span
                    )
                }
            case .repeated: field.label = .repeated
            }
        } else if isMap {
            field.label = .repeated
        } else {
            if oneofIndex == nil && syntax == "proto2" {
                reporter.error("Expected \"required\", \"optional\", or \"repeated\".", at: typeSpan)
            }
            field.label = .optional
        }
        if let oneofIndex { field.oneofIndex = oneofIndex }
    }

    mutating func lowerField(
        _ decl: FieldDecl,
        path: Path,
        extendee: Spanned<String>? = nil,
        oneofIndex: Int32?,
        messages: inout [Google_Protobuf_DescriptorProto],
        messagesPath: Path
    ) -> Google_Protobuf_FieldDescriptorProto {
        var field = Google_Protobuf_FieldDescriptorProto()
        var isMap = false
        if case .map = decl.type { isMap = true }
        beginField(
            &field,
            path: path,
            span: decl.span,
            comments: decl.comments,
            extendee: extendee,
            label: decl.label,
            oneofIndex: oneofIndex,
            isMap: isMap,
            typeSpan: decl.type.span
        )
        switch decl.type {
        case .scalar(let scalar, let span):
            info.add(path + [DescriptorPath.Field.type], span)
            field.type = Self.fieldType(scalar)
        case .named(let name, let span):
            info.add(path + [DescriptorPath.Field.typeName], span)
            field.typeName = name
        case .map(_, _, let span):
            info.add(path + [DescriptorPath.Field.typeName], span)
        }
        info.add(path + [DescriptorPath.Field.name], decl.name.span)
        field.name = decl.name.value
        info.add(path + [DescriptorPath.Field.number], decl.number.span)
        field.number = Int32(truncatingIfNeeded: decl.number.value)
        lowerFieldOptions(decl.options, field: &field, path: path, isGroup: false)
        if case .map(let key, let value, _) = decl.type {
            let entry = Self.mapEntry(for: &field, key: key, value: value)
            messages.append(entry)
        }
        return field
    }

    mutating func lowerGroup(
        _ decl: GroupDecl,
        path: Path,
        extendee: Spanned<String>? = nil,
        oneofIndex: Int32?,
        messages: inout [Google_Protobuf_DescriptorProto],
        messagesPath: Path
    ) -> Google_Protobuf_FieldDescriptorProto {
        var field = Google_Protobuf_FieldDescriptorProto()
        beginField(
            &field,
            path: path,
            span: decl.span,
            comments: Comments(),
            extendee: extendee,
            label: decl.label,
            oneofIndex: oneofIndex,
            isMap: false,
            typeSpan: decl.keywordSpan
        )
        info.add(path + [DescriptorPath.Field.type], decl.keywordSpan)
        field.type = .group
        if syntax == "editions" {
            reporter.error(
                """
                Group syntax is no longer supported in editions. To get group behavior you can specify \
                features.message_encoding = DELIMITED on a message field.
                """,
                at: decl.keywordSpan
            )
        }
        info.add(path + [DescriptorPath.Field.name], decl.name.span)
        field.name = Self.asciiLowercased(decl.name.value)
        info.add(path + [DescriptorPath.Field.number], decl.number.span)
        field.number = Int32(truncatingIfNeeded: decl.number.value)
        lowerFieldOptions(decl.options, field: &field, path: path, isGroup: true)
        let groupPath = messagesPath + [Int32(messages.count)]
        info.add(groupPath, decl.span, decl.comments)
        info.add(groupPath + [DescriptorPath.Message.name], decl.name.span)
        info.add(path + [DescriptorPath.Field.typeName], decl.name.span)
        field.typeName = decl.name.value
        var group = Google_Protobuf_DescriptorProto()
        group.name = decl.name.value
        lowerMessageBody(decl.body, into: &group, path: groupPath)
        messages.append(group)
        return field
    }

    private static func asciiLowercased(_ name: String) -> String {
        String(decoding: name.utf8.map { (0x41...0x5A).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// The nested `XxxEntry` message protoc synthesizes for a map field; also points the field at it.
    private static func mapEntry(
        for field: inout Google_Protobuf_FieldDescriptorProto,
        key: TypeSyntax,
        value: TypeSyntax
    ) -> Google_Protobuf_DescriptorProto {
        var name = ""
        var capitalizeNext = true
        for character in (field.name ?? "").unicodeScalars {
            if character == "_" {
                capitalizeNext = true
            } else if capitalizeNext {
                name.unicodeScalars.append(
                    ("a"..."z").contains(character)
                        ? Unicode.Scalar(character.value - 32) ?? character : character
                )
                capitalizeNext = false
            } else {
                name.unicodeScalars.append(character)
            }
        }
        name += "Entry"
        field.typeName = name
        var entry = Google_Protobuf_DescriptorProto()
        entry.name = name
        var entryOptions = Google_Protobuf_MessageOptions()
        entryOptions.mapEntry = true
        entry.options = entryOptions
        for (number, (fieldName, type)) in [("key", key), ("value", value)].enumerated() {
            var member = Google_Protobuf_FieldDescriptorProto()
            member.name = fieldName
            member.number = Int32(number + 1)
            member.label = .optional
            switch type {
            case .scalar(let scalar, _): member.type = fieldType(scalar)
            case .named(let typeName, _): member.typeName = typeName
            case .map: member.typeName = "map"
            }
            if member.type == .string {
                let utf8Options = (field.options?.uninterpretedOption ?? []).filter { option in
                    option.name.count == 1 && option.name[0].namePart == "enforce_utf8"
                        && option.name[0].isExtension == false
                }
                if !utf8Options.isEmpty {
                    var options = Google_Protobuf_FieldOptions()
                    options.uninterpretedOption = utf8Options
                    member.options = options
                }
            }
            entry.field.append(member)
        }
        return entry
    }

    // MARK: - Field options

    private mutating func lowerFieldOptions(
        _ compact: CompactOptions?,
        field: inout Google_Protobuf_FieldDescriptorProto,
        path: Path,
        isGroup: Bool
    ) {
        guard let compact else { return }
        let optionsPath = path + [DescriptorPath.Field.options]
        info.add(optionsPath, compact.span)
        var options: [Google_Protobuf_UninterpretedOption] = []
        for entry in compact.entries {
            if entry.name.isSimple("default") {
                if field.defaultValue != nil {
                    reporter.error("Already set option \"default\".", at: entry.name.span)
                    field.defaultValue = nil
                }
                info.add(path + [DescriptorPath.Field.defaultValue], entry.value.span)
                field.defaultValue = defaultValue(entry.value, for: field, isGroup: isGroup)
            } else if entry.name.isSimple("json_name") {
                if field.jsonName != nil {
                    reporter.error("Already set option \"json_name\".", at: entry.name.span)
                    field.jsonName = nil
                }
                info.add(path + [DescriptorPath.Field.jsonName], entry.span)
                info.add(path + [DescriptorPath.Field.jsonName], entry.value.span)
                if case .string(let bytes) = entry.value.kind {
                    field.jsonName = String(decoding: bytes, as: UTF8.self)
                } else {
                    reporter.error(
                        "Expected string for JSON name, found \"\(entry.value.text)\".",
                        at: entry.value.span
                    )
                }
            } else {
                lowerCompactOption(entry, path: optionsPath, into: &options)
            }
        }
        if !options.isEmpty {
            var fieldOptions = Google_Protobuf_FieldOptions()
            fieldOptions.uninterpretedOption = options
            field.options = fieldOptions
        }
    }

    /// The default value as protoc's parser stores it, or `nil` after reporting an error.
    private mutating func defaultValue(
        _ value: OptionValue,
        for field: Google_Protobuf_FieldDescriptorProto,
        isGroup: Bool
    ) -> String? {
        if isGroup {
            reporter.error("Messages can't have default values.", at: value.span)
            return nil
        }
        guard let type = field.type else {
            if case .identifier(let name, false) = value.kind { return name }
            reporter.error(
                "Expected enum identifier for field default value, found \"\(value.text)\".",
                at: value.span
            )
            return nil
        }
        switch type {
        case .int32, .sint32, .sfixed32, .int64, .sint64, .sfixed64:
            let is32 = type == .int32 || type == .sint32 || type == .sfixed32
            guard case .integer(let magnitude, let negative) = value.kind else {
                reporter.error("Expected integer for field default value, found \"\(value.text)\".", at: value.span)
                return nil
            }
            let limit: UInt64 = (is32 ? UInt64(Int32.max) : UInt64(Int64.max)) + (negative ? 1 : 0)
            guard let magnitude, magnitude <= limit else {
                reporter.error("Integer out of range: \(negative ? "-" : "")\(value.text).", at: value.span)
                return nil
            }
            return (negative ? "-" : "") + String(magnitude)
        case .uint32, .fixed32, .uint64, .fixed64:
            let limit: UInt64 = (type == .uint32 || type == .fixed32) ? UInt64(UInt32.max) : UInt64.max
            guard case .integer(let magnitude, let negative) = value.kind else {
                reporter.error("Expected integer for field default value, found \"\(value.text)\".", at: value.span)
                return nil
            }
            if negative {
                reporter.error("Unsigned field can't have negative default value.", at: value.span)
            }
            guard let magnitude, magnitude <= limit else {
                reporter.error("Integer out of range: \(value.text).", at: value.span)
                return nil
            }
            return String(magnitude)
        case .float, .double:
            let number: Double
            let negative: Bool
            switch value.kind {
            case .float(let parsed, let sign):
                (number, negative) = (parsed, sign)
            case .integer(let magnitude, let sign):
                if magnitude == nil { reporter.error("Integer out of range: \(value.text).", at: value.span) }
                (number, negative) = (Double(magnitude ?? 0), sign)
            case .identifier("inf", let sign):
                (number, negative) = (.infinity, sign)
            case .identifier("nan", let sign):
                (number, negative) = (.nan, sign)
            default:
                reporter.error("Expected number for field default value, found \"\(value.text)\".", at: value.span)
                return nil
            }
            return (negative ? "-" : "") + DefaultValueFormat.shortest(number)
        case .bool:
            if case .identifier(let name, false) = value.kind, name == "true" || name == "false" { return name }
            reporter.error("Expected \"true\" or \"false\", found \"\(value.text)\".", at: value.span)
            return nil
        case .string:
            if case .string(let bytes) = value.kind { return String(decoding: bytes, as: UTF8.self) }
            reporter.error("Expected string for field default value, found \"\(value.text)\".", at: value.span)
            return nil
        case .bytes:
            if case .string(let bytes) = value.kind { return ASCII.cEscaped(bytes, keepingNonASCII: false) }
            reporter.error("Expected string for field default value, found \"\(value.text)\".", at: value.span)
            return nil
        case .enum, .message, .group:
            if case .identifier(let name, false) = value.kind { return name }
            reporter.error("Expected enum identifier for field default value, found \"\(value.text)\".", at: value.span)
            return nil
        }
    }
}
