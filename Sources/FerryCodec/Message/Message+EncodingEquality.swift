extension Message {
    /// Whether `self` and `other` have the same deterministic binary encoding (map keys sorted,
    /// unknown fields kept as read).
    ///
    /// Generated class-backed messages (those with many fields) compare with this instead of
    /// field by field: one shared function instead of a comparison per field in every message,
    /// which kept the object code of large schemas small. It differs from field-wise equality
    /// only for floating-point fields with explicit presence: `-0.0` and `0.0` differ, and a NaN
    /// equals the same NaN (as protobuf-java's `equals` has it).
    public func hasEqualEncoding(to other: Self) -> Bool {
        var lhs = WireWriter()
        encode(to: &lhs)
        var rhs = WireWriter()
        other.encode(to: &rhs)
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in a.elementsEqual(b) } }
    }

    /// Feeds the deterministic binary encoding to `hasher`: the hash that matches
    /// ``hasEqualEncoding(to:)``.
    public func hashEncoding(into hasher: inout Hasher) {
        var writer = WireWriter()
        encode(to: &writer)
        writer.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
