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
    @inlinable
    public static func precedes(_ lhs: Value, _ rhs: Value) -> Bool { lhs < rhs }
}

/// Namespace for the protobuf field types as ``WireField`` codecs.
public enum FieldType {
    public enum Int32: PackableWireField, MapKeyWireField {
        public static var wireType: WireType { .varint }
        public static var defaultValue: Swift.Int32 { 0 }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Int32 {
            Swift.Int32(truncatingIfNeeded: try r.readVarint())
        }
        @inlinable public static func write(_ v: Swift.Int32, to w: inout WireWriter) {
            w.writeVarint(Swift.UInt64(bitPattern: Swift.Int64(v)))
        }
    }

    public enum Int64: PackableWireField, MapKeyWireField {
        public static var wireType: WireType { .varint }
        public static var defaultValue: Swift.Int64 { 0 }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Int64 {
            Swift.Int64(bitPattern: try r.readVarint())
        }
        @inlinable public static func write(_ v: Swift.Int64, to w: inout WireWriter) {
            w.writeVarint(Swift.UInt64(bitPattern: v))
        }
    }

    public enum UInt32: PackableWireField, MapKeyWireField {
        public static var wireType: WireType { .varint }
        public static var defaultValue: Swift.UInt32 { 0 }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.UInt32 {
            Swift.UInt32(truncatingIfNeeded: try r.readVarint())
        }
        @inlinable public static func write(_ v: Swift.UInt32, to w: inout WireWriter) {
            w.writeVarint(Swift.UInt64(v))
        }
    }

    public enum UInt64: PackableWireField, MapKeyWireField {
        public static var wireType: WireType { .varint }
        public static var defaultValue: Swift.UInt64 { 0 }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.UInt64 {
            try r.readVarint()
        }
        @inlinable public static func write(_ v: Swift.UInt64, to w: inout WireWriter) {
            w.writeVarint(v)
        }
    }

    public enum SInt32: PackableWireField, MapKeyWireField {
        public static var wireType: WireType { .varint }
        public static var defaultValue: Swift.Int32 { 0 }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Int32 {
            let n = Swift.UInt32(truncatingIfNeeded: try r.readVarint())
            return Swift.Int32(bitPattern: (n >> 1) ^ (0 &- (n & 1)))
        }
        @inlinable public static func write(_ v: Swift.Int32, to w: inout WireWriter) {
            w.writeVarint(Swift.UInt64(Swift.UInt32(bitPattern: (v << 1) ^ (v >> 31))))
        }
    }

    public enum SInt64: PackableWireField, MapKeyWireField {
        public static var wireType: WireType { .varint }
        public static var defaultValue: Swift.Int64 { 0 }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Int64 {
            let n = try r.readVarint()
            return Swift.Int64(bitPattern: (n >> 1) ^ (0 &- (n & 1)))
        }
        @inlinable public static func write(_ v: Swift.Int64, to w: inout WireWriter) {
            w.writeVarint(Swift.UInt64(bitPattern: (v << 1) ^ (v >> 63)))
        }
    }

    public enum Fixed32: PackableWireField, MapKeyWireField {
        public static var wireType: WireType { .fixed32 }
        public static var defaultValue: Swift.UInt32 { 0 }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.UInt32 {
            try r.readFixed32()
        }
        @inlinable public static func write(_ v: Swift.UInt32, to w: inout WireWriter) {
            w.writeFixed32(v)
        }
    }

    public enum Fixed64: PackableWireField, MapKeyWireField {
        public static var wireType: WireType { .fixed64 }
        public static var defaultValue: Swift.UInt64 { 0 }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.UInt64 {
            try r.readFixed64()
        }
        @inlinable public static func write(_ v: Swift.UInt64, to w: inout WireWriter) {
            w.writeFixed64(v)
        }
    }

    public enum SFixed32: PackableWireField, MapKeyWireField {
        public static var wireType: WireType { .fixed32 }
        public static var defaultValue: Swift.Int32 { 0 }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Int32 {
            Swift.Int32(bitPattern: try r.readFixed32())
        }
        @inlinable public static func write(_ v: Swift.Int32, to w: inout WireWriter) {
            w.writeFixed32(Swift.UInt32(bitPattern: v))
        }
    }

