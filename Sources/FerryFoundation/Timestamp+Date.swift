/// Public: the extensions are on FerryCodec's `Timestamp` and `Duration` types.
public import FerryCodec

#if canImport(FoundationEssentials)
/// Public: `Date` (FoundationEssentials where it exists) appears in the conversions' signatures.
public import FoundationEssentials
#else
/// Public: `Date` appears in the conversions' signatures.
public import Foundation
#endif

// Foundation conveniences live in their own module so that FerryCodec stays standard-library only:
// a service that only decodes events need not link Foundation.

extension Google_Protobuf_Timestamp {
    /// Creates a timestamp for `date`: whole seconds since 1970 (rounded down, so the fraction is
    /// never negative) and the fraction rounded to the nearest nanosecond.
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let seconds = interval.rounded(.down)
        var nanos = ((interval - seconds) * 1_000_000_000).rounded()
        var wholeSeconds = Int64(seconds)
        if nanos >= 1_000_000_000 {
            wholeSeconds += 1
            nanos -= 1_000_000_000
        }
        self.init(seconds: wholeSeconds, nanos: Int32(nanos))
    }

    /// The instant as a Foundation `Date` (to `Date`'s sub-microsecond precision).
    public var date: Date {
        Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1_000_000_000)
    }
}

extension Google_Protobuf_Duration {
    /// The duration in seconds as a `TimeInterval`.
    public var timeInterval: TimeInterval {
        Double(seconds) + Double(nanos) / 1_000_000_000
    }
}
