/// Character classes every reader and writer of protobuf text shares: the `.proto` lexer, the text
/// format, JSON, option values and generated defaults read hex digits and C escapes the same way,
/// and the text format, descriptor defaults and the registry's `.proto` printer write them the same way.
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

    /// Appends `bytes` with C escapes as protoc's `CEscape` writes them: `\"`, `\\`, `\n`, `\r`,
    /// `\t`, `\'` (unless `escapingSingleQuote` is false), printable ASCII as is, and every other byte
    /// as three octal digits, except bytes above 0x7F when `keepingNonASCII` (text known to be UTF-8).
    package static func appendCEscaped(
        _ bytes: some Sequence<UInt8>,
        keepingNonASCII: Bool,
        escapingSingleQuote: Bool = true,
        to out: inout [UInt8]
    ) {
        for byte in bytes {
            let escape: UInt8? =
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte
                case UInt8(ascii: "'"): escapingSingleQuote ? byte : nil
                case 0x0A: UInt8(ascii: "n")
                case 0x0D: UInt8(ascii: "r")
                case 0x09: UInt8(ascii: "t")
                default: nil
                }
            if let escape {
                out.append(UInt8(ascii: "\\"))
                out.append(escape)
            } else if (0x20...0x7E).contains(byte) || (byte >= 0x80 && keepingNonASCII) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "0") + (byte >> 6))
                out.append(UInt8(ascii: "0") + (byte >> 3 & 7))
                out.append(UInt8(ascii: "0") + (byte & 7))
            }
        }
    }

    /// `bytes` with C escapes (``appendCEscaped(_:keepingNonASCII:escapingSingleQuote:to:)``), as a string.
    package static func cEscaped(
        _ bytes: some Sequence<UInt8>,
        keepingNonASCII: Bool,
        escapingSingleQuote: Bool = true
    ) -> String {
        var out: [UInt8] = []
        appendCEscaped(bytes, keepingNonASCII: keepingNonASCII, escapingSingleQuote: escapingSingleQuote, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
