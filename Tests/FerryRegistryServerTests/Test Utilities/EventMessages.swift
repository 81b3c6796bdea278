import FerryCodec

/// `acme.common.Money` of the interop test's two-file schema.
struct Money: Message {
    static let protoMessageName = "acme.common.Money"
    var units: Int64 = 0
    var currency = ""
    var unknownFields = UnknownFields()

    init() {}

    func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if !currency.isEmpty { writer.write(string: currency, field: 2) }
        if units != 0 { writer.write(int64: units, field: 1) }
    }

    mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: units = try reader.readInt64(tag)
            case 2: currency = try reader.readString(tag)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

/// `acme.shop.Invoice`, which imports `acme/common/money.proto`.
struct Invoice: Message {
    static let protoMessageName = "acme.shop.Invoice"
    var number = ""
    var total: Money? = nil
    var unknownFields = UnknownFields()

    init() {}

    func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if let total { writer.write(message: total, field: 2) }
        if !number.isEmpty { writer.write(string: number, field: 1) }
    }

    mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: number = try reader.readString(tag)
            case 2: try reader.readMessage(tag, into: &total)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}
