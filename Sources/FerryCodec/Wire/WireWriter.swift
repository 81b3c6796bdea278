/// Writes protobuf binary data back to front.
///
/// The writer fills its buffer from the end towards the start. Because a nested message is
/// written before the tag and length that precede it, its length is known exactly when the
/// prefix is written: encoding is one pass over the message, with no size pre-computation and
/// no shifting of bytes, however deep the nesting.
///
/// The consequence for callers (generated code) is that fields are written in reverse: unknown
/// fields first, then fields from the highest number to the lowest, and repeated elements from
/// last to first. The bytes that come out are in the usual forward order.
public struct WireWriter: ~Copyable {
    /// Start of the owned allocation of `capacity` bytes that is being filled.
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    /// Index of the first written byte of the current allocation.
    @usableFromInline var start: Int
    /// The current allocation's bytes from here on are already recorded in the spill's segments;
    /// its unrecorded part is `base[start ..< sealedEnd]`, which comes first in the output.
    @usableFromInline var sealedEnd: Int
    /// Output recorded apart from the current allocation's unrecorded part; nil until the writer
    /// first grows or splices, so a message that fits its first buffer (most do) creates, retains
    /// and frees no array.
    @usableFromInline var spill: Spill?
    /// The total size of the spill's segments.
    @usableFromInline var segmentBytes: Int
    /// The caller's buffer the writer started in (``init(borrowing:)``): written into, never freed.
    @usableFromInline let borrowed: UnsafeMutablePointer<UInt8>?

    /// Output written earlier, and the allocations it lives in.
    @usableFromInline
    final class Spill {
        /// Pieces in the order written (so the last is first in the output): parts of earlier
        /// allocations, and large byte arrays kept by reference instead of copied (see
        /// ``WireWriter/writeRaw(_:)-([UInt8])``). ``WireWriter/bytes()`` copies each once,
        /// straight into the output, so neither growing the buffer nor a big `bytes` field costs an
        /// extra pass over the data.
        var segments: [Segment] = []
        /// Earlier allocations of the writer that segments still point into.
        var retired: [UnsafeMutablePointer<UInt8>] = []

        @usableFromInline init() {}

        deinit {
            for allocation in retired { allocation.deallocate() }
        }
    }

    /// A piece of output written before the current allocation's unrecorded part.
    @usableFromInline
    enum Segment {
        /// Bytes of an earlier allocation (or of the current one), owned by the writer.
        case memory(UnsafePointer<UInt8>, count: Int)
        /// A byte array written by reference.
        case array([UInt8])
    }

    /// Byte arrays at least this long are spliced rather than copied into the buffer.
    @usableFromInline static let spliceThreshold = 2048

    /// Creates a writer whose buffer first holds `initialCapacity` bytes; it grows as needed.
    public init(initialCapacity: Int = 256) {
        let capacity = Swift.max(initialCapacity, 16)
        self.base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        self.capacity = capacity
        self.start = capacity
        self.sealedEnd = capacity
        self.spill = nil
        self.segmentBytes = 0
        self.borrowed = nil
    }

    /// The size of the stack buffer ``Message/serializedBytes()`` starts a writer in: a message
    /// this small is encoded with one allocation, the result's.
    @usableFromInline static let stackCapacity = 256

    /// Creates a writer that starts in `buffer` (at least 16 bytes), which must outlive the
    /// writer; it continues in allocations of its own when the buffer is full.
    @inlinable
    init(borrowing buffer: UnsafeMutableBufferPointer<UInt8>) {
        precondition(buffer.count >= 16, "a writer's first buffer holds at least 16 bytes")
        // Safe: a buffer of 16 or more elements has a base address.
        let address = buffer.baseAddress!
        self.base = address
        self.capacity = buffer.count
        self.start = buffer.count
        self.sealedEnd = buffer.count
        self.spill = nil
        self.segmentBytes = 0
        self.borrowed = address
    }

    deinit {
        if base != borrowed { base.deallocate() }
        // The spill, if any, frees the earlier allocations.
    }

    /// How many bytes have been written so far.
    @inlinable
    public var count: Int { sealedEnd &- start &+ segmentBytes }

