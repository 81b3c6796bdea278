import FerryRPC
import Foundation
import NIOEmbedded
import ProcessTestSupport
import RPCTestSupport
import Testing

@testable import FerryHTTP2

/// gRPC message compression: zlib against python's zlib, negotiation and errors on the wire (an
/// embedded server and a raw nghttp2 client), and whole calls between Ferry peers.
@Suite("Message compression: gzip and deflate")
struct CompressionTests {
    /// Text that compresses well but not trivially (about 200 KiB).
    static let text: [UInt8] = Array((0..<6_000).map { "line \($0): the quick brown fox \($0 % 7)\n" }.joined().utf8)

    /// Byte comparison that does not print both arrays when it fails.
    static func same(_ bytes: [UInt8]?, _ expected: [UInt8]) -> Bool {
        bytes == expected
    }

    /// Runs python with `script`, feeding `input` on stdin; returns stdout.
    static func python(_ script: String, input: [UInt8]) async throws -> [UInt8] {
        try await Program.check(TestPaths.python, ["-c", script], stdin: input)
    }

    @Test(
        "Compressed messages decode with python's zlib, and python's compressed bytes decode with Ferry",
        arguments: ["gzip", "deflate"]
    )
    func zlibOracle(_ name: String) async throws {
        let algorithm = try #require(CompressionAlgorithm(name: name))
        let compressor = try #require(MessageCompressor(algorithm))
        let framed = try #require(compressor.compressAndFrame(Self.text))
        #expect(framed[0] == 1, "the compressed flag")
        let length = framed[1...4].reduce(0) { $0 << 8 | Int($1) }
        #expect(length == framed.count - 5)
        #expect(framed.count < Self.text.count / 4, "compressed to \(framed.count) bytes")
        let decode =
            name == "gzip"
            ? "import gzip,sys; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))"
            : "import zlib,sys; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))"
        #expect(Self.same(try await Self.python(decode, input: Array(framed.dropFirst(5))), Self.text))
        // The same compressor again: its state was reset between messages.
        let again = try #require(compressor.compressAndFrame(Array(Self.text.prefix(1000))))
        #expect(
            Self.same(try await Self.python(decode, input: Array(again.dropFirst(5))), Array(Self.text.prefix(1000)))
        )

