/// Reads protobuf binary data for generated `decode(from:)` methods.
///
/// A reader is a window over bytes that the runtime keeps alive for the duration of one
/// decode call (``Message/init(serializedBytes:options:)`` and friends create it); it must not
/// be stored. Every read checks bounds first, so malformed input ends in a ``DecodingError``.
public struct WireReader {
    @usableFromInline var position: UnsafePointer<UInt8>
    @usableFromInline var end: UnsafePointer<UInt8>
    /// Where the last tag returned by `nextTag` began, so unknown fields keep their exact bytes.
    @usableFromInline var tagStart: UnsafePointer<UInt8>
    /// How many more levels of messages or groups may be entered.
    @usableFromInline var remainingDepth: Int
    /// The group being read (its field number), or 0 when reading a length-delimited body.
    @usableFromInline var openGroup: Int
    @usableFromInline let discardUnknownFields: Bool
    /// The extensions to check while reading (``DecodingOptions/extensions``).
    @usableFromInline let extensions: ExtensionRegistry
    /// The field whose value is being read (0 between fields), so that an error can name it
    /// without every read site catching and re-throwing: message boundaries do that once.
    @usableFromInline var currentField: Int

    @usableFromInline
    init(_ buffer: UnsafeRawBufferPointer, options: DecodingOptions) {
        // Safe: an empty buffer may have no base address; any valid pointer with a zero-length
        // window is never dereferenced.
        let start =
            buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
            ?? UnsafePointer(bitPattern: 1)!
        self.position = start
        self.end = start + buffer.count
        self.tagStart = start
        self.remainingDepth = options.recursionLimit
        self.openGroup = 0
        self.discardUnknownFields = options.discardUnknownFields
        self.extensions = options.extensions
        self.currentField = 0
    }

    @inlinable
    var remaining: Int { end - position }

    /// Whether every byte of this message (or group) has been read.
    @inlinable
    public var isAtEnd: Bool { position == end }

    // MARK: - Tags

    /// Reads the next tag, or returns `nil` at the end of the message (or of the open group).
    @inlinable
    public mutating func nextTag() throws(DecodingError) -> FieldTag? {
        if position == end {
            if _slowPath(openGroup != 0) { throw .truncated("a group has no end tag") }
            return nil
        }
        tagStart = position
        let raw: UInt64
        if position.pointee < 0x80 {
            raw = UInt64(position.pointee)
            position += 1
        } else {
            currentField = 0
            raw = try readVarintSlow()
            // Tags are 32-bit varints: protobuf's C++ and upb parsers reject longer encodings.
            guard position - tagStart <= 5 else {
                throw DecodingError(
                    .invalidFieldNumber,
                    detail: "tag encoded in \(position - tagStart) bytes, more than 5"
                )
            }
        }
        // Fast path: a 32-bit tag with a nonzero field number and a value-carrying wire type.
        let wireBits = UInt8(truncatingIfNeeded: raw & 7)
        if _fastPath(raw <= UInt64(UInt32.max) && raw >= 8 && wireBits != WireType.endGroup.rawValue && wireBits < 6),
            let wireType = WireType(rawValue: wireBits)
        {
            currentField = Int(truncatingIfNeeded: raw >> 3)
            return FieldTag(fieldNumber: currentField, wireType: wireType)
        }
        return try endOfGroupOrInvalidTag(raw)
    }

    /// The rare cases of `nextTag`: an end-group tag (valid only for the open group) or an invalid tag.
    @usableFromInline
    mutating func endOfGroupOrInvalidTag(_ raw: UInt64) throws(DecodingError) -> FieldTag? {
        currentField = 0
        guard raw <= UInt64(UInt32.max) else {
            throw DecodingError(.invalidFieldNumber, detail: "tag value \(raw) exceeds 32 bits")
        }
        let fieldNumber = Int(truncatingIfNeeded: raw >> 3)
        guard let wireType = WireType(rawValue: UInt8(truncatingIfNeeded: raw & 7)) else {
            throw DecodingError(.invalidWireType, detail: "wire type \(raw & 7) for field \(fieldNumber)")
        }
        guard fieldNumber > 0 else {
            throw DecodingError(.invalidFieldNumber, detail: "field number 0")
        }
        guard wireType == .endGroup, fieldNumber == openGroup else {
            throw DecodingError(
                .unmatchedEndGroup,
                detail:
                    """
                    end of group \(fieldNumber) while \
                    \(openGroup == 0 ? "no group is open" : "group \(openGroup) is open")
                    """
            )
        }
        openGroup = 0
        return nil
    }

    // MARK: - Primitives

    /// Reads a varint (no tag): up to ten bytes, an overlong or truncated one is an error.
    @inlinable
    @inline(__always)
    public mutating func readVarint() throws(DecodingError) -> UInt64 {
        if _fastPath(position < end) {
            let first = position.pointee
            if first < 0x80 {
                position += 1
                return UInt64(first)
            }
            if _fastPath(end - position >= 10) { return try readMultiByteVarint() }
        }
        return try readVarintSlow()
    }

    /// Reads a varint of two or more bytes when ten bytes (the longest varint) remain, so no
    /// byte needs its own bounds check. (A word-at-a-time variant that packs the 7-bit groups
    /// with shifts and masks measured ~15% slower on the numeric benchmark, whose varints are
    /// mostly nine or ten bytes, or one or two.)
    @inlinable
    mutating func readMultiByteVarint() throws(DecodingError) -> UInt64 {
        var p = position
        var value = UInt64(p.pointee & 0x7F)
        p += 1
        var shift: UInt64 = 7
        while true {
            let byte = p.pointee
            p += 1
            value |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 {
                position = p
                return value
            }
            shift &+= 7
            if _slowPath(shift >= 70) { throw Self.overlongVarint() }
        }
    }

