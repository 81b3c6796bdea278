/// A proto2 extension with a single value: which message it extends, its number, and how its
/// value is read and written.
///
/// Extension values are not stored in dedicated properties: they stay in the extended message's
/// ``UnknownFields`` exactly as they came off the wire, and `message[extension: field]` decodes
/// or replaces them on access. Generated code declares one `static let` per extension.
public struct ExtensionField<Extended: Message, Value: Sendable & Hashable>: Sendable {
    /// The extension's field number.
    public let number: Int
    /// The extension's full protobuf name, such as `protobuf_unittest.optional_int32_extension`.
    public let name: String
    /// Whether the extended message uses the MessageSet wire format: the value travels in an
    /// `Item` group (field 1) as `type_id` (2) = ``number`` and `message` (3) bytes.
    public let isMessageSetItem: Bool
    /// Reads one occurrence into the value decoded so far (messages merge, scalars replace).
    let read: @Sendable (inout WireReader, FieldTag, inout Value?) throws(DecodingError) -> Void
    /// Writes the value with its tag, back to front.
    let write: @Sendable (Value, inout WireWriter, Int) -> Void

    /// An extension of scalar or open-enum type.
    public init<C: WireField & SendableMetatype>(extending: Extended.Type, _ codec: C.Type, number: Int, name: String)
    where C.Value == Value {
        self.number = number
        self.name = name
        self.isMessageSetItem = false
        self.read = { (reader: inout WireReader, tag: FieldTag, value: inout Value?) throws(DecodingError) in
            value = try reader.read(C.self, tag)
        }
        self.write = { value, writer, number in writer.write(C.self, value, field: number) }
    }

    /// An extension of closed-enum type: a number without a case leaves the value absent.
    public init(extending: Extended.Type, closedEnum: Value.Type, number: Int, name: String) where Value: ProtoEnum {
        self.number = number
        self.name = name
        self.isMessageSetItem = false
        self.read = { (reader: inout WireReader, tag: FieldTag, value: inout Value?) throws(DecodingError) in
            try reader.expect(tag, .varint)
            if let known = Value(rawValue: Int32(truncatingIfNeeded: try reader.readVarint())) { value = known }
        }
        self.write = { value, writer, number in writer.write(enum: value, field: number) }
    }

    /// An extension of message type; repeated occurrences merge.
    public init(extending: Extended.Type, message: Value.Type, number: Int, name: String) where Value: Message {
        self.number = number
        self.name = name
        self.isMessageSetItem = false
        self.read = { (reader: inout WireReader, tag: FieldTag, value: inout Value?) throws(DecodingError) in
            try reader.readMessage(tag, into: &value)
        }
        self.write = { value, writer, number in writer.write(message: value, field: number) }
    }

    /// An extension of group type.
    public init(extending: Extended.Type, group: Value.Type, number: Int, name: String) where Value: Message {
        self.number = number
        self.name = name
        self.isMessageSetItem = false
        self.read = { (reader: inout WireReader, tag: FieldTag, value: inout Value?) throws(DecodingError) in
            try reader.readGroup(tag, into: &value)
        }
        self.write = { value, writer, number in writer.write(group: value, field: number) }
    }

    /// A message extension of a MessageSet (`option message_set_wire_format = true`).
    public init(extending: Extended.Type, messageSetItem: Value.Type, number: Int, name: String) where Value: Message {
        self.number = number
        self.name = name
        self.isMessageSetItem = true
        self.read = { (reader: inout WireReader, tag: FieldTag, value: inout Value?) throws(DecodingError) in
            guard let bytes = try reader.readMessageSetItem(tag, typeID: number) else { return }
            var message = value ?? Value()
            try message.merge(serializedBytes: bytes, options: DecodingOptions(allowPartial: true))
            value = message
        }
        self.write = { value, writer, number in
            writer.writeTag(field: 1, wireType: .endGroup)
            writer.write(message: value, field: 3)
            writer.write(int32: Int32(truncatingIfNeeded: number), field: 2)
            writer.writeTag(field: 1, wireType: .startGroup)
        }
    }
}
