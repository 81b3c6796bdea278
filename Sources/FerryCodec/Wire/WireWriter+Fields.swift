// Field-level writes for generated `encode(to:)` methods. Each writes the value and then its tag
// in front of it, because ``WireWriter`` fills its buffer back to front.

extension WireWriter {
    /// Writes a singular field of any type.
    @inlinable
    public mutating func write<T: WireField>(_ type: T.Type, _ value: T.Value, field: Int) {
        T.write(value, to: &self)
        writeTag(field: field, wireType: T.wireType)
    }

    /// Writes an `int32` field: a varint, ten bytes when negative.
    @inlinable public mutating func write(int32 value: Int32, field: Int) {
        write(FieldType.Int32.self, value, field: field)
    }
    /// Writes an `int64` field: a varint of the two's-complement bits.
    @inlinable public mutating func write(int64 value: Int64, field: Int) {
        write(FieldType.Int64.self, value, field: field)
    }
    /// Writes a `uint32` field as an unsigned varint.
    @inlinable public mutating func write(uint32 value: UInt32, field: Int) {
        write(FieldType.UInt32.self, value, field: field)
    }
    /// Writes a `uint64` field as an unsigned varint.
    @inlinable public mutating func write(uint64 value: UInt64, field: Int) {
        write(FieldType.UInt64.self, value, field: field)
    }
    /// Writes an `sint32` field: ZigZag-mapped, so small negatives stay short.
    @inlinable public mutating func write(sint32 value: Int32, field: Int) {
        write(FieldType.SInt32.self, value, field: field)
    }
    /// Writes an `sint64` field: ZigZag-mapped, so small negatives stay short.
    @inlinable public mutating func write(sint64 value: Int64, field: Int) {
        write(FieldType.SInt64.self, value, field: field)
    }
    /// Writes a `fixed32` field as four little-endian bytes.
    @inlinable public mutating func write(fixed32 value: UInt32, field: Int) {
        write(FieldType.Fixed32.self, value, field: field)
    }
    /// Writes a `fixed64` field as eight little-endian bytes.
    @inlinable public mutating func write(fixed64 value: UInt64, field: Int) {
        write(FieldType.Fixed64.self, value, field: field)
    }
    /// Writes an `sfixed32` field as four little-endian two's-complement bytes.
    @inlinable public mutating func write(sfixed32 value: Int32, field: Int) {
        write(FieldType.SFixed32.self, value, field: field)
    }
    /// Writes an `sfixed64` field as eight little-endian two's-complement bytes.
    @inlinable public mutating func write(sfixed64 value: Int64, field: Int) {
        write(FieldType.SFixed64.self, value, field: field)
    }
    /// Writes a `float` field as its four-byte IEEE 754 pattern.
    @inlinable public mutating func write(float value: Float, field: Int) {
        write(FieldType.Float.self, value, field: field)
    }
    /// Writes a `double` field as its eight-byte IEEE 754 pattern.
    @inlinable public mutating func write(double value: Double, field: Int) {
        write(FieldType.Double.self, value, field: field)
    }
    /// Writes a `bool` field as a one-byte varint.
    @inlinable public mutating func write(bool value: Bool, field: Int) {
        write(FieldType.Bool.self, value, field: field)
    }
    /// Writes a `string` field: tag, length, then the UTF-8 bytes.
    @inlinable public mutating func write(string value: String, field: Int) {
        write(FieldType.String.self, value, field: field)
    }
    /// Writes a `bytes` field: tag, length, then the bytes.
    @inlinable public mutating func write(bytes value: [UInt8], field: Int) {
        write(FieldType.Bytes.self, value, field: field)
    }

    /// Writes an enum field as the varint of its number.
    @inlinable
    public mutating func write<E: ProtoEnum>(enum value: E, field: Int) {
        write(FieldType.Enum<E>.self, value, field: field)
    }

    /// Writes an embedded message field: tag, length, then the message's own fields.
    @inlinable
    public mutating func write<M: Message>(message value: M, field: Int) {
        write(FieldType.Message<M>.self, value, field: field)
    }

    /// Writes a proto2 group: start tag, the message's fields, end tag.
    @inlinable
    public mutating func write<M: Message>(group value: M, field: Int) {
        writeTag(field: field, wireType: .endGroup)
        value.encode(to: &self)
        writeTag(field: field, wireType: .startGroup)
    }

    /// Writes each element as its own field (unpacked), keeping the array's order on the wire.
    @inlinable
    public mutating func writeRepeated<T: WireField>(_ type: T.Type, _ values: [T.Value], field: Int) {
        if T.self == FieldType.String.self, let strings = values as? [String] {
            writeRepeatedStrings(strings, field: field)
            return
        }
        var index = values.endIndex
        while index > values.startIndex {
            index -= 1
            write(type, values[index], field: field)
        }
    }

