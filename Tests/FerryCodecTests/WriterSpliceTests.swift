import Testing

@testable import FerryCodec

/// Large `bytes` values are kept by reference in the writer and copied once at the end; the
/// output must be exactly what copying them in place produces.
@Suite struct WriterSpliceTests {
    private func pattern(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) }
    }

    /// Writes a bytes field either through the array API (spliced when large) or by copying.
    private func writeBytes(_ writer: inout WireWriter, _ value: [UInt8], field: Int, spliced: Bool) {
        if spliced {
            writer.write(bytes: value, field: field)
        } else {
            value.withUnsafeBytes { writer.writeRaw($0) }
            writer.writeVarint(UInt64(value.count))
            writer.writeTag(field: field, wireType: .lengthDelimited)
        }
    }

    /// Small fields, large fields back to back, and a nested message holding a large field.
    private func writeSample(_ writer: inout WireWriter, spliced: Bool) {
        writer.write(int32: 7, field: 9)
        writeBytes(&writer, pattern(5000, seed: 1), field: 8, spliced: spliced)
        writeBytes(&writer, pattern(WireWriter.spliceThreshold, seed: 2), field: 8, spliced: spliced)
        writer.writeLengthDelimited(field: 6) { inner in
            writeBytes(&inner, pattern(3000, seed: 3), field: 1, spliced: spliced)
            inner.write(string: "inner", field: 2)
        }
        writeBytes(&writer, [1, 2, 3], field: 5, spliced: spliced)
        writer.write(string: "front", field: 1)
    }

    private func encode(spliced: Bool) -> (bytes: [UInt8], viaClosure: [UInt8], count: Int) {
        var writer = WireWriter(initialCapacity: 16)
        writeSample(&writer, spliced: spliced)
        let viaClosure = writer.withUnsafeBytes { Array($0) }
        return (writer.bytes(), viaClosure, writer.count)
    }

    @Test("spliced output equals copied output, through bytes(), withUnsafeBytes and count")
    func splicedEqualsCopied() {
        let copied = encode(spliced: false)
        let spliced = encode(spliced: true)
        #expect(spliced.bytes == copied.bytes)
        #expect(spliced.viaClosure == copied.bytes)
        #expect(spliced.count == copied.bytes.count)
        #expect(copied.viaClosure == copied.bytes)
    }

    @Test("a writer started in a borrowed buffer grows out of it and writes what a heap writer writes")
    func borrowedBuffer() {
        let heap = encode(spliced: false)
        for size in [16, 64, WireWriter.stackCapacity] {
            let borrowed = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                buffer.initialize(repeating: 0xEE)
                initialized = size
            }
            var scratch = borrowed
            let (bytes, count) = scratch.withUnsafeMutableBufferPointer { buffer in
                var writer = WireWriter(borrowing: buffer)
                writeSample(&writer, spliced: false)
                return (writer.bytes(), writer.count)
            }
            #expect(bytes == heap.bytes, "buffer of \(size) bytes")
            #expect(count == heap.bytes.count)
        }
    }

    /// A forward varint encoder, independent of the writer, for expected bytes.
    private func varint(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    @Test("growing through many allocations (without copying) keeps every byte in order, nested lengths included")
    func growthKeepsOrder() {
        var writer = WireWriter(initialCapacity: 16)
        var inner: [UInt8] = []
        for i in 0..<300 { inner += varint(UInt64(2 << 3)) + varint(UInt64(i) * 1_000_003) }
        var expected: [UInt8] = varint(UInt64(1 << 3 | 2)) + varint(UInt64(inner.count)) + inner
        expected += varint(UInt64(3 << 3 | 2)) + varint(5000) + pattern(5000, seed: 4)
        writeBytes(&writer, pattern(5000, seed: 4), field: 3, spliced: true)
        writer.writeLengthDelimited(field: 1) { nested in
            for i in (0..<300).reversed() { nested.write(uint64: UInt64(i) * 1_000_003, field: 2) }
        }
        #expect(writer.count == expected.count)
        #expect(writer.bytes() == expected)
        #expect(writer.withUnsafeBytes { Array($0) } == expected)
    }
}
