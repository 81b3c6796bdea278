/// Writes a message's binary encoding in protobuf's text format, reading it through the
/// message's schema (as ``JSONPrinter`` does for JSON).
///
/// Fields print in field-number order, one per line (`name: value`, `name { ... }`), each element of
/// a repeated field on its own line; groups by their type name; a map as its entries; an Any whose
/// type the registry holds as `[type.googleapis.com/pkg.Type] { ... }`; unknown fields by number
/// when asked. Strings and bytes are quoted with C escapes, non-ASCII bytes kept as UTF-8 in
/// strings and escaped in octal in bytes.
struct TextFormatPrinter {
    var out: [UInt8] = []
    let options: TextFormatEncodingOptions
    private var indent = 0
    private var remainingDepth: Int
    /// Extensions met so far (see ``ExtensionFields``).
    private var extensionFields = ExtensionFields()

    init(options: TextFormatEncodingOptions) {
        self.options = options
        self.remainingDepth = options.recursionLimit
    }

    /// One value found in the binary input (see ``JSONPrinter/Entry``; here unknown fields are kept,
    /// with `field == -1` and the number in `number`).
    private struct Entry {
        var field: Int
        var number: Int
        var wireType: WireType
        var start: Int
        var end: Int
        var scalar: UInt64
    }

    // MARK: - Messages

    mutating func printMessage(
        _ schema: MessageSchema?,
        _ bytes: UnsafeRawBufferPointer
    ) throws(TextFormatEncodingError) {
        guard remainingDepth > 0 else {
            throw TextFormatEncodingError("messages nest deeper than \(options.recursionLimit)")
        }
        remainingDepth -= 1
        defer { remainingDepth += 1 }
        if let schema, schema.wellKnown == .any, try printExpandedAny(schema, bytes) { return }
        var entries = try scan(schema, bytes)
        // Known fields in number order, each field's values in arrival order; unknown fields last,
        // in arrival order.
        entries.sort { ($0.field < 0 ? Int.max : $0.field, $0.start) < ($1.field < 0 ? Int.max : $1.field, $1.start) }
        var index = 0
        while index < entries.count {
            var groupEnd = index + 1
            while groupEnd < entries.count, entries[groupEnd].field == entries[index].field, entries[index].field >= 0 {
                groupEnd += 1
            }
            defer { index = groupEnd }
            guard let schema, entries[index].field >= 0 else {
                try printUnknown(entries[index], bytes)
                continue
            }
            let field = self.field(schema, entries[index].field)
            if field.isRepeated {
                for entry in entries[index..<groupEnd]
                where !(field.isMap && isDroppedMapEntry(field, Self.slice(bytes, entry))) {
                    try printValues(field, entry, bytes)
                }
                continue
            }
            if let oneof = field.oneofIndex, !isLastOneofMember(schema, oneof, entries[groupEnd - 1].start, entries) {
                continue
            }
            let last = entries[groupEnd - 1]
            if !field.hasPresence, last.wireType == .lengthDelimited ? last.start == last.end : last.scalar == 0 {
                continue
            }
            if let message = field.message, groupEnd - index > 1 {
                var merged: [UInt8] = []
                for entry in entries[index..<groupEnd] { merged.append(contentsOf: Self.slice(bytes, entry)) }
                try merged.withUnsafeBytesTyped { (buffer) throws(TextFormatEncodingError) in
                    try printMessageField(field, message, buffer)
                }
            } else {
                try printValues(field, last, bytes)
            }
        }
    }

    /// Whether a map entry holds a closed enum value the enum lacks: the generated decoder keeps
    /// the whole entry as an unknown field.
    private mutating func isDroppedMapEntry(_ field: FieldSchema, _ entry: UnsafeRawBufferPointer) -> Bool {
        guard let entrySchema = field.message, entrySchema.fields.count == 2,
            let enumSchema = entrySchema.fields[1].enumSchema, enumSchema.isClosed,
            let entries = try? scan(entrySchema, entry, keepingUnknown: true)
        else { return false }
        return entries.contains { $0.field < 0 && $0.number == 2 }
    }

    private func isLastOneofMember(_ schema: MessageSchema, _ oneof: Int, _ start: Int, _ entries: [Entry]) -> Bool {
        !entries.contains { $0.field >= 0 && $0.start > start && field(schema, $0.field).oneofIndex == oneof }
    }