    /// Writes repeated strings with each element borrowed in place: room is made before an
    /// element's storage is touched, so nothing opaque runs while it is borrowed and no
    /// retain/release pair (an atomic on a likely cold cache line) is needed per element.
    @inlinable
    mutating func writeRepeatedStrings(_ values: [String], field: Int) {
        values.withUnsafeBufferPointer { elements in
            var index = elements.endIndex
            while index > elements.startIndex {
                index -= 1
                let n = elements[index].utf8.count
                reserve(n)
                let target = UnsafeMutableRawPointer(base + (start &- n))
                let copied: Void? = elements[index].utf8.withContiguousStorageIfAvailable { utf8 in
                    // Safe: reserve(n) made n free bytes before `start`; the view holds n bytes.
                    if let source = utf8.baseAddress { target.copyMemory(from: source, byteCount: n) }
                }
                if copied == nil {
                    var contiguous = elements[index]
                    contiguous.withUTF8 { utf8 in
                        if let source = utf8.baseAddress { target.copyMemory(from: source, byteCount: n) }
                    }
                }
                start &-= n
                writeVarint(UInt64(truncatingIfNeeded: n))
                writeTag(field: field, wireType: .lengthDelimited)
            }
        }
    }

    /// Writes a repeated group field.
    @inlinable
    public mutating func writeRepeated<M: Message>(groups values: [M], field: Int) {
        var index = values.endIndex
        while index > values.startIndex {
            index -= 1
            write(group: values[index], field: field)
        }
    }

    /// Writes the elements as one packed, length-delimited run; nothing for an empty array.
    @inlinable
    public mutating func writePacked<T: PackableWireField>(_ type: T.Type, _ values: [T.Value], field: Int) {
        guard !values.isEmpty else { return }
        let before = count
        if WireReader.memoryMatchesWire(T.self) != nil {
            // Fixed-width values are already their wire bytes: one copy.
            values.withUnsafeBytes { writeRaw($0) }
        } else {
            var index = values.endIndex
            while index > values.startIndex {
                index -= 1
                T.write(values[index], to: &self)
            }
        }
        writeVarint(UInt64(truncatingIfNeeded: count &- before))
        writeTag(field: field, wireType: .lengthDelimited)
    }

    /// Writes a map as one entry message per key, keys in ascending order so equal maps encode
    /// to equal bytes (protobuf's deterministic serialization).
    ///
    /// The order is found by sorting the dictionary's indices in a temporary buffer (on the stack
    /// for maps of moderate size), so no key array is allocated and no value is looked up by
    /// hashing its key again; a one-entry map is written without sorting.
    @inlinable
    public mutating func writeMap<K: MapKeyWireField, V: WireField>(
        _ key: K.Type,
        _ value: V.Type,
        _ map: [K.Value: V.Value],
        field: Int
    ) {
        guard !map.isEmpty else { return }
        if map.count == 1 {
            let index = map.startIndex
            writeMapEntry(K.self, V.self, map.keys[index], map.values[index], field: field)
            return
        }
        withUnsafeTemporaryAllocation(of: [K.Value: V.Value].Index.self, capacity: map.count) { buffer in
            var order = buffer
            // Safe: the allocation has room for map.count indices, exactly what is initialized.
            _ = order.initialize(fromContentsOf: map.indices)
            defer { order.deinitialize() }
            order.sort { K.precedes(map.keys[$0], map.keys[$1]) }
            var position = order.endIndex
            while position > order.startIndex {
                position -= 1
                let index = order[position]
                writeMapEntry(K.self, V.self, map.keys[index], map.values[index], field: field)
            }
        }
    }

    /// Writes one map entry: a message with the key as field 1 and the value as field 2.
    @inlinable
    mutating func writeMapEntry<K: MapKeyWireField, V: WireField>(
        _ key: K.Type,
        _ value: V.Type,
        _ k: K.Value,
        _ v: V.Value,
        field: Int
    ) {
        let before = count
        write(V.self, v, field: 2)
        write(K.self, k, field: 1)
        writeVarint(UInt64(truncatingIfNeeded: count &- before))
        writeTag(field: field, wireType: .lengthDelimited)
    }

    /// Writes fields kept from decoding that the schema did not know.
    @inlinable
    public mutating func write(_ unknownFields: UnknownFields) {
        if !unknownFields.isEmpty { unknownFields.storage.withUnsafeBytes { writeRaw($0) } }
    }
}
