/// Writes a message's binary encoding as protobuf JSON, reading it through the message's schema.
///
/// The binary encoding is walked once per message: each known field's value is noted (unknown
/// fields are not part of JSON), the notes are grouped by field, and each field is printed with
/// protobuf's merge rules (the last value of a singular field wins, occurrences of a message
/// field merge, the last member of a oneof wins). Generated encoders write every field once and
/// in order, so grouping is a check that finds nothing to do.
struct JSONPrinter {
    /// One field value found in the binary input.
    struct Entry {
        /// Index into the message schema's fields.
        var field: Int32
        var wireType: WireType
        /// Where the value starts (for lengths: after the length prefix), from the input's start;
        /// also the order in which values came.
        var start: Int32
        /// For length-delimited values and groups, where the value ends; otherwise the value.
        var end: Int32
        var scalar: UInt64
    }

    var out: JSONWriter
    let options: JSONEncodingOptions
    /// Every message level's entries, one after another; each level removes its own when done.
    private var entries: [Entry] = []
    /// Extensions met so far (see ``ExtensionFields``).
    private var extensionFields = ExtensionFields()
    private var remainingDepth: Int

    init(options: JSONEncodingOptions, capacity: Int) {
        self.options = options
        self.out = JSONWriter(capacity: capacity)
        self.remainingDepth = options.recursionLimit
    }

    // MARK: - Messages

    /// Prints the message whose binary encoding is `bytes`.
    mutating func printMessage(_ schema: MessageSchema, _ bytes: UnsafeRawBufferPointer) throws(JSONEncodingError) {
        guard remainingDepth > 0 else {
            throw JSONEncodingError(.recursionLimitExceeded, "messages nest deeper than \(options.recursionLimit)")
        }
        remainingDepth -= 1
        defer { remainingDepth += 1 }
        if let wellKnown = schema.wellKnown {
            try printWellKnown(wellKnown, schema, bytes)
            return
        }
        out.append(UInt8(ascii: "{"))
        var first = true
        try printFields(schema, bytes, first: &first)
        out.append(UInt8(ascii: "}"))
    }

    /// Prints `"name":value` for each field of the message in `bytes`, with commas, without braces.
    mutating func printFields(
        _ schema: MessageSchema,
        _ bytes: UnsafeRawBufferPointer,
        first: inout Bool
    ) throws(JSONEncodingError) {
        let base = entries.count
        defer { entries.removeSubrange(base...) }
        try scan(schema, bytes)
        let end = entries.count
        if !isOrdered(base, end) {
            entries[base..<end].sort { ($0.field, $0.start) < ($1.field, $1.start) }
        }

        var fieldIndex = 0
        var position = base
        while position < end || (options.alwaysPrintFieldsWithoutPresence && fieldIndex < schema.fields.count) {
            let nextPresent = position < end ? Int(entries[position].field) : schema.fields.count
            if options.alwaysPrintFieldsWithoutPresence {
                while fieldIndex < min(nextPresent, schema.fields.count) {
                    try printDefault(schema.fields[fieldIndex], first: &first)
                    fieldIndex += 1
                }
            }
            guard position < end else { break }
            var groupEnd = position + 1
            while groupEnd < end, entries[groupEnd].field == entries[position].field { groupEnd += 1 }
            let field = self.field(schema, nextPresent)
            fieldIndex = nextPresent + 1
            defer { position = groupEnd }
            if let oneof = field.oneofIndex, !isLastOneofMember(schema, oneof, entries[groupEnd - 1].start, base, end) {
                continue
            }
            if !field.isRepeated && !field.hasPresence && isDefault(field, entries[groupEnd - 1]) {
                if options.alwaysPrintFieldsWithoutPresence { try printDefault(field, first: &first) }
                continue
            }
            writeKey(field, first: &first)
            do throws(JSONEncodingError) {
                if field.isMap {
                    try printMap(field, bytes, position..<groupEnd)
                } else if field.isRepeated {
                    try printList(field, bytes, position..<groupEnd)
                } else {
                    try printSingular(field, bytes, position..<groupEnd)
                }
            } catch {
                throw error.inside(options.useProtoFieldNames ? field.name : field.jsonName)
            }
        }
    }