        let encode =
            name == "gzip"
            ? "import gzip,sys; sys.stdout.buffer.write(gzip.compress(sys.stdin.buffer.read(), 9))"
            : "import zlib,sys; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), 1))"
        let theirs = try await Self.python(encode, input: Self.text)
        let decompressor = try #require(MessageDecompressor(algorithm))
        #expect(Self.same(try decompressor.decompress(theirs[...], limit: 1 << 20), Self.text))
        #expect(Self.same(try decompressor.decompress(theirs[...], limit: 1 << 20), Self.text), "reused after a reset")
    }

    @Test("A zip bomb stops at the limit; truncated, corrupt and trailing bytes are errors")
    func decompressionLimits() throws {
        let bomb = try #require(MessageCompressor(.gzip)?.compressAndFrame([UInt8](repeating: 0, count: 64 << 20)))
        #expect(bomb.count < 100 << 10, "64 MiB of zeros compress to \(bomb.count) bytes")
        let decompressor = try #require(MessageDecompressor(.gzip))
        #expect(throws: MessageDecompressor.Failure.tooLarge(limit: 4 << 20)) {
            try decompressor.decompress(bomb.dropFirst(5), limit: 4 << 20)
        }
        let small = try #require(MessageCompressor(.gzip)?.compressAndFrame(Self.text)).dropFirst(5)
        #expect(
            Self.same(try decompressor.decompress(small, limit: Self.text.count), Self.text),
            "exactly at the limit"
        )
        #expect(throws: MessageDecompressor.Failure.tooLarge(limit: Self.text.count - 1)) {
            try decompressor.decompress(small, limit: Self.text.count - 1)
        }
        #expect(throws: MessageDecompressor.Failure.self) {
            try decompressor.decompress(small.dropLast(10), limit: 1 << 20)
        }
        #expect(throws: MessageDecompressor.Failure.self) {
            try decompressor.decompress(ArraySlice(Array(small) + [1, 2, 3]), limit: 1 << 20)
        }
        var corrupt = Array(small)
        corrupt[20] ^= 0xFF
        corrupt[21] ^= 0xFF
        #expect(throws: MessageDecompressor.Failure.self) { try decompressor.decompress(corrupt[...], limit: 1 << 20) }
        #expect(throws: MessageDecompressor.Failure.self) {
            try decompressor.decompress([1, 2, 3, 4, 5, 6, 7, 8, 9, 10][...], limit: 1 << 20)
        }
        // The decompressor still works after every failure.
        #expect(Self.same(try decompressor.decompress(small, limit: 1 << 20), Self.text))
    }

    @Test("A request in an encoding the server has not enabled gets UNIMPLEMENTED and the accepted ones")
    func unsupportedRequestEncoding() throws {
        let server = try EmbeddedServer()
        let streamID = try server.openStream(extraHeaders: [HeaderField("grpc-encoding", "br")])
        try server.pump()
        #expect(server.accepted.isEmpty, "no handler runs")
        #expect(server.grpcStatus(on: streamID) == "12")
        #expect(server.grpcMessage(on: streamID)?.contains("'br' is not supported") == true)
        let headers = try #require(server.responseHeaders(on: streamID))
        #expect(HeaderCoding.value("grpc-accept-encoding", in: headers) == "identity,gzip,deflate")

        let strict = try EmbeddedServer(enabledCompression: [])
        let gzipped = try strict.openStream(extraHeaders: [HeaderField("grpc-encoding", "gzip")])
        try strict.pump()
        #expect(strict.grpcStatus(on: gzipped) == "12", "a server with compression off refuses gzip")
        #expect(HeaderCoding.value("grpc-accept-encoding", in: strict.responseHeaders(on: gzipped) ?? []) == "identity")
    }

    @Test(
        "Compressed-flag errors: no grpc-encoding is INTERNAL, corrupt data is INTERNAL, a bomb is RESOURCE_EXHAUSTED"
    )
    func compressedFlagErrors() throws {
        let server = try EmbeddedServer()
        let framed = try #require(MessageCompressor(.gzip)?.compressAndFrame(Self.text))
        let plain = try server.openStream()
        server.send(framed, on: plain)
        var corrupt = framed
        corrupt[30] ^= 0xFF
        corrupt[31] ^= 0xFF
        let broken = try server.openStream(extraHeaders: [HeaderField("grpc-encoding", "gzip")])
        server.send(corrupt, on: broken)
        let bomb = try #require(MessageCompressor(.gzip)?.compressAndFrame([UInt8](repeating: 0, count: 16 << 20)))
        let bombed = try server.openStream(extraHeaders: [HeaderField("grpc-encoding", "gzip")])
        server.send(bomb, on: bombed)
        try server.pump()
        #expect(server.grpcStatus(on: plain) == "13")
        #expect(
            server.grpcMessage(on: plain)?.contains("compressed flag set, but the request has no grpc-encoding") == true
        )
        #expect(server.grpcStatus(on: broken) == "13")
        #expect(server.grpcMessage(on: broken)?.contains("cannot be decompressed") == true)
        #expect(server.grpcStatus(on: bombed) == "8")
        #expect(server.grpcMessage(on: bombed)?.contains("inflates to more than the limit of 4194304 bytes") == true)
        #expect(server.budget.heldBytes == 0)
    }

    @Test("A compressed request reaches the handler decompressed, with its encoding in the context")
    func compressedRequest() async throws {
        let server = try EmbeddedServer()
        let framed = try #require(MessageCompressor(.deflate)?.compressAndFrame(Self.text))
        let streamID = try server.openStream(extraHeaders: [HeaderField("grpc-encoding", "deflate")])
        server.send(framed + GRPCMessageDeframer.frame([1, 2, 3]), on: streamID)
        try server.pump()
        let (stream, context) = try #require(server.accepted.first)
        #expect(context.requestCompression == .deflate)
        var parts = stream.inbound.makeAsyncIterator()
        guard case .metadata = try await parts.next() else {
            Issue.record("no metadata first")
            return
        }
        guard case .message(let first) = try await parts.next() else {
            Issue.record("no first message")
            return
        }
        guard case .message(let second) = try await parts.next() else {
            Issue.record("no second message")
            return
        }
        #expect(Self.same(first, Self.text))
        #expect(second == [1, 2, 3], "an uncompressed message in a compressed call")
    }

    /// Runs one response on an embedded server: headers asking for `requested`, a message
    /// compressed by default, one sent uncompressed, then OK. Returns the response headers and the
    /// two framed messages.
    static func respond(
        requested: CompressionAlgorithm,
        clientAccepts: String?
    ) async throws -> (headers: [HeaderField], messages: [(flag: UInt8, payload: [UInt8])]) {
        let server = try EmbeddedServer()
        let extra = clientAccepts.map { [HeaderField("grpc-accept-encoding", $0)] } ?? []
        let streamID = try server.openStream(extraHeaders: extra)
        try server.pump()
        let outbound = try #require(server.accepted.first).stream.outbound
        var metadata: Metadata = ["x-user": "kept"]
        metadata.addString(requested.name, forKey: "grpc-encoding")
        try await outbound.write(.metadata(metadata))
        try await outbound.write(.message(text))
        try await outbound.write(.message(text), options: .uncompressed)
        try await outbound.write(.status(.ok, [:]))
        server.loop.run()
        try server.pump()
        #expect(server.grpcStatus(on: streamID) == "0")
        var body = server.responseBody(on: streamID)[...]
        var messages: [(UInt8, [UInt8])] = []
        while body.count >= 5 {
            let length = body.dropFirst().prefix(4).reduce(0) { $0 << 8 | Int($1) }
            messages.append((body.first!, Array(body.dropFirst(5).prefix(length))))
            body = body.dropFirst(5 + length)
        }
        return (try #require(server.responseHeaders(on: streamID)), messages)
    }

    @Test("The server compresses responses in the handler's encoding when the client accepts it, message by message")
    func compressedResponse() async throws {
        let (headers, messages) = try await Self.respond(requested: .gzip, clientAccepts: "identity,deflate,gzip")
        #expect(HeaderCoding.value("grpc-encoding", in: headers) == "gzip")
        #expect(HeaderCoding.value("grpc-accept-encoding", in: headers) == "identity,gzip,deflate")
        #expect(HeaderCoding.value("x-user", in: headers) == "kept")
        #expect(messages.count == 2)
        #expect(messages.first?.flag == 1)
        let decompressor = try #require(MessageDecompressor(.gzip))
        #expect(Self.same(try decompressor.decompress(messages[0].payload[...], limit: 1 << 20), Self.text))
        #expect(messages.last?.flag == 0, "WriteOptions.uncompressed")
        #expect(Self.same(messages.last?.payload, Self.text))
    }

    @Test("The server sends uncompressed responses to a client that does not accept the encoding")
    func responseEncodingNotAccepted() async throws {
        for accepts in [nil, "identity", "identity,deflate"] {
            let (headers, messages) = try await Self.respond(requested: .gzip, clientAccepts: accepts)
            #expect(HeaderCoding.value("grpc-encoding", in: headers) == nil, "accepts \(accepts ?? "nothing")")
            #expect(messages.map(\.flag) == [0, 0])
            #expect(messages.allSatisfy { $0.payload == Self.text })
        }
    }

    @Test("A client reading a compressed message in an encoding it did not accept fails with INTERNAL")
    func clientRejectsUnacceptedEncoding() throws {
        var machine = ClientStreamStateMachine(maxResponseMessageBytes: 1 << 20, acceptedEncodings: [.deflate])
        let headers = [
            HeaderField(":status", "200"), HeaderField("content-type", "application/grpc"),
            HeaderField("grpc-encoding", "gzip"),
        ]
        _ = machine.receivedHeaders(headers, endStream: false)
        let framed = try #require(MessageCompressor(.gzip)?.compressAndFrame(Self.text))
        let action = machine.receivedData(GRPCMessageDeframer.frame([9]) + framed)
        guard case .message(let plain)? = action.parts.first, case .status(let status, _)? = action.parts.last else {
            Issue.record("parts: \(action.parts)")
            return
        }
        #expect(plain == [9], "an uncompressed message before it still arrives")
        #expect(status.code == .internalError)
        #expect(status.message.contains("'gzip', which this client does not accept"))
        #expect(action.reset != nil)
    }

    @Test(
        "Ferry client and server: every call kind compressed, per call and per message",
        arguments: [CompressionAlgorithm.gzip, .deflate]
    )
    func ferryToFerry(_ algorithm: CompressionAlgorithm) async throws {
        let seen = Probe()
        try await withLoopbackPair(services: { _ in [CompressingService(seen: seen)] }) { client, _ in
            let options = CallOptions(timeout: .seconds(60), compression: algorithm)
            let text = String(decoding: Self.text, as: UTF8.self)
            let unary = try await client.unary(
                request: ClientRequest(message: text),
                descriptor: CompressingService.unary,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: options
            )
            #expect(unary.message == text.uppercased())
            let collected = try await client.clientStreaming(
                request: StreamingClientRequest<String> { writer in
                    try await writer.write(text)
                    try await writer.write("short", options: .uncompressed)
                },
                descriptor: CompressingService.collect,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: options
            )
            #expect(collected.message == "\(text.count)+5")
            let words = try await client.bidirectionalStreaming(
                descriptor: CompressingService.bidi,
                serializer: UTF8Coder(),
                deserializer: UTF8Coder(),
                options: options
            ) { writer, responses in
                try await writer.write(text)
                try await writer.write("tiny", options: .uncompressed)
                await writer.finish()
                return try await responses.collect()
            }
            #expect(words == [text.uppercased(), "TINY"])
        }
        #expect(seen.events == Array(repeating: "request-compression=\(algorithm.name)", count: 3))
    }

    /// The calls to grpcio are not about time; their deadline only bounds a hang. A fresh-clone
    /// CI run, with every suite competing for two cores, once took over 60 s for one of them.
    static let slowMachineTimeout = Duration.seconds(280)

    @Test(
        "Ferry client → grpcio server: gzip and deflate requests decode, a gzip response decodes",
        .timeLimit(.minutes(5)),
        arguments: [CompressionAlgorithm.gzip, .deflate]
    )
    func ferryToGRPCIO(_ algorithm: CompressionAlgorithm) async throws {
        let (peer, port) = try await PythonPeer.startServer()
        try await peer.stopAfter {
            try await withRPCClient(transport: HTTP2ClientTransport(host: "127.0.0.1", port: port)) { client in
                let payload = Array(Self.text) + [UInt8](repeating: 0, count: 1 << 20)
                let echoed = try await client.unary(
                    request: ClientRequest(message: payload),
                    descriptor: Raw.method("Echo"),
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer(),
                    options: CallOptions(timeout: Self.slowMachineTimeout, compression: algorithm)
                )
                #expect(echoed.message == payload)
                let gzipped = try await client.unary(
                    request: ClientRequest(message: payload),
                    descriptor: Raw.method("EchoGzip"),
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer(),
                    options: CallOptions(timeout: Self.slowMachineTimeout, compression: algorithm)
                )
                #expect(gzipped.message == payload)
                #expect(gzipped.trailingMetadata[stringValues: "x-received"] == [String(payload.count)])
            }
        }
    }
}

