#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers in default values as protoc writes them into descriptors (`SimpleFtoa` / `SimpleDtoa`):
/// `%g` with the fewest digits (6 or 9 for float, 15 or 17 for double) that read back exactly, and
/// `inf`, `-inf`, `nan` for the special values. The one formatter for the lowerer and the linker.
enum DefaultValueFormat {
    /// A default's number as the `.proto` file may spell it, `inf` and `nan` included.
    static func parseFloatingPoint(_ text: String) -> Double? {
        switch text {
        case "inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan": return .nan
        default: return Double(text)
        }
    }

    /// A float default: 6 significant digits when they read back as the same float, else 9.
    static func shortest(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let short = format(Double(value), precision: 6)
        if Float(short) == value { return short }
        return format(Double(value), precision: 9)
    }

    /// A double default: 15 significant digits when they read back as the same double, else 17.
    static func shortest(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let short = format(value, precision: 15)
        if Double(short) == value { return short }
        return format(value, precision: 17)
    }

    /// C's `%.<precision>g`, the format protoc's own formatter uses.
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
}