    /// Notes every known field of `bytes` in `entries`. Returns whether a value of a closed enum
    /// was left out because the enum has no such number: the generated decoder keeps those as
    /// unknown fields, so JSON does not show them either.
    @discardableResult
    private mutating func scan(
        _ schema: MessageSchema,
        _ bytes: UnsafeRawBufferPointer
    ) throws(JSONEncodingError) -> Bool {
        var droppedClosedEnumValue = false
        var reader = WireReader(bytes, options: DecodingOptions())
        // Safe: the reader's pointers come from `bytes`, which outlives this call.
        let origin = UnsafePointer<UInt8>(reader.position)
        do throws(DecodingError) {
            while let tag = try reader.nextTag() {
                guard
                    let index = schema.fieldIndex(number: Int32(truncatingIfNeeded: tag.fieldNumber))
                        ?? extensionFields.index(schema, number: tag.fieldNumber),
                    field(schema, index).accepts(tag.wireType)
                else {
                    try reader.skipField(tag)
                    continue
                }
                // `start` orders values as they came (the last of a oneof wins), whatever their type.
                var entry = Entry(
                    field: Int32(index),
                    wireType: tag.wireType,
                    start: Int32(reader.position - origin),
                    end: 0,
                    scalar: 0
                )
                switch tag.wireType {
                case .varint:
                    entry.scalar = try reader.readVarint()
                    if let enumSchema = field(schema, index).enumSchema, enumSchema.isClosed,
                        enumSchema.name(of: Int32(truncatingIfNeeded: entry.scalar)) == nil
                    {
                        droppedClosedEnumValue = true
                        continue
                    }
                case .fixed32: entry.scalar = UInt64(try reader.readFixed32())
                case .fixed64: entry.scalar = try reader.readFixed64()
                case .lengthDelimited:
                    let length = try reader.readLength()
                    entry.start = Int32(reader.position - origin)
                    reader.position += length
                    entry.end = Int32(reader.position - origin)
                case .startGroup:
                    entry.start = Int32(reader.position - origin)
                    try reader.skipField(tag)
                    entry.end =
                        Int32(reader.position - origin) - Int32(Self.varintSize(UInt64(tag.fieldNumber) << 3 | 4))
                case .endGroup:
                    throw DecodingError(.unmatchedEndGroup, fieldPath: [tag.fieldNumber])
                }
                entries.append(entry)
            }
        } catch {
            throw JSONEncodingError(.malformedBinary, "\(error)")
        }
        return droppedClosedEnumValue
    }

    private func isOrdered(_ start: Int, _ end: Int) -> Bool {
        var index = start + 1
        while index < end {
            if entries[index].field < entries[index - 1].field { return false }
            index += 1
        }
        return true
    }

    /// Whether the value at `start` is the last, on the wire, of any member of oneof `oneof`:
    /// only that member is set.
    private func isLastOneofMember(
        _ schema: MessageSchema,
        _ oneof: Int,
        _ start: Int32,
        _ base: Int,
        _ end: Int
    ) -> Bool {
        for entry in entries[base..<end]
        where entry.start > start && field(schema, Int(entry.field)).oneofIndex == oneof {
            return false
        }
        return true
    }

    private func isDefault(_ field: FieldSchema, _ entry: Entry) -> Bool {
        switch entry.wireType {
        case .lengthDelimited: entry.start == entry.end
        default: entry.scalar == 0
        }
    }

