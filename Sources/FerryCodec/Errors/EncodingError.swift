/// A message could not be encoded: ``Message/serializedBytes(partial:)`` found a required field
/// unset, which a receiver that checks required fields (every protobuf runtime) would reject.
public struct EncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message whose required field (here or in a sub-message) is missing.
    public var messageName: String

    /// An error for the message named `messageName`.
    public init(missingRequiredFieldIn messageName: String) {
        self.messageName = messageName
    }

    /// `<message> is missing a required field`.
    public var description: String { "\(messageName) is missing a required field (proto2 required or LEGACY_REQUIRED)" }
}

extension Message {
    /// The binary encoding, checked first: unless `partial`, a message with a required field
    /// unset (proto2 `required`, or the LEGACY_REQUIRED feature; here or in a sub-message) is an
    /// error rather than bytes a receiver would reject. ``serializedBytes()`` writes partial
    /// messages without checking; the RPC and registry serializers use this check.
    @inlinable
    public func serializedBytes(partial: Bool) throws(EncodingError) -> [UInt8] {
        if !partial && !isInitialized { throw EncodingError(missingRequiredFieldIn: Self.protoMessageName) }
        return serializedBytes()
    }
}
