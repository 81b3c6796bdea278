import FerryRPC
import Testing

@testable import FerryHTTP2

/// Two nghttp2 sessions wired back to back with byte arrays: no sockets, no event loop.
struct SessionPair {
    let client: NGHTTP2Session
    let server: NGHTTP2Session
    var clientEvents: [HTTP2SessionEvent] = []
    var serverEvents: [HTTP2SessionEvent] = []

    init(settings: HTTP2Settings = HTTP2Settings()) throws {
        client = try NGHTTP2Session(role: .client, settings: settings)
        server = try NGHTTP2Session(role: .server, settings: settings)
    }

    /// Moves bytes both ways until neither side has anything to send (bounded).
    mutating func pump(chunkSize: Int = .max) throws {
        for _ in 0..<10_000 {
            let toServer = try client.drainOutput()
            let toClient = try server.drainOutput()
            if toServer.isEmpty && toClient.isEmpty { return }
            for chunk in stride(from: 0, to: toServer.count, by: min(chunkSize, max(toServer.count, 1))) {
                let piece = Array(toServer[chunk..<min(chunk + chunkSize, toServer.count)])
                serverEvents += try piece.withUnsafeBytes { try server.receive($0) }
            }
            for chunk in stride(from: 0, to: toClient.count, by: min(chunkSize, max(toClient.count, 1))) {
                let piece = Array(toClient[chunk..<min(chunk + chunkSize, toClient.count)])
                clientEvents += try piece.withUnsafeBytes { try client.receive($0) }
            }
            clientEvents += client.takeEvents()
            serverEvents += server.takeEvents()
        }
        Issue.record("sessions did not settle")
    }
}

@Suite("The nghttp2 session driven with byte arrays")
struct SessionTests {
    @Test("A request with a deferred body, a streamed response and trailers cross intact, byte by byte")
    func requestResponseTrailers() throws {
        var pair = try SessionPair()
        let streamID = try pair.client.submitRequest(
            HeaderCoding.requestHeaders(path: "/a.B/C", authority: "x", timeout: nil, metadata: ["k": "v"])
        )
        try pair.pump(chunkSize: 1)
        guard
            case .headers(let id, let fields, false)? = pair.serverEvents.first(where: {
                if case .headers = $0 { true } else { false }
            })
        else {
            Issue.record("no request headers: \(pair.serverEvents)")
            return
        }
        #expect(id == streamID)
        #expect(HeaderCoding.value(":path", in: fields) == "/a.B/C")
        #expect(HeaderCoding.value("k", in: fields) == "v")
        pair.client.enqueueData(GRPCMessageDeframer.frame([1, 2, 3]), on: streamID)
        pair.client.enqueueEnd(on: streamID, trailers: nil)
        try pair.server.submitResponseHeaders(HeaderCoding.responseHeaders(metadata: [:]), on: streamID)
        try pair.pump(chunkSize: 1)
        let requestBody = pair.serverEvents.compactMap { if case .data(_, let bytes) = $0 { bytes } else { nil } }
            .flatMap { $0 }
        #expect(requestBody == GRPCMessageDeframer.frame([1, 2, 3]))
        #expect(pair.serverEvents.contains { if case .endOfData(streamID) = $0 { true } else { false } })
        pair.server.enqueueData(GRPCMessageDeframer.frame(Array(repeating: 9, count: 100_000)), on: streamID)
        pair.server.enqueueEnd(
            on: streamID,
            trailers: HeaderCoding.trailers(status: .ok, metadata: ["t": "1"], trailersOnly: false)
        )
        try pair.pump(chunkSize: 1000)
        var deframer = GRPCMessageDeframer(maxMessageBytes: 1 << 20)
        for case .data(_, let bytes) in pair.clientEvents { deframer.append(bytes) }
        #expect(try deframer.next() == Array(repeating: 9, count: 100_000))
        let headerBlocks = pair.clientEvents.compactMap {
            if case .headers(_, let fields, let end) = $0 { (fields, end) } else { nil }
        }
        #expect(headerBlocks.count == 2)
        #expect(headerBlocks.last?.1 == true)
        #expect(HeaderCoding.value("grpc-status", in: headerBlocks.last?.0 ?? []) == "0")
        #expect(pair.clientEvents.contains { if case .streamClosed(streamID, 0) = $0 { true } else { false } })
    }