    public enum SFixed64: PackableWireField, MapKeyWireField {
        public static var wireType: WireType { .fixed64 }
        public static var defaultValue: Swift.Int64 { 0 }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Int64 {
            Swift.Int64(bitPattern: try r.readFixed64())
        }
        @inlinable public static func write(_ v: Swift.Int64, to w: inout WireWriter) {
            w.writeFixed64(Swift.UInt64(bitPattern: v))
        }
    }

    public enum Float: PackableWireField {
        public static var wireType: WireType { .fixed32 }
        public static var defaultValue: Swift.Float { 0 }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Float {
            Swift.Float(bitPattern: try r.readFixed32())
        }
        @inlinable public static func write(_ v: Swift.Float, to w: inout WireWriter) {
            w.writeFixed32(v.bitPattern)
        }
    }

    public enum Double: PackableWireField {
        public static var wireType: WireType { .fixed64 }
        public static var defaultValue: Swift.Double { 0 }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Double {
            Swift.Double(bitPattern: try r.readFixed64())
        }
        @inlinable public static func write(_ v: Swift.Double, to w: inout WireWriter) {
            w.writeFixed64(v.bitPattern)
        }
    }

    public enum Bool: PackableWireField, MapKeyWireField {
        public static var wireType: WireType { .varint }
        public static var defaultValue: Swift.Bool { false }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.Bool {
            try r.readVarint() != 0
        }
        @inlinable public static func write(_ v: Swift.Bool, to w: inout WireWriter) {
            w.writeVarint(v ? 1 : 0)
        }
        @inlinable public static func precedes(_ lhs: Swift.Bool, _ rhs: Swift.Bool) -> Swift.Bool { !lhs && rhs }
    }

    public enum String: MapKeyWireField {
        public static var wireType: WireType { .lengthDelimited }
        public static var defaultValue: Swift.String { "" }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> Swift.String {
            try r.readStringValue()
        }
        @inlinable public static func write(_ v: Swift.String, to w: inout WireWriter) {
            let before = w.count
            w.writeUTF8(v)
            w.writeVarint(Swift.UInt64(truncatingIfNeeded: w.count &- before))
        }
        /// Byte-wise order of the UTF-8 encodings, as protobuf's C++ runtime sorts map keys.
        @inlinable public static func precedes(_ lhs: Swift.String, _ rhs: Swift.String) -> Swift.Bool {
            lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
        }
    }

    public enum Bytes: WireField {
        public static var wireType: WireType { .lengthDelimited }
        public static var defaultValue: [Swift.UInt8] { [] }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> [Swift.UInt8] {
            try r.readBytesValue()
        }
        @inlinable public static func write(_ v: [Swift.UInt8], to w: inout WireWriter) {
            w.writeRaw(v)
            w.writeVarint(Swift.UInt64(truncatingIfNeeded: v.count))
        }
    }

    /// An enum field. Unrecognized numbers of open (proto3) enums are kept by the enum itself.
    public enum Enum<E: ProtoEnum>: PackableWireField {
        public static var wireType: WireType { .varint }
        public static var defaultValue: E { E() }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> E {
            let raw = Swift.Int32(truncatingIfNeeded: try r.readVarint())
            return E(rawValue: raw) ?? E()
        }
        @inlinable public static func write(_ v: E, to w: inout WireWriter) {
            w.writeVarint(Swift.UInt64(bitPattern: Swift.Int64(v.rawValue)))
        }
    }

    /// A message field (as a map value or repeated element), length-delimited.
    public enum Message<M: FerryCodec.Message>: WireField {
        public static var wireType: WireType { .lengthDelimited }
        public static var defaultValue: M { M() }
        @inlinable public static func read(from r: inout WireReader) throws(DecodingError) -> M {
            var message = M()
            try r.readMessageValue(into: &message)
            return message
        }
        @inlinable public static func merge(from r: inout WireReader, into value: inout M) throws(DecodingError) {
            try r.readMessageValue(into: &value)
        }
        @inlinable public static func write(_ v: M, to w: inout WireWriter) {
            let before = w.count
            v.encode(to: &w)
            w.writeVarint(Swift.UInt64(truncatingIfNeeded: w.count &- before))
        }
    }
}
