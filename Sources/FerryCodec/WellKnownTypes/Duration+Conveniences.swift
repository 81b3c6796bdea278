extension Google_Protobuf_Duration {
    /// The largest magnitude a protobuf Duration may hold: about 10,000 years, in seconds.
    public static let maxSeconds: Int64 = 315_576_000_000

    /// Creates a duration from whole seconds and nanoseconds; both must have the same sign.
    public init(seconds: Int64, nanos: Int32 = 0) {
        self.init()
        self.seconds = seconds
        self.nanos = nanos
    }

    /// Creates a protobuf duration from a Swift one, truncating to whole nanoseconds.
    public init(_ duration: Swift.Duration) {
        let (seconds, attoseconds) = duration.components
        // Swift keeps seconds and attoseconds with the same sign, as protobuf does.
        self.init(seconds: seconds, nanos: Int32(attoseconds / 1_000_000_000))
    }

    /// The same span as a Swift duration.
    public var duration: Swift.Duration {
        .seconds(seconds) + .nanoseconds(Int64(nanos))
    }

    /// Whether the value is in protobuf's range with consistent signs and nanos under a second.
    public var isValid: Bool {
        guard abs(seconds) <= Self.maxSeconds, abs(nanos) < 1_000_000_000 else { return false }
        return seconds == 0 || nanos == 0 || (seconds < 0) == (nanos < 0)
    }
}
