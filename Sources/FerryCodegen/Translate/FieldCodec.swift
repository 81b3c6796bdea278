import FerryCodec

/// The lines of `encode(to:)` and the cases of `decode(from:)` for each kind of field.
struct FieldCodec {
    let oneofs: OneofTranslator

    /// Names that `encode(to:)` and `decode(from:)` bind themselves; a property with one of these
    /// names is reached through `self.`.
    static let localNames: Set<String> = ["writer", "reader", "tag", "value", "existing"]

    /// How the body of `encode`/`decode` refers to a property (escaped name).
    static func access(_ escapedName: String) -> String {
        localNames.contains(escapedName) ? "self." + escapedName : escapedName
    }

    // MARK: - Encoding

    /// Writes one field; called from the highest field number to the lowest.
    func encode(_ field: FieldModel) -> SwiftNode {
        let n = field.number
        if let oneof = field.oneofIndex {
            return .line(
                """
                if case .\(field.escapedName)(let value)? = \(Self.access(oneofs.propertyName(oneof))) \
                { \(writeSingle(field.value, "value", n)) }
                """
            )
        }
        let name = Self.access(field.escapedName)
        switch field.cardinality {
        case .singular(presence: true):
            if SwiftKeywords.reserved.contains(field.name) || Self.localNames.contains(field.name) {
                return .line("if let value = self.\(field.name) { \(writeSingle(field.value, "value", n)) }")
            }
            return .line("if let \(name) { \(writeSingle(field.value, name, n)) }")
        case .singular(presence: false):
            let test: String
            switch field.value {
            case .scalar(let s): test = s.nonDefaultTest(name)
            default: test = "\(name).rawValue != 0"
            }
            return .line("if \(test) { \(writeSingle(field.value, name, n)) }")
        case .repeated(let packed):
            if case .group = field.value { return .line("writer.writeRepeated(groups: \(name), field: \(n))") }
            return .line(
                "writer.\(packed ? "writePacked" : "writeRepeated")(\(field.value.codec).self, \(name), field: \(n))"
            )
        case .map(let key, let value):
            return .line("writer.writeMap(\(key.codec).self, \(value.codec).self, \(name), field: \(n))")
        }
    }

    private func writeSingle(_ value: ValueKind, _ expression: String, _ number: Int) -> String {
        switch value {
        case .scalar(let s): "writer.write(\(s.writeLabel): \(expression), field: \(number))"
        case .enumeration: "writer.write(enum: \(expression), field: \(number))"
        case .message: "writer.write(message: \(expression), field: \(number))"
        case .group: "writer.write(group: \(expression), field: \(number))"
        }
    }

    // MARK: - Decoding

    /// The label of a field's `case` in `switch tag.fieldNumber`: its number, and the wire types
    /// its declaration allows. A known field with another wire type falls through to `default`
    /// and is kept as an unknown field, as protobuf's parsers do.
    private func caseLabel(_ field: FieldModel) -> String {
        let wireType: String
        switch field.cardinality {
        case .map: wireType = "tag.wireType == .lengthDelimited"
        case .repeated where field.value.isPackable:
            wireType = "tag.wireType == \(field.value.wireType) || tag.wireType == .lengthDelimited"
        default: wireType = "tag.wireType == \(field.value.wireType)"
        }
        return "case \(field.number) where \(wireType)"
    }

    /// The `case` of `switch tag.fieldNumber` that reads one field.
    func decode(_ field: FieldModel) -> SwiftNode {
        let label = caseLabel(field)
        let name = Self.access(field.escapedName)
        if let oneof = field.oneofIndex {
            // `self.` keeps a oneof or field called `value` from meeting the local of that name.
            let property = "self." + oneofs.propertyName(oneof)
            switch field.value {
            case .scalar, .enumeration(_, closed: false):
                return .line("\(label): \(property) = .\(field.escapedName)(\(readValue(field.value)))")
            case .enumeration(let symbol, closed: true):
                return .line(
                    "\(label): if let value = \(readClosedEnum(symbol)) { \(property) = .\(field.escapedName)(value) }"
                )
            case .message, .group:
                return .line(
                    """
                    \(label): try reader.readOneofMessage(tag, into: &\(property), member: \
                    { if case .\(field.escapedName)(let value) = $0 { value } else { nil } }, \
                    embed: { .\(field.escapedName)($0) })
                    """
                )
            }
        }
        let target = field.boxed ? "_\(field.name).value" : name
        switch field.cardinality {
        case .singular:
            switch field.value {
            case .scalar, .enumeration(_, closed: false):
                return .line("\(label): \(target) = \(readValue(field.value))")
            case .enumeration(let symbol, closed: true):
                return .line("\(label): if let value = \(readClosedEnum(symbol)) { self.\(target) = value }")
            case .message:
                return .line("\(label): try reader.readMessage(tag, into: &\(target))")
            case .group:
                return .line("\(label): try reader.readGroup(tag, into: &\(target))")
            }
        case .repeated:
            switch field.value {
            case .enumeration(let symbol, closed: true):
                return .line(
                    """
                    \(label): try reader.readRepeatedClosedEnum(\(symbol.swiftName).self, tag, into: &\(name), \
                    unknownFields: &unknownFields)
                    """
                )
            case .group:
                return .line("\(label): try reader.readRepeatedGroup(tag, into: &\(name))")
            default:
                return .line("\(label): try reader.readRepeated(\(field.value.codec).self, tag, into: &\(name))")
            }
        case .map(let key, let value):
            if case .enumeration(let symbol, closed: true) = value {
                return .line(
                    """
                    \(label): try reader.readMapEntry(\(key.codec).self, closedEnum: \(symbol.swiftName).self, tag, \
                    into: &\(name), unknownFields: &unknownFields)
                    """
                )
            }
            return .line(
                "\(label): try reader.readMapEntry(\(key.codec).self, \(value.codec).self, tag, into: &\(name))"
            )
        }
    }

    private func readValue(_ value: ValueKind) -> String {
        switch value {
        case .scalar(let s): "try reader.read\(s.codecName)(tag)"
        case .enumeration(let symbol, _): "try reader.readEnum(\(symbol.swiftName).self, tag)"
        case .message(let symbol), .group(let symbol): "\(symbol.swiftName)()"
        }
    }

    private func readClosedEnum(_ symbol: TypeSymbol) -> String {
        "try reader.readClosedEnum(\(symbol.swiftName).self, tag, unknownFields: &unknownFields)"
    }
}
