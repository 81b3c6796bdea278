/// Front-to-back protobuf encoding of single fields, for building option values the way protoc
/// builds them (as unknown fields appended in source order).
struct WireBytes {
    enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5
    }

    private(set) var bytes: [UInt8] = []

    mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func appendTag(_ number: Int32, _ wireType: WireType) {
        appendVarint(UInt64(UInt32(bitPattern: number)) << 3 | wireType.rawValue)
    }

    mutating func appendVarintField(_ number: Int32, _ value: UInt64) {
        appendTag(number, .varint)
        appendVarint(value)
    }

    mutating func appendFixed32Field(_ number: Int32, _ value: UInt32) {
        appendTag(number, .fixed32)
        appendFixed32(value)
    }

    mutating func appendFixed32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func appendFixed64Field(_ number: Int32, _ value: UInt64) {
        appendTag(number, .fixed64)
        appendFixed64(value)
    }

    mutating func appendFixed64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func appendLengthDelimited(_ number: Int32, _ payload: [UInt8]) {
        appendTag(number, .lengthDelimited)
        appendVarint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    mutating func appendGroup(_ number: Int32, _ payload: [UInt8]) {
        appendTag(number, .startGroup)
        bytes.append(contentsOf: payload)
        appendTag(number, .endGroup)
    }

    mutating func append(_ other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    static func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}

/// Splits encoded fields into (number, wire type, payload) without knowing their schema, as
/// protoc's `UnknownFieldSet` does when it checks whether an option was set already.
struct RawFields {
    struct Field {
        var number: Int32
        var wireType: UInt64
        /// Length-delimited payload or group contents; empty for scalars.
        var payload: [UInt8]
        /// The whole field as it was encoded: tag, value and (for groups) end tag.
        var raw: [UInt8] = []
    }

    static func parse(_ bytes: [UInt8]) -> [Field]? {
        var index = 0
        var contentEnd = 0
        return parseFields(bytes, &index, endGroup: nil, contentEnd: &contentEnd)
    }

    private static func readVarint(_ bytes: [UInt8], _ index: inout Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        return nil
    }

    private static func parseFields(
        _ bytes: [UInt8],
        _ index: inout Int,
        endGroup: Int32?,
        contentEnd: inout Int
    ) -> [Field]? {
        var fields: [Field] = []
        while index < bytes.count {
            let tagStart = index
            guard let tag = readVarint(bytes, &index) else { return nil }
            let number = Int32(truncatingIfNeeded: tag >> 3)
            let wireType = tag & 7
            switch wireType {
            case 0:
                guard readVarint(bytes, &index) != nil else { return nil }
                fields.append(Field(number: number, wireType: 0, payload: [], raw: Array(bytes[tagStart..<index])))
            case 1:
                guard index + 8 <= bytes.count else { return nil }
                index += 8
                fields.append(Field(number: number, wireType: 1, payload: [], raw: Array(bytes[tagStart..<index])))
            case 5:
                guard index + 4 <= bytes.count else { return nil }
                index += 4
                fields.append(Field(number: number, wireType: 5, payload: [], raw: Array(bytes[tagStart..<index])))
            case 2:
                guard let length = readVarint(bytes, &index), length <= UInt64(bytes.count - index) else { return nil }
                fields.append(Field(number: number, wireType: 2, payload: Array(bytes[index..<index + Int(length)])))
                index += Int(length)
                fields[fields.count - 1].raw = Array(bytes[tagStart..<index])
            case 3:
                let start = index
                var end = index
                guard parseFields(bytes, &index, endGroup: number, contentEnd: &end) != nil else { return nil }
                fields.append(
                    Field(
                        number: number,
                        wireType: 3,
                        payload: Array(bytes[start..<end]),
                        raw: Array(bytes[tagStart..<index])
                    )
                )
            case 4:
                contentEnd = tagStart
                return endGroup == number ? fields : nil
            default:
                return nil
            }
        }
        return endGroup == nil && index == bytes.count ? fields : nil
    }
}
