import FerryCodec
import FerryRPC
import Testing

@testable import FerryHTTP2

@Suite("gRPC framing: length-prefixed messages, grpc-timeout, grpc-message, base64, status mapping")
struct FramingTests {
    static let messages: [[UInt8]] = [[], [1], Array(repeating: 7, count: 300), Array(0...255), [42, 43]]

    static func body() -> [UInt8] { messages.flatMap(GRPCMessageDeframer.frame) }

    static func decode(chunks: [[UInt8]]) throws -> [[UInt8]] {
        var deframer = GRPCMessageDeframer(maxMessageBytes: 1000)
        var output: [[UInt8]] = []
        for chunk in chunks {
            deframer.append(chunk)
            while let message = try deframer.next() { output.append(message) }
        }
        #expect(deframer.bufferedBytes == 0)
        return output
    }

    @Test("Messages decode the same fed byte by byte, all at once, and in uneven chunks")
    func dripFeed() throws {
        let body = Self.body()
        #expect(try Self.decode(chunks: body.map { [$0] }) == Self.messages)
        #expect(try Self.decode(chunks: [body]) == Self.messages)
        for size in [2, 3, 5, 7, 64, 299] {
            let chunks = stride(from: 0, to: body.count, by: size).map { Array(body[$0..<min($0 + size, body.count)]) }
            #expect(try Self.decode(chunks: chunks) == Self.messages)
        }
    }

    @Test("A length over the limit fails before the body arrives; a compressed or invalid flag fails")
    func failures() {
        var deframer = GRPCMessageDeframer(maxMessageBytes: 10)
        deframer.append([0, 0, 0, 0, 11])
        #expect(throws: GRPCMessageDeframer.Failure.tooLarge(length: 11, limit: 10)) { try deframer.next() }
        var compressed = GRPCMessageDeframer(maxMessageBytes: 10)
        compressed.append([1, 0, 0, 0, 1, 9])
        #expect(throws: GRPCMessageDeframer.Failure.compressed) { try compressed.next() }
        var invalid = GRPCMessageDeframer(maxMessageBytes: 10)
        invalid.append([2, 0, 0, 0, 0])
        #expect(throws: GRPCMessageDeframer.Failure.invalidFlag(2)) { try invalid.next() }
    }

    @Test("grpc-timeout uses at most 8 digits, rounds up and parses every unit")
    func timeout() {
        #expect(GRPCTimeout.encode(.milliseconds(1500)) == "1500000u")
        #expect(GRPCTimeout.encode(.nanoseconds(5)) == "5n")
        #expect(GRPCTimeout.encode(.seconds(100_000)) == "100000S")
        #expect(GRPCTimeout.encode(.seconds(1_000_000_000)) == "16666667M")
        #expect(GRPCTimeout.encode(.seconds(100_000_000_000)) == "27777778H")
        #expect(GRPCTimeout.decode("1500000u") == .milliseconds(1500))
        #expect(GRPCTimeout.decode("3H") == .seconds(3 * 3600))
        #expect(GRPCTimeout.decode("2M") == .seconds(120))
        #expect(GRPCTimeout.decode("7m") == .milliseconds(7))
        #expect(GRPCTimeout.decode("123456789S") == nil)
        #expect(GRPCTimeout.decode("12x") == nil)
        #expect(GRPCTimeout.decode("S") == nil)
    }

    @Test("grpc-message percent-encodes non-printable and non-ASCII bytes and '%'")
    func percentEncoding() {
        let message = "t\u{0}e\ns%t ✓ 日本"
        let encoded = PercentEncoding.encode(message)
        #expect(encoded == "t%00e%0As%25t %E2%9C%93 %E6%97%A5%E6%9C%AC")
        #expect(PercentEncoding.decode(encoded) == message)
        #expect(PercentEncoding.decode("bad %zz and %4") == "bad %zz and %4")
    }

    @Test("Base64 round-trips every length and accepts unpadded input")
    func base64() {
        for length in 0..<20 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            let encoded = Base64.encode(bytes)
            #expect(encoded.count % 4 == 0)
            #expect(Base64.decode(encoded) == bytes)
            #expect(Base64.decode(String(encoded.drop { _ in false }.filter { $0 != "=" })) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.decode("Zm9vYg") == Array("foob".utf8))
        #expect(Base64.decode("Zm9v*") == nil)
    }

    @Test(
        "HTTP statuses from non-gRPC peers map to gRPC codes",
        arguments: [
            (400, Status.Code.internalError), (401, .unauthenticated), (403, .permissionDenied), (404, .unimplemented),
            (429, .unavailable), (502, .unavailable), (503, .unavailable), (504, .unavailable), (500, .unknown),
            (418, .unknown),
        ]
    )
    func httpStatusMapping(status: Int, code: Status.Code) {
        #expect(HTTPStatusMapping.code(forHTTPStatus: status) == code)
    }

    @Test("Trailers-Only and trailer blocks carry grpc-status and grpc-message; metadata drops reserved names")
    func headerBlocks() {
        let fields = HeaderCoding.trailers(
            status: Status(code: .notFound, message: "100%"),
            metadata: ["x": "y"],
            trailersOnly: true
        )
        #expect(fields.map(\.name) == [":status", "content-type", "grpc-status", "grpc-message", "x"])
        #expect(HeaderCoding.status(from: fields) == Status(code: .notFound, message: "100%"))
        #expect(HeaderCoding.status(from: []).code == .unknown)
        let request = HeaderCoding.requestHeaders(
            path: "/a.B/C",
            authority: "h:1",
            timeout: .seconds(1),
            metadata: ["te": "no", "k": "v"]
        )
        #expect(
            request.map(\.name) == [
                ":method", ":scheme", ":path", ":authority", "content-type", "te", "grpc-timeout", "user-agent", "k",
            ]
        )
        #expect(HeaderCoding.isGRPCContentType("application/grpc+proto"))
        #expect(!HeaderCoding.isGRPCContentType("application/grpcx"))
    }
}