    @Test("Garbage bytes make the session fail with an error, not a crash")
    func garbage() throws {
        let server = try NGHTTP2Session(role: .server, settings: HTTP2Settings())
        let garbage: [UInt8] =
            Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8) + (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(throws: NGHTTP2Session.SessionError.self) {
            _ = try garbage.withUnsafeBytes { try server.receive($0) }
        }
        _ = try server.drainOutput()
    }

    @Test("SETTINGS are exchanged and a PING is answered by the peer")
    func settingsAndPing() throws {
        var pair = try SessionPair()
        try pair.pump()
        #expect(pair.clientEvents.contains { if case .remoteSettings = $0 { true } else { false } })
        #expect(pair.serverEvents.contains { if case .remoteSettings = $0 { true } else { false } })
        pair.client.submitPing()
        try pair.pump()
        #expect(pair.clientEvents.contains { if case .pingAcknowledged = $0 { true } else { false } })
    }

    @Test("GOAWAY from a shutting-down server reaches the client")
    func goAway() throws {
        var pair = try SessionPair()
        _ = try pair.client.submitRequest(
            HeaderCoding.requestHeaders(path: "/a.B/C", authority: "x", timeout: nil, metadata: [:])
        )
        try pair.pump()
        pair.server.submitShutdownNotice()
        pair.server.submitGoAway()
        try pair.pump()
        #expect(pair.clientEvents.contains { if case .goAway(1, 0, _) = $0 { true } else { false } })
    }

    @Test("A GOAWAY's debug data reaches the peer as text, cut to its first 256 bytes")
    func goAwayDebugData() throws {
        for (sent, expected) in [
            ("too_many_pings", "too_many_pings"),
            (String(repeating: "abcdefgh", count: 1_000), String(repeating: "abcdefgh", count: 32)),
        ] {
            var pair = try SessionPair()
            try pair.pump()
            pair.server.submitGoAway(errorCode: HTTP2ErrorCode.enhanceYourCalm, debugData: sent)
            try pair.pump()
            let received = pair.clientEvents.compactMap { event -> String? in
                if case .goAway(_, HTTP2ErrorCode.enhanceYourCalm, let debugData) = event { debugData } else { nil }
            }
            #expect(received == [expected])
        }
    }

    @Test("A reset stream reports its error code to the peer")
    func reset() throws {
        var pair = try SessionPair()
        let streamID = try pair.client.submitRequest(
            HeaderCoding.requestHeaders(path: "/a.B/C", authority: "x", timeout: nil, metadata: [:])
        )
        try pair.pump()
        pair.client.resetStream(streamID, errorCode: HTTP2ErrorCode.cancel)
        try pair.pump()
        #expect(
            pair.serverEvents.contains {
                if case .streamClosed(streamID, HTTP2ErrorCode.cancel) = $0 { true } else { false }
            }
        )
    }
}

@Suite struct CommonHeaderTextTests {
    private func decode(_ text: String) -> String {
        Array(text.utf8).withUnsafeBufferPointer { CommonHeaderText.string($0) }
    }

    @Test("header text decodes to the same string whether it is a known one, of a known length, or other")
    func decoding() {
        for text in [
            "application/grpc", "identity,deflate,gzip", "application/grpc+json", "grpc-accept-encoding",
            "application/grpx", "te", "", "/grpc.testing.TestService/UnaryCall", "\u{E9}t\u{E9}-long-header-value",
        ] {
            #expect(decode(text) == text)
        }
    }
}
