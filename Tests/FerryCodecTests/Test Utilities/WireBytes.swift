import FerryCodec

/// Builds protobuf bytes by hand, forwards, so tests can state exactly what is on the wire.
struct WireBytes {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func tag(_ field: Int, _ wireType: WireType) {
        varint(UInt64(field << 3 | Int(wireType.rawValue)))
    }

    mutating func field(_ field: Int, varint value: UInt64) {
        tag(field, .varint)
        varint(value)
    }

    mutating func field(_ field: Int, bytes value: [UInt8]) {
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes += value
    }

    mutating func field(_ field: Int, string value: String) {
        self.field(field, bytes: Array(value.utf8))
    }

    mutating func field(_ field: Int, message: WireBytes) {
        self.field(field, bytes: message.bytes)
    }

    static func build(_ body: (inout WireBytes) -> Void) -> [UInt8] {
        var w = WireBytes()
        body(&w)
        return w.bytes
    }
}

/// A message written the way the generator writes one, exercising each runtime entry point
/// (singular, repeated, packed, map, group, closed enum, cyclic box) independently of codegen.
struct Probe: FerryCodec.Message {
    enum Color: Int32, ProtoEnum {
        case red = 0
        case green = 1
        init() { self = .red }
    }

    var number: Int32? = nil  // 1, int32
    var text: String = ""  // 2, string
    var values: [Int64] = []  // 3, repeated int64 (packed)
    var child: Probe? {  // 4, message (cyclic: boxed)
        get { _child.value }
        set { _child.value = newValue }
    }
    var labels: [String: Int32] = [:]  // 5, map<string, int32>
    var group: Group? = nil  // 6, group
    var color: Color? = nil  // 7, closed enum
    var signed: Int64 = 0  // 8, sint64
    var ratio: Double = 0  // 9, double
    var unknownFields = UnknownFields()
    private var _child = Box<Probe?>(nil)

    struct Group: FerryCodec.Message {
        var a: Int32? = nil  // 61
        var unknownFields = UnknownFields()
        static let protoMessageName = "test.Probe.Group"
        func encode(to w: inout WireWriter) {
            w.write(unknownFields)
            if let a { w.write(int32: a, field: 61) }
        }
        mutating func decode(from r: inout WireReader) throws(DecodingError) {
            while let tag = try r.nextTag() {
                switch tag.fieldNumber {
                case 61: a = try r.readInt32(tag)
                default: try r.skip(tag, into: &unknownFields)
                }
            }
        }
    }

    static let protoMessageName = "test.Probe"

    func encode(to w: inout WireWriter) {
        w.write(unknownFields)
        if ratio != 0 { w.write(double: ratio, field: 9) }
        if signed != 0 { w.write(sint64: signed, field: 8) }
        if let color { w.write(enum: color, field: 7) }
        if let group { w.write(group: group, field: 6) }
        w.writeMap(FieldType.String.self, FieldType.Int32.self, labels, field: 5)
        if let child { w.write(message: child, field: 4) }
        w.writePacked(FieldType.Int64.self, values, field: 3)
        if !text.isEmpty { w.write(string: text, field: 2) }
        if let number { w.write(int32: number, field: 1) }
    }

    mutating func decode(from r: inout WireReader) throws(DecodingError) {
        while let tag = try r.nextTag() {
            switch tag.fieldNumber {
            case 1: number = try r.readInt32(tag)
            case 2: text = try r.readString(tag)
            case 3: try r.readRepeated(FieldType.Int64.self, tag, into: &values)
            case 4: try r.readMessage(tag, into: &child)
            case 5: try r.readMapEntry(FieldType.String.self, FieldType.Int32.self, tag, into: &labels)
            case 6: try r.readGroup(tag, into: &group)
            case 7:
                if let value = try r.readClosedEnum(Color.self, tag, unknownFields: &unknownFields) { color = value }
            case 8: signed = try r.readSInt64(tag)
            case 9: ratio = try r.readDouble(tag)
            default: try r.skip(tag, into: &unknownFields)
            }
        }
    }
}