    /// Every field of `bytes`; with no schema (an unknown group or message), all are unknown.
    private mutating func scan(
        _ schema: MessageSchema?,
        _ bytes: UnsafeRawBufferPointer,
        keepingUnknown: Bool = false
    ) throws(TextFormatEncodingError) -> [Entry] {
        var entries: [Entry] = []
        var reader = WireReader(bytes, options: DecodingOptions())
        // Safe: the reader's pointers come from `bytes`, which outlives this call.
        let origin = UnsafePointer<UInt8>(reader.position)
        do throws(DecodingError) {
            while let tag = try reader.nextTag() {
                var entry = Entry(
                    field: -1,
                    number: tag.fieldNumber,
                    wireType: tag.wireType,
                    start: reader.position - origin,
                    end: 0,
                    scalar: 0
                )
                if let schema,
                    let index = schema.fieldIndex(number: Int32(truncatingIfNeeded: tag.fieldNumber))
                        ?? extensionFields.index(schema, number: tag.fieldNumber),
                    field(schema, index).accepts(tag.wireType)
                {
                    entry.field = index
                }
                switch tag.wireType {
                case .varint: entry.scalar = try reader.readVarint()
                case .fixed32: entry.scalar = UInt64(try reader.readFixed32())
                case .fixed64: entry.scalar = try reader.readFixed64()
                case .lengthDelimited:
                    let length = try reader.readLength()
                    entry.start = reader.position - origin
                    reader.position += length
                    entry.end = reader.position - origin
                case .startGroup:
                    try reader.skipField(tag)
                    entry.end = reader.position - origin - JSONPrinter.varintSize(UInt64(tag.fieldNumber) << 3 | 4)
                case .endGroup:
                    throw DecodingError(.unmatchedEndGroup, fieldPath: [tag.fieldNumber])
                }
                if entry.field >= 0, entry.wireType == .varint, let schema,
                    let enumSchema = field(schema, entry.field).enumSchema,
                    enumSchema.isClosed, enumSchema.name(of: Int32(truncatingIfNeeded: entry.scalar)) == nil
                {
                    entry.field = -1  // an unknown field to the generated decoder, too
                }
                if entry.field < 0 && !options.printUnknownFields && !keepingUnknown { continue }
                entries.append(entry)
            }
        } catch {
            throw TextFormatEncodingError("malformed binary: \(error)")
        }
        return entries
    }

    @inline(__always)
    private func field(_ schema: MessageSchema, _ index: Int) -> FieldSchema { extensionFields.field(schema, index) }

    // MARK: - Lines

    private mutating func startLine(_ name: String) {
        if options.singleLine {
            if !out.isEmpty { out.append(UInt8(ascii: " ")) }
        } else {
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
        }
        out.append(contentsOf: name.utf8)
    }

    private mutating func endLine() {
        if !options.singleLine { out.append(UInt8(ascii: "\n")) }
    }

    private mutating func open(_ name: String) {
        startLine(name)
        out.append(contentsOf: " {".utf8)
        endLine()
        indent += 1
    }

