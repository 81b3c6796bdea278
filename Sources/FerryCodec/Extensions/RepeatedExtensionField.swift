/// A repeated proto2 extension; see ``ExtensionField``.
public struct RepeatedExtensionField<Extended: Message, Element: Sendable & Hashable>: Sendable {
    /// The field number the extension occupies in the extended message.
    public let number: Int
    /// The extension's package-qualified protobuf name, e.g. `protobuf_unittest.repeated_int32_extension`.
    public let name: String
    /// Whether the elements are written as one packed run.
    public let isPacked: Bool
    let read: @Sendable (inout WireReader, FieldTag, inout [Element]) throws(DecodingError) -> Void
    let write: @Sendable ([Element], inout WireWriter, Int) -> Void

    /// Repeated scalars or open enums (packed or not on the wire; written as `packed` says).
    public init<C: PackableWireField & SendableMetatype>(
        extending: Extended.Type,
        _ codec: C.Type,
        number: Int,
        name: String,
        packed: Bool
    ) where C.Value == Element {
        self.number = number
        self.name = name
        self.isPacked = packed
        self.read = { (reader: inout WireReader, tag: FieldTag, values: inout [Element]) throws(DecodingError) in
            try reader.readRepeated(C.self, tag, into: &values)
        }
        if packed {
            self.write = { values, writer, number in writer.writePacked(C.self, values, field: number) }
        } else {
            self.write = { values, writer, number in writer.writeRepeated(C.self, values, field: number) }
        }
    }

    /// Repeated strings or bytes.
    public init<C: WireField & SendableMetatype>(
        extending: Extended.Type,
        _ codec: C.Type,
        number: Int,
        name: String,
        packed: Bool
    ) where C.Value == Element {
        self.number = number
        self.name = name
        self.isPacked = false
        self.read = { (reader: inout WireReader, tag: FieldTag, values: inout [Element]) throws(DecodingError) in
            try reader.readRepeated(C.self, tag, into: &values)
        }
        self.write = { values, writer, number in writer.writeRepeated(C.self, values, field: number) }
    }

    /// Repeated closed enums: numbers without a case are skipped.
    public init(extending: Extended.Type, closedEnum: Element.Type, number: Int, name: String, packed: Bool)
    where Element: ProtoEnum {
        self.number = number
        self.name = name
        self.isPacked = packed
        self.read = { (reader: inout WireReader, tag: FieldTag, values: inout [Element]) throws(DecodingError) in
            var ignored = UnknownFields()
            try reader.readRepeatedClosedEnum(Element.self, tag, into: &values, unknownFields: &ignored)
        }
        if packed {
            self.write = { values, writer, number in
                writer.writePacked(FieldType.Enum<Element>.self, values, field: number)
            }
        } else {
            self.write = { values, writer, number in
                writer.writeRepeated(FieldType.Enum<Element>.self, values, field: number)
            }
        }
    }

    /// Repeated messages.
    public init(extending: Extended.Type, messages: Element.Type, number: Int, name: String) where Element: Message {
        self.number = number
        self.name = name
        self.isPacked = false
        self.read = { (reader: inout WireReader, tag: FieldTag, values: inout [Element]) throws(DecodingError) in
            try reader.readRepeated(FieldType.Message<Element>.self, tag, into: &values)
        }
        self.write = { values, writer, number in
            writer.writeRepeated(FieldType.Message<Element>.self, values, field: number)
        }
    }

    /// Repeated groups.
    public init(extending: Extended.Type, groups: Element.Type, number: Int, name: String) where Element: Message {
        self.number = number
        self.name = name
        self.isPacked = false
        self.read = { (reader: inout WireReader, tag: FieldTag, values: inout [Element]) throws(DecodingError) in
            var value = Element()
            try reader.readGroup(tag, into: &value)
            values.append(value)
        }
        self.write = { values, writer, number in writer.writeRepeated(groups: values, field: number) }
    }
}
