/// The wire codec of one protobuf field type, used where generated code needs a type as a value:
/// repeated fields, packed fields and map entries.
///
/// `read` and `write` handle the value only; tags and (for packed or map data) length prefixes
/// are the caller's. `write` follows ``WireWriter``'s back-to-front order.
public protocol WireField {
    associatedtype Value: Sendable & Hashable
    static var wireType: WireType { get }
    /// The value a field of this type has when it is absent (proto3 zero value).
    static var defaultValue: Value { get }
    static func read(from reader: inout WireReader) throws(DecodingError) -> Value
    /// Reads one more occurrence of a field into `value`: scalars replace it, messages merge
    /// into it (protobuf's rule for a field that appears more than once, map values included).
    static func merge(from reader: inout WireReader, into value: inout Value) throws(DecodingError)
    static func write(_ value: Value, to writer: inout WireWriter)
}

extension WireField {
    /// By default a repeated occurrence replaces the value: protobuf's last-one-wins rule for scalars.
    @inlinable
    public static func merge(from reader: inout WireReader, into value: inout Value) throws(DecodingError) {
        value = try read(from: &reader)
    }
}

/// A scalar type that `repeated` fields may pack into one length-delimited run.
public protocol PackableWireField: WireField {}

/// A type allowed as a map key. Keys are written in ascending order, as protobuf's deterministic
/// serialization does, so equal maps always encode to equal bytes.
public protocol MapKeyWireField: WireField {
    static func precedes(_ lhs: Value, _ rhs: Value) -> Bool
}

extension MapKeyWireField where Value: Comparable {
    /// Keys that are `Comparable` sort by their natural order.
    @inlinable
    public static func precedes(_ lhs: Value, _ rhs: Value) -> Bool { lhs < rhs }
}