    /// The bytes written, in forward order.
    public func bytes() -> [UInt8] {
        if segmentBytes == 0 {
            // Safe: base[start ..< sealedEnd] is initialized and owned by this writer.
            return Array(UnsafeBufferPointer(start: base + start, count: sealedEnd - start))
        }
        let total = count
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            // Safe: the buffer has room for `total` bytes, exactly what `assemble` writes.
            if let target = buffer.baseAddress { assemble(into: UnsafeMutableRawPointer(target)) }
            initialized = total
        }
    }

    /// Calls `body` with a view of the bytes written; the view must not escape.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        if segmentBytes == 0 {
            return try body(UnsafeRawBufferPointer(start: base + start, count: sealedEnd - start))
        }
        let total = count
        let joined = UnsafeMutableRawBufferPointer.allocate(byteCount: total, alignment: 1)
        defer { joined.deallocate() }
        if let target = joined.baseAddress { assemble(into: target) }
        return try body(UnsafeRawBufferPointer(joined))
    }

    /// Copies the output to `target` (`count` bytes): the current allocation's unrecorded part,
    /// then the segments, last written first.
    func assemble(into target: UnsafeMutableRawPointer) {
        var out = target
        out.copyMemory(from: base + start, byteCount: sealedEnd - start)
        out += sealedEnd - start
        guard let spill else { return }
        for segment in spill.segments.reversed() {
            switch segment {
            case .memory(let pointer, let n):
                out.copyMemory(from: pointer, byteCount: n)
                out += n
            case .array(let bytes):
                bytes.withUnsafeBytes { source in
                    if let from = source.baseAddress { out.copyMemory(from: from, byteCount: source.count) }
                }
                out += bytes.count
            }
        }
    }

    /// Records the current allocation's unrecorded part as a segment.
    @usableFromInline
    mutating func seal() {
        if sealedEnd > start {
            spilled().segments.append(.memory(UnsafePointer(base + start), count: sealedEnd - start))
            segmentBytes += sealedEnd - start
        }
        sealedEnd = start
    }

    /// The spill, created on first use.
    @usableFromInline
    mutating func spilled() -> Spill {
        if let spill { return spill }
        let created = Spill()
        spill = created
        return created
    }

    // MARK: - Room

    /// Makes room for `n` more bytes in front of those written.
    @inlinable
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if _slowPath(start < n) { grow(atLeast: n) }
    }

    /// Continues in a new, larger allocation. What was written stays where it is (a segment),
    /// so growing copies nothing.
    @usableFromInline
    mutating func grow(atLeast n: Int) {
        // Quadrupling while small keeps the allocations of a growing message few; from 1 MiB
        // on, doubling keeps the spare room of huge messages moderate.
        let factor = capacity < 1 << 20 ? 4 : 2
        var newCapacity = capacity &* factor
        while newCapacity < n { newCapacity &*= factor }
        seal()
        // The borrowed buffer is the caller's to free; segments may still point into it.
        if base != borrowed { spilled().retired.append(base) }
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        capacity = newCapacity
        start = newCapacity
        sealedEnd = newCapacity
    }

    // MARK: - Primitives

    /// Writes raw bytes in front of those written.
    @inlinable
    public mutating func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        guard n > 0, let source = bytes.baseAddress else { return }
        reserve(n)
        start &-= n
        // Safe: reserve guaranteed n free bytes before `start`.
        UnsafeMutableRawPointer(base + start).copyMemory(from: source, byteCount: n)
    }

    /// Writes raw bytes in front of those written. A large array is kept by reference and
    /// copied only once, when the output is assembled.
    @inlinable
    public mutating func writeRaw(_ bytes: [UInt8]) {
        if bytes.count >= Self.spliceThreshold {
            splice(bytes)
        } else {
            bytes.withUnsafeBytes { writeRaw($0) }
        }
    }

    @usableFromInline
    mutating func splice(_ bytes: [UInt8]) {
        seal()
        spilled().segments.append(.array(bytes))
        segmentBytes += bytes.count
    }

    /// The number of bytes `value` takes as a varint.
    @inlinable
    @inline(__always)
    public static func varintSize(_ value: UInt64) -> Int {
        // 1 + floor(bits / 7), computed without a loop; `| 1` keeps zero at one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits &* 9 &+ 64) / 64
    }

    /// Writes `value` as a base-128 varint (low seven bits first, high bit marking more bytes).
    /// Values below 128 take a one-byte fast path; longer ones are built a word at a time.
    @inlinable
    @inline(__always)
    public mutating func writeVarint(_ value: UInt64) {
        if value < 0x80 {
            reserve(1)
            start &-= 1
            base[start] = UInt8(truncatingIfNeeded: value)
            return
        }
        writeMultiByteVarint(value)
    }

    /// Writes a varint of two or more bytes. Up to eight bytes are built as one word: the
    /// 7-bit groups are spread to one per byte with three shift-and-mask steps, continuation
    /// bits are set on all but the last, and the word is stored so that its unused high bytes
    /// fall into the free space in front of `start` (the writer fills back to front).
    @inlinable
    mutating func writeMultiByteVarint(_ value: UInt64) {
        reserve(10)
        if value < 1 &<< 56 {
            let n = Self.varintSize(value)
            let continuation: UInt64 = 0x8080_8080_8080_8080 & ((1 &<< UInt64(8 &* (n &- 1))) &- 1)
            let word = (Self.spreadGroups(value) | continuation) &<< UInt64(64 &- 8 &* n)
            // Safe: reserve(10) left at least eight free bytes before `start`.
            UnsafeMutableRawPointer(base + (start &- 8)).storeBytes(of: word.littleEndian, as: UInt64.self)
            start &-= n
            return
        }
        // Nine or ten bytes (large or negative numbers): byte by byte.
        start &-= value < 1 &<< 63 ? 9 : 10
        var p = base + start
        var v = value
        while v >= 0x80 {
            p.pointee = UInt8(truncatingIfNeeded: v) | 0x80
            p += 1
            v &>>= 7
        }
        p.pointee = UInt8(truncatingIfNeeded: v)
    }

    /// Spreads the low 56 bits of `value` into eight 7-bit groups, one per byte, least
    /// significant group in the lowest byte.
    @inlinable
    @inline(__always)
    static func spreadGroups(_ value: UInt64) -> UInt64 {
        var x = value
        x = ((x & 0x00FF_FFFF_F000_0000) &<< 4) | (x & 0x0000_0000_0FFF_FFFF)
        x = ((x & 0x0FFF_C000_0FFF_C000) &<< 2) | (x & 0x0000_3FFF_0000_3FFF)
        x = ((x & 0x3F80_3F80_3F80_3F80) &<< 1) | (x & 0x007F_007F_007F_007F)
        return x
    }

    /// Writes a field tag: the field number shifted left three bits, or-ed with the wire type, as a varint.
    @inlinable
    @inline(__always)
    public mutating func writeTag(field: Int, wireType: WireType) {
        writeVarint(UInt64(truncatingIfNeeded: field << 3 | Int(wireType.rawValue)))
    }

    /// Writes four bytes, little-endian, as `fixed32`, `sfixed32` and `float` use on the wire.
    @inlinable
    @inline(__always)
    public mutating func writeFixed32(_ value: UInt32) {
        reserve(4)
        start &-= 4
        UnsafeMutableRawPointer(base + start).storeBytes(of: value.littleEndian, as: UInt32.self)
    }

    /// Writes eight bytes, little-endian, as `fixed64`, `sfixed64` and `double` use on the wire.
    @inlinable
    @inline(__always)
    public mutating func writeFixed64(_ value: UInt64) {
        reserve(8)
        start &-= 8
        UnsafeMutableRawPointer(base + start).storeBytes(of: value.littleEndian, as: UInt64.self)
    }

    /// Writes a string's UTF-8 bytes, without tag or length. Not inlinable: the copy dominates.
    public mutating func writeUTF8(_ string: String) {
        // Native strings lend their UTF-8 without the mutable copy (and retain) that
        // `withUTF8` needs; others (bridged, say) are made contiguous first.
        let written: Void? = string.utf8.withContiguousStorageIfAvailable { writeRaw(UnsafeRawBufferPointer($0)) }
        if written == nil {
            var copy = string
            copy.withUTF8 { writeRaw(UnsafeRawBufferPointer($0)) }
        }
    }

    /// Writes everything `body` writes, preceded by its length as a varint.
    @inlinable
    @inline(__always)
    public mutating func writeLengthDelimited(field: Int, _ body: (inout WireWriter) -> Void) {
        let before = count
        body(&self)
        writeVarint(UInt64(truncatingIfNeeded: count &- before))
        writeTag(field: field, wireType: .lengthDelimited)
    }
}
