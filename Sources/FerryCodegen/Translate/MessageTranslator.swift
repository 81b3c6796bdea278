import FerryCodec

/// Translates a message into a struct (properties, nested types, oneof enums) and a top-level
/// extension with its wire codec.
struct MessageTranslator {
    var context: FileContext

    /// The translated message: its declaration (nested where the message is nested) and the
    /// top-level conformance extensions of it and of its nested messages.
    struct Output {
        var declaration: SwiftNode
        var conformances: [SwiftNode]
    }

    /// The fields of a message with final, collision-free Swift names.
    func fields(of message: Google_Protobuf_DescriptorProto, symbol: TypeSymbol) throws(GeneratorError) -> [FieldModel]
    {
        var used: Set<String> = []
        var fields: [FieldModel] = []
        for (i, proto) in message.field.enumerated() {
            var field = try FieldModel.make(
                proto,
                index: i,
                in: message,
                scope: symbol.features,
                symbols: context.symbols,
                context: symbol.fullName
            )
            while used.contains(field.name) { field.name += "_" }
            used.insert(field.name)
            if context.boxedEdges.contains(CycleAnalysis.Edge(from: symbol.fullName, fieldNumber: field.number)) {
                field.boxed = true
            }
            fields.append(field)
        }
        return fields
    }

    mutating func translate(
        _ message: Google_Protobuf_DescriptorProto,
        symbol: TypeSymbol,
        path: [Int]
    ) throws(GeneratorError) -> Output {
        if message.options?.messageSetWireFormat == true, !message.field.isEmpty {
            throw GeneratorError("\(symbol.fullName): a message_set_wire_format message cannot have fields")
        }
        let access = context.access
        var fields = try fields(of: message, symbol: symbol)
        // A class-backed message breaks every cycle through it: its fields need no boxes.
        let heap = HeapStorage.isUsed(for: fields)
        if heap { for i in fields.indices { fields[i].boxed = false } }
        let storage = HeapStorage(access: access)
        var stored: [HeapStorage.Stored] = []
        let oneofs = OneofTranslator(context: context, message: message, symbol: symbol, fields: fields)
        let localName = symbol.swiftName.split(separator: ".").last.map(String.init) ?? symbol.swiftName

        var body: [SwiftNode] = []
        var boxes: [SwiftNode] = []
        var emittedOneofs: Set<Int> = []
        for field in fields {
            if let oneof = field.oneofIndex {
                guard emittedOneofs.insert(oneof).inserted else { continue }
                body.append(.blank)
                if heap {
                    let name = oneofs.propertyName(oneof)
                    let type = oneofs.typeName(oneof) + "?"
                    body.append(context.comment(oneofs.pathOfMessage + [8, oneof]))
                    body.append(storage.forwardingProperty(name, type: type))
                    stored.append(HeapStorage.Stored(name: name, type: type, initial: nil))
                } else {
                    body.append(oneofs.property(oneof))
                }
                body.append(.blank)
                continue
            }
            let comment = context.comment(path + [2, field.index])
            let documented = comment != .group([])
            // Documented properties stand apart; undocumented ones are listed without blank lines.
            if documented {
                body.append(.blank)
                body.append(comment)
            }
            if heap {
                body.append(storage.forwardingProperty(field.escapedName, type: field.swiftType))
                stored.append(
                    HeapStorage.Stored(name: field.escapedName, type: field.swiftType, initial: try initialValue(field))
                )
            } else {
                body.append(contentsOf: try property(field, access: access))
            }
            if field.boxed {
                boxes.append(.line("private var _\(field.name) = FerryCodec.Box<\(field.swiftType)>(nil)"))
            }
            if let literal = try DefaultValues.literal(for: field, context: "\(symbol.fullName).\(field.protoName)") {
                body.append(.doc(["`\(field.name)`, or its declared default `\(literal)` when absent."]))
                body.append(
                    .line(
                        """
                        \(access)var \(field.name)OrDefault: \(field.value.swiftType) \
                        { \(field.escapedName) ?? \(literal) }
                        """
                    )
                )
            }
            if documented || field.boxed { body.append(.blank) }
        }
        body.append(.blank)
        if heap {
            body.append(storage.forwardingProperty("unknownFields", type: "FerryCodec.UnknownFields"))
            stored.append(
                HeapStorage.Stored(
                    name: "unknownFields",
                    type: "FerryCodec.UnknownFields",
                    initial: "FerryCodec.UnknownFields()"
                )
            )
        } else {
            body.append(.line("\(access)var unknownFields = FerryCodec.UnknownFields()"))
        }
        body.append(contentsOf: boxes)
        body.append(.blank)
        body.append(.line("\(access)init() {}"))
        if heap {
            body.append(.blank)
            body.append(contentsOf: storage.members(stored))
        }
        for index in message.oneofDecl.indices where emittedOneofs.contains(index) {
            body.append(.blank)
            body.append(try oneofs.declaration(index, path: path))
        }
        var conformances: [SwiftNode] = []
        for (i, e) in message.enumType.enumerated() {
            guard let nested = context.symbols.types["." + symbol.fullName + "." + (e.name ?? "")] else { continue }
            body.append(.blank)
            body.append(try EnumTranslator(context: context).translate(e, symbol: nested, path: path + [4, i]))
        }
        for (i, m) in message.nestedType.enumerated() where m.options?.mapEntry != true {
            guard let nested = context.symbols.types["." + symbol.fullName + "." + (m.name ?? "")] else { continue }
            let output = try translate(m, symbol: nested, path: path + [3, i])
            body.append(.blank)
            body.append(output.declaration)
            conformances.append(contentsOf: output.conformances)
        }
        let declaration = SwiftNode.group([
            context.comment(path),
            .block("\(access)struct \(localName): Sendable, Hashable", body),
        ])
        var own = [try conformance(message, symbol: symbol, fields: fields, oneofs: oneofs, path: path, heap: heap)]
        if heap {
            own.append(.blank)
            own.append(
                .block(
                    "extension \(symbol.swiftName)._Storage",
                    try codecMembers(symbol: symbol, fields: fields, oneofs: oneofs, access: "")
                )
            )
        }
        return Output(declaration: declaration, conformances: own + conformances)
    }