    @usableFromInline
    static func overlongVarint() -> DecodingError {
        DecodingError(.malformedVarint, detail: "varint longer than 10 bytes")
    }

    /// Reads a varint near the end of the window, checking every byte.
    @usableFromInline
    mutating func readVarintSlow() throws(DecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var p = position
        while shift < 70 {
            guard p < end else { throw DecodingError(.truncated, detail: "varint runs past the end") }
            let byte = p.pointee
            p += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                position = p
                return value
            }
            shift += 7
        }
        throw Self.overlongVarint()
    }

    /// Reads four little-endian bytes (no tag).
    @inlinable
    public mutating func readFixed32() throws(DecodingError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated("fixed32 needs 4 bytes") }
        let value = UnsafeRawPointer(position).loadUnaligned(as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    /// Reads eight little-endian bytes (no tag).
    @inlinable
    public mutating func readFixed64() throws(DecodingError) -> UInt64 {
        guard remaining >= 8 else { throw .truncated("fixed64 needs 8 bytes") }
        let value = UnsafeRawPointer(position).loadUnaligned(as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }

    /// Reads a length prefix and checks that so many bytes remain. Like protobuf's C++ and upb
    /// parsers, it takes at most 5 bytes (lengths are below 2 GiB), however the value is padded.
    @inlinable
    public mutating func readLength() throws(DecodingError) -> Int {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(remaining) else {
            throw .lengthOutOfBounds(length, remaining: remaining)
        }
        if _slowPath(position - start > 5) {
            throw DecodingError(.malformedVarint, detail: "length prefix of \(position - start) bytes, more than 5")
        }
        return Int(truncatingIfNeeded: length)
    }

    /// Reads a length-prefixed UTF-8 string (no tag).
    ///
    /// Deliberately not inlinable: validation and allocation dominate its cost, and inlining the
    /// string construction into every generated string field grew object code for nothing.
    public mutating func readStringValue() throws(DecodingError) -> String {
        let length = try readLength()
        let bytes = UnsafeBufferPointer(start: position, count: length)
        position += length
        return try Self.validatedString(bytes)
    }

    /// The string whose UTF-8 encoding is `bytes`, which protobuf requires to be well-formed.
    @usableFromInline
    static func validatedString(_ bytes: UnsafeBufferPointer<UInt8>) throws(DecodingError) -> String {
        #if compiler(>=6.2)
        if #available(macOS 26, iOS 26, watchOS 26, tvOS 26, visionOS 26, *) {
            // One validating pass, and the string is built without validating again.
            do throws(UTF8.ValidationError) {
                return String(copying: try UTF8Span(validating: bytes.span))
            } catch {
                throw .invalidUTF8()
            }
        }
        #endif
        guard UTF8Validation.isValid(bytes) else { throw .invalidUTF8() }
        // Valid input: `decoding` has nothing to repair.
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a length-prefixed byte string (no tag). Not inlinable, like ``readStringValue()``.
    public mutating func readBytesValue() throws(DecodingError) -> [UInt8] {
        let length = try readLength()
        let bytes = Array(UnsafeBufferPointer(start: position, count: length))
        position += length
        return bytes
    }

    /// Reads a length-prefixed message body (no tag), merging into `message`.
    @inlinable
    public mutating func readMessageValue<M: Message>(into message: inout M) throws(DecodingError) {
        let length = try readLength()
        guard remainingDepth > 0 else { throw .recursionLimit() }
        try readMessageBody(length: length, into: &message)
    }

    /// Reads a message body of `length` bytes (already checked to remain), merging into `message`.
    @inlinable
    mutating func readMessageBody<M: Message>(length: Int, into message: inout M) throws(DecodingError) {
        let savedEnd = end
        let savedGroup = openGroup
        end = position + length
        openGroup = 0
        remainingDepth -= 1
        currentField = 0
        try message.decode(from: &self)
        remainingDepth += 1
        openGroup = savedGroup
        end = savedEnd
    }

    /// `error`, raised inside the body of field `field`, as seen from outside that body: the
    /// inner field being read (if the error did not name one yet) and then `field` join its path.
    @usableFromInline @inline(never)
    func enclosing(_ error: DecodingError, inField field: Int) -> DecodingError {
        var error = error
        if error.fieldPath.isEmpty && currentField != 0 { error.fieldPath = [currentField] }
        error.fieldPath.insert(field, at: 0)
        return error
    }

    /// `error` as seen from the top-level message: it names the field being read if it did not
    /// name one yet.
    @usableFromInline @inline(never)
    func atTopLevel(_ error: DecodingError) -> DecodingError {
        var error = error
        if error.fieldPath.isEmpty && currentField != 0 { error.fieldPath = [currentField] }
        return error
    }

    // MARK: - Checks

    /// Throws unless `tag` has the wire type the field's declaration implies.
    @inlinable
    @inline(__always)
    public func expect(_ tag: FieldTag, _ wireType: WireType) throws(DecodingError) {
        if _slowPath(tag.wireType != wireType) {
            throw .wrongWireType(expected: wireType, found: tag.wireType)
        }
    }
}
