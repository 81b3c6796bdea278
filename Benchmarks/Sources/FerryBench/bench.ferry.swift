// DO NOT EDIT. ferry 0.1 — bench.proto
// swift-format-ignore-file
//
// Hand-written stand-in for what `ferry generate` will emit for ../shared/bench/bench.proto.
// It will be replaced by the generator's output once FerryCodegen lands; until then it uses only
// the documented FerryCodec API, in exactly the shape the generator produces (no hand tricks).

public import FerryCodec

// MARK: - benchpb.OrderStatus

public enum Benchpb_OrderStatus: FerryCodec.ProtoEnum {
    case unspecified
    case pending
    case paid
    case shipped
    case cancelled
    /// A number this version of the schema does not name.
    case unrecognized(Int32)

    public init() { self = .unspecified }

    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .pending
        case 2: self = .paid
        case 3: self = .shipped
        case 4: self = .cancelled
        default: self = .unrecognized(rawValue)
        }
    }

    public var rawValue: Int32 {
        switch self {
        case .unspecified: 0
        case .pending: 1
        case .paid: 2
        case .shipped: 3
        case .cancelled: 4
        case .unrecognized(let value): value
        }
    }
}

// MARK: - benchpb.LineItem

public struct Benchpb_LineItem: Sendable, Hashable {
    public var sku: String = ""
    public var qty: Int32 = 0
    public var priceCents: Int64 = 0
    public var unknownFields = FerryCodec.UnknownFields()

    public init() {}
}

extension Benchpb_LineItem: FerryCodec.Message {
    public static let protoMessageName = "benchpb.LineItem"

    public func encode(to w: inout FerryCodec.WireWriter) {
        w.write(unknownFields)
        if priceCents != 0 { w.write(int64: priceCents, field: 3) }
        if qty != 0 { w.write(int32: qty, field: 2) }
        if !sku.isEmpty { w.write(string: sku, field: 1) }
    }

    public mutating func decode(from r: inout FerryCodec.WireReader) throws(FerryCodec.DecodingError) {
        while let tag = try r.nextTag() {
            switch tag.fieldNumber {
            case 1: sku = try r.readString(tag)
            case 2: qty = try r.readInt32(tag)
            case 3: priceCents = try r.readInt64(tag)
            default: try r.skip(tag, into: &unknownFields)
            }
        }
    }
}

// MARK: - benchpb.CardPayment

public struct Benchpb_CardPayment: Sendable, Hashable {
    public var network: String = ""
    public var last4: String = ""
    public var expMonth: Int32 = 0
    public var expYear: Int32 = 0
    public var unknownFields = FerryCodec.UnknownFields()

    public init() {}
}

extension Benchpb_CardPayment: FerryCodec.Message {
    public static let protoMessageName = "benchpb.CardPayment"

    public func encode(to w: inout FerryCodec.WireWriter) {
        w.write(unknownFields)
        if expYear != 0 { w.write(int32: expYear, field: 4) }
        if expMonth != 0 { w.write(int32: expMonth, field: 3) }
        if !last4.isEmpty { w.write(string: last4, field: 2) }
        if !network.isEmpty { w.write(string: network, field: 1) }
    }

    public mutating func decode(from r: inout FerryCodec.WireReader) throws(FerryCodec.DecodingError) {
        while let tag = try r.nextTag() {
            switch tag.fieldNumber {
            case 1: network = try r.readString(tag)
            case 2: last4 = try r.readString(tag)
            case 3: expMonth = try r.readInt32(tag)
            case 4: expYear = try r.readInt32(tag)
            default: try r.skip(tag, into: &unknownFields)
            }
        }
    }
}

// MARK: - benchpb.BankTransfer

public struct Benchpb_BankTransfer: Sendable, Hashable {
    public var iban: String = ""
    public var reference: String = ""
    public var unknownFields = FerryCodec.UnknownFields()

    public init() {}
}

extension Benchpb_BankTransfer: FerryCodec.Message {
    public static let protoMessageName = "benchpb.BankTransfer"

    public func encode(to w: inout FerryCodec.WireWriter) {
        w.write(unknownFields)
        if !reference.isEmpty { w.write(string: reference, field: 2) }
        if !iban.isEmpty { w.write(string: iban, field: 1) }
    }

    public mutating func decode(from r: inout FerryCodec.WireReader) throws(FerryCodec.DecodingError) {
        while let tag = try r.nextTag() {
            switch tag.fieldNumber {
            case 1: iban = try r.readString(tag)
            case 2: reference = try r.readString(tag)
            default: try r.skip(tag, into: &unknownFields)
            }
        }
    }
}

// MARK: - benchpb.OrderPlaced

public struct Benchpb_OrderPlaced: Sendable, Hashable {
    public var orderId: String = ""
    public var customerId: String = ""
    public var totalCents: Int64 = 0
    public var placedAtUnixMicros: Int64 = 0
    public var items: [Benchpb_LineItem] = []
    public var attributes: [String: String] = [:]
    public var status: Benchpb_OrderStatus = .unspecified
    public var couponCode: String? = nil
    public var payment: Payment? = nil
    public var currency: String = ""
    public var shippingCents: Int32 = 0
    public var unknownFields = FerryCodec.UnknownFields()

