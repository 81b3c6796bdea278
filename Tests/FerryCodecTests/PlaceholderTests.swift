import Testing
@testable import FerryCodec

@Suite struct VarintSizeTests {
    @Test("varint sizes match the number of 7-bit groups", arguments: [(UInt64(0), 1), (127, 1), (128, 2), (16383, 2), (16384, 3), (UInt64.max, 10)])
    func sizes(value: UInt64, size: Int) {
        #expect(WireWriter.varintSize(value) == size)
    }
}
