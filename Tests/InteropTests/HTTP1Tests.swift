import Foundation
import ProcessTestSupport
import Testing

/// Connect and gRPC-Web over HTTP/1.1 on the same port as gRPC: `ferry-interop-server` called by
/// curl, the Buf CLI and the Connect project's Python client, each speaking HTTP/1.1.
@Suite("Connect and gRPC-Web over HTTP/1.1 on the gRPC port", .serialized)
struct HTTP1Tests {
    /// Runs curl (`/usr/bin/curl`, from scripts/ensure-deps.sh) and returns what it printed with
    /// `--include`: the status line and headers, then the body.
    static func curl(_ arguments: [String]) async throws -> String {
        let result = try await Program.run("/usr/bin/curl", ["-sS", "--include"] + arguments, timeout: .seconds(60))
        #expect(result.status == 0, "curl \(arguments): \(result.output)")
        return result.output
    }

    @Test("curl's plain JSON POST calls Connect unary methods: {} answers {}, a failure is its HTTP status; health")
    func curlJSON() async throws {
        try await ConnectWebTests.withServer { port in
            let base = "http://127.0.0.1:\(port)/grpc.testing.TestService"
            // The docs' example, as a user types it.
            let empty = try await Self.curl(["-H", "content-type: application/json", "-d", "{}", "\(base)/EmptyCall"])
            #expect(empty.hasPrefix("HTTP/1.1 200"), "\(empty)")
            #expect(empty.lowercased().contains("content-length: 2"), "\(empty)")
            #expect(empty.hasSuffix("\r\n\r\n{}"), "\(empty)")
            let unary = try await Self.curl([
                "-H", "content-type: application/json", "-d", #"{"responseSize": 3}"#, "\(base)/UnaryCall",
            ])
            #expect(unary.hasSuffix(#"{"payload":{"body":"AAAA"}}"#), "\(unary)")
            let failed = try await Self.curl([
                "-H", "content-type: application/json",
                "-d", #"{"responseStatus": {"code": 5, "message": "nope"}}"#, "\(base)/UnaryCall",
            ])
            #expect(failed.hasPrefix("HTTP/1.1 404"), "\(failed)")
            #expect(failed.contains(#""code":"not_found""#) && failed.contains("nope"), "\(failed)")
            // A client that asks first (Expect: 100-continue) is told to go on before it sends.
            let payload = String(repeating: "AAAA", count: 1_000)
            let asked = try await Self.curl([
                "-H", "content-type: application/json", "-H", "expect: 100-continue",
                "-d", #"{"responseSize": 3, "payload": {"body": "\#(payload)"}}"#, "\(base)/UnaryCall",
            ])
            #expect(asked.hasPrefix("HTTP/1.1 100 Continue"), "\(asked)")
            #expect(asked.hasSuffix(#"{"payload":{"body":"AAAA"}}"#), "\(asked)")
            // Keep-alive: two calls, the second on the first one's connection (no new connect).
            let twice = try await Self.curl([
                "-H", "content-type: application/json", "-d", "{}", "\(base)/EmptyCall", "--next", "--include",
                "-w", "|connects=%{num_connects}", "-H", "content-type: application/json", "-d", "{}",
                "\(base)/EmptyCall",
            ])
            #expect(twice.components(separatedBy: "HTTP/1.1 200").count == 3, "\(twice)")
            #expect(twice.hasSuffix("{}|connects=0"), "\(twice)")
            // Health answers the same way, so a load balancer's plain HTTP probe can use it.
            let health = try await Self.curl([
                "-H", "content-type: application/json", "-d", #"{"service": "grpc.testing.TestService"}"#,
                "http://127.0.0.1:\(port)/grpc.health.v1.Health/Check",
            ])
            #expect(health.hasPrefix("HTTP/1.1 200") && health.hasSuffix(#"{"status":"SERVING"}"#), "\(health)")
            let unknown = try await Self.curl([
                "-H", "content-type: application/json", "-d", #"{"service": "no.such.Service"}"#,
                "http://127.0.0.1:\(port)/grpc.health.v1.Health/Check",
            ])
            #expect(unknown.hasPrefix("HTTP/1.1 404") && unknown.contains(#""code":"not_found""#), "\(unknown)")
        }
    }