    /// The `payment` oneof: at most one of these is set.
    public enum Payment: Sendable, Hashable {
        case card(Benchpb_CardPayment)
        case bank(Benchpb_BankTransfer)
        case walletId(String)
    }

    public init() {}
}

extension Benchpb_OrderPlaced: FerryCodec.Message {
    public static let protoMessageName = "benchpb.OrderPlaced"

    public func encode(to w: inout FerryCodec.WireWriter) {
        w.write(unknownFields)
        if shippingCents != 0 { w.write(int32: shippingCents, field: 13) }
        if !currency.isEmpty { w.write(string: currency, field: 12) }
        switch payment {
        case .walletId(let value)?: w.write(string: value, field: 11)
        case .bank(let value)?: w.write(message: value, field: 10)
        case .card(let value)?: w.write(message: value, field: 9)
        case nil: break
        }
        if let couponCode { w.write(string: couponCode, field: 8) }
        if status.rawValue != 0 { w.write(enum: status, field: 7) }
        w.writeMap(FerryCodec.FieldType.String.self, FerryCodec.FieldType.String.self, attributes, field: 6)
        w.writeRepeated(FerryCodec.FieldType.Message<Benchpb_LineItem>.self, items, field: 5)
        if placedAtUnixMicros != 0 { w.write(int64: placedAtUnixMicros, field: 4) }
        if totalCents != 0 { w.write(int64: totalCents, field: 3) }
        if !customerId.isEmpty { w.write(string: customerId, field: 2) }
        if !orderId.isEmpty { w.write(string: orderId, field: 1) }
    }

    public mutating func decode(from r: inout FerryCodec.WireReader) throws(FerryCodec.DecodingError) {
        while let tag = try r.nextTag() {
            switch tag.fieldNumber {
            case 1: orderId = try r.readString(tag)
            case 2: customerId = try r.readString(tag)
            case 3: totalCents = try r.readInt64(tag)
            case 4: placedAtUnixMicros = try r.readInt64(tag)
            case 5: try r.readRepeated(FerryCodec.FieldType.Message<Benchpb_LineItem>.self, tag, into: &items)
            case 6: try r.readMapEntry(FerryCodec.FieldType.String.self, FerryCodec.FieldType.String.self, tag, into: &attributes)
            case 7: status = try r.readEnum(Benchpb_OrderStatus.self, tag)
            case 8: couponCode = try r.readString(tag)
            case 9:
                var value = Benchpb_CardPayment()
                if case .card(let existing)? = payment { value = existing; payment = nil }
                try r.readMessage(tag, into: &value)
                payment = .card(value)
            case 10:
                var value = Benchpb_BankTransfer()
                if case .bank(let existing)? = payment { value = existing; payment = nil }
                try r.readMessage(tag, into: &value)
                payment = .bank(value)
            case 11: payment = .walletId(try r.readString(tag))
            case 12: currency = try r.readString(tag)
            case 13: shippingCents = try r.readInt32(tag)
            default: try r.skip(tag, into: &unknownFields)
            }
        }
    }
}

// MARK: - benchpb.NumericHeavy

public struct Benchpb_NumericHeavy: Sendable, Hashable {
    public var i32: [Int32] = []
    public var i64: [Int64] = []
    public var s64: [Int64] = []
    public var f64: [UInt64] = []
    public var dbl: [Double] = []
    public var isFinal: Bool = false
    public var hasGaps: Bool = false
    public var mask: [Bool] = []
    public var seriesId: UInt32 = 0
    public var unknownFields = FerryCodec.UnknownFields()

    public init() {}
}

extension Benchpb_NumericHeavy: FerryCodec.Message {
    public static let protoMessageName = "benchpb.NumericHeavy"

    public func encode(to w: inout FerryCodec.WireWriter) {
        w.write(unknownFields)
        if seriesId != 0 { w.write(uint32: seriesId, field: 9) }
        w.writePacked(FerryCodec.FieldType.Bool.self, mask, field: 8)
        if hasGaps { w.write(bool: hasGaps, field: 7) }
        if isFinal { w.write(bool: isFinal, field: 6) }
        w.writePacked(FerryCodec.FieldType.Double.self, dbl, field: 5)
        w.writePacked(FerryCodec.FieldType.Fixed64.self, f64, field: 4)
        w.writePacked(FerryCodec.FieldType.SInt64.self, s64, field: 3)
        w.writePacked(FerryCodec.FieldType.Int64.self, i64, field: 2)
        w.writePacked(FerryCodec.FieldType.Int32.self, i32, field: 1)
    }