    private func property(_ field: FieldModel, access: String) throws(GeneratorError) -> [SwiftNode] {
        let name = field.escapedName
        if field.boxed {
            return [
                .block(
                    "\(access)var \(name): \(field.swiftType)",
                    [
                        .line("get { _\(field.name).value }"),
                        .line("set { _\(field.name).value = newValue }"),
                        .line("_modify { yield &_\(field.name).value }"),
                    ]
                )
            ]
        }
        switch field.cardinality {
        case .singular(presence: true): return [.line("\(access)var \(name): \(field.swiftType)")]
        case .repeated: return [.line("\(access)var \(name): \(field.swiftType) = []")]
        case .map: return [.line("\(access)var \(name): \(field.swiftType) = [:]")]
        case .singular(presence: false):
            return [.line("\(access)var \(name): \(field.swiftType) = \(try zeroValue(field.value))")]
        }
    }

    /// The initial value of a field's stored property, if it needs one.
    private func initialValue(_ field: FieldModel) throws(GeneratorError) -> String? {
        switch field.cardinality {
        case .singular(presence: true): nil
        case .repeated: "[]"
        case .map: "[:]"
        case .singular(presence: false): try zeroValue(field.value)
        }
    }

    private func zeroValue(_ value: ValueKind) throws(GeneratorError) -> String {
        switch value {
        case .scalar(let s): return s.zeroLiteral
        case .enumeration(let symbol, _):
            guard case .enumeration(let e) = symbol.kind,
                let first = EnumTranslator.cases(of: e, open: !symbol.isClosedEnum).cases.first
            else {
                throw GeneratorError("enum \(symbol.fullName) has no values")
            }
            return ".\(NameFormatting.escaped(first.name))"
        case .message, .group: return "nil"
        }
    }

    // MARK: - Conformance

    private mutating func conformance(
        _ message: Google_Protobuf_DescriptorProto,
        symbol: TypeSymbol,
        fields: [FieldModel],
        oneofs: OneofTranslator,
        path: [Int],
        heap: Bool
    ) throws(GeneratorError) -> SwiftNode {
        let access = context.access
        var body: [SwiftNode] = [
            .line("\(access)static var protoMessageName: String { \(DefaultValues.stringLiteral(symbol.fullName)) }"),
            .line(
                """
                \(access)static var descriptor: FerryCodec.Google_Protobuf_DescriptorProto \
                { \(descriptorExpression(symbol)) }
                """
            ),
            .line("\(access)static var protoFile: any FerryCodec.ProtoFile.Type { \(context.namespace).self }"),
        ]
        let scoped = try ExtensionTranslator(context: context).declarations(
            message.extension,
            scope: symbol.fullName,
            path: path + [6]
        )
        if !scoped.isEmpty {
            body.append(.blank)
            body.append(contentsOf: scoped)
        }
        body.append(.blank)

        if heap {
            body.append(
                .block(
                    "\(access)func encode(to writer: inout FerryCodec.WireWriter)",
                    [.line("_storage.encode(to: &writer)")]
                )
            )
            body.append(.blank)
            body.append(
                .block(
                    """
                    \(access)mutating func decode(from reader: inout FerryCodec.WireReader) \
                    throws(FerryCodec.DecodingError)
                    """,
                    [
                        .line("try _uniqueStorage().decode(from: &reader)")
                    ]
                )
            )
            if context.required.needsCheck("." + symbol.fullName) {
                body.append(.blank)
                body.append(.line("\(access)var isInitialized: Bool { _storage.isInitialized }"))
            }
        } else {
            body.append(
                contentsOf: try codecMembers(
                    symbol: symbol,
                    fields: fields,
                    oneofs: oneofs,
                    access: access,
                    mutating: "mutating "
                )
            )
        }
        return .block("extension \(symbol.swiftName): FerryCodec.DescribedMessage", body)
    }

