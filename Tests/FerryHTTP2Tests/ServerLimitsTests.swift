import FerryRPC
import NIOCore
import NIOEmbedded
import Testing

@testable import FerryHTTP2

/// The server's defences against hostile clients, on a server connection handler in an embedded
/// channel: exact bytes on the wire and an event-loop clock the tests move.
@Suite("HTTP/2 server limits against hostile clients")
struct ServerLimitsTests {
    /// A framed gRPC message header declaring `length` bytes, followed by `sent` of them.
    static func partialMessage(declaring length: Int, sending sent: Int) -> [UInt8] {
        let header: [UInt8] = [
            0, UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF),
        ]
        return header + [UInt8](repeating: 7, count: sent)
    }

    @Test("A connection handler and its nghttp2 session are freed when the connection closes")
    func handlerFreedOnClose() throws {
        weak var handler: HTTP2ConnectionHandler?
        do {
            let server = try EmbeddedServer()
            handler = server.handler
            _ = try server.openStream()
            try server.pump()
            #expect(server.accepted.count == 1)
            #expect(handler != nil)
            try server.channel.close().wait()
            // Run what the closed connection left on the loop (an embedded loop runs nothing by itself).
            server.loop.run()
        }
        #expect(handler == nil, "the closed connection's handler is still alive (a reference cycle)")
    }

    @Test("After the server sends its status, a stream the client keeps open is reset with NO_ERROR")
    func resetAfterStatus() async throws {
        let server = try EmbeddedServer()
        let streamID = try server.openStream()
        server.send(Self.partialMessage(declaring: 1000, sending: 10), on: streamID)
        try server.pump()
        let handler = try #require(server.handler)
        let entry = try #require(handler.serverStreams[streamID])
        handler.sendServerPart(
            .status(Status(code: .unimplemented, message: "no"), [:]),
            entry: entry,
            streamID: streamID
        )
        handler.flush()
        try server.pump()
        #expect(server.grpcStatus(on: streamID) == "12")
        #expect(server.streamCloses[streamID] == HTTP2ErrorCode.noError)
        #expect(handler.serverStreams[streamID] == nil)
        #expect(server.budget.heldBytes == 0, "the stream's partial message is still counted")
    }

    @Test("A header list over the announced limit is answered RESOURCE_EXHAUSTED without being kept")
    func headerListTooLarge() throws {
        let server = try EmbeddedServer(settings: HTTP2Settings(maxHeaderListSize: 16 << 10))
        var metadata: Metadata = [:]
        for index in 0..<1_000 { metadata.addString("value-\(index)", forKey: "x-header-\(index)") }
        let streamID = try server.openStream(metadata: metadata)
        try server.pump()
        #expect(server.accepted.isEmpty)
        #expect(server.grpcStatus(on: streamID) == "8")
        #expect(server.grpcMessage(on: streamID)?.contains("exceeds the limit of 16384 bytes") == true)
        // A request within the limit on the same connection is still served.
        let small = try server.openStream(metadata: ["x-ok": "yes"])
        try server.pump()
        #expect(server.accepted.count == 1)
        #expect(server.grpcStatus(on: small) == nil)
    }

    @Test("Request bytes over the connection's receive budget fail the stream with RESOURCE_EXHAUSTED")
    func receiveBudget() throws {
        var limits = ServerConnectionLimits()
        limits.maxBufferedBytesPerConnection = 200 << 10
        let server = try EmbeddedServer(limits: limits)
        var streams: [Int32] = []
        for _ in 0..<4 {
            let streamID = try server.openStream()
            server.send(Self.partialMessage(declaring: 1 << 20, sending: 64 << 10), on: streamID)
            streams.append(streamID)
        }
        try server.pump()
        let failed = streams.filter { server.grpcStatus(on: $0) == "8" }
        #expect(failed.count == 1, "statuses: \(streams.map { server.grpcStatus(on: $0) ?? "-" })")
        #expect(server.budget.heldBytes <= 200 << 10)
        #expect(server.grpcMessage(on: failed[0])?.contains("too many received bytes") == true)
        try server.channel.close().wait()
        #expect(server.budget.heldBytes == 0, "closing the connection released its held bytes")
    }

    @Test("A Connect unary body counts against the receive budget while it arrives and until the handler reads it")
    func connectUnaryBudget() async throws {
        let server = try EmbeddedServer()
        let streamID = try server.client.submitRequest(
            HeaderCoding.requestHeaders(
                path: "/test.Service/Method",
                authority: "localhost",
                timeout: nil,
                metadata: [:],
                wire: .connectUnary
            )
        )
        let body = [UInt8](repeating: 7, count: 40 << 10)
        server.send(Array(body[..<(20 << 10)]), on: streamID)
        try server.pump()
        #expect(server.budget.heldBytes == 20 << 10, "the half that arrived is held")
        server.send(Array(body[(20 << 10)...]), on: streamID)
        server.client.enqueueEnd(on: streamID, trailers: nil)
        try server.pump()
        #expect(server.budget.heldBytes == 40 << 10, "the whole body, now the message, is held until read")
        let accepted = try #require(server.accepted.first)
        #expect(accepted.context.path == "/test.Service/Method")
        var parts: [RPCRequestPart] = []
        for try await part in accepted.stream.inbound { parts.append(part) }
        #expect(parts.count == 2)
        if case .message(let message)? = parts.last { #expect(message == body) } else { Issue.record("no message") }
        #expect(server.budget.heldBytes == 0, "reading the message released it")
        try await server.channel.close().get()
        #expect(server.budget.heldBytes == 0)
    }

    @Test("A stream whose handler does not read stops getting window once its unread bytes pass the stream window")
    func creditFollowsTheReader() async throws {
        let window = 64 << 10
        let server = try EmbeddedServer(settings: HTTP2Settings(initialWindowSize: window))
        let streamID = try server.openStream()
        var message = [UInt8](repeating: 1, count: 16 << 10)
        message = GRPCMessageDeframer.frame(message)
        for _ in 0..<64 { server.send(message, on: streamID) }  // 1 MiB offered
        try server.pump()
        let entry = try #require(server.handler?.serverStreams[streamID])
        let held = entry.account.unreadBytes
        // The reader is behind: at most the window plus the window credited before it fell behind.
        #expect(held > window && held <= 2 * window + message.count, "held \(held)")
        #expect(server.client.queuedBytes(on: streamID) > 0, "the client could send everything")
        // The reader catches up: credit flows again and more arrives.
        let inbound = server.accepted[0].stream.inbound
        var iterator = inbound.makeAsyncIterator()
        for _ in 0..<8 { _ = try await iterator.next() }
        server.loop.run()
        try server.pump()
        #expect(entry.account.unreadBytes > 0)
        #expect(server.client.queuedBytes(on: streamID) < 64 * message.count - held)
    }

    @Test("Streams beyond the server's handler slots are refused with REFUSED_STREAM")
    func handlerSlots() throws {
        let server = try EmbeddedServer()
        server.admitHandlers = false
        let streamID = try server.openStream()
        try server.pump()
        #expect(server.accepted.isEmpty)
        #expect(server.streamCloses[streamID] == HTTP2ErrorCode.refusedStream)
    }

    @Test("Rapid reset: resetting more streams in service than the burst allows gets GOAWAY(ENHANCE_YOUR_CALM)")
    func rapidReset() throws {
        var limits = ServerConnectionLimits()
        limits.streamResetBurst = 50
        limits.streamResetsPerSecond = 10
        let server = try EmbeddedServer(limits: limits)
        // Each stream's HEADERS go out before its reset: nghttp2 drops a reset of a stream it has not opened yet.
        func openAndReset() throws {
            let streamID = try server.openStream()
            try server.pump()
            server.client.resetStream(streamID, errorCode: HTTP2ErrorCode.cancel)
        }
        for _ in 0..<50 { try openAndReset() }
        try server.pump()
        #expect(server.goAway == nil, "50 resets are within the burst")
        server.loop.advanceTime(by: .seconds(1))  // refills 10 tokens
        for _ in 0..<10 { try openAndReset() }
        try server.pump()
        #expect(server.goAway == nil, "the refill covers 10 more")
        try openAndReset()
        try server.pump()
        #expect(server.goAway?.errorCode == HTTP2ErrorCode.enhanceYourCalm)
        #expect(!server.channel.isActive)
    }

    @Test("PINGs without calls more often than allowed get GOAWAY(ENHANCE_YOUR_CALM, too_many_pings) after two strikes")
    func tooManyPings() throws {
        let server = try EmbeddedServer()
        try server.pump()
        for round in 1...3 {
            server.client.submitPing()
            try server.pump()
            #expect(server.goAway == nil, "round \(round)")
            server.loop.advanceTime(by: .seconds(60))
        }
        server.client.submitPing()
        try server.pump()
        #expect(server.goAway?.errorCode == HTTP2ErrorCode.enhanceYourCalm)
        #expect(!server.channel.isActive)
    }

    @Test("PINGs spaced by the minimum interval during a call are never strikes")
    func pingsWithinPolicy() throws {
        var limits = ServerConnectionLimits()
        limits.keepalive = KeepaliveEnforcement(minPingInterval: .seconds(10))
        let server = try EmbeddedServer(limits: limits)
        _ = try server.openStream()
        try server.pump()
        for _ in 0..<10 {
            server.client.submitPing()
            try server.pump()
            server.loop.advanceTime(by: .seconds(10))
        }
        #expect(server.goAway == nil)
        #expect(server.channel.isActive)
    }

    @Test("A connection that sends no HTTP/2 preface within the setup timeout is closed")
    func setupTimeout() throws {
        var limits = ServerConnectionLimits()
        limits.connectionSetupTimeout = .seconds(5)
        let server = try EmbeddedServer(limits: limits)
        server.loop.advanceTime(by: .seconds(4))
        #expect(server.channel.isActive)
        server.loop.advanceTime(by: .seconds(1))
        #expect(!server.channel.isActive)
    }

    @Test("A connection idle past maxConnectionIdle is sent GOAWAY; one with an open call is not")
    func idleTimeout() throws {
        var limits = ServerConnectionLimits()
        limits.maxConnectionIdle = .seconds(60)
        let server = try EmbeddedServer(limits: limits)
        try server.pump()
        let streamID = try server.openStream()
        try server.pump()
        server.loop.advanceTime(by: .seconds(120))
        try server.pump()
        #expect(server.goAway == nil, "a call is open")
        server.client.resetStream(streamID, errorCode: HTTP2ErrorCode.cancel)
        try server.pump()
        server.loop.advanceTime(by: .seconds(59))
        try server.pump()
        #expect(server.goAway == nil)
        server.loop.advanceTime(by: .seconds(1))
        try server.pump()
        #expect(server.goAway?.errorCode == HTTP2ErrorCode.noError)
    }

    @Test("A connection past maxConnectionAge is sent GOAWAY and closed after the grace period")
    func connectionAge() throws {
        var limits = ServerConnectionLimits()
        limits.maxConnectionAge = .seconds(100)
        limits.maxConnectionAgeGrace = .seconds(10)
        let server = try EmbeddedServer(limits: limits)
        _ = try server.openStream()
        try server.pump()
        server.loop.advanceTime(by: .seconds(89))
        try server.pump()
        #expect(server.goAway == nil, "within the -10 % jitter")
        var waited = 89
        while server.goAway == nil && waited < 111 {
            server.loop.advanceTime(by: .seconds(1))
            waited += 1
            try server.pump()
        }
        #expect(server.goAway != nil && waited <= 110, "GOAWAY after \(waited) s")
        server.loop.advanceTime(by: .seconds(9))
        #expect(server.channel.isActive, "the open call gets its grace period")
        server.loop.advanceTime(by: .seconds(1))
        #expect(!server.channel.isActive)
    }

    @Test("A SETTINGS flood whose acknowledgements are never read ends with GOAWAY(ENHANCE_YOUR_CALM)")
    func settingsFlood() throws {
        let server = try EmbeddedServer()
        try server.pump()
        // A client SETTINGS frame with no entries, 2,000 times, without reading the answers.
        let settingsFrame: [UInt8] = [0, 0, 0, 0x4, 0, 0, 0, 0, 0]
        var flood: [UInt8] = []
        for _ in 0..<2_000 { flood += settingsFrame }
        _ = try? server.channel.writeInbound(server.channel.allocator.buffer(bytes: flood))
        var output: [UInt8] = []
        while let buffer = try server.channel.readOutbound(as: ByteBuffer.self) { output += buffer.readableBytesView }
        #expect(!server.channel.isActive)
        // The last frame written is a GOAWAY (type 7) with ENHANCE_YOUR_CALM.
        let goAway = Self.lastGoAway(in: output)
        #expect(goAway == HTTP2ErrorCode.enhanceYourCalm, "GOAWAY code \(String(describing: goAway))")
    }

    @Test("CONTINUATION frames beyond nghttp2's limit end the connection with GOAWAY(ENHANCE_YOUR_CALM)")
    func continuationFlood() throws {
        let server = try EmbeddedServer()
        try server.pump()
        // HEADERS on stream 1 without END_HEADERS (one literal header), then 20 CONTINUATIONs.
        let block: [UInt8] = [0x40, 0x01, 0x61, 0x01, 0x62]  // literal with incremental indexing: a: b
        var frames: [UInt8] = [0, 0, UInt8(block.count), 0x1, 0x0, 0, 0, 0, 1] + block
        for _ in 0..<20 { frames += [0, 0, UInt8(block.count), 0x9, 0x0, 0, 0, 0, 1] + block }
        _ = try? server.channel.writeInbound(server.channel.allocator.buffer(bytes: frames))
        var output: [UInt8] = []
        while let buffer = try server.channel.readOutbound(as: ByteBuffer.self) { output += buffer.readableBytesView }
        #expect(!server.channel.isActive)
        #expect(Self.lastGoAway(in: output) == HTTP2ErrorCode.enhanceYourCalm)
    }

    /// The error code of the last GOAWAY frame in server output (after its SETTINGS).
    static func lastGoAway(in output: [UInt8]) -> UInt32? {
        var index = 0
        var code: UInt32?
        while index + 9 <= output.count {
            let length = Int(output[index]) << 16 | Int(output[index + 1]) << 8 | Int(output[index + 2])
            if output[index + 3] == 0x7, index + 17 <= output.count {
                code = output[(index + 13)..<(index + 17)].reduce(0) { $0 << 8 | UInt32($1) }
            }
            index += 9 + length
        }
        return code
    }

    @Test("Policing: resets refill at the configured rate; PING strikes are forgiven by response traffic")
    func policingClock() {
        var limits = ServerConnectionLimits()
        limits.streamResetBurst = 2
        limits.streamResetsPerSecond = 1
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        var policing = ConnectionPolicing(limits: limits, now: start)
        #expect(policing.peerResetActiveStream(at: start) == .allow)
        #expect(policing.peerResetActiveStream(at: start) == .allow)
        #expect(policing.peerResetActiveStream(at: start) != .allow)
        #expect(policing.peerResetActiveStream(at: start + .seconds(1)) == .allow)
        for _ in 0..<10 {
            #expect(policing.pingReceived(at: start, openStreams: 1) == .allow)
            policing.sentStreamFrames()
        }
        #expect(policing.pingReceived(at: start, openStreams: 1) == .allow)
        #expect(policing.pingReceived(at: start, openStreams: 1) == .allow)  // strike 1
        #expect(policing.pingReceived(at: start, openStreams: 1) == .allow)  // strike 2
        #expect(
            policing.pingReceived(at: start, openStreams: 1)
                == .goAway(errorCode: HTTP2ErrorCode.enhanceYourCalm, debugData: "too_many_pings")
        )
    }
}