    @Test("a Connect stream over HTTP/1.1 keeps its deadline: the end-of-stream message says deadline_exceeded")
    func deadline() async throws {
        let directory = try TestPaths.temporaryDirectory("ferry-http1")
        defer { try? FileManager.default.removeItem(at: directory) }
        // StreamingOutputCallRequest{response_parameters: [{size: 1, interval_us: 2,000,000}]}, framed:
        // the one response would come after 2 s, the deadline is 200 ms.
        let request = directory.appendingPathComponent("request.bin")
        try Data([0, 0, 0, 0, 8, 0x12, 0x06, 0x08, 0x01, 0x10, 0x80, 0x89, 0x7A]).write(to: request)
        try await ConnectWebTests.withServer { port in
            let answer = try await Self.curl([
                "-H", "content-type: application/connect+proto", "-H", "connect-timeout-ms: 200",
                "--data-binary", "@\(request.path)",
                "http://127.0.0.1:\(port)/grpc.testing.TestService/StreamingOutputCall",
            ])
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
            #expect(answer.contains(#"{"error":{"code":"deadline_exceeded""#), "\(answer)")
        }
    }

    @Test("gRPC over HTTP/1.1 gets 505: its status needs HTTP/2 trailers")
    func grpcNeedsHTTP2() async throws {
        try await ConnectWebTests.withServer { port in
            let answer = try await Self.curl([
                "-H", "content-type: application/grpc", "--data-binary", "",
                "http://127.0.0.1:\(port)/grpc.testing.TestService/EmptyCall",
            ])
            #expect(answer.hasPrefix("HTTP/1.1 505"), "\(answer)")
        }
    }

    @Test(
        "buf curl over HTTP/1.1 (no reflection there: a schema) calls unary and server-streaming methods",
        arguments: ["connect", "grpcweb"]
    )
    func bufCurl(_ wire: String) async throws {
        let directory = try TestPaths.temporaryDirectory("ferry-http1")
        defer { try? FileManager.default.removeItem(at: directory) }
        // buf reads the schema from a FileDescriptorSet (server reflection is bidirectional
        // streaming, which HTTP/1.1 cannot carry, so buf uses HTTP/2 whenever it reflects).
        let schema = directory.appendingPathComponent("testing.binpb").path
        _ = try await Program.check(
            TestPaths.protoc,
            [
                "-I", TestPaths.repositoryRoot.appendingPathComponent("Schemas").path, "--include_imports",
                "-o", schema, "grpc/testing/test.proto",
            ]
        )
        try await ConnectWebTests.withServer { port in
            func call(_ method: String, _ data: String) async throws -> (status: Int32, output: String) {
                let result = try await Program.run(
                    ConnectWebTests.buf,
                    [
                        "curl", "-v", "--protocol", wire, "--schema", schema, "--data", data,
                        "http://127.0.0.1:\(port)/grpc.testing.TestService/\(method)",
                    ],
                    mergeErrors: true,
                    timeout: .seconds(120)
                )
                return (result.status, result.output)
            }
            let unary = try await call("UnaryCall", #"{"response_size": 3, "payload": {"body": "AAEC"}}"#)
            #expect(unary.status == 0 && unary.output.contains("HTTP/1.1 200 OK"), "\(unary.output)")
            #expect(unary.output.contains(#""body": "AAAA""#), "\(unary.output)")
            let streamed = try await call(
                "StreamingOutputCall",
                #"{"response_parameters": [{"size": 2}, {"size": 1}]}"#
            )
            #expect(streamed.status == 0 && streamed.output.contains("HTTP/1.1 200 OK"), "\(streamed.output)")
            #expect(
                streamed.output.contains(#""body": "AAA=""#) && streamed.output.contains(#""body": "AA==""#),
                "\(streamed.output)"
            )
            let failed = try await call("UnaryCall", #"{"response_status": {"code": 5, "message": "nope"}}"#)
            #expect(failed.status != 0)
            #expect(failed.output.contains("not_found") && failed.output.contains("nope"), "\(failed.output)")
        }
    }

    @Test("connectrpc's Python client over HTTP/1.1: Connect and gRPC-Web, proto and JSON, errors")
    func connectrpcClient() async throws {
        try await ConnectWebTests.withServer { port in
            let output = try await Program.check(
                TestPaths.python,
                [PeerProcess.peerScript("connect_peer.py"), String(port), "http1"],
                timeout: .seconds(120)
            )
            let result = try #require(try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any])
            for wire in ["connect", "grpc_web"] {
                #expect(result["\(wire)_unary"] as? String == "0a051203000000", "\(wire)")
                #expect(result["\(wire)_stream"] as? [String] == ["0a0412020000", "0a03120100"], "\(wire)")
                #expect(result["\(wire)_error"] as? [String] == ["NOT_FOUND", "nope"], "\(wire)")
            }
            #expect(result["grpc_unary"] == nil)
            #expect(result["json_unary"] as? String == #"{"payload":{"body":"AAAA"}}"#)
            #expect(result["json_stream"] as? [String] == [#"{"payload":{"body":"AA=="}}"#])
        }
    }
}
