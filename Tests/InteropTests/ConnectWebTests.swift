import FerryCodec
import FerryHTTP2
import FerryInteropTesting
import FerryRPC
import Foundation
import ProcessTestSupport
import Testing

/// Connect and gRPC-Web beside gRPC on one HTTP/2 port of `ferry-interop-server`: the Buf CLI
/// (`buf curl`, through reflection) as a client of each protocol, and requests made by hand
/// (Tests/InteropPeers/http2_request.py) checked against the Connect specification and gRPC's
/// PROTOCOL-WEB.
@Suite("Connect and gRPC-Web on the gRPC port (HTTP/2)", .serialized)
struct ConnectWebTests {
    /// `FERRY_BUF`, or the venv's buf that scripts/ensure-deps.sh installs.
    static let buf =
        ProcessInfo.processInfo.environment["FERRY_BUF"]
        ?? TestPaths.repositoryRoot.appendingPathComponent(".venv/bin/buf").path

    /// `SimpleRequest{response_size: 3, payload: {body: 00 01 02}}` and the `SimpleResponse` the
    /// interop service answers it with (`payload{body: 00 00 00}`).
    static let unaryRequest = "1003" + "1a05" + "1203000102"
    static let unaryResponse: [UInt8] = [0x0A, 0x05, 0x12, 0x03, 0, 0, 0]
    /// `SimpleRequest{response_status: {code: 5, message: "nope"}}`: the service fails with it.
    static let failingRequest = "3a08" + "0805" + "12046e6f7065"
    /// `StreamingOutputCallRequest` for two responses of 2 and 1 bytes.
    static let streamingRequest = "12020802" + "12020801"

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var trailers: [String: String]
        /// The body inflated, when it came with `content-encoding: gzip`.
        var inflated: [UInt8]?

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:]
        }
    }

    /// Sends one HTTP/2 request to `port` and returns the response.
    static func send(
        _ port: Int,
        _ path: String,
        method: String = "POST",
        headers: [(String, String)],
        body: String = "",
        gzip: Bool = false
    ) async throws -> Answer {
        let request: [String: Any] = [
            "port": port, "path": path, "method": method, "headers": headers.map { [$0.0, $0.1] }, "body_hex": body,
            "gzip": gzip,
        ]
        let output = try await Program.check(
            TestPaths.python,
            [PeerProcess.peerScript("http2_request.py")],
            stdin: Array(try JSONSerialization.data(withJSONObject: request))
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any])
        func pairs(_ key: String) -> [String: String] {
            Dictionary(
                ((object[key] as? [[String]]) ?? []).map { ($0[0], $0[1]) },
                uniquingKeysWith: { first, _ in first }
            )
        }
        return Answer(
            status: object["status"] as? Int ?? 0,
            headers: pairs("headers"),
            body: hexBytes(object["body_hex"] as? String ?? ""),
            trailers: pairs("trailers"),
            inflated: (object["inflated_hex"] as? String).map(hexBytes)
        )
    }

    /// The length-prefixed frames of a body: flag and payload of each.
    static func frames(_ body: [UInt8]) -> [(flag: UInt8, payload: [UInt8])] {
        var frames: [(UInt8, [UInt8])] = []
        var index = 0
        while index + 5 <= body.count {
            let length = body[(index + 1)...(index + 4)].reduce(0) { $0 << 8 | Int($1) }
            guard index + 5 + length <= body.count else { break }
            frames.append((body[index], Array(body[(index + 5)..<(index + 5 + length)])))
            index += 5 + length
        }
        return frames
    }

    /// A message framed for a request body, as hex.
    static func framed(_ hex: String) -> String {
        String(format: "00%08x", hex.count / 2) + hex
    }

    static func withServer(_ body: (Int) async throws -> Void) async throws {
        let (server, port) = try await PeerProcess.ferryServer()
        try await server.stopAfter { try await body(port) }
    }

    @Test(
        "buf curl finds the service through reflection and calls unary and server-streaming methods, and health, with each protocol",
        arguments: ["grpc", "connect", "grpcweb"]
    )
    func bufCurl(_ wire: String) async throws {
        try await Self.withServer { port in
            func curl(
                _ method: String,
                _ data: String,
                service: String = "grpc.testing.TestService"
            ) async throws -> String {
                let result = try await Program.run(
                    Self.buf,
                    [
                        "curl", "--protocol", wire, "--http2-prior-knowledge", "--data", data,
                        "http://127.0.0.1:\(port)/\(service)/\(method)",
                    ],
                    mergeErrors: true,
                    timeout: .seconds(120)
                )
                #expect(result.status == 0, "\(wire) \(method): \(result.output)")
                return result.output
            }
            let unary = try await curl("UnaryCall", #"{"response_size": 3, "payload": {"body": "AAEC"}}"#)
            #expect(unary.contains(#""body": "AAAA""#), "\(unary)")
            let streamed = try await curl(
                "StreamingOutputCall",
                #"{"response_parameters": [{"size": 2}, {"size": 1}]}"#
            )
            #expect(streamed.contains(#""body": "AAA=""#) && streamed.contains(#""body": "AA==""#), "\(streamed)")
            let failed = try await Program.run(
                Self.buf,
                [
                    "curl", "--protocol", wire, "--http2-prior-knowledge", "--data",
                    #"{"response_status": {"code": 5, "message": "nope"}}"#,
                    "http://127.0.0.1:\(port)/grpc.testing.TestService/UnaryCall",
                ],
                mergeErrors: true,
                timeout: .seconds(120)
            )
            #expect(failed.status != 0)
            #expect(failed.output.contains("not_found") && failed.output.contains("nope"), "\(failed.output)")
            // Health answers over each protocol too (reflection already did, to find the methods).
            let health = try await curl(
                "Check",
                #"{"service": "grpc.testing.TestService"}"#,
                service: "grpc.health.v1.Health"
            )
            #expect(health.contains(#""status": "SERVING""#), "\(health)")
        }
    }

    @Test("Connect unary: the message is the body; a failure is the code's HTTP status with a JSON error")
    func connectUnary() async throws {
        try await Self.withServer { port in
            let proto = [("content-type", "application/proto"), ("connect-protocol-version", "1")]
            let path = "/grpc.testing.TestService/UnaryCall"
            let answer = try await Self.send(port, path, headers: proto, body: Self.unaryRequest)
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"] == "application/proto")
            #expect(answer.body == Self.unaryResponse)

            let failed = try await Self.send(port, path, headers: proto, body: Self.failingRequest)
            #expect(failed.status == 404)
            #expect(failed.headers["content-type"] == "application/json")
            #expect(failed.json["code"] as? String == "not_found")
            #expect(failed.json["message"] as? String == "nope")

            // An empty body is the empty message.
            let empty = try await Self.send(port, "/grpc.testing.TestService/EmptyCall", headers: proto)
            #expect(empty.status == 200 && empty.body.isEmpty)

            let unknown = try await Self.send(port, "/no.such.Service/Method", headers: proto)
            #expect(unknown.status == 501)
            #expect(unknown.json["code"] as? String == "unimplemented")

            // Metadata: request headers reach the handler; its trailers come back as trailer- headers.
            let echoed = try await Self.send(
                port,
                path,
                headers: proto + [("x-grpc-test-echo-initial", "hello"), ("x-grpc-test-echo-trailing-bin", "AAEC")],
                body: Self.unaryRequest
            )
            #expect(echoed.headers["x-grpc-test-echo-initial"] == "hello")
            #expect(echoed.headers["trailer-x-grpc-test-echo-trailing-bin"] == "AAEC")

            // The same compression as gRPC: a gzip body is inflated within the same limit.
            let zipped = try await Self.send(
                port,
                path,
                headers: proto + [("content-encoding", "gzip")],
                body: Self.unaryRequest,
                gzip: true
            )
            #expect(zipped.status == 200 && zipped.body == Self.unaryResponse)
            // A response the handler compresses, to a client that accepts gzip, is compressed whole.
            let compressed = try await Self.send(
                port,
                path,
                headers: proto + [("accept-encoding", "gzip")],
                body: Self.unaryRequest + "32020801"
            )
            #expect(compressed.status == 200)
            #expect(compressed.headers["content-encoding"] == "gzip")
            #expect(compressed.inflated == Self.unaryResponse)
            let unsupported = try await Self.send(
                port,
                path,
                headers: proto + [("content-encoding", "br")],
                body: Self.unaryRequest
            )
            #expect(unsupported.status == 501)
            #expect(unsupported.headers["accept-encoding"]?.contains("gzip") == true)

            // Over the request size limit (4 MiB): resource_exhausted, 429.
            let oversized = try await Self.send(
                port,
                path,
                headers: proto,
                body: String(repeating: "00", count: 4 * 1024 * 1024 + 1)
            )
            #expect(oversized.status == 429)
            #expect(oversized.json["code"] as? String == "resource_exhausted")

            // A content type of no protocol.
            let refused = try await Self.send(port, path, headers: [("content-type", "text/plain")], body: "")
            #expect(refused.status == 415)
        }
    }

    @Test("Connect streaming: enveloped messages, then an end-of-stream message with the error and trailers")
    func connectStreaming() async throws {
        try await Self.withServer { port in
            let headers = [("content-type", "application/connect+proto"), ("connect-protocol-version", "1")]
            let answer = try await Self.send(
                port,
                "/grpc.testing.TestService/StreamingOutputCall",
                headers: headers,
                body: Self.framed(Self.streamingRequest)
            )
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"] == "application/connect+proto")
            let frames = Self.frames(answer.body)
            #expect(frames.map(\.flag) == [0, 0, 2])
            #expect(frames.first?.payload == [0x0A, 0x04, 0x12, 0x02, 0, 0])
            let end = try JSONSerialization.jsonObject(with: Data(frames.last?.payload ?? [])) as? [String: Any]
            #expect(end?["error"] == nil)

            // A failure is in the end-of-stream message; the HTTP status stays 200.
            let failing = "3a08" + "0805" + "12046e6f7065"
            let failed = try await Self.send(
                port,
                "/grpc.testing.TestService/StreamingOutputCall",
                headers: headers,
                body: Self.framed(failing)
            )
            #expect(failed.status == 200)
            let last = try #require(Self.frames(failed.body).last)
            #expect(last.flag == 2)
            let error = (try JSONSerialization.jsonObject(with: Data(last.payload)) as? [String: Any])?["error"]
            #expect((error as? [String: Any])?["code"] as? String == "not_found")

            // connect-timeout-ms is the deadline: two responses 2 s apart cannot beat 200 ms.
            let slow = "1206" + "0802" + "1080897a" + "1206" + "0802" + "1080897a"
            let late = try await Self.send(
                port,
                "/grpc.testing.TestService/StreamingOutputCall",
                headers: headers + [("connect-timeout-ms", "200")],
                body: Self.framed(slow)
            )
            let lateEnd = try #require(Self.frames(late.body).last)
            let lateError = (try JSONSerialization.jsonObject(with: Data(lateEnd.payload)) as? [String: Any])?["error"]
            #expect((lateError as? [String: Any])?["code"] as? String == "deadline_exceeded")
        }
    }

    @Test(
        "gRPC-Web: trailers in a 0x80 message; the text variant is base64 both ways; a failure alone is Trailers-Only"
    )
    func grpcWeb() async throws {
        try await Self.withServer { port in
            let path = "/grpc.testing.TestService/UnaryCall"
            let binary = try await Self.send(
                port,
                path,
                headers: [("content-type", "application/grpc-web+proto"), ("x-grpc-web", "1")],
                body: Self.framed(Self.unaryRequest)
            )
            #expect(binary.status == 200)
            #expect(binary.headers["content-type"] == "application/grpc-web+proto")
            #expect(binary.trailers.isEmpty, "gRPC-Web sends no HTTP trailers")
            let frames = Self.frames(binary.body)
            #expect(frames.map(\.flag) == [0, 0x80])
            #expect(frames.first?.payload == Self.unaryResponse)
            let trailerBlock = String(decoding: frames.last?.payload ?? [], as: UTF8.self)
            #expect(trailerBlock.hasPrefix("grpc-status:0\r\n"), "\(trailerBlock)")

            let text = try await Self.send(
                port,
                path,
                headers: [("content-type", "application/grpc-web-text")],
                body: Array(Base64.encode(Self.hexBytes(Self.framed(Self.unaryRequest))).utf8).map {
                    String(format: "%02x", $0)
                }.joined()
            )
            #expect(text.headers["content-type"] == "application/grpc-web-text+proto")
            let decoded = try #require(Self.decodeConcatenatedBase64(text.body))
            #expect(Self.frames(decoded).map(\.flag) == [0, 0x80])
            #expect(Self.frames(decoded).first?.payload == Self.unaryResponse)

            let failed = try await Self.send(
                port,
                path,
                headers: [("content-type", "application/grpc-web+proto")],
                body: Self.framed(Self.failingRequest)
            )
            #expect(failed.status == 200)
            #expect(failed.headers["grpc-status"] == "5")
            #expect(failed.headers["content-type"] == "application/grpc-web+proto")
        }
    }

    @Test(
        "ferry-interop-client speaking Connect or gRPC-Web (binary or text), over HTTP/2 or HTTP/1.1, passes every interop case against ferry-interop-server",
        arguments: ["connect", "grpcweb", "grpcwebtext"],
        ["2", "1.1"]
    )
    func ferryClient(_ wire: String, _ httpVersion: String) async throws {
        try await Self.withServer { port in
            let client = try PeerProcess(
                name: "ferry-interop-client",
                executable: TestPaths.builtExecutable("ferry-interop-client"),
                arguments: [
                    "--server_host", "127.0.0.1", "--server_port", String(port), "--test_case", "all",
                    "--use_tls=false", "--protocol", wire, "--http_version", httpVersion,
                ]
            )
            let result = await client.waitForExit()
            #expect(result.status == 0, "\(result.output)")
            for testCase in InteropTestCase.allCases {
                #expect(
                    result.output.contains("PASS \(testCase.rawValue)"),
                    "\(wire) HTTP/\(httpVersion) \(testCase.rawValue)"
                )
            }
        }
    }

    @Test(
        "connectrpc (the Connect project's Python client) calls Ferry with Connect, gRPC-Web and gRPC, and Connect with JSON"
    )
    func connectrpcClient() async throws {
        try await Self.withServer { port in
            let output = try await Program.check(
                TestPaths.python,
                [PeerProcess.peerScript("connect_peer.py"), String(port)],
                timeout: .seconds(120)
            )
            let result = try #require(try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any])
            for wire in ["connect", "grpc_web", "grpc"] {
                #expect(result["\(wire)_unary"] as? String == "0a051203000000", "\(wire)")
                #expect(result["\(wire)_stream"] as? [String] == ["0a0412020000", "0a03120100"], "\(wire)")
                #expect(result["\(wire)_error"] as? [String] == ["NOT_FOUND", "nope"], "\(wire)")
            }
            #expect(result["json_unary"] as? String == #"{"payload":{"body":"AAAA"}}"#)
            #expect(result["json_stream"] as? [String] == [#"{"payload":{"body":"AA=="}}"#])
        }
    }

    @Test(
        "Ferry's client calls a connectrpc server (Python, hypercorn) with Connect and gRPC-Web, over HTTP/2 and HTTP/1.1: messages, metadata, errors",
        // Not gRPC: hypercorn ends the response without its HTTP trailers (grpc-status), which
        // gRPC needs; Ferry's gRPC client is checked against grpcio and gRPC C++ instead.
        arguments: [ClientWireProtocol.connect, .grpcWeb],
        [ClientHTTPVersion.http2, .http1_1]
    )
    func clientAgainstConnectrpc(_ wire: ClientWireProtocol, _ httpVersion: ClientHTTPVersion) async throws {
        let server = try PeerProcess(
            python: "connect_server.py",
            name: "connectrpc server",
            arguments: ["--max_seconds", "300"]
        )
        let port = try await server.waitForPort()
        try await server.stopAfter {
            let transport = HTTP2ClientTransport(
                host: "127.0.0.1",
                port: port,
                channel: ChannelConfiguration(wireProtocol: wire, httpVersion: httpVersion)
            )
            try await withRPCClient(transport: transport) { client in
                let unary = MethodDescriptor(service: "grpc.testing.TestService", method: "UnaryCall")
                let response = try await client.unary(
                    request: ClientRequest(message: [0x10, 0x03], metadata: ["x-echo": "hi"]),
                    descriptor: unary,
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer()
                )
                #expect(response.message == Self.unaryResponse, "\(wire)")
                #expect(response.metadata[stringValues: "x-echo"] == ["hi"], "\(wire)")
                let spoken = httpVersion == .http2 ? "2" : "1.1"
                #expect(response.metadata[stringValues: "x-http-version"] == [spoken], "\(wire) \(httpVersion)")
                #expect(response.trailingMetadata[stringValues: "x-echo-trailer"] == ["hi"], "\(wire)")

                let streamed = try await client.serverStreaming(
                    request: ClientRequest(message: Self.hexBytes(Self.streamingRequest)),
                    descriptor: MethodDescriptor(service: "grpc.testing.TestService", method: "StreamingOutputCall"),
                    serializer: RawBytesSerializer(),
                    deserializer: RawBytesSerializer()
                ) { response in try await response.messages.collect() }
                #expect(streamed == [[0x0A, 0x04, 0x12, 0x02, 0, 0], [0x0A, 0x03, 0x12, 0x01, 0]], "\(wire)")

                let failure = await #expect(throws: RPCError.self) {
                    try await client.unary(
                        request: ClientRequest(message: Self.hexBytes(Self.failingRequest)),
                        descriptor: unary,
                        serializer: RawBytesSerializer(),
                        deserializer: RawBytesSerializer()
                    )
                }
                #expect(failure?.code == .notFound && failure?.message == "nope", "\(wire)")
            }
        }
    }

    @Test("CORS: an allowed origin's preflight gets 204 and its calls readable headers; another origin's preflight 403")
    func cors() async throws {
        let server = try PeerProcess(
            name: "ferry-interop-server",
            executable: TestPaths.builtExecutable("ferry-interop-server"),
            arguments: [
                "--port", "0", "--host", "127.0.0.1", "--max_seconds", "300", "--cors_origin", "https://shop.example",
            ],
            stopsOnStdinClose: false
        )
        let port = try await server.waitForPort()
        try await server.stopAfter {
            let path = "/grpc.testing.TestService/UnaryCall"
            let preflight = try await Self.send(
                port,
                path,
                method: "OPTIONS",
                headers: [
                    ("origin", "https://shop.example"), ("access-control-request-method", "POST"),
                    ("access-control-request-headers", "content-type,connect-protocol-version,x-team"),
                ]
            )
            #expect(preflight.status == 204)
            #expect(preflight.headers["access-control-allow-origin"] == "https://shop.example")
            #expect(preflight.headers["access-control-allow-methods"] == "POST")
            #expect(preflight.headers["access-control-allow-headers"] == "content-type,connect-protocol-version,x-team")
            #expect(preflight.headers["access-control-max-age"] == "7200")

            let stranger = try await Self.send(
                port,
                path,
                method: "OPTIONS",
                headers: [("origin", "https://evil.example"), ("access-control-request-method", "POST")]
            )
            #expect(stranger.status == 403)
            #expect(stranger.headers["access-control-allow-origin"] == nil)

            let call = try await Self.send(
                port,
                path,
                headers: [("content-type", "application/proto"), ("origin", "https://shop.example")],
                body: Self.failingRequest
            )
            #expect(call.status == 404)
            #expect(call.headers["access-control-allow-origin"] == "https://shop.example")
            #expect(call.headers["access-control-expose-headers"]?.contains("grpc-status") == true)

            let foreign = try await Self.send(
                port,
                path,
                headers: [("content-type", "application/proto"), ("origin", "https://evil.example")],
                body: Self.unaryRequest
            )
            #expect(foreign.status == 200 && foreign.headers["access-control-allow-origin"] == nil)
        }
    }

    @Test("the JSON codec: Connect unary and streaming and gRPC-Web carry protobuf's JSON mapping both ways")
    func json() async throws {
        try await Self.withServer { port in
            func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }
            let path = "/grpc.testing.TestService/UnaryCall"
            let unary = try await Self.send(
                port,
                path,
                headers: [("content-type", "application/json")],
                body: hex(#"{"responseSize": 3, "payload": {"body": "AAEC"}}"#)
            )
            #expect(unary.status == 200)
            #expect(unary.headers["content-type"] == "application/json")
            #expect(String(decoding: unary.body, as: UTF8.self) == #"{"payload":{"body":"AAAA"}}"#)

            let empty = try await Self.send(
                port,
                "/grpc.testing.TestService/EmptyCall",
                headers: [("content-type", "application/json")],
                body: hex("{}")
            )
            #expect(empty.status == 200 && String(decoding: empty.body, as: UTF8.self) == "{}")

            let malformed = try await Self.send(
                port,
                path,
                headers: [("content-type", "application/json")],
                body: hex(#"{"responseSize": "x"}"#)
            )
            #expect(malformed.status == 400)
            #expect(malformed.json["code"] as? String == "invalid_argument")

            let streamed = try await Self.send(
                port,
                "/grpc.testing.TestService/StreamingOutputCall",
                headers: [("content-type", "application/connect+json")],
                body: Self.framed(hex(#"{"responseParameters": [{"size": 2}, {"size": 1}]}"#))
            )
            #expect(streamed.headers["content-type"] == "application/connect+json")
            #expect(
                Self.frames(streamed.body).map { String(decoding: $0.payload, as: UTF8.self) } == [
                    #"{"payload":{"body":"AAA="}}"#, #"{"payload":{"body":"AA=="}}"#, "{}",
                ]
            )

            let web = try await Self.send(
                port,
                path,
                headers: [("content-type", "application/grpc-web+json")],
                body: Self.framed(hex(#"{"responseSize": 1}"#))
            )
            #expect(web.headers["content-type"] == "application/grpc-web+json")
            #expect(
                Self.frames(web.body).first.map { String(decoding: $0.payload, as: UTF8.self) }
                    == #"{"payload":{"body":"AA=="}}"#
            )
        }
    }

    /// `test.Lookup`, whose `Get` is declared without side effects and `Put` is not.
    enum LookupProtoFile: ProtoFile {
        static var descriptor: Google_Protobuf_FileDescriptorProto {
            var file = Google_Protobuf_FileDescriptorProto()
            file.name = "lookup.proto"
            file.package = "test"
            var service = Google_Protobuf_ServiceDescriptorProto()
            service.name = "Lookup"
            for (name, safe) in [("Get", true), ("Put", false)] {
                var method = Google_Protobuf_MethodDescriptorProto()
                method.name = name
                if safe {
                    var options = Google_Protobuf_MethodOptions()
                    options.idempotencyLevel = .noSideEffects
                    method.options = options
                }
                service.method.append(method)
            }
            file.service = [service]
            return file
        }
        static var dependencies: [any ProtoFile.Type] { [] }
    }

    /// Echoes each request of `test.Lookup`.
    struct LookupService: RPCService {
        func registerMethods(with router: inout RPCRouter) {
            router.describe(service: "test.Lookup", file: LookupProtoFile.self)
            for method in ["Get", "Put"] {
                router.registerUnary(
                    MethodDescriptor(service: "test.Lookup", method: method),
                    deserializer: RawBytesSerializer(),
                    serializer: RawBytesSerializer()
                ) { request, _ in ServerResponse(message: request.message) }
            }
        }
    }

    @Test("Connect GET: a method without side effects takes its request in the query string; another refuses GET")
    func connectGet() async throws {
        let transport = HTTP2ServerTransport(configuration: .init(host: "127.0.0.1", port: 0))
        let server = RPCServer(transport: transport, services: [LookupService()])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            defer { server.beginGracefulShutdown() }
            let port = try await transport.listeningPort()
            let message: [UInt8] = [0x0A, 0x03, 0x61, 0x62, 0x63]
            var encoded = Base64.encode(message).replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
            while encoded.hasSuffix("=") { encoded.removeLast() }
            let got = try await Self.send(
                port,
                "/test.Lookup/Get?connect=v1&encoding=proto&base64=1&message=\(encoded)",
                method: "GET",
                headers: []
            )
            #expect(got.status == 200)
            #expect(got.headers["content-type"] == "application/proto")
            #expect(got.body == message)

            // Percent-encoded, not base64.
            let percent = try await Self.send(
                port,
                "/test.Lookup/Get?encoding=proto&message=%0A%03abc",
                method: "GET",
                headers: []
            )
            #expect(percent.body == message)

            let refused = try await Self.send(
                port,
                "/test.Lookup/Put?encoding=proto&base64=1&message=\(encoded)",
                method: "GET",
                headers: []
            )
            #expect(refused.status == 501)
            #expect(refused.json["code"] as? String == "unimplemented")

            let noEncoding = try await Self.send(port, "/test.Lookup/Get?message=abc", method: "GET", headers: [])
            #expect(noEncoding.status == 400)
            #expect(noEncoding.json["code"] as? String == "invalid_argument")

            // POST still reaches both.
            let posted = try await Self.send(
                port,
                "/test.Lookup/Put",
                headers: [("content-type", "application/proto")],
                body: "0a03616263"
            )
            #expect(posted.status == 200 && posted.body == message)
        }
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map { offset in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16) ?? 0
        }
    }

    /// Base64 chunks written one after another, each padded (how the server writes each message):
    /// every chunk is a whole number of four-character groups, so each group decodes on its own.
    static func decodeConcatenatedBase64(_ body: [UInt8]) -> [UInt8]? {
        guard body.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        for start in stride(from: 0, to: body.count, by: 4) {
            guard let bytes = Base64.decode(String(decoding: body[start..<(start + 4)], as: UTF8.self)) else {
                return nil
            }
            output += bytes
        }
        return output
    }
}
