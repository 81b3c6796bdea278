/// Reads protobuf binary data for generated `decode(from:)` methods.
///
/// A reader is a window over bytes that the runtime keeps alive for the duration of one
/// decode call (``Message/init(serializedBytes:options:)`` and friends create it); it must not
/// be stored. Every read checks bounds first, so malformed input ends in a ``DecodingError``.
public struct WireReader {
    @usableFromInline var position: UnsafePointer<UInt8>
    @usableFromInline var end: UnsafePointer<UInt8>
    /// Where the last tag returned by `nextTag` began, so unknown fields keep their exact bytes.
    @usableFromInline var tagStart: UnsafePointer<UInt8>
    /// How many more levels of messages or groups may be entered.
    @usableFromInline var remainingDepth: Int
    /// The group being read (its field number), or 0 when reading a length-delimited body.
    @usableFromInline var openGroup: Int
    @usableFromInline let discardUnknownFields: Bool
    /// The extensions to check while reading (``DecodingOptions/extensions``).
    @usableFromInline let extensions: ExtensionRegistry
    /// The field whose value is being read (0 between fields), so that an error can name it
    /// without every read site catching and re-throwing: message boundaries do that once.
    @usableFromInline var currentField: Int

    @usableFromInline
    init(_ buffer: UnsafeRawBufferPointer, options: DecodingOptions) {
        // Safe: an empty buffer may have no base address; any valid pointer with a zero-length
        // window is never dereferenced.
        let start = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
            ?? UnsafePointer(bitPattern: 1)!
        self.position = start
        self.end = start + buffer.count
        self.tagStart = start
        self.remainingDepth = options.recursionLimit
        self.openGroup = 0
        self.discardUnknownFields = options.discardUnknownFields
        self.extensions = options.extensions
        self.currentField = 0
    }

    @inlinable
    var remaining: Int { end - position }

    /// Whether every byte of this message (or group) has been read.
    @inlinable
    public var isAtEnd: Bool { position == end }

    // MARK: - Tags

    /// Reads the next tag, or returns `nil` at the end of the message (or of the open group).
    @inlinable
    public mutating func nextTag() throws(DecodingError) -> FieldTag? {
        if position == end {
            if _slowPath(openGroup != 0) { throw .truncated("a group has no end tag") }
            return nil
        }
        tagStart = position
        let raw: UInt64
        if position.pointee < 0x80 {
            raw = UInt64(position.pointee)
            position += 1
        } else {
            currentField = 0
            raw = try readVarintSlow()
            // Tags are 32-bit varints: protobuf's C++ and upb parsers reject longer encodings.
            guard position - tagStart <= 5 else {
                throw DecodingError(.invalidFieldNumber, detail: "tag encoded in \(position - tagStart) bytes, more than 5")
            }
        }
        // Fast path: a 32-bit tag with a nonzero field number and a value-carrying wire type.
        let wireBits = UInt8(truncatingIfNeeded: raw & 7)
        if _fastPath(raw <= UInt64(UInt32.max) && raw >= 8 && wireBits != WireType.endGroup.rawValue && wireBits < 6),
           let wireType = WireType(rawValue: wireBits)
        {
            currentField = Int(truncatingIfNeeded: raw >> 3)
            return FieldTag(fieldNumber: currentField, wireType: wireType)
        }
        return try endOfGroupOrInvalidTag(raw)
    }

    /// The rare cases of `nextTag`: an end-group tag (valid only for the open group) or an invalid tag.
    @usableFromInline
    mutating func endOfGroupOrInvalidTag(_ raw: UInt64) throws(DecodingError) -> FieldTag? {
        currentField = 0
        guard raw <= UInt64(UInt32.max) else {
            throw DecodingError(.invalidFieldNumber, detail: "tag value \(raw) exceeds 32 bits")
        }
        let fieldNumber = Int(truncatingIfNeeded: raw >> 3)
        guard let wireType = WireType(rawValue: UInt8(truncatingIfNeeded: raw & 7)) else {
            throw DecodingError(.invalidWireType, detail: "wire type \(raw & 7) for field \(fieldNumber)")
        }
        guard fieldNumber > 0 else {
            throw DecodingError(.invalidFieldNumber, detail: "field number 0")
        }
        guard wireType == .endGroup, fieldNumber == openGroup else {
            throw DecodingError(.unmatchedEndGroup, detail: "end of group \(fieldNumber) while \(openGroup == 0 ? "no group is open" : "group \(openGroup) is open")")
        }
        openGroup = 0
        return nil
    }

