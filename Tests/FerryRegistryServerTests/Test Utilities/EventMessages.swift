import FerryCodec

/// Hand-written messages for Schemas/registry-demo/acme/events/orders.proto (codegen is not on main yet).
struct OrderPlaced: Message {
    static let protoMessageName = "acme.events.OrderPlaced"
    var orderID: Int64 = 0
    var customer = ""
    var total = 0.0
    var items: [String] = []
    var unknownFields = UnknownFields()

    init() {}

    init(orderID: Int64, customer: String, total: Double, items: [String]) {
        self.orderID = orderID
        self.customer = customer
        self.total = total
        self.items = items
    }

    func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        writer.writeRepeated(FieldType.String.self, items, field: 4)
        if total != 0 { writer.write(double: total, field: 3) }
        if !customer.isEmpty { writer.write(string: customer, field: 2) }
        if orderID != 0 { writer.write(int64: orderID, field: 1) }
    }

    mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: orderID = try reader.readInt64(tag)
            case 2: customer = try reader.readString(tag)
            case 3: total = try reader.readDouble(tag)
            case 4: try reader.readRepeated(FieldType.String.self, tag, into: &items)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

/// `acme.events.OrderCancelled.Detail`: message-index path [1, 0].
struct CancellationDetail: Message {
    static let protoMessageName = "acme.events.OrderCancelled.Detail"
    var note = ""
    var unknownFields = UnknownFields()

    init() {}
    init(note: String) { self.note = note }

    func encode(to writer: inout WireWriter) {
        writer.write(unknownFields)
        if !note.isEmpty { writer.write(string: note, field: 1) }
    }

    mutating func decode(from reader: inout WireReader) throws(DecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: note = try reader.readString(tag)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }
}

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
