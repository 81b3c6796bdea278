import FerryCodec

/// Translates a message into one struct: properties, its declaration and wire codec, then its
/// oneof enums and nested types.
struct MessageTranslator {
    var context: FileContext

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
    ) throws(GeneratorError) -> SwiftNode {
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
                if heap {
                    let name = oneofs.propertyName(oneof)
                    let type = oneofs.typeName(oneof) + "?"
                    body.append(context.comment(oneofs.pathOfMessage + [8, oneof]))
                    body.append(storage.forwardingProperty(name, type: type))
                    stored.append(HeapStorage.Stored(name: name, type: type, initial: nil))
                } else {
                    body.append(oneofs.property(oneof))
                }
                continue
            }
            body.append(context.comment(path + [2, field.index]))
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
                body.append(
                    SwiftNode.documented(
                        "`\(field.name)`, or its declared default `\(literal)` when absent.",
                        """
                        \(access)var \(field.name)OrDefault: \(field.value.swiftType) \
                        { \(field.escapedName) ?? \(literal) }
                        """
                    )
                )
            }
            if field.boxed { body.append(.blank) }
        }
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
        body.append(.line("\(access)init() {}"))
        body.append(
            .line(
                """
                \(access)static var protoDeclaration: FerryCodec.MessageDeclaration \
                { .init(\(DefaultValues.stringLiteral(symbol.fullName)), in: \(context.namespace).self, \
                at: [\(symbol.indexPath.map(String.init).joined(separator: ", "))]) }
                """
            )
        )
        let scoped = try ExtensionTranslator(context: context).declarations(
            message.extension,
            scope: symbol.fullName,
            path: path + [6]
        )
        if !scoped.isEmpty {
            body.append(.blank)
            body.append(contentsOf: scoped)
        }
        let codec = try codecMembers(symbol: symbol, fields: fields, oneofs: oneofs, access: heap ? "" : access)
        // The codec follows the declaration directly (or after the extensions declared in the message).
        if !scoped.isEmpty { body.append(.blank) }
        if heap {
            body.append(contentsOf: storage.forwardingCodec(checksInitialization: needsInitializationCheck(symbol)))
            body.append(.blank)
            body.append(storage.fieldsStruct(stored, codec: codec))
        } else {
            body.append(contentsOf: codec)
        }
        for index in message.oneofDecl.indices where emittedOneofs.contains(index) {
            body.append(.blank)
            body.append(try oneofs.declaration(index, path: path))
        }
        for (i, e) in message.enumType.enumerated() {
            guard let nested = context.symbols.types["." + symbol.fullName + "." + (e.name ?? "")] else { continue }
            body.append(.blank)
            body.append(try EnumTranslator(context: context).translate(e, symbol: nested, path: path + [4, i]))
        }
        for (i, m) in message.nestedType.enumerated() where m.options?.mapEntry != true {
            guard let nested = context.symbols.types["." + symbol.fullName + "." + (m.name ?? "")] else { continue }
            body.append(.blank)
            body.append(try translate(m, symbol: nested, path: path + [3, i]))
        }
        return .group([
            context.comment(path),
            .block("\(access)struct \(localName): FerryCodec.DescribedMessage", body),
        ])
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

    // MARK: - Codec

    private mutating func needsInitializationCheck(_ symbol: TypeSymbol) -> Bool {
        context.required.needsCheck("." + symbol.fullName)
    }

    /// `encodeFields(to:)`, `decode(from:)` and (when needed) `isInitialized`, reading and
    /// writing the fields as properties of `self`: the message's, or its `_Fields`'. A message
    /// without fields or extensions has none of them: `WireFields`' defaults keep every field as
    /// unknown.
    private mutating func codecMembers(
        symbol: TypeSymbol,
        fields: [FieldModel],
        oneofs: OneofTranslator,
        access: String
    ) throws(GeneratorError) -> [SwiftNode] {
        let codec = FieldCodec(oneofs: oneofs)
        var body: [SwiftNode] = []
        var encode: [SwiftNode] = []
        for field in fields.sorted(by: { $0.number > $1.number }) { encode.append(codec.encode(field)) }

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
        // Encoding and decoding are one pair: no blank line between them. The loop over the tags
        // and the switch share a line: the loop has no other statement. (A runtime loop calling
        // one generated function per field cost ~10 % of decoding small messages.)
        if !encode.isEmpty {
            body.append(.block("\(access)func encodeFields(to writer: inout FerryCodec.WireWriter)", encode))
        }
        if !cases.isEmpty {
            cases.append(.line("default: try reader.skip(tag, into: &unknownFields)"))
            body.append(
                .block(
                    """
                    \(access)mutating func decode(from reader: inout FerryCodec.WireReader) \
                    throws(FerryCodec.DecodingError)
                    """,
                    [.braced("while let tag = try reader.nextTag() { switch tag.fieldNumber {", cases, footer: "} }")]
                )
            )
        }

        if needsInitializationCheck(symbol) {
            var checks: [SwiftNode] = []
            for field in fields { if let check = initializationCheck(field, oneofs: oneofs) { checks.append(check) } }
            checks.append(.line("return true"))
            body.append(.blank)
            body.append(.block("\(access)var isInitialized: Bool", checks))
        }
        return body
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
