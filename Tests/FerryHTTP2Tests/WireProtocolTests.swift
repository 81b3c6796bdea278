import FerryCodec
import FerryRPC
import Foundation
import Testing

@testable import FerryHTTP2

/// The envelopes of Connect and gRPC-Web, piece by piece (the end-to-end checks against buf curl
/// and hand-made requests are in InteropTests/ConnectWebTests).
@Suite("Connect and gRPC-Web envelopes")
struct WireProtocolTests {
    @Test(
        "the content type names the protocol and the codec",
        arguments: [
            ("application/grpc", WireProtocol?.some(.grpc), MessageCodec.proto),
            ("application/grpc+proto", .grpc, .proto),
            ("application/grpc+json", .grpc, .json),
            ("application/grpc-web", .grpcWeb(text: false), .proto),
            ("Application/GRPC-Web+proto; charset=utf-8", .grpcWeb(text: false), .proto),
            ("application/grpc-web+json", .grpcWeb(text: false), .json),
            ("application/grpc-web-text", .grpcWeb(text: true), .proto),
            ("application/grpc-web-text+proto", .grpcWeb(text: true), .proto),
            ("application/connect+proto", .connectStreaming, .proto),
            ("application/connect+json", .connectStreaming, .json),
            ("application/proto", .connectUnary, .proto),
            ("application/json", .connectUnary, .json),
            ("application/json; charset=utf-8", .connectUnary, .json),
            ("text/plain", nil, .proto),
        ]
    )
    func classification(_ contentType: String, _ expected: WireProtocol?, _ codec: MessageCodec) {
        #expect(WireProtocol(contentType: contentType) == expected)
        #expect(WireProtocol.codec(contentType: contentType) == codec)
        if let expected { #expect(WireProtocol(contentType: expected.contentType(codec: codec)) == expected) }
    }

    @Test("Connect's code names and HTTP statuses, as its specification tables them")
    func connectCodes() {
        let table: [(Status.Code, String, Int)] = [
            (.cancelled, "canceled", 499), (.unknown, "unknown", 500), (.invalidArgument, "invalid_argument", 400),
            (.deadlineExceeded, "deadline_exceeded", 504), (.notFound, "not_found", 404),
            (.alreadyExists, "already_exists", 409), (.permissionDenied, "permission_denied", 403),
            (.resourceExhausted, "resource_exhausted", 429), (.failedPrecondition, "failed_precondition", 400),
            (.aborted, "aborted", 409), (.outOfRange, "out_of_range", 400), (.unimplemented, "unimplemented", 501),
            (.internalError, "internal", 500), (.unavailable, "unavailable", 503), (.dataLoss, "data_loss", 500),
            (.unauthenticated, "unauthenticated", 401),
        ]
        for (code, name, status) in table {
            #expect(ConnectCoding.codeName(code) == name)
            #expect(ConnectCoding.httpStatus(code) == status, "\(name)")
        }
    }

    @Test(
        "the end-of-stream message: flag 0x02, the error with details from grpc-status-details-bin, trailers as lists"
    )
    func endStream() throws {
        // google.rpc.Status{code: 5, details: [Any{type_url: "type.googleapis.com/x.Y", value: 01 02}]}
        let detail: [UInt8] = [0x0A, 0x17] + Array("type.googleapis.com/x.Y".utf8) + [0x12, 0x02, 0x01, 0x02]
        let statusBytes: [UInt8] = [0x08, 0x05, 0x1A, UInt8(detail.count)] + detail
        var trailers: Metadata = ["k": "v1"]
        trailers.addString("v2", forKey: "k")
        trailers.addBinary(statusBytes, forKey: RPCError.statusDetailsKey)
        let framed = ConnectCoding.endStreamMessage(Status(code: .notFound, message: "gone"), trailers: trailers)
        #expect(framed[0] == 0x02)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(framed.dropFirst(5))) as? [String: Any])
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["code"] as? String == "not_found" && error["message"] as? String == "gone")
        let details = try #require(error["details"] as? [[String: String]])
        #expect(details == [["type": "x.Y", "value": "AQI"]])
        #expect((object["metadata"] as? [String: [String]])?["k"] == ["v1", "v2"])

        let ok = ConnectCoding.endStreamMessage(Status(code: .ok, message: ""), trailers: [:])
        #expect(Array(ok.dropFirst(5)) == Array("{}".utf8))
    }

    @Test("gRPC-Web's trailer message is HTTP/1-style header lines under flag 0x80")
    func webTrailers() {
        let framed = GRPCWebCoding.trailerMessage(Status(code: .notFound, message: "a b"), trailers: ["x-k": "v"])
        #expect(framed[0] == 0x80)
        #expect(
            String(decoding: framed.dropFirst(5), as: UTF8.self) == "grpc-status:5\r\ngrpc-message:a b\r\nx-k:v\r\n"
        )
    }

    @Test(
        "a grpc-web-text body decodes across arbitrary piece boundaries and padded chunks; a stray character fails it"
    )
    func webText() {
        let message: [UInt8] = [0, 0, 0, 0, 3, 7, 8, 9]
        let text = Array((Base64.encode(message) + Base64.encode([1])).utf8)
        for split in 0...text.count {
            var decoder = GRPCWebCoding.TextDecoder()
            let first = decoder.decode(Array(text[..<split]))
            let second = decoder.decode(Array(text[split...]))
            #expect(first.map { $0 + (second ?? []) } == message + [1], "split at \(split)")
            #expect(decoder.bufferedBytes == 0)
        }
        var decoder = GRPCWebCoding.TextDecoder()
        #expect(decoder.decode(Array("AA*A".utf8)) == nil)
    }

    @Test("connect-timeout-ms is at most 10 digits of milliseconds; grpc-timeout stays gRPC's")
    func timeouts() {
        func head(_ name: String, _ value: String) -> HeaderCoding.RequestHead {
            HeaderCoding.RequestHead([HeaderField(name, value)])
        }
        #expect(head("connect-timeout-ms", "250").timeout(for: .connectUnary) == .milliseconds(250))
        #expect(head("connect-timeout-ms", "12345678901").timeout(for: .connectStreaming) == nil)
        #expect(head("connect-timeout-ms", "-5").timeout(for: .connectUnary) == nil)
        #expect(head("connect-timeout-ms", "250").timeout(for: .grpc) == nil)
        #expect(head("grpc-timeout", "3S").timeout(for: .grpcWeb(text: false)) == .seconds(3))
    }
}