    public mutating func decode(from r: inout FerryCodec.WireReader) throws(FerryCodec.DecodingError) {
        while let tag = try r.nextTag() {
            switch tag.fieldNumber {
            case 1: try r.readRepeated(FerryCodec.FieldType.Int32.self, tag, into: &i32)
            case 2: try r.readRepeated(FerryCodec.FieldType.Int64.self, tag, into: &i64)
            case 3: try r.readRepeated(FerryCodec.FieldType.SInt64.self, tag, into: &s64)
            case 4: try r.readRepeated(FerryCodec.FieldType.Fixed64.self, tag, into: &f64)
            case 5: try r.readRepeated(FerryCodec.FieldType.Double.self, tag, into: &dbl)
            case 6: isFinal = try r.readBool(tag)
            case 7: hasGaps = try r.readBool(tag)
            case 8: try r.readRepeated(FerryCodec.FieldType.Bool.self, tag, into: &mask)
            case 9: seriesId = try r.readUInt32(tag)
            default: try r.skip(tag, into: &unknownFields)
            }
        }
    }
}

// MARK: - benchpb.StringHeavy

public struct Benchpb_StringHeavy: Sendable, Hashable {
    public var title: String = ""
    public var tags: [String] = []
    public var lines: [String] = []
    public var blob: [UInt8] = []
    public var locale: String = ""
    public var unknownFields = FerryCodec.UnknownFields()

    public init() {}
}

extension Benchpb_StringHeavy: FerryCodec.Message {
    public static let protoMessageName = "benchpb.StringHeavy"

    public func encode(to w: inout FerryCodec.WireWriter) {
        w.write(unknownFields)
        if !locale.isEmpty { w.write(string: locale, field: 5) }
        if !blob.isEmpty { w.write(bytes: blob, field: 4) }
        w.writeRepeated(FerryCodec.FieldType.String.self, lines, field: 3)
        w.writeRepeated(FerryCodec.FieldType.String.self, tags, field: 2)
        if !title.isEmpty { w.write(string: title, field: 1) }
    }

    public mutating func decode(from r: inout FerryCodec.WireReader) throws(FerryCodec.DecodingError) {
        while let tag = try r.nextTag() {
            switch tag.fieldNumber {
            case 1: title = try r.readString(tag)
            case 2: try r.readRepeated(FerryCodec.FieldType.String.self, tag, into: &tags)
            case 3: try r.readRepeated(FerryCodec.FieldType.String.self, tag, into: &lines)
            case 4: blob = try r.readBytes(tag)
            case 5: locale = try r.readString(tag)
            default: try r.skip(tag, into: &unknownFields)
            }
        }
    }
}

// MARK: - benchpb.TreeNode

public struct Benchpb_TreeNode: Sendable, Hashable {
    public var label: String = ""
    public var id: Int64 = 0
    public var weight: Double = 0
    /// A repeated field: the array's own storage already breaks the cycle, so nothing is boxed.
    public var children: [Benchpb_TreeNode] = []
    public var leaf: Bool = false
    public var unknownFields = FerryCodec.UnknownFields()

    public init() {}
}

extension Benchpb_TreeNode: FerryCodec.Message {
    public static let protoMessageName = "benchpb.TreeNode"

    public func encode(to w: inout FerryCodec.WireWriter) {
        w.write(unknownFields)
        if leaf { w.write(bool: leaf, field: 5) }
        w.writeRepeated(FerryCodec.FieldType.Message<Benchpb_TreeNode>.self, children, field: 4)
        if weight.bitPattern != 0 { w.write(double: weight, field: 3) }
        if id != 0 { w.write(int64: id, field: 2) }
        if !label.isEmpty { w.write(string: label, field: 1) }
    }

    public mutating func decode(from r: inout FerryCodec.WireReader) throws(FerryCodec.DecodingError) {
        while let tag = try r.nextTag() {
            switch tag.fieldNumber {
            case 1: label = try r.readString(tag)
            case 2: id = try r.readInt64(tag)
            case 3: weight = try r.readDouble(tag)
            case 4: try r.readRepeated(FerryCodec.FieldType.Message<Benchpb_TreeNode>.self, tag, into: &children)
            case 5: leaf = try r.readBool(tag)
            default: try r.skip(tag, into: &unknownFields)
            }
        }
    }
}

// MARK: - benchpb.RpcRequest

public struct Benchpb_RpcRequest: Sendable, Hashable {
    public var requestId: UInt64 = 0
    public var methodId: UInt32 = 0
    public var key: String = ""
    public var unknownFields = FerryCodec.UnknownFields()

    public init() {}
}

extension Benchpb_RpcRequest: FerryCodec.Message {
    public static let protoMessageName = "benchpb.RpcRequest"

    public func encode(to w: inout FerryCodec.WireWriter) {
        w.write(unknownFields)
        if !key.isEmpty { w.write(string: key, field: 3) }
        if methodId != 0 { w.write(uint32: methodId, field: 2) }
        if requestId != 0 { w.write(uint64: requestId, field: 1) }
    }

    public mutating func decode(from r: inout FerryCodec.WireReader) throws(FerryCodec.DecodingError) {
        while let tag = try r.nextTag() {
            switch tag.fieldNumber {
            case 1: requestId = try r.readUInt64(tag)
            case 2: methodId = try r.readUInt32(tag)
            case 3: key = try r.readString(tag)
            default: try r.skip(tag, into: &unknownFields)
            }
        }
    }
}