    // MARK: - Primitives

    /// Reads a varint (no tag): up to ten bytes, an overlong or truncated one is an error.
    @inlinable
    @inline(__always)
    public mutating func readVarint() throws(DecodingError) -> UInt64 {
        if _fastPath(position < end) {
            let first = position.pointee
            if first < 0x80 {
                position += 1
                return UInt64(first)
            }
            if _fastPath(end - position >= 10) { return try readMultiByteVarint() }
        }
        return try readVarintSlow()
    }

    /// Reads a varint of two or more bytes when ten bytes (the longest varint) remain, so no
    /// byte needs its own bounds check. (A word-at-a-time variant that packs the 7-bit groups
    /// with shifts and masks measured ~15% slower on the numeric benchmark, whose varints are
    /// mostly nine or ten bytes, or one or two.)
    @inlinable
    mutating func readMultiByteVarint() throws(DecodingError) -> UInt64 {
        var p = position
        var value = UInt64(p.pointee & 0x7F)
        p += 1
        var shift: UInt64 = 7
        while true {
            let byte = p.pointee
            p += 1
            value |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 {
                position = p
                return value
            }
            shift &+= 7
            if _slowPath(shift >= 70) { throw Self.overlongVarint() }
        }
    }

    @usableFromInline
    static func overlongVarint() -> DecodingError {
        DecodingError(.malformedVarint, detail: "varint longer than 10 bytes")
    }

