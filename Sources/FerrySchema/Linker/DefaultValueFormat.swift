import Foundation

/// Number formatting for default values, matching protoc's `SimpleFtoa` / `SimpleDtoa`: `%g`
/// with the fewest digits (6 or 9 for float, 15 or 17 for double) that read back exactly.
enum DefaultValueFormat {
    static func parseFloatingPoint(_ text: String) -> Double? {
        switch text {
        case "inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan": return .nan
        default: return Double(text)
        }
    }

    static func shortest(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let short = String(format: "%.*g", 6, Double(value))
        if Float(short) == value { return short }
        return String(format: "%.*g", 9, Double(value))
    }

    static func shortest(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let short = String(format: "%.*g", 15, value)
        if Double(short) == value { return short }
        return String(format: "%.*g", 17, value)
    }
}
