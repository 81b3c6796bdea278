import FerryCodec

/// Compresses the descriptors that generated files embed, and writes them as string literals.
///
/// The format (read back by `FerryCodec.EmbeddedDescriptor.file(compressed:)`) is a sequence of
/// tokens, each a number `n << 1 | kind` followed by `n` literal bytes (kind 0) or by the
/// distance back to copy `n` bytes from (kind 1). Numbers use six bits per byte and `0x40` as
/// the continuation flag, so they stay ASCII. Descriptors repeat type and field names a lot;
/// this roughly halves them, and the literal (one Unicode scalar per byte, so mostly one UTF-8
/// byte each) is a third of the size of base64 in the compiled object.
enum DescriptorCompression {
    /// Shortest back-reference worth a token.
    static let minimumMatch = 5
    /// Earlier positions tried per byte; more finds little in descriptors and costs time.
    static let candidates = 48

    static func compress(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var earlier: [UInt32: [Int]] = [:]
        var literalStart = 0
        var i = 0
        func key(_ at: Int) -> UInt32 {
            UInt32(data[at]) | UInt32(data[at + 1]) << 8 | UInt32(data[at + 2]) << 16 | UInt32(data[at + 3]) << 24
        }
        func remember(_ at: Int) {
            if at + 4 <= data.count { earlier[key(at), default: []].append(at) }
        }
        func flushLiterals(to end: Int) {
            guard end > literalStart else { return }
            appendNumber((end - literalStart) << 1, to: &out)
            out.append(contentsOf: data[literalStart..<end])
        }
        while i + minimumMatch <= data.count {
            var best = 0
            var distance = 0
            for candidate in (earlier[key(i)] ?? []).reversed().prefix(candidates) {
                var length = 0
                while i + length < data.count, data[candidate + length] == data[i + length] { length += 1 }
                if length > best {
                    best = length
                    distance = i - candidate
                }
            }
            if best >= minimumMatch {
                flushLiterals(to: i)
                appendNumber(best << 1 | 1, to: &out)
                appendNumber(distance, to: &out)
                for at in i..<(i + best) { remember(at) }
                i += best
                literalStart = i
            } else {
                remember(i)
                i += 1
            }
        }
        flushLiterals(to: data.count)
        return out
    }

    private static func appendNumber(_ value: Int, to out: inout [UInt8]) {
        var v = value
        while v >= 0x40 {
            out.append(UInt8(v & 0x3F) | 0x40)
            v >>= 6
        }
        out.append(UInt8(v))
    }

    /// The lines of a multi-line string literal holding `bytes` one Unicode scalar per byte;
    /// each line but the last ends in `\` so that no line break belongs to the value.
    static func literalLines(_ bytes: [UInt8], width: Int = 400) -> [String] {
        var lines: [String] = []
        var line = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): line += "\\\\"
            case UInt8(ascii: "\""): line += "\\\""
            case 0x20..<0x7F: line.unicodeScalars.append(Unicode.Scalar(byte))
            default: line += "\\u{" + String(byte, radix: 16, uppercase: true) + "}"
            }
            if line.utf8.count >= width {
                lines.append(line + "\\")
                line = ""
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) } else { lines[lines.count - 1].removeLast() }
        return lines
    }
}
