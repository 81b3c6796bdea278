import FerryCodec

/// Translates proto2 `extend` declarations into `FerryCodec.ExtensionField` (or
/// `RepeatedExtensionField`) constants.
///
/// Extension values live in the extended message's unknown fields; the constants describe
/// how to find and decode them: `message[extension: Ns.fooExt]`. File-scope extensions become
/// static lets of the file's namespace enum, message-scope ones static lets of the message.
struct ExtensionTranslator {
    let context: FileContext

    func declarations(
        _ extensions: [Google_Protobuf_FieldDescriptorProto],
        scope: String,
        path: [Int]
    ) throws(GeneratorError) -> [SwiftNode] {
        // Static members generated code already declares in message and file scopes.
        var used: Set<String> = [
            "descriptor", "protoMessageName", "protoFile", "protoDeclaration", "dependencies", "fileDescriptorSet",
        ]
        var nodes: [SwiftNode] = []
        for (i, proto) in extensions.enumerated() {
            var name = NameFormatting.propertyName(proto.name ?? "")
            while used.contains(name) { name += "_" }
            used.insert(name)
            nodes.append(context.comment(path + [i]))
            nodes.append(try declaration(proto, name: name, scope: scope))
        }
        return nodes
    }

    private func declaration(
        _ proto: Google_Protobuf_FieldDescriptorProto,
        name: String,
        scope: String
    ) throws(GeneratorError) -> SwiftNode {
        let fullName = (scope.isEmpty ? "" : scope + ".") + (proto.name ?? "")
        guard let number = proto.number, let type = proto.type else {
            throw GeneratorError("extension \(fullName) has no number or type")
        }
        let extended = try context.symbols.lookup(proto.extendee, context: "extension \(fullName)")
        let value = try FieldModel.valueKind(
            type,
            typeName: proto.typeName,
            symbols: context.symbols,
            context: "extension \(fullName)"
        )
        let arguments = "number: \(number), name: \(DefaultValues.stringLiteral(fullName))"
        let access = context.access
        if extended.message?.options?.messageSetWireFormat == true {
            guard case .message(let m) = value, proto.label != .repeated else {
                throw GeneratorError(
                    "extension \(fullName): extensions of a message_set_wire_format message must be singular messages"
                )
            }
            let factory =
                """
                FerryCodec.ExtensionField(extending: \(extended.swiftName).self, messageSetItem: \(m.swiftName).self, \
                \(arguments))
                """
            return .line("\(access)static let \(NameFormatting.escaped(name)) = \(factory)")
        }
        if proto.label == .repeated {
            let packed = value.isPackable && context.fileFeatures.merged(proto.options?.features).isPacked(proto)
            let factory: String
            switch value {
            case .scalar, .enumeration(_, closed: false):
                factory =
                    """
                    FerryCodec.RepeatedExtensionField(extending: \(extended.swiftName).self, \(value.codec).self, \
                    \(arguments), packed: \(packed))
                    """
            case .enumeration(let e, closed: true):
                factory =
                    """
                    FerryCodec.RepeatedExtensionField(extending: \(extended.swiftName).self, \
                    closedEnum: \(e.swiftName).self, \(arguments), packed: \(packed))
                    """
            case .message(let m):
                factory =
                    """
                    FerryCodec.RepeatedExtensionField(extending: \(extended.swiftName).self, \
                    messages: \(m.swiftName).self, \(arguments))
                    """
            case .group(let m):
                factory =
                    """
                    FerryCodec.RepeatedExtensionField(extending: \(extended.swiftName).self, \
                    groups: \(m.swiftName).self, \(arguments))
                    """
            }
            return .line("\(access)static let \(NameFormatting.escaped(name)) = \(factory)")
        }
        let factory: String
        switch value {
        case .scalar, .enumeration(_, closed: false):
            factory =
                "FerryCodec.ExtensionField(extending: \(extended.swiftName).self, \(value.codec).self, \(arguments))"
        case .enumeration(let e, closed: true):
            factory =
                """
                FerryCodec.ExtensionField(extending: \(extended.swiftName).self, closedEnum: \(e.swiftName).self, \
                \(arguments))
                """
        case .message(let m):
            factory =
                """
                FerryCodec.ExtensionField(extending: \(extended.swiftName).self, message: \(m.swiftName).self, \
                \(arguments))
                """
        case .group(let m):
            factory =
                """
                FerryCodec.ExtensionField(extending: \(extended.swiftName).self, group: \(m.swiftName).self, \
                \(arguments))
                """
        }
        var nodes: [SwiftNode] = [.line("\(access)static let \(NameFormatting.escaped(name)) = \(factory)")]
        if proto.defaultValue != nil {
            let model = FieldModel(
                proto: proto,
                number: Int(number),
                name: name,
                value: value,
                cardinality: .singular(presence: true),
                oneofIndex: nil,
                index: 0,
                isRequired: false
            )
            if let literal = try DefaultValues.literal(for: model, context: "extension \(fullName)") {
                nodes.append(
                    SwiftNode.documented(
                        "The declared default of `\(name)`, for messages that do not hold it.",
                        "\(access)static let \(name)Default: \(value.swiftType) = \(literal)"
                    )
                )
            }
        }
        return .group(nodes)
    }
}
