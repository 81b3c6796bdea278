// Field readers for generated decoders: one call per field kind, with the tag checked.

// MARK: - Fields

extension WireReader {
    /// Reads a singular field of any type.
    @inlinable
    public mutating func read<T: WireField>(_ type: T.Type, _ tag: FieldTag) throws(DecodingError) -> T.Value {
        try expect(tag, T.wireType)
        return try T.read(from: &self)
    }

    /// Reads an `int32` field whose tag was just read (the wire type is checked).
    public mutating func readInt32(_ tag: FieldTag) throws(DecodingError) -> Int32 {
        try read(FieldType.Int32.self, tag)
    }
    /// Reads an `int64` field whose tag was just read (the wire type is checked).
    public mutating func readInt64(_ tag: FieldTag) throws(DecodingError) -> Int64 {
        try read(FieldType.Int64.self, tag)
    }
    /// Reads a `uint32` field whose tag was just read (the wire type is checked).
    public mutating func readUInt32(_ tag: FieldTag) throws(DecodingError) -> UInt32 {
        try read(FieldType.UInt32.self, tag)
    }
    /// Reads a `uint64` field whose tag was just read (the wire type is checked).
    public mutating func readUInt64(_ tag: FieldTag) throws(DecodingError) -> UInt64 {
        try read(FieldType.UInt64.self, tag)
    }
    /// Reads a `sint32` (zigzag) field whose tag was just read (the wire type is checked).
    public mutating func readSInt32(_ tag: FieldTag) throws(DecodingError) -> Int32 {
        try read(FieldType.SInt32.self, tag)
    }
    /// Reads a `sint64` (zigzag) field whose tag was just read (the wire type is checked).
    public mutating func readSInt64(_ tag: FieldTag) throws(DecodingError) -> Int64 {
        try read(FieldType.SInt64.self, tag)
    }
    /// Reads a `fixed32` field whose tag was just read (the wire type is checked).
    public mutating func readFixed32(_ tag: FieldTag) throws(DecodingError) -> UInt32 {
        try read(FieldType.Fixed32.self, tag)
    }
    /// Reads a `fixed64` field whose tag was just read (the wire type is checked).
    public mutating func readFixed64(_ tag: FieldTag) throws(DecodingError) -> UInt64 {
        try read(FieldType.Fixed64.self, tag)
    }
    /// Reads an `sfixed32` field whose tag was just read (the wire type is checked).
    public mutating func readSFixed32(_ tag: FieldTag) throws(DecodingError) -> Int32 {
        try read(FieldType.SFixed32.self, tag)
    }
    /// Reads an `sfixed64` field whose tag was just read (the wire type is checked).
    public mutating func readSFixed64(_ tag: FieldTag) throws(DecodingError) -> Int64 {
        try read(FieldType.SFixed64.self, tag)
    }
    /// Reads a `float` field whose tag was just read (the wire type is checked).
    public mutating func readFloat(_ tag: FieldTag) throws(DecodingError) -> Float {
        try read(FieldType.Float.self, tag)
    }
    /// Reads a `double` field whose tag was just read (the wire type is checked).
    public mutating func readDouble(_ tag: FieldTag) throws(DecodingError) -> Double {
        try read(FieldType.Double.self, tag)
    }
    /// Reads a `bool` field whose tag was just read (the wire type is checked).
    public mutating func readBool(_ tag: FieldTag) throws(DecodingError) -> Bool { try read(FieldType.Bool.self, tag) }
    /// Reads a `string` (UTF-8 checked) field whose tag was just read (the wire type is checked).
    @inlinable public mutating func readString(_ tag: FieldTag) throws(DecodingError) -> String {
        try read(FieldType.String.self, tag)
    }
    /// Reads a `bytes` value field whose tag was just read (the wire type is checked).
    @inlinable public mutating func readBytes(_ tag: FieldTag) throws(DecodingError) -> [UInt8] {
        try read(FieldType.Bytes.self, tag)
    }

    /// Reads an open (proto3) enum: numbers without a case are kept in the enum's `unrecognized` case.
    @inlinable
    public mutating func readEnum<E: ProtoEnum>(_ type: E.Type, _ tag: FieldTag) throws(DecodingError) -> E {
        try read(FieldType.Enum<E>.self, tag)
    }

    /// Reads a closed (proto2) enum. A number without a case is not a value of the field:
    /// the whole field goes to `unknownFields` (as protobuf requires) and `nil` is returned.
    @inlinable
    public mutating func readClosedEnum<E: ProtoEnum>(
        _ type: E.Type,
        _ tag: FieldTag,
        unknownFields: inout UnknownFields
    ) throws(DecodingError) -> E? {
        try expect(tag, .varint)
        let raw = Int32(truncatingIfNeeded: try readVarint())
        if let value = E(rawValue: raw) { return value }
        if !discardUnknownFields {
            unknownFields.append(rawField: UnsafeBufferPointer(start: tagStart, count: position - tagStart))
        }
        return nil
    }

