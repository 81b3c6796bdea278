/// UTF-8 validation for `string` fields, which protobuf requires to hold well-formed UTF-8.
///
/// The standard library's `String(validating:as:)` is generic over the encoding and is not
/// specialized across the module boundary: it looks up generic metadata on every call, which
/// cost about a third of the decode time of small messages. This check is plain code over
/// bytes; the string is then built with `String(decoding:as:)`, whose UTF-8 path is fast.
@usableFromInline
enum UTF8Validation {
    /// Whether `bytes` is well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no
    /// surrogates, nothing above U+10FFFF).
    @usableFromInline
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var i = 0
        // ASCII runs, eight bytes at a time.
        while i &+ 8 <= count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { return isValidNonASCII(base, from: i, count: count) }
            i &+= 8
        }
        while i < count {
            if base[i] >= 0x80 { return isValidNonASCII(base, from: i, count: count) }
            i &+= 1
        }
        return true
    }

    /// Validates `base[start ..< count]` sequence by sequence.
    static func isValidNonASCII(_ base: UnsafePointer<UInt8>, from start: Int, count: Int) -> Bool {
        var i = start
        while i < count {
            let lead = base[i]
            if lead < 0x80 {
                i &+= 1
                continue
            }
            if lead < 0xC2 { return false }  // a continuation byte, or an overlong two-byte form
            if lead < 0xE0 {
                guard count &- i >= 2, isContinuation(base[i &+ 1]) else { return false }
                i &+= 2
                continue
            }
            if lead < 0xF0 {
                guard count &- i >= 3 else { return false }
                let second = base[i &+ 1]
                // E0 needs A0...BF (no overlong forms); ED needs 80...9F (no surrogates).
                let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
                let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
                guard second >= low, second <= high, isContinuation(base[i &+ 2]) else { return false }
                i &+= 3
                continue
            }
            guard lead <= 0xF4, count &- i >= 4 else { return false }
            let second = base[i &+ 1]
            // F0 needs 90...BF (no overlong forms); F4 needs 80...8F (nothing above U+10FFFF).
            let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
            guard second >= low, second <= high, isContinuation(base[i &+ 2]), isContinuation(base[i &+ 3]) else {
                return false
            }
            i &+= 4
        }
        return true
    }

    @inline(__always)
    static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
}
