// The testee of protobuf's conformance suite: reads framed ConformanceRequests on standard input
// and answers each with a framed ConformanceResponse on standard output, until the input ends.
import FerryCodec

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let streams = FramedStreams()
let testee = ConformanceTestee()
do throws(FramedStreams.StreamError) {
    while let request = try streams.readFrame() {
        try streams.write(frame: testee.respond(to: request).serializedBytes())
    }
} catch {
    let message = Array("ferry-conformance: \(error)\n".utf8)
    _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}