    private mutating func close() {
        indent -= 1
        if options.singleLine {
            out.append(contentsOf: " }".utf8)
        } else {
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
            out.append(UInt8(ascii: "}"))
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// The name a field prints under: a group's type name, an extension's bracketed name.
    private static func printedName(_ field: FieldSchema) -> String {
        if field.name.hasPrefix("[") { return field.name }
        if field.isGroupSyntax, let message = field.message {
            return String(message.fullName.split(separator: ".").last ?? Substring(field.name))
        }
        return field.name
    }

    // MARK: - Values

    /// Prints one entry of `field`: one value, or each element of a packed run.
    private mutating func printValues(
        _ field: FieldSchema,
        _ entry: Entry,
        _ bytes: UnsafeRawBufferPointer
    ) throws(TextFormatEncodingError) {
        if let message = field.message {
            try printMessageField(field, message, Self.slice(bytes, entry))
            return
        }
        if entry.wireType == .lengthDelimited && field.type != .string && field.type != .bytes {
            var reader = WireReader(Self.slice(bytes, entry), options: DecodingOptions())
            do throws(DecodingError) {
                while !reader.isAtEnd {
                    var element = entry
                    switch field.type {
                    case .fixed32, .sfixed32, .float:
                        element.wireType = .fixed32
                        element.scalar = UInt64(try reader.readFixed32())
                    case .fixed64, .sfixed64, .double:
                        element.wireType = .fixed64
                        element.scalar = try reader.readFixed64()
                    default:
                        element.wireType = .varint
                        element.scalar = try reader.readVarint()
                    }
                    if let enumSchema = field.enumSchema, enumSchema.isClosed,
                        enumSchema.name(of: Int32(truncatingIfNeeded: element.scalar)) == nil
                    {
                        continue
                    }
                    printScalarLine(field, element, bytes)
                }
            } catch {
                throw TextFormatEncodingError("malformed packed field \(field.name): \(error)")
            }
            return
        }
        printScalarLine(field, entry, bytes)
    }

    private mutating func printMessageField(
        _ field: FieldSchema,
        _ message: MessageSchema,
        _ bytes: UnsafeRawBufferPointer
    ) throws(TextFormatEncodingError) {
        open(Self.printedName(field))
        try printMessage(message, bytes)
        close()
    }

    private mutating func printScalarLine(_ field: FieldSchema, _ entry: Entry, _ bytes: UnsafeRawBufferPointer) {
        startLine(Self.printedName(field))
        out.append(contentsOf: ": ".utf8)
        let value = entry.scalar
        switch field.type {
        case .int32, .sfixed32: appendNumber(Int64(Int32(truncatingIfNeeded: value)))
        case .sint32: appendNumber(Int64(JSONPrinter.zigzag32(value)))
        case .uint32, .fixed32: appendNumber(UInt64(UInt32(truncatingIfNeeded: value)))
        case .int64, .sfixed64: appendNumber(Int64(bitPattern: value))
        case .sint64: appendNumber(JSONPrinter.zigzag64(value))
        case .uint64, .fixed64: appendNumber(value)
        case .bool: out.append(contentsOf: (value != 0 ? "true" : "false").utf8)
        case .float:
            let float = Float(bitPattern: UInt32(truncatingIfNeeded: value))
            // Near the largest float, the double's digits: see JSONWriter.append(_: Float).
            appendFloat(Double(float), float.magnitude > 3.4e38 ? Double(float).description : float.description)
        case .double: appendFloat(Double(bitPattern: value), Double(bitPattern: value).description)
        case .enum:
            let number = Int32(truncatingIfNeeded: value)
            if let name = field.enumSchema?.name(of: number) {
                out.append(contentsOf: name.utf8)
            } else {
                appendNumber(Int64(number))
            }
        case .string: appendQuoted(Self.slice(bytes, entry), keepUTF8: true)
        case .bytes: appendQuoted(Self.slice(bytes, entry), keepUTF8: false)
        case .message, .group: break
        }
        endLine()
    }

    private mutating func appendNumber<T: BinaryInteger>(_ value: T) {
        out.append(contentsOf: String(value).utf8)
    }

    private mutating func appendFloat(_ value: Double, _ shortest: String) {
        if value.isNaN {
            out.append(contentsOf: "nan".utf8)
        } else if value.isInfinite {
            out.append(contentsOf: (value < 0 ? "-inf" : "inf").utf8)
        } else {
            out.append(contentsOf: shortest.utf8)
        }
    }

    /// `bytes` in double quotes with C escapes: quotes, backslashes and control characters always;
    /// bytes above 0x7E too unless `keepUTF8` (strings, which are valid UTF-8).
    private mutating func appendQuoted(_ bytes: UnsafeRawBufferPointer, keepUTF8: Bool) {
        out.append(UInt8(ascii: "\""))
        let keep = keepUTF8 && UTF8Validation.isValid(bytes.bindMemory(to: UInt8.self))
        ASCII.appendCEscaped(bytes, keepingNonASCII: keep, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Prints an unknown field by number: varints and fixed values as numbers, lengths as a
    /// message when they parse as one, else as bytes; groups as messages.
    private mutating func printUnknown(_ entry: Entry, _ bytes: UnsafeRawBufferPointer) throws(TextFormatEncodingError)
    {
        let name = String(entry.number)
        switch entry.wireType {
        case .varint:
            startLine(name)
            out.append(contentsOf: ": ".utf8)
            appendNumber(entry.scalar)
            endLine()
        case .fixed32:
            startLine(name)
            out.append(contentsOf: ": 0x".utf8)
            out.append(contentsOf: String(UInt32(truncatingIfNeeded: entry.scalar), radix: 16).utf8)
            endLine()
        case .fixed64:
            startLine(name)
            out.append(contentsOf: ": 0x".utf8)
            out.append(contentsOf: String(entry.scalar, radix: 16).utf8)
            endLine()
        case .lengthDelimited:
            let content = Self.slice(bytes, entry)
            startLine(name)
            out.append(contentsOf: ": ".utf8)
            appendQuoted(content, keepUTF8: false)
            endLine()
        case .startGroup:
            open(name)
            try printMessage(nil, Self.slice(bytes, entry))
            close()
        case .endGroup:
            break
        }
    }

    /// `[type.googleapis.com/pkg.Type] { ... }` for an Any whose type the registry holds; false
    /// (print its two fields instead) otherwise.
    private mutating func printExpandedAny(
        _ schema: MessageSchema,
        _ bytes: UnsafeRawBufferPointer
    ) throws(TextFormatEncodingError) -> Bool {
        let entries = try scan(schema, bytes)
        guard entries.allSatisfy({ $0.field >= 0 }) else { return false }
        var url: String?
        var value: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
        for entry in entries {
            if schema.fields[entry.field].number == 1 {
                url = String(decoding: Self.slice(bytes, entry), as: UTF8.self)
            } else {
                value = Self.slice(bytes, entry)
            }
        }
        guard let url, let content = options.typeRegistry.schema(forTypeURL: url) else { return false }
        // Only an Any whose content parses is expanded; otherwise its raw fields show what is there.
        do throws(DecodingError) {
            var reader = WireReader(value, options: DecodingOptions())
            while let tag = try reader.nextTag() { try reader.skipField(tag) }
        } catch {
            return false
        }
        open("[\(url)]")
        try printMessage(content, value)
        close()
        return true
    }

    private static func slice(_ bytes: UnsafeRawBufferPointer, _ entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[entry.start..<entry.end])
    }
}
