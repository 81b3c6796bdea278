// Errors built by the wire reader's inlinable fast paths. Each is a call to one out-of-line
// function, so the message formatting is not copied into every generated `decode(from:)`.

extension DecodingError {
    @usableFromInline @inline(never)
    static func wrongWireType(expected: WireType, found: WireType) -> DecodingError {
        DecodingError(.wrongWireType, detail: "expected \(expected), found \(found)")
    }

    @usableFromInline @inline(never)
    static func lengthOutOfBounds(_ length: UInt64, remaining: Int) -> DecodingError {
        DecodingError(.lengthOutOfBounds, detail: "length \(length) with \(remaining) bytes left")
    }

    @usableFromInline @inline(never)
    static func truncated(_ detail: StaticString, field: Int? = nil) -> DecodingError {
        DecodingError(.truncated, fieldPath: field.map { [$0] } ?? [], detail: "\(detail)")
    }

    @usableFromInline @inline(never)
    static func recursionLimit(field: Int? = nil) -> DecodingError {
        DecodingError(.recursionLimitExceeded, fieldPath: field.map { [$0] } ?? [])
    }

    @usableFromInline @inline(never)
    static func invalidUTF8() -> DecodingError {
        DecodingError(.invalidUTF8)
    }
}