    /// `encode(to:)`, `decode(from:)` and (when needed) `isInitialized`, reading and writing the
    /// fields as properties of `self`: the struct's, or its storage class's.
    private mutating func codecMembers(
        symbol: TypeSymbol,
        fields: [FieldModel],
        oneofs: OneofTranslator,
        access: String,
        mutating: String = ""
    ) throws(GeneratorError) -> [SwiftNode] {
        let codec = FieldCodec(oneofs: oneofs)
        var body: [SwiftNode] = []
        var encode: [SwiftNode] = [.line("writer.write(unknownFields)")]
        for field in fields.sorted(by: { $0.number > $1.number }) { encode.append(codec.encode(field)) }
        body.append(.block("\(access)func encode(to writer: inout FerryCodec.WireWriter)", encode))
        body.append(.blank)

        var cases: [SwiftNode] = fields.sorted(by: { $0.number < $1.number }).map(codec.decode)
        // Extensions live among the unknown fields; they stay there even when unknown fields are
        // discarded. (A MessageSet's extensions arrive as items of one group field.)
        if let message = symbol.message, !message.extensionRange.isEmpty, message.options?.messageSetWireFormat != true
        {
            let ranges = message.extensionRange.map { range in
                let start = Int(range.start ?? 0)
                let end = Int(range.end ?? 0) - 1
                return start == end ? "\(start)" : "\(start)...\(end)"
            }
            cases.append(
                .line(
                    """
                    case \(ranges.joined(separator: ", ")): try reader.skipExtension(tag, of: "\(symbol.fullName)", \
                    into: &unknownFields)
                    """
                )
            )
        }
        cases.append(.line("default: try reader.skip(tag, into: &unknownFields)"))
        body.append(
            .block(
                """
                \(access)\(mutating)func decode(from reader: inout FerryCodec.WireReader) \
                throws(FerryCodec.DecodingError)
                """,
                [
                    .block("while let tag = try reader.nextTag()", [.block("switch tag.fieldNumber", cases)])
                ]
            )
        )

        if context.required.needsCheck("." + symbol.fullName) {
            var checks: [SwiftNode] = []
            for field in fields { if let check = initializationCheck(field, oneofs: oneofs) { checks.append(check) } }
            checks.append(.line("return true"))
            body.append(.blank)
            body.append(.block("\(access)var isInitialized: Bool", checks))
        }
        return body
    }

    private func descriptorExpression(_ symbol: TypeSymbol) -> String {
        let path = symbol.indexPath.map(String.init).joined(separator: ", ")
        return "FerryCodec.EmbeddedDescriptor.message(\(context.namespace).descriptor, [\(path)])"
    }

    private mutating func initializationCheck(_ field: FieldModel, oneofs: OneofTranslator) -> SwiftNode? {
        let name = FieldCodec.access(field.escapedName)
        let nested = field.value.messageSymbol.map { context.required.needsCheck("." + $0.fullName) } ?? false
        if let oneof = field.oneofIndex {
            guard nested else { return nil }
            return .line(
                """
                if case .\(field.escapedName)(let value)? = \(FieldCodec.access(oneofs.propertyName(oneof))), \
                !value.isInitialized { return false }
                """
            )
        }
        switch field.cardinality {
        case .singular:
            if field.isRequired {
                return .line(
                    nested
                        ? "guard \(name)?.isInitialized == true else { return false }"
                        : "guard \(name) != nil else { return false }"
                )
            }
            return nested ? .line("guard \(name)?.isInitialized != false else { return false }") : nil
        case .repeated:
            return nested ? .line("guard \(name).allSatisfy(\\.isInitialized) else { return false }") : nil
        case .map(_, let value):
            guard let valueSymbol = value.messageSymbol, context.required.needsCheck("." + valueSymbol.fullName) else {
                return nil
            }
            return .line("guard \(name).values.allSatisfy(\\.isInitialized) else { return false }")
        }
    }
}