/// Handlers that answer in the request's encoding and record it.
struct CompressingService: RPCService {
    static let unary = MethodDescriptor(service: "ferry.test.Compressing", method: "Unary")
    static let collect = MethodDescriptor(service: "ferry.test.Compressing", method: "Collect")
    static let bidi = MethodDescriptor(service: "ferry.test.Compressing", method: "Bidi")
    let seen: Probe

    func registerMethods(with router: inout RPCRouter) {
        let seen = self.seen
        router.registerUnary(Self.unary, deserializer: UTF8Coder(), serializer: UTF8Coder()) { request, context in
            seen.record("request-compression=\(context.requestCompression?.name ?? "none")")
            return ServerResponse(message: request.message.uppercased(), compression: context.requestCompression)
        }
        router.registerClientStreaming(Self.collect, deserializer: UTF8Coder(), serializer: UTF8Coder()) {
            request,
            context in
            seen.record("request-compression=\(context.requestCompression?.name ?? "none")")
            let sizes = try await request.messages.collect().map { String($0.count) }
            return ServerResponse(message: sizes.joined(separator: "+"), compression: context.requestCompression)
        }
        router.registerBidirectionalStreaming(Self.bidi, deserializer: UTF8Coder(), serializer: UTF8Coder()) {
            request,
            context in
            seen.record("request-compression=\(context.requestCompression?.name ?? "none")")
            return StreamingServerResponse(compression: context.requestCompression) { writer in
                for try await message in request.messages {
                    try await writer.write(message.uppercased(), options: message.count < 10 ? .uncompressed : .default)
                }
                return [:]
            }
        }
    }
}