    /// Reads a varint near the end of the window, checking every byte.
    @usableFromInline
    mutating func readVarintSlow() throws(DecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var p = position
        while shift < 70 {
            guard p < end else { throw DecodingError(.truncated, detail: "varint runs past the end") }
            let byte = p.pointee
            p += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                position = p
                return value
            }
            shift += 7
        }
        throw Self.overlongVarint()
    }

    /// Reads four little-endian bytes (no tag).
    @inlinable
    public mutating func readFixed32() throws(DecodingError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated("fixed32 needs 4 bytes") }
        let value = UnsafeRawPointer(position).loadUnaligned(as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    /// Reads eight little-endian bytes (no tag).
    @inlinable
    public mutating func readFixed64() throws(DecodingError) -> UInt64 {
        guard remaining >= 8 else { throw .truncated("fixed64 needs 8 bytes") }
        let value = UnsafeRawPointer(position).loadUnaligned(as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }

    /// Reads a length prefix and checks that so many bytes remain. Like protobuf's C++ and upb
    /// parsers, it takes at most 5 bytes (lengths are below 2 GiB), however the value is padded.
    @inlinable
    public mutating func readLength() throws(DecodingError) -> Int {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(remaining) else {
            throw .lengthOutOfBounds(length, remaining: remaining)
        }
        if _slowPath(position - start > 5) {
            throw DecodingError(.malformedVarint, detail: "length prefix of \(position - start) bytes, more than 5")
        }
        return Int(truncatingIfNeeded: length)
    }

    /// Reads a length-prefixed UTF-8 string (no tag).
    ///
    /// Deliberately not inlinable: validation and allocation dominate its cost, and inlining the
    /// string construction into every generated string field grew object code for nothing.
    public mutating func readStringValue() throws(DecodingError) -> String {
        let length = try readLength()
        let bytes = UnsafeBufferPointer(start: position, count: length)
        position += length
        return try Self.validatedString(bytes)
    }

    /// The string whose UTF-8 encoding is `bytes`, which protobuf requires to be well-formed.
    @usableFromInline
    static func validatedString(_ bytes: UnsafeBufferPointer<UInt8>) throws(DecodingError) -> String {
        #if compiler(>=6.2)
        if #available(macOS 26, iOS 26, watchOS 26, tvOS 26, visionOS 26, *) {
            // One validating pass, and the string is built without validating again.
            do throws(UTF8.ValidationError) {
                return String(copying: try UTF8Span(validating: bytes.span))
            } catch {
                throw .invalidUTF8()
            }
        }
        #endif
        guard UTF8Validation.isValid(bytes) else { throw .invalidUTF8() }
        // Valid input: `decoding` has nothing to repair.
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a length-prefixed byte string (no tag). Not inlinable, like ``readStringValue()``.
    public mutating func readBytesValue() throws(DecodingError) -> [UInt8] {
        let length = try readLength()
        let bytes = Array(UnsafeBufferPointer(start: position, count: length))
        position += length
        return bytes
    }

    /// Reads a length-prefixed message body (no tag), merging into `message`.
    @inlinable
    public mutating func readMessageValue<M: Message>(into message: inout M) throws(DecodingError) {
        let length = try readLength()
        guard remainingDepth > 0 else { throw .recursionLimit() }
        try readMessageBody(length: length, into: &message)
    }

    /// Reads a message body of `length` bytes (already checked to remain), merging into `message`.
    @inlinable
    mutating func readMessageBody<M: Message>(length: Int, into message: inout M) throws(DecodingError) {
        let savedEnd = end
        let savedGroup = openGroup
        end = position + length
        openGroup = 0
        remainingDepth -= 1
        currentField = 0
        try message.decode(from: &self)
        remainingDepth += 1
        openGroup = savedGroup
        end = savedEnd
    }

    /// `error`, raised inside the body of field `field`, as seen from outside that body: the
    /// inner field being read (if the error did not name one yet) and then `field` join its path.
    @usableFromInline @inline(never)
    func enclosing(_ error: DecodingError, inField field: Int) -> DecodingError {
        var error = error
        if error.fieldPath.isEmpty && currentField != 0 { error.fieldPath = [currentField] }
        error.fieldPath.insert(field, at: 0)
        return error
    }

    /// `error` as seen from the top-level message: it names the field being read if it did not
    /// name one yet.
    @usableFromInline @inline(never)
    func atTopLevel(_ error: DecodingError) -> DecodingError {
        var error = error
        if error.fieldPath.isEmpty && currentField != 0 { error.fieldPath = [currentField] }
        return error
    }

    // MARK: - Checks

    /// Throws unless `tag` has the wire type the field's declaration implies.
    @inlinable
    @inline(__always)
    public func expect(_ tag: FieldTag, _ wireType: WireType) throws(DecodingError) {
        if _slowPath(tag.wireType != wireType) {
            throw .wrongWireType(expected: wireType, found: tag.wireType)
        }
    }
}

// MARK: - Fields

extension WireReader {
    /// Reads a singular field of any type.
    @inlinable
    public mutating func read<T: WireField>(_ type: T.Type, _ tag: FieldTag) throws(DecodingError) -> T.Value {
        try expect(tag, T.wireType)
        return try T.read(from: &self)
    }

    /// Reads an `int32` field whose tag was just read (the wire type is checked).
    public mutating func readInt32(_ tag: FieldTag) throws(DecodingError) -> Int32 { try read(FieldType.Int32.self, tag) }
    /// Reads an `int64` field whose tag was just read (the wire type is checked).
    public mutating func readInt64(_ tag: FieldTag) throws(DecodingError) -> Int64 { try read(FieldType.Int64.self, tag) }
    /// Reads a `uint32` field whose tag was just read (the wire type is checked).
    public mutating func readUInt32(_ tag: FieldTag) throws(DecodingError) -> UInt32 { try read(FieldType.UInt32.self, tag) }
    /// Reads a `uint64` field whose tag was just read (the wire type is checked).
    public mutating func readUInt64(_ tag: FieldTag) throws(DecodingError) -> UInt64 { try read(FieldType.UInt64.self, tag) }
    /// Reads a `sint32` (zigzag) field whose tag was just read (the wire type is checked).
    public mutating func readSInt32(_ tag: FieldTag) throws(DecodingError) -> Int32 { try read(FieldType.SInt32.self, tag) }
    /// Reads a `sint64` (zigzag) field whose tag was just read (the wire type is checked).
    public mutating func readSInt64(_ tag: FieldTag) throws(DecodingError) -> Int64 { try read(FieldType.SInt64.self, tag) }
    /// Reads a `fixed32` field whose tag was just read (the wire type is checked).
    public mutating func readFixed32(_ tag: FieldTag) throws(DecodingError) -> UInt32 { try read(FieldType.Fixed32.self, tag) }
    /// Reads a `fixed64` field whose tag was just read (the wire type is checked).
    public mutating func readFixed64(_ tag: FieldTag) throws(DecodingError) -> UInt64 { try read(FieldType.Fixed64.self, tag) }
    /// Reads an `sfixed32` field whose tag was just read (the wire type is checked).
    public mutating func readSFixed32(_ tag: FieldTag) throws(DecodingError) -> Int32 { try read(FieldType.SFixed32.self, tag) }
    /// Reads an `sfixed64` field whose tag was just read (the wire type is checked).
    public mutating func readSFixed64(_ tag: FieldTag) throws(DecodingError) -> Int64 { try read(FieldType.SFixed64.self, tag) }
    /// Reads a `float` field whose tag was just read (the wire type is checked).
    public mutating func readFloat(_ tag: FieldTag) throws(DecodingError) -> Float { try read(FieldType.Float.self, tag) }
    /// Reads a `double` field whose tag was just read (the wire type is checked).
    public mutating func readDouble(_ tag: FieldTag) throws(DecodingError) -> Double { try read(FieldType.Double.self, tag) }
    /// Reads a `bool` field whose tag was just read (the wire type is checked).
    public mutating func readBool(_ tag: FieldTag) throws(DecodingError) -> Bool { try read(FieldType.Bool.self, tag) }
    /// Reads a `string` (UTF-8 checked) field whose tag was just read (the wire type is checked).
    @inlinable public mutating func readString(_ tag: FieldTag) throws(DecodingError) -> String { try read(FieldType.String.self, tag) }
    /// Reads a `bytes` value field whose tag was just read (the wire type is checked).
    @inlinable public mutating func readBytes(_ tag: FieldTag) throws(DecodingError) -> [UInt8] { try read(FieldType.Bytes.self, tag) }

    /// Reads an open (proto3) enum: numbers without a case are kept in the enum's `unrecognized` case.
    @inlinable
    public mutating func readEnum<E: ProtoEnum>(_ type: E.Type, _ tag: FieldTag) throws(DecodingError) -> E {
        try read(FieldType.Enum<E>.self, tag)
    }

    /// Reads a closed (proto2) enum. A number without a case is not a value of the field:
    /// the whole field goes to `unknownFields` (as protobuf requires) and `nil` is returned.
    @inlinable
    public mutating func readClosedEnum<E: ProtoEnum>(
        _ type: E.Type, _ tag: FieldTag, unknownFields: inout UnknownFields
    ) throws(DecodingError) -> E? {
        try expect(tag, .varint)
        let raw = Int32(truncatingIfNeeded: try readVarint())
        if let value = E(rawValue: raw) { return value }
        if !discardUnknownFields { unknownFields.append(rawField: UnsafeBufferPointer(start: tagStart, count: position - tagStart)) }
        return nil
    }

    /// Reads a repeated closed enum (packed or not); unrecognized numbers go to `unknownFields`,
    /// re-encoded one per field as protobuf's runtimes do.
    @inlinable
    public mutating func readRepeatedClosedEnum<E: ProtoEnum>(
        _ type: E.Type, _ tag: FieldTag, into values: inout [E], unknownFields: inout UnknownFields
    ) throws(DecodingError) {
        if tag.wireType == .lengthDelimited {
            let length = try readLength()
            let savedEnd = end
            end = position + length
            while position < end {
                let raw = try readVarint()
                if let value = E(rawValue: Int32(truncatingIfNeeded: raw)) {
                    values.append(value)
                } else if !discardUnknownFields {
                    unknownFields.append(varint: raw, field: tag.fieldNumber)
                }
            }
            end = savedEnd
        } else if let value = try readClosedEnum(type, tag, unknownFields: &unknownFields) {
            values.append(value)
        }
    }

    /// Reads one element of a repeated field, or a whole packed run of them.
    @inlinable
    public mutating func readRepeated<T: PackableWireField>(
        _ type: T.Type, _ tag: FieldTag, into values: inout [T.Value]
    ) throws(DecodingError) {
        guard tag.wireType == .lengthDelimited else {
            values.append(try read(type, tag))
            return
        }
        let length = try readLength()
        let run: [T.Value]
        if let width = Self.memoryMatchesWire(T.self) {
            run = try readPackedRaw(T.self, length: length, width: width)
        } else {
            run = try readPackedElements(T.self, length: length)
        }
        if values.isEmpty { values = run } else { values.append(contentsOf: run) }
    }

    /// The element width of the fixed-width field types whose in-memory values are their wire
    /// bytes on this (little-endian) machine, so a packed run of them is one copy; `nil` otherwise.
    @inlinable
    @inline(__always)
    static func memoryMatchesWire<T: PackableWireField>(_ type: T.Type) -> Int? {
        #if _endian(little)
        if T.self == FieldType.Double.self || T.self == FieldType.Fixed64.self || T.self == FieldType.SFixed64.self {
            return 8
        }
        if T.self == FieldType.Float.self || T.self == FieldType.Fixed32.self || T.self == FieldType.SFixed32.self {
            return 4
        }
        #endif
        return nil
    }

    /// A packed run of fixed-width values, copied in one piece.
    @inlinable
    mutating func readPackedRaw<T: PackableWireField>(
        _ type: T.Type, length: Int, width: Int
    ) throws(DecodingError) -> [T.Value] {
        guard length % width == 0 else {
            throw .truncated("a packed run's length is not a multiple of its element size")
        }
        let count = length / width
        let source = UnsafeRawPointer(position)
        position += length
        return [T.Value](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Safe: `memoryMatchesWire` admits only trivial 4- and 8-byte values, and the
            // buffer has room for `count` of them; `length` bytes lie inside the window.
            if let base = buffer.baseAddress {
                UnsafeMutableRawPointer(base).copyMemory(from: source, byteCount: length)
            }
            initialized = count
        }
    }

    /// A packed run of varints (or, generally, of elements read one by one), stored straight
    /// into an array sized by counting the varints' last bytes first.
    @inlinable
    mutating func readPackedElements<T: PackableWireField>(
        _ type: T.Type, length: Int
    ) throws(DecodingError) -> [T.Value] {
        let savedEnd = end
        end = position + length
        defer { end = savedEnd }
        var capacity = 0
        switch T.wireType {
        case .varint:
            // Every varint ends in exactly one byte below 0x80.
            var p = position
            while p < end {
                capacity &+= p.pointee < 0x80 ? 1 : 0
                p += 1
            }
        case .fixed32: capacity = length / 4
        case .fixed64: capacity = length / 8
        default: capacity = 0
        }
        var failure: DecodingError?
        var run = [T.Value](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            var i = 0
            while i < capacity, position < end {
                do throws(DecodingError) {
                    buffer.initializeElement(at: i, to: try T.read(from: &self))
                } catch {
                    failure = error
                    break
                }
                i &+= 1
            }
            initialized = i
        }
        if let failure { throw failure }
        // Only a malformed run leaves bytes over (a last varint without its final byte).
        while position < end { run.append(try T.read(from: &self)) }
        return run
    }

    /// Reads one element of a repeated string, bytes or message field.
    @inlinable
    public mutating func readRepeated<T: WireField>(
        _ type: T.Type, _ tag: FieldTag, into values: inout [T.Value]
    ) throws(DecodingError) {
        values.append(try read(type, tag))
    }

    /// Reads a message field, merging into `message` as protobuf requires of repeated occurrences.
    @inlinable
    public mutating func readMessage<M: Message>(_ tag: FieldTag, into message: inout M) throws(DecodingError) {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        guard remainingDepth > 0 else { throw .recursionLimit() }
        do throws(DecodingError) {
            try readMessageBody(length: length, into: &message)
        } catch {
            throw enclosing(error, inField: tag.fieldNumber)
        }
    }

    /// Reads an optional message field: an absent value starts from the empty message.
    @inlinable
    public mutating func readMessage<M: Message>(_ tag: FieldTag, into message: inout M?) throws(DecodingError) {
        var value = message.take() ?? M()
        try readMessage(tag, into: &value)
        message = value
    }

    /// Reads a group (proto2) whose start tag was `tag`, merging into `message`.
    @inlinable
    public mutating func readGroup<M: Message>(_ tag: FieldTag, into message: inout M) throws(DecodingError) {
        try expect(tag, .startGroup)
        guard remainingDepth > 0 else { throw .recursionLimit(field: tag.fieldNumber) }
        let savedGroup = openGroup
        openGroup = tag.fieldNumber
        remainingDepth -= 1
        currentField = 0
        do throws(DecodingError) { try message.decode(from: &self) } catch { throw enclosing(error, inField: tag.fieldNumber) }
        // `decode` returns only after `nextTag` consumed the matching end tag (it resets openGroup).
        remainingDepth += 1
        openGroup = savedGroup
    }

    /// Reads an optional group field.
    @inlinable
    public mutating func readGroup<M: Message>(_ tag: FieldTag, into message: inout M?) throws(DecodingError) {
        var value = message.take() ?? M()
        try readGroup(tag, into: &value)
        message = value
    }

    /// Reads one map entry and stores it; a missing key or value takes its type's default, and
    /// fields of the entry other than a well-typed key and value are skipped.
    @inlinable
    public mutating func readMapEntry<K: MapKeyWireField, V: WireField>(
        _ key: K.Type, _ value: V.Type, _ tag: FieldTag, into map: inout [K.Value: V.Value]
    ) throws(DecodingError) where K.Value: Hashable {
        try expect(tag, .lengthDelimited)
        let length = try readLength()
        guard remainingDepth > 0 else { throw .recursionLimit() }
        do throws(DecodingError) {
            let savedEnd = end
            let savedGroup = openGroup
            end = position + length
            openGroup = 0
            remainingDepth -= 1
            var k = K.defaultValue
            var v = V.defaultValue
            while let entryTag = try nextTag() {
                // An entry is a message of its own: a key or value with another wire type is one
                // of its unknown fields, which protobuf's runtimes drop with the rest of them.
                switch (entryTag.fieldNumber, entryTag.wireType) {
                case (1, K.wireType): k = try K.read(from: &self)
                case (2, V.wireType): try V.merge(from: &self, into: &v)
                default: try skipField(entryTag)
                }
            }
            remainingDepth += 1
            openGroup = savedGroup
            end = savedEnd
            map[k] = v
        } catch {
            throw enclosing(error, inField: tag.fieldNumber)
        }
    }

    // MARK: - Unknown fields

    /// Skips the field whose tag was just read, keeping its bytes in `unknownFields`
    /// (unless the options discard unknown fields).
    @inlinable
    public mutating func skip(_ tag: FieldTag, into unknownFields: inout UnknownFields) throws(DecodingError) {
        let start = tagStart
        try skipField(tag)
        if !discardUnknownFields {
            unknownFields.append(rawField: UnsafeBufferPointer(start: start, count: position - start))
        }
    }

    /// Skips a field numbered in the message's extension ranges, keeping its bytes in
    /// `unknownFields` even when the options discard unknown fields: extensions are read from
    /// there (``Message/subscript(extension:)``), so discarding them would lose set values.
    /// When `message` (the reading message's full name) has a registered extension of this
    /// number, its value is checked first (see ``ExtensionRegistry``).
    @inlinable
    public mutating func skipExtension(_ tag: FieldTag, of message: String, into unknownFields: inout UnknownFields) throws(DecodingError) {
        if _slowPath(!extensions.isEmpty) { try extensions.check(self, tag, message: message) }
        let start = tagStart
        try skipField(tag)
        unknownFields.append(rawField: UnsafeBufferPointer(start: start, count: position - start))
    }

    /// Moves past the value of the field whose tag was just read.
    @usableFromInline
    mutating func skipField(_ tag: FieldTag) throws(DecodingError) {
        switch tag.wireType {
        case .varint: _ = try readVarint()
        case .fixed64:
            guard remaining >= 8 else { throw .truncated("value runs past the end", field: tag.fieldNumber) }
            position += 8
        case .fixed32:
            guard remaining >= 4 else { throw .truncated("value runs past the end", field: tag.fieldNumber) }
            position += 4
        case .lengthDelimited:
            let length = try readLength()
            position += length
        case .startGroup:
            guard remainingDepth > 0 else { throw .recursionLimit(field: tag.fieldNumber) }
            let savedGroup = openGroup
            openGroup = tag.fieldNumber
            remainingDepth -= 1
            while let inner = try nextTag() { try skipField(inner) }
            remainingDepth += 1
            openGroup = savedGroup
        case .endGroup:
            throw DecodingError(.unmatchedEndGroup, fieldPath: [tag.fieldNumber])
        }
    }
}

extension WireReader {
    /// Reads one entry of a map whose values are a closed (proto2) enum. An entry whose value has
    /// no case is not stored: the whole entry goes to `unknownFields`, as protobuf requires.
    @inlinable
    public mutating func readMapEntry<K: MapKeyWireField, E: ProtoEnum>(
        _ key: K.Type, closedEnum: E.Type, _ tag: FieldTag, into map: inout [K.Value: E],
        unknownFields: inout UnknownFields
    ) throws(DecodingError) where K.Value: Hashable {
        let entryStart = tagStart
        // Decode the entry with the value as a plain number, then check it against the enum.
        var entry: [K.Value: Swift.Int32] = [:]
        try readMapEntry(K.self, FieldType.Int32.self, tag, into: &entry)
        guard let (key, number) = entry.first else { return }
        if let value = E(rawValue: number) {
            map[key] = value
        } else if !discardUnknownFields {
            unknownFields.append(rawField: UnsafeBufferPointer(start: entryStart, count: position - entryStart))
        }
    }
}
