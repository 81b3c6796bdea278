extension Google_Protobuf_Timestamp {
    /// The earliest and latest instants a Timestamp may hold: 0001-01-01T00:00:00Z and
    /// 9999-12-31T23:59:59.999999999Z, as seconds since the Unix epoch.
    public static let validSeconds: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// Creates a timestamp from seconds since 1970-01-01T00:00:00Z and a non-negative
    /// fraction of a second in nanoseconds.
    public init(seconds: Int64, nanos: Int32 = 0) {
        self.init()
        self.seconds = seconds
        self.nanos = nanos
    }

    /// Creates a timestamp a Swift duration after (or, if negative, before) the Unix epoch,
    /// rounding down to whole nanoseconds.
    public init(sinceEpoch offset: Swift.Duration) {
        let (seconds, attoseconds) = offset.components
        var wholeSeconds = seconds
        var nanos = attoseconds / 1_000_000_000
        if nanos < 0 || (nanos == 0 && attoseconds < 0) {
            // Timestamps keep nanos in 0 ..< 1e9, so a negative fraction borrows a second.
            wholeSeconds -= 1
            nanos += 1_000_000_000
            if attoseconds % 1_000_000_000 != 0 { nanos -= 1 }
        }
        self.init(seconds: wholeSeconds, nanos: Int32(nanos))
    }

    /// The time since the Unix epoch as a Swift duration.
    public var sinceEpoch: Swift.Duration {
        .seconds(seconds) + .nanoseconds(Int64(nanos))
    }

    /// Whether the value lies in the range protobuf allows (year 1 to 9999, nanos 0 ..< 1e9).
    public var isValid: Bool {
        Self.validSeconds.contains(seconds) && (0..<1_000_000_000).contains(nanos)
    }
}
