/// A generated protobuf enum.
///
/// Open (proto3) enums have an `unrecognized(Int32)` case and a non-failing `init(rawValue:)`,
/// so numbers added by newer schemas survive decoding and re-encoding. Closed (proto2) enums
/// have only their declared cases; the decoder keeps unrecognized numbers as unknown fields.
public protocol ProtoEnum: RawRepresentable, Sendable, Hashable where RawValue == Int32 {
    /// The enum's default: its first declared value.
    init()
}
