/// Writes protobuf binary front to back, for encoders that learn a message's fields in reading
/// order (the JSON and text parsers), unlike generated code's back-to-front ``WireWriter``.
///
/// A nested message's length is not known until its fields are written: ``beginLengthDelimited()``
/// reserves one byte, the common size of a length, and ``endLengthDelimited(_:)`` widens it
/// only when the content grew past 127 bytes. The output is canonical (minimal varints).
struct ForwardWireWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func writeTag(_ field: Int32, _ wireType: WireType) {
        writeVarint(UInt64(UInt32(bitPattern: field) << 3 | UInt32(wireType.rawValue)))
    }

    mutating func writeFixed32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func writeFixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func writeLengthDelimited(_ content: UnsafeBufferPointer<UInt8>) {
        writeVarint(UInt64(content.count))
        bytes.append(contentsOf: content)
    }

    mutating func writeLengthDelimited(_ content: [UInt8]) {
        writeVarint(UInt64(content.count))
        bytes.append(contentsOf: content)
    }

    mutating func writeString(_ text: String) {
        var text = text
        text.withUTF8 { writeLengthDelimited($0) }
    }

    /// Writes the base64 text `text` decoded, length-prefixed; false if it is not base64.
    mutating func writeBase64Decoded(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let mark = beginLengthDelimited()
        guard Base64.decode(text, acceptingURLSafe: true, appendingTo: &bytes) else { return false }
        endLengthDelimited(mark)
        return true
    }

    /// Reserves the length of a value about to be written; pass the result to ``endLengthDelimited(_:)``.
    mutating func beginLengthDelimited() -> Int {
        bytes.append(0)
        return bytes.count - 1
    }

    /// Fills in the length reserved at `mark` with the size of everything written since.
    mutating func endLengthDelimited(_ mark: Int) {
        let length = bytes.count - mark - 1
        if length < 0x80 {
            bytes[mark] = UInt8(length)
            return
        }
        var prefix: [UInt8] = []
        var rest = UInt64(length)
        while rest >= 0x80 {
            prefix.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        prefix.append(UInt8(rest))
        bytes.replaceSubrange(mark...mark, with: prefix)
    }

    /// Drops everything written after `count` bytes (an entry that turned out to be skipped).
    mutating func truncate(to count: Int) {
        bytes.removeSubrange(count...)
    }
}
