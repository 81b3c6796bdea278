import FerryRPC
import Testing

@testable import FerryHTTP2

@Suite("Stream state machines: what each received frame turns into")
struct StateMachineTests {
    static func status(_ action: ClientStreamStateMachine.Action) -> Status? {
        for case .status(let status, _) in action.parts { return status }
        return nil
    }

    @Test(
        "A non-gRPC peer's HTTP status becomes the mapped gRPC code",
        arguments: [
            (404, Status.Code.unimplemented), (503, .unavailable), (401, .unauthenticated), (500, .unknown),
        ]
    )
    func httpStatus(http: Int, code: Status.Code) {
        var machine = ClientStreamStateMachine(maxResponseMessageBytes: 100)
        let action = machine.receivedHeaders(
            [HeaderField(":status", String(http)), HeaderField("content-type", "text/html")],
            endStream: false
        )
        #expect(Self.status(action)?.code == code)
        #expect(action.reset == HTTP2ErrorCode.cancel)
        #expect(action.finished)
        #expect(machine.isClosed)
    }

    @Test("A 200 response that isn't application/grpc fails with UNKNOWN")
    func wrongContentType() {
        var machine = ClientStreamStateMachine(maxResponseMessageBytes: 100)
        let action = machine.receivedHeaders(
            [HeaderField(":status", "200"), HeaderField("content-type", "application/json")],
            endStream: false
        )
        #expect(Self.status(action)?.code == .unknown)
    }

    @Test("Headers, messages split across DATA frames, then trailers with a percent-encoded message")
    func normalResponse() {
        var machine = ClientStreamStateMachine(maxResponseMessageBytes: 100)
        let headers = machine.receivedHeaders(HeaderCoding.responseHeaders(metadata: ["k": "v"]), endStream: false)
        guard case .metadata(let metadata)? = headers.parts.first else {
            Issue.record("no metadata part")
            return
        }
        #expect(metadata[stringValues: "k"] == ["v"])
        let body = GRPCMessageDeframer.frame([1, 2, 3]) + GRPCMessageDeframer.frame([4])
        var messages: [[UInt8]] = []
        for byte in body {
            for case .message(let bytes) in machine.receivedData([byte]).parts { messages.append(bytes) }
        }
        #expect(messages == [[1, 2, 3], [4]])
        let trailers = machine.receivedHeaders(
            [HeaderField("grpc-status", "5"), HeaderField("grpc-message", "no%20such%25")],
            endStream: true
        )
        #expect(Self.status(trailers) == Status(code: .notFound, message: "no such%"))
        #expect(trailers.finished && trailers.reset == nil)
    }

    @Test("Trailers-Only, a missing grpc-status, an oversized message and a reset map to statuses")
    func failures() {
        var trailersOnly = ClientStreamStateMachine(maxResponseMessageBytes: 100)
        let only = trailersOnly.receivedHeaders(
            HeaderCoding.trailers(status: Status(code: .aborted, message: "x"), metadata: [:], trailersOnly: true),
            endStream: true
        )
        #expect(Self.status(only) == Status(code: .aborted, message: "x"))

        var missing = ClientStreamStateMachine(maxResponseMessageBytes: 100)
        _ = missing.receivedHeaders(HeaderCoding.responseHeaders(metadata: [:]), endStream: false)
        let missingStatus = missing.receivedHeaders([], endStream: true)
        #expect(Self.status(missingStatus)?.code == .unknown)

        var large = ClientStreamStateMachine(maxResponseMessageBytes: 3)
        _ = large.receivedHeaders(HeaderCoding.responseHeaders(metadata: [:]), endStream: false)
        let tooLarge = large.receivedData([0, 0, 0, 0, 4])
        #expect(Self.status(tooLarge)?.code == .resourceExhausted)
        #expect(tooLarge.reset != nil)

        var reset = ClientStreamStateMachine(maxResponseMessageBytes: 100)
        _ = reset.receivedHeaders(HeaderCoding.responseHeaders(metadata: [:]), endStream: false)
        let refused = reset.streamClosed(errorCode: HTTP2ErrorCode.refusedStream)
        #expect(Self.status(refused)?.code == .unavailable)

        var refusedEarly = ClientStreamStateMachine(maxResponseMessageBytes: 100)
        let early = refusedEarly.streamClosed(errorCode: HTTP2ErrorCode.refusedStream)
        #expect(early.failure?.code == .unavailable)
        #expect(early.failure?.cause is StreamRefusedError)

        var noTrailers = ClientStreamStateMachine(maxResponseMessageBytes: 100)
        _ = noTrailers.receivedHeaders(HeaderCoding.responseHeaders(metadata: [:]), endStream: false)
        let ended = noTrailers.receivedEndOfData()
        #expect(Self.status(ended)?.code == .internalError)
    }

    @Test("The server rejects non-POST and non-gRPC requests with HTTP 405 and 415")
    func serverRejects() {
        var get = ServerStreamStateMachine(maxRequestMessageBytes: 100)
        guard
            case .reject(let headers, _)? = get.receivedHeaders(
                [HeaderField(":method", "GET"), HeaderField(":path", "/")],
                endStream: true
            ).0
        else {
            Issue.record("GET accepted")
            return
        }
        #expect(headers == [HeaderField(":status", "405")])
        var text = ServerStreamStateMachine(maxRequestMessageBytes: 100)
        guard
            case .reject(let textHeaders, _)? = text.receivedHeaders(
                [HeaderField(":method", "POST"), HeaderField("content-type", "text/plain")],
                endStream: false
            ).0
        else {
            Issue.record("text/plain accepted")
            return
        }
        #expect(textHeaders == [HeaderField(":status", "415")])
    }

    @Test("The server reads path, grpc-timeout and -bin metadata, limits request size and chooses Trailers-Only")
    func serverAccepts() {
        var machine = ServerStreamStateMachine(maxRequestMessageBytes: 4)
        var metadata: Metadata = ["k": "v"]
        metadata.addBinary([9, 8], forKey: "d-bin")
        let headers = HeaderCoding.requestHeaders(
            path: "/a.B/C",
            authority: "h",
            timeout: .milliseconds(250),
            metadata: metadata
        )
        guard
            case .accept(let path, let received, let timeout, _, _, _)? = machine.receivedHeaders(
                headers,
                endStream: false
            ).0
        else {
            Issue.record("request rejected")
            return
        }
        #expect(path == "/a.B/C")
        #expect(timeout == .milliseconds(250))
        #expect(received[binaryValues: "d-bin"] == [[9, 8]])
        #expect(received[stringValues: "user-agent"] == [HeaderCoding.userAgent])
        let small = machine.receivedData(GRPCMessageDeframer.frame([1, 2]))
        #expect(small.parts.count == 1)
        let large = machine.receivedData(GRPCMessageDeframer.frame([1, 2, 3, 4, 5]))
        #expect(large.failure?.code == .resourceExhausted)
        let first = machine.sendStatus()
        let second = machine.sendStatus()
        #expect(first == .trailersOnly)
        #expect(second == nil)

        var streaming = ServerStreamStateMachine(maxRequestMessageBytes: 4)
        _ = streaming.receivedHeaders(headers, endStream: false)
        let sentOnce = streaming.sendHeaders()
        let sentTwice = streaming.sendHeaders()
        let delivery = streaming.sendStatus()
        #expect(sentOnce && !sentTwice)
        #expect(delivery == .trailers)
    }
}
