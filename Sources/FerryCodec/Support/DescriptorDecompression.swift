/// Expands the compressed descriptors that generated files embed (the generator's
/// `DescriptorCompression` writes them): tokens `n << 1 | kind`, then `n` literal bytes (kind 0)
/// or the distance back to copy `n` bytes from (kind 1); numbers take six bits per byte with
/// `0x40` meaning more follow. The literal holds one Unicode scalar (below 256) per byte.
enum DescriptorDecompression {
    /// The expanded bytes, or `nil` if `text` is not a well-formed compressed literal.
    static func expand(_ text: String) -> [UInt8]? {
        var input: [UInt8] = []
        input.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard scalar.value < 256 else { return nil }
            input.append(UInt8(truncatingIfNeeded: scalar.value))
        }
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 2)
        var i = 0
        func number() -> Int? {
            var value = 0
            var shift = 0
            while i < input.count, shift < 60 {
                let byte = input[i]
                i += 1
                value |= Int(byte & 0x3F) << shift
                if byte & 0x40 == 0 { return value }
                shift += 6
            }
            return nil
        }
        while i < input.count {
            guard let token = number() else { return nil }
            let n = token >> 1
            if token & 1 == 0 {
                guard n <= input.count - i else { return nil }
                out.append(contentsOf: input[i..<(i + n)])
                i += n
            } else {
                guard let distance = number(), distance >= 1, distance <= out.count else { return nil }
                let from = out.count - distance
                // Byte by byte: a copy may overlap the bytes it produces.
                for k in 0..<n { out.append(out[from + k]) }
            }
        }
        return out
    }
}