    /// Reads a repeated closed enum (packed or not); unrecognized numbers go to `unknownFields`,
    /// re-encoded one per field as protobuf's runtimes do.
    @inlinable
    public mutating func readRepeatedClosedEnum<E: ProtoEnum>(
        _ type: E.Type,
        _ tag: FieldTag,
        into values: inout [E],
        unknownFields: inout UnknownFields
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
        _ type: T.Type,
        _ tag: FieldTag,
        into values: inout [T.Value]
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
        _ type: T.Type,
        length: Int,
        width: Int
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
        _ type: T.Type,
        length: Int
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
    ///
    /// The first element makes room for up to four (`firstCapacity`): repeated fields mostly hold
    /// a few, and growing one at a time from one reallocates and moves the elements at two, then
    /// at three.
    @inlinable
    public mutating func readRepeated<T: WireField>(
        _ type: T.Type,
        _ tag: FieldTag,
        into values: inout [T.Value]
    ) throws(DecodingError) {
        let element = try read(type, tag)
        if values.capacity == 0 {
            values.reserveCapacity(Self.firstCapacity(slotBytes: MemoryLayout<T.Value>.stride))
        }
        values.append(element)
    }

    /// The bytes of slots a repeated field's or map's first allocation may take, whatever the
    /// input: the bound on what starting at four adds for a message of many one-element fields.
    @usableFromInline static let firstAllocationBytes = 256

    /// How many elements a repeated field's or map's first allocation is sized for: four, as
    /// protobuf C++ starts repeated fields, or fewer when four slots of `slotBytes` each would
    /// take more than ``firstAllocationBytes``; at least one.
    @inlinable
    static func firstCapacity(slotBytes: Int) -> Int {
        Swift.max(1, Swift.min(4, firstAllocationBytes / Swift.max(1, slotBytes)))
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
        do throws(DecodingError) { try message.decode(from: &self) } catch {
            throw enclosing(error, inField: tag.fieldNumber)
        }
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

    /// Reads a message or group member of a oneof: merged into the member's message when the
    /// oneof holds that member, into an empty message otherwise. `member` reads the member's
    /// message out of the oneof (nil for another member), `embed` makes the oneof of a message.
    @inlinable
    public mutating func readOneofMessage<M: Message, Oneof>(
        _ tag: FieldTag,
        into oneof: inout Oneof?,
        member: (Oneof) -> M?,
        embed: (M) -> Oneof
    ) throws(DecodingError) {
        // Taking the value out keeps it uniquely referenced while it is merged into.
        var value = oneof.take().flatMap(member) ?? M()
        if tag.wireType == .startGroup {
            try readGroup(tag, into: &value)
        } else {
            try readMessage(tag, into: &value)
        }
        oneof = embed(value)
    }

    /// Reads one element of a repeated group field (proto2) and appends it.
    @inlinable
    public mutating func readRepeatedGroup<M: Message>(_ tag: FieldTag, into groups: inout [M]) throws(DecodingError) {
        var value = M()
        try readGroup(tag, into: &value)
        groups.append(value)
    }

    /// Reads one map entry and stores it; a missing key or value takes its type's default, and
    /// fields of the entry other than a well-typed key and value are skipped.
    ///
    /// The first entry makes room for four (`mapFirstCapacity`): maps mostly hold
    /// a few entries, and a dictionary grown from one re-hashes every entry at each growth.
    @inlinable
    public mutating func readMapEntry<K: MapKeyWireField, V: WireField>(
        _ key: K.Type,
        _ value: V.Type,
        _ tag: FieldTag,
        into map: inout [K.Value: V.Value]
    ) throws(DecodingError) where K.Value: Hashable {
        let (k, v) = try readMapEntryPair(K.self, V.self, tag)
        if map.capacity == 0 { map.reserveCapacity(Self.mapFirstCapacity(key: K.Value.self, value: V.Value.self)) }
        map[k] = v
    }

    /// ``firstCapacity(slotBytes:)`` for a map: a dictionary has about two buckets per entry it
    /// is sized for, so a bucket slot counts twice.
    @inlinable
    static func mapFirstCapacity<Key, Value>(key: Key.Type, value: Value.Type) -> Int {
        firstCapacity(slotBytes: 2 &* (MemoryLayout<Key>.stride &+ MemoryLayout<Value>.stride))
    }

    /// Reads one map entry's key and value.
    @inlinable
    mutating func readMapEntryPair<K: MapKeyWireField, V: WireField>(
        _ key: K.Type,
        _ value: V.Type,
        _ tag: FieldTag
    ) throws(DecodingError) -> (K.Value, V.Value) {
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
            return (k, v)
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
    /// there (``Message/subscript(extension:)->Value?``), so discarding them would lose set
    /// values.
    /// When `message` (the reading message's full name) has a registered extension of this
    /// number, its value is checked first (see ``ExtensionRegistry``).
    @inlinable
    public mutating func skipExtension(
        _ tag: FieldTag,
        of message: String,
        into unknownFields: inout UnknownFields
    ) throws(DecodingError) {
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
        _ key: K.Type,
        closedEnum: E.Type,
        _ tag: FieldTag,
        into map: inout [K.Value: E],
        unknownFields: inout UnknownFields
    ) throws(DecodingError) where K.Value: Hashable {
        let entryStart = tagStart
        // Decode the entry with the value as a plain number, then check it against the enum.
        let (key, number) = try readMapEntryPair(K.self, FieldType.Int32.self, tag)
        if let value = E(rawValue: number) {
            if map.capacity == 0 { map.reserveCapacity(Self.mapFirstCapacity(key: K.Value.self, value: E.self)) }
            map[key] = value
        } else if !discardUnknownFields {
            unknownFields.append(rawField: UnsafeBufferPointer(start: entryStart, count: position - entryStart))
        }
    }
}
