/// Fields that a decoded message's schema does not define, kept byte for byte so that
/// re-encoding the message loses nothing (protobuf's unknown-field preservation).
public struct UnknownFields: Hashable, Sendable {
    /// The fields' bytes exactly as they appeared on the wire, tags included, in arrival order.
    @usableFromInline var storage: [UInt8]

    /// No unknown fields: what a freshly created message starts with.
    @inlinable
    public init() { storage = [] }

    /// Creates unknown fields from bytes that must be a sequence of complete, valid fields.
    public init(bytes: [UInt8]) { storage = bytes }

    /// Whether no unknown fields were kept, so encoding can skip them.
    @inlinable
    public var isEmpty: Bool { storage.isEmpty }

    /// The raw bytes: tags and values as they arrived.
    public var bytes: [UInt8] { storage }

    @inlinable
    mutating func append(rawField: UnsafeBufferPointer<UInt8>) {
        storage.append(contentsOf: rawField)
    }

    /// Appends one varint field (used for unrecognized values of closed enums).
    @inlinable
    mutating func append(varint: UInt64, field: Int) {
        var writer = WireWriter(initialCapacity: 16)
        writer.writeVarint(varint)
        writer.writeTag(field: field, wireType: .varint)
        writer.withUnsafeBytes { storage.append(contentsOf: $0) }
    }
}
