/// Base64 (RFC 4648 alphabet) for all of Ferry: the descriptors generated files embed as string
/// literals, and gRPC's `-bin` metadata (sent padded, accepted padded or unpadded, as
/// PROTOCOL-HTTP2 asks). Standard library only.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `bytes` encoded, padded with `=`.
    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        bytes.withUnsafeBufferPointer { append($0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `bytes` encoded and padded to `output` (the JSON writer's form of `bytes` fields).
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(alphabet[Int(value >> 18 & 0x3F)])
            output.append(alphabet[Int(value >> 12 & 0x3F)])
            output.append(alphabet[Int(value >> 6 & 0x3F)])
            output.append(alphabet[Int(value & 0x3F)])
            index += 3
        }
        let remaining = bytes.count - index
        if remaining > 0 {
            var value = UInt32(bytes[index]) << 16
            if remaining == 2 { value |= UInt32(bytes[index + 1]) << 8 }
            output.append(alphabet[Int(value >> 18 & 0x3F)])
            output.append(alphabet[Int(value >> 12 & 0x3F)])
            output.append(remaining == 2 ? alphabet[Int(value >> 6 & 0x3F)] : UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        }
    }

    /// The decoded bytes (padding optional, whitespace ignored), or `nil` if `text` holds a
    /// character outside the alphabet, data after padding, or a dangling single character.
    /// With `acceptingURLSafe`, the URL-safe alphabet's `-` and `_` (RFC 4648 §5) are read as
    /// `+` and `/`: protobuf's JSON accepts either alphabet for `bytes`.
    public static func decode(_ text: String, acceptingURLSafe: Bool = false) -> [UInt8]? {
        var out: [UInt8] = []
        let valid = Array(text.utf8).withUnsafeBufferPointer {
            decode($0, acceptingURLSafe: acceptingURLSafe, appendingTo: &out)
        }
        return valid ? out : nil
    }

    /// Each byte's meaning: its 6-bit value, with `urlSafeFlag` for `-` and `_`; or one of the
    /// markers for padding, whitespace and bytes outside both alphabets.
    private static let urlSafeFlag: UInt8 = 0x40
    private static let paddingMark: UInt8 = 0x80
    private static let whitespaceMark: UInt8 = 0x81
    private static let invalidMark: UInt8 = 0xFF
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: invalidMark, count: 256)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        table[Int(UInt8(ascii: "-"))] = 62 | urlSafeFlag
        table[Int(UInt8(ascii: "_"))] = 63 | urlSafeFlag
        table[Int(UInt8(ascii: "="))] = paddingMark
        for space in [UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")] {
            table[Int(space)] = whitespaceMark
        }
        return table
    }()

    /// Decodes `input` (rules of ``decode(_:acceptingURLSafe:)``), appending to `out`; returns
    /// false, with `out` partly written, when the input is not base64.
    static func decode(
        _ input: UnsafeBufferPointer<UInt8>,
        acceptingURLSafe: Bool,
        appendingTo out: inout [UInt8]
    ) -> Bool {
        out.reserveCapacity(out.count + input.count / 4 * 3 + 2)
        let specialBits: UInt8 = acceptingURLSafe ? 0x80 : 0xC0
        var index = 0
        decodeTable.withUnsafeBufferPointer { table in
            // Whole quads of plain alphabet characters: the bulk of any real input.
            while index + 4 <= input.count {
                let a = table[Int(input[index])]
                let b = table[Int(input[index + 1])]
                let c = table[Int(input[index + 2])]
                let d = table[Int(input[index + 3])]
                guard (a | b | c | d) & specialBits == 0 else { break }
                let value = UInt32(a & 0x3F) << 18 | UInt32(b & 0x3F) << 12 | UInt32(c & 0x3F) << 6 | UInt32(d & 0x3F)
                out.append(UInt8(truncatingIfNeeded: value >> 16))
                out.append(UInt8(truncatingIfNeeded: value >> 8))
                out.append(UInt8(truncatingIfNeeded: value))
                index += 4
            }
        }
        // The rest, one character at a time: padding, whitespace, the other alphabet, errors.
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        while index < input.count {
            let code = decodeTable[Int(input[index])]
            index += 1
            switch code {
            case paddingMark:
                padding += 1
                continue
            case whitespaceMark: continue
            case invalidMark: return false
            default:
                if code & urlSafeFlag != 0 && !acceptingURLSafe { return false }
            }
            guard padding == 0 else { return false }
            accumulator = accumulator << 6 | UInt32(code & 0x3F)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // 6 leftover bits cannot come from whole bytes.
        return bits < 6 && padding <= 2
    }
}
