#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders literal values the way protoc writes them into descriptors.
enum DefaultValueFormatter {
    /// A double as protoc's `SimpleDtoa` prints it: `%.15g`, or `%.17g` when 15 digits do not
    /// round-trip; `inf`, `-inf` and `nan` for the special values.
    static func double(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let short = format(value, precision: 15)
        if Double(short) == value { return short }
        return format(value, precision: 17)
    }

    private static func format(_ value: Double, precision: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = withVaList([value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { pointer in
                vsnprintf(pointer.baseAddress, pointer.count, "%.\(precision)g", arguments)
            }
        }
        let bytes = buffer.prefix(max(0, min(Int(count), buffer.count - 1))).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Bytes escaped as protoc's `CEscape` does: `\n`, `\r`, `\t`, `\"`, `\'`, `\\`, and
    /// three-digit octal for other bytes outside printable ASCII.
    static func cEscape(_ bytes: [UInt8]) -> String {
        var result = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n"): result += "\\n"
            case UInt8(ascii: "\r"): result += "\\r"
            case UInt8(ascii: "\t"): result += "\\t"
            case UInt8(ascii: "\""): result += "\\\""
            case UInt8(ascii: "'"): result += "\\'"
            case UInt8(ascii: "\\"): result += "\\\\"
            case 0x20..<0x7F: result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let octal = String(byte, radix: 8)
                result += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return result
    }
}