/// Namespace for the protobuf field types as ``WireField`` codecs.
public enum FieldType {
    /// `int32`: a varint holding the value sign-extended to 64 bits, so negatives take ten bytes.
    public enum Int32: PackableWireField, MapKeyWireField {
        /// `int32` is varint-encoded.
        public static var wireType: WireType { .varint }
        /// An absent `int32` field reads as 0.
        public static var defaultValue: Swift.Int32 { 0 }
        /// Reads a varint and keeps its low 32 bits, as protobuf parsers do for `int32`.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Int32 {
            Swift.Int32(truncatingIfNeeded: try r.readVarint())
        }
        /// Writes the value sign-extended to 64 bits, which makes any negative number ten bytes long.
        @inlinable public static func write(_ v: Swift.Int32, to w: inout WireWriter) {
            w.writeVarint(Swift.UInt64(bitPattern: Swift.Int64(v)))
        }
    }

    /// `int64`: a varint of the two's-complement bits, so negatives take ten bytes.
    public enum Int64: PackableWireField, MapKeyWireField {
        /// `int64` is varint-encoded.
        public static var wireType: WireType { .varint }
        /// An absent `int64` field reads as 0.
        public static var defaultValue: Swift.Int64 { 0 }
        /// Reads a varint and reinterprets its 64 bits as a signed number.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Int64 {
            Swift.Int64(bitPattern: try r.readVarint())
        }
        /// Writes the two's-complement bits as a varint; negative numbers take ten bytes.
        @inlinable public static func write(_ v: Swift.Int64, to w: inout WireWriter) {
            w.writeVarint(Swift.UInt64(bitPattern: v))
        }
    }

    /// `uint32`: an unsigned varint, one to five bytes.
    public enum UInt32: PackableWireField, MapKeyWireField {
        /// `uint32` is varint-encoded.
        public static var wireType: WireType { .varint }
        /// An absent `uint32` field reads as 0.
        public static var defaultValue: Swift.UInt32 { 0 }
        /// Reads a varint and keeps its low 32 bits.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.UInt32 {
            Swift.UInt32(truncatingIfNeeded: try r.readVarint())
        }
        /// Writes the value as an unsigned varint.
        @inlinable public static func write(_ v: Swift.UInt32, to w: inout WireWriter) {
            w.writeVarint(Swift.UInt64(v))
        }
    }

    /// `uint64`: an unsigned varint, one to ten bytes.
    public enum UInt64: PackableWireField, MapKeyWireField {
        /// `uint64` is varint-encoded.
        public static var wireType: WireType { .varint }
        /// An absent `uint64` field reads as 0.
        public static var defaultValue: Swift.UInt64 { 0 }
        /// Reads a varint as is.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.UInt64 {
            try r.readVarint()
        }
        /// Writes the value as a varint as is.
        @inlinable public static func write(_ v: Swift.UInt64, to w: inout WireWriter) {
            w.writeVarint(v)
        }
    }

    /// `sint32`: a ZigZag-encoded varint, so small negative numbers stay short (-1 is one byte).
    public enum SInt32: PackableWireField, MapKeyWireField {
        /// `sint32` is varint-encoded, after ZigZag mapping.
        public static var wireType: WireType { .varint }
        /// An absent `sint32` field reads as 0.
        public static var defaultValue: Swift.Int32 { 0 }
        /// Reads a varint and undoes the ZigZag mapping (0, 1, 2, 3 → 0, -1, 1, -2).
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Int32 {
            let n = Swift.UInt32(truncatingIfNeeded: try r.readVarint())
            return Swift.Int32(bitPattern: (n >> 1) ^ (0 &- (n & 1)))
        }
        /// ZigZag-maps the value (0, -1, 1, -2 → 0, 1, 2, 3) and writes it as a varint.
        @inlinable public static func write(_ v: Swift.Int32, to w: inout WireWriter) {
            w.writeVarint(Swift.UInt64(Swift.UInt32(bitPattern: (v << 1) ^ (v >> 31))))
        }
    }

    /// `sint64`: a ZigZag-encoded varint, so small negative numbers stay short.
    public enum SInt64: PackableWireField, MapKeyWireField {
        /// `sint64` is varint-encoded, after ZigZag mapping.
        public static var wireType: WireType { .varint }
        /// An absent `sint64` field reads as 0.
        public static var defaultValue: Swift.Int64 { 0 }
        /// Reads a varint and undoes the 64-bit ZigZag mapping.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Int64 {
            let n = try r.readVarint()
            return Swift.Int64(bitPattern: (n >> 1) ^ (0 &- (n & 1)))
        }
        /// ZigZag-maps the 64-bit value so its magnitude decides the length, then writes it as a varint.
        @inlinable public static func write(_ v: Swift.Int64, to w: inout WireWriter) {
            w.writeVarint(Swift.UInt64(bitPattern: (v << 1) ^ (v >> 63)))
        }
    }

    /// `fixed32`: always four little-endian bytes; cheaper than a varint for values often above 2^28.
    public enum Fixed32: PackableWireField, MapKeyWireField {
        /// `fixed32` takes exactly four bytes on the wire.
        public static var wireType: WireType { .fixed32 }
        /// An absent `fixed32` field reads as 0.
        public static var defaultValue: Swift.UInt32 { 0 }
        /// Reads four little-endian bytes.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.UInt32 {
            try r.readFixed32()
        }
        /// Writes the value as four little-endian bytes.
        @inlinable public static func write(_ v: Swift.UInt32, to w: inout WireWriter) {
            w.writeFixed32(v)
        }
    }

    /// `fixed64`: always eight little-endian bytes; cheaper than a varint for values often above 2^56.
    public enum Fixed64: PackableWireField, MapKeyWireField {
        /// `fixed64` takes exactly eight bytes on the wire.
        public static var wireType: WireType { .fixed64 }
        /// An absent `fixed64` field reads as 0.
        public static var defaultValue: Swift.UInt64 { 0 }
        /// Reads eight little-endian bytes.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.UInt64 {
            try r.readFixed64()
        }
        /// Writes the value as eight little-endian bytes.
        @inlinable public static func write(_ v: Swift.UInt64, to w: inout WireWriter) {
            w.writeFixed64(v)
        }
    }

    /// `sfixed32`: a signed 32-bit integer in four little-endian bytes, two's complement.
    public enum SFixed32: PackableWireField, MapKeyWireField {
        /// `sfixed32` takes exactly four bytes on the wire.
        public static var wireType: WireType { .fixed32 }
        /// An absent `sfixed32` field reads as 0.
        public static var defaultValue: Swift.Int32 { 0 }
        /// Reads four little-endian bytes as a two's-complement signed number.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Int32 {
            Swift.Int32(bitPattern: try r.readFixed32())
        }
        /// Writes the two's-complement bits as four little-endian bytes.
        @inlinable public static func write(_ v: Swift.Int32, to w: inout WireWriter) {
            w.writeFixed32(Swift.UInt32(bitPattern: v))
        }
    }

    /// `sfixed64`: a signed 64-bit integer in eight little-endian bytes, two's complement.
    public enum SFixed64: PackableWireField, MapKeyWireField {
        /// `sfixed64` takes exactly eight bytes on the wire.
        public static var wireType: WireType { .fixed64 }
        /// An absent `sfixed64` field reads as 0.
        public static var defaultValue: Swift.Int64 { 0 }
        /// Reads eight little-endian bytes as a two's-complement signed number.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Int64 {
            Swift.Int64(bitPattern: try r.readFixed64())
        }
        /// Writes the two's-complement bits as eight little-endian bytes.
        @inlinable public static func write(_ v: Swift.Int64, to w: inout WireWriter) {
            w.writeFixed64(Swift.UInt64(bitPattern: v))
        }
    }

    /// `float`: an IEEE 754 single in four little-endian bytes. Not a map key type in protobuf.
    public enum Float: PackableWireField {
        /// `float` takes exactly four bytes on the wire.
        public static var wireType: WireType { .fixed32 }
        /// An absent `float` field reads as 0.0.
        public static var defaultValue: Swift.Float { 0 }
        /// Reads four little-endian bytes as an IEEE 754 single, NaN payloads included.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Float {
            Swift.Float(bitPattern: try r.readFixed32())
        }
        /// Writes the float's IEEE 754 bit pattern as four little-endian bytes.
        @inlinable public static func write(_ v: Swift.Float, to w: inout WireWriter) {
            w.writeFixed32(v.bitPattern)
        }
    }

    /// `double`: an IEEE 754 double in eight little-endian bytes. Not a map key type in protobuf.
    public enum Double: PackableWireField {
        /// `double` takes exactly eight bytes on the wire.
        public static var wireType: WireType { .fixed64 }
        /// An absent `double` field reads as 0.0.
        public static var defaultValue: Swift.Double { 0 }
        /// Reads eight little-endian bytes as an IEEE 754 double, NaN payloads included.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Double {
            Swift.Double(bitPattern: try r.readFixed64())
        }
        /// Writes the double's IEEE 754 bit pattern as eight little-endian bytes.
        @inlinable public static func write(_ v: Swift.Double, to w: inout WireWriter) {
            w.writeFixed64(v.bitPattern)
        }
    }

    /// `bool`: a varint, 1 for true and 0 for false.
    public enum Bool: PackableWireField, MapKeyWireField {
        /// `bool` is varint-encoded.
        public static var wireType: WireType { .varint }
        /// An absent `bool` field reads as `false`.
        public static var defaultValue: Swift.Bool { false }
        /// Reads a varint; any nonzero value counts as `true`, as protobuf parsers accept.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Bool {
            try r.readVarint() != 0
        }
        /// Writes a one-byte varint: 1 for `true`, 0 for `false`.
        @inlinable public static func write(_ v: Swift.Bool, to w: inout WireWriter) {
            w.writeVarint(v ? 1 : 0)
        }
        /// `false` sorts before `true` when map keys are ordered.
        @inlinable public static func precedes(_ lhs: Swift.Bool, _ rhs: Swift.Bool) -> Swift.Bool { !lhs && rhs }
    }

    /// `string`: a length prefix followed by UTF-8 bytes, which must be well-formed.
    public enum String: MapKeyWireField {
        /// `string` is length-delimited: a varint byte count, then the bytes.
        public static var wireType: WireType { .lengthDelimited }
        /// An absent `string` field reads as the empty string.
        public static var defaultValue: Swift.String { "" }
        /// Reads a length-prefixed string, failing on malformed UTF-8.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.String {
            try r.readStringValue()
        }
        /// Writes the UTF-8 bytes, then (in front of them, back to front) their length as a varint.
        @inlinable public static func write(_ v: Swift.String, to w: inout WireWriter) {
            let before = w.count
            w.writeUTF8(v)
            w.writeVarint(Swift.UInt64(truncatingIfNeeded: w.count &- before))
        }
        /// Byte-wise order of the UTF-8 encodings (code point order), as protobuf's C++ runtime
        /// sorts map keys. Native strings compare their bytes in place, others through their
        /// UTF-8 views (the generic `lexicographicallyPrecedes` costs several times a byte loop).
        @inlinable public static func precedes(_ lhs: Swift.String, _ rhs: Swift.String) -> Swift.Bool {
            let compared: Swift.Bool?? = lhs.utf8.withContiguousStorageIfAvailable { left in
                rhs.utf8.withContiguousStorageIfAvailable { right in
                    let common = Swift.min(left.count, right.count)
                    var i = 0
                    while i < common {
                        if left[i] != right[i] { return left[i] < right[i] }
                        i &+= 1
                    }
                    return left.count < right.count
                }
            }
            if let compared, let compared { return compared }
            return lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
        }
    }

    /// `bytes`: a length prefix followed by arbitrary bytes. Not a map key type in protobuf.
    public enum Bytes: WireField {
        /// `bytes` is length-delimited: a varint byte count, then the bytes.
        public static var wireType: WireType { .lengthDelimited }
        /// An absent `bytes` field reads as an empty array.
        public static var defaultValue: [Swift.UInt8] { [] }
        /// Reads a length-prefixed byte string into a new array.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> [Swift.UInt8] {
            try r.readBytesValue()
        }
        /// Writes the bytes, then (in front of them) their count as a varint.
        @inlinable public static func write(_ v: [Swift.UInt8], to w: inout WireWriter) {
            w.writeRaw(v)
            w.writeVarint(Swift.UInt64(truncatingIfNeeded: v.count))
        }
    }

    /// An enum field. Unrecognized numbers of open (proto3) enums are kept by the enum itself.
    public enum Enum<E: ProtoEnum>: PackableWireField {
        /// Enum values travel as varints of their numbers.
        public static var wireType: WireType { .varint }
        /// An absent enum field reads as the enum's first declared value (which proto3 requires to be 0).
        public static var defaultValue: E { E() }
        /// Reads the enum's number. An open enum keeps an unknown number as `unrecognized`;
        /// a closed enum falls back to its default.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> E {
            let raw = Swift.Int32(truncatingIfNeeded: try r.readVarint())
            return E(rawValue: raw) ?? E()
        }
        /// Writes the enum's number sign-extended to 64 bits, like an `int32`.
        @inlinable public static func write(_ v: E, to w: inout WireWriter) {
            w.writeVarint(Swift.UInt64(bitPattern: Swift.Int64(v.rawValue)))
        }
    }

    /// A message field (as a map value or repeated element), length-delimited.
    public enum Message<M: FerryCodec.Message>: WireField {
        /// Embedded messages are length-delimited: a byte count, then the message's fields.
        public static var wireType: WireType { .lengthDelimited }
        /// An absent message value is the empty message.
        public static var defaultValue: M { M() }
        /// Reads a length-prefixed message into a fresh instance.
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> M {
            var message = M()
            try r.readMessageValue(into: &message)
            return message
        }
        /// A repeated occurrence merges into the existing message instead of replacing it, as protobuf requires.
        @inlinable public static func merge(from r: inout WireReader, into value: inout M) throws(DecodingError) {
            try r.readMessageValue(into: &value)
        }
        /// Writes the message's fields, then (in front of them) their total length as a varint.
        @inlinable public static func write(_ v: M, to w: inout WireWriter) {
            let before = w.count
            v.encode(to: &w)
            w.writeVarint(Swift.UInt64(truncatingIfNeeded: w.count &- before))
        }
    }
}
