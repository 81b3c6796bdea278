/// The `grpc-timeout` header: at most 8 ASCII digits and a unit (`H`, `M`, `S`, `m`, `u`, `n`).
enum GRPCTimeout {
    private static let units: [(unit: Character, nanoseconds: Int64)] = [
        ("n", 1), ("u", 1_000), ("m", 1_000_000), ("S", 1_000_000_000), ("M", 60_000_000_000), ("H", 3_600_000_000_000),
    ]

    /// Encodes a duration with the finest unit whose value fits in 8 digits, rounding up so the
    /// server never sees a shorter deadline than the client's.
    static func encode(_ duration: Duration) -> String {
        let parts = duration.components
        let seconds = max(0, parts.seconds)
        let fractionNanoseconds = (max(0, parts.attoseconds) + 999_999_999) / 1_000_000_000
        if seconds < 90_000_000 {
            // Fits in Int64 nanoseconds; pick the finest unit.
            let nanoseconds = max(seconds * 1_000_000_000 + fractionNanoseconds, 1)
            for (unit, size) in units {
                let value = (nanoseconds + size - 1) / size
                if value <= 99_999_999 { return "\(value)\(unit)" }
            }
        }
        let wholeSeconds = seconds + (fractionNanoseconds > 0 ? 1 : 0)
        for (unit, size) in [("S", Int64(1)), ("M", 60), ("H", 3600)] {
            let value = (wholeSeconds + size - 1) / size
            if value <= 99_999_999 { return "\(value)\(unit)" }
        }
        return "99999999H"
    }

    /// Decodes a header value; nil when malformed.
    static func decode(_ text: String) -> Duration? {
        guard let unitCharacter = text.last, (2...9).contains(text.count) else { return nil }
        let digits = text.dropLast()
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else { return nil }
        guard let size = units.first(where: { $0.unit == unitCharacter })?.nanoseconds else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: size)
        return overflow ? .seconds(Int64.max / 1_000_000_000) : .nanoseconds(product)
    }
}