    private mutating func writeKey(_ field: FieldSchema, first: inout Bool) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(raw: options.useProtoFieldNames ? field.protoKey : field.jsonKey)
    }

    // MARK: - Field values

    private mutating func printSingular(
        _ field: FieldSchema,
        _ bytes: UnsafeRawBufferPointer,
        _ group: Range<Int>
    ) throws(JSONEncodingError) {
        let last = entries[group.upperBound - 1]
        guard let message = field.message else {
            try printScalarValue(field, last, bytes)
            return
        }
        if group.count == 1 {
            try printMessage(message, Self.slice(bytes, last))
            return
        }
        // Occurrences of a message field merge, and concatenated encodings merge the same way.
        var merged: [UInt8] = []
        for index in group { merged.append(contentsOf: Self.slice(bytes, entries[index])) }
        try merged.withUnsafeBytesTyped { (buffer) throws(JSONEncodingError) in try printMessage(message, buffer) }
    }

    private mutating func printList(
        _ field: FieldSchema,
        _ bytes: UnsafeRawBufferPointer,
        _ group: Range<Int>
    ) throws(JSONEncodingError) {
        out.append(UInt8(ascii: "["))
        var count = 0
        for index in group {
            let entry = entries[index]
            if entry.wireType == .lengthDelimited && field.isPackable {
                try printPacked(field, Self.slice(bytes, entry), count: &count)
                continue
            }
            if count > 0 { out.append(UInt8(ascii: ",")) }
            do throws(JSONEncodingError) {
                if let message = field.message {
                    try printMessage(message, Self.slice(bytes, entry))
                } else {
                    try printScalarValue(field, entry, bytes)
                }
            } catch {
                throw error.inside("[\(count)]")
            }
            count += 1
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Prints the elements of one packed run.
    private mutating func printPacked(
        _ field: FieldSchema,
        _ bytes: UnsafeRawBufferPointer,
        count: inout Int
    ) throws(JSONEncodingError) {
        var reader = WireReader(bytes, options: DecodingOptions())
        while !reader.isAtEnd {
            var entry = Entry(field: 0, wireType: .varint, start: 0, end: 0, scalar: 0)
            do throws(DecodingError) {
                switch field.type {
                case .fixed32, .sfixed32, .float:
                    entry.wireType = .fixed32
                    entry.scalar = UInt64(try reader.readFixed32())
                case .fixed64, .sfixed64, .double:
                    entry.wireType = .fixed64
                    entry.scalar = try reader.readFixed64()
                default:
                    entry.scalar = try reader.readVarint()
                }
            } catch {
                throw JSONEncodingError(.malformedBinary, "packed field: \(error)")
            }
            if let enumSchema = field.enumSchema, enumSchema.isClosed,
                enumSchema.name(of: Int32(truncatingIfNeeded: entry.scalar)) == nil
            {
                continue  // kept as an unknown field by the generated decoder
            }
            if count > 0 { out.append(UInt8(ascii: ",")) }
            try printScalarValue(field, entry, bytes)
            count += 1
        }
    }

    private mutating func printMap(
        _ field: FieldSchema,
        _ bytes: UnsafeRawBufferPointer,
        _ group: Range<Int>
    ) throws(JSONEncodingError) {
        guard let entrySchema = field.message, entrySchema.fields.count == 2 else {
            throw JSONEncodingError(.malformedBinary, "map entry type of \(field.name) is not key and value")
        }
        let keyField = entrySchema.fields[0]
        let valueField = entrySchema.fields[1]
        // Split every entry into its key and value first: a key may repeat, and the last wins.
        var pairs: [(key: Entry?, value: Entry?, source: UnsafeRawBufferPointer)] = []
        pairs.reserveCapacity(group.count)
        for index in group {
            let body = Self.slice(bytes, entries[index])
            let base = entries.count
            if try scan(entrySchema, body) {
                // A closed enum value the enum lacks: the whole entry is an unknown field.
                entries.removeSubrange(base...)
                continue
            }
            var key: Entry?
            var value: Entry?
            for inner in entries[base...] {
                if inner.field == 0 { key = inner } else { value = inner }
            }
            entries.removeSubrange(base...)
            pairs.append((key, value, body))
        }
        if pairs.count > 1, Self.mayRepeatKeys(pairs, keyField) { pairs = Self.lastPerKey(pairs, keyField) }

        out.append(UInt8(ascii: "{"))
        for (position, pair) in pairs.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            let keyText = try mapKeyText(keyField, pair.key, pair.source)
            out.appendString(keyText)
            out.append(UInt8(ascii: ":"))
            do throws(JSONEncodingError) {
                if let message = valueField.message {
                    try printMessage(
                        message,
                        pair.value.map { Self.slice(pair.source, $0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
                    )
                } else if let value = pair.value {
                    try printScalarValue(valueField, value, pair.source)
                } else {
                    try printDefaultScalar(valueField)
                }
            } catch {
                throw error.inside("[\"\(keyText)\"]")
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Whether two entries may share a key: false when every key's hash differs, which is the
    /// case for every map a generated encoder wrote (keys come from a dictionary).
    private static func mayRepeatKeys(
        _ pairs: [(key: Entry?, value: Entry?, source: UnsafeRawBufferPointer)],
        _ keyField: FieldSchema
    ) -> Bool {
        var hashes: [Int] = []
        hashes.reserveCapacity(pairs.count)
        for pair in pairs {
            var hasher = Hasher()
            if keyField.type == .string {
                hasher.combine(
                    bytes: pair.key.map { slice(pair.source, $0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
                )
            } else {
                hasher.combine(keyValue(pair.key, keyField))
            }
            hashes.append(hasher.finalize())
        }
        hashes.sort()
        return zip(hashes, hashes.dropFirst()).contains { $0 == $1 }
    }

    /// A scalar key as the generated decoder stores it: an absent key is the default, and 32-bit
    /// keys keep only their low 32 bits however the varint was written.
    private static func keyValue(_ key: Entry?, _ keyField: FieldSchema) -> UInt64 {
        guard let key else { return 0 }
        switch keyField.type {
        case .int32, .uint32, .sint32, .fixed32, .sfixed32: return key.scalar & 0xFFFF_FFFF
        case .bool: return key.scalar == 0 ? 0 : 1
        default: return key.scalar
        }
    }

    /// `pairs` with only the last entry of each key, in first-appearance order.
    private static func lastPerKey(
        _ pairs: [(key: Entry?, value: Entry?, source: UnsafeRawBufferPointer)],
        _ keyField: FieldSchema
    ) -> [(key: Entry?, value: Entry?, source: UnsafeRawBufferPointer)] {
        var positions: [[UInt8]: Int] = [:]
        var result: [(key: Entry?, value: Entry?, source: UnsafeRawBufferPointer)] = []
        for pair in pairs {
            var identity: [UInt8] = []
            if keyField.type == .string {
                if let key = pair.key { identity = Array(slice(pair.source, key)) }
            } else {
                withUnsafeBytes(of: keyValue(pair.key, keyField)) { identity = Array($0) }
            }
            if let position = positions[identity] {
                result[position] = pair
            } else {
                positions[identity] = result.count
                result.append(pair)
            }
        }
        return result
    }

    /// A map key as JSON writes it: always a string.
    private func mapKeyText(
        _ field: FieldSchema,
        _ entry: Entry?,
        _ bytes: UnsafeRawBufferPointer
    ) throws(JSONEncodingError) -> String {
        guard let entry else {
            switch field.type {
            case .string: return ""
            case .bool: return "false"
            default: return "0"
            }
        }
        switch field.type {
        case .string:
            let text = Self.slice(bytes, entry)
            guard UTF8Validation.isValid(text.bindMemory(to: UInt8.self)) else {
                throw JSONEncodingError(.malformedBinary, "a map key is not valid UTF-8")
            }
            return String(decoding: text, as: UTF8.self)
        case .bool: return entry.scalar != 0 ? "true" : "false"
        case .int32, .sfixed32: return String(Int32(truncatingIfNeeded: entry.scalar))
        case .sint32: return String(Self.zigzag32(entry.scalar))
        case .uint32, .fixed32: return String(UInt32(truncatingIfNeeded: entry.scalar))
        case .int64, .sfixed64: return String(Int64(bitPattern: entry.scalar))
        case .sint64: return String(Self.zigzag64(entry.scalar))
        default: return String(entry.scalar)
        }
    }

    /// Prints one scalar, string, bytes or enum value.
    mutating func printScalarValue(
        _ field: FieldSchema,
        _ entry: Entry,
        _ bytes: UnsafeRawBufferPointer
    ) throws(JSONEncodingError) {
        let value = entry.scalar
        switch field.type {
        case .int32, .sfixed32: out.append(Int64(Int32(truncatingIfNeeded: value)))
        case .sint32: out.append(Int64(Self.zigzag32(value)))
        case .uint32, .fixed32: out.append(UInt64(UInt32(truncatingIfNeeded: value)))
        case .int64, .sfixed64: out.appendQuoted(Int64(bitPattern: value))
        case .sint64: out.appendQuoted(Self.zigzag64(value))
        case .uint64, .fixed64: out.appendQuoted(value)
        case .bool: out.append(value != 0 ? "true" : "false")
        case .float: out.append(Float(bitPattern: UInt32(truncatingIfNeeded: value)))
        case .double: out.append(Double(bitPattern: value))
        case .enum: printEnum(field.enumSchema, Int32(truncatingIfNeeded: value))
        case .string:
            let text = Self.slice(bytes, entry).bindMemory(to: UInt8.self)
            guard UTF8Validation.isValid(text) else {
                throw JSONEncodingError(.malformedBinary, "a string is not valid UTF-8")
            }
            out.appendString(text)
        case .bytes: out.appendBase64(Self.slice(bytes, entry).bindMemory(to: UInt8.self))
        case .message, .group:
            // Message values are printed by the callers, which know the message schema.
            break
        }
    }

    private mutating func printEnum(_ schema: EnumSchema?, _ number: Int32) {
        if let schema, schema.isNullValue {
            out.append("null")
        } else if !options.enumsAsIntegers, let name = schema?.name(of: number) {
            out.appendString(name)
        } else {
            out.append(Int64(number))
        }
    }

    /// Prints a field that is absent, at its default (only with `alwaysPrintFieldsWithoutPresence`).
    private mutating func printDefault(_ field: FieldSchema, first: inout Bool) throws(JSONEncodingError) {
        guard !field.hasPresence else { return }
        writeKey(field, first: &first)
        if field.isMap {
            out.append("{}")
        } else if field.isRepeated {
            out.append("[]")
        } else {
            try printDefaultScalar(field)
        }
    }

    mutating func printDefaultScalar(_ field: FieldSchema) throws(JSONEncodingError) {
        switch field.type {
        case .int64, .sint64, .sfixed64, .uint64, .fixed64: out.append("\"0\"")
        case .bool: out.append("false")
        case .string, .bytes: out.append("\"\"")
        case .enum: printEnum(field.enumSchema, field.enumSchema?.defaultNumber ?? 0)
        case .message, .group:
            if let message = field.message { try printMessage(message, UnsafeRawBufferPointer(start: nil, count: 0)) }
        default: out.append(UInt8(ascii: "0"))
        }
    }

    // MARK: - Helpers

    @inline(__always)
    private func field(_ schema: MessageSchema, _ index: Int) -> FieldSchema { extensionFields.field(schema, index) }

    static func slice(_ bytes: UnsafeRawBufferPointer, _ entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[Int(entry.start)..<Int(entry.end)])
    }

    static func zigzag32(_ value: UInt64) -> Int32 {
        let raw = UInt32(truncatingIfNeeded: value)
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    static func zigzag64(_ value: UInt64) -> Int64 {
        Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    static func varintSize(_ value: UInt64) -> Int {
        var size = 1
        var rest = value >> 7
        while rest != 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    /// The entries of the message in `bytes` (for the well-known types' printers).
    mutating func withEntries<R>(
        _ schema: MessageSchema,
        _ bytes: UnsafeRawBufferPointer,
        _ body: (inout JSONPrinter, ArraySlice<Entry>) throws(JSONEncodingError) -> R
    ) throws(JSONEncodingError) -> R {
        let base = entries.count
        defer { entries.removeSubrange(base...) }
        try scan(schema, bytes)
        let found = entries[base...]
        return try body(&self, found)
    }

    /// Prints the whole of a repeated or map field `number` of the message in `bytes` (the
    /// well-known types' printers use it for Struct and ListValue).
    mutating func printField(
        number: Int32,
        of schema: MessageSchema,
        _ bytes: UnsafeRawBufferPointer
    ) throws(JSONEncodingError) {
        guard let index = schema.fieldIndex(number: number) else { return }
        let field = schema.fields[index]
        let base = entries.count
        defer { entries.removeSubrange(base...) }
        try scan(schema, bytes)
        var group: [Entry] = entries[base...].filter { $0.field == Int32(index) }
        entries.removeSubrange(base...)
        let start = entries.count
        entries.append(contentsOf: group)
        group = []
        if field.isMap {
            try printMap(field, bytes, start..<entries.count)
        } else {
            try printList(field, bytes, start..<entries.count)
        }
    }
}
