import FerryInteropTesting
import ProcessTestSupport
import Testing

/// gRPC's standard interop cases between Ferry and python grpcio, in both directions, through the
/// shipped executables (`ferry-interop-client`, `ferry-interop-server`) as an external interop
/// runner would drive them. Each case gets its own server process on an ephemeral port.
@Suite("gRPC interop cases: Ferry and grpcio, both directions", .serialized)
struct GRPCIOInteropTests {
    /// Cases whose server half grpcio's Python API cannot provide: CompressedRequest needs the
    /// server to see whether a request arrived compressed, and a Python handler sees neither the
    /// request's grpc-encoding nor its messages' flags. They run against the gRPC C++ server
    /// below; the grpcio *client* runs them against ferry-interop-server.
    static let needsCompressedRequestFeature: Set<InteropTestCase> = [
        .clientCompressedUnary, .clientCompressedStreaming,
    ]

    @Test(
        "ferry-interop-client passes the case against a grpcio server",
        arguments: InteropTestCase.allCases.filter { !needsCompressedRequestFeature.contains($0) }
    )
    func ferryClientAgainstGRPCIO(testCase: InteropTestCase) async throws {
        let (server, port) = try await PeerProcess.grpcioServer()
        let result = try await server.stopAfter {
            try await PeerProcess.ferryClient(port: port, testCase: testCase.rawValue)
        }
        #expect(result.status == 0, "\(result.output)\n--- grpcio server ---\n\(server.log)")
        #expect(result.output.contains("PASS \(testCase.rawValue)"), "\(result.output)")
    }

    @Test("ferry-interop-client passes the case against a gRPC C++ server", arguments: InteropTestCase.allCases)
    func ferryClientAgainstGRPCCpp(testCase: InteropTestCase) async throws {
        let (server, port) = try await PeerProcess.cppServer()
        let result = try await server.stopAfter {
            try await PeerProcess.ferryClient(port: port, testCase: testCase.rawValue)
        }
        #expect(result.status == 0, "\(result.output)\n--- gRPC C++ server ---\n\(server.log)")
        #expect(result.output.contains("PASS \(testCase.rawValue)"), "\(result.output)")
    }

    @Test(
        "the gRPC C++ server checks CompressedRequest: grpcio's client passes the compressed-request cases against it"
    )
    func cppServerChecksCompression() async throws {
        for testCase in Self.needsCompressedRequestFeature {
            let (server, port) = try await PeerProcess.cppServer()
            let result = try await server.stopAfter {
                try await PeerProcess.grpcioClient(port: port, testCase: testCase.rawValue)
            }
            #expect(result.status == 0, "\(result.output)\n--- gRPC C++ server ---\n\(server.log)")
            #expect(result.output.contains("PASS \(testCase.rawValue)"), "\(result.output)")
        }
    }

    @Test("a grpcio client passes the case against ferry-interop-server", arguments: InteropTestCase.allCases)
    func grpcioClientAgainstFerry(testCase: InteropTestCase) async throws {
        let (server, port) = try await PeerProcess.ferryServer()
        let result = try await server.stopAfter {
            try await PeerProcess.grpcioClient(port: port, testCase: testCase.rawValue)
        }
        #expect(result.status == 0, "\(result.output)\n--- ferry-interop-server ---\n\(server.log)")
        #expect(result.output.contains("PASS \(testCase.rawValue)"), "\(result.output)")
    }
}

/// The executables' command lines, as grpc's interop runners use them.
@Suite("Interop executables: flags")
struct InteropFlagTests {
    @Test("ferry-interop-client rejects an unknown test case, naming the known ones, and exits non-zero")
    func unknownCase() async throws {
        let result = try await PeerProcess.ferryClient(port: 1, testCase: "no_such_case")
        #expect(result.status != 0)
        #expect(result.output.contains("Unknown test case no_such_case"), "\(result.output)")
        #expect(result.output.contains("ping_pong"), "\(result.output)")
    }

    @Test("ferry-interop-client fails with a clear message when no server listens")
    func noServer() async throws {
        let (server, port) = try await PeerProcess.ferryServer()
        await server.stop()
        let result = try await PeerProcess.ferryClient(port: port, testCase: "empty_unary")
        #expect(result.status == 1)
        #expect(result.output.contains("FAIL empty_unary: EmptyCall failed with UNAVAILABLE"), "\(result.output)")
    }
}
