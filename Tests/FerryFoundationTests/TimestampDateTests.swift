import FerryCodec
import FerryFoundation
import Foundation
import Testing

@Suite struct TimestampDateTests {
    @Test(
        "Date ↔ Timestamp keeps seconds and a non-negative fraction",
        arguments: [(1_700_000_000.25, Int64(1_700_000_000), Int32(250_000_000)), (-1.5, -2, 500_000_000), (0, 0, 0)]
    )
    func conversion(interval: Double, seconds: Int64, nanos: Int32) {
        let timestamp = Google_Protobuf_Timestamp(Date(timeIntervalSince1970: interval))
        #expect(timestamp.seconds == seconds)
        #expect(timestamp.nanos == nanos)
        #expect(timestamp.isValid)
        #expect(abs(timestamp.date.timeIntervalSince1970 - interval) < 1e-6)
    }
}
