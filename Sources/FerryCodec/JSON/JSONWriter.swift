/// The bytes of a JSON text being written: RFC 8259 tokens, with protobuf's spellings of the
/// values JSON lacks (64-bit integers as strings, `"NaN"`, `"Infinity"`).
struct JSONWriter {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    @inline(__always)
    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    @inline(__always)
    mutating func append(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(raw: [UInt8]) { bytes.append(contentsOf: raw) }

    /// A JSON string of `text`'s UTF-8 bytes, which must be valid UTF-8.
    mutating func appendString(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<text.count {
            let byte = text[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index])) }
            appendEscaped(byte)
            runStart = index + 1
        }
        if runStart < text.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func appendString(_ text: String) {
        var text = text
        text.withUTF8 { appendString($0) }
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [
                UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
            ])
        }
    }

    /// The decimal digits of `value`.
    mutating func append(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes of scratch, enough for 20 digits
        withUnsafeMutableBytes(of: &digits) { scratch in
            var position = scratch.count
            var rest = value
            while rest > 0 {
                position -= 1
                scratch[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[position...]))
        }
    }

    mutating func append(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            append(UInt64(bitPattern: 0 &- value))
        } else {
            append(UInt64(value))
        }
    }

    /// `value` quoted, as JSON carries 64-bit integers (a double cannot hold all of them).
    mutating func appendQuoted(_ value: Int64) {
        bytes.append(UInt8(ascii: "\""))
        append(value)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func appendQuoted(_ value: UInt64) {
        bytes.append(UInt8(ascii: "\""))
        append(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// The shortest decimal that reads back as `value`, or the quoted names of the non-finite values.
    mutating func append(_ value: Double) {
        guard value.isFinite else { return appendNonFinite(value.isNaN, value < 0) }
        if value == 0 {
            // "-0" would read back as the integer 0, losing the sign.
            value.sign == .minus ? append("-0.0") : bytes.append(UInt8(ascii: "0"))
        } else if value == value.rounded(), value.magnitude < 1e15 {
            append(Int64(value))
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// The shortest decimal that reads back as `value` as a float; near the largest float, the
    /// double's digits instead, because a reader that checks the range on the double it parsed
    /// (python's) would find the float's shortest form, `3.4028235e+38`, out of range.
    mutating func append(_ value: Float) {
        guard value.isFinite else { return appendNonFinite(value.isNaN, value < 0) }
        if value == 0 {
            value.sign == .minus ? append("-0.0") : bytes.append(UInt8(ascii: "0"))
        } else if value == value.rounded(), value.magnitude < 1e7 {
            append(Int64(value))
        } else if value.magnitude > 3.4e38 {
            bytes.append(contentsOf: Double(value).description.utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    private mutating func appendNonFinite(_ isNaN: Bool, _ isNegative: Bool) {
        if isNaN { append("\"NaN\"") } else if isNegative { append("\"-Infinity\"") } else { append("\"Infinity\"") }
    }

    /// Base64 (standard alphabet, padded) in quotes: protobuf's JSON form of `bytes`.
    mutating func appendBase64(_ data: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        Base64.append(data, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
}
