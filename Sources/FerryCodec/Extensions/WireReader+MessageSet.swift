extension WireReader {
    /// Reads a MessageSet `Item` group whose start tag was `tag`; returns the `message` bytes when
    /// its `type_id` is `typeID`.
    mutating func readMessageSetItem(_ tag: FieldTag, typeID: Int) throws(DecodingError) -> [UInt8]? {
        try expect(tag, .startGroup)
        let savedGroup = openGroup
        openGroup = tag.fieldNumber
        var id: Int?
        var message: [UInt8]?
        while let inner = try nextTag() {
            switch (inner.fieldNumber, inner.wireType) {
            case (2, .varint): id = Int(truncatingIfNeeded: try readVarint())
            case (3, .lengthDelimited): message = try readBytesValue()
            default: try skipField(inner)
            }
        }
        openGroup = savedGroup
        return id == typeID ? (message ?? []) : nil
    }
}
