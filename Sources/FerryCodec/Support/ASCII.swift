/// Character classes every reader of protobuf text shares: the `.proto` lexer, the text format,
/// JSON, option values and generated defaults all read hex digits and C escapes the same way.
package enum ASCII {
    /// The value of a hex digit (`0-9`, `a-f`, `A-F`), or nil.
    @inline(__always)
    package static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    /// The byte a one-letter C escape stands for (`\n` → 0x0A; `\\`, `\'`, `\"`, `\?` → themselves),
    /// or nil for the escapes that take digits and for unknown ones.
    package static func simpleEscape(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "a"): 0x07
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "v"): 0x0B
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "?"): letter
        default: nil
        }
    }
}
